list(APPEND WARROOM_NET_SOURCES framing.cpp server.cpp session_stream.cpp)
