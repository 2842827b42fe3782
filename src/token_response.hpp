// The JSON mapping, in one place, of every answer shape of the token endpoints.
#pragma once

#include "secret_mask.hpp"

#include <instagram/oauth/http.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/token.hpp>

#include <chrono>

namespace instagram::oauth::detail {

// An AccessToken from any documented success shape, an `api` error from any documented
// error shape, or `invalid_response` (with a body excerpt from which `secrets` and every
// secret-looking value are masked) for anything else.
// `received` is when the answer arrived: expires_at = received + expires_in.
Result<AccessToken> read_token_response(const HttpResponse& response,
                                        std::chrono::system_clock::time_point received,
                                        Secrets secrets = {});

}  // namespace instagram::oauth::detail
