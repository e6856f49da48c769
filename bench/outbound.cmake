# outbound_bench: calls/s through the outbound connection pool to a loopback fake upstream (the
# tests' fake_upstream), for several numbers of concurrent callers.
warroom_fake_upstream_library()
add_executable(outbound_bench outbound_bench.cpp)
target_include_directories(outbound_bench PRIVATE ${PROJECT_SOURCE_DIR}/tests)
target_link_libraries(outbound_bench PRIVATE warroom::net warroom_fake_upstream)
warroom_target_defaults(outbound_bench)
warroom_use_asio(outbound_bench)
