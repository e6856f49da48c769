#include "sim_config.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace warroom::sim {
namespace {

using nlohmann::json;

const std::vector<std::string> listener_names = {"pagerduty", "mattermost", "jira", "control"};

template <class T>
result<T> number(const std::string& where, const std::string& text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return make_error("bad_config", where + ": not a valid number");
  return value;
}

result<json> read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error("bad_config", "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = json::parse(text.str(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return make_error("bad_config", path + ": not a JSON object");
  return parsed;
}

json scalar(const YAML::Node& node) {
  const auto& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: always a string
  if (text == "true" || text == "false") return text == "true";
  if (text == "null" || text == "~") return nullptr;
  std::int64_t i = 0;
  if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
      ec == std::errc() && end == text.data() + text.size())
    return i;
  auto d = json::parse(text, nullptr, false);
  return d.is_number() ? d : json(text);
}

json to_json(const YAML::Node& node) {
  if (node.IsMap()) {
    json out = json::object();
    for (const auto& kv : node)
      out[kv.first.as<std::string>()] = to_json(kv.second);
    return out;
  }
  if (node.IsSequence()) {
    json out = json::array();
    for (const auto& item : node)
      out.push_back(to_json(item));
    return out;
  }
  return node.IsScalar() ? scalar(node) : json(nullptr);
}

/// One setting by its flag name (without "--"); the config file's keys map onto the same names.
result<void> apply(sim_config& c, const std::string& name, const std::string& value) {
  const std::string where = "--" + name;
  for (const auto& l : listener_names) {
    if (name != l + "-port") continue;
    auto port = number<std::uint16_t>(where, value);
    if (!port) return port.error();
    c.ports[l] = *port;
    return {};
  }
  std::map<std::string, std::string*> strings = {{"webhook-secret", &c.webhook_secret},
                                                 {"pagerduty-token", &c.pagerduty_token},
                                                 {"mattermost-token", &c.mattermost_token},
                                                 {"jira-email", &c.jira_email},
                                                 {"jira-token", &c.jira_token}};
  if (auto it = strings.find(name); it != strings.end())
    return void(*it->second = value), result<void>{};
  if (name == "webhook-url") return c.webhook_urls.push_back(value), result<void>{};
  if (name == "seed") {
    auto seed = read_json_file(value);
    if (!seed) return seed.error();
    c.seeds.push_back(std::move(*seed));
    return {};
  }
  std::map<std::string, std::function<void(std::int64_t)>> numbers = {
      {"webhook-retry-base-ms",
       [&](auto v) { c.sender.retry_base = std::chrono::milliseconds(v); }},
      {"webhook-retry-cap-ms", [&](auto v) { c.sender.retry_cap = std::chrono::milliseconds(v); }},
      {"webhook-max-attempts", [&](auto v) { c.sender.max_attempts = static_cast<int>(v); }},
      {"webhook-timeout-ms", [&](auto v) { c.outbound_timeout = std::chrono::milliseconds(v); }}};
  if (auto it = numbers.find(name); it != numbers.end()) {
    auto v = number<std::int64_t>(where, value);
    if (!v || *v < 1) return make_error("bad_config", where + ": must be a positive integer");
    it->second(*v);
    return {};
  }
  return make_error("bad_config", "unknown option " + where);
}

std::string text_of(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

/// The YAML file: {demo, ports: {pagerduty: N, ...}, pagerduty: {token, webhook_urls,
/// webhook_secret}, mattermost: {token}, jira: {email, token}, webhooks: {retry_base_ms,
/// retry_cap_ms, max_attempts, timeout_ms}, seed: {...}, seed_file, faults: {service: [rules]}}.
result<void> apply_file(sim_config& c, const json& file) {
  for (const auto& [key, value] : file.items()) {
    result<void> done;
    if (key == "demo") {
      c.demo = value == true;
    } else if (key == "seed" || key == "faults") {
      if (!value.is_object()) return make_error("bad_config", key + ": must be a map");
      key == "seed" ? c.seeds.push_back(value) : void(c.faults = value);
    } else if (key == "seed_file") {
      done = apply(c, "seed", text_of(value));
    } else if (key == "ports" || key == "pagerduty" || key == "mattermost" || key == "jira" ||
               key == "webhooks") {
      if (!value.is_object()) return make_error("bad_config", key + ": must be a map");
      for (const auto& [sub, v] : value.items()) {
        if (key == "pagerduty" && sub == "webhook_urls" && v.is_array()) {
          for (const auto& url : v)
            c.webhook_urls.push_back(text_of(url));
          continue;
        }
        std::string flag = key == "ports"            ? sub + "-port"
                           : key == "webhooks"       ? "webhook-" + sub
                           : sub == "webhook_secret" ? sub
                                                     : key + "-" + sub;
        std::replace(flag.begin(), flag.end(), '_', '-');
        if (auto r = apply(c, flag, text_of(v)); !r)
          return make_error("bad_config", key + "." + sub + ": " + r.error().message);
      }
    } else {
      return make_error("bad_config", "unknown key '" + key + "'");
    }
    if (!done) return done;
  }
  return {};
}

}  // namespace

result<json> yaml_file_to_json(const std::string& path) {
  try {
    return to_json(YAML::LoadFile(path));
  } catch (const YAML::Exception& e) {
    return make_error("bad_config", path + ": " + e.what());
  }
}

result<sim_config> load_sim_config(const std::vector<std::string>& args, const env_lookup& env) {
  sim_config c;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] != "--config") continue;
    auto file = yaml_file_to_json(args[i + 1]);
    if (!file) return file.error();
    if (!file->is_object()) return make_error("bad_config", args[i + 1] + ": not a YAML map");
    if (auto done = apply_file(c, *file); !done) return done.error();
  }
  const std::pair<const char*, std::string*> from_env[] = {
      {"PAGERDUTY_TOKEN", &c.pagerduty_token},
      {"PAGERDUTY_WEBHOOK_SECRET", &c.webhook_secret},
      {"MATTERMOST_TOKEN", &c.mattermost_token},
      {"JIRA_TOKEN", &c.jira_token}};
  for (const auto& [name, out] : from_env)
    if (auto v = env(name); v && !v->empty()) *out = *v;

  std::vector<std::string> explicit_ports;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--help" || a == "-h") {
      c.help = true;
      continue;
    }
    if (a == "--demo") {
      c.demo = true;
      continue;
    }
    if (!a.starts_with("--")) return make_error("bad_config", "unexpected argument '" + a + "'");
    auto name = a.substr(2);
    std::string value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return make_error("bad_config", a + " needs a value");
    }
    if (name == "config") continue;  // read above
    if (auto done = apply(c, name, value); !done) return done.error();
    if (name.ends_with("-port")) explicit_ports.push_back(name);
  }
  if (c.demo) {
    // config/demo.yaml: PagerDuty on 18081, Mattermost on 18082, Jira on 18083; the daemon
    // listens on 8080. Ports given explicitly still win.
    const std::uint16_t demo_ports[] = {18081, 18082, 18083, 18084};
    for (std::size_t i = 0; i < listener_names.size(); ++i)
      if (!c.ports.contains(listener_names[i])) c.ports[listener_names[i]] = demo_ports[i];
    if (c.webhook_urls.empty())
      c.webhook_urls.push_back("http://127.0.0.1:8080/webhooks/pagerduty");
    const std::pair<std::string*, const char*> defaults[] = {
        {&c.pagerduty_token, "demo-pagerduty-token"},
        {&c.webhook_secret, "demo-webhook-secret"},
        {&c.mattermost_token, "demo-mattermost-token"},
        {&c.jira_token, "demo-jira-token"},
        {&c.jira_email, "bot@example.com"}};  // scripts/demo.sh's defaults
    for (const auto& [out, value] : defaults)
      if (out->empty()) *out = value;
    c.seeds.insert(c.seeds.begin(), demo_seed());
  }
  return c;
}

std::string sim_usage() {
  return R"(usage: warroom-sim [options]
Fake PagerDuty, Mattermost and Jira services on loopback, one port each, plus a control API.

  --config FILE              YAML settings (see tests/sim/README.md); flags override it
  --demo                     ports 18081-18084 and the data config/demo.yaml expects
  --pagerduty-port N         PagerDuty REST (default 0: a free port)
  --mattermost-port N        Mattermost API v4
  --jira-port N              Jira REST v2/v3
  --control-port N           control API and journal
  --webhook-url URL          PagerDuty webhook subscriber (repeatable)
  --webhook-secret S         signs webhooks (env PAGERDUTY_WEBHOOK_SECRET)
  --pagerduty-token T        expected REST API key (env PAGERDUTY_TOKEN)
  --mattermost-token T       expected bot token (env MATTERMOST_TOKEN)
  --jira-email E --jira-token T   expected Jira credentials (env JIRA_TOKEN)
  --seed FILE                JSON {"pagerduty": {...}, "mattermost": {...}, "jira": {...}}
  --webhook-retry-base-ms N  first retry delay (doubles per attempt; default 250)
  --webhook-retry-cap-ms N   longest retry delay (default 10000)
  --webhook-max-attempts N   attempts per webhook before giving up (default 5)
  --webhook-timeout-ms N     how long a subscriber may take to answer (default 5000)
Prints "<service> listening on 127.0.0.1:PORT" per listener, then "ready".
)";
}

}  // namespace warroom::sim
