#include <gtest/gtest.h>

#include <warroom/webhook/incident_command.hpp>

namespace warroom::webhook::incident_command_test {
namespace {

struct ok_case {
  const char* text;
  command_verb verb;
  const char* arg;  // text field
  std::vector<std::string> users;
  const char* service;
};

TEST(ParseIncidentCommand, ReadsEverySubcommand) {
  const ok_case cases[] = {
      {"", command_verb::help, "", {}, ""},
      {"  ", command_verb::help, "", {}, ""},
      {"help", command_verb::help, "", {}, ""},
      {"STATUS", command_verb::status, "", {}, ""},
      {"ack", command_verb::ack, "", {}, ""},
      {"acknowledge", command_verb::ack, "", {}, ""},
      {" resolve ", command_verb::resolve, "", {}, ""},
      {"note  disk is full  again ", command_verb::note, "disk is full  again", {}, ""},
      {"add @alice @Bob alice", command_verb::add, "", {"alice", "bob"}, ""},
      {"add carol.d-x_1", command_verb::add, "", {"carol.d-x_1"}, ""},
      {"page @dave", command_verb::page, "", {"dave"}, ""},
      {"priority P1", command_verb::priority, "P1", {}, ""},
      {"new Checkout is down", command_verb::declare, "Checkout is down", {}, ""},
      {"new --service PSVC1 DB slow", command_verb::declare, "DB slow", {}, "PSVC1"},
      {"declare --service Checkout x", command_verb::declare, "x", {}, "Checkout"},
  };
  for (const auto& c : cases) {
    auto cmd = parse_incident_command(c.text);
    ASSERT_TRUE(cmd.has_value()) << c.text << ": " << cmd.error().message;
    EXPECT_EQ(cmd->verb, c.verb) << c.text;
    EXPECT_EQ(cmd->text, c.arg) << c.text;
    EXPECT_EQ(cmd->users, c.users) << c.text;
    EXPECT_EQ(cmd->service, c.service) << c.text;
  }
}

TEST(ParseIncidentCommand, RefusesWithAUsageSentence) {
  const char* bad[] = {"frobnicate",
                       "ack now",
                       "status please",
                       "note",
                       "add",
                       "add @",
                       "add @al!ce",
                       "page",
                       "page @a @b",
                       "priority",
                       "priority P1 P2",
                       "new",
                       "new --service",
                       "new --service PSVC1",
                       "new --force x"};
  for (const char* text : bad) {
    auto cmd = parse_incident_command(text);
    ASSERT_FALSE(cmd.has_value()) << text;
    EXPECT_EQ(cmd.error().code, "usage") << text;
    EXPECT_FALSE(cmd.error().message.empty()) << text;
  }
  EXPECT_FALSE(parse_incident_command("note " + std::string(25001, 'x')).has_value());
  EXPECT_TRUE(parse_incident_command("note " + std::string(25000, 'x')).has_value());
}

TEST(IncidentCommand, OnlyHelpAndNewWorkOutsideAWarRoom) {
  EXPECT_FALSE(needs_war_room(command_verb::help));
  EXPECT_FALSE(needs_war_room(command_verb::declare));
  EXPECT_TRUE(needs_war_room(command_verb::status));
  EXPECT_TRUE(needs_war_room(command_verb::note));
  EXPECT_EQ(to_string(command_verb::declare), "new");
  EXPECT_NE(command_help(false).find("not a war room"), std::string::npos);
  EXPECT_NE(command_help(true).find("/incident page"), std::string::npos);
}

}  // namespace
}  // namespace warroom::webhook::incident_command_test
