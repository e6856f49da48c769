#include <algorithm>
#include <cctype>

#include <warroom/domain/user_directory.hpp>

namespace warroom::domain {
namespace {

// Mattermost compares emails case-insensitively; PagerDuty keeps whatever case people typed.
std::string email_key(std::string_view email) {
  std::string key = "e:";
  for (const char c : email)
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

std::string username_key(std::string_view username) {
  return "u:" + std::string(username);
}

}  // namespace

user_directory::user_directory(std::chrono::milliseconds ttl, std::size_t capacity)
    : ttl_ms_(ttl.count()), capacity_(capacity) {}

std::optional<directory_user> user_directory::by_email(std::string_view email,
                                                       std::int64_t now_ms) {
  return find(email_key(email), now_ms);
}

std::optional<directory_user> user_directory::by_username(std::string_view username,
                                                          std::int64_t now_ms) {
  return find(username_key(username), now_ms);
}

void user_directory::remember(std::string_view email, const directory_user& user,
                              std::int64_t now_ms) {
  if (!email.empty()) put(email_key(email), user, now_ms);
  if (!user.username.empty()) put(username_key(user.username), user, now_ms);
}

void user_directory::forget(std::string_view user_id) {
  std::erase_if(entries_, [&](const auto& kv) { return kv.second.user.id == user_id; });
}

std::optional<directory_user> user_directory::find(const std::string& key, std::int64_t now_ms) {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (now_ms - it->second.stored_ms >= ttl_ms_) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.user;
}

void user_directory::put(std::string key, const directory_user& user, std::int64_t now_ms) {
  if (ttl_ms_ <= 0 || capacity_ == 0) return;
  entries_.insert_or_assign(std::move(key), entry{user, now_ms, next_order_++});
  // A linear scan is fine at the sizes a team has; it runs only when the bound is exceeded.
  while (entries_.size() > capacity_) {
    const auto oldest = std::min_element(entries_.begin(), entries_.end(), [](auto& a, auto& b) {
      return a.second.order < b.second.order;
    });
    entries_.erase(oldest);
  }
}

}  // namespace warroom::domain
