// Prometheus metrics: counters, gauges and histograms with labels, rendered in the text
// exposition format. Thread-safe. Label values come from a closed set (routes, status codes,
// outcomes), never from secrets or request data. Updates by name render the label set and take
// a lock; code on the request path binds its samples once (bind_counter, bind_histogram) and then
// updates them with relaxed atomic adds only.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace warroom::telemetry {

using labels = std::vector<std::pair<std::string, std::string>>;

/// One counter sample bound to its family and labels; valid as long as its metrics object.
/// A default-constructed one counts nothing.
class counter {
 public:
  counter() = default;
  void add(double value = 1.0) const noexcept {
    if (cell_ != nullptr) cell_->fetch_add(value, std::memory_order_relaxed);
  }

 private:
  friend class metrics;
  explicit counter(std::atomic<double>* cell) : cell_(cell) {}
  std::atomic<double>* cell_ = nullptr;
};

/// One histogram sample bound to its family and labels (cells: one per bucket, sum, count).
class histogram {
 public:
  histogram() = default;
  void observe(double seconds) const noexcept;

 private:
  friend class metrics;
  histogram(const std::vector<double>* bounds, std::atomic<double>* cells)
      : bounds_(bounds), cells_(cells) {}
  const std::vector<double>* bounds_ = nullptr;
  std::atomic<double>* cells_ = nullptr;
};

class metrics {
 public:
  metrics();

  /// Declares a family once (name, help, type). Adding to an undeclared name declares a counter.
  void describe(std::string name, std::string help, std::string type);
  /// Declares a histogram with its own bucket bounds (seconds, ascending), for durations far from
  /// request latencies (time to acknowledge, to resolve).
  void describe_histogram(std::string name, std::string help, std::vector<double> bounds);

  /// The sample of a counter (or histogram) family with these labels, created at 0 if new.
  counter bind_counter(std::string_view name, const labels& l);
  histogram bind_histogram(std::string_view name, const labels& l);

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
    // Rendered label set -> value; cells never move, so bound samples can point at them.
    std::map<std::string, std::unique_ptr<std::atomic<double>>> samples;
    // Rendered label set -> bucket counts, sum, count.
    std::map<std::string, std::unique_ptr<std::atomic<double>[]>> histograms;
    std::vector<double> bounds;  // empty: the default latency buckets
    const std::vector<double>& buckets() const;
  };
  family& family_of(std::string_view name, std::string_view default_type);
  std::atomic<double>& sample_of(std::string_view name, std::string_view type, const labels& l);
  histogram histogram_of(std::string_view name, const labels& l);

  mutable std::mutex mutex_;
  std::map<std::string, family, std::less<>> families_;
  std::vector<std::pair<std::pair<std::string, std::string>, std::function<double()>>> callbacks_;
};

/// `{a="x",b="y"}` with Prometheus escaping.
std::string render_labels(const labels& l);

}  // namespace warroom::telemetry
