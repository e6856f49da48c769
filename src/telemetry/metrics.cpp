#include <charconv>

#include <warroom/telemetry/metrics.hpp>

namespace warroom::telemetry {
namespace {

const std::vector<double> latency_buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

std::string number(double v) {
  char buf[64];
  // Shortest round-trip form: "0.005", not "0.0050000000000000001".
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::string("NaN");
}

std::string escape(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string with_le(const std::string& rendered, const std::string& le) {
  const std::string pair = "le=\"" + le + "\"";
  if (rendered.empty()) return "{" + pair + "}";
  return rendered.substr(0, rendered.size() - 1) + "," + pair + "}";
}

}  // namespace

std::string render_labels(const labels& l) {
  if (l.empty()) return "";
  std::string out = "{";
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (i) out += ',';
    out += l[i].first + "=\"" + escape(l[i].second) + "\"";
  }
  return out + "}";
}

metrics::metrics() = default;

void metrics::describe(std::string name, std::string help, std::string type) {
  std::lock_guard lock(mutex_);
  auto& f = families_[std::move(name)];
  f.help = std::move(help);
  f.type = std::move(type);
}

metrics::family& metrics::family_of(std::string_view name, std::string_view default_type) {
  auto it = families_.find(name);
  if (it == families_.end())
    it = families_.emplace(std::string(name), family{"", std::string(default_type), {}, {}, {}})
             .first;
  return it->second;
}

std::atomic<double>& metrics::sample_of(std::string_view name, std::string_view type,
                                        const labels& l) {
  auto& cell = family_of(name, type).samples[render_labels(l)];
  if (!cell) cell = std::make_unique<std::atomic<double>>(0.0);
  return *cell;
}

counter metrics::bind_counter(std::string_view name, const labels& l) {
  std::lock_guard lock(mutex_);
  return counter(&sample_of(name, "counter", l));
}

void metrics::add(std::string_view name, const labels& l, double value) {
  std::lock_guard lock(mutex_);
  sample_of(name, "counter", l).fetch_add(value, std::memory_order_relaxed);
}

void metrics::set(std::string_view name, const labels& l, double value) {
  std::lock_guard lock(mutex_);
  sample_of(name, "gauge", l).store(value, std::memory_order_relaxed);
}

const std::vector<double>& metrics::family::buckets() const {
  return bounds.empty() ? latency_buckets : bounds;
}

void metrics::describe_histogram(std::string name, std::string help, std::vector<double> bounds) {
  describe(name, std::move(help), "histogram");
  std::lock_guard lock(mutex_);
  auto& f = family_of(name, "histogram");
  // Bound samples were sized for the buckets they were made with: declare before observing.
  if (f.histograms.empty()) f.bounds = std::move(bounds);
}

histogram metrics::histogram_of(std::string_view name, const labels& l) {
  auto& f = family_of(name, "histogram");
  const auto& buckets = f.buckets();
  auto& cells = f.histograms[render_labels(l)];
  if (!cells) {
    cells = std::make_unique<std::atomic<double>[]>(buckets.size() + 2);
    for (std::size_t i = 0; i < buckets.size() + 2; ++i)
      cells[i].store(0.0);
  }
  return histogram(&buckets, cells.get());
}

histogram metrics::bind_histogram(std::string_view name, const labels& l) {
  std::lock_guard lock(mutex_);
  return histogram_of(name, l);
}

void metrics::observe(std::string_view name, const labels& l, double seconds) {
  std::lock_guard lock(mutex_);
  histogram_of(name, l).observe(seconds);
}

void histogram::observe(double seconds) const noexcept {
  if (cells_ == nullptr) return;
  const auto& buckets = *bounds_;
  for (std::size_t i = 0; i < buckets.size(); ++i)
    if (seconds <= buckets[i]) cells_[i].fetch_add(1, std::memory_order_relaxed);
  cells_[buckets.size()].fetch_add(seconds, std::memory_order_relaxed);
  cells_[buckets.size() + 1].fetch_add(1, std::memory_order_relaxed);
}

void metrics::gauge_callback(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  callbacks_.push_back({{std::move(name), std::move(help)}, std::move(read)});
}

double metrics::value(std::string_view name, const labels& l) const {
  std::lock_guard lock(mutex_);
  const auto it = families_.find(name);
  if (it == families_.end()) return 0;
  const auto s = it->second.samples.find(render_labels(l));
  return s == it->second.samples.end() ? 0 : s->second->load(std::memory_order_relaxed);
}

std::string metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(4096);
  for (const auto& [name, f] : families_) {
    if (!f.help.empty()) out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + " " + f.type + "\n";
    for (const auto& [l, v] : f.samples)
      out += name + l + " " + number(v->load(std::memory_order_relaxed)) + "\n";
    const auto& buckets = f.buckets();
    for (const auto& [l, cells] : f.histograms) {
      // A scrape may see an observation half applied (a bucket counted, the count not yet):
      // Prometheus tolerates that, and the next scrape is whole.
      const auto h = [&cells](std::size_t i) { return cells[i].load(std::memory_order_relaxed); };
      for (std::size_t i = 0; i < buckets.size(); ++i)
        out += name + "_bucket" + with_le(l, number(buckets[i])) + " " + number(h(i)) + "\n";
      out += name + "_bucket" + with_le(l, "+Inf") + " " + number(h(buckets.size() + 1)) + "\n";
      out += name + "_sum" + l + " " + number(h(buckets.size())) + "\n";
      out += name + "_count" + l + " " + number(h(buckets.size() + 1)) + "\n";
    }
  }
  for (const auto& [names, read] : callbacks_) {
    out += "# HELP " + names.first + " " + names.second + "\n";
    out += "# TYPE " + names.first + " gauge\n";
    out += names.first + " " + number(read()) + "\n";
  }
  return out;
}

}  // namespace warroom::telemetry
