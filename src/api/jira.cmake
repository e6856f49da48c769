# Jira REST v2/v3 builders and readers (included by src/api/CMakeLists.txt).
list(APPEND WARROOM_API_SOURCES jira.cpp jira_adf.cpp jira_reply.cpp)
