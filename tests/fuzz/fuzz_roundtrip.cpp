// The builder's encoding read back by the parser: state, code and an extra parameter
// made of arbitrary bytes must come back byte for byte (a state or code with a control
// byte is refused by the parser instead, as it must be).
#include <instagram/oauth/authorize_url_builder.hpp>
#include <instagram/oauth/redirect_parser.hpp>

#include "sample_app.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace instagram::oauth;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // Three values separated by the first two 0xFF bytes (or what is left).
  const std::size_t first = input.find('\xFF');
  const std::string_view state = input.substr(0, first);
  const std::string_view rest =
      first == std::string_view::npos ? std::string_view{} : input.substr(first + 1);
  const std::size_t second = rest.find('\xFF');
  const std::string_view code = rest.substr(0, second);
  const std::string_view extra =
      second == std::string_view::npos ? std::string_view{} : rest.substr(second + 1);
  if (state.empty() || code.empty()) return 0;

  static const AppConfig config = instagram::oauth::testing::sample_app();
  const Result<std::string> url = AuthorizeUrlBuilder(config)
                                      .scope(config.endpoints.required_scope)
                                      .state(state)
                                      .extra_param("x", extra)
                                      .build();
  if (!url) __builtin_trap();
  const std::size_t at = url->find("&state=");
  const std::size_t end = url->find('&', at + 1);
  const std::string echoed_state = url->substr(at + 7, end - at - 7);
  const std::string redirect = config.redirect_uri + "?code=" + detail::percent_encode(code) +
                               "&state=" + echoed_state + "#_";
  const Result<AuthorizationCode> parsed = RedirectParser(config).parse(redirect, state);
  const auto has_control = [](std::string_view text) {
    for (const char c : text) {
      if (detail::is_control(c)) return true;
    }
    return false;
  };
  if (has_control(state) || has_control(code)) {
    if (parsed || parsed.error().category() != ErrorCategory::invalid_redirect) __builtin_trap();
  } else if (!parsed || parsed->code != code || parsed->state != state) {
    __builtin_trap();
  }
  if (detail::form_decode(url->substr(url->rfind("&x=") + 3)) != extra) __builtin_trap();
  return 0;
}
