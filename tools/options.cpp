#include "options.hpp"

#include <exception>

namespace instagram::oauth::cli {

const CLI::Validator greater_than_zero(
    [](const std::string& text) {
      std::size_t used = 0;
      long long value = 0;
      try {
        value = std::stoll(text, &used);
      } catch (const std::exception&) {
        return std::string("must be a whole number greater than 0");
      }
      return used == text.size() && value > 0
                 ? std::string()
                 : std::string("must be a whole number greater than 0");
    },
    "> 0");

void add_api_option(CLI::App& command, std::string& api) {
  command.add_option("--api", api, "endpoint generation")
      ->check(CLI::IsMember({"basic-display", "instagram-login"}))
      ->capture_default_str();
}

void add_connection(CLI::App& command, Connection& connection, bool needs_secret, bool required) {
  command.add_option("--client-id", connection.client_id, "Instagram App ID (numeric)")
      ->envname("INSTAGRAM_CLIENT_ID")
      ->required(required);
  command
      .add_option("--redirect-uri", connection.redirect_uri,
                  "the app's redirect URI, exactly as registered")
      ->required(required);
  add_api_option(command, connection.api);
  command.add_option("--endpoint-base", connection.endpoint_base,
                     "base URL of a local Instagram look-alike (from `mock-server`)");
  command.add_option("--ca-file", connection.ca_file,
                     "PEM file of the CA to trust (default: system store)");
  command.add_option("--timeout-ms", connection.timeout_ms, "total time limit per request (> 0)")
      ->check(greater_than_zero)
      ->capture_default_str();
  if (needs_secret) {
    command.add_option("--client-secret-file", connection.client_secret_file,
                       "file holding the client secret (default: $INSTAGRAM_CLIENT_SECRET)");
  }
}

void add_token_output(CLI::App& command, TokenOutput& output) {
  command.add_flag("--json", output.json, "print the answer as JSON");
  command.add_flag("--show-token", output.show_token,
                   "print the access token itself (it is a secret)");
}

}  // namespace instagram::oauth::cli
