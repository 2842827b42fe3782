// The subcommands of instagram-oauth. Each lives in one file of tools/commands/ with its
// options, its arguments and its run, and adds itself to the command through its function
// here; `result` receives its exit code. A new subcommand is its file, a line in
// tools/CMakeLists.txt and two lines here.
#pragma once

#include <CLI/CLI.hpp>

namespace instagram::oauth::cli {

using AddCommand = void (*)(CLI::App& app, int& result);

void add_authorize_url(CLI::App& app, int& result);
void add_parse_redirect(CLI::App& app, int& result);
void add_exchange(CLI::App& app, int& result);
void add_long_lived(CLI::App& app, int& result);
void add_refresh(CLI::App& app, int& result);
void add_me(CLI::App& app, int& result);
void add_mock_server(CLI::App& app, int& result);
void add_login(CLI::App& app, int& result);
void add_doctor(CLI::App& app, int& result);
#if defined(INSTAGRAM_OAUTH_WITH_POSTGRES)
void add_refresh_due(CLI::App& app, int& result);
#endif
void add_demo(CLI::App& app, int& result);

// In the order `--help` lists them.
inline constexpr AddCommand all_commands[] = {
    &add_authorize_url, &add_parse_redirect, &add_exchange, &add_long_lived, &add_refresh, &add_me,
    &add_mock_server,   &add_login,          &add_doctor,
#if defined(INSTAGRAM_OAUTH_WITH_POSTGRES)
    &add_refresh_due,
#endif
    &add_demo,
};

}  // namespace instagram::oauth::cli
