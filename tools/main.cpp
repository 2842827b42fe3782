// instagram-oauth: build an authorize URL, check a pasted redirect, trade a code, run a
// local Instagram for your own tests, check an app's setup, or watch the whole flow (`demo`).
#include "cli.hpp"
#include "commands.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace cli = instagram::oauth::cli;

int main(int argc, char** argv) {
  CLI::App app{
      "Instagram OAuth from the command line: authorize URLs, redirects, tokens, a local "
      "Instagram, a check of an app's setup"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(instagram::oauth::version));
  int result = cli::success;
  for (const cli::AddCommand add : cli::all_commands) add(app, result);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? cli::success : cli::usage;
  }
  return result;
}
