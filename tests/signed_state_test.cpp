// StateSigner: the round trip, and every tamper an attacker can try.
#include "catch.hpp"
#include "failure.hpp"

#include <instagram/oauth/signed_state.hpp>

#include <chrono>
#include <string>

using namespace instagram::oauth;
using namespace std::chrono_literals;
using testing::Failure;
using testing::failure_of;

namespace {

const std::string key_one(32, 'k');
const std::string key_two = "another-key-of-at-least-32-bytes!";

Failure mismatch(std::string message) {
  return Failure{ErrorCategory::state_mismatch, std::move(message)};
}

// The deprecated constructor keeps its behaviour until it is removed: unusable keys or ttl
// are reported by every call.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
StateSigner made_by_constructor(std::vector<std::string> keys,
                                std::chrono::seconds ttl = std::chrono::minutes(10)) {
  return StateSigner(std::move(keys), ttl);
}
#pragma GCC diagnostic pop

}  // namespace

TEST_CASE("a signed state round-trips, URL-safe and short", "[signed_state]") {
  const StateSigner signer = StateSigner::create({key_one}).value();
  const std::string state = signer.issue("browser-cookie-value").value();
  CHECK(state.size() < 200);
  CHECK(
      state.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
      std::string::npos);
  CHECK(signer.verify(state, "browser-cookie-value").value().empty());
  CHECK(signer.issue("browser-cookie-value").value() != state);  // a fresh nonce each time
  const std::string with_path = signer.issue("b", "/account?tab=media").value();
  CHECK(signer.verify(with_path, "b").value() == "/account?tab=media");
}

TEST_CASE("every tamper is state_mismatch saying which", "[signed_state]") {
  auto now = std::chrono::system_clock::now();
  const StateSigner signer = StateSigner::create({key_one}, 10min, [&] { return now; }).value();
  const std::string state = signer.issue("mine").value();
  // One byte flipped anywhere: never accepted.
  for (std::size_t i = 0; i < state.size(); ++i) {
    std::string flipped = state;
    flipped[i] = flipped[i] == 'A' ? 'B' : 'A';
    INFO("position " << i);
    CHECK(failure_of(signer.verify(flipped, "mine")).category == ErrorCategory::state_mismatch);
  }
  CHECK(failure_of(signer.verify(state.substr(0, 40), "mine")) ==
        mismatch("the state is truncated"));
  CHECK(failure_of(signer.verify("not base64!", "mine")) ==
        mismatch("the state is not one this site signed (malformed)"));
  CHECK(failure_of(signer.verify(state, "someone-else")) ==
        mismatch("the state was issued to another browser"));
  now += 10min + 1s;
  CHECK(failure_of(signer.verify(state, "mine")) ==
        mismatch("the state expired (issued 601 s ago, valid for 600 s)"));
}

TEST_CASE("keys rotate: keys[0] signs, every key verifies, a removed key does not",
          "[signed_state]") {
  const std::string old_state = StateSigner::create({key_one}).value().issue("b").value();
  const StateSigner rotated = StateSigner::create({key_two, key_one}).value();
  CHECK(rotated.verify(old_state, "b").has_value());
  const std::string new_state = rotated.issue("b").value();
  CHECK(StateSigner::create({key_two}).value().verify(new_state, "b").has_value());
  CHECK(failure_of(StateSigner::create({key_two}).value().verify(old_state, "b")) ==
        mismatch("the state was signed with a key that is no longer configured"));
}

TEST_CASE("return_to is a path on this site, never an open redirect", "[signed_state]") {
  const StateSigner signer = StateSigner::create({key_one}).value();
  const Failure not_a_path{ErrorCategory::invalid_argument,
                           "return_to must be a path on this site, starting with a single '/'"};
  CHECK(failure_of(signer.issue("b", "//evil.com")) == not_a_path);
  CHECK(failure_of(signer.issue("b", "https://evil.com")) == not_a_path);
  CHECK(failure_of(signer.issue("b", "evil.com/x")) == not_a_path);
  CHECK(failure_of(signer.issue("b", "/\\evil.com")) ==
        Failure{ErrorCategory::invalid_argument,
                "return_to must not contain backslashes or control characters"});
  CHECK(failure_of(signer.issue("b", "/a\r\nSet-Cookie: x")) ==
        Failure{ErrorCategory::invalid_argument,
                "return_to must not contain backslashes or control characters"});
  CHECK(signer.issue("b", "/").has_value());
}

TEST_CASE("an empty binding, state or key is refused, never a match", "[signed_state]") {
  const StateSigner signer = StateSigner::create({key_one}).value();
  CHECK(failure_of(signer.issue("")) ==
        Failure{ErrorCategory::invalid_argument, "the browser binding is empty"});
  const std::string state = signer.issue("b").value();
  // At the callback an empty binding is the browser's (no cookie): a mismatch, with the hint.
  const Result<std::string> no_binding = signer.verify(state, "");
  CHECK(failure_of(no_binding) ==
        Failure{ErrorCategory::state_mismatch,
                "this browser holds no sign-in binding (its cookie expired, or the sign-in "
                "began in another browser)"});
  CHECK(no_binding.error().hint() ==
        "start the sign-in again from this browser: the one that came back expired, began in "
        "another browser, or was altered");
  CHECK(failure_of(signer.verify("", "b")) ==
        Failure{ErrorCategory::invalid_argument, "the state is empty"});
  CHECK(failure_of(made_by_constructor({}).issue("b")) ==
        Failure{ErrorCategory::invalid_argument, "StateSigner needs at least one key"});
  CHECK(failure_of(made_by_constructor({""}).issue("b")) ==
        Failure{ErrorCategory::invalid_argument, "each StateSigner key must be at least 32 bytes"});
  CHECK(failure_of(made_by_constructor({std::string(31, 'k')}).verify(state, "b")) ==
        Failure{ErrorCategory::invalid_argument, "each StateSigner key must be at least 32 bytes"});
  CHECK(failure_of(made_by_constructor({key_one}, 0s).issue("b")) ==
        Failure{ErrorCategory::invalid_argument, "the StateSigner ttl must be positive"});
}

TEST_CASE("StateSigner::create refuses short keys at start-up, not at the first login",
          "[signed_state]") {
  CHECK(StateSigner::create({std::string(32, 'k')}).has_value());
  CHECK(testing::failure_of(StateSigner::create({"short"})) ==
        testing::Failure{ErrorCategory::invalid_argument,
                         "each StateSigner key must be at least 32 bytes"});
  CHECK(testing::failure_of(StateSigner::create({})) ==
        testing::Failure{ErrorCategory::invalid_argument, "StateSigner needs at least one key"});
}
