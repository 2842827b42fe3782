// `instagram-oauth parse-redirect`: the code or the denial a redirect URL carries, its state
// checked when one is expected.
#include "cli.hpp"
#include "commands.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace instagram::oauth::cli {
namespace {

struct ParseRedirectArgs {
  std::string redirect;
  std::string redirect_uri;
  std::optional<std::string> expected_state;  // given, even empty: checked (empty is refused)
  bool json = false;
};

int run_parse_redirect(const ParseRedirectArgs& args) {
  AppConfig config;
  config.redirect_uri =
      args.redirect_uri.empty() ? "https://redirect-uri.invalid/" : args.redirect_uri;
  RedirectParser parser(config);
  if (args.expected_state) parser.expected_state(*args.expected_state);
  // Without --redirect-uri there is no base to check: read the query alone.
  std::string_view redirect = args.redirect;
  if (args.redirect_uri.empty() && redirect.find('?') != std::string_view::npos) {
    redirect = redirect.substr(redirect.find('?'));
  }
  const Result<AuthorizationCode> code = parser.parse(redirect);
  if (!code) return report(code.error());
  if (args.json) {
    nlohmann::json answer = {{"code", code->code}};
    answer["state"] = code->state ? nlohmann::json(*code->state) : nlohmann::json();
    std::cout << answer.dump() << '\n';
  } else {
    std::cout << "code:  " << code->code << '\n';  // printing the code is this command's job
    if (code->state) std::cout << "state: " << *code->state << '\n';
  }
  return success;
}

}  // namespace

void add_parse_redirect(CLI::App& app, int& result) {
  auto args = std::make_shared<ParseRedirectArgs>();
  CLI::App* command =
      app.add_subcommand("parse-redirect", "read the code or the denial from a redirect URL");
  command->add_option("url", args->redirect, "the URL Instagram redirected to")->required();
  command->add_option("--redirect-uri", args->redirect_uri, "check the redirect's base against it");
  command->add_option("--expect-state", args->expected_state, "the state the redirect must carry");
  command->add_flag("--json", args->json, "print {\"code\",\"state\"} as JSON");
  command->callback([args, &result] {
    json_errors = args->json;
    result = run_parse_redirect(*args);
  });
}

}  // namespace instagram::oauth::cli
