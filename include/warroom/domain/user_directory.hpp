// user_directory: a small cache of Mattermost accounts by email and by username, so a war room's
// responders need no account lookup while the cache is warm. Entries expire after a TTL, the
// number of entries is bounded (the oldest go first), and an account is forgotten when adding it
// to a channel fails because it is gone, deactivated or not on the team.
// Pure: the caller passes the time. Not thread-safe (the event loop thread owns it).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace warroom::domain {

struct directory_user {
  std::string id;
  std::string username;
};

class user_directory {
 public:
  /// A zero `ttl` or `capacity` turns the cache off (nothing is kept).
  user_directory(std::chrono::milliseconds ttl, std::size_t capacity);

  std::optional<directory_user> by_email(std::string_view email, std::int64_t now_ms);
  std::optional<directory_user> by_username(std::string_view username, std::int64_t now_ms);

  /// Remembers `user` under `email` (when not empty) and under its username.
  void remember(std::string_view email, const directory_user& user, std::int64_t now_ms);
  /// Drops every entry that names the account `user_id`.
  void forget(std::string_view user_id);

  std::size_t size() const { return entries_.size(); }

 private:
  struct entry {
    directory_user user;
    std::int64_t stored_ms = 0;
    std::uint64_t order = 0;  // insertion order: the smallest is evicted first
  };
  std::optional<directory_user> find(const std::string& key, std::int64_t now_ms);
  void put(std::string key, const directory_user& user, std::int64_t now_ms);

  std::int64_t ttl_ms_;
  std::size_t capacity_;
  std::uint64_t next_order_ = 0;
  std::map<std::string, entry, std::less<>> entries_;  // "e:" + lower-case email, "u:" + username
};

}  // namespace warroom::domain
