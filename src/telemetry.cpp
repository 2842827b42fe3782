#include <instagram/oauth/telemetry.hpp>

namespace instagram::oauth {

std::string_view to_string(Endpoint endpoint) noexcept {
  switch (endpoint) {
    case Endpoint::exchange:
      return "exchange";
    case Endpoint::long_lived:
      return "long_lived";
    case Endpoint::refresh:
      return "refresh";
    case Endpoint::me:
      return "me";
  }
  return "unknown";
}

}  // namespace instagram::oauth
