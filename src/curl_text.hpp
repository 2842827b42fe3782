// What the engine learns from libcurl's verbose text (CURLINFO_TEXT), apart from libcurl so
// that the reader is tested with libcurl's exact lines (tests/curl_text_test.cpp).
//
// libcurl 7.88 says a transfer's connection, its HTTP/2 stream and a connection's GOAWAY only
// in that text, one infof() call a piece, each ending in a newline. Only a piece that *is*
// one of libcurl's own lines counts: it begins with libcurl's exact wording and its numbers
// fill the rest to the newline. A piece that merely contains the words (a certificate's
// subject, which libcurl prints inside a line of its own; any other text a server can put
// there) is nothing. Another libcurl that words them otherwise teaches nothing, which only
// means nothing is sent again.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace instagram::oauth::detail {

struct CurlText {
  enum class Kind {
    connected,  // "Connected to HOST (IP) port P (#N)": the transfer made connection N
    reused,     // "Re-using existing connection #N with host HOST": it is on connection N
    stream,     // "Using Stream ID: S (easy handle 0x…)": its HTTP/2 stream is S
    goaway,     // "recveived GOAWAY, error=E, last_stream=L": on the transfer's connection
  };
  Kind kind;
  std::uint64_t number = 0;  // N, S or L
};

// One piece of CURLINFO_TEXT as libcurl handed it to the debug callback; nullopt for
// everything but the four lines above. Pure; never throws.
std::optional<CurlText> read_curl_text(std::string_view piece) noexcept;

}  // namespace instagram::oauth::detail
