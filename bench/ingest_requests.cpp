#include "ingest_requests.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

#include <nlohmann/json.hpp>

#include <warroom/util/secret.hpp>
#include <warroom/webhook/pagerduty_signature.hpp>

namespace warroom::bench {
namespace {

// Placeholders of the same width as the values written over them, so one template serves all.
constexpr std::string_view event_mark = "EEEEEEEEEEEEEEEEEEEEEEEEEE";  // 26, like a PD event id
constexpr std::string_view incident_mark = "IIIIIIIIIIIIII";           // 14, like Q2CKYRLH85UNN4
constexpr std::string_view number_mark = "9999999";                    // 7 digits

nlohmann::json reference(const std::string& kind, const std::string& id,
                         const std::string& summary) {
  return {{"id", id},
          {"type", kind + "_reference"},
          {"summary", summary},
          {"self", "https://api.pagerduty.com/" + kind + "s/" + id},
          {"html_url", "https://acme.pagerduty.com/" + kind + "s/" + id}};
}

// The envelope of a real incident.triggered (tests/fixtures/pagerduty, captured) with a padded
// title.
std::string body_template(const std::string& title) {
  const std::string incident(incident_mark);
  return nlohmann::json{
      {"event",
       {{"id", std::string(event_mark)},
        {"event_type", "incident.triggered"},
        {"resource_type", "incident"},
        {"occurred_at", "2026-11-27T03:47:13.414Z"},
        {"agent", reference("user", "PVE0ZR9", "Ben")},
        {"client", nullptr},
        {"data",
         {{"id", incident},
          {"type", "incident"},
          {"self", "https://api.pagerduty.com/incidents/" + incident},
          {"html_url", "https://acme.pagerduty.com/incidents/" + incident},
          {"number", nlohmann::json::parse(number_mark)},
          {"status", "triggered"},
          {"incident_key", "dfead9d88e0649e8b7dee514b1875756"},
          {"created_at", "2026-11-27T03:47:13Z"},
          {"title", title},
          {"service", reference("service", "PNE3JZM", "Checkout API")},
          {"assignees", {reference("user", "PVE0ZR9", "Ben")}},
          {"escalation_policy", reference("escalation_policy", "P482651", "Ops primary")},
          {"teams", nlohmann::json::array()},
          {"priority", nullptr},
          {"urgency", "high"},
          {"conference_bridge", nullptr},
          {"resolve_reason", nullptr},
          {"incident_type", {{"name", "incident_default"}}}}}}}}
      .dump();
}

std::string padded_body_template(std::size_t body_bytes) {
  const std::string title = "checkout latency above SLO on db-primary";
  const std::size_t base = body_template(title).size();
  if (body_bytes <= base) return body_template(title);
  std::string padded = title + ":";
  while (padded.size() < title.size() + (body_bytes - base))
    padded += " p99 above 800 ms for 10 minutes;";
  padded.resize(title.size() + (body_bytes - base));
  return body_template(padded);
}

std::vector<std::size_t> offsets_of(std::string_view text, std::string_view mark) {
  std::vector<std::size_t> out;
  for (auto pos = text.find(mark); pos != std::string_view::npos; pos = text.find(mark, pos + 1))
    out.push_back(pos);
  return out;
}

void overwrite(std::string& text, const std::vector<std::size_t>& offsets, std::string_view value) {
  for (const auto at : offsets)
    std::copy(value.begin(), value.end(), text.begin() + static_cast<std::ptrdiff_t>(at));
}

std::string fixed(const char* format, unsigned long long value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

struct request_factory {
  explicit request_factory(std::size_t body_bytes)
      : body(padded_body_template(body_bytes)),
        event_at(offsets_of(body, event_mark)),
        incident_at(offsets_of(body, incident_mark)),
        number_at(offsets_of(body, number_mark)),
        secret(bench_webhook_secret) {}

  std::string make(std::size_t i) const {
    const auto n = static_cast<unsigned long long>(i);
    std::string b = body;
    overwrite(b, event_at, fixed("01BNCH%020llu", n));
    overwrite(b, incident_at, fixed("QB%012llu", n));
    overwrite(b, number_at, fixed("%07llu", 1000000 + n % 9000000));
    const auto webhook_id = fixed("00000000-0000-4000-8000-%012llu", n);  // UUID-shaped
    const auto signature = webhook::sign_pagerduty_body(b, secret);
    std::string req;
    req.reserve(b.size() + 400);
    req += "POST /webhooks/pagerduty HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    req += "Content-Type: application/json; charset=utf-8\r\n";
    req += "User-Agent: PagerDuty-Webhook/V3.0\r\nX-Webhook-Subscription: PBENCH1\r\n";
    req += "X-Webhook-Id: " + webhook_id + "\r\n";
    req += "X-PagerDuty-Signature: " + signature + "\r\n";
    req += "Content-Length: " + std::to_string(b.size()) + "\r\n\r\n";
    req += b;
    return req;
  }

  std::string body;
  std::vector<std::size_t> event_at, incident_at, number_at;
  util::secret secret;
};

}  // namespace

std::vector<std::string> make_signed_webhooks(std::size_t count, std::size_t body_bytes) {
  const request_factory factory(body_bytes);
  std::vector<std::string> out(count);
  const std::size_t workers = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers; ++w)
    threads.emplace_back([&, w] {
      for (std::size_t i = w; i < count; i += workers)
        out[i] = factory.make(i);
    });
  for (auto& t : threads)
    t.join();
  return out;
}

std::string_view body_of(const std::string& request) {
  const auto end = request.find("\r\n\r\n");
  return end == std::string::npos ? std::string_view{} : std::string_view(request).substr(end + 4);
}

}  // namespace warroom::bench
