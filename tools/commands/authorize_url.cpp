// `instagram-oauth authorize-url`: the Authorization Window URL, with a state of its own
// making when asked.
#include "cli.hpp"
#include "commands.hpp"
#include "options.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace instagram::oauth::cli {
namespace {

struct AuthorizeUrlArgs {
  Connection connection;
  std::string scope;
  std::string state;
  std::vector<std::string> params;
  bool force_reauth = false;
  bool no_fb_login = false;
  bool json = false;
};

int run_authorize_url(const AuthorizeUrlArgs& args) {
  AuthorizeUrlBuilder builder(args.connection.app_config({}));
  builder.scope(args.scope);
  std::string state = args.state;
  if (state == "auto") {
    const Result<std::string> generated = try_generate_state();
    if (!generated) return report(generated.error());
    state = *generated;
  }
  if (!args.state.empty()) builder.state(state);
  for (const std::string& param : args.params) {
    const std::size_t eq = param.find('=');
    if (eq == std::string::npos)
      return usage_error("--param takes NAME=VALUE, got '" + param + "'");
    builder.extra_param(param.substr(0, eq), param.substr(eq + 1));
  }
  if (args.force_reauth) builder.force_reauth(true);
  if (args.no_fb_login) builder.enable_fb_login(false);
  const Result<std::string> url = builder.build();
  if (!url) return report(url.error());
  if (args.json) {
    nlohmann::json answer = {{"url", *url}};
    answer["state"] = args.state.empty() ? nlohmann::json() : nlohmann::json(state);
    std::cout << answer.dump() << '\n';
  } else {
    std::cout << *url << '\n';
    if (args.state == "auto") std::cerr << "state: " << state << '\n';
  }
  return success;
}

}  // namespace

void add_authorize_url(CLI::App& app, int& result) {
  auto args = std::make_shared<AuthorizeUrlArgs>();
  CLI::App* command = app.add_subcommand("authorize-url", "print the Authorization Window URL");
  command->add_option("--client-id", args->connection.client_id, "Instagram App ID")
      ->envname("INSTAGRAM_CLIENT_ID")
      ->required();
  command->add_option("--redirect-uri", args->connection.redirect_uri, "the app's redirect URI")
      ->required();
  command->add_option("--scope", args->scope, "permissions, comma-separated")->required();
  command->add_option("--state", args->state, "'auto' (256 random bits) or a value");
  add_api_option(*command, args->connection.api);
  command->add_option("--endpoint-base", args->connection.endpoint_base,
                      "a local look-alike's base URL");
  command->add_option("--param", args->params, "an extra NAME=VALUE parameter (repeatable)");
  command->add_flag("--force-reauth", args->force_reauth,
                    "force_reauth=true: the user logs in again");
  command->add_flag("--no-fb-login", args->no_fb_login,
                    "enable_fb_login=false: hide \"Log in with Facebook\"");
  command->add_flag("--json", args->json, "print {\"url\",\"state\"} as JSON");
  command->callback([args, &result] {
    json_errors = args->json;
    result = run_authorize_url(*args);
  });
}

}  // namespace instagram::oauth::cli
