# confab_add_test(NAME SOURCES... [LIBS ...] [LABELS ...] [ENV ...] [TIMEOUT s])
# One QtTest executable per test class, registered with ctest.
function(confab_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
  add_executable(${name} ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE confab_common_config Qt6::Test ${ARG_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES
    TIMEOUT ${ARG_TIMEOUT}
    LABELS "${ARG_LABELS}"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;CONFAB_FIXTURES_DIR=${CONFAB_FIXTURES_DIR};CONFAB_TEST_DATA_DIR=${CMAKE_SOURCE_DIR}/tests/data;${ARG_ENV}")
  target_compile_definitions(${name} PRIVATE
    CONFAB_FIXTURES_DIR="${CONFAB_FIXTURES_DIR}"
    CONFAB_TEST_DATA_DIR="${CMAKE_SOURCE_DIR}/tests/data")
endfunction()

# confab_add_benchmark(NAME SOURCES... [LIBS ...]): built with the project, run by `./dev bench`.
function(confab_add_benchmark name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE confab_common_config ${ARG_LIBS})
  target_compile_definitions(${name} PRIVATE CONFAB_FIXTURES_DIR="${CONFAB_FIXTURES_DIR}")
  # All in one folder, where ./dev bench finds them.
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/bench")
endfunction()

# confab_add_fuzzer(NAME SOURCES... [LIBS ...]): a libFuzzer target (CONFAB_FUZZ builds only).
function(confab_add_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE confab_common_config ${ARG_LIBS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
endfunction()

# The shared fixtures live beside the repository (../shared/fixtures); CONFAB_FIXTURES_DIR
# overrides that for other layouts.
if(NOT CONFAB_FIXTURES_DIR)
  get_filename_component(CONFAB_FIXTURES_DIR "${CMAKE_SOURCE_DIR}/../shared/fixtures" ABSOLUTE)
endif()
set(CONFAB_FIXTURES_DIR "${CONFAB_FIXTURES_DIR}" CACHE PATH "Directory of the shared test fixtures")
