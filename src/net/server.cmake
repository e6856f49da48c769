list(APPEND WARROOM_NET_SOURCES framing.cpp server.cpp)
