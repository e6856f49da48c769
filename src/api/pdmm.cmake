# PagerDuty and Mattermost builders/readers (owner: api-pdmm); included by CMakeLists.txt.
list(APPEND WARROOM_API_SOURCES pagerduty.cpp mattermost.cpp vendor_error.cpp)
