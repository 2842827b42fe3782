// Part of the tree that breaks every include rule: an example reaching into detail::.
bool same(const char* a, const char* b) {
  return instagram::oauth::detail::constant_time_equals(a, b);
}
