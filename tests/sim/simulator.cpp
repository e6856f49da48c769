#include "simulator.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <warroom/net/tls_context.hpp>

#include "control_api.hpp"

namespace warroom::sim {
namespace asio = boost::asio;
namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

asio::ssl::context client_tls() {
  auto tls = net::make_client_tls_context({});
  if (!tls) throw std::runtime_error("client TLS context: " + tls.error().message);
  return std::move(*tls);
}

net::client_options client_options(std::chrono::milliseconds timeout) {
  net::client_options o;
  o.request_timeout = timeout;
  o.user_agent = "warroom-sim";
  return o;
}

std::uint64_t seed_of(std::uint64_t configured) {
  return configured != 0 ? configured : std::random_device{}();
}

}  // namespace

simulator::simulator(asio::any_io_executor executor, simulator_options options,
                     std::vector<std::unique_ptr<service>> services)
    : executor_(executor),
      options_(std::move(options)),
      services_(std::move(services)),
      random_(seed_of(options_.random_seed)),
      client_(executor, client_options(options_.outbound_timeout), client_tls()),
      sender_(executor, client_, options_.sender) {}

simulator::~simulator() = default;

std::int64_t simulator::now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

service* simulator::find(std::string_view name) {
  for (auto& s : services_)
    if (s->name() == name) return s.get();
  return nullptr;
}

result<void> simulator::start() {
  auto listen = [&](const std::string& name, net::router routes) -> result<void> {
    auto srv = std::make_unique<net::server>(executor_, net::server_options{}, std::move(routes));
    const auto port = options_.ports.contains(name) ? options_.ports.at(name) : 0;
    auto bound = srv->listen(options_.host, port);
    if (!bound) return make_error(bound.error().code, name + ": " + bound.error().message);
    srv->start();
    bound_.emplace_back(name, bound->port());
    servers_.push_back(std::move(srv));
    return {};
  };
  for (auto& svc : services_) {
    net::router routes;
    // The fakes route internally (they answer unknown paths the vendor's way), so every method
    // on every path reaches them.
    for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
      routes.add(method, "/*",
                 [this, s = svc.get()](net::request req) { return serve(*s, std::move(req)); });
    }
    if (auto done = listen(std::string(svc->name()), std::move(routes)); !done) return done;
    svc->on_listening("http://" + options_.host + ":" + std::to_string(bound_.back().second));
  }
  return listen("control", make_control_routes(*this));
}

asio::awaitable<net::response> simulator::serve(service& svc, net::request req) {
  journal_entry entry{
      0, std::string(svc.name()), req.method, req.target, req.headers, req.body, now_ms(), 0, ""};
  const auto decision = faults_.decide(svc.name(), req.path(), random_);
  if (decision.hold) {
    auto held = hold(std::string(svc.name()), std::string(req.path()));
    co_await std::move(held);
  }
  if (decision.delay.count() > 0) {
    asio::steady_timer wait(executor_, decision.delay);
    co_await wait.async_wait(use_tuple);
    entry.fault = "latency";
  }
  if (decision.kind == fault_kind::reset) {
    entry.fault = "reset";
    journal_.record(std::move(entry));
    throw connection_reset_fault();
  }
  net::response res;
  if (decision.kind != fault_kind::none) {
    res = fault_response(svc.name(), decision);
    entry.fault = to_string(decision.kind);
  } else {
    res = svc.handle(req, now_ms());
  }
  entry.status = res.status;
  journal_.record(std::move(entry));
  flush();
  co_return res;
}

asio::awaitable<void> simulator::hold(std::string service, std::string path) {
  // Bounded, so a test that forgets to release cannot hang the daemon under test forever.
  asio::steady_timer wake(executor_, std::chrono::seconds(30));
  const auto it =
      held_.insert(held_.end(), held_request{std::move(service), std::move(path), &wake});
  co_await wake.async_wait(use_tuple);
  held_.erase(it);
}

nlohmann::json simulator::holds_json() const {
  auto list = nlohmann::json::array();
  for (const auto& h : held_)
    list.push_back({{"service", h.service}, {"path", h.path}});
  return {{"held", list}};
}

std::size_t simulator::release(std::string_view service, std::string_view prefix) {
  std::size_t n = 0;
  for (auto& h : held_) {
    if ((service.empty() || h.service == service) && h.path.starts_with(prefix)) {
      n += h.wake->cancel();
    }
  }
  return n;
}

void simulator::flush() {
  for (auto& svc : services_) {
    for (auto& out : svc->take_outbox()) {
      sender_.submit(std::string(svc->name()), std::move(out),
                     [this, s = svc.get()](const outbound& sent, const api::http_reply& reply) {
                       s->on_outbound_reply(sent, reply, now_ms());
                       flush();  // applying a reply may queue more (a follow-up callback)
                     });
    }
  }
}

asio::awaitable<void> simulator::shutdown(std::chrono::milliseconds grace) {
  for (auto& srv : servers_)
    co_await srv->shutdown(grace);
  co_await sender_.drain(grace + options_.outbound_timeout);
  client_.close_idle();
}

}  // namespace warroom::sim
