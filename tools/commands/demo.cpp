// `instagram-oauth demo`: the whole sign-in flow against an embedded Instagram
// look-alike, explained step by step; then the two failures every app must handle.
#include "cli.hpp"
#include "commands.hpp"

#include <httplib.h>

#include <algorithm>
#include <iostream>

namespace instagram::oauth::cli {
namespace {

// The browser's part: open the authorize URL and read where Instagram sends the user.
std::optional<std::string> follow_authorize(const std::string& base_url, const std::string& ca_file,
                                            const std::string& url) {
  httplib::Client browser(base_url);
  browser.set_ca_cert_path(ca_file.c_str());
  browser.enable_server_certificate_verification(true);
  const auto answer = browser.Get(url.substr(base_url.size()).c_str());
  if (!answer || answer->status != 302) return std::nullopt;
  return answer->get_header_value("Location");
}

// A redirect as it may be shown: the code is a secret, shown as redacted() shows secrets.
std::string without_code(std::string redirect) {
  const std::size_t start = redirect.find("code=");
  if (start == std::string::npos) return redirect;
  const std::size_t end = std::min(redirect.find_first_of("&#", start), redirect.size());
  const std::string code = redirect.substr(start + 5, end - start - 5);
  return redirect.replace(start + 5, code.size(), redacted(code));
}

void step(int number, const char* title) {
  std::cout << "\nStep " << number << ". " << title << '\n';
}

int run_demo() {
  testing::MockOptions options;
  options.tls = true;
  options.user_id = "17841405793187219";  // odd and above 2^53: a double would change it
  std::optional<testing::InstagramMock> mock;
  if (!start_mock(mock, options)) return network;
  const AppConfig config = mock->app_config();
  ClientOptions client;
  client.ca_file = mock->ca_file();
  const Result<TokenExchanger> made = TokenExchanger::create(config, client);
  if (!made) return report(made.error());
  const TokenExchanger& exchanger = *made;

  std::cout
      << "instagram-oauth demo: signing a user in with Instagram, end to end, on this machine.\n"
      << "An Instagram look-alike is serving HTTPS at " << mock->base_url() << "\n"
      << "(certificate from a throwaway CA; TLS verification stays on). No app, no internet.\n"
      << "It plays Instagram API with Instagram Login, the live API; each step names the real\n"
      << "endpoint it stands for.\n";

  step(1, "Send the user to the Authorization Window (www.instagram.com/oauth/authorize)");
  const std::string state = generate_state();
  const Result<std::string> url =
      AuthorizeUrlBuilder(config).scope("instagram_business_basic").state(state).build();
  if (!url) return report(url.error());
  std::cout << "  state (256 random bits against CSRF): " << state << "\n  " << *url << '\n';

  step(2, "The user allows the app; Instagram redirects back with a code");
  const std::optional<std::string> redirect =
      follow_authorize(mock->base_url(), mock->ca_file(), *url);
  if (!redirect)
    return report(
        OAuthException(ErrorCategory::transport, "the authorization window did not answer"));
  std::cout << "  " << without_code(*redirect) << '\n';
  const Result<AuthorizationCode> code = RedirectParser(config).parse(*redirect, state);
  if (!code) return report(code.error());
  std::cout
      << "  RedirectParser: the redirect_uri matches, the state matches, the code is read with\n"
      << "  Instagram's trailing \"#_\" dropped (" << code->code.size()
      << " characters, single use).\n";

  step(3,
       "Trade the code for a short-lived token (POST api.instagram.com/oauth/access_token;\n"
       "        the client secret travels in the body)");
  const Result<AccessToken> short_lived = exchanger.exchange(*code);
  if (!short_lived) return report(short_lived.error());
  std::cout << "  " << *short_lived << '\n'
            << "  user_id " << short_lived->user_id
            << " is kept as exact digits; through a double it would read "
            << static_cast<unsigned long long>(
                   static_cast<double>(std::stoull(short_lived->user_id)))
            << ".\n";

  step(4, "Who signed in (GET graph.instagram.com/v25.0/me)");
  const Result<ProfileClient> profiles_made = ProfileClient::create(config, exchanger.transport());
  if (!profiles_made) return report(profiles_made.error());
  const ProfileClient& profiles = *profiles_made;
  const Result<UserProfile> profile = profiles.me(short_lived->access_token);
  if (!profile) return report(profile.error());
  std::cout << "  @" << profile->username << " (" << profile->name << ", " << profile->account_type
            << "), professional account id " << profile->user_id << ",\n  app-scoped id "
            << profile->id << '\n';

  step(5,
       "Trade it for a long-lived token (GET graph.instagram.com/access_token,\n"
       "        grant_type=ig_exchange_token)");
  const Result<AccessToken> long_lived =
      exchanger.exchange_for_long_lived(short_lived->access_token);
  if (!long_lived) return report(long_lived.error());
  std::cout << "  " << *long_lived << "\n  valid for "
            << (long_lived->expires_in->count() + 43200) / 86400 << " days\n";

  step(6,
       "Keep it alive: TokenKeeper refreshes it when due (GET graph.instagram.com/\n"
       "        refresh_access_token), here 55 days later");
  mock->advance_clock(std::chrono::hours(55 * 24));
  const auto later = *long_lived->received_at + std::chrono::hours(55 * 24);
  int persisted = 0;
  TokenKeeper keeper(
      std::make_shared<const TokenExchanger>(exchanger), *long_lived, {},
      [&persisted](const AccessToken&) { ++persisted; }, [later] { return later; });
  const Result<AccessToken> kept = keeper.get();
  if (!kept) return report(kept.error());
  std::cout << "  refresh_due: " << (kept->access_token != long_lived->access_token ? "yes" : "no")
            << " (within 7 days of expiry); refreshed " << persisted
            << " time, on_refreshed persisted it\n  " << *kept << '\n';

  std::cout << "\nWhat goes wrong, handled:\n";
  const Result<AccessToken> reused = exchanger.exchange(*code);
  std::cout
      << "  The same code a second time (codes are single-use; the library never retries):\n    "
      << (reused ? std::string("unexpectedly accepted") : std::string(reused.error().what()))
      << "\n    hint: " << (reused ? std::string() : reused.error().hint()) << '\n';
  mock->set_user_decision(testing::UserDecision::deny);
  const std::string cancel_state = generate_state();
  const Result<std::string> cancel_url =
      AuthorizeUrlBuilder(config).scope("instagram_business_basic").state(cancel_state).build();
  const std::optional<std::string> canceled =
      cancel_url ? follow_authorize(mock->base_url(), mock->ca_file(), *cancel_url) : std::nullopt;
  if (!canceled)
    return report(
        OAuthException(ErrorCategory::transport, "the authorization window did not answer"));
  const Result<AuthorizationCode> denial = RedirectParser(config).parse(*canceled, cancel_state);
  std::cout << "  The user presses Cancel:\n    "
            << (denial ? std::string("unexpectedly accepted") : std::string(denial.error().what()))
            << '\n';
  const Result<AuthorizationCode> forged = RedirectParser(config).parse(
      config.redirect_uri + "?code=AQB-forged&state=attacker-state#_", state);
  std::cout << "  A forged redirect with another state (CSRF):\n    "
            << (forged ? std::string("unexpectedly accepted") : std::string(forged.error().what()))
            << '\n';

  const bool all_handled = !reused && !denial && !forged;
  std::cout << "\n"
            << (all_handled ? "Done: 6 steps, 3 failures caught. " : "Something was not caught. ")
            << "Next: `instagram-oauth --help`, and examples/ for the code.\n";
  return all_handled ? success : invalid;
}

}  // namespace

void add_demo(CLI::App& app, int& result) {
  app.add_subcommand("demo", "run the whole flow against an embedded Instagram look-alike")
      ->callback([&result] { result = run_demo(); });
}

}  // namespace instagram::oauth::cli
