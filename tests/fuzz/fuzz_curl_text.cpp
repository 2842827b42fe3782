// The engine's reader of libcurl's verbose text on any bytes: nothing or one of libcurl's own
// lines, never a crash. A piece it reads is one whole line that begins with libcurl's wording
// for its kind: nothing else may teach the engine a connection, a stream or a GOAWAY (a
// resend decided on a false one could send a code twice).
#include "curl_text.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using instagram::oauth::detail::CurlText;
  const std::string_view piece(reinterpret_cast<const char*>(data), size);
  const auto text = instagram::oauth::detail::read_curl_text(piece);
  if (!text) return 0;
  if (piece.find('\n') != piece.size() - 1) std::abort();
  std::string_view wording;
  switch (text->kind) {
    case CurlText::Kind::connected:
      wording = "Connected to ";
      break;
    case CurlText::Kind::reused:
      wording = "Re-using existing connection #";
      break;
    case CurlText::Kind::stream:
      wording = "Using Stream ID: ";
      break;
    case CurlText::Kind::goaway:
      wording = "recveived GOAWAY, error=";
      break;
  }
  if (piece.substr(0, wording.size()) != wording) std::abort();
  return 0;
}
