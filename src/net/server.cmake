list(APPEND WARROOM_NET_SOURCES framing.cpp server.cpp serving_loops.cpp session_stream.cpp)
