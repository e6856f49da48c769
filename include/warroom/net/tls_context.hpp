// TLS contexts. Outbound client: the client context (TLS 1.2+, peer verification, trusted roots)
// and the per-connection setup (SNI, host-name verification) and failure descriptions. Inbound
// server: a context built from a certificate chain and key (TLS 1.2+, ECDHE + AEAD, ALPN http/1.1).
#pragma once

#include <memory>
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
  /// A PEM bundle trusted besides the system store (a private CA, e.g. an internal Jira's, while
  /// PagerDuty's certificate still verifies through the system store); empty: the system store.
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

/// Why a server certificate/key pair was refused (result error codes).
namespace tls_errc {
inline constexpr const char* bad_certificate =
    "bad_certificate";                             // cert_file unreadable or not PEM
inline constexpr const char* bad_key = "bad_key";  // key_file unreadable, not PEM, encrypted
inline constexpr const char* key_mismatch = "key_mismatch";  // the key is not the certificate's
}  // namespace tls_errc

/// Where the server's certificate chain (leaf first, then intermediates) and private key are.
struct tls_server_files {
  std::string cert_file;
  std::string key_file;
};

/// What the loaded leaf certificate says, for the log line after a (re)load. No key material.
struct certificate_summary {
  std::string subject;    // RFC 2253, e.g. "CN=warroom.example.com"
  std::string serial;     // hex
  std::string not_after;  // "2027-03-01T12:00:00Z"
};

/// A server context ready for handshakes, and its leaf certificate's summary. The context is
/// shared: every connection accepted with it keeps it alive, so a reload can replace it while
/// those connections continue.
struct tls_server {
  std::shared_ptr<boost::asio::ssl::context> context;
  certificate_summary certificate;
};

/// Loads and checks a pair: TLS 1.2 minimum, ECDHE + AEAD ciphers in the server's order, no
/// renegotiation or compression, ALPN answering http/1.1 (a client offering only other protocols
/// is refused). Fails with a tls_errc code naming the file at fault; the message never contains
/// key material. Reads the files; does not log.
result<tls_server> make_server_tls_context(const tls_server_files& files);

}  // namespace warroom::net
