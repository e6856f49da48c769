// The demo world (config/demo.yaml, scripts/demo.sh): the same people in PagerDuty and
// Mattermost (matched by email), the bot's From address as a PagerDuty user, the OPS project.
#include "sim_config.hpp"

namespace warroom::sim {

nlohmann::json demo_seed() {
  using nlohmann::json;
  json pagerduty = {
      {"users",
       {{{"id", "PALICE1"}, {"name", "Alice Example"}, {"email", "alice@example.com"}},
        {{"id", "PBOB001"}, {"name", "Bob Example"}, {"email", "bob@example.com"}},
        {{"id", "PCAROL1"}, {"name", "Carol Example"}, {"email", "carol@example.com"}},
        // pagerduty.from_email: the From of changes made on behalf of people without an account.
        {{"id", "PWARROM"}, {"name", "warroom"}, {"email", "warroom@example.com"}}}},
      {"escalation_policies",
       {{{"id", "PDEMOEP"}, {"name", "Checkout on-call"}, {"levels", {{"PALICE1"}, {"PBOB001"}}}}}},
      {"services",
       {{{"id", "PDEMOSV"}, {"name", "Checkout API"}, {"escalation_policy_id", "PDEMOEP"}}}}};
  // Mattermost ids are 26 characters, like config/demo.yaml's team_id.
  json mattermost = {
      {"team", {{"id", "demoteam000000000000000000"}, {"name", "demo"}}},
      {"bot_user_id", "warroombot0000000000000000"},
      {"users",
       {{{"id", "warroombot0000000000000000"},
         {"username", "warroom"},
         {"email", "warroom@example.com"}},
        {{"id", "alice000000000000000000000"},
         {"username", "alice"},
         {"email", "alice@example.com"}},
        {{"id", "bob0000000000000000000000b"}, {"username", "bob"}, {"email", "bob@example.com"}},
        {{"id", "carol00000000000000000000c"},
         {"username", "carol"},
         {"email", "carol@example.com"}}}}};
  // Jira's stock priorities, which the default jira.priority_map names.
  json jira = {
      {"projects", {{{"key", "OPS"}, {"id", "10000"}, {"issue_types", {"Incident", "Task"}}}}},
      {"priorities", {"Highest", "High", "Medium", "Low", "Lowest"}}};
  return {{"pagerduty", std::move(pagerduty)},
          {"mattermost", std::move(mattermost)},
          {"jira", std::move(jira)}};
}

}  // namespace warroom::sim
