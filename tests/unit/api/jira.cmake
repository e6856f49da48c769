# Jira tests (included by tests/unit/api/CMakeLists.txt).
list(APPEND WARROOM_API_TEST_SOURCES jira_test.cpp jira_reply_test.cpp)
