#include <warroom/store/records.hpp>

namespace warroom::store {

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
