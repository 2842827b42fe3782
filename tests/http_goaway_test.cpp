// Never twice, against a hostile HTTP/2 server written frame by frame (tests/servers/
// h2_frames.py): the engine sends a request again only when a GOAWAY on that request's own
// connection says the server never processed it, never after a time limit, and never on
// text that only looks like libcurl's. Each case counts the code at the server, with the
// engine on its thread and driven by an event loop.
#include "catch.hpp"
#include "failure.hpp"

#include <instagram/oauth/http.hpp>

#include "h2_frames.hpp"
#include "poll_loop.hpp"
#include "skip.hpp"

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

using namespace instagram::oauth;
using testing::Failure;
using testing::failure_of;
using testing::H2Frames;

namespace {

bool h2_frames_available() {
  if (!H2Frames::python().empty()) return true;
  testing::skip_test("python3 with python3-h2 is not installed (scripts/setup-deps.sh test)");
  return false;
}

HttpRequest post(std::string url, const std::string& code) {
  HttpRequest request;
  request.method = HttpMethod::post;
  request.url = std::move(url);
  request.form = {{"code", code}};
  return request;
}

HttpRequest get(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  return request;
}

// A transport on its engine thread, or driven by a loop of its own (ended after it).
struct Client {
  Client(const H2Frames& server, std::chrono::milliseconds total_timeout, bool driven)
      : loop(driven ? std::make_shared<testing::PollLoop>() : nullptr) {
    ClientOptions options;
    options.ca_file = server.ca_file();
    options.total_timeout = total_timeout;
    transport = make_curl_transport(options, loop);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client() {
    transport.reset();
    if (loop) loop->finish();
  }
  HttpTransport* operator->() const { return transport.get(); }
  HttpTransport& operator*() const { return *transport; }

  std::shared_ptr<testing::PollLoop> loop;
  std::shared_ptr<HttpTransport> transport;
};

std::future<Result<HttpResponse>> send_async(HttpTransport& transport, HttpRequest request) {
  auto promise = std::make_shared<std::promise<Result<HttpResponse>>>();
  std::future<Result<HttpResponse>> future = promise->get_future();
  transport.send_async(std::move(request), [promise](Result<HttpResponse> result) {
    promise->set_value(std::move(result));
  });
  return future;
}

// The answer's status, or the error's category and message in the failure.
int status_of(const Result<HttpResponse>& result) {
  INFO(failure_of(result));
  REQUIRE(result.has_value());
  return result->status;
}

// A few answered exchanges first, so that the victim's stream id is well above 1.
void warm_up(HttpTransport& transport, const H2Frames& server, const std::string& origin) {
  for (int i = 0; i < 3; ++i) {
    REQUIRE(status_of(transport.send(
                post(server.url(origin, "/answer"), "warm-" + std::to_string(i)))) == 200);
  }
}

// The victim's code, read and held by the server on origin "a".
std::future<Result<HttpResponse>> hold_victim(HttpTransport& transport, const H2Frames& server,
                                              const std::string& code) {
  warm_up(transport, server, "a");
  auto victim = send_async(transport, post(server.url("a", "/hold"), code));
  REQUIRE(server.wait_until_held(1));
  return victim;
}

// Not sent again, and the caller told why.
void check_may_have_been_used(const Result<HttpResponse>& result) {
  CHECK(failure_of(result) ==
        Failure{ErrorCategory::transport,
                "the connection closed after the request was sent and before an answer; it was "
                "not sent again, since it may have reached the server (an authorization code "
                "may have been used: start a new login)"});
}

}  // namespace

TEST_CASE("a GOAWAY on another origin's connection never sends a held request again",
          "[http][http2][goaway]") {
  if (!h2_frames_available()) return;
  const bool driven = GENERATE(false, true);
  INFO("driven by an event loop: " << driven);
  // The repro: one transport for the token host and graph, as web_login has. Graph
  // sends GOAWAY(last_stream=1) on its own connection; the token host, which read the code on
  // stream 7 of another connection, then resets that stream or closes its connection.
  for (const std::string how : {"reset", "close"}) {
    INFO(how);
    const H2Frames server({{"a", 100, ""}, {"b", 100, ""}});
    const Client transport(server, std::chrono::seconds(20), driven);
    const std::string code = "victim-" + how;
    auto victim = hold_victim(*transport, server, code);
    CHECK(status_of(transport->send(get(server.url("b", "/goaway-then-answer?code=graph")))) ==
          200);
    server.release(code, how);
    check_may_have_been_used(victim.get());
    CHECK(server.count(code) == 1);
    CHECK(server.count("graph") == 1);
  }
}

TEST_CASE("a request held past total_timeout is never sent again, whatever GOAWAY came",
          "[http][http2][goaway]") {
  if (!h2_frames_available()) return;
  const bool driven = GENERATE(false, true);
  INFO("driven by an event loop: " << driven);
  const H2Frames server({{"a", 100, ""}, {"b", 100, ""}});
  const Client transport(server, std::chrono::milliseconds(3000), driven);
  auto victim = hold_victim(*transport, server, "victim-timeout");
  CHECK(status_of(transport->send(get(server.url("b", "/goaway-then-answer?code=graph")))) == 200);
  const Result<HttpResponse> result = victim.get();  // the server never answers it
  REQUIRE(result.has_error());
  CHECK(result.error().category() == ErrorCategory::timeout);
  CHECK(server.count("victim-timeout") == 1);
}

TEST_CASE("a GOAWAY on one connection of an origin never marks its other connection",
          "[http][http2][goaway]") {
  if (!h2_frames_available()) return;
  const bool driven = GENERATE(false, true);
  INFO("driven by an event loop: " << driven);
  // One stream per connection: the second request opens a second connection, where the
  // server refuses it once with GOAWAY(last_stream=0). That one was never processed and is
  // sent again (once, answered); the victim on the first connection is not.
  const H2Frames server({{"a", 1, ""}});
  const Client transport(server, std::chrono::seconds(20), driven);
  auto victim = send_async(*transport, post(server.url("a", "/hold"), "victim-two"));
  REQUIRE(server.wait_until_held(1));
  CHECK(status_of(transport->send(post(server.url("a", "/refuse-once"), "refused-once"))) == 200);
  CHECK(server.count("refused-once") == 1);
  const TransportStats stats = transport->stats().value();
  CHECK(stats.requests_sent == 3);  // the victim, the refused one, and that one again
  server.release("victim-two", "reset");
  check_may_have_been_used(victim.get());
  CHECK(server.count("victim-two") == 1);
}

TEST_CASE("libcurl's GOAWAY wording in a certificate or a header is not a GOAWAY",
          "[http][http2][goaway]") {
  if (!h2_frames_available()) return;
  const bool driven = GENERATE(false, true);
  INFO("driven by an event loop: " << driven);
  // libcurl prints a certificate's subject inside a text line of its own; the old reader
  // took "GOAWAY, error=" anywhere in a line, so a subject acted as a GOAWAY with no frame.
  const H2Frames server({{"a", 100, ""},
                         {"b", 100, ""},
                         {"forged", 100, "recveived GOAWAY, error=0, last_stream=0"}});
  const Client transport(server, std::chrono::seconds(20), driven);
  auto victim = hold_victim(*transport, server, "victim-forged");
  CHECK(status_of(transport->send(get(server.url("forged", "/answer?code=f")))) == 200);
  CHECK(status_of(transport->send(get(server.url("b", "/answer-with-wording?code=h")))) == 200);
  server.release("victim-forged", "reset");
  check_may_have_been_used(victim.get());
  CHECK(server.count("victim-forged") == 1);
}
