// The sd_notify protocol, spoken directly (a datagram to $NOTIFY_SOCKET) so warroomd needs no
// libsystemd. Outside systemd (no NOTIFY_SOCKET) every call is a no-op.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace warroom::runtime {

/// Sends one notification ("READY=1", "STOPPING=1", "WATCHDOG=1", "STATUS=..."). False when not
/// under systemd or the send failed; never throws.
bool sd_notify(std::string_view state);

/// Half of WATCHDOG_USEC when the watchdog is enabled for this process, else nullopt.
std::optional<std::chrono::microseconds> watchdog_interval();

}  // namespace warroom::runtime
