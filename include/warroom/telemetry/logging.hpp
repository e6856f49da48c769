// Structured logging over spdlog: one line per event with key=value fields (text) or one JSON
// object per line (json). Never pass secrets or raw bodies as field values.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <spdlog/common.h>

#include <warroom/config/config.hpp>

namespace warroom::telemetry {

struct log_field {
  std::string_view key;
  std::string value;
};

/// Configures the default logger (stdout, level and format from config). Call once at start.
void setup_logging(const config::log_config& cfg);

/// Logs `event` with fields in the configured format.
void log_event(spdlog::level::level_enum level, std::string_view event,
               std::initializer_list<log_field> fields);

/// Text rendering: `event k=v k="v with spaces"`; JSON rendering: `"msg":"event","k":"v"`.
std::string render_fields(bool json, std::string_view event,
                          std::initializer_list<log_field> fields);

}  // namespace warroom::telemetry
