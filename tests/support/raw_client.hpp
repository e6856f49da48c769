// A blocking raw-socket HTTP client for tests: sends exact bytes (malformed ones included) to
// 127.0.0.1 and reads what comes back. Every read has a deadline, so a test never hangs.
#pragma once

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

namespace warroom::test {

/// Takes one complete response (by Content-Length; a 100 Continue alone) off the front of
/// `buffer`, leaving what follows; nullopt while incomplete.
inline std::optional<std::string> take_complete_response(std::string& buffer) {
  const auto end = buffer.find("\r\n\r\n");
  if (end == std::string::npos) return std::nullopt;
  std::size_t length = 0;
  const auto head = buffer.substr(0, end);
  for (std::string_view key : {"Content-Length: ", "content-length: "}) {
    const auto pos = head.find(key);
    if (pos != std::string::npos) length = std::stoul(head.substr(pos + key.size()));
  }
  if (head.starts_with("HTTP/1.1 100")) {
    std::string interim = buffer.substr(0, end + 4);
    buffer.erase(0, end + 4);
    return interim;
  }
  if (buffer.size() < end + 4 + length) return std::nullopt;
  std::string out = buffer.substr(0, end + 4 + length);
  buffer.erase(0, end + 4 + length);
  return out;
}

class raw_client {
 public:
  explicit raw_client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~raw_client() {
    if (fd_ >= 0) ::close(fd_);
  }
  raw_client(const raw_client&) = delete;
  raw_client& operator=(const raw_client&) = delete;

  bool connected() const { return connected_; }

  /// Sends all bytes; false when the peer closed or reset.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Reads until one complete response (by Content-Length) is buffered, the peer closes, or the
  /// deadline passes. Returns the response text (possibly partial) and leaves extra bytes buffered.
  std::string read_response(std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      if (auto complete = take_complete_response(buffer_)) return *complete;
      if (!fill(until)) {
        std::string rest = std::move(buffer_);
        buffer_.clear();
        return rest;
      }
    }
  }

  /// True when the server closes the connection (EOF or reset) before the deadline.
  bool wait_closed(std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (fill(until)) {
    }
    return closed_;
  }

  bool closed() const { return closed_; }

 private:
  bool fill(std::chrono::steady_clock::time_point until) {
    if (closed_) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[16384];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string buffer_;
};

/// The status code of a raw response ("HTTP/1.1 413 ..." → 413), 0 when unparseable.
inline unsigned status_of(std::string_view response) {
  if (response.size() < 12 || !response.starts_with("HTTP/1.")) return 0;
  return static_cast<unsigned>(std::stoul(std::string(response.substr(9, 3))));
}

}  // namespace warroom::test
