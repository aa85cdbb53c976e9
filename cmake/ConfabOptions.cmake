# Project options and the one INTERFACE target that carries language level, warnings and
# Qt's strictness defines. Every Confab target links confab_common_config.

option(CONFAB_BUILD_APP "Build the desktop app" ON)
option(CONFAB_BUILD_SERVER "Build confab-server" ON)
option(CONFAB_BUILD_TESTS "Build the tests" ON)
option(CONFAB_BUILD_BENCHMARKS "Build the benchmarks in bench/" ON)
option(CONFAB_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(CONFAB_FUZZ "Build the libFuzzer targets (clang only; implies ASan+UBSan)" OFF)
option(CONFAB_WERROR "Treat warnings as errors" OFF)

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
set(CMAKE_AUTOMOC ON)

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

if(CONFAB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CONFAB_FUZZ needs clang (libFuzzer): configure with CXX=clang++ CC=clang")
  endif()
  set(CONFAB_SANITIZE ON)
  # Everything is instrumented for coverage; only the fuzz executables link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(CONFAB_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

add_library(confab_common_config INTERFACE)
target_compile_features(confab_common_config INTERFACE cxx_std_20)
target_compile_definitions(confab_common_config INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CAST_FROM_BYTEARRAY
  QT_NO_URL_CAST_FROM_STRING
  QT_USE_QSTRINGBUILDER
  QT_NO_FOREACH
  QT_STRICT_ITERATORS
  CONFAB_VERSION="${PROJECT_VERSION}")
if(MSVC)
  target_compile_options(confab_common_config INTERFACE /W4 /utf-8 /permissive-)
else()
  target_compile_options(confab_common_config INTERFACE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough)
endif()
if(CONFAB_WERROR)
  target_compile_options(confab_common_config INTERFACE $<IF:$<CXX_COMPILER_ID:MSVC>,/WX,-Werror>)
endif()
