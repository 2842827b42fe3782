// `instagram-oauth exchange`: a code (given, or read from a redirect URL) traded for a
// short-lived token.
#include "cli.hpp"
#include "commands.hpp"
#include "options.hpp"

#include <memory>
#include <optional>
#include <string>

namespace instagram::oauth::cli {
namespace {

struct ExchangeArgs {
  Connection connection;
  std::string code;
  std::string redirect;
  std::optional<std::string> expected_state;
  TokenOutput output;
};

int run_exchange(const ExchangeArgs& args) {
  const std::optional<AppConfig> app = app_with_secret(args.connection);
  if (!app) return usage;
  const AppConfig& config = *app;
  std::string code = args.code;
  if (!args.redirect.empty()) {
    RedirectParser parser(config);
    if (args.expected_state) parser.expected_state(*args.expected_state);
    Result<AuthorizationCode> parsed = parser.parse(args.redirect);
    if (!parsed) return report(parsed.error());
    code = std::move(parsed->code);
  }
  const Result<TokenExchanger> exchanger =
      TokenExchanger::create(config, args.connection.client_options());
  if (!exchanger) return report(exchanger.error());
  return print_result(exchanger->exchange(code), args.output);
}

}  // namespace

void add_exchange(CLI::App& app, int& result) {
  auto args = std::make_shared<ExchangeArgs>();
  CLI::App* command = app.add_subcommand("exchange", "trade a code for a short-lived token");
  auto* code_option = command->add_option("--code", args->code, "the authorization code");
  auto* redirect_option =
      command->add_option("--redirect", args->redirect, "the redirect URL holding the code");
  code_option->excludes(redirect_option);
  command->add_option("--expect-state", args->expected_state,
                      "with --redirect: the state it must carry");
  add_connection(*command, args->connection, true);
  add_token_output(*command, args->output);
  command->callback([args, &result] {
    json_errors = args->output.json;
    result = args->code.empty() && args->redirect.empty()
                 ? usage_error("exchange needs --code or --redirect")
                 : run_exchange(*args);
  });
}

}  // namespace instagram::oauth::cli
