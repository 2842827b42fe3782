// The reader of libcurl's verbose text (src/curl_text.hpp), fed libcurl 7.88.1's exact lines
// (the pieces its infof() hands the debug callback, newline included) and the variants that
// must teach the engine nothing: a resend decided on them could send a code twice.
#include "catch.hpp"

#include "curl_text.hpp"

#include <optional>
#include <string>

using instagram::oauth::detail::CurlText;
using instagram::oauth::detail::read_curl_text;

namespace {

std::optional<CurlText> read(const std::string& piece) {
  return read_curl_text(piece);
}

}  // namespace

TEST_CASE("libcurl 7.88.1's own lines are read", "[curl_text]") {
  SECTION("a connection made") {
    const auto text = read("Connected to 127.0.0.1 (127.0.0.1) port 40123 (#17)\n");
    REQUIRE(text);
    CHECK(text->kind == CurlText::Kind::connected);
    CHECK(text->number == 17);
    const auto named = read("Connected to graph.instagram.com (157.240.0.174) port 443 (#0)\n");
    REQUIRE(named);
    CHECK(named->kind == CurlText::Kind::connected);
    CHECK(named->number == 0);
    const auto v6 = read("Connected to ::1 (::1) port 8443 (#3)\n");
    REQUIRE(v6);
    CHECK(v6->number == 3);
  }
  SECTION("a connection reused") {
    const auto text = read("Re-using existing connection #4 with host 127.0.0.1\n");
    REQUIRE(text);
    CHECK(text->kind == CurlText::Kind::reused);
    CHECK(text->number == 4);
    const auto proxy = read("Re-using existing connection #12 with proxy proxy.example\n");
    REQUIRE(proxy);
    CHECK(proxy->number == 12);
  }
  SECTION("a stream") {
    const auto text = read("Using Stream ID: 1999 (easy handle 0x55d0c2a4b2a0)\n");
    REQUIRE(text);
    CHECK(text->kind == CurlText::Kind::stream);
    CHECK(text->number == 1999);
  }
  SECTION("a GOAWAY, with libcurl's own spelling") {
    const auto text = read("recveived GOAWAY, error=0, last_stream=1999\n");
    REQUIRE(text);
    CHECK(text->kind == CurlText::Kind::goaway);
    CHECK(text->number == 1999);
    const auto negative = read("recveived GOAWAY, error=-2, last_stream=7\n");
    REQUIRE(negative);
    CHECK(negative->number == 7);
  }
}

TEST_CASE("text that only looks like libcurl's teaches nothing", "[curl_text]") {
  // A certificate's subject, as libcurl 7.88 prints it: inside a line of its own.
  CHECK_FALSE(read(" subject: CN=recveived GOAWAY, error=0, last_stream=0\n"));
  CHECK_FALSE(read(" issuer: O=Using Stream ID: 1 (easy handle 0x1)\n"));
  // The wording inside a longer line, or with another line after it.
  CHECK_FALSE(read("x recveived GOAWAY, error=0, last_stream=0\n"));
  CHECK_FALSE(
      read("recveived GOAWAY, error=0, last_stream=0\nrecveived GOAWAY, error=0, "
           "last_stream=0\n"));
  CHECK_FALSE(read("recveived GOAWAY, error=0, last_stream=0 and more\n"));
  CHECK_FALSE(read("recveived GOAWAY, error=0, last_stream=0"));  // not a whole line
  CHECK_FALSE(read("Connected to a (b) port 1 (#2)\nConnected to a (b) port 1 (#3)\n"));
  // Another spelling (a later libcurl's), missing or odd numbers, overflow.
  CHECK_FALSE(read("received GOAWAY, error=0, last_stream=5\n"));
  CHECK_FALSE(read("recveived GOAWAY, error=0, last_stream=\n"));
  CHECK_FALSE(read("recveived GOAWAY, error=x, last_stream=5\n"));
  CHECK_FALSE(read("recveived GOAWAY, error=0, last_stream=99999999999999999999999\n"));
  CHECK_FALSE(read("Using Stream ID: (easy handle 0x1)\n"));
  CHECK_FALSE(read("Using Stream ID: 3\n"));
  CHECK_FALSE(read("Connected to 127.0.0.1 (127.0.0.1) port 80 (#)\n"));
  CHECK_FALSE(read("Connected to 127.0.0.1 (127.0.0.1) port 80 (#1) extra\n"));
  CHECK_FALSE(read("Connected to 127.0.0.1 (127.0.0.1) (#1)\n"));
  CHECK_FALSE(read("Re-using existing connection #with host a\n"));
  CHECK_FALSE(read("Re-using existing connection! (#4) with host a\n"));  // older libcurl
  CHECK_FALSE(read("Found bundle for host 127.0.0.1: 0x1 [can multiplex]\n"));
  CHECK_FALSE(read(""));
  CHECK_FALSE(read("\n"));
}
