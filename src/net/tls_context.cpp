#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/verify_context.hpp>
#include <boost/asio/ssl/verify_mode.hpp>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <warroom/net/client_options.hpp>
#include <warroom/net/tls_context.hpp>

namespace warroom::net {
namespace ssl = boost::asio::ssl;

namespace {

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

// ssl::host_name_verification only answers yes or no; recording the reason in the store context
// lets describe_tls_failure say "hostname mismatch" instead of a bare "certificate verify failed".
class verify_host {
 public:
  explicit verify_host(const std::string& host)
      : check_(host),
        mismatch_(is_ip_literal(host) ? X509_V_ERR_IP_ADDRESS_MISMATCH
                                      : X509_V_ERR_HOSTNAME_MISMATCH) {}

  bool operator()(bool preverified, ssl::verify_context& ctx) {
    const bool ok = check_(preverified, ctx);
    if (preverified && !ok) X509_STORE_CTX_set_error(ctx.native_handle(), mismatch_);
    return ok;
  }

 private:
  ssl::host_name_verification check_;
  int mismatch_;
};

}  // namespace

result<ssl::context> make_client_tls_context(const tls_client_options& options) {
  ssl::context ctx(ssl::context::tls_client);
  if (SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1)
    return make_error(client_errc::tls_failed, "cannot require TLS 1.2 or later");
  boost::system::error_code ec;
  if (options.ca_file.empty()) {
    // The system store as a hashed directory, looked up per handshake: loading the whole bundle
    // file eagerly (set_default_verify_paths) costs ~65 ms and 1.4 MiB at every start.
    if (SSL_CTX_set_default_verify_dir(ctx.native_handle()) != 1)
      return make_error(client_errc::tls_failed, "cannot use the system CA store directory");
  } else {
    ctx.load_verify_file(options.ca_file, ec);
    if (ec)
      return make_error(client_errc::tls_failed,
                        "cannot load CA file " + options.ca_file + ": " + ec.message());
  }
  ctx.set_verify_mode(ssl::verify_peer);
  return ctx;
}

result<void> prepare_client_stream(tls_client_stream& stream, const std::string& host) {
  // SNI carries host names only (RFC 6066 §3); an IP literal is sent without it. SSL_ctrl is
  // what the SSL_set_tlsext_host_name macro expands to, minus its C cast.
  if (!is_ip_literal(host) &&
      SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(host.c_str())) != 1)
    return make_error(client_errc::tls_failed, "cannot set SNI host name " + host);
  boost::system::error_code ec;
  stream.set_verify_mode(ssl::verify_peer, ec);
  if (!ec) stream.set_verify_callback(verify_host(host), ec);
  if (ec) return make_error(client_errc::tls_failed, "cannot enable verification: " + ec.message());
  return {};
}

std::string describe_tls_failure(const boost::system::error_code& ec, tls_client_stream& stream) {
  std::string text = ec.message();
  const long verdict = SSL_get_verify_result(stream.native_handle());
  if (verdict != X509_V_OK) {
    text += " (";
    text += X509_verify_cert_error_string(verdict);
    text += ")";
  }
  return text;
}

}  // namespace warroom::net
