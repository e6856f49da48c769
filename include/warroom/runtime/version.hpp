#pragma once

#include <string_view>

namespace warroom::runtime {
/// The daemon's version, from the CMake project version.
std::string_view version();
}  // namespace warroom::runtime
