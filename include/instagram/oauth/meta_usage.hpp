/// @file
/// Meta's rate-limit figures, as its answers carry them in X-App-Usage and
/// X-Business-Use-Case-Usage. Sends nothing.
#pragma once

#include <instagram/oauth/export.hpp>

#include <chrono>
#include <optional>

namespace instagram::oauth {

/// How much of Meta's rate limit the app (or the business use case) has used, in percent, and
/// how long until a throttled app may call again. Each figure is there only when an answer
/// said it: absent is not zero. From both headers, each figure is the highest any of them
/// gives (the limit closest to being reached is the one that throttles).
struct MetaUsage {
  std::optional<int> call_count;                      ///< percent of the calls allowed
  std::optional<int> total_cputime;                   ///< percent of the CPU time allowed
  std::optional<int> total_time;                      ///< percent of the time allowed
  std::optional<std::chrono::minutes> regain_access;  ///< estimated_time_to_regain_access
  std::chrono::system_clock::time_point received_at;  ///< when the answer that said it came

  /// The highest of the three percentages, or none when no answer said any. Thread-safe.
  std::optional<int> highest() const noexcept {
    std::optional<int> most;
    for (const std::optional<int>& figure : {call_count, total_cputime, total_time}) {
      if (figure && (!most || *figure > *most)) most = figure;
    }
    return most;
  }
};

}  // namespace instagram::oauth
