#include <cstdio>

#include <warroom/runtime/version.hpp>

int main() {
  std::printf("warroomd %.*s\n", static_cast<int>(warroom::runtime::version().size()),
              warroom::runtime::version().data());
  return 0;
}
