// Meta's usage headers read into a MetaUsage: the one place that knows their JSON.
#pragma once

#include <instagram/oauth/meta_usage.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace instagram::oauth::detail {

// From HttpResponse::headers: X-App-Usage ({"call_count":28,"total_time":25,
// "total_cputime":25}) and X-Business-Use-Case-Usage ({"<business id>":[{"type":"instagram",
// "call_count":…,"total_cputime":…,"total_time":…,"estimated_time_to_regain_access":…}]}),
// each figure the highest any of them gives. None when neither header is there or says a
// figure, dated `received_at`; a header that is not such JSON is ignored (it never fails the answer
// it came with).
std::optional<MetaUsage> meta_usage_of(
    const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::system_clock::time_point received_at);

}  // namespace instagram::oauth::detail
