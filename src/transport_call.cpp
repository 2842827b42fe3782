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

Result<std::shared_ptr<HttpTransport>> usable_curl_transport(const ClientOptions& options) {
  if (std::string problem = client_options_problem(options); !problem.empty()) {
    return OAuthException(ErrorCategory::invalid_argument, std::move(problem));
  }
  return make_curl_transport(options);
}

}  // namespace instagram::oauth::detail
