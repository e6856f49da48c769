// A blocking TLS client for tests: OpenSSL over a socket to 127.0.0.1, with the trust, protocol
// versions and ALPN offer a test chooses; tells what the server presented (certificate subject,
// protocol, ALPN) and exchanges raw HTTP bytes like raw_client. Every wait has a deadline.
#pragma once

#include <chrono>
#include <memory>
#include <signal.h>
#include <string>
#include <string_view>
#include <sys/time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "support/raw_client.hpp"

namespace warroom::test {

struct tls_client_options {
  std::string ca_file{};  // the only root trusted
  int min_version = 0;    // e.g. TLS1_VERSION; 0: OpenSSL's default
  int max_version = 0;    // e.g. TLS1_1_VERSION; 0: OpenSSL's default
  std::string alpn = std::string("\x02h2\x08http/1.1", 12);  // the offer, in wire format
};

class tls_client {
 public:
  tls_client(std::uint16_t port, const tls_client_options& options)
      : ctx_(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free), ssl_(nullptr, &SSL_free) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      error_ = "connect failed";
      return;
    }
    // A write after the server closed fails with EPIPE instead of killing the test (OpenSSL
    // writes with plain send(), without MSG_NOSIGNAL).
    ::signal(SIGPIPE, SIG_IGN);
    timeval five{5, 0};  // bounds the blocking handshake and each read
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five);
    SSL_CTX* ctx = ctx_.get();
    SSL_CTX_load_verify_locations(ctx, options.ca_file.c_str(), nullptr);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (options.min_version != 0 && options.min_version < TLS1_2_VERSION)
      SSL_CTX_set_security_level(ctx, 0);  // lets OpenSSL 3 offer TLS 1.0/1.1 at all
    if (options.min_version != 0) SSL_CTX_set_min_proto_version(ctx, options.min_version);
    if (options.max_version != 0) SSL_CTX_set_max_proto_version(ctx, options.max_version);
    if (options.min_version != 0 && options.min_version < TLS1_2_VERSION)
      SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
    SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const unsigned char*>(options.alpn.data()),
                            static_cast<unsigned>(options.alpn.size()));
    ssl_.reset(SSL_new(ctx));
    SSL_set_fd(ssl_.get(), fd_);
    ERR_clear_error();
    if (SSL_connect(ssl_.get()) == 1) {
      handshaken_ = true;
    } else {
      char reason[256];
      ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
      error_ = reason;
    }
  }
  ~tls_client() {
    ssl_.reset();
    if (fd_ >= 0) ::close(fd_);
  }
  tls_client(const tls_client&) = delete;
  tls_client& operator=(const tls_client&) = delete;

  bool handshaken() const { return handshaken_; }
  /// OpenSSL's reason for a failed handshake ("... tlsv1 alert protocol version").
  const std::string& error() const { return error_; }

  /// The server certificate's subject, RFC 2253 ("CN=first").
  std::string subject() const {
    std::unique_ptr<X509, decltype(&X509_free)> cert(SSL_get1_peer_certificate(ssl_.get()),
                                                     &X509_free);
    if (!cert) return "";
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert.get()), 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
  }
  std::string alpn() const {
    const unsigned char* data = nullptr;
    unsigned size = 0;
    SSL_get0_alpn_selected(ssl_.get(), &data, &size);
    return std::string(reinterpret_cast<const char*>(data), size);
  }
  std::string version() const { return SSL_get_version(ssl_.get()); }

  bool send(std::string_view bytes) {
    while (handshaken_ && !bytes.empty()) {
      const int n = SSL_write(ssl_.get(), bytes.data(), static_cast<int>(bytes.size()));
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return handshaken_;
  }

  /// One complete response, or what arrived before the server closed or the deadline passed.
  std::string read_response(std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      if (auto complete = take_complete_response(buffer_)) return *complete;
      if (!fill(until)) return std::exchange(buffer_, std::string());
    }
  }

  /// True when the server ends the connection (close_notify, EOF or reset) before the deadline.
  bool wait_closed(std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (fill(until)) {
    }
    return closed_;
  }

 private:
  bool fill(std::chrono::steady_clock::time_point until) {
    if (closed_ || !handshaken_) return false;
    if (SSL_pending(ssl_.get()) == 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    }
    char chunk[16384];
    const int n = SSL_read(ssl_.get(), chunk, sizeof chunk);
    if (n <= 0) {
      const int why = SSL_get_error(ssl_.get(), n);
      // A TLS 1.3 session ticket or a partial record: no application data yet, not the end.
      if (why == SSL_ERROR_WANT_READ) return true;
      closed_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx_;
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl_;
  int fd_ = -1;
  bool handshaken_ = false;
  bool closed_ = false;
  std::string error_;
  std::string buffer_;
};

}  // namespace warroom::test
