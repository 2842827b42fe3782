// One request through a transport, blocking, with a callback or with a future, and its
// answer mapped: the one path of TokenExchanger and ProfileClient.
#pragma once

#include "meta_usage.hpp"
#include "secret_mask.hpp"

#include <instagram/oauth/http.hpp>
#include <instagram/oauth/telemetry.hpp>

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
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

// The newest usage figures a client's answers carried (TokenExchanger::meta_usage()).
class MetaUsageSeen {
 public:
  void keep(const MetaUsage& usage) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!newest_ || usage.received_at >= newest_->received_at) newest_ = usage;
  }
  std::optional<MetaUsage> newest() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return newest_;
  }

 private:
  mutable std::mutex mutex_;
  std::optional<MetaUsage> newest_;
};

// What a client reports of each call: to its transport's telemetry, and the usage it saw.
struct Measure {
  std::shared_ptr<Telemetry> telemetry;  // none: nothing told
  Endpoint endpoint{};
  std::shared_ptr<MetaUsageSeen> seen;  // none: not kept
};

// `error` as it is, and the usage figures its answer carried.
inline OAuthException carrying(const OAuthException& error, const MetaUsage& usage) {
  ErrorDetails details = error.details();
  details.meta_usage = usage;
  return OAuthException(std::move(details));
}

// `map` wrapped so that the call is measured (from the wrapper's making to the answer
// mapped) and Meta's usage headers are read: told to the telemetry, kept in `seen`, and
// carried by the error when the answer is one. What the telemetry throws is dropped.
template <class T, class Map>
struct Measured {
  Map map;
  Measure measure;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  Result<T> operator()(const Result<HttpResponse>& response) const {
    Result<T> value = map(response);
    std::optional<MetaUsage> usage;
    if (response) usage = meta_usage_of(response->headers, std::chrono::system_clock::now());
    if (usage) {
      if (measure.seen) measure.seen->keep(*usage);
      if (!value) value = carrying(value.error(), *usage);
    }
    if (measure.telemetry) {
      RequestMeasurement done;
      done.endpoint = measure.endpoint;
      done.duration = std::chrono::steady_clock::now() - started;
      done.http_status = response ? response->status : response.error().http_status();
      if (!value) done.error = value.error().category();
      try {
        if (usage) measure.telemetry->meta_usage(*usage);
        measure.telemetry->request_done(done);
      } catch (...) {  // NOLINT(bugprone-empty-catch): telemetry never changes an answer
      }
    }
    return value;
  }
};

// `map(answer)` for the answer to `request`; a failed request is returned as it is (the
// transport, null then, is not touched).
template <class T, class Map>
Result<T> call(HttpTransport* transport, const Result<HttpRequest>& request, Map map,
               Measure measure) {
  if (!request) return request.error();
  const Measured<T, Map> measured{std::move(map), std::move(measure)};
  Result<HttpResponse> response = [&]() -> Result<HttpResponse> {
    try {
      return transport->send(*request);
    } catch (...) {
      return thrown_by_transport();
    }
  }();
  return measured(response);
}

// As call(), delivering to `done` exactly once, even when a user's transport both calls back
// and throws; what `done` throws is caught and dropped. `map` keeps its own copies of what
// it needs: the call returns at once.
template <class T, class Map>
void call_async(HttpTransport* transport, Result<HttpRequest> request, Map map, Measure measure,
                std::function<void(Result<T>)> done) {
  struct Pending {
    Pending(Measured<T, Map> answer_map, std::function<void(Result<T>)> callback)
        : map(std::move(answer_map)), done(std::move(callback)) {}
    Measured<T, Map> map;
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
  if (!request) {
    try {
      done(request.error());
    } catch (...) {  // NOLINT(bugprone-empty-catch): as on the engine thread
    }
    return;
  }
  auto pending = std::make_shared<Pending>(Measured<T, Map>{std::move(map), std::move(measure)},
                                           std::move(done));
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
