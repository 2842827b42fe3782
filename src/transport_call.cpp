#include "transport_call.hpp"

namespace instagram::oauth::detail {

OAuthException thrown_by_transport() {
  try {
    throw;
  } catch (const OAuthException& error) {
    return error;
  } catch (const std::exception& error) {
    return OAuthException(ErrorCategory::transport,
                          std::string("the transport failed: ") + error.what());
  } catch (...) {
    return OAuthException(ErrorCategory::transport, "the transport failed");
  }
}

}  // namespace instagram::oauth::detail
