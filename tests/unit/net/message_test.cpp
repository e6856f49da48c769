#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <gtest/gtest.h>

#include <warroom/net/message.hpp>

namespace warroom::net {
namespace {

namespace http = boost::beast::http;

response with_status(unsigned status) {
  response r;
  r.status = status;
  return r;
}

// Reads bytes back with Beast's parser, the way a client would.
http::response<http::string_body> parsed(const std::string& bytes, bool bodiless = false) {
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  if (bodiless) parser.skip(true);
  boost::beast::error_code ec;
  const auto used = parser.put(boost::asio::buffer(bytes), ec);
  EXPECT_FALSE(ec) << ec.message() << " in:\n" << bytes;
  EXPECT_EQ(used, bytes.size()) << "bytes after the message";
  EXPECT_TRUE(parser.is_done());
  return parser.release();
}

TEST(SerializeResponse, AcceptedOnAKeptConnectionIsExact) {
  auto r = json_response(202, R"({"status":"accepted"})");
  EXPECT_EQ(serialize_response(r, 11, true),
            "HTTP/1.1 202 Accepted\r\n"
            "Content-Type: application/json\r\n"
            "Server: warroom\r\n"
            "Content-Length: 21\r\n"
            "\r\n"
            R"({"status":"accepted"})");
}

TEST(SerializeResponse, ConnectionHeaderFollowsTheVersion) {
  const auto r = json_response(200, "{}");
  EXPECT_NE(serialize_response(r, 11, false).find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_EQ(serialize_response(r, 11, true).find("Connection:"), std::string::npos);
  EXPECT_NE(serialize_response(r, 10, true).find("\r\nConnection: keep-alive\r\n"),
            std::string::npos);
  EXPECT_EQ(serialize_response(r, 10, false).find("Connection:"), std::string::npos);
  EXPECT_EQ(serialize_response(r, 10, false).rfind("HTTP/1.0 200 OK\r\n", 0), 0u);
}

TEST(SerializeResponse, BeastReadsBackStatusBodyAndPersistence) {
  for (unsigned status : {200u, 202u, 400u, 401u, 404u, 413u, 429u, 431u, 503u, 599u}) {
    for (unsigned version : {10u, 11u}) {
      for (bool keep : {false, true}) {
        auto r = json_response(status, R"({"error":"x"})");
        const auto msg = parsed(serialize_response(r, version, keep));
        EXPECT_EQ(msg.result_int(), status);
        EXPECT_EQ(msg.version(), version);
        EXPECT_EQ(msg.keep_alive(), keep) << status << " " << version;
        EXPECT_EQ(msg.body(), R"({"error":"x"})");
        EXPECT_EQ(msg[http::field::server], "warroom");
        EXPECT_EQ(msg.reason(), reason_phrase(status));
      }
    }
  }
}

TEST(SerializeResponse, BodilessStatusesCarryNoLengthAndNoBody) {
  for (unsigned status : {100u, 204u, 304u}) {
    auto r = with_status(status);
    r.body = "must not be sent";
    const auto bytes = serialize_response(r, 11, true);
    EXPECT_EQ(bytes.find("Content-Length"), std::string::npos) << bytes;
    EXPECT_EQ(bytes.substr(bytes.size() - 4), "\r\n\r\n") << bytes;
  }
  EXPECT_EQ(serialize_response(with_status(100), 11, true),
            "HTTP/1.1 100 Continue\r\nServer: warroom\r\n\r\n");
}

TEST(SerializeResponse, FramingHeadersAreOursAlone) {
  auto r = with_status(200);
  r.body = "abc";
  r.headers = {{"content-length", "999"},
               {"Transfer-Encoding", "chunked"},
               {"CONNECTION", "upgrade"},
               {"Server", "other"},
               {"Retry-After", "5"}};
  const auto bytes = serialize_response(r, 11, true);
  const auto msg = parsed(bytes);
  EXPECT_EQ(msg.body(), "abc");
  EXPECT_EQ(msg[http::field::content_length], "3");
  EXPECT_EQ(msg[http::field::server], "warroom");
  EXPECT_EQ(msg[http::field::retry_after], "5");
  EXPECT_EQ(msg.count(http::field::transfer_encoding), 0u);
  EXPECT_EQ(msg.count(http::field::connection), 0u);
}

TEST(SerializeResponse, NoHeaderInjection) {
  auto r = with_status(200);
  r.headers = {{"Allow", "GET\r\nSet-Cookie: a=b"}, {"X-A\nB", std::string("c\0d", 3)}};
  const auto bytes = serialize_response(r, 11, true);
  const auto msg = parsed(bytes);
  EXPECT_EQ(msg.count(http::field::set_cookie), 0u);
  EXPECT_EQ(msg[http::field::allow], "GETSet-Cookie: a=b");
  EXPECT_EQ(bytes.find('\0'), std::string::npos);
}

TEST(SerializeResponse, UnknownStatusesGetAPhrase) {
  EXPECT_EQ(reason_phrase(202), "Accepted");
  EXPECT_EQ(reason_phrase(599), "Unknown");
  EXPECT_EQ(serialize_response(with_status(599), 11, true).rfind("HTTP/1.1 599 Unknown\r\n", 0),
            0u);
}

}  // namespace
}  // namespace warroom::net
