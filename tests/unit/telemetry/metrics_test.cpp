#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <warroom/telemetry/metrics.hpp>

namespace warroom::telemetry {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

TEST(Metrics, BoundAndNamedUpdatesReachTheSameSample) {
  metrics m;
  m.describe("warroom_webhooks_total", "Webhooks by outcome", "counter");
  const auto accepted =
      m.bind_counter("warroom_webhooks_total", {{"source", "pagerduty"}, {"outcome", "accepted"}});
  accepted.add();
  accepted.add(2);
  m.add("warroom_webhooks_total", {{"source", "pagerduty"}, {"outcome", "accepted"}});
  EXPECT_EQ(m.value("warroom_webhooks_total", {{"source", "pagerduty"}, {"outcome", "accepted"}}),
            4);
  const auto text = m.render();
  EXPECT_TRUE(has_line(text, R"(warroom_webhooks_total{source="pagerduty",outcome="accepted"} 4)"))
      << text;
  // Binding alone shows the sample at 0, so a dashboard sees the series before the first event.
  m.bind_counter("warroom_webhooks_total", {{"source", "pagerduty"}, {"outcome", "malformed"}});
  EXPECT_TRUE(
      has_line(m.render(), R"(warroom_webhooks_total{source="pagerduty",outcome="malformed"} 0)"));
  counter{}.add();  // an unbound counter counts nothing and does not crash
}

TEST(Metrics, BoundHistogramsFillBucketsSumAndCount) {
  metrics m;
  m.describe_histogram("warroom_ttr_seconds", "Time to resolve", {1, 10});
  const auto h = m.bind_histogram("warroom_ttr_seconds", {{"route", "default"}});
  h.observe(0.5);
  h.observe(5);
  m.observe("warroom_ttr_seconds", {{"route", "default"}}, 50);
  const auto text = m.render();
  EXPECT_TRUE(has_line(text, R"(warroom_ttr_seconds_bucket{route="default",le="1"} 1)")) << text;
  EXPECT_TRUE(has_line(text, R"(warroom_ttr_seconds_bucket{route="default",le="10"} 2)"));
  EXPECT_TRUE(has_line(text, R"(warroom_ttr_seconds_bucket{route="default",le="+Inf"} 3)"));
  EXPECT_TRUE(has_line(text, R"(warroom_ttr_seconds_sum{route="default"} 55.5)"));
  EXPECT_TRUE(has_line(text, R"(warroom_ttr_seconds_count{route="default"} 3)"));
  // Buckets declared after samples exist would not fit them: the first declaration stays.
  m.describe_histogram("warroom_ttr_seconds", "Time to resolve", {1, 2, 3, 4});
  h.observe(1.5);
  EXPECT_TRUE(has_line(m.render(), R"(warroom_ttr_seconds_count{route="default"} 4)"));
  EXPECT_EQ(m.render().find(R"(le="3")"), std::string::npos);
}

TEST(Metrics, ConcurrentBoundUpdatesLoseNothing) {
  metrics m;
  const auto c = m.bind_counter("warroom_http_requests_total", {{"route", "/x"}, {"code", "202"}});
  const auto h = m.bind_histogram("warroom_http_request_duration_seconds", {{"route", "/x"}});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.add();
        h.observe(0.001);
        if (i % 1000 == 0) (void)m.render();  // a scrape in the middle of it all
      }
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(m.value("warroom_http_requests_total", {{"route", "/x"}, {"code", "202"}}), 40000);
  EXPECT_TRUE(
      has_line(m.render(), R"(warroom_http_request_duration_seconds_count{route="/x"} 40000)"));
}

}  // namespace
}  // namespace warroom::telemetry
