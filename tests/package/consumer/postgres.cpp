// Uses the PostgreSQL component (and so libpq through it) without a server: a conninfo
// that libpq's parser refuses.
#include <instagram/oauth/postgres/token_store.hpp>

#include <iostream>

int main() {
  using namespace instagram::oauth;
  const auto store =
      PostgresTokenStore::open("no equals sign", {"consumer-token-key-0123456789abcdefghij"});
  if (store || store.error().category() != ErrorCategory::invalid_argument) return 1;
  std::cout << "Postgres consumed: " << store.error().what() << '\n';
  return 0;
}
