# Install layout (GNUInstallDirs), shared by packagers, docker/build.sh and tests/install:
#   bin/warroomd, bin/warroom-sim (when the simulator is part of the build)
#   lib/systemd/system/warroomd.service     (WARROOM_SYSTEMD_UNITDIR; relative = under the prefix)
#   share/doc/warroom/{README.md,LICENSE,warroom.example.yaml,demo.yaml}
# Everything is relative to the prefix, so `cmake --install BUILD --prefix DIR` stages a relocatable tree.

set(WARROOM_SYSTEMD_UNITDIR "lib/systemd/system"
    CACHE STRING "Where warroomd.service goes; relative paths are under CMAKE_INSTALL_PREFIX")
set(warroom_docs README.md LICENSE)
# The lead's example configs may not exist yet in every checkout; OPTIONAL keeps the install working meanwhile.
set(warroom_optional_docs config/warroom.example.yaml config/demo.yaml)

# `warroom_programs` builds what `cmake --install` ships and nothing more (docker/build.sh uses it).
add_custom_target(warroom_programs)
add_dependencies(warroom_programs warroomd)
install(TARGETS warroomd RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
set(warroom_layout_programs "\"warroomd\": \"$<TARGET_FILE:warroomd>\"")
if(TARGET warroom-sim)
  add_dependencies(warroom_programs warroom-sim)
  # OPTIONAL: a build of only `warroomd` (packaging, the install test) still installs.
  install(TARGETS warroom-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} OPTIONAL)
  string(APPEND warroom_layout_programs ", \"warroom-sim\": \"$<TARGET_FILE:warroom-sim>\"")
endif()

# The unit in the tree names the Debian paths (/usr/bin, /usr/share/doc) so that it verifies as it stands; the
# installed copy names this prefix's.
file(READ "${PROJECT_SOURCE_DIR}/config/systemd/warroomd.service" warroom_unit)
string(REPLACE "/usr/bin/warroomd" "${CMAKE_INSTALL_FULL_BINDIR}/warroomd" warroom_unit "${warroom_unit}")
string(REPLACE "/usr/share/doc/warroom" "${CMAKE_INSTALL_FULL_DOCDIR}" warroom_unit "${warroom_unit}")
file(CONFIGURE OUTPUT "${PROJECT_BINARY_DIR}/warroomd.service" CONTENT "${warroom_unit}" @ONLY)
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             "${PROJECT_SOURCE_DIR}/config/systemd/warroomd.service")
install(FILES "${PROJECT_BINARY_DIR}/warroomd.service" DESTINATION ${WARROOM_SYSTEMD_UNITDIR})

install(FILES ${warroom_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${warroom_optional_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)

# The layout above as data for tests/install, written at generate time when the programs' paths are known.
list(JOIN warroom_docs "\", \"" warroom_docs_json)
list(JOIN warroom_optional_docs "\", \"" warroom_optional_docs_json)
file(GENERATE OUTPUT "${PROJECT_BINARY_DIR}/install_layout.json" CONTENT "{
  \"version\": \"${PROJECT_VERSION}\",
  \"programs\": {${warroom_layout_programs}},
  \"known_programs\": [\"warroomd\", \"warroom-sim\"],
  \"bindir\": \"${CMAKE_INSTALL_BINDIR}\",
  \"full_bindir\": \"${CMAKE_INSTALL_FULL_BINDIR}\",
  \"docdir\": \"${CMAKE_INSTALL_DOCDIR}\",
  \"full_docdir\": \"${CMAKE_INSTALL_FULL_DOCDIR}\",
  \"unitdir\": \"${WARROOM_SYSTEMD_UNITDIR}\",
  \"unit_source\": \"config/systemd/warroomd.service\",
  \"docs\": [\"${warroom_docs_json}\"],
  \"optional_docs\": [\"${warroom_optional_docs_json}\"]
}
")
