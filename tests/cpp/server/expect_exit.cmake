# cmake -DPROGRAM=... -DARGS="a|b" -DEXPECTED_EXIT=N -DEXPECTED_STDERR=regex -P expect_exit.cmake
# Runs PROGRAM and fails unless it exits with EXPECTED_EXIT and its stderr matches
# EXPECTED_STDERR: ctest alone checks either the exit code or the output, not both.
string(REPLACE "|" ";" args "${ARGS}")
execute_process(
  COMMAND "${PROGRAM}" ${args}
  RESULT_VARIABLE exit_code
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  TIMEOUT 20)
if(NOT "${exit_code}" STREQUAL "${EXPECTED_EXIT}")
  message(FATAL_ERROR "expected exit code ${EXPECTED_EXIT}, got '${exit_code}'\n"
                      "stdout: ${out}\nstderr: ${err}")
endif()
if(NOT err MATCHES "${EXPECTED_STDERR}")
  message(FATAL_ERROR "stderr does not match '${EXPECTED_STDERR}':\n${err}")
endif()
message(STATUS "exit code ${exit_code}, stderr: ${err}")
