// How a finished libcurl transfer maps to the transport's result (src/curl_answer.hpp),
// without sockets: each libcurl result the engine meets, with exact categories and messages.
#include "catch.hpp"
#include "failure.hpp"

#include "curl_answer.hpp"

#include <string>

using namespace instagram::oauth;
using detail::AnswerContext;
using detail::map_transfer_end;
using detail::TransferEnd;
using testing::Failure;
using testing::failure_of;

namespace {

const AnswerContext context{1024, {"alice:S3cret"}};

const std::string not_sent_again =
    "the connection closed after the request was sent and before an answer; it was not sent "
    "again, since it may have reached the server (an authorization code may have been used: "
    "start a new login)";

TransferEnd ended(CURLcode code, int request_starts = 1) {
  TransferEnd end;
  end.code = code;
  end.request_starts = request_starts;
  return end;
}

}  // namespace

TEST_CASE("an answer is the answer, whatever its status", "[curl_answer]") {
  TransferEnd end;
  end.status = 400;
  end.content_type = "application/json";
  end.body = R"({"error_type":"OAuthException"})";
  end.request_starts = 1;
  const Result<HttpResponse> answer = map_transfer_end(end, context);
  REQUIRE(answer.has_value());
  CHECK(answer->status == 400);
  CHECK(answer->content_type == "application/json");
  CHECK(answer->body == R"({"error_type":"OAuthException"})");
}

TEST_CASE("a redirect is refused, naming only the host", "[curl_answer]") {
  TransferEnd end;
  end.status = 307;
  end.redirect_url = "https://evil.example:8443/steal?client_secret=s3cr3t-value";
  const Result<HttpResponse> answer = map_transfer_end(end, context);
  CHECK(failure_of(answer) ==
        Failure{ErrorCategory::invalid_response,
                "the server answered HTTP 307 with a redirect to evil.example:8443; redirects "
                "are not followed"});
  CHECK(answer.error().http_status() == 307);
}

TEST_CASE("an HTTP/2 answer that came before the body was read is the answer", "[curl_answer]") {
  TransferEnd end = ended(CURLE_HTTP2_STREAM);
  end.status = 200;
  end.body = "{}";
  end.content_length = 2;
  CHECK(detail::answered_before_the_body_was_read(end));
  CHECK(map_transfer_end(end, context).has_value());
  end.content_length = 3;  // cut short: not the whole answer
  CHECK_FALSE(detail::answered_before_the_body_was_read(end));
  end.content_length = 2;
  end.error_buffer = "HTTP/2 stream 7 was not closed cleanly: PROTOCOL_ERROR (err 1)";
  CHECK_FALSE(detail::answered_before_the_body_was_read(end));  // libcurl said why: an error
}

TEST_CASE("each libcurl failure maps to its category and says whether it went out",
          "[curl_answer]") {
  SECTION("a time limit") {
    TransferEnd end = ended(CURLE_OPERATION_TIMEDOUT);
    end.error_buffer = "Operation timed out after 3001 milliseconds with 0 bytes received";
    CHECK(failure_of(map_transfer_end(end, context)) ==
          Failure{ErrorCategory::timeout,
                  "the request timed out: Operation timed out after 3001 milliseconds with 0 "
                  "bytes received"});
  }
  SECTION("an answer over the cap, also a chunked one the write callback stopped") {
    const Failure too_large{ErrorCategory::invalid_response,
                            "the answer is larger than max_response_bytes (1024 bytes)"};
    CHECK(failure_of(map_transfer_end(ended(CURLE_FILESIZE_EXCEEDED), context)) == too_large);
    TransferEnd stopped = ended(CURLE_WRITE_ERROR);
    stopped.body_too_large = true;
    CHECK(failure_of(map_transfer_end(stopped, context)) == too_large);
  }
  SECTION("a URL libcurl refuses") {
    CHECK(failure_of(map_transfer_end(ended(CURLE_URL_MALFORMAT, 0), context)) ==
          Failure{ErrorCategory::invalid_argument,
                  "the request URL was refused: URL using bad/illegal format or missing URL"});
  }
  SECTION("sent, and no answer began: it may have been used") {
    for (const CURLcode code : {CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR,
                                CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM}) {
      INFO(code);
      CHECK(failure_of(map_transfer_end(ended(code), context)) ==
            Failure{ErrorCategory::transport, not_sent_again});
    }
    // libcurl wanted to send it again (the pre-request callback stopped it), or could not rewind.
    CHECK(failure_of(map_transfer_end(ended(CURLE_ABORTED_BY_CALLBACK, 2), context)) ==
          Failure{ErrorCategory::transport, not_sent_again});
    CHECK(failure_of(map_transfer_end(ended(CURLE_SEND_FAIL_REWIND), context)) ==
          Failure{ErrorCategory::transport, not_sent_again});
  }
  SECTION("never sent: the connection failed, said with libcurl's error") {
    TransferEnd end = ended(CURLE_COULDNT_CONNECT, 0);
    end.error_buffer = "Failed to connect to 127.0.0.1 port 9 after 0 ms: Connection refused";
    CHECK(failure_of(map_transfer_end(end, context)) ==
          Failure{ErrorCategory::transport,
                  "Failed to connect to 127.0.0.1 port 9 after 0 ms: Connection refused "
                  "(libcurl error 7)"});
  }
  SECTION("an answer cut short after it began") {
    TransferEnd end = ended(CURLE_PARTIAL_FILE);
    end.status = 200;
    end.error_buffer = "transfer closed with 10 bytes remaining to read";
    CHECK(failure_of(map_transfer_end(end, context)) ==
          Failure{ErrorCategory::invalid_response,
                  "the answer was cut short: transfer closed with 10 bytes remaining to read"});
  }
  SECTION("a proxy's credentials never show") {
    TransferEnd end = ended(CURLE_COULDNT_RESOLVE_PROXY, 0);
    end.error_buffer = "Could not resolve proxy: alice:S3cret@proxy.invalid";
    CHECK(failure_of(map_transfer_end(end, context)) ==
          Failure{ErrorCategory::transport,
                  "Could not resolve proxy: (redacted)@proxy.invalid (libcurl error 5)"});
  }
}
