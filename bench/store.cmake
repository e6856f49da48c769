# store_bench: concurrent 2 KB deliveries through async_store's group commit on a real file.
add_executable(store_bench store_bench.cpp)
target_link_libraries(store_bench PRIVATE warroom::store)
warroom_target_defaults(store_bench)
