/// @file
/// What a redirect that granted access carries: what RedirectParser yields and what
/// TokenExchanger trades, in a header of its own so that neither needs the other.
#pragma once

#include <optional>
#include <string>

namespace instagram::oauth {

/// What a redirect that granted access carries.
struct AuthorizationCode {
  std::string code;                  ///< a secret: single use, valid for an hour
  std::optional<std::string> state;  ///< as the redirect carried it, when it did
};

}  // namespace instagram::oauth
