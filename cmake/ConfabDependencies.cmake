# All third-party dependencies come from the platform's package manager; nothing is vendored.

set(CONFAB_QT_MIN 6.4)
find_package(Qt6 ${CONFAB_QT_MIN} REQUIRED COMPONENTS Core Network Sql WebSockets Concurrent)
if(CONFAB_BUILD_SERVER)
  find_package(Qt6 ${CONFAB_QT_MIN} REQUIRED COMPONENTS HttpServer)
endif()
if(CONFAB_BUILD_APP)
  find_package(Qt6 ${CONFAB_QT_MIN} REQUIRED COMPONENTS Gui Widgets LinguistTools)
endif()
if(CONFAB_BUILD_TESTS OR CONFAB_BUILD_BENCHMARKS OR CONFAB_FUZZ)
  find_package(Qt6 ${CONFAB_QT_MIN} REQUIRED COMPONENTS Test)
endif()

if(Qt6_VERSION VERSION_GREATER_EQUAL 6.7)
  target_compile_definitions(confab_common_config INTERFACE QT_NO_CONTEXTLESS_CONNECT)
endif()

find_package(Qt6Keychain REQUIRED)

find_package(PkgConfig REQUIRED)
# cmark-gfm's .pc file links both the core library and its extensions.
pkg_check_modules(CMARK_GFM REQUIRED IMPORTED_TARGET libcmark-gfm)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# The same SQLite Qt's driver uses: for its online backup API (confab-server --backup).
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
