#include <atomic>
#include <memory>

#include <nlohmann/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <warroom/telemetry/logging.hpp>

namespace warroom::telemetry {
namespace {

std::atomic<bool> json_format{false};

// Marks a payload that is already a list of JSON members, so the formatter does not quote it.
constexpr char structured_marker = '\x1e';

std::string json_string(std::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// Formats every record, ours or a library's, as one JSON object per line.
class json_formatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    std::string line = "{\"ts_ms\":" + std::to_string(millis) + ",\"level\":\"" +
                       std::string(spdlog::level::to_string_view(msg.level).data(),
                                   spdlog::level::to_string_view(msg.level).size()) +
                       "\",";
    std::string_view payload(msg.payload.data(), msg.payload.size());
    if (!payload.empty() && payload.front() == structured_marker) {
      line.append(payload.substr(1));
    } else {
      line += "\"msg\":" + json_string(payload);
    }
    line += "}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<json_formatter>();
  }
};

bool needs_quotes(std::string_view v) {
  return v.empty() || v.find_first_of(" \t\"=\n") != std::string_view::npos;
}

}  // namespace

std::string render_fields(bool json, std::string_view event,
                          std::initializer_list<log_field> fields) {
  std::string out;
  if (json) {
    out = "\"msg\":" + json_string(event);
    for (const auto& f : fields)
      out += "," + json_string(f.key) + ":" + json_string(f.value);
    return out;
  }
  out = std::string(event);
  for (const auto& f : fields) {
    out += ' ';
    out += f.key;
    out += '=';
    out += needs_quotes(f.value) ? json_string(f.value) : f.value;
  }
  return out;
}

void setup_logging(const config::log_config& cfg) {
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("warroom", sink);
  json_format = cfg.format == "json";
  if (json_format) {
    logger->set_formatter(std::make_unique<json_formatter>());
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  }
  logger->set_level(spdlog::level::from_str(cfg.level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void log_event(spdlog::level::level_enum level, std::string_view event,
               std::initializer_list<log_field> fields) {
  if (!spdlog::should_log(level)) return;
  const bool json = json_format.load(std::memory_order_relaxed);
  std::string line = render_fields(json, event, fields);
  if (json) line.insert(line.begin(), structured_marker);
  spdlog::log(level, "{}", line);
}

}  // namespace warroom::telemetry
