// Awaitable access to the store from the event loop: the work runs on the store thread and the
// result is posted back to the caller's executor, so the loop never waits on disk.
//
// These are plain functions returning the awaitable of async_initiate, not coroutines: GCC 12
// mis-destroys init-captured values of lambdas created inside a coroutine frame across a
// co_await, so nothing here is captured inside one.
#pragma once

#include <memory>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <warroom/store/async_store.hpp>
#include <warroom/util/result.hpp>

namespace warroom::pipelines {

namespace detail {

template <class T, class Work>
struct store_task_launch {
  store::async_store* db;
  boost::asio::any_io_executor ex;
  Work work;
  bool (store::async_store::*lane)(store::async_store::task);

  template <class Handler>
  void operator()(Handler handler) {
    namespace asio = boost::asio;
    auto shared = std::make_shared<Handler>(std::move(handler));
    auto guard = std::make_shared<asio::executor_work_guard<asio::any_io_executor>>(ex);
    const bool posted = (db->*lane)([shared, guard,
                                     w = std::move(work)](store::database& d) mutable {
      asio::post(guard->get_executor(), [shared, r = w(d)]() mutable { (*shared)(std::move(r)); });
    });
    if (!posted) {
      asio::post(ex, [shared]() mutable {
        (*shared)(result<T>(make_error("unavailable", "the store is stopped")));
      });
    }
  }
};

struct ingest_launch {
  store::async_store* db;
  boost::asio::any_io_executor ex;
  store::delivery item;

  template <class Handler>
  void operator()(Handler handler) {
    namespace asio = boost::asio;
    auto shared = std::make_shared<Handler>(std::move(handler));
    auto guard = std::make_shared<asio::executor_work_guard<asio::any_io_executor>>(ex);
    db->ingest(std::move(item), [shared, guard](result<store::ingest_result> r) {
      asio::post(guard->get_executor(),
                 [shared, r = std::move(r)]() mutable { (*shared)(std::move(r)); });
    });
  }
};

struct write_launch {
  store::async_store* db;
  boost::asio::any_io_executor ex;
  store::async_store::write_work work;

  template <class Handler>
  void operator()(Handler handler) {
    namespace asio = boost::asio;
    auto shared = std::make_shared<Handler>(std::move(handler));
    auto guard = std::make_shared<asio::executor_work_guard<asio::any_io_executor>>(ex);
    db->write(std::move(work), [shared, guard](result<void> r) {
      asio::post(guard->get_executor(),
                 [shared, r = std::move(r)]() mutable { (*shared)(std::move(r)); });
    });
  }
};

}  // namespace detail

/// Runs `work(database&) -> result<T>` on the store thread; co_await the returned awaitable.
template <class T, class Work>
boost::asio::awaitable<result<T>> on_store(store::async_store& db, boost::asio::any_io_executor ex,
                                           Work work) {
  namespace asio = boost::asio;
  return asio::async_initiate<decltype(asio::use_awaitable), void(result<T>)>(
      detail::store_task_launch<T, Work>{&db, std::move(ex), std::move(work),
                                         &store::async_store::post},
      asio::use_awaitable);
}

/// Runs a read-only `work(database&) -> result<T>` on the store's reader (its own connection and
/// thread), so a scan never holds back a commit; co_await the returned awaitable.
template <class T, class Work>
boost::asio::awaitable<result<T>> on_reader(store::async_store& db, boost::asio::any_io_executor ex,
                                            Work work) {
  namespace asio = boost::asio;
  return asio::async_initiate<decltype(asio::use_awaitable), void(result<T>)>(
      detail::store_task_launch<T, Work>{&db, std::move(ex), std::move(work),
                                         &store::async_store::read},
      asio::use_awaitable);
}

/// Group-committed ingest: completes once the delivery's transaction committed (or failed).
inline boost::asio::awaitable<result<store::ingest_result>> ingest(store::async_store& db,
                                                                   boost::asio::any_io_executor ex,
                                                                   store::delivery d) {
  namespace asio = boost::asio;
  return asio::async_initiate<decltype(asio::use_awaitable), void(result<store::ingest_result>)>(
      detail::ingest_launch{&db, std::move(ex), std::move(d)}, asio::use_awaitable);
}

/// Group-committed write: completes once the transaction holding it committed (or failed).
inline boost::asio::awaitable<result<void>> write_on_store(store::async_store& db,
                                                           boost::asio::any_io_executor ex,
                                                           store::async_store::write_work work) {
  namespace asio = boost::asio;
  return asio::async_initiate<decltype(asio::use_awaitable), void(result<void>)>(
      detail::write_launch{&db, std::move(ex), std::move(work)}, asio::use_awaitable);
}

}  // namespace warroom::pipelines
