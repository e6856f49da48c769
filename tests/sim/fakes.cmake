# The Mattermost and Jira fakes of warroom-sim and their tests; included by tests/sim/CMakeLists.txt.
list(APPEND WARROOM_SIM_SOURCES
     mm_jira_http.cpp
     mm_model.cpp mm_channels.cpp mm_roles.cpp mm_posts.cpp mm_click.cpp mm_commands.cpp
     mattermost_fake.cpp
     jira_model.cpp jira_issues.cpp jira_workflow.cpp jira_search.cpp jira_projects.cpp jira_fake.cpp)
list(APPEND WARROOM_SIM_TEST_SOURCES
     mattermost_fake_test.cpp mm_posts_test.cpp mm_click_test.cpp
     jira_fake_test.cpp jira_workflow_test.cpp)
