#include "curl_text.hpp"

#include <cstddef>
#include <limits>

namespace instagram::oauth::detail {

namespace {

// Reads a piece left to right: each step consumes what it expects or fails the whole read.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool literal(std::string_view expected) {
    if (text_.substr(at_, expected.size()) != expected) return false;
    at_ += expected.size();
    return true;
  }

  // One or more decimal digits, without overflow.
  std::optional<std::uint64_t> number() {
    const std::size_t first = at_;
    std::uint64_t value = 0;
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    for (; at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9'; ++at_) {
      const auto digit = static_cast<std::uint64_t>(text_[at_] - '0');
      if (value > (max - digit) / 10) return std::nullopt;
      value = value * 10 + digit;
    }
    if (at_ == first) return std::nullopt;
    return value;
  }

  // Everything up to the last occurrence of `marker` is skipped (a host name, a pointer).
  bool skip_to_last(std::string_view marker) {
    const std::size_t found = text_.rfind(marker);
    if (found == std::string_view::npos || found < at_) return false;
    at_ = found;
    return true;
  }

  // libcurl's own lines are one infof() call each: one newline, at the end.
  bool at_line_end() const { return text_.substr(at_) == "\n"; }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
};

std::optional<CurlText> with(CurlText::Kind kind, std::optional<std::uint64_t> number,
                             bool complete) {
  if (!number || !complete) return std::nullopt;
  return CurlText{kind, *number};
}

}  // namespace

std::optional<CurlText> read_curl_text(std::string_view piece) noexcept {
  // The host or address a line names is our own URL's, not a server's; still, nothing in
  // it may carry a newline, so the one newline is the line's end.
  if (piece.empty() || piece.find('\n') != piece.size() - 1) return std::nullopt;
  Cursor cursor(piece);
  // libcurl 7.88, lib/url.c Curl_verboseconnect: "Connected to %s (%s) port %u (#%ld)".
  if (cursor.literal("Connected to ")) {
    if (!cursor.skip_to_last(" port ") || !cursor.literal(" port ") || !cursor.number() ||
        !cursor.literal(" (#")) {
      return std::nullopt;
    }
    const auto id = cursor.number();
    return with(CurlText::Kind::connected, id, cursor.literal(")") && cursor.at_line_end());
  }
  // lib/url.c create_conn: "Re-using existing connection #%ld with %s %s".
  if (cursor.literal("Re-using existing connection #")) {
    const auto id = cursor.number();
    return with(CurlText::Kind::reused, id, cursor.literal(" with "));
  }
  // lib/http2.c http2_send: "Using Stream ID: %u (easy handle %p)".
  if (cursor.literal("Using Stream ID: ")) {
    const auto stream = cursor.number();
    return with(CurlText::Kind::stream, stream,
                cursor.literal(" (easy handle ") && cursor.skip_to_last(")") &&
                    cursor.literal(")") && cursor.at_line_end());
  }
  // lib/http2.c on_frame_recv, libcurl's own spelling: "recveived GOAWAY, error=%d,
  // last_stream=%u" (an error code above 2^31 prints negative).
  if (cursor.literal("recveived GOAWAY, error=")) {
    cursor.literal("-");
    if (!cursor.number() || !cursor.literal(", last_stream=")) return std::nullopt;
    const auto last = cursor.number();
    return with(CurlText::Kind::goaway, last, cursor.at_line_end());
  }
  return std::nullopt;
}

}  // namespace instagram::oauth::detail
