// parse_signed_request with Meta's test vector and every way it can be wrong;
// data_deletion_response's JSON.
#include "catch.hpp"
#include "failure.hpp"

#include <instagram/oauth/signed_request.hpp>

#include "meta_signed.hpp"

#include <nlohmann/json.hpp>

#include <string>

using namespace instagram::oauth;
using testing::Failure;
using testing::failure_of;

namespace {

// Secret "appsecret", payload
// {"algorithm":"HMAC-SHA256","expires":1291840400,"issued_at":1291836800,"user_id":"218471"}
const std::string vector_signature = "N32LNcvDGXq0GI1jxm-tj1ysJh2uqkNIBcUhUmTp19k";
const std::string vector_payload =
    "eyJhbGdvcml0aG0iOiJITUFDLVNIQTI1NiIsImV4cGlyZXMiOjEyOTE4NDA0MDAsImlzc3VlZF9hdCI6MTI5MTgzNjgw"
    "MCwidXNlcl9pZCI6IjIxODQ3MSJ9";
const std::string test_vector = vector_signature + "." + vector_payload;

const Failure bad_signature{ErrorCategory::invalid_signature,
                            "the signed_request's signature does not verify with the app secret"};

}  // namespace

TEST_CASE("Meta's test vector reads user 218471", "[signed_request]") {
  const Result<SignedRequest> request = parse_signed_request(test_vector, "appsecret");
  REQUIRE(request);
  CHECK(request->user_id == "218471");
  CHECK(request->algorithm == "HMAC-SHA256");
  CHECK(request->issued_at == std::optional<std::int64_t>(1291836800));
  CHECK(request->expires == std::optional<std::int64_t>(1291840400));
  CHECK(
      request->payload_json ==
      R"({"algorithm":"HMAC-SHA256","expires":1291840400,"issued_at":1291836800,"user_id":"218471"})");
}

TEST_CASE("padding and the +/ alphabet are tolerated, the digest decides", "[signed_request]") {
  CHECK(parse_signed_request(vector_signature + "=." + vector_payload, "appsecret").has_value());
  std::string standard = vector_signature;
  for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
  CHECK(parse_signed_request(standard + "." + vector_payload, "appsecret").has_value());
}

TEST_CASE("a flipped byte, another secret or an empty one never verify", "[signed_request]") {
  for (std::size_t i = 0; i < test_vector.size(); ++i) {
    if (test_vector[i] == '.') continue;
    std::string flipped = test_vector;
    flipped[i] = flipped[i] == 'A' ? 'B' : 'A';
    INFO("position " << i);
    const Result<SignedRequest> request = parse_signed_request(flipped, "appsecret");
    REQUIRE_FALSE(request);
    CHECK((request.error().category() == ErrorCategory::invalid_signature ||
           request.error().category() == ErrorCategory::invalid_argument));
  }
  CHECK(failure_of(parse_signed_request(test_vector, "other-secret")) == bad_signature);
  CHECK(failure_of(parse_signed_request(test_vector, "")) ==
        Failure{ErrorCategory::invalid_argument, "the app secret is empty"});
}

TEST_CASE("malformed text, wrong algorithm, numeric ids above 2^53, garbage", "[signed_request]") {
  CHECK(
      testing::meta_signed(
          R"({"algorithm":"HMAC-SHA256","expires":1291840400,"issued_at":1291836800,"user_id":"218471"})",
          "appsecret") == test_vector);  // the helper makes Meta's vector
  const Result<SignedRequest> numeric = parse_signed_request(
      testing::meta_signed(R"({"algorithm":"HMAC-SHA256","user_id":17841405793187219})", "s"), "s");
  REQUIRE(numeric);
  CHECK(numeric->user_id == "17841405793187219");
  CHECK(failure_of(parse_signed_request(
            testing::meta_signed(R"({"algorithm":"HMAC-SHA1","user_id":"1"})", "s"), "s")) ==
        Failure{ErrorCategory::invalid_signature,
                "the signed_request's algorithm is not HMAC-SHA256"});
  CHECK(failure_of(parse_signed_request(testing::meta_signed(R"({"algorithm":"HMAC-SHA256"})", "s"),
                                        "s")) ==
        Failure{ErrorCategory::invalid_argument,
                "the signed_request has no user_id of decimal digits"});
  CHECK(failure_of(parse_signed_request(testing::meta_signed("[1,2]", "s"), "s")) ==
        Failure{ErrorCategory::invalid_argument,
                "the signed_request's payload is not a JSON object"});
  CHECK(failure_of(parse_signed_request("no-dot", "appsecret")) ==
        Failure{ErrorCategory::invalid_argument, "the signed_request is not signature.payload"});
  CHECK(failure_of(parse_signed_request(".x", "appsecret")) ==
        Failure{ErrorCategory::invalid_argument, "the signed_request is not signature.payload"});
  CHECK(
      failure_of(parse_signed_request("a!b." + vector_payload, "appsecret")) ==
      Failure{ErrorCategory::invalid_argument, "the signed_request's signature is not base64url"});
  const std::string garbage(1 << 20, 'x');
  CHECK(failure_of(parse_signed_request(garbage + "." + garbage, "appsecret")).category ==
        ErrorCategory::invalid_signature);
}

TEST_CASE("data_deletion_response is the JSON Meta expects", "[signed_request]") {
  const std::string answer =
      data_deletion_response("https://example.com/deletion?id=abc123", "abc123");
  CHECK(answer ==
        R"({"confirmation_code":"abc123","url":"https://example.com/deletion?id=abc123"})");
  const auto parsed = nlohmann::json::parse(data_deletion_response("https://x/\"\n", "a\xff"));
  CHECK(parsed.at("url") == "https://x/\"\n");
}
