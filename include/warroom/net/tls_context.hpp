// TLS for the outbound client: the client context (TLS 1.2+, peer verification, trusted roots)
// and the per-connection setup (SNI, host-name verification) and failure descriptions.
#pragma once

#include <string>

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/system/error_code.hpp>

#include <warroom/util/result.hpp>

namespace warroom::net {

using tls_client_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// Where the client finds the roots it trusts.
struct tls_client_options {
  /// A PEM bundle trusted INSTEAD of the system store (tests, private CAs); empty: the system
  /// store (set_default_verify_paths).
  std::string ca_file{};
};

/// A client context: TLS 1.2 minimum, peer verification on. Fails (tls_failed) when the roots
/// cannot be loaded, which callers treat as a startup error. The context is read-only afterwards
/// and may be shared by every connection of every pool.
result<boost::asio::ssl::context> make_client_tls_context(const tls_client_options& options);

/// Prepares a not yet handshaken stream for `host`: SNI (for names, not IP literals) and
/// verification that the certificate matches the host (ssl::host_name_verification).
result<void> prepare_client_stream(tls_client_stream& stream, const std::string& host);

/// One sentence for a failed handshake: OpenSSL's reason ("certificate verify failed") and, when
/// the certificate was rejected, why ("unable to get local issuer certificate", "hostname
/// mismatch").
std::string describe_tls_failure(const boost::system::error_code& ec, tls_client_stream& stream);

}  // namespace warroom::net
