#include <warroom/domain/archive.hpp>

namespace warroom::domain {

archive_steps archive_steps_of(std::int64_t resolved_at_ms) {
  const std::string prefix = "archive." + std::to_string(resolved_at_ms) + ".";
  return {prefix + "scheduled", prefix + "message", prefix + "started", prefix + "done",
          prefix + "cancelled"};
}

std::optional<std::int64_t> archive_due_ms(std::int64_t resolved_at_ms, std::int64_t after_ms) {
  if (after_ms <= 0 || resolved_at_ms <= 0) return std::nullopt;
  return resolved_at_ms + after_ms;
}

bool archive_wanted(const incident_snapshot& incident, bool has_channel,
                    std::int64_t job_resolved_at_ms, const step_map& steps) {
  if (!has_channel || status_of(incident) != incident_status::resolved) return false;
  if (incident.resolved_at_ms != job_resolved_at_ms) return false;  // reopened and resolved again
  return !steps.contains(archive_steps_of(job_resolved_at_ms).cancelled);
}

std::optional<std::string> archive_cancel_step(const incident_snapshot& before) {
  if (status_of(before) != incident_status::resolved || before.resolved_at_ms <= 0)
    return std::nullopt;
  return archive_steps_of(before.resolved_at_ms).cancelled;
}

bool channel_may_be_archived(const incident_snapshot& before, const step_map& steps) {
  if (before.resolved_at_ms <= 0) return false;
  return steps.contains(archive_steps_of(before.resolved_at_ms).started);
}

std::string archiving_message(const incident_snapshot& incident, std::int64_t now_ms) {
  return "Archiving this channel: INC " + std::to_string(incident.number) + " was resolved " +
         format_duration(now_ms - incident.resolved_at_ms) +
         " ago. It comes back if the incident reopens.";
}

}  // namespace warroom::domain
