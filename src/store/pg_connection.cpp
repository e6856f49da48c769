#include <algorithm>
#include <charconv>

#include <warroom/store/pg_connection.hpp>

#include "libpq_api.hpp"

namespace warroom::store {
namespace {

// libpq's message, trimmed of its trailing newline.
std::string message_of(const char* text) {
  std::string out = text == nullptr ? "" : text;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  return out;
}

// Classes 22 (data exception) and 23 (integrity constraint) are about what we sent: retrying the
// same data fails the same way. Everything else (connection, resources, shutdown, serialization)
// may pass later.
const char* code_for(const char* sqlstate) {
  if (sqlstate != nullptr && (std::string_view(sqlstate).starts_with("22") ||
                              std::string_view(sqlstate).starts_with("23")))
    return "invalid";
  return "unavailable";
}

PGconn* connect(const libpq_api& pq, const std::string& url) {
  // expand_dbname: `dbname` may be a whole URL or key=value string; ours only add to it.
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* values[] = {url.c_str(), "5", "warroomd", nullptr};
  return pq.PQconnectdbParams(keys, values, 1);
}

}  // namespace

void pg_rows::clear::operator()(PGresult* res) const noexcept {
  if (pq != nullptr) pq->PQclear(res);
}

int pg_rows::size() const noexcept {
  return res_ ? pq_->PQntuples(res_.get()) : 0;
}

std::string pg_rows::text_at(int row, int column) const {
  if (!res_ || pq_->PQgetisnull(res_.get(), row, column)) return {};
  return std::string(pq_->PQgetvalue(res_.get(), row, column),
                     static_cast<std::size_t>(pq_->PQgetlength(res_.get(), row, column)));
}

std::int64_t pg_rows::int_at(int row, int column) const {
  if (!res_ || pq_->PQgetisnull(res_.get(), row, column)) return 0;
  const char* text = pq_->PQgetvalue(res_.get(), row, column);
  const char* end = text + pq_->PQgetlength(res_.get(), row, column);
  std::int64_t value = 0;
  std::from_chars(text, end, value);
  return value;
}

bool pg_rows::is_null(int row, int column) const noexcept {
  return !res_ || pq_->PQgetisnull(res_.get(), row, column) != 0;
}

std::int64_t pg_rows::affected() const noexcept {
  if (!res_) return 0;
  const char* n = pq_->PQcmdTuples(res_.get());
  std::int64_t value = 0;
  std::from_chars(n, n + std::char_traits<char>::length(n), value);
  return value;
}

result<std::unique_ptr<pg_connection>> pg_connection::open(const std::string& url) {
  auto loaded = load_libpq();
  if (!loaded) return loaded.error();
  const libpq_api& pq = **loaded;
  PGconn* conn = connect(pq, url);
  if (conn == nullptr) return make_error("unavailable", "postgres: out of memory");
  if (pq.PQstatus(conn) != CONNECTION_OK) {
    auto failure = make_error("unavailable", "postgres: " + message_of(pq.PQerrorMessage(conn)));
    pq.PQfinish(conn);
    return failure;
  }
  return std::unique_ptr<pg_connection>(new pg_connection(&pq, conn));
}

int pg_connection::backend_pid() const noexcept {
  return pq_->PQbackendPID(conn_);
}

pg_connection::~pg_connection() {
  pq_->PQfinish(conn_);
}

result<void> pg_connection::ensure_open() {
  if (pq_->PQstatus(conn_) == CONNECTION_OK) return {};
  const auto now = std::chrono::steady_clock::now();
  if (now < next_reconnect_) {
    return make_error("unavailable", "postgres: connection lost, reconnecting");
  }
  pq_->PQreset(conn_);
  if (pq_->PQstatus(conn_) == CONNECTION_OK) {
    backoff_ = std::chrono::milliseconds(100);
    return {};
  }
  next_reconnect_ = std::chrono::steady_clock::now() + backoff_;
  backoff_ = std::min<std::chrono::milliseconds>(backoff_ * 2, std::chrono::seconds(5));
  return make_error("unavailable", "postgres: " + message_of(pq_->PQerrorMessage(conn_)));
}

bool pg_connection::in_transaction() const noexcept {
  const auto status = pq_->PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

result<pg_rows> pg_connection::run(std::string_view sql, std::initializer_list<pg_param> params) {
  return run(sql, std::vector<pg_param>(params));
}

result<pg_rows> pg_connection::run(std::string_view sql, const std::vector<pg_param>& params) {
  if (auto open = ensure_open(); !open) return open.error();
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params)
    values.push_back(p.c_str());
  const std::string text(sql);
  PGresult* res = pq_->PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                                    values.data(), nullptr, nullptr, 0);
  return finish(res, sql);
}

result<void> pg_connection::exec(const char* sql) {
  if (auto open = ensure_open(); !open) return open.error();
  auto done = finish(pq_->PQexec(conn_, sql), sql);
  if (!done) return done.error();
  return {};
}

result<pg_rows> pg_connection::finish(PGresult* res, std::string_view sql) {
  pg_rows rows(pq_, res);
  const auto status = res == nullptr ? PGRES_FATAL_ERROR : pq_->PQresultStatus(res);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return rows;
  const char* sqlstate = res == nullptr ? nullptr : pq_->PQresultErrorField(res, PG_DIAG_SQLSTATE);
  const std::string reason =
      message_of(res == nullptr ? pq_->PQerrorMessage(conn_) : pq_->PQresultErrorMessage(res));
  // The statement's first words say what failed without quoting any value.
  const auto head = sql.substr(0, std::min<std::size_t>(sql.size(), 40));
  return make_error(code_for(sqlstate),
                    "postgres: " + reason + " (in: " + std::string(head) + "...)");
}

namespace {

void append_quoted(std::string& out, std::string_view item) {
  out.push_back('"');
  for (const char c : item) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

std::string pg_text_array(const std::vector<std::string_view>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_quoted(out, items[i]);
  }
  out.push_back('}');
  return out;
}

std::string pg_int_array(const std::vector<std::int64_t>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += std::to_string(items[i]);
  }
  out.push_back('}');
  return out;
}

}  // namespace warroom::store
