# PagerDuty and Mattermost tests (owner: api-pdmm); included by CMakeLists.txt.
list(APPEND WARROOM_API_TEST_SOURCES pagerduty_test.cpp mattermost_test.cpp vendor_error_test.cpp)
