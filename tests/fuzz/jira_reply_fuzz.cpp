// Every reader of Jira REST replies over arbitrary status + body: none may throw or crash, a
// non-2xx reply is never read as a success, and a created issue always has an id and a key.
#include <cstddef>
#include <cstdint>

#include <warroom/api/jira_reply.hpp>
#include <warroom/api/vendor_error.hpp>

#include "fuzz_support.hpp"
#include "reply_input.hpp"

using namespace warroom;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto reply = fuzz::reply_of(data, size);
  const bool ok = api::is_success(reply.status);
  const auto created = api::jira_read_created_issue(reply);
  WARROOM_FUZZ_REQUIRE(ok || !created);
  if (created) WARROOM_FUZZ_REQUIRE(!created->id.empty() && !created->key.empty());
  WARROOM_FUZZ_REQUIRE(ok || !api::jira_read_search(reply));
  WARROOM_FUZZ_REQUIRE(ok || !api::jira_read_done_transition(reply));
  const auto reopen = api::jira_read_reopen_transition(reply);
  WARROOM_FUZZ_REQUIRE(ok || !reopen);
  if (reopen) WARROOM_FUZZ_REQUIRE(!reopen->id.empty());
  const auto category = api::jira_read_issue_category(reply);
  WARROOM_FUZZ_REQUIRE(ok || !category);
  if (category) WARROOM_FUZZ_REQUIRE(!category->empty());
  WARROOM_FUZZ_REQUIRE(ok == api::jira_read_ok(reply).has_value());
  const auto err = api::jira_reply_error(reply);
  WARROOM_FUZZ_REQUIRE(!err.code.empty());
  return 0;
}
