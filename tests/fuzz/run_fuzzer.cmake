# One bounded libFuzzer run for ctest (fuzz preset): the seeds are copied to WORK so the repo's corpus
# is never written to; crash inputs land in WORK too. Fails when the fuzzer finds anything.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/corpus)
file(GLOB seeds ${CORPUS}/*)
if(seeds)
  file(COPY ${seeds} DESTINATION ${WORK}/corpus)
endif()
execute_process(COMMAND ${FUZZER} ${WORK}/corpus -max_total_time=${SECONDS} -dict=${DICT}
                        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
                        -artifact_prefix=${WORK}/
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} found a failing input (exit ${rc}); see ${WORK}")
endif()
