#include <bit>
#include <functional>

#include <warroom/store/records.hpp>

namespace warroom::store {
namespace {

// The (source, id) pairs seen so far, in an open-addressed table sized once for the batch: no
// allocation per delivery (node-based sets cost about 2,000 instructions per webhook at intake).
class seen_ids {
 public:
  explicit seen_ids(std::size_t capacity) : slots_(std::bit_ceil(capacity * 2 + 1)) {}

  /// Adds the pair; false when it was already there.
  bool add(std::string_view source, std::string_view id) {
    const std::hash<std::string_view> hash;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = (hash(id) ^ hash(source)) & mask;; at = (at + 1) & mask) {
      auto& entry = slots_[at];
      if (!entry.used) {
        entry = {source, id, true};
        return true;
      }
      if (entry.id == id && entry.source == source) return false;
    }
  }

 private:
  struct slot {
    std::string_view source;
    std::string_view id;
    bool used = false;
  };
  std::vector<slot> slots_;
};

}  // namespace

std::vector<std::size_t> first_in_batch(std::span<const delivery> batch) {
  seen_ids deliveries(batch.size());
  seen_ids events(batch.size());
  std::vector<std::size_t> first;
  first.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const delivery& d = batch[i];
    const bool new_delivery = deliveries.add(d.source, d.delivery_id);
    const bool new_event = d.event_id.empty() || events.add(d.source, d.event_id);
    if (new_delivery && new_event) first.push_back(i);
  }
  return first;
}

const char* to_string(job_state state) noexcept {
  switch (state) {
    case job_state::queued:
      return "queued";
    case job_state::running:
      return "running";
    case job_state::done:
      return "done";
    case job_state::dead:
      return "dead";
  }
  return "queued";
}

job_state parse_job_state(std::string_view text) noexcept {
  if (text == "running") return job_state::running;
  if (text == "done") return job_state::done;
  if (text == "dead") return job_state::dead;
  return job_state::queued;
}

}  // namespace warroom::store
