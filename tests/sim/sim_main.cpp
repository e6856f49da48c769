// warroom-sim: fake PagerDuty, Mattermost and Jira services for the daemon's tests, the demo and
// the benchmarks (see tests/sim/README.md).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "sim_setup.hpp"

namespace {

namespace asio = boost::asio;
using namespace warroom;

int run(const sim::sim_config& config) {
  auto services = sim::make_services(config);
  if (!services) {
    std::cerr << "warroom-sim: " << services.error().message << "\n";
    return 2;
  }
  asio::io_context io;
  sim::simulator simulator(io.get_executor(), sim::make_simulator_options(config),
                           std::move(*services));
  if (auto faults = sim::install_faults(simulator, config); !faults) {
    std::cerr << "warroom-sim: " << faults.error().message << "\n";
    return 2;
  }
  if (auto started = simulator.start(); !started) {
    std::cerr << "warroom-sim: cannot listen: " << started.error().message << "\n";
    return 1;
  }
  // stdout carries only the listener lines and "ready": scripts and tests parse them.
  for (const auto& [name, port] : simulator.listeners())
    std::cout << name << " listening on 127.0.0.1:" << port << "\n";
  std::cout << "ready" << std::endl;

  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    asio::co_spawn(io, simulator.shutdown(std::chrono::milliseconds(500)), asio::detached);
  });
  io.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Logs go to stderr so that stdout stays machine-readable.
  spdlog::set_default_logger(spdlog::stderr_color_mt("warroom-sim"));
  spdlog::set_level(spdlog::level::warn);
  auto config = sim::load_sim_config(std::vector<std::string>(argv + 1, argv + argc),
                                     [](const std::string& name) -> std::optional<std::string> {
                                       const char* v = std::getenv(name.c_str());
                                       return v ? std::optional<std::string>(v) : std::nullopt;
                                     });
  if (!config) {
    std::cerr << "warroom-sim: " << config.error().message << "\n" << sim::sim_usage();
    return 2;
  }
  if (config->help) {
    std::cout << sim::sim_usage();
    return 0;
  }
  try {
    return run(*config);
  } catch (const std::exception& e) {
    std::cerr << "warroom-sim: " << e.what() << "\n";
    return 1;
  }
}
