// The options several subcommands share, declared once on CLI11: the connection to
// Instagram (or a look-alike), how a token is printed, and counts that must be positive.
#pragma once

#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace instagram::oauth::cli {

// A count that 0 would turn into "none" (a time limit): CLI11's PositiveNumber says "Value 0
// not in range 0.000000 to 1797693…", which reads as if 0 were allowed.
extern const CLI::Validator greater_than_zero;

// --api: the endpoint generation, "basic-display" or "instagram-login".
void add_api_option(CLI::App& command, std::string& api);

// --client-id, --redirect-uri, --api, --endpoint-base, --ca-file, --timeout-ms, and with
// `needs_secret` --client-secret-file. `required`: the client id and the redirect URI must be
// given (doctor checks their absence instead).
void add_connection(CLI::App& command, Connection& connection, bool needs_secret,
                    bool required = true);

// --json and --show-token.
void add_token_output(CLI::App& command, TokenOutput& output);

}  // namespace instagram::oauth::cli
