#include <algorithm>

#include <nlohmann/json.hpp>

#include <warroom/api/vendor_error.hpp>
#include <warroom/doctor/report.hpp>

namespace warroom::doctor {

namespace {

constexpr std::string_view healthz_name = "public_url";
constexpr std::string_view healthz_fix = "start warroomd, or check the proxy";

std::string one_line(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return text;
}

std::string url_text(const util::url& u) {
  return u.origin() + u.path;
}

}  // namespace

check_line pass(std::string name, std::string detail) {
  return {std::move(name), true, std::move(detail), ""};
}

check_line fail(std::string name, std::string reason, std::string fix) {
  return {std::move(name), false, std::move(reason), std::move(fix)};
}

check_line not_checked(std::string name, std::string_view after) {
  return fail(std::move(name), "not checked: the " + std::string(after) + " check failed",
              "fix the " + std::string(after) + " first");
}

std::string format_line(const check_line& line) {
  if (line.ok) return one_line("ok " + line.name + ": " + line.detail);
  return one_line("FAIL " + line.name + ": " + line.detail + "; fix: " + line.fix);
}

bool all_ok(std::span<const check_line> lines) {
  return std::all_of(lines.begin(), lines.end(), [](const check_line& l) { return l.ok; });
}

std::string comma_list(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : ", ") + w;
  return out.empty() ? "none" : out;
}

std::vector<check_line> config_failures(const std::vector<config::problem>& problems) {
  std::vector<check_line> out;
  for (const auto& p : problems)
    out.push_back(fail("config", p.path + ": " + p.message,
                       "correct " + p.path + " (warroomd --check lists every problem)"));
  return out;
}

check_line no_reply(std::string name, const error& err, std::string_view url_key) {
  return fail(std::move(name), "no answer (" + err.code + "): " + api::vendor_text(err.message),
              "check " + std::string(url_key) + ", DNS, the firewall and outbound.ca_file");
}

api::http_call healthz_call(const util::url& public_url) {
  return {api::http_method::get, public_url.origin(), public_url.path + "/healthz", {}, ""};
}

check_line read_healthz(const reply& r, const util::url& public_url) {
  const std::string name(healthz_name);
  const std::string where = url_text(public_url) + "/healthz";
  if (!r)
    return fail(name, where + " did not answer (" + r.error().code + ")", std::string(healthz_fix));
  if (r->status != 200)
    return fail(name, where + " answered HTTP " + std::to_string(r->status),
                std::string(healthz_fix));
  const nlohmann::json body = api::parse_body(r->body);
  if (api::string_at(body, "status") != "ok")
    return fail(name, where + " answered 200, but not as warroomd does ({\"status\":\"ok\"})",
                "point server.public_url (and the proxy) at warroomd");
  const auto version = api::string_at(body, "version");
  return pass(name, where + " answered 200" +
                        (version ? " (warroomd " + api::vendor_text(*version) + ")" : ""));
}

}  // namespace warroom::doctor
