# cmake -DPROGRAM=EXE -DMANPAGE=FILE -P CheckManPage.cmake
# Fails when a flag (--name) or a CONFAB_* variable that `EXE --help` prints is not in FILE.
execute_process(COMMAND "${PROGRAM}" --help
  OUTPUT_VARIABLE help ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} --help failed (${status}): ${errors}")
endif()
string(REGEX MATCHALL "--[a-z][a-z0-9-]*|CONFAB_[A-Z0-9_]+" names "${help}")
list(REMOVE_DUPLICATES names)
if(NOT names)
  message(FATAL_ERROR "${PROGRAM} --help printed no flags:\n${help}")
endif()

file(READ "${MANPAGE}" page)
# roff writes a literal hyphen as \-.
string(REPLACE "\\-" "-" page "${page}")
set(missing)
foreach(name IN LISTS names)
  if(NOT page MATCHES "(^|[^a-zA-Z0-9_-])${name}($|[^a-zA-Z0-9_-])")
    list(APPEND missing "${name}")
  endif()
endforeach()
if(missing)
  list(JOIN missing " " missing)
  message(FATAL_ERROR "${MANPAGE} does not document: ${missing}")
endif()
list(LENGTH names count)
message(STATUS "${MANPAGE}: all ${count} names of --help documented")
