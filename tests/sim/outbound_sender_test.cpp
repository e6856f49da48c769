#include "outbound_sender.hpp"

#include <deque>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <warroom/net/server.hpp>
#include <warroom/net/tls_context.hpp>

#include "sim_test_support.hpp"

namespace warroom::sim {
namespace {

namespace asio = boost::asio;

class OutboundSender : public ::testing::Test {
 protected:
  OutboundSender()
      : client(io.get_executor(), options(), std::move(*net::make_client_tls_context({}))),
        sender(io.get_executor(), client,
               {4, std::chrono::milliseconds(20), std::chrono::milliseconds(200)}) {}
  ~OutboundSender() override {
    asio::co_spawn(io, sender.drain(std::chrono::seconds(2)), asio::detached);
    io.restart();
    client.close_idle();
    io.run_for(std::chrono::seconds(5));
  }
  static net::client_options options() {
    net::client_options o;
    o.request_timeout = std::chrono::milliseconds(2000);
    return o;
  }

  static outbound webhook(std::uint16_t port, const std::string& incident, const std::string& id,
                          std::string purpose = "webhook") {
    outbound o;
    o.purpose = std::move(purpose);
    o.call.method = api::http_method::post;
    o.call.origin = "http://127.0.0.1:" + std::to_string(port);
    o.call.target = "/hook";
    o.call.body = R"({"n":")" + id + "\"}";
    o.call.headers = {{"X-Webhook-Id", id}, {"Content-Type", "application/json"}};
    o.correlation = {{"incident_id", incident}, {"webhook_id", id}};
    return o;
  }
  void submit(outbound o) {
    sender.submit("pagerduty", std::move(o),
                  [this](const outbound& sent, const api::http_reply& reply) {
                    finished.emplace_back(sent.correlation["webhook_id"], reply.status);
                  });
  }
  bool run_until(const std::function<bool()>& done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    io.restart();
    while (!done() && std::chrono::steady_clock::now() < until)
      io.run_one_for(std::chrono::milliseconds(10));
    return done();
  }
  nlohmann::json delivery(std::size_t i) { return sender.deliveries_json()["deliveries"][i]; }
  /// A subscriber answering from `script`, for the webhook `only_for` alone when given.
  testing::webhook_receiver& subscriber(std::deque<unsigned> script, std::string only_for = "") {
    testing::webhook_receiver::selector scripted;
    if (!only_for.empty())
      scripted = [only_for](const net::request& r) {
        return r.header_value("X-Webhook-Id") == only_for;
      };
    owned.push_back(std::make_unique<testing::webhook_receiver>(std::move(script), scripted));
    return *owned.back();
  }

  asio::io_context io;
  net::http_client client;
  outbound_sender sender;
  std::vector<std::unique_ptr<testing::webhook_receiver>> owned;
  std::vector<std::pair<std::string, unsigned>> finished;
};

TEST_F(OutboundSender, RetriesServerErrorsAndRateLimitsWithTheSameWebhookId) {
  auto& sub = subscriber({503, 429, 500});
  submit(webhook(sub.port(), "Q1", "w-1"));
  ASSERT_TRUE(run_until([&] { return finished.size() == 1; }));
  ASSERT_EQ(sub.received().size(), 4u);
  for (const auto& r : sub.received())
    EXPECT_EQ(r.header_value("X-Webhook-Id"), "w-1");
  EXPECT_EQ(finished[0].second, 202u);
  const auto d = delivery(0);
  EXPECT_EQ(d["attempts"], 4);
  EXPECT_EQ(d["outcome"], "delivered");
  EXPECT_EQ(d["statuses"], nlohmann::json({503, 429, 500, 202}));
}

TEST_F(OutboundSender, OtherClientErrorsDropTheWebhookAtOnce) {
  auto& sub = subscriber({400});
  submit(webhook(sub.port(), "Q1", "w-1"));
  ASSERT_TRUE(run_until([&] { return finished.size() == 1; }));
  EXPECT_EQ(sub.received().size(), 1u);
  EXPECT_EQ(delivery(0)["outcome"], "dropped");
}

TEST_F(OutboundSender, GivesUpAfterMaxAttemptsWhenNobodyListens) {
  std::uint16_t closed_port = 0;
  {
    auto probe =
        std::make_unique<net::server>(io.get_executor(), net::server_options{}, net::router{});
    closed_port = probe->listen("127.0.0.1", 0)->port();
  }  // closed again: connections are refused
  submit(webhook(closed_port, "Q1", "w-1"));
  ASSERT_TRUE(run_until([&] { return finished.size() == 1; }));
  EXPECT_EQ(finished[0].second, 0u);
  EXPECT_EQ(delivery(0)["attempts"], 4);
  EXPECT_EQ(delivery(0)["outcome"], "failed");
  EXPECT_EQ(delivery(0)["statuses"][0], "connect_failed");
}

TEST_F(OutboundSender, AWebhookBeingRetriedHoldsBackItsIncidentButNoOtherIncident) {
  auto& sub = subscriber({503, 503}, "a-1");
  submit(webhook(sub.port(), "QA", "a-1"));
  submit(webhook(sub.port(), "QA", "a-2"));
  submit(webhook(sub.port(), "QB", "b-1"));
  ASSERT_TRUE(run_until([&] { return finished.size() == 3; }));
  std::vector<std::string> order;
  for (const auto& r : sub.received())
    order.emplace_back(*r.header_value("X-Webhook-Id"));
  const auto pos = [&](const std::string& id, int nth = 0) {
    int seen = 0;
    for (std::size_t i = 0; i < order.size(); ++i)
      if (order[i] == id && seen++ == nth) return i;
    return order.size();
  };
  EXPECT_LT(pos("a-1", 2), pos("a-2")) << "a-2 only after a-1 finally succeeded";
  EXPECT_LT(pos("b-1"), pos("a-2")) << "another incident is not held back";
  EXPECT_EQ(std::count(order.begin(), order.end(), "a-1"), 3);
}

TEST_F(OutboundSender, DrainingStopsRetriesAndAbandonsWhatIsQueued) {
  auto& sub = subscriber({503, 503, 503}, "a-1");
  submit(webhook(sub.port(), "QA", "a-1"));
  submit(webhook(sub.port(), "QA", "a-2"));
  ASSERT_TRUE(run_until([&] { return delivery(0)["statuses"].size() == 1; }));
  asio::co_spawn(io, sender.drain(std::chrono::seconds(5)), asio::detached);
  ASSERT_TRUE(run_until([&] { return sender.pending() == 0; }));
  EXPECT_EQ(delivery(0)["outcome"], "failed");
  EXPECT_EQ(delivery(1)["outcome"], "abandoned");
  EXPECT_EQ(delivery(1)["attempts"], 0);
  EXPECT_EQ(finished.size(), 2u);
}

TEST_F(OutboundSender, OtherPurposesAreSentOnceAndTheReplyReported) {
  auto& sub = subscriber({503});
  submit(webhook(sub.port(), "", "click-1", "action"));
  ASSERT_TRUE(run_until([&] { return finished.size() == 1; }));
  EXPECT_EQ(sub.received().size(), 1u);
  EXPECT_EQ(finished[0].second, 503u);
  EXPECT_EQ(delivery(0)["purpose"], "action");
  EXPECT_EQ(sender.deliveries_json("webhook")["deliveries"].size(), 0u);
}

}  // namespace
}  // namespace warroom::sim
