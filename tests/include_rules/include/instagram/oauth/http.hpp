// Part of the tree that breaks every include rule.
