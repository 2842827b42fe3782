// Reading Instagram's JSON answers, in one place for every endpoint: the error shapes,
// non-JSON bodies, and fields kept exact (ids never pass through a double).
#pragma once

#include "secret_mask.hpp"

#include <instagram/oauth/http.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace instagram::oauth::detail {

// The answer being read, and the secrets that must not show in anything made from it.
struct Answer {
  const HttpResponse& response;
  Secrets secrets;

  // The JSON of a successful answer, or the error the answer is: any of Instagram's error
  // shapes (api), a body that is not JSON (invalid_response; timeout for 408 and 504), or
  // JSON that is no error with a status other than 2xx (invalid_response).
  std::optional<OAuthException> parse(nlohmann::json& into) const;

  // An answer that is not what the endpoint documents, with a masked excerpt of it.
  OAuthException unexpected(std::string message) const;

 private:
  OAuthException not_json() const;
  OAuthException error(std::string message, ErrorCategory category, std::string excerpt) const;
};

// The string at `key`, or empty when absent or not a string.
std::string string_field(const nlohmann::json& object, const char* key);

// A JSON number or string of decimal digits, kept exactly: ids exceed 2^53.
std::optional<std::string> decimal_field(const nlohmann::json& value);

// An id: exact digits, no leading zero, at most 20 digits (2^64 has 20).
std::optional<std::string> id_field(const nlohmann::json& value);

// A C0 control byte or DEL anywhere in `text`.
bool has_control(std::string_view text);

// `answer` itself, or the first object of its "data" list (Meta's samples wrap answers in
// {"data":[{…}]}); nullptr when data is there but is not a list of objects.
const nlohmann::json* unwrapped(const nlohmann::json& answer);

}  // namespace instagram::oauth::detail
