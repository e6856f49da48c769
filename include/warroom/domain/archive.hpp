// archive: the pure half of archiving a war room's channel (DESIGN §8 `archive.after_resolved`).
// Every resolve gets its own archive, keyed by the time of that resolve, so a re-resolve after a
// reopen schedules a fresh one and a stale job recognises that it is stale. A due job archives
// only while the incident is still resolved by that same resolve and no reopen cancelled it;
// the checkpoints below let a job, a reopen and a restart agree on that without locks.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <warroom/domain/incident.hpp>

namespace warroom::domain {

/// Checkpoint names of the archive of the resolve at `resolved_at_ms`.
struct archive_steps {
  std::string scheduled;  // the job is in the store (written with it, in one transaction)
  std::string message;    // the last message is posted
  std::string started;    // the archive request may have been sent: a reopen must restore
  std::string done;       // the channel was archived and nothing cancelled it meanwhile
  std::string cancelled;  // a reopen cancelled this archive
};
archive_steps archive_steps_of(std::int64_t resolved_at_ms);

/// When the archive of a resolve at `resolved_at_ms` is due; nullopt when archiving is off
/// (`after_ms` <= 0, "0s") or the resolve time is unknown.
std::optional<std::int64_t> archive_due_ms(std::int64_t resolved_at_ms, std::int64_t after_ms);

using step_map = std::map<std::string, std::string>;

/// Whether the archive of the resolve at `job_resolved_at_ms` still stands: the incident is
/// resolved by that resolve, it has a channel, and no reopen cancelled it.
bool archive_wanted(const incident_snapshot& incident, bool has_channel,
                    std::int64_t job_resolved_at_ms, const step_map& steps);

/// What a reopen of `before` (the incident as stored, still resolved) undoes: the step that
/// cancels its pending archive; nullopt when it was not resolved (nothing to cancel).
std::optional<std::string> archive_cancel_step(const incident_snapshot& before);
/// After the cancel step is written: whether the channel may be archived (an archive of that
/// resolve was started), so the reopen restores it.
bool channel_may_be_archived(const incident_snapshot& before, const step_map& steps);

/// The last root message before the channel is archived.
std::string archiving_message(const incident_snapshot& incident, std::int64_t now_ms);

}  // namespace warroom::domain
