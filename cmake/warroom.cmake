# Build helpers: every target gets its warnings and sanitizer flags from here, never directory-wide.

function(warroom_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                           -Wimplicit-fallthrough)
  if(WARROOM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(WARROOM_SANITIZE STREQUAL "thread")
    # GCC warns that TSan does not model atomic_thread_fence (Asio uses fences); a race hidden by a
    # fence is reported as one, never missed, so the warning is not an error here.
    target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
    target_link_options(${target} PRIVATE -fsanitize=thread)
  elseif(WARROOM_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(NOT WARROOM_SANITIZE AND NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
    # Shipped programs: a section per function and object lets the linker drop whatever nothing
    # references (the image's size goal).
    target_compile_options(${target} PRIVATE -ffunction-sections -fdata-sections)
    target_link_options(${target} PRIVATE -Wl,--gc-sections)
  endif()
  if(WARROOM_FUZZ)
    # Coverage feedback for libFuzzer in every library; the fuzz targets add -fsanitize=fuzzer.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()

# Combined translation units for a target (WARROOM_UNITY), `batch` sources each.
function(warroom_unity target batch)
  if(WARROOM_UNITY)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${batch})
    # Once several files share a translation unit, GCC 12 reports a coroutine frame that holds a
    # file-local type as leaking it (-Wsubobject-linkage): a false positive there.
    target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
  endif()
endfunction()

# warroom_module(NAME [IO] SOURCES ... DEPS ...)
# One static library per module (folder = namespace). IO modules get the shared Asio/Beast setup:
# separate compilation (the implementation lives once in warroom_net's asio_impl.cpp) and one
# precompiled header reused by every I/O target.
function(warroom_module name)
  cmake_parse_arguments(ARG "IO" "" "SOURCES;DEPS" ${ARGN})
  set(target warroom_${name})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(warroom::${name} ALIAS ${target})
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>)
  target_link_libraries(${target} PUBLIC ${ARG_DEPS})
  warroom_target_defaults(${target})
  if(ARG_IO)
    warroom_use_asio(${target})
    # Only the I/O modules: their files share the costly Asio/Beast instantiations; the pure
    # modules compile in seconds each.
    warroom_unity(${target} 8)
  endif()
endfunction()

# Asio/Beast compile setup for an I/O target; the first target to ask builds the precompiled header.
function(warroom_use_asio target)
  # Asio's recycled handler and coroutine-frame memory comes from operator new, not aligned_alloc:
  # glibc serves aligned_alloc through memalign, past its per-thread cache, for the 16-byte
  # alignment malloc gives anyway (callgrind: a tenth of the instructions per webhook were
  # malloc's). Every Asio user is set up here, so allocation and release always agree.
  target_compile_definitions(${target} PUBLIC BOOST_ASIO_SEPARATE_COMPILATION
                                              BOOST_BEAST_SEPARATE_COMPILATION
                                              BOOST_ASIO_NO_DEPRECATED
                                              BOOST_ASIO_DISABLE_STD_ALIGNED_ALLOC
                                              BOOST_ASIO_DISABLE_BOOST_ALIGN)
  target_link_libraries(${target} PUBLIC Boost::headers OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
  # GCC 12 at -O2 reports Asio's own awaitable frame allocator as mismatched new/delete (a false
  # positive inside Boost); keep it from failing optimised builds with warnings as errors.
  target_compile_options(${target} PRIVATE -Wno-mismatched-new-delete)
  get_property(pch_owner GLOBAL PROPERTY WARROOM_PCH_OWNER)
  if(NOT pch_owner)
    set_property(GLOBAL PROPERTY WARROOM_PCH_OWNER ${target})
    target_precompile_headers(${target} PRIVATE
                              "${PROJECT_SOURCE_DIR}/include/warroom/net/asio_pch.hpp")
  else()
    target_precompile_headers(${target} REUSE_FROM ${pch_owner})
  endif()
endfunction()

# GoogleTest/json precompiled header for a test target without Asio. It is built by a target of its
# own with nothing but the test targets' common flags: a PCH is refused by a file that lacks a macro
# the PCH was built with, so no test target's own dependencies (spdlog's defines) may leak into it.
function(warroom_use_test_pch target)
  if(NOT TARGET warroom_test_pch)
    add_library(warroom_test_pch STATIC "${PROJECT_SOURCE_DIR}/tests/support/test_pch.cpp")
    target_link_libraries(warroom_test_pch PRIVATE GTest::gtest GTest::gmock
                                                   nlohmann_json::nlohmann_json)
    warroom_target_defaults(warroom_test_pch)
    target_precompile_headers(warroom_test_pch PRIVATE
                              "${PROJECT_SOURCE_DIR}/tests/support/test_pch.hpp")
  endif()
  target_precompile_headers(${target} REUSE_FROM warroom_test_pch)
endfunction()

# warroom_test(NAME SOURCES ... DEPS ... [IO])
# One test executable per module; every GoogleTest case becomes its own ctest test.
function(warroom_test name)
  cmake_parse_arguments(ARG "IO" "FIXTURE" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(${name} PRIVATE
    WARROOM_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures"
    WARROOM_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    WARROOM_BINARY_DIR="${PROJECT_BINARY_DIR}")
  warroom_target_defaults(${name})
  if(ARG_IO)
    warroom_use_asio(${name})
  else()
    warroom_use_test_pch(${name})
  endif()
  warroom_unity(${name} 8)
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  set(fixture_properties)
  if(ARG_FIXTURE)
    set(fixture_properties FIXTURES_REQUIRED ${ARG_FIXTURE})
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 30
                       PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 120 ${fixture_properties})
endfunction()

# The `postgres` ctest fixture: a throwaway PostgreSQL cluster (scripts/pg-cluster.sh) for the tests
# that name it; its URL is in ${PROJECT_BINARY_DIR}/postgres-cluster/url. Defined once per build.
function(warroom_postgres_fixture)
  get_property(defined GLOBAL PROPERTY WARROOM_POSTGRES_FIXTURE)
  if(defined)
    return()
  endif()
  set_property(GLOBAL PROPERTY WARROOM_POSTGRES_FIXTURE TRUE)
  set(script "${PROJECT_SOURCE_DIR}/scripts/pg-cluster.sh")
  set(dir "${PROJECT_BINARY_DIR}/postgres-cluster")
  # A cluster left by an interrupted run is stopped first: start wants an empty handle.
  add_test(NAME postgres_cluster_start
           COMMAND sh -c "'${script}' stop '${dir}' && '${script}' start '${dir}' >/dev/null")
  add_test(NAME postgres_cluster_stop COMMAND "${script}" stop "${dir}")
  set_tests_properties(postgres_cluster_start PROPERTIES FIXTURES_SETUP postgres TIMEOUT 120
                                                         LABELS unit)
  set_tests_properties(postgres_cluster_stop PROPERTIES FIXTURES_CLEANUP postgres TIMEOUT 60
                                                        LABELS unit)
endfunction()

# The tests' fake upstream (tests/unit/net/fake_upstream.cpp), one of the longest translation
# units, as one library that net_client_tests and outbound_bench both link: compiled once.
function(warroom_fake_upstream_library)
  if(TARGET warroom_fake_upstream)
    return()
  endif()
  add_library(warroom_fake_upstream STATIC
              ${PROJECT_SOURCE_DIR}/tests/unit/net/fake_upstream.cpp)
  target_include_directories(warroom_fake_upstream PUBLIC ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(warroom_fake_upstream PUBLIC warroom::net)
  warroom_target_defaults(warroom_fake_upstream)
  warroom_use_asio(warroom_fake_upstream)
endfunction()
