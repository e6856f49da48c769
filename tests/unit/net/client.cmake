# Outbound client and connection pool tests (included by CMakeLists.txt), against an in-process
# fake upstream (plain and TLS) on 127.0.0.1:0.
warroom_fake_upstream_library()
warroom_test(net_client_tests IO
  SOURCES connection_pool_test.cpp tls_test.cpp
  DEPS warroom::net warroom_fake_upstream)
