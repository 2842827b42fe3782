// Counts heap allocations of the calling thread, for "allocations per operation".
#pragma once

#include <cstddef>

namespace instagram::oauth::bench {

std::size_t allocations() noexcept;

}  // namespace instagram::oauth::bench
