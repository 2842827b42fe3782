// A transport that answers with a fixed HttpResponse and records what it was asked:
// for the JSON mapping, which does not need a network.
#pragma once

#include <instagram/oauth/http.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace instagram::oauth::testing {

class StubTransport final : public HttpTransport {
 public:
  explicit StubTransport(HttpResponse fixed_answer) : answer(std::move(fixed_answer)) {}
  explicit StubTransport(OAuthException fixed_failure) : failure(std::move(fixed_failure)) {}

  Result<HttpResponse> send(const HttpRequest& request) override {
    requests.push_back(request);
    if (failure) return *failure;
    return answer;
  }

  HttpResponse answer;                    // what every request gets, unless failure is set
  std::optional<OAuthException> failure;  // what every request fails with, when set
  std::vector<HttpRequest> requests;      // what it was asked, in order
};

inline HttpResponse json_answer(int status, std::string body) {
  return HttpResponse{status, "application/json", std::move(body), {}};
}

}  // namespace instagram::oauth::testing
