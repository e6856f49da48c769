# Outbound client and connection pool tests (included by CMakeLists.txt), against an in-process
# fake upstream (plain and TLS) on 127.0.0.1:0.
warroom_test(net_client_tests IO
  SOURCES connection_pool_test.cpp tls_test.cpp fake_upstream.cpp
  DEPS warroom::net)
# Its coroutine frames would name the test files' anonymous-namespace types (-Wsubobject-linkage).
set_source_files_properties(fake_upstream.cpp PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
