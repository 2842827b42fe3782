// One request through a transport, blocking, with a callback or with a future, and its
// answer mapped: the one path of TokenExchanger and ProfileClient.
#pragma once

#include "secret_mask.hpp"

#include <instagram/oauth/http.hpp>

#include <atomic>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <utility>

namespace instagram::oauth::detail {

// What a transport threw, as an error; call inside a catch block. Nothing else escapes.
OAuthException thrown_by_transport();

// The curl transport for `options`, or invalid_argument naming what makes them unusable:
// the first half of TokenExchanger::create and ProfileClient::create.
Result<std::shared_ptr<HttpTransport>> usable_curl_transport(const ClientOptions& options);

// An answer read by `Read`, with the client secret and the code or token the request
// carried masked out of any error: the map of call() and call_async().
template <class T, Result<T> (*Read)(const HttpResponse&, Secrets)>
struct MaskedAnswer {
  std::string client_secret;
  std::string secret;

  Result<T> operator()(const Result<HttpResponse>& response) const {
    if (!response) return mask_error(response.error(), {client_secret, secret});
    Result<T> value = Read(*response, {client_secret, secret});
    if (!value) return mask_error(value.error(), {client_secret, secret});
    return value;
  }
};

// `map(answer)` for the answer to `request`; a failed request is returned as it is (the
// transport, null then, is not touched).
template <class T, class Map>
Result<T> call(HttpTransport* transport, const Result<HttpRequest>& request, const Map& map) {
  if (!request) return request.error();
  Result<HttpResponse> response = [&]() -> Result<HttpResponse> {
    try {
      return transport->send(*request);
    } catch (...) {
      return thrown_by_transport();
    }
  }();
  return map(response);
}

// As call(), delivering to `done` exactly once, even when a user's transport both calls back
// and throws; what `done` throws is caught and dropped. `map` keeps its own copies of what
// it needs: the call returns at once.
template <class T, class Map>
void call_async(HttpTransport* transport, Result<HttpRequest> request, Map map,
                std::function<void(Result<T>)> done) {
  struct Pending {
    Pending(Map answer_map, std::function<void(Result<T>)> callback)
        : map(std::move(answer_map)), done(std::move(callback)) {}
    Map map;
    std::function<void(Result<T>)> done;
    std::atomic<bool> answered{false};

    void answer(const Result<HttpResponse>& response) {
      if (answered.exchange(true)) return;
      try {
        done(map(response));
      } catch (...) {  // NOLINT(bugprone-empty-catch): as on the engine thread
      }
    }
  };
  auto pending = std::make_shared<Pending>(std::move(map), std::move(done));
  if (!request) return pending->answer(request.error());
  try {
    transport->send_async(std::move(*request),
                          [pending](Result<HttpResponse> response) { pending->answer(response); });
  } catch (...) {
    pending->answer(thrown_by_transport());
  }
}

// The callback form of an async call turned into a future.
template <class T, class Start>
std::future<Result<T>> as_future(Start&& start) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  std::future<Result<T>> future = promise->get_future();
  start([promise](Result<T> result) { promise->set_value(std::move(result)); });
  return future;
}

}  // namespace instagram::oauth::detail
