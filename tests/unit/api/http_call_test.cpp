#include <gtest/gtest.h>

#include <warroom/api/http_call.hpp>

namespace warroom::api::http_call_test {
namespace {

struct operation_case {
  http_method method;
  const char* target;
  const char* expected;
};

TEST(OperationName, KeepsCollectionsAndHidesEveryVariableSegment) {
  const operation_case cases[] = {
      {http_method::post, "/api/v4/channels", "POST /api/v4/channels"},
      {http_method::post, "/api/v4/channels/abcdefghijklmnopqrstuvwxyz/members",
       "POST /api/v4/channels/:id/members"},
      {http_method::get, "/api/v4/users/email/alice%40example.com", "GET /api/v4/users/email/:id"},
      {http_method::get, "/api/v4/teams/team1/channels/name/inc-db?include_deleted=true",
       "GET /api/v4/teams/:id/channels/name/:id"},
      {http_method::post, "/api/v4/users/usernames", "POST /api/v4/users/usernames"},
      {http_method::post, "/rest/api/3/issue", "POST /rest/api/3/issue"},
      {http_method::post, "/rest/api/2/issue/OPS-12/remotelink",
       "POST /rest/api/2/issue/:id/remotelink"},
      {http_method::get, "/oncalls?escalation_policy_ids%5B%5D=PEP0001&offset=0", "GET /oncalls"},
      {http_method::get, "/users/PALICE1", "GET /users/:id"},
      {http_method::post, "/incidents/P1234AB/notes", "POST /incidents/:id/notes"},
  };
  for (const auto& c : cases) {
    http_call call;
    call.method = c.method;
    call.target = c.target;
    EXPECT_EQ(operation_name(call), c.expected) << c.target;
  }
}

}  // namespace
}  // namespace warroom::api::http_call_test
