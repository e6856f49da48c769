// warroom-sim as a process: the printed listener lines, the control API, a signed webhook to a
// subscriber, and a clean exit on SIGTERM.
#include <gtest/gtest.h>

#include <warroom/webhook/pagerduty_event.hpp>
#include <warroom/webhook/pagerduty_signature.hpp>

#include "sim_test_support.hpp"
#include "support/child_process.hpp"

namespace warroom::sim {
namespace {

using namespace std::chrono_literals;

const std::string binary = std::string(WARROOM_BINARY_DIR) + "/tests/sim/warroom-sim";

std::uint16_t port_in(const std::optional<std::string>& line) {
  if (!line) return 0;
  return static_cast<std::uint16_t>(std::stoul(line->substr(line->rfind(':') + 1)));
}

TEST(SimProcess, ServesOnPrintedPortsAndSendsSignedWebhooks) {
  testing::webhook_receiver receiver;
  test::child_process sim({binary, "--pagerduty-token", "pd-token", "--webhook-url", receiver.url(),
                           "--webhook-retry-base-ms", "10"},
                          {"PAGERDUTY_WEBHOOK_SECRET=whsec"});
  const auto pagerduty = port_in(sim.wait_for_output("pagerduty listening on 127.0.0.1:", 10s));
  const auto control = port_in(sim.wait_for_output("control listening on 127.0.0.1:", 10s));
  ASSERT_TRUE(sim.wait_for_output("ready", 10s)) << sim.output();
  ASSERT_NE(pagerduty, 0);
  ASSERT_NE(control, 0);

  ASSERT_EQ(testing::http(control, "POST", "/seed/pagerduty", R"({
      "users": [{"id": "PALICE1", "name": "Alice", "email": "alice@example.com"}],
      "escalation_policies": [{"id": "PEP0001", "name": "Ops", "levels": [["PALICE1"]]}]})")
                .status,
            200u);
  const auto triggered =
      testing::http(control, "POST", "/control/pagerduty/trigger", R"({"title":"Disk full"})");
  ASSERT_EQ(triggered.status, 200u) << triggered.body;
  const auto got = receiver.wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  const util::secret secrets[] = {util::secret("whsec")};
  EXPECT_TRUE(webhook::verify_pagerduty_signature(
      got[0].body, got[0].header_value("X-PagerDuty-Signature").value_or(""), secrets));
  const auto event = webhook::parse_pagerduty_event(got[0].body);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->incident->title, "Disk full");

  const auto oncalls = testing::http(pagerduty, "GET", "/oncalls?include[]=users", "",
                                     {{"Authorization", "Token token=pd-token"},
                                      {"Accept", "application/vnd.pagerduty+json;version=2"}});
  EXPECT_EQ(oncalls.status, 200u);
  EXPECT_EQ(oncalls.json()["oncalls"][0]["user"]["email"], "alice@example.com");

  sim.signal(SIGTERM);
  EXPECT_EQ(sim.wait_exit(10s), 0);
}

TEST(SimProcess, HelpSucceedsAndUnknownFlagsFail) {
  test::child_process help({binary, "--help"});
  EXPECT_EQ(help.wait_exit(10s), 0);
  EXPECT_NE(help.output().find("--webhook-url"), std::string::npos);
  test::child_process bad({binary, "--no-such-flag", "1"});
  EXPECT_EQ(bad.wait_exit(10s), 2);
  EXPECT_NE(bad.output().find("--no-such-flag"), std::string::npos);
}

}  // namespace
}  // namespace warroom::sim
