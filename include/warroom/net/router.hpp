// Maps (method, path) to a handler. Pure and header-only so the routing table is unit-tested
// without sockets; the handler type is whatever the server runs (a coroutine function).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace warroom::net {

/// Where a route's handler may run when the server serves connections on several loops: on the
/// loop that owns the connection (the handler touches only thread-safe state), or always on the
/// server's main event loop (it reads state that loop owns).
enum class runs_on { event_loop, any_loop };

/// What the router decided for one request.
template <class Handler>
struct route_match {
  const Handler* handler = nullptr;  // null when status is 404 or 405
  std::string_view route;            // the registered pattern, for metrics and logs ("unmatched")
  unsigned status = 0;               // 0 when matched, else 404 or 405
  std::string allow;                 // for 405: the methods the path accepts
  runs_on where = runs_on::event_loop;
};

/// A fixed routing table built at start; lookups are read-only and thread-safe.
template <class Handler>
class basic_router {
 public:
  /// `pattern` is an exact path, or a prefix ending in "/*" ("/api/v1/incidents/*").
  void add(std::string method, std::string pattern, Handler handler,
           runs_on where = runs_on::event_loop) {
    routes_.push_back({std::move(method), std::move(pattern), std::move(handler), where});
  }

  route_match<Handler> match(std::string_view method, std::string_view path) const {
    route_match<Handler> out;
    bool path_known = false;
    for (const auto& r : routes_) {
      if (!matches(r.pattern, path)) continue;
      path_known = true;
      if (r.method == method) {
        out.handler = &r.handler;
        out.route = r.pattern;
        out.where = r.where;
        return out;
      }
      if (!out.allow.empty()) out.allow += ", ";
      out.allow += r.method;
    }
    out.status = path_known ? 405 : 404;
    out.route = "unmatched";
    return out;
  }

 private:
  struct entry {
    std::string method;
    std::string pattern;
    Handler handler;
    runs_on where;
  };

  static bool matches(std::string_view pattern, std::string_view path) {
    if (pattern.ends_with("/*")) {
      const auto prefix = pattern.substr(0, pattern.size() - 1);
      return path.size() > prefix.size() && path.starts_with(prefix);
    }
    return pattern == path;
  }

  std::vector<entry> routes_;
};

}  // namespace warroom::net
