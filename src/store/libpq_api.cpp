#include "libpq_api.hpp"

#include <dlfcn.h>
#include <string>

namespace warroom::store {
namespace {

result<const libpq_api*> load_once() {
  // Never unloaded: connections may live until exit.
  void* lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* why = dlerror();
    return make_error("unavailable", std::string("cannot load libpq (apt-get install libpq5): ") +
                                         (why ? why : "unknown"));
  }
  static libpq_api api;
#define WARROOM_LIBPQ_RESOLVE(name)                                  \
  api.name = reinterpret_cast<decltype(&::name)>(dlsym(lib, #name)); \
  if (api.name == nullptr) return make_error("unavailable", "libpq lacks " #name);
  WARROOM_LIBPQ_FUNCTIONS(WARROOM_LIBPQ_RESOLVE)
#undef WARROOM_LIBPQ_RESOLVE
  return &api;
}

}  // namespace

result<const libpq_api*> load_libpq() {
  static const result<const libpq_api*> loaded = load_once();
  return loaded;
}

}  // namespace warroom::store
