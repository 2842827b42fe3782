// Uses the Asio component (and Boost.Asio through it): an exchange in an io_context whose
// code is refused before anything is sent, its handler run on the context.
#include <instagram/oauth/asio.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

int main() {
  using namespace instagram::oauth;
  AppConfig app;
  app.client_id = "990602627938098";
  app.client_secret = "consumer-secret";
  app.redirect_uri = "https://socialsizzle.herokuapp.com/auth/";
  const TokenExchanger exchanger = TokenExchanger::create(app).value();
  boost::asio::io_context context;
  OAuthException diagnostics(ErrorCategory::system, "untouched");
  bool refused = false;
  async_exchange(
      exchanger, "", diagnostics,
      boost::asio::bind_executor(context, [&](boost::system::error_code error, const AccessToken&) {
        refused = error == ErrorCategory::invalid_argument;
      }));
  context.run();
  if (!refused) return 1;
  std::cout << "Asio consumed: " << diagnostics.what() << '\n';
  return 0;
}
