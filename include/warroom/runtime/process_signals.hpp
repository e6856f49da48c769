// The signals warroomd acts on (SIGTERM and SIGINT stop it, SIGHUP reloads TLS), read from a
// signalfd on the event loop instead of taken by an asynchronous handler.
//
// Why not a handler (Asio's signal_set): a handler interrupts whichever thread the kernel picks,
// and a SIGTERM sent before the handler exists kills the daemon without a graceful stop. Blocked
// in every thread and read as data, a signal waits until the loop reads it. ThreadSanitizer,
// which defers asynchronous handlers, also lost one SIGTERM in about seven sent right after
// startup; a read it cannot lose.
#pragma once

#include <csignal>

namespace warroom::runtime {

/// SIGTERM, SIGINT and SIGHUP.
sigset_t daemon_signals();

/// Blocks daemon_signals() in the calling thread and returns the mask it replaced. Threads
/// started afterwards inherit the block: main() calls it before anything starts a thread.
sigset_t block_daemon_signals();

/// A non-blocking, close-on-exec signalfd that reads daemon_signals(), or -1 with errno set.
int open_daemon_signal_fd();

}  // namespace warroom::runtime
