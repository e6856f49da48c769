#include <ctime>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/verify_context.hpp>
#include <boost/asio/ssl/verify_mode.hpp>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
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

// TLS 1.2 suites: forward secrecy (ECDHE) and AEAD only, strongest first. The TLS 1.3 suites
// are all ECDHE + AEAD already and keep OpenSSL's defaults.
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

// "http/1.1" in ALPN wire format (length-prefixed).
constexpr unsigned char alpn_http11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

int select_http11(SSL*, const unsigned char** out, unsigned char* out_len, const unsigned char* in,
                  unsigned int in_len, void*) {
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_len, alpn_http11, sizeof alpn_http11, in, in_len) !=
      OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_ALERT_FATAL;  // RFC 7301 §3.2: no protocol in common
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

std::string text_of(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

certificate_summary summarize(X509* cert) {
  certificate_summary out;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (bio && X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) >= 0)
    out.subject = text_of(bio.get());
  std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr), &BN_free);
  if (char* hex = serial ? BN_bn2hex(serial.get()) : nullptr) {
    out.serial = hex;
    OPENSSL_free(hex);
  }
  std::tm expiry{};
  char when[32];
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &expiry) == 1 &&
      std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &expiry) > 0)
    out.not_after = when;
  return out;
}

// Protocol floor, cipher order, ALPN: everything about the server context except its pair.
result<void> harden_server(ssl::context& ctx) {
  SSL_CTX* native = ctx.native_handle();
  SSL_CTX_set_options(
      native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, tls12_ciphers) != 1)
    return make_error(tls_errc::bad_certificate, "cannot restrict TLS to 1.2+ with ECDHE + AEAD");
  SSL_CTX_set_alpn_select_cb(native, &select_http11, nullptr);
  return {};
}

}  // namespace

result<tls_server> make_server_tls_context(const tls_server_files& files) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  if (auto hardened = harden_server(*ctx); !hardened) return hardened.error();
  // Without this OpenSSL would prompt on the terminal for an encrypted key's passphrase.
  ctx->set_password_callback([](std::size_t, ssl::context::password_purpose) { return ""; });
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(files.cert_file, ec);
  if (ec)
    return make_error(tls_errc::bad_certificate, "cannot load a PEM certificate chain from " +
                                                     files.cert_file + ": " + ec.message());
  ctx->use_private_key_file(files.key_file, ssl::context::pem, ec);
  // OpenSSL refuses a key of the certificate's type that does not match it while loading; a key
  // of another type loads, so the pair is checked again either way.
  const bool mismatch =
      ec ? ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH
         : SSL_CTX_check_private_key(ctx->native_handle()) != 1;
  if (mismatch)
    return make_error(tls_errc::key_mismatch, "the private key in " + files.key_file +
                                                  " does not belong to the certificate in " +
                                                  files.cert_file);
  if (ec)
    return make_error(tls_errc::bad_key, "cannot load an unencrypted PEM private key from " +
                                             files.key_file + ": " + ec.message());
  auto certificate = summarize(SSL_CTX_get0_certificate(ctx->native_handle()));
  return tls_server{std::move(ctx), std::move(certificate)};
}

result<ssl::context> make_client_tls_context(const tls_client_options& options) {
  ssl::context ctx(ssl::context::tls_client);
  if (SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1)
    return make_error(client_errc::tls_failed, "cannot require TLS 1.2 or later");
  // The system store as a hashed directory, looked up per handshake: loading the whole bundle
  // file eagerly (set_default_verify_paths) costs ~65 ms and 1.4 MiB at every start.
  if (SSL_CTX_set_default_verify_dir(ctx.native_handle()) != 1)
    return make_error(client_errc::tls_failed, "cannot use the system CA store directory");
  if (!options.ca_file.empty()) {
    boost::system::error_code ec;
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
