// The component's schema (version 2): the tokens, the sessions, the fence sequence and the
// version row; a database of schema 1 is upgraded in place.
#pragma once

#include "connection_pool.hpp"

// The server's clock in microseconds since 1970, inside one statement: the stores' one clock.
#define INSTAGRAM_OAUTH_NOW_US "(extract(epoch FROM now()) * 1000000)::bigint"

namespace instagram::oauth::postgres {

// Creates what is missing, upgrades schema 1, and checks the version. Errors: the pool's, and
// system (a schema of another version).
Result<void> prepare_schema(ConnectionPool& pool);

}  // namespace instagram::oauth::postgres
