warroom_test(net_server_tests IO SOURCES server_test.cpp server_tls_test.cpp serving_loops_test.cpp framing_test.cpp message_test.cpp
             DEPS warroom::net)
