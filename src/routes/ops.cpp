#include <nlohmann/json.hpp>

#include <warroom/routes/ops.hpp>

namespace warroom::routes {
namespace asio = boost::asio;

void add_ops_routes(net::router& routes, ops_context context) {
  const std::string healthy = nlohmann::json{{"status", "ok"}, {"version", context.version}}.dump();
  routes.add("GET", "/healthz", [healthy](net::request) -> asio::awaitable<net::response> {
    co_return net::json_response(200, healthy);
  });
  routes.add("GET", "/readyz", [context](net::request) -> asio::awaitable<net::response> {
    const readiness r = context.check();
    if (r.ready) co_return net::json_response(200, R"({"status":"ready"})");
    co_return net::error_response(503, "unavailable", r.reason);
  });
  routes.add("GET", "/metrics", [context](net::request) -> asio::awaitable<net::response> {
    net::response res;
    res.status = 200;
    res.body = context.stats->render();
    res.headers.push_back({"Content-Type", "text/plain; version=0.0.4; charset=utf-8"});
    co_return res;
  });
}

}  // namespace warroom::routes
