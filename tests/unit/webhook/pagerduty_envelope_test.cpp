#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <warroom/webhook/json_input.hpp>
#include <warroom/webhook/pagerduty_envelope.hpp>
#include <warroom/webhook/pagerduty_event.hpp>

#include "support/fixtures.hpp"

namespace warroom::webhook::pagerduty_envelope_test {
namespace {

using nlohmann::json;

// The one-pass scan must agree with the full parse intake used before it: the same ids, or a
// rejection with the same error code.
void expect_agree(const std::string& body) {
  const auto full = parse_pagerduty_event(body);
  const auto scan = scan_pagerduty_envelope(body);
  ASSERT_EQ(full.has_value(), scan.has_value())
      << body.substr(0, 300) << "\nfull: " << (full ? "ok" : full.error().message)
      << "\nscan: " << (scan ? "ok" : scan.error().message);
  if (!full) {
    EXPECT_EQ(scan.error().code, full.error().code) << body.substr(0, 300);
    return;
  }
  EXPECT_EQ(scan->id, full->id);
  EXPECT_EQ(scan->event_type, full->event_type);
  EXPECT_EQ(scan->kind, full->kind);
  EXPECT_EQ(scan->incident_id, incident_id_of(*full)) << body.substr(0, 300);
}

// Every webhook body in the fixtures: any object with an "event" member, however nested.
void collect_bodies(const json& node, std::vector<json>& out) {
  if (node.is_object() && node.contains("event")) out.push_back(node);
  if (node.is_structured())
    for (const auto& child : node)
      collect_bodies(child, out);
}

std::vector<json> fixture_bodies() {
  std::vector<json> out;
  for (const auto& file : fixtures::files("pagerduty", "webhook-v3-")) {
    const auto doc =
        json::parse(fixtures::read(std::filesystem::relative(file, fixtures::path("")).string()),
                    nullptr, false);
    collect_bodies(doc, out);
  }
  return out;
}

TEST(PagerDutyEnvelope, ReadsTheCapturedWebhooks) {
  const auto triggered = scan_pagerduty_envelope(
      fixtures::read("pagerduty/webhook-v3-captured-incident.triggered.json"));
  ASSERT_TRUE(triggered.has_value()) << triggered.error().message;
  EXPECT_EQ(triggered->kind, event_kind::triggered);
  EXPECT_FALSE(triggered->id.empty());
  EXPECT_FALSE(triggered->incident_id.empty());
  const auto bodies = fixture_bodies();
  ASSERT_GE(bodies.size(), 6u);
  for (const auto& body : bodies)
    expect_agree(body.dump());
}

TEST(PagerDutyEnvelope, AgreesWhenAnyFieldIsMissingOrOfAnotherType) {
  const std::vector<json> replacements = {
      nullptr, 1, 2.5, true, "", "PX1", json::array(), json::object(), json{{"id", "PNESTED"}}};
  const std::vector<std::vector<std::string>> spine = {{"event"},
                                                       {"event", "id"},
                                                       {"event", "event_type"},
                                                       {"event", "data"},
                                                       {"event", "data", "type"},
                                                       {"event", "data", "id"},
                                                       {"event", "data", "incident"},
                                                       {"event", "data", "incident", "id"}};
  int checked = 0;
  for (const auto& body : fixture_bodies()) {
    for (const auto& path : spine) {
      json::json_pointer pointer;
      for (const auto& part : path)
        pointer /= part;
      if (!body.contains(pointer.parent_pointer()) || !body[pointer.parent_pointer()].is_object())
        continue;
      json removed = body;
      removed[pointer.parent_pointer()].erase(path.back());
      expect_agree(removed.dump());
      for (const auto& value : replacements) {
        json changed = body;
        changed[pointer] = value;
        expect_agree(changed.dump());
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 100);
}

TEST(PagerDutyEnvelope, AgreesOnTruncationsAndFlippedBytes) {
  std::uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  for (const auto& parsed : fixture_bodies()) {
    const std::string body = parsed.dump();
    for (std::size_t cut = 0; cut < body.size(); cut += 11)
      expect_agree(body.substr(0, cut));
    for (int i = 0; i < 100; ++i) {
      std::string flipped = body;
      const char bytes[] = {'{', '}', '[', ']', '"', ',', ':', '\\', 'x', '0', ' '};
      flipped[next() % flipped.size()] = bytes[next() % sizeof bytes];
      expect_agree(flipped);
    }
  }
}

TEST(PagerDutyEnvelope, TheLastDuplicateKeyWinsAsInTheFullParse) {
  const std::string event =
      R"({"id":"E1","event_type":"incident.triggered","data":{"id":"PINC1","type":"incident"}})";
  const std::vector<std::string> bodies = {
      R"({"event":5,"event":)" + event + "}",
      R"({"event":)" + event + R"(,"event":5})",
      R"({"event":)" + event +
          R"(,"event":{"id":"E2","event_type":"incident.resolved","data":{"id":"PINC2","type":"incident"}}})",
      R"({"event":{"id":"E1","id":{},"event_type":"incident.triggered","data":{"id":"P1","type":"incident"}}})",
      R"({"event":{"id":"E1","event_type":"incident.triggered","data":{"id":"P1","type":"incident"},"data":[]}})",
      R"({"event":{"id":"E1","event_type":"incident.annotated","data":{"type":"incident_note","incident":{"id":"P1"},"incident":{"id":2}}}})",
      R"({"event":{"id":"E1","event_type":"incident.annotated","data":{"type":"incident_note","incident":{"id":"P1"},"incident":null}}})",
      R"({"event":{"id":"E1","event_type":"incident.responder.added","data":{"id":"P9","incident":{"id":"P1"},"incident":{"x":1}}}})",
      R"({"event":{"id":"E1","event_type":"incident.triggered","data":{"type":"incident","id":"P1","type":"other"}}})",
  };
  for (const auto& body : bodies)
    expect_agree(body);
}

TEST(PagerDutyEnvelope, BoundsDepthLikeTheFullParse) {
  for (std::size_t depth : {max_json_depth - 2, max_json_depth - 1, max_json_depth,
                            max_json_depth + 1, std::size_t{10000}}) {
    // The extra levels sit beside the spine, in a field nobody reads.
    const std::string deep = std::string(depth, '[') + std::string(depth, ']');
    const std::string body =
        R"({"event":{"id":"E1","event_type":"incident.triggered","data":{"id":"P1","type":"incident"}},"x":)" +
        deep + "}";
    expect_agree(body);
    const auto scan = scan_pagerduty_envelope(body);
    EXPECT_EQ(scan.has_value(), depth + 1 <= max_json_depth) << depth;
  }
}

TEST(PagerDutyEnvelope, ReadsNothingAfterANulLikeTheFullParse) {
  // nlohmann stops at a NUL outside a string; whatever follows, however deep, is not JSON to it.
  const std::string body =
      R"({"event":{"id":"E1","event_type":"incident.triggered","data":{"id":"P1","type":"incident"}}})";
  for (const std::string& tail : {std::string(1000, '['), std::string("garbage"), std::string()}) {
    const std::string with_nul = body + std::string(1, '\0') + tail;
    expect_agree(with_nul);
    EXPECT_TRUE(scan_pagerduty_envelope(with_nul).has_value());
  }
}

TEST(PagerDutyEnvelope, ReadsEscapedKeysAndValuesLikeTheFullParse) {
  const std::string escaped =
      R"({"\u0065vent":{"\u0069d":"E\u0031","event_type":"incident.\u0074riggered","data":{"id":"P\u00e9","type":"incident"}}})";
  for (
      const std::string& body : {
          escaped,
          std::string(
              R"({"event":{"id":"E1","event_type":"incident.annotated","data":{"type":"incident_note","\u0069ncident":{"id":"P\uD83D\uDE00"}}}})"),
          std::string(
              R"({"event":{"id":"E1","event_type":"incident.triggered","data":{"id":"P1","type":"incident","title":"\uD800"}}})"),
          std::string(
              R"({"event":{"id":"E1","event_type":"incident.triggered","data":{"id":"P1","type":"incident","n":1e999}}})"),
          std::string("{\"event\":{\"id\":\"E1\",\"event_type\":\"incident.triggered\",\"data\":{"
                      "\"id\":\"P1\",\"type\":\"incident\",\"title\":\"\xed\xa0\x80\"}}}"),
      }) {
    expect_agree(body);
  }
  const auto scan = scan_pagerduty_envelope(escaped);
  ASSERT_TRUE(scan.has_value());
  EXPECT_EQ(scan->id, "E1");
  EXPECT_EQ(scan->incident_id, "P\xc3\xa9");
}

TEST(PagerDutyEnvelope, AgreesOnHugeStringsAndOddRoots) {
  const std::string huge(1 << 20, 'a');
  for (const std::string& body :
       {R"({"event":{"id":")" + huge +
            R"(","event_type":"incident.triggered","data":{"id":"P1","type":"incident"}}})",
        std::string("[]"), std::string("\"event\""), std::string("null"), std::string(""),
        std::string("{}"), std::string(R"({"event":{}})"), std::string(" {\"event\":[]} "),
        std::string("{\"event\":{\"id\":\"E\\u0000\",\"event_type\":\"pagey.ping\",\"data\":{}}}")})
    expect_agree(body);
}

}  // namespace
}  // namespace warroom::webhook::pagerduty_envelope_test
