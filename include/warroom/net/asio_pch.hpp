// Precompiled header shared by every I/O target (see warroom_use_asio in cmake/warroom.cmake).
// Parsing Asio and Beast once per build instead of once per file keeps clean builds in minutes.
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
