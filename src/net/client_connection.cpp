#include <string>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <warroom/net/client_connection.hpp>
#include <warroom/net/client_options.hpp>

#include "use_tuple.hpp"

namespace warroom::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

using response_type = http::response<http::string_body>;
using connection_result = result<std::unique_ptr<client_connection>>;

http::verb to_verb(api::http_method method) {
  switch (method) {
    case api::http_method::get:
      return http::verb::get;
    case api::http_method::post:
      return http::verb::post;
    case api::http_method::put:
      return http::verb::put;
    case api::http_method::patch:
      return http::verb::patch;
    case api::http_method::delete_:
      return http::verb::delete_;
  }
  return http::verb::get;
}

bool closed_by_peer(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
         ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

error classify(const error_code& ec, const std::string& stage, const response_limits& limits) {
  if (ec == beast::error::timeout) return make_error(client_errc::timeout, stage + " timed out");
  if (ec == http::error::body_limit)
    return make_error(client_errc::bad_response,
                      "response body exceeds " + std::to_string(limits.max_body_bytes) + " bytes");
  const bool parse_error =
      ec.category() == http::make_error_code(http::error::bad_version).category();
  if (parse_error && ec != http::error::end_of_stream && ec != http::error::partial_message)
    return make_error(client_errc::bad_response, "malformed response: " + ec.message());
  return make_error(client_errc::connection_closed, stage + " failed: " + ec.message());
}

bool framing_safe(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

api::http_reply to_reply(response_type&& response) {
  api::http_reply reply;
  reply.status = response.result_int();
  for (const auto& field : response)
    reply.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  reply.body = std::move(response.body());
  return reply;
}

// One request/response on a connected stream (plain or TLS), bounded by the deadline and limits.
template <class Stream>
asio::awaitable<result<response_type, exchange_error>> exchange_on(
    Stream& stream, beast::flat_buffer& buffer, const outbound_request& request,
    response_limits limits, client_clock::time_point deadline) {
  beast::get_lowest_layer(stream).expires_at(deadline);
  auto [write_ec, written] = co_await http::async_write(stream, request, use_tuple);
  if (write_ec)
    co_return exchange_error{classify(write_ec, "writing the request", limits),
                             write_ec != beast::error::timeout};
  http::response_parser<http::string_body> parser;
  parser.body_limit(limits.max_body_bytes);
  parser.header_limit(limits.max_header_bytes);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, use_tuple);
  if (read_ec)
    co_return exchange_error{classify(read_ec, "reading the response", limits),
                             !parser.got_some() && closed_by_peer(read_ec)};
  co_return parser.release();
}

asio::awaitable<result<tcp::resolver::results_type>> resolve(asio::any_io_executor executor,
                                                             const util::url& origin,
                                                             client_clock::time_point deadline) {
  using namespace asio::experimental::awaitable_operators;
  tcp::resolver resolver(executor);
  asio::steady_timer timer(executor, deadline);
  // getaddrinfo runs on Asio's resolver thread; the race with the timer bounds the wait.
  auto outcome = co_await (resolver.async_resolve(origin.host, std::to_string(origin.port),
                                                  tcp::resolver::numeric_service, use_tuple) ||
                           timer.async_wait(use_tuple));
  if (outcome.index() == 1)
    co_return make_error(client_errc::timeout, "resolving the host timed out");
  auto [ec, endpoints] = std::get<0>(std::move(outcome));
  if (ec)
    co_return make_error(client_errc::connect_failed, "cannot resolve the host: " + ec.message());
  co_return endpoints;
}

asio::awaitable<connection_result> handshake(client_connection::plain_stream tcp_stream,
                                             const util::url& origin, asio::ssl::context& tls,
                                             client_clock::time_point deadline) {
  auto stream = std::make_unique<tls_client_stream>(std::move(tcp_stream), tls);
  if (auto ready = prepare_client_stream(*stream, origin.host); !ready) co_return ready.error();
  beast::get_lowest_layer(*stream).expires_at(deadline);
  auto [ec] = co_await stream->async_handshake(asio::ssl::stream_base::client, use_tuple);
  if (ec == beast::error::timeout)
    co_return make_error(client_errc::timeout, "TLS handshake timed out");
  if (ec)
    co_return make_error(client_errc::tls_failed,
                         "TLS handshake failed: " + describe_tls_failure(ec, *stream));
  co_return std::make_unique<client_connection>(std::move(stream));
}

client_connection::plain_stream& lowest(client_connection::plain_stream& stream) {
  return stream;
}
client_connection::plain_stream& lowest(std::unique_ptr<tls_client_stream>& stream) {
  return stream->next_layer();
}

}  // namespace

result<outbound_request> make_outbound_request(const api::http_call& call, const util::url& origin,
                                               std::string_view user_agent) {
  if (!framing_safe(call.target) || call.target.find(' ') != std::string::npos)
    return make_error(client_errc::bad_request, "request target has a space or line break");
  for (const auto& h : call.headers)
    if (h.name.empty() || !framing_safe(h.name) || !framing_safe(h.value))
      return make_error(client_errc::bad_request, framing_safe(h.name)
                                                      ? "header '" + h.name + "' has a line break"
                                                      : "a header name has a line break");
  outbound_request request{to_verb(call.method), call.target.empty() ? "/" : call.target, 11};
  request.set(http::field::host, origin.host_header());
  request.set(http::field::user_agent, user_agent);
  for (const auto& h : call.headers)
    request.set(h.name, h.value);
  request.body() = call.body;
  request.prepare_payload();
  return request;
}

client_connection::client_connection(plain_stream stream) : stream_(std::move(stream)) {}

client_connection::client_connection(std::unique_ptr<tls_client_stream> stream)
    : stream_(std::move(stream)) {}

asio::awaitable<connection_result> client_connection::open(asio::any_io_executor executor,
                                                           const util::url& origin,
                                                           asio::ssl::context* tls,
                                                           client_clock::time_point deadline) {
  if (origin.tls() && tls == nullptr)
    co_return make_error(client_errc::bad_request, "https origin without a TLS context");
  if (client_clock::now() >= deadline)
    co_return make_error(client_errc::timeout, "no time left to connect");
  auto endpoints = co_await resolve(executor, origin, deadline);
  if (!endpoints) co_return endpoints.error();
  plain_stream stream(executor);
  stream.expires_at(deadline);
  auto [ec, endpoint] = co_await stream.async_connect(*endpoints, use_tuple);
  if (ec == beast::error::timeout) co_return make_error(client_errc::timeout, "connect timed out");
  if (ec) co_return make_error(client_errc::connect_failed, "connect failed: " + ec.message());
  error_code ignored;  // Nagle only delays small requests; failing to disable it is harmless.
  stream.socket().set_option(tcp::no_delay(true), ignored);
  if (!origin.tls()) co_return std::make_unique<client_connection>(std::move(stream));
  co_return co_await handshake(std::move(stream), origin, *tls, deadline);
}

asio::awaitable<result<api::http_reply, exchange_error>> client_connection::exchange(
    const outbound_request& request, response_limits limits, client_clock::time_point deadline) {
  reusable_ = false;
  auto response = co_await std::visit(
      [&](auto& stream) {
        if constexpr (std::is_same_v<std::decay_t<decltype(stream)>, plain_stream>)
          return exchange_on(stream, buffer_, request, limits, deadline);
        else
          return exchange_on(*stream, buffer_, request, limits, deadline);
      },
      stream_);
  if (!response) co_return std::move(response).error();
  ++exchanges_;
  // Bytes beyond the response mean the framing is off; the next reply could not be trusted.
  reusable_ = !response->need_eof() && buffer_.size() == 0;
  co_return to_reply(std::move(*response));
}

client_connection::plain_stream& client_connection::tcp() {
  return std::visit([](auto& stream) -> plain_stream& { return lowest(stream); }, stream_);
}

bool client_connection::still_open() {
  auto& socket = tcp().socket();
  error_code ec;
  socket.non_blocking(true, ec);
  if (ec) return false;
  char probe = 0;
  // Peeking leaves any data in place; a healthy idle connection has none, so would_block.
  socket.receive(asio::buffer(&probe, 1), asio::socket_base::message_peek, ec);
  error_code ignored;  // the socket is discarded anyway when the peek says it is unusable
  socket.non_blocking(false, ignored);
  return ec == asio::error::would_block;
}

}  // namespace warroom::net
