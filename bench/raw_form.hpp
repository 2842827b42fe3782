// The token POST's form as a careful hand-written libcurl client builds it, for the raw
// libcurl references of both network benchmarks: escaped once, the code appended per request.
#pragma once

#include <instagram/oauth/config.hpp>

#include <curl/curl.h>

#include <string>

namespace bench {

// "client_id=…&client_secret=…&grant_type=authorization_code&redirect_uri=…&code="
inline std::string raw_form_prefix(const instagram::oauth::AppConfig& app) {
  const auto escaped = [](const std::string& value) {
    char* text = curl_easy_escape(nullptr, value.c_str(), static_cast<int>(value.size()));
    std::string copy = text;
    curl_free(text);
    return copy;
  };
  return "client_id=" + escaped(app.client_id) + "&client_secret=" + escaped(app.client_secret) +
         "&grant_type=authorization_code&redirect_uri=" + escaped(app.redirect_uri) + "&code=";
}

}  // namespace bench
