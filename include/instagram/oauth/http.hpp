/// @file
/// The one seam between the library and the network, and the options of its libcurl engine.
#pragma once

#include <instagram/oauth/cancellation.hpp>
#include <instagram/oauth/export.hpp>
#include <instagram/oauth/result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace instagram::oauth {

class Telemetry;

/// How a POST's form goes: application/x-www-form-urlencoded, or multipart/form-data.
enum class FormEncoding { urlencoded, multipart };
/// The two methods Instagram's endpoints use.
enum class HttpMethod { get, post };
/// negotiate: HTTP/2 over TLS when the server offers it (ALPN), else HTTP/1.1.
enum class HttpVersion { negotiate, http1_1 };

/// One request as the library hands it to a transport.
struct HttpRequest {
  HttpMethod method = HttpMethod::get;  ///< post sends `form` as the body
  std::string url;  ///< a secret when it carries client_secret or a token: never logged
  std::vector<std::pair<std::string, std::string>> form;  ///< name, value: encoded by the transport
  /// When set and cancelled before the request is handed to the network, it completes with
  /// `cancelled` and is never sent (Cancellation says when that is).
  std::shared_ptr<Cancellation> cancellation;
};

/// An answer as a transport hands it back; the library maps it (JSON answers, errors).
struct HttpResponse {
  int status = 0;            ///< the HTTP status
  std::string content_type;  ///< the Content-Type header, as sent
  std::string body;          ///< decompressed, at most ClientOptions::max_response_bytes
  /// The headers the library reads besides Content-Type (Meta's usage: x-app-usage and
  /// x-business-use-case-usage), names in lower case, values trimmed. A transport may give
  /// more; the curl transport keeps only those.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// What a transport is doing, for a service's metrics. Each field is read on its own: a
/// snapshot taken while requests run may mix moments; once every callback has run,
/// in_flight and waiting are 0 and completed counts every request.
struct TransportStats {
  std::size_t in_flight = 0;       ///< handed to the transport, callback not yet run
  std::size_t waiting = 0;         ///< of those, not yet on a connection (queued, or held back)
  std::size_t connections = 0;     ///< open now
  std::size_t pooled_handles = 0;  ///< idle libcurl handles kept for reuse (≤ 2 × max_connections)
  std::uint64_t requests_sent = 0;  ///< handed to the network, since construction
  std::uint64_t completed = 0;      ///< callbacks run (or running), since construction
};

/// `cancelled` means the request was never handed to the network: safe to send again with
/// the same code. A request that may have reached the server and ends without an answer (its
/// connection died, the transport shut down while it was out) is `transport`, saying that
/// the code may have been used.
/// The seam between the library and the network: make_curl_transport() gives the one the
/// library uses (libcurl's multi interface, on one engine thread, or driven by an event loop:
/// event_loop.hpp); a service may share one between its clients, or pass its own.
///
/// @code
/// std::shared_ptr<HttpTransport> transport = make_curl_transport(options);
/// // One engine and its connections for both clients:
/// TokenExchanger exchanger = TokenExchanger::create(app, transport).value();
/// ProfileClient profiles = ProfileClient::create(app, transport).value();
/// metrics.gauge("instagram.in_flight", transport->stats()->in_flight);
/// @endcode
class INSTAGRAM_OAUTH_EXPORT HttpTransport {
 public:
  /// Called exactly once with the answer or an error.
  using Completion = std::function<void(Result<HttpResponse>)>;

  virtual ~HttpTransport() = default;

  /// Sends once and waits: a request that may have reached the server is never retried.
  /// The curl transport's errors: invalid_argument (a URL or option it refuses; send() from
  /// inside one of its own callbacks), transport, timeout, invalid_response (a redirect, a
  /// size over the cap, a cut answer), cancelled (shut down, or max_in_flight reached).
  /// Thread-safe in the curl transport; a user's transport says for itself.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;

  /// Sends once and calls `done` exactly once with the answer or an error. The curl
  /// transport never blocks here: `done` runs on its engine thread (or, for an error found
  /// before anything was queued, on the calling thread before send_async returns).
  /// This default adapts a transport that has only a blocking send(): it calls send() and
  /// then `done` on the calling thread, so it blocks the caller for the round trip.
  virtual void send_async(HttpRequest request, Completion done);

  /// What the transport is doing; a transport that does not say returns nothing (this
  /// default). The curl transport always returns a value. Thread-safe.
  virtual std::optional<TransportStats> stats() const { return std::nullopt; }

  /// Where the clients that send through this transport report their requests and Meta's
  /// usage: the curl transport's ClientOptions::telemetry; none by default. Thread-safe.
  virtual std::shared_ptr<Telemetry> telemetry() const { return nullptr; }
};

/// How the library talks to Instagram: time limits, the answer size cap, TLS and proxy,
/// the HTTP version and how many connections and requests at once.
struct ClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};  ///< > 0
  std::chrono::milliseconds total_timeout{30'000};    ///< > 0: the whole request
  std::size_t max_response_bytes = 1 << 20;           ///< larger answers: invalid_response
  std::string ca_file;                                ///< empty: the system CA store
  /// Empty: libcurl's default, which honours https_proxy, all_proxy and no_proxy. Never
  /// used for plain http (loopback only): a proxy would see the secrets in clear text.
  std::string proxy;
  std::string user_agent;  ///< empty: "instagram-oauth-cpp/<version>"
  FormEncoding form_encoding =
      FormEncoding::urlencoded;   ///< or multipart, as the document's curl -F
  bool allow_plain_http = false;  ///< only loopback test servers; https everywhere else
  HttpVersion http_version = HttpVersion::negotiate;  ///< HTTP/2 when offered, or HTTP/1.1 only
  /// Per host. Over HTTP/2 a connection carries 100 requests at once, and the next one opens
  /// only when those are busy: 300 in flight use 3.
  std::size_t max_connections = 64;
  std::size_t max_in_flight =
      10'000;  ///< beyond it: cancelled at once, nothing queued without bound
  /// Told of every request the clients on this transport make, and of Meta's usage figures
  /// (telemetry.hpp); none: nothing is measured.
  std::shared_ptr<Telemetry> telemetry;
};

/// Thread-safe (a pure function). Why `options` cannot serve, or empty: a time limit ≤ 0 (it would
/// mean none), a user agent with control characters (header injection), a zero size cap, connection
/// count or in-flight limit. The transport and the exchanger report it as invalid_argument.
INSTAGRAM_OAUTH_EXPORT std::string client_options_problem(const ClientOptions& options);

/// libcurl behind the seam: one engine, a curl multi handle driven by one background
/// thread, sharing its connections (HTTP/2 streams where offered) among every caller. A
/// request held back for a free HTTP/2 stream counts against total_timeout while it waits.
/// TLS verification always on, redirects never followed, nothing retried that may have
/// reached the server. An HTTP/2 answer that arrives before the server read the request's
/// body (as RFC 9113 allows) is the answer. Idle libcurl handles are kept up to
/// 2 × max_connections; the rest of a burst's are freed.
///
/// Thread-safe. Destroying the last owner ends every request once and joins the engine
/// thread: what never went out with `cancelled`, what was on the wire with `transport`
/// (its code may have been used). Dropped inside a callback, on the engine thread itself,
/// the engine finishes on its own thread the same way and detaches.
///
/// Sent again, once: an HTTP/2 request on a stream above a GOAWAY's last stream id, which
/// the server says it never processed (RFC 9113 section 6.8: nginx rotates a connection this
/// way every 1,000 requests), and only on the connection that GOAWAY came on. libcurl 7.88
/// retries such a stream and a reused connection that died alike, so the engine tells them
/// apart itself, from libcurl's verbose text (on only for origins that may speak HTTP/2;
/// nothing kept): a transfer's connection number ("Connected to … (#N)", "Re-using existing
/// connection #N …"), its stream ("Using Stream ID: S …") and the GOAWAY ("recveived GOAWAY,
/// error=E, last_stream=L"), each counted only when a piece of text *is* that line of
/// libcurl's, never when it merely contains the words (a certificate's subject, say). A GOAWAY
/// applies to the streams above L of the connection of the transfer whose text carried it;
/// one whose connection is unknown is never applied. Nothing is sent again after a timeout or
/// past the request's deadline. Limits: a stream refused by RST_STREAM(REFUSED_STREAM) without
/// a GOAWAY is not told apart (libcurl 7.88 does not say which stream), nor is anything with a
/// libcurl that words its text otherwise; those stay `transport` errors, never sent twice.
///
/// fork(): the engine thread stays in the parent. In a child, a transport made before the
/// fork fails every request at once with invalid_argument naming fork(), and its destruction
/// leaves the parent's connections alone; make a new transport in the child.
INSTAGRAM_OAUTH_EXPORT std::shared_ptr<HttpTransport> make_curl_transport(
    const ClientOptions& options = {});

}  // namespace instagram::oauth
