#include "journal.hpp"

namespace warroom::sim {

std::uint64_t journal::record(journal_entry entry) {
  entry.seq = next_seq_++;
  entry.headers = api::redacted_headers(entry.headers);
  entries_.push_back(std::move(entry));
  while (entries_.size() > capacity_)
    entries_.pop_front();
  return entries_.back().seq;
}

std::vector<const journal_entry*> journal::select(std::string_view service,
                                                  std::uint64_t since) const {
  std::vector<const journal_entry*> out;
  for (const auto& e : entries_)
    if (e.seq > since && (service.empty() || e.service == service)) out.push_back(&e);
  return out;
}

nlohmann::json journal::to_json(std::string_view service, std::uint64_t since) const {
  auto list = nlohmann::json::array();
  for (const auto* e : select(service, since))
    list.push_back(sim::to_json(*e));
  return {{"requests", std::move(list)}, {"last_seq", next_seq_ - 1}};
}

nlohmann::json to_json(const journal_entry& entry) {
  auto headers = nlohmann::json::object();
  for (const auto& h : entry.headers) {
    // Repeated headers are joined the way HTTP allows, so none is lost in the JSON object.
    auto& slot = headers[h.name];
    slot = slot.is_null() ? h.value : slot.get<std::string>() + ", " + h.value;
  }
  nlohmann::json out = {{"seq", entry.seq},
                        {"service", entry.service},
                        {"method", entry.method},
                        {"target", entry.target},
                        {"path", entry.target.substr(0, entry.target.find('?'))},
                        {"headers", std::move(headers)},
                        {"body", entry.body},
                        {"time_ms", entry.time_ms},
                        {"status", entry.status},
                        {"fault", entry.fault}};
  // A JSON body is also given parsed, so tests can assert on fields without a second parse.
  auto parsed = nlohmann::json::parse(entry.body, nullptr, false);
  if (!parsed.is_discarded() && !entry.body.empty()) out["json"] = std::move(parsed);
  return out;
}

}  // namespace warroom::sim
