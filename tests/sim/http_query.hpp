// http_query: a request's query string as decoded name/value pairs, for the fakes and the control
// API. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warroom::sim {

/// Names and values are percent-decoded ('+' is a space), so "ids%5B%5D=a" and "ids[]=a" read
/// the same; repeated names keep their order.
class query_params {
 public:
  explicit query_params(std::string_view raw);

  std::vector<std::string> all(std::string_view name) const;
  std::optional<std::string> first(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

/// "/incidents/Q1/notes" → {"incidents", "Q1", "notes"} (empty segments dropped, not decoded).
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace warroom::sim
