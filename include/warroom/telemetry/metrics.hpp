// Prometheus metrics: counters, gauges and histograms with labels, rendered in the text
// exposition format. Thread-safe (one mutex; updates are a map lookup and an add). Label values
// come from a closed set (routes, status codes, outcomes), never from secrets or request data.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace warroom::telemetry {

using labels = std::vector<std::pair<std::string, std::string>>;

class metrics {
 public:
  metrics();

  /// Declares a family once (name, help, type). Adding to an undeclared name declares a counter.
  void describe(std::string name, std::string help, std::string type);
  /// Declares a histogram with its own bucket bounds (seconds, ascending), for durations far from
  /// request latencies (time to acknowledge, to resolve).
  void describe_histogram(std::string name, std::string help, std::vector<double> bounds);

  void add(std::string_view name, const labels& l, double value = 1.0);
  void set(std::string_view name, const labels& l, double value);
  /// Histogram observation into the family's buckets (default: the fixed latency buckets).
  void observe(std::string_view name, const labels& l, double seconds);
  /// A gauge computed when /metrics is scraped (open connections, queue depth, ...).
  void gauge_callback(std::string name, std::string help, std::function<double()> read);

  double value(std::string_view name, const labels& l) const;

  /// The whole text exposition (version 0.0.4).
  std::string render() const;

 private:
  struct family {
    std::string help;
    std::string type;
    std::map<std::string, double> samples;  // rendered label set -> value
    std::map<std::string, std::vector<double>>
        histograms;              // label set -> bucket counts, sum, count
    std::vector<double> bounds;  // empty: the default latency buckets
    const std::vector<double>& buckets() const;
  };
  family& family_of(std::string_view name, std::string_view default_type);

  mutable std::mutex mutex_;
  std::map<std::string, family, std::less<>> families_;
  std::vector<std::pair<std::pair<std::string, std::string>, std::function<double()>>> callbacks_;
};

/// `{a="x",b="y"}` with Prometheus escaping.
std::string render_labels(const labels& l);

}  // namespace warroom::telemetry
