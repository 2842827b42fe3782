#include "meta_usage.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace instagram::oauth::detail {
namespace {

// A figure as Meta writes it (a number, whole or not), kept when it is a sane one.
std::optional<int> figure(const nlohmann::json& object, const char* name) {
  const auto found = object.find(name);
  if (found == object.end() || !found->is_number()) return std::nullopt;
  const double value = found->get<double>();
  if (!std::isfinite(value) || value < 0 || value > std::numeric_limits<int>::max()) {
    return std::nullopt;
  }
  return static_cast<int>(std::ceil(value));
}

void keep_highest(std::optional<int>& kept, std::optional<int> seen) {
  if (seen && (!kept || *seen > *kept)) kept = seen;
}

void add(MetaUsage& usage, const nlohmann::json& object) {
  if (!object.is_object()) return;
  keep_highest(usage.call_count, figure(object, "call_count"));
  keep_highest(usage.total_cputime, figure(object, "total_cputime"));
  keep_highest(usage.total_time, figure(object, "total_time"));
  if (const std::optional<int> minutes = figure(object, "estimated_time_to_regain_access")) {
    if (!usage.regain_access || *minutes > usage.regain_access->count()) {
      usage.regain_access = std::chrono::minutes(*minutes);
    }
  }
}

}  // namespace

std::optional<MetaUsage> meta_usage_of(
    const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::system_clock::time_point received_at) {
  MetaUsage usage;
  usage.received_at = received_at;
  for (const auto& [name, value] : headers) {
    const bool app = name == "x-app-usage";
    if (!app && name != "x-business-use-case-usage") continue;
    const nlohmann::json parsed = nlohmann::json::parse(value, nullptr, false);
    if (app) {
      add(usage, parsed);
    } else if (parsed.is_object()) {
      for (const nlohmann::json& use_cases : parsed) {
        if (!use_cases.is_array()) continue;
        for (const nlohmann::json& use_case : use_cases) add(usage, use_case);
      }
    }
  }
  if (!usage.call_count && !usage.total_cputime && !usage.total_time && !usage.regain_access) {
    return std::nullopt;
  }
  return usage;
}

}  // namespace instagram::oauth::detail
