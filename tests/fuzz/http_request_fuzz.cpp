// Raw request bytes in, the server's first answer out: Beast's request parser (over a buffer, no
// socket) with the server's header and body limits, the framing checks, the routing table of
// warroomd, then the pure intake decision of the webhook routes. Mirrors net/server.cpp's serve
// loop up to the handler, whose I/O (store, jobs) is out of scope.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <warroom/net/framing.hpp>
#include <warroom/net/message.hpp>
#include <warroom/net/router.hpp>
#include <warroom/util/secret.hpp>
#include <warroom/webhook/intake.hpp>
#include <warroom/webhook/slash_command.hpp>

#include "fuzz_support.hpp"

namespace http = boost::beast::http;

namespace {

constexpr std::size_t max_header_bytes = 8192;  // net::server_options defaults
constexpr std::size_t max_body_bytes = 262144;
constexpr std::int64_t now_unix = 1'767'225'600;

enum class endpoint { pagerduty, click, command, admin, ops };

const warroom::net::basic_router<endpoint>& routes() {
  // The table routes/*.cpp registers (intake, command, admin, ops).
  static const auto table = [] {
    warroom::net::basic_router<endpoint> r;
    r.add("POST", "/webhooks/pagerduty", endpoint::pagerduty);
    r.add("POST", "/webhooks/mattermost", endpoint::click);
    r.add("POST", "/webhooks/mattermost/command", endpoint::command);
    r.add("GET", "/api/v1/incidents", endpoint::admin);
    r.add("GET", "/api/v1/incidents/*", endpoint::admin);
    r.add("GET", "/healthz", endpoint::ops);
    r.add("GET", "/readyz", endpoint::ops);
    r.add("GET", "/metrics", endpoint::ops);
    return r;
  }();
  return table;
}

unsigned handle(endpoint e, const warroom::net::request& req) {
  static const std::vector<warroom::util::secret> secrets{warroom::util::secret("fuzz-secret")};
  static const std::vector<warroom::util::secret> tokens{warroom::util::secret("fuzz-token")};
  static const warroom::webhook::action_keyring keys{{"k1", warroom::util::secret("fuzz-key")}};
  switch (e) {
    case endpoint::pagerduty:
      return warroom::webhook::decide_pagerduty(req.body, req.header_value("x-pagerduty-signature"),
                                                req.header_value("x-webhook-id"), secrets)
          .reply.status;
    case endpoint::click:
      return warroom::webhook::decide_click(req.body, keys, now_unix).decision.reply.status;
    case endpoint::command:
      return warroom::webhook::decide_slash_command(req.body, tokens).reply.status;
    default:
      return 200;
  }
}

// Feeds the parser until it has the header (or the whole message), as async_read_header and
// async_read do; when the bytes run out the peer has closed, which Beast reports as
// partial_message (answered 400) unless nothing at all was read (the server just drops that).
void feed(http::request_parser<http::string_body>& parser, std::string_view bytes,
          std::size_t& used, bool header_only, boost::beast::error_code& ec) {
  const auto finished = [&] { return header_only ? parser.is_header_done() : parser.is_done(); };
  while (!ec && !finished()) {
    const auto n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec == http::error::need_more) ec = {};
    if (n == 0 || used == bytes.size()) break;
  }
  if (!ec && !finished() && parser.got_some()) parser.put_eof(ec);
}

// The status the server would answer with; 0 when it would close without answering.
unsigned answer(std::string_view bytes) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(max_header_bytes));
  parser.body_limit(max_body_bytes);
  boost::beast::error_code ec;
  std::size_t used = 0;
  feed(parser, bytes, used, true, ec);
  if (!parser.got_some()) return 0;
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit) return 413;
  if (ec || !parser.is_header_done()) return 400;

  const auto& header = parser.get();
  warroom::net::request req;
  req.method = std::string(header.method_string());
  req.target = std::string(header.target());
  for (const auto& f : header.base())
    req.headers.push_back({std::string(f.name_string()), std::string(f.value())});
  if (warroom::net::check_framing(req.target, req.headers)) return 400;
  const auto match = routes().match(req.method, req.path());
  if (match.status != 0) return match.status;
  WARROOM_FUZZ_REQUIRE(match.handler != nullptr);
  if (parser.content_length() && *parser.content_length() > max_body_bytes) return 413;
  parser.eager(true);  // as http::async_read sets it: without, put() stops after the header
  feed(parser, bytes, used, false, ec);
  if (ec == http::error::body_limit) return 413;
  if (ec || !parser.is_done()) return 400;
  req.body = parser.get().body();
  (void)req.query();
  return handle(*match.handler, req);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const unsigned status = answer(warroom::fuzz::as_text(data, size));
  WARROOM_FUZZ_REQUIRE(status == 0 || (status >= 200 && status <= 599));
  return 0;
}
