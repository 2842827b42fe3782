// "Sign in with Instagram" on Boost.Beast, every request a coroutine on one io_context: /login
// sends the browser to Instagram with a state signed and bound to it, and the callback trades
// the code, then the short-lived token for a long-lived one, then asks who signed in, each with
// co_await (the Asio component, <instagram/oauth/asio.hpp>), on a transport the io_context
// drives (no engine thread). Nothing blocks the loop, and a browser that goes away cancels
// what has not been sent. The page shows who signed in, never a token; keeping the token and
// a session is web_login's part.
//   INSTAGRAM_CLIENT_SECRET=... coroutine_login [PORT]
// INSTAGRAM_CLIENT_ID, INSTAGRAM_REDIRECT_URI, INSTAGRAM_STATE_KEY, INSTAGRAM_ENDPOINT_BASE and
// INSTAGRAM_CA_FILE as web_login reads them.
#include <instagram/oauth.hpp>
#include <instagram/oauth/asio.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <utility>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace instagram::oauth;
using Response = http::response<http::string_body>;

namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::string html_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The value of cookie `name` in the request, or empty.
std::string cookie(const http::request<http::string_body>& request, std::string_view name) {
  const std::string_view header = request[http::field::cookie];
  for (std::size_t at = 0; at < header.size();) {
    const std::size_t end = std::min(header.find(';', at), header.size());
    std::string_view pair = header.substr(at, end - at);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    at = end + 1;
  }
  return {};
}

Response page(unsigned version, http::status status, const std::string& body) {
  Response response{status, version};
  response.set(http::field::content_type, "text/html; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  response.set("Referrer-Policy", "no-referrer");  // keeps the code out of Referer
  response.body() = "<!doctype html><meta charset=utf-8><title>Coroutine login</title>" + body;
  response.prepare_payload();
  return response;
}

// What the site needs for every request; made once in main().
struct Site {
  AppConfig app;
  TokenExchanger exchanger;
  ProfileClient profiles;
  RedirectParser parser;
  StateSigner signer;
};

// One request: the page, the redirect to Instagram, or the callback's sign-in.
asio::awaitable<Response> answer(const Site& site,
                                 const http::request<http::string_body>& request) {
  const unsigned version = request.version();
  const std::string_view target = request.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (request.method() != http::verb::get) {
    co_return page(version, http::status::method_not_allowed, "<p>GET only.</p>");
  }
  if (path == "/") {
    co_return page(version, http::status::ok,
                   "<p><a id=login href=\"/login\">Sign in with Instagram</a></p>");
  }
  if (path == "/login") {
    // The browser binding, always minted here; the state is signed for it.
    const std::string binding = generate_state();
    const Result<std::string> url =
        site.signer.issue(binding, "/").and_then([&](const std::string& state) {
          return AuthorizeUrlBuilder(site.app)
              .scope("instagram_business_basic")
              .state(state)
              .build();
        });
    if (!url) co_return page(version, http::status::internal_server_error, "<p>No sign-in.</p>");
    Response response = page(version, http::status::found, "");
    response.set(http::field::location, *url);
    response.set(http::field::set_cookie,
                 "binding=" + binding + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=600");
    co_return response;
  }
  if (path != "/auth/") co_return page(version, http::status::not_found, "<p>Not found.</p>");

  const auto refuse = [version](const OAuthException& error) {
    const std::string hint = error.hint().empty() ? "" : "<p>" + html_escape(error.hint()) + "</p>";
    Response response = page(version, http::status::bad_request,
                             "<p>Not signed in: " + html_escape(error.error_message()) + "</p>" +
                                 hint + "<p><a href=\"/login\">Sign in</a></p>");
    response.set(http::field::set_cookie, "binding=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    return response;
  };
  // Checked by its signature and this browser's binding; the binding is used once.
  const std::string redirect =
      site.app.redirect_uri + std::string(target.substr(std::min(path.size(), target.size())));
  const Result<SignedRedirect> signed_in =
      site.parser.parse(redirect, site.signer, cookie(request, "binding"));
  if (!signed_in) co_return refuse(signed_in.error());

  OAuthException diagnostics(ErrorCategory::api, {});  // Instagram's words, on an error
  const auto use = asio::as_tuple(asio::use_awaitable);
  auto [exchanged, token] =
      co_await async_exchange(site.exchanger, signed_in->code, diagnostics, use);
  if (exchanged) co_return refuse(diagnostics);
  auto [extended, kept] =
      co_await async_exchange_for_long_lived(site.exchanger, token.access_token, diagnostics, use);
  if (extended) co_return refuse(diagnostics);
  auto [asked, profile] = co_await async_me(site.profiles, kept.access_token, diagnostics, use);
  if (asked) co_return refuse(diagnostics);
  Response response =
      page(version, http::status::ok,
           "<p id=signed-in>Signed in as @" + html_escape(profile.username) + " (Instagram user " +
               html_escape(token.user_id) + ").</p><p><a href=\"/\">Home</a></p>");
  response.set(http::field::set_cookie, "binding=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
  co_return response;
}

// One connection's requests, in turn, until it closes or idles for 30 seconds.
asio::awaitable<void> serve(const Site& site, beast::tcp_stream stream) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(8 * 1024);  // no route needs a body
    stream.expires_after(std::chrono::seconds(30));
    auto [read_error, read] =
        co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (read_error) break;
    const http::request<http::string_body> request = parser.release();
    Response response = co_await answer(site, request);
    response.keep_alive(request.keep_alive());
    auto [write_error, written] =
        co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
    if (write_error || !response.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> listen(const Site& site, asio::ip::tcp::acceptor acceptor) {
  for (;;) {
    auto [error, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (error) co_return;
    asio::co_spawn(acceptor.get_executor(), serve(site, beast::tcp_stream(std::move(socket))),
                   asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string secret = env_or("INSTAGRAM_CLIENT_SECRET", "");
  if (secret.empty()) {
    std::cerr << "usage: INSTAGRAM_CLIENT_SECRET=... coroutine_login [PORT]\n";
    return 2;
  }
  const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 8080);
  const std::string address = "http://127.0.0.1:" + std::to_string(port);
  AppConfig app{env_or("INSTAGRAM_CLIENT_ID", "990602627938098"), secret,
                env_or("INSTAGRAM_REDIRECT_URI", (address + "/auth/").c_str())};
  ClientOptions options;
  if (const char* base = std::getenv("INSTAGRAM_ENDPOINT_BASE")) {
    app.endpoints = app.endpoints.at(base);
    options.ca_file = env_or("INSTAGRAM_CA_FILE", "");
    options.allow_plain_http = true;  // honoured for loopback hosts only
  }
  const std::string state_key = env_or("INSTAGRAM_STATE_KEY", "");
  // Made before the clients, so that it outlives them: their transport is driven by it, so
  // a sign-in's requests and answers stay on this one thread.
  asio::io_context context;
  Result<TokenExchanger> exchanger =
      TokenExchanger::create(app, make_curl_transport(context.get_executor(), options));
  Result<StateSigner> signer =
      StateSigner::create({state_key.empty() ? generate_state() : state_key});
  if (!exchanger || !signer) {  // fail at start-up, not at the first sign-in
    std::cerr << (!exchanger ? exchanger.error() : signer.error()).what() << '\n';
    return 2;
  }
  ProfileClient profiles = ProfileClient::create(app, exchanger->transport()).value();
  const Site site{app, std::move(*exchanger), std::move(profiles), RedirectParser(app),
                  std::move(*signer)};

  asio::ip::tcp::acceptor acceptor(context);
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  beast::error_code error;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    std::cerr << "transport: cannot listen on 127.0.0.1:" << port << ": " << error.message()
              << '\n';
    return 1;
  }
  asio::co_spawn(context, listen(site, std::move(acceptor)), asio::detached);
  asio::signal_set stop(context, SIGINT, SIGTERM);
  stop.async_wait([&](const beast::error_code&, int) { context.stop(); });
  std::cout << "coroutine_login listening at " << address << "/" << std::endl;
  context.run();
  return 0;
}
