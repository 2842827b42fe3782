// Must not compile with -Werror=unused-result: a Result that is ignored is a warning
// (ctest result_nodiscard expects the compiler's complaint).
#include <instagram/oauth/state.hpp>

void ignores_a_result() {
  instagram::oauth::try_generate_state();
}
