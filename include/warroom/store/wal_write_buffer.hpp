// wal_write_buffer: a SQLite VFS over the default one that gathers a transaction's WAL writes into
// a few large writes. SQLite writes each WAL frame as two pwrite calls (its 24-byte header, then
// the page), about five per webhook at intake; the commit's sync then waits behind them all.
// Writes that follow each other in the -wal file are held in one buffer and written when it
// fills, before the file is synced, read, truncated, sized or closed, and before any other
// operation on it: so every byte SQLite wrote is in the file before a sync makes it durable, and
// before any reader (which finds frames through the WAL index only after that sync) looks. Every
// other file, and every other call, goes to the default VFS unchanged.
#pragma once

struct sqlite3;

namespace warroom::store {

/// The VFS's name, registered (not as the default) on first use; pass it to sqlite3_open_v2.
const char* wal_write_buffer_vfs();

/// Writes out and frees the buffer of `db`'s -wal file, if it has one of ours (an idle daemon
/// gives its memory back). On the thread that uses `db`; the next write allocates it again.
void release_wal_buffer(sqlite3* db);

}  // namespace warroom::store
