// Step 1, the way back: read the code (or the user's refusal) from the redirect.
//   handle_redirect 'https://socialsizzle.herokuapp.com/auth/?code=AQBx-hBsH3...#_'
//   [expected-state]
#include <instagram/oauth.hpp>

#include <iostream>

int main(int argc, char** argv) {
  using namespace instagram::oauth;
  if (argc < 2) {
    std::cerr << "usage: handle_redirect REDIRECT_URL [EXPECTED_STATE]\n";
    return 2;
  }
  AppConfig app;
  app.redirect_uri = "https://socialsizzle.herokuapp.com/auth/";

  RedirectParser parser(app);
  if (argc > 2) parser.expected_state(argv[2]);  // the state you sent; always check it
  const Result<AuthorizationCode> code = parser.parse(argv[1]);
  if (!code) {
    const OAuthException& error = code.error();
    if (error.category() == ErrorCategory::authorization_denied) {
      std::cout << "The user said no: " << error.error_message() << " (" << error.error_reason()
                << ")\n";
      return 0;  // fail gracefully, as the document asks
    }
    std::cerr << error.what() << '\n';
    return 1;
  }
  // The code is a secret: hand it to TokenExchanger, never to a log.
  std::cout << "Received a code of " << code->code.size()
            << " characters; exchange it within the hour.\n";
}
