// config/grafana/warroom.json against the real binary: the dashboard parses, and every metric
// name its queries use is one warroomd's /metrics declares (so a renamed metric breaks here,
// not silently in Grafana).
#include <fstream>
#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/daemon_harness.hpp"

namespace warroom::test {
namespace {

/// Every `# TYPE name kind` line; a histogram also exposes name_bucket, name_sum and name_count.
std::set<std::string> exposed_names(const std::string& exposition) {
  std::set<std::string> names;
  static const std::regex type_line(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+))");
  for (std::sregex_iterator it(exposition.begin(), exposition.end(), type_line), end; it != end;
       ++it) {
    const std::string name = (*it)[1];
    names.insert(name);
    if ((*it)[2] == "histogram")
      for (const char* suffix : {"_bucket", "_sum", "_count"})
        names.insert(name + suffix);
  }
  return names;
}

/// The warroom_* names a PromQL expression reads.
std::set<std::string> queried_names(const std::string& expr) {
  std::set<std::string> names;
  static const std::regex metric(R"(\bwarroom_[a-zA-Z0-9_:]*)");
  for (std::sregex_iterator it(expr.begin(), expr.end(), metric), end; it != end; ++it)
    names.insert(it->str());
  return names;
}

TEST(Dashboard, ParsesAndQueriesOnlyMetricsTheDaemonExposes) {
  std::ifstream file(WARROOM_SOURCE_DIR "/config/grafana/warroom.json");
  ASSERT_TRUE(file.good());
  const auto dashboard = nlohmann::json::parse(file, nullptr, false);
  ASSERT_FALSE(dashboard.is_discarded()) << "warroom.json is not valid JSON";
  ASSERT_TRUE(dashboard["panels"].is_array());

  temp_dir dir("dashboard");
  const auto config = write_daemon_config(dir.path(), (dir.path() / "warroom.db").string());
  running_daemon daemon(config);
  ASSERT_TRUE(daemon.up()) << daemon.process().output();
  raw_client client(daemon.port());
  ASSERT_TRUE(client.send(get_request("/metrics")));
  const auto scraped = client.read_response(std::chrono::seconds(10));
  ASSERT_EQ(status_of(scraped), 200u) << scraped;
  const auto exposed = exposed_names(scraped);

  std::size_t queries = 0;
  for (const auto& panel : dashboard["panels"]) {
    ASSERT_TRUE(panel.contains("title") && panel["targets"].is_array()) << panel.dump();
    for (const auto& target : panel["targets"]) {
      const std::string expr = target.value("expr", "");
      const auto names = queried_names(expr);
      EXPECT_FALSE(names.empty()) << panel["title"] << ": " << expr;
      for (const auto& name : names)
        EXPECT_TRUE(exposed.contains(name))
            << panel["title"] << " queries " << name << ", which /metrics does not declare";
      ++queries;
    }
  }
  // The panels the issue asks for are there.
  std::string titles;
  for (const auto& panel : dashboard["panels"])
    titles += panel["title"].get<std::string>() + "\n";
  for (const char* wanted : {"Open war rooms", "Time to acknowledge", "Time to resolve", "Webhooks",
                             "Upstream errors and 429s", "Job latency", "Dead jobs"})
    EXPECT_NE(titles.find(wanted), std::string::npos) << wanted;
  EXPECT_GE(queries, 10u);
}

}  // namespace
}  // namespace warroom::test
