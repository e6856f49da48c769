# Outbound HTTP(S) client: per-origin connection pools and client TLS (included by CMakeLists.txt).
list(APPEND WARROOM_NET_SOURCES client_connection.cpp connection_pool.cpp http_client.cpp
     tls_context.cpp)
