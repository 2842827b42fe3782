#include "http2_server.hpp"

#include "loopback.hpp"
#include "test_certificates.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

namespace instagram::oauth::testing {

namespace {

// Frame types and flags of RFC 9113, section 6.
constexpr std::uint8_t data_frame = 0x0;
constexpr std::uint8_t headers_frame = 0x1;
constexpr std::uint8_t settings_frame = 0x4;
constexpr std::uint8_t ping_frame = 0x6;
constexpr std::uint8_t goaway_frame = 0x7;
constexpr std::uint8_t end_stream = 0x1;
constexpr std::uint8_t ack = 0x1;
constexpr std::uint8_t end_headers = 0x4;
constexpr std::uint8_t padded = 0x8;

constexpr std::string_view client_preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// ":status: 200" (static table entry 8), then content-type (entry 31) as a literal
// without indexing, its value 16 bytes long: the whole header block of every answer
// (RFC 7541). Two literals, so that the length byte's hex escape ends before "a".
constexpr std::string_view answer_headers =
    "\x88\x0f\x10\x10"
    "application/json";

// The `bytes` low-order bytes of `value`, most significant first (network order).
void append_big_endian(std::string& out, std::uint32_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out += static_cast<char>((value >> shift) & 0xff);
  }
}

std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream,
                  std::string_view payload) {
  std::string out;
  append_big_endian(out, static_cast<std::uint32_t>(payload.size()), 3);
  out += static_cast<char>(type);
  out += static_cast<char>(flags);
  append_big_endian(out, stream, 4);
  out += payload;
  return out;
}

bool read_exactly(SSL* ssl, std::string& out, std::size_t bytes) {
  out.resize(bytes);
  std::size_t done = 0;
  while (done < bytes) {
    const int got = SSL_read(ssl, out.data() + done, static_cast<int>(bytes - done));
    if (got <= 0) return false;
    done += static_cast<std::size_t>(got);
  }
  return true;
}

bool write_all(SSL* ssl, const std::string& bytes) {
  return SSL_write(ssl, bytes.data(), static_cast<int>(bytes.size())) ==
         static_cast<int>(bytes.size());
}

int select_h2(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
              unsigned int in_length, void*) {
  static const unsigned char h2[] = {2, 'h', '2'};
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_length, h2, sizeof h2, in, in_length) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

struct Http2Server::Impl {
  Http2ServerOptions options;
  std::string directory = make_temp_directory("http2-lookalike");
  CertificateFiles certificates = make_test_certificates(directory);
  SSL_CTX* context = nullptr;
  LoopbackListener listener;
  std::atomic<bool> stopping{false};
  std::thread acceptor;

  mutable std::mutex mutex;  // guards what follows
  std::vector<std::thread> workers;
  std::vector<int> sockets;  // open client sockets, shut down at stop
  std::size_t accepted = 0;
  std::size_t closed = 0;
  std::size_t requests = 0;
  std::vector<std::string> bodies;

  void accept_loop() {
    while (!stopping) {
      const int client = ::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      std::lock_guard<std::mutex> lock(mutex);
      if (stopping) {
        ::close(client);
        break;
      }
      ++accepted;
      sockets.push_back(client);
      workers.emplace_back([this, client] { serve(client); });
    }
  }

  void serve(int client) {
    SSL* ssl = SSL_new(context);
    SSL_set_fd(ssl, client);
    if (SSL_accept(ssl) == 1) converse(ssl);
    SSL_free(ssl);
    std::lock_guard<std::mutex> lock(mutex);
    ::shutdown(client, SHUT_RDWR);
    ++closed;
  }

  // Frames until the client leaves, the server dies, or it ends the connection.
  void converse(SSL* ssl) {
    std::string bytes;
    if (!read_exactly(ssl, bytes, client_preface.size()) || bytes != client_preface) return;
    if (!write_all(ssl, frame(settings_frame, 0, 0, {}))) return;
    std::map<std::uint32_t, std::string> bodies_by_stream;
    std::string header;
    std::string payload;
    while (read_exactly(ssl, header, 9)) {
      const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(header[i]); };
      const std::size_t length =
          (std::size_t{byte(0)} << 16) | (std::size_t{byte(1)} << 8) | byte(2);
      const std::uint8_t type = byte(3);
      const std::uint8_t flags = byte(4);
      const std::uint32_t stream = ((std::uint32_t{byte(5)} & 0x7f) << 24) |
                                   (std::uint32_t{byte(6)} << 16) | (std::uint32_t{byte(7)} << 8) |
                                   byte(8);
      if (!read_exactly(ssl, payload, length)) return;
      bool complete = false;
      bool post = false;
      if (type == settings_frame && (flags & ack) == 0) {
        if (!write_all(ssl, frame(settings_frame, ack, 0, {}))) return;
      } else if (type == ping_frame && (flags & ack) == 0) {
        if (!write_all(ssl, frame(ping_frame, ack, 0, payload))) return;
      } else if (type == goaway_frame) {
        return;
      } else if (type == headers_frame) {
        bodies_by_stream[stream];
        complete = (flags & end_stream) != 0;  // a GET: no body follows
      } else if (type == data_frame) {
        std::size_t pad = 0;
        std::size_t start = 0;
        if ((flags & padded) != 0 && !payload.empty()) {
          pad = static_cast<std::uint8_t>(payload[0]);
          start = 1;
        }
        if (start + pad <= payload.size()) {
          bodies_by_stream[stream] += payload.substr(start, payload.size() - start - pad);
        }
        complete = (flags & end_stream) != 0;
        post = true;
      }
      if (!complete) continue;
      if (!answer(ssl, stream, post, bodies_by_stream[stream])) return;
      bodies_by_stream.erase(stream);
    }
  }

  // Counts the request, then answers it, or dies on it; false ends the connection.
  bool answer(SSL* ssl, std::uint32_t stream, bool post, const std::string& body) {
    std::size_t number = 0;
    {
      std::lock_guard<std::mutex> lock(mutex);
      number = ++requests;
      if (post) bodies.push_back(body);
    }
    if (number == options.die_after_reading) return false;
    const std::string json =
        post ? R"({"access_token":"IGQVJ-h2","user_id":17841405793187218})"
             : R"({"access_token":"IGQWR-h2","token_type":"bearer","expires_in":5183944})";
    if (!write_all(ssl, frame(headers_frame, end_headers, stream, answer_headers) +
                            frame(data_frame, end_stream, stream, json))) {
      return false;
    }
    if (!options.close_after_answer) return true;
    std::string goaway;
    append_big_endian(goaway, stream, 4);  // the last stream processed
    append_big_endian(goaway, 0, 4);       // NO_ERROR
    write_all(ssl, frame(goaway_frame, 0, 0, goaway));
    return false;
  }
};

Http2Server::Http2Server(Http2ServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr ||
      SSL_CTX_use_certificate_chain_file(context, impl_->certificates.cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(context, impl_->certificates.key_file.c_str(),
                                  SSL_FILETYPE_PEM) != 1) {
    SSL_CTX_free(context);
    remove_test_certificates(impl_->certificates, impl_->directory);
    throw std::runtime_error("the HTTP/2 look-alike could not set up TLS");
  }
  SSL_CTX_set_alpn_select_cb(context, &select_h2, nullptr);
  impl_->context = context;
  impl_->listener = listen_on_loopback(16);
  impl_->acceptor = std::thread([impl = impl_.get()] { impl->accept_loop(); });
}

Http2Server::~Http2Server() {
  impl_->stopping = true;
  ::shutdown(impl_->listener.fd, SHUT_RDWR);  // wakes accept()
  impl_->acceptor.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    for (const int client : impl_->sockets) ::shutdown(client, SHUT_RDWR);  // wakes SSL_read
    workers.swap(impl_->workers);
  }
  for (std::thread& worker : workers) worker.join();
  for (const int client : impl_->sockets) ::close(client);
  ::close(impl_->listener.fd);
  SSL_CTX_free(impl_->context);
  remove_test_certificates(impl_->certificates, impl_->directory);
}

Endpoints Http2Server::endpoints() const {
  return Endpoints{}.at("https://127.0.0.1:" + std::to_string(impl_->listener.port));
}

const std::string& Http2Server::ca_file() const {
  return impl_->certificates.ca_file;
}

std::size_t Http2Server::connections() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->accepted;
}

std::size_t Http2Server::closed() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->closed;
}

std::size_t Http2Server::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->requests;
}

std::size_t Http2Server::times_seen(const std::string& value) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::size_t count = 0;
  for (const std::string& body : impl_->bodies) {
    if (body.find(value) != std::string::npos) ++count;
  }
  return count;
}

}  // namespace instagram::oauth::testing
