// The store's schema as numbered migrations. `PRAGMA user_version` records the last one applied;
// opening runs the missing ones, each in its own transaction. Append new migrations, never edit
// an old one.
#pragma once

#include <cstdint>

#include <warroom/util/result.hpp>

namespace warroom::store {

class connection;

/// The user_version a fully migrated database has.
std::int64_t schema_version() noexcept;

/// Applies every migration above the database's user_version. Fails (code `unavailable`) when a
/// migration fails or when the file comes from a newer warroom (user_version above ours).
result<void> migrate(connection& conn);

}  // namespace warroom::store
