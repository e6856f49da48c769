# ingest_bench: signed 2 KB PagerDuty webhooks/s durably accepted by warroomd (a child process,
# database on disk), next to a bare Beast server answering 202; prints rate, latency quantiles,
# memory and start-up time. Not a test: run it by hand (bench/README.md).
add_executable(ingest_bench ingest_bench.cpp ingest_bare_server.cpp ingest_load.cpp
               ingest_report.cpp ingest_requests.cpp ingest_target.cpp
               ingest_instructions.cpp)
target_include_directories(ingest_bench PRIVATE ${PROJECT_SOURCE_DIR}/tests)
target_link_libraries(ingest_bench PRIVATE warroom::net warroom::webhook warroom::util
                                           warroom::store nlohmann_json::nlohmann_json)
target_compile_definitions(ingest_bench PRIVATE WARROOMD_PATH="$<TARGET_FILE:warroomd>")
warroom_target_defaults(ingest_bench)
warroom_use_asio(ingest_bench)
add_dependencies(ingest_bench warroomd)
