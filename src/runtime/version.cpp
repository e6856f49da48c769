#include <warroom/runtime/version.hpp>

namespace warroom::runtime {
std::string_view version() {
  return WARROOM_VERSION;
}
}  // namespace warroom::runtime
