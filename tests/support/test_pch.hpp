// Precompiled header shared by every test target without Asio (see warroom_test in cmake/warroom.cmake).
// GoogleTest and nlohmann/json are in almost every test file; parsing them once per build instead of
// once per file is most of what a clean build of the tests costs.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
