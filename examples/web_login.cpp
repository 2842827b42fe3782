// A small web app with "Log in with Instagram": the state is bound to an HttpOnly
// cookie, the callback is /auth/, errors are shown HTML-escaped, the token is never shown.
//   INSTAGRAM_CLIENT_SECRET=... web_login [PORT]
// INSTAGRAM_ENDPOINT_BASE and INSTAGRAM_CA_FILE point it at a local look-alike.
#include <instagram/oauth.hpp>

#include <httplib.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

using namespace instagram::oauth;

namespace {

std::string html_escape(const std::string& text) {
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

std::string cookie(const httplib::Request& request, const std::string& name) {
  const std::string cookies = "; " + request.get_header_value("Cookie");
  const std::size_t at = cookies.find("; " + name + "=");
  if (at == std::string::npos) return {};
  const std::size_t start = at + name.size() + 3;
  return cookies.substr(start, cookies.find(';', start) - start);
}

void page(httplib::Response& response, int status, const std::string& body) {
  response.status = status;
  response.set_content("<!doctype html><meta charset=utf-8><title>Web login</title>" + body,
                       "text/html; charset=utf-8");
}

httplib::Server* running = nullptr;

}  // namespace

int main(int argc, char** argv) {
  const char* secret = std::getenv("INSTAGRAM_CLIENT_SECRET");
  if (secret == nullptr) {
    std::cerr << "usage: INSTAGRAM_CLIENT_SECRET=... web_login [PORT]\n";
    return 2;
  }
  const int port = argc > 1 ? std::atoi(argv[1]) : 8080;
  AppConfig app{
      "990602627938098", secret, "http://127.0.0.1:" + std::to_string(port) + "/auth/", {}};
  ClientOptions options;
  if (const char* base = std::getenv("INSTAGRAM_ENDPOINT_BASE")) {
    app.endpoints.authorize = std::string(base) + "/oauth/authorize";
    app.endpoints.token = std::string(base) + "/oauth/access_token";
    options.ca_file = std::getenv("INSTAGRAM_CA_FILE") ? std::getenv("INSTAGRAM_CA_FILE") : "";
    options.allow_plain_http = true;  // honoured for loopback hosts only
  }
  const TokenExchanger exchanger(app, options);

  httplib::Server server;
  server.Get("/", [](const httplib::Request&, httplib::Response& response) {
    page(response, 200, "<p><a href=\"/login\">Log in with Instagram</a></p>");
  });
  server.Get("/login", [&](const httplib::Request&, httplib::Response& response) {
    const std::string state = generate_state();
    const Result<std::string> url =
        AuthorizeUrlBuilder(app).scope("instagram_business_basic").state(state).build();
    if (!url) return page(response, 500, "<p>" + html_escape(url.error().what()) + "</p>");
    // HttpOnly: scripts cannot read it; SameSite=Lax: it comes back on Instagram's redirect.
    response.set_header("Set-Cookie", "oauth_state=" + state +
                                          "; Path=/auth/; HttpOnly; SameSite=Lax; Max-Age=600");
    response.set_redirect(*url);
  });
  server.Get("/auth/", [&](const httplib::Request& request, httplib::Response& response) {
    response.set_header("Set-Cookie",
                        "oauth_state=; Path=/auth/; HttpOnly; SameSite=Lax; Max-Age=0");
    RedirectParser parser(app);
    parser.expected_state(cookie(request, "oauth_state"));
    const Result<AuthorizationCode> code =
        parser.parse(app.redirect_uri + request.target.substr(request.path.size()));
    if (!code)
      return page(response, 400,
                  "<p>Not signed in: " + html_escape(code.error().error_message()) + "</p>");
    const Result<AccessToken> token = exchanger.exchange(*code);
    if (!token)
      return page(response, 502,
                  "<p>Not signed in: " + html_escape(token.error().error_message()) + "</p>");
    // Keep token->access_token server-side (a session store); never render it.
    page(response, 200, "<p>Signed in as Instagram user " + html_escape(token->user_id) + ".</p>");
  });

  running = &server;
  std::signal(SIGTERM, [](int) { running->stop(); });
  std::signal(SIGINT, [](int) { running->stop(); });
  if (!server.bind_to_port("127.0.0.1", port)) {
    std::cerr << "transport: cannot listen on 127.0.0.1:" << port << '\n';
    return 1;
  }
  std::cout << "web_login listening at http://127.0.0.1:" << port << "/" << std::endl;
  server.listen_after_bind();
}
