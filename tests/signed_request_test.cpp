// parse_signed_request with Meta's test vector and every way it can be wrong;
// data_deletion_response's JSON.
#include "catch.hpp"
#include "failure.hpp"

#include <instagram/oauth/signed_request.hpp>

#include <instagram/oauth/testing/signed_request.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

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
      testing::make_signed_request(
          R"({"algorithm":"HMAC-SHA256","expires":1291840400,"issued_at":1291836800,"user_id":"218471"})",
          "appsecret") == test_vector);  // the helper makes Meta's vector
  const Result<SignedRequest> numeric =
      parse_signed_request(testing::make_signed_request(
                               R"({"algorithm":"HMAC-SHA256","user_id":17841405793187219})", "s"),
                           "s");
  REQUIRE(numeric);
  CHECK(numeric->user_id == "17841405793187219");
  CHECK(failure_of(parse_signed_request(
            testing::make_signed_request(R"({"algorithm":"HMAC-SHA1","user_id":"1"})", "s"),
            "s")) == Failure{ErrorCategory::invalid_signature,
                             "the signed_request's algorithm is not HMAC-SHA256"});
  CHECK(failure_of(parse_signed_request(
            testing::make_signed_request(R"({"algorithm":"HMAC-SHA256"})", "s"), "s")) ==
        Failure{ErrorCategory::invalid_argument,
                "the signed_request has no user_id of decimal digits"});
  CHECK(failure_of(parse_signed_request(testing::make_signed_request("[1,2]", "s"), "s")) ==
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

// Vectors others publish, copied as strings: facebookarchive/php-graph-sdk's
// SignedRequestTest (padded, numeric user_id) and arsduo/koala's facebook_data.yml
// (unpadded, string user_id).
namespace {
const std::string php_sdk_vector =
    "U0_O1MqqNKUt32633zAkdd2Ce-jGVgRgJeRauyx_zC8=."
    "eyJvYXV0aF90b2tlbiI6ImZvb190b2tlbiIsImFsZ29yaXRobSI6IkhNQUMtU0hBMjU2IiwiaXNzdWVkX2F0IjozMjEs"
    "ImNvZGUiOiJmb29fY29kZSIsInN0YXRlIjoiZm9vX3N0YXRlIiwidXNlcl9pZCI6MTIzLCJmb28iOiJiYXIifQ==";
const std::string koala_vector =
    "zWRm0gd5oHW_jzXP_WA9CirO7c5CLHotn-SKRqH2NmU."
    "eyJhbGdvcml0aG0iOiJITUFDLVNIQTI1NiIsImV4cGlyZXMiOjEzMDE5MjIwMDAsImlzc3VlZF9hdCI6MTMwMTkxNzI5"
    "OSwib2F1dGhfdG9rZW4iOiIxMTk5MDg4MzEzNjc2MDJ8Mi56VkZfNk5yTUVMSHVKYTRnSVU5dEt3X18uMzYwMC4xMzAx"
    "OTIyMDAwLTI5MDU2MjN8emdxUHNyMkJHOUxvT0s5a2VrR2dSVVJaeDBrIiwidXNlciI6eyJjb3VudHJ5IjoiZGUiLCJs"
    "b2NhbGUiOiJkZV9ERSIsImFnZSI6eyJtaW4iOjIxfX0sInVzZXJfaWQiOiIyOTA1NjIzIn0";
const std::string koala_secret = "e45e55a333eec232d4206d2703de1307";

std::chrono::system_clock::time_point at(std::int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}
}  // namespace

TEST_CASE("the PHP Graph SDK's vector: padded, a numeric user_id", "[signed_request][vectors]") {
  const Result<SignedRequest> request = parse_signed_request(php_sdk_vector, "foo_app_secret");
  REQUIRE(request);
  CHECK(request->user_id == "123");
  CHECK(request->issued_at == std::optional<std::int64_t>(321));
  // The inputs its suite refuses: a signature or a payload that is not base64, no dot.
  CHECK(failure_of(parse_signed_request("invalid_signed_request", "foo_app_secret")) ==
        Failure{ErrorCategory::invalid_argument, "the signed_request is not signature.payload"});
  CHECK(failure_of(parse_signed_request(
            "foo_sig." + php_sdk_vector.substr(php_sdk_vector.find('.') + 1), "foo_app_secret")) ==
        bad_signature);
  CHECK(failure_of(parse_signed_request(
            php_sdk_vector.substr(0, php_sdk_vector.find('.')) + ".foo_payload",
            "foo_app_secret")) == bad_signature);
}

TEST_CASE("koala's vector: unpadded, a string user_id", "[signed_request][vectors]") {
  const Result<SignedRequest> request = parse_signed_request(koala_vector, koala_secret);
  REQUIRE(request);
  CHECK(request->user_id == "2905623");
  CHECK(request->issued_at == std::optional<std::int64_t>(1301917299));
  CHECK(request->expires == std::optional<std::int64_t>(1301922000));
}

TEST_CASE("several secrets: any one verifies, and none, or an empty one, is refused",
          "[signed_request]") {
  const std::vector<std::string> rotation{"old-secret-0123456789", koala_secret};
  const Result<SignedRequest> request = parse_signed_request(koala_vector, rotation);
  REQUIRE(request);
  CHECK(request->user_id == "2905623");
  CHECK(failure_of(parse_signed_request(koala_vector, std::vector<std::string>{"a", "b"})) ==
        Failure{ErrorCategory::invalid_signature,
                "the signed_request's signature does not verify with any app secret"});
  CHECK(failure_of(parse_signed_request(koala_vector, std::vector<std::string>{})) ==
        Failure{ErrorCategory::invalid_argument, "no app secret to check the signed_request with"});
  CHECK(
      failure_of(parse_signed_request(koala_vector, std::vector<std::string>{koala_secret, ""})) ==
      Failure{ErrorCategory::invalid_argument, "the app secret is empty"});
}

TEST_CASE("max_age: a captured callback is refused once it is older", "[signed_request]") {
  const std::vector<std::string> secrets{koala_secret};
  const std::chrono::seconds five_minutes(300);
  // issued_at 1301917299
  CHECK(parse_signed_request(koala_vector, secrets, five_minutes, at(1301917299)).has_value());
  CHECK(parse_signed_request(koala_vector, secrets, five_minutes, at(1301917599)).has_value());
  CHECK(failure_of(parse_signed_request(koala_vector, secrets, five_minutes, at(1301917600))) ==
        Failure{ErrorCategory::invalid_signature,
                "the signed_request was issued more than 300 s ago (max_age): a replay is "
                "refused"});
  CHECK(failure_of(parse_signed_request(koala_vector, secrets, five_minutes, at(1301916998))) ==
        Failure{ErrorCategory::invalid_signature,
                "the signed_request is dated more than 300 s ahead of this clock"});
  CHECK(failure_of(parse_signed_request(koala_vector, secrets, std::chrono::seconds(0))) ==
        Failure{ErrorCategory::invalid_argument,
                "max_age must be positive (0 or less would refuse everything)"});
  // Without issued_at there is no age to check: refused when max_age is asked for.
  const std::string undated =
      testing::make_signed_request(R"({"algorithm":"HMAC-SHA256","user_id":"42"})", koala_secret);
  CHECK(parse_signed_request(undated, secrets).has_value());
  CHECK(failure_of(parse_signed_request(undated, secrets, five_minutes)) ==
        Failure{ErrorCategory::invalid_signature,
                "the signed_request has no issued_at, so its age cannot be checked"});
  // The far ends of int64 do not overflow the comparison.
  const std::string ancient = testing::make_signed_request(
      R"({"algorithm":"HMAC-SHA256","user_id":"42","issued_at":-9223372036854775808})",
      koala_secret);
  CHECK(failure_of(parse_signed_request(ancient, secrets, five_minutes)).category ==
        ErrorCategory::invalid_signature);
}
