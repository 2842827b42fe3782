// A tree that breaks every include rule, for the test that the check can fail.
#include <instagram/oauth/http.hpp>
