// server.tls as the daemon uses it: loaded at start and by `--check` (problems name the config key
// at fault), reloaded on SIGHUP. Call from the thread that runs the server's io_context.
#pragma once

#include <vector>

#include <warroom/config/config.hpp>
#include <warroom/config/load.hpp>
#include <warroom/net/server.hpp>
#include <warroom/net/tls_context.hpp>
#include <warroom/util/result.hpp>

namespace warroom::runtime {

/// Loads the pair; a problem's path is server.tls.cert_file or server.tls.key_file.
result<net::tls_server, config::problem> load_server_tls(const config::tls_files& files);

/// The checks `--check` and start run beyond the YAML itself: that the TLS pair, when configured,
/// loads and matches. Empty when all pass.
std::vector<config::problem> check_files(const config::config& cfg);

/// Loads the pair again. On success `server` hands it to new connections (open ones keep theirs)
/// and the certificate's subject, serial and expiry are logged; on failure the old pair stays and
/// the problem is logged at error level. Returns whether the new pair is in use.
bool reload_server_tls(net::server& server, const config::tls_files& files);

/// The info line naming the certificate now served (`event`: "tls certificate loaded" ...).
void log_certificate(std::string_view event, const net::certificate_summary& certificate);

}  // namespace warroom::runtime
