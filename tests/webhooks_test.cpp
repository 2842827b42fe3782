// webhooks.hpp: X-Hub-Signature-256 with GitHub's published example and Meta's escaping;
// the subscription handshake with koala's published values.
#include "catch.hpp"
#include "failure.hpp"

#include <instagram/oauth/webhooks.hpp>

#include <cctype>
#include <string>
#include <vector>

using namespace instagram::oauth;
using testing::Failure;
using testing::failure_of;

namespace {
// GitHub's documented webhook example (the same scheme: "sha256=" + hex HMAC-SHA256).
const std::string github_secret = "It's a Secret to Everybody";
const std::string github_body = "Hello, World!";
const std::string github_signature =
    "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

const Failure no_secret_verifies{
    ErrorCategory::invalid_signature,
    "the webhook's X-Hub-Signature-256 does not verify with any app secret"};
const Failure not_a_signature{
    ErrorCategory::invalid_argument,
    "the X-Hub-Signature-256 header is not \"sha256=\" and 64 hex digits"};
}  // namespace

TEST_CASE("GitHub's published example verifies, in either case", "[webhooks]") {
  CHECK(verify_webhook_signature(github_body, github_signature, {github_secret}).has_value());
  std::string upper = github_signature;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(upper.rfind("SHA256=", 0) == 0);
  CHECK(verify_webhook_signature(github_body, upper, {github_secret}).has_value());
}

TEST_CASE("any of several secrets verifies: the Instagram app's, the Meta app's, an old one",
          "[webhooks]") {
  CHECK(verify_webhook_signature(github_body, github_signature,
                                 {"instagram-app-secret", github_secret})
            .has_value());
  CHECK(failure_of(verify_webhook_signature(github_body, github_signature,
                                            {"instagram-app-secret", "meta-app-secret"})) ==
        no_secret_verifies);
}

TEST_CASE("the raw bytes are signed: a re-serialised body does not verify", "[webhooks]") {
  // Meta escapes non-ASCII in the body it signs; the same JSON with the raw character is
  // another byte string.
  const std::string as_sent = R"({"entry":[{"changes":[{"value":{"text":"K\u00e4se"}}]}]})";
  const std::string reserialised =
      "{\"entry\":[{\"changes\":[{\"value\":{\"text\":\"K\xc3\xa4se\"}}]}]}";
  const std::string secret = "0123456789abcdef0123456789abcdef";
  // sha256=HMAC(secret, as_sent), computed with openssl dgst.
  const std::string header =
      "sha256=640ed4b2505c4d9175af027a7d0fe6d0379182e4e5c37376fa356e29dcc02857";
  const Result<void> verified = verify_webhook_signature(as_sent, header, {secret});
  CHECK(verified.has_value());
  CHECK(failure_of(verify_webhook_signature(reserialised, header, {secret})) == no_secret_verifies);
}

TEST_CASE("a flipped byte of the body or the signature never verifies", "[webhooks]") {
  for (std::size_t i = 0; i < github_body.size(); ++i) {
    std::string body = github_body;
    body[i] ^= 1;
    CHECK(failure_of(verify_webhook_signature(body, github_signature, {github_secret})) ==
          no_secret_verifies);
  }
  for (std::size_t i = 7; i < github_signature.size(); ++i) {
    std::string header = github_signature;
    header[i] = header[i] == '0' ? '1' : '0';
    CHECK(failure_of(verify_webhook_signature(github_body, header, {github_secret})) ==
          no_secret_verifies);
  }
}

TEST_CASE("headers not of the form, and missing secrets, are refused before any HMAC",
          "[webhooks]") {
  for (const std::string& header :
       {std::string(), std::string("sha256="), github_signature.substr(0, 70),
        github_signature + "0", "sha1=" + github_signature.substr(7),
        "sha256:" + github_signature.substr(7), " " + github_signature,
        github_signature.substr(0, 70) + "zz"}) {
    INFO(header);
    CHECK(failure_of(verify_webhook_signature(github_body, header, {github_secret})) ==
          not_a_signature);
  }
  CHECK(failure_of(verify_webhook_signature(github_body, github_signature, {})) ==
        Failure{ErrorCategory::invalid_argument,
                "no app secret to check the webhook signature with"});
  CHECK(
      failure_of(verify_webhook_signature(github_body, github_signature, {github_secret, ""})) ==
      Failure{ErrorCategory::invalid_argument, "an app secret for the webhook signature is empty"});
}

// koala's facebook_data.yml: subscription_test_data.
TEST_CASE("the subscription handshake returns the challenge", "[webhooks]") {
  const std::string verify_token = "myverificationtoken|1f54545d5f722733e17faae15377928f";
  const std::string query =
      "hub.mode=subscribe&hub.challenge=1290024882&hub.verify_token=myverificationtoken%"
      "7C1f54545d5f722733e17faae15377928f";
  const Result<std::string> challenge = webhook_challenge(query, verify_token);
  REQUIRE(challenge);
  CHECK(*challenge == "1290024882");
  CHECK(*webhook_challenge("?" + query, verify_token) == "1290024882");
  CHECK(
      failure_of(webhook_challenge(query, "another-token")) ==
      Failure{ErrorCategory::invalid_signature, "hub.verify_token is not this app's verify token"});
}

TEST_CASE("a handshake that is not one is refused, each way by name", "[webhooks]") {
  const std::string token = "our-verify-token";
  const auto refused = [&](const std::string& query) {
    return failure_of(webhook_challenge(query, token));
  };
  CHECK(refused("hub.mode=subscribe&hub.verify_token=our-verify-token") ==
        Failure{ErrorCategory::invalid_argument, "the handshake has no hub.challenge"});
  CHECK(refused("hub.challenge=1&hub.verify_token=our-verify-token") ==
        Failure{ErrorCategory::invalid_argument, "the handshake has no hub.mode"});
  CHECK(refused("hub.mode=subscribe&hub.challenge=1") ==
        Failure{ErrorCategory::invalid_argument, "the handshake has no hub.verify_token"});
  CHECK(refused("hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=our-verify-token") ==
        Failure{ErrorCategory::invalid_argument, "hub.mode is not \"subscribe\""});
  CHECK(refused("hub.mode=subscribe&hub.challenge=1&hub.challenge=2&hub.verify_token=our-verify-"
                "token") ==
        Failure{ErrorCategory::invalid_argument, "the handshake has hub.challenge more than once"});
  // Reflected into the answer: only digits, as Meta sends, so no script or header rides it.
  for (const std::string& challenge :
       std::vector<std::string>{"%3Cscript%3E", "12a", "", "1%0D%0AX:1", std::string(65, '1')}) {
    INFO(challenge);
    CHECK(refused("hub.mode=subscribe&hub.challenge=" + challenge +
                  "&hub.verify_token=our-verify-token") ==
          Failure{ErrorCategory::invalid_argument, "hub.challenge is not 1 to 64 digits"});
  }
  CHECK(failure_of(webhook_challenge("hub.mode=subscribe&hub.challenge=1&hub.verify_token=", "")) ==
        Failure{ErrorCategory::invalid_argument, "the webhook verify token is empty"});
}
