// The completion token of every awaited operation in the net module: the error comes back as a
// value next to the result, never as an exception on the request path.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace warroom::net {

inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace warroom::net
