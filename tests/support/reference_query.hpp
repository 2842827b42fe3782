// An independent reading of a URL's query, written from the WHATWG URL standard's
// application/x-www-form-urlencoded parser, so the library's own decoder is not its own judge.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace instagram::oauth::testing {

inline std::string reference_decode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    // Written apart from the library's decoder on purpose: the ASCII hex digits only.
    const auto hex = [](char c) {
      const std::string_view digits = "0123456789abcdefABCDEF";
      const std::size_t at = digits.find(c);
      return at == std::string_view::npos ? at : (at < 16 ? at : at - 6);
    };
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) != std::string_view::npos &&
               hex(in[i + 2]) != std::string_view::npos) {
      out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

inline std::vector<std::pair<std::string, std::string>> reference_query(std::string_view url) {
  std::vector<std::pair<std::string, std::string>> params;
  url = url.substr(0, url.find('#'));
  const std::size_t question = url.find('?');
  if (question == std::string_view::npos) return params;
  std::string_view query = url.substr(question + 1);
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(start, end - start);
    if (!piece.empty()) {
      const std::size_t eq = piece.find('=');
      params.emplace_back(
          reference_decode(piece.substr(0, eq)),
          eq == std::string_view::npos ? std::string() : reference_decode(piece.substr(eq + 1)));
    }
    start = end + 1;
  }
  return params;
}

}  // namespace instagram::oauth::testing
