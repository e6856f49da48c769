#include <spdlog/spdlog.h>

#include <warroom/runtime/server_tls.hpp>
#include <warroom/telemetry/logging.hpp>

namespace warroom::runtime {

result<net::tls_server, config::problem> load_server_tls(const config::tls_files& files) {
  auto loaded = net::make_server_tls_context({files.cert_file, files.key_file});
  if (loaded) return std::move(*loaded);
  const auto& why = loaded.error();
  const bool certificate = why.code == net::tls_errc::bad_certificate;
  return config::problem{certificate ? "server.tls.cert_file" : "server.tls.key_file", why.message};
}

std::vector<config::problem> check_files(const config::config& cfg) {
  std::vector<config::problem> problems;
  if (cfg.server.tls) {
    if (auto loaded = load_server_tls(*cfg.server.tls); !loaded) problems.push_back(loaded.error());
  }
  return problems;
}

bool reload_server_tls(net::server& server, const config::tls_files& files) {
  auto loaded = load_server_tls(files);
  if (!loaded) {
    telemetry::log_event(spdlog::level::err, "tls reload failed, still serving the old certificate",
                         {{"setting", loaded.error().path}, {"reason", loaded.error().message}});
    return false;
  }
  server.use_tls(loaded->context);
  log_certificate("tls certificate reloaded", loaded->certificate);
  return true;
}

void log_certificate(std::string_view event, const net::certificate_summary& certificate) {
  telemetry::log_event(spdlog::level::info, event,
                       {{"subject", certificate.subject},
                        {"serial", certificate.serial},
                        {"not_after", certificate.not_after}});
}

}  // namespace warroom::runtime
