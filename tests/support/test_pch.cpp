// The translation unit that builds tests/support/test_pch.hpp's precompiled header (see
// warroom_use_test_pch in cmake/warroom.cmake); it has nothing of its own.
