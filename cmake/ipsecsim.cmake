# Helpers shared by every folder.
#
# ipsecsim_c_library(NAME SOURCES ... [LIBS ...])
#   A C11 static library NAME and, when IPSECSIM_SANITIZE_TWINS is on, an ASan+UBSan twin
#   NAME_asan built from the same sources (SystemC and Verilated code never get a twin).
# ipsecsim_test(NAME SOURCES ... LIBS ... [LABELS ...] [ASAN] [ARGS ...])
#   A GoogleTest (or plain C) test executable registered with ctest. LABELS default to quick.
#   With ASAN a twin NAME_asan links the *_asan libraries (LIBS given without suffix).

set(IPSECSIM_WARNINGS -Wall -Wextra -Wshadow -Wno-unused-parameter)
set(IPSECSIM_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
set(IPSECSIM_ROOT ${CMAKE_SOURCE_DIR})

# The sanitizer twin of each library in a list (libraries without a twin stay as they are).
function(ipsecsim_twin_libs out)
  set(result "")
  foreach(l ${ARGN})
    if(TARGET ${l}_asan)
      list(APPEND result ${l}_asan)
    else()
      list(APPEND result ${l})
    endif()
  endforeach()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

function(ipsecsim_c_library name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS;PUBLIC_INCLUDES" ${ARGN})
  if(NOT A_PUBLIC_INCLUDES)
    set(A_PUBLIC_INCLUDES ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  add_library(${name} STATIC ${A_SOURCES})
  target_include_directories(${name} PUBLIC ${A_PUBLIC_INCLUDES} ${IPSECSIM_ROOT})
  target_compile_options(${name} PRIVATE ${IPSECSIM_WARNINGS})
  target_link_libraries(${name} PUBLIC ${A_LIBS})
  if(IPSECSIM_SANITIZE_TWINS)
    add_library(${name}_asan STATIC ${A_SOURCES})
    target_include_directories(${name}_asan PUBLIC ${A_PUBLIC_INCLUDES} ${IPSECSIM_ROOT})
    target_compile_options(${name}_asan PRIVATE ${IPSECSIM_WARNINGS} ${IPSECSIM_SAN_FLAGS} -O1)
    target_link_options(${name}_asan PUBLIC ${IPSECSIM_SAN_FLAGS})
    ipsecsim_twin_libs(twin_libs ${A_LIBS})
    target_link_libraries(${name}_asan PUBLIC ${twin_libs})
  endif()
endfunction()

function(ipsecsim_test name)
  cmake_parse_arguments(A "ASAN;NO_GTEST_MAIN" "TIMEOUT;WORKING_DIRECTORY" "SOURCES;LIBS;LABELS;ARGS" ${ARGN})
  if(NOT A_LABELS)
    set(A_LABELS quick)
  endif()
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 600)
  endif()
  set(gt GTest::gtest_main)
  if(A_NO_GTEST_MAIN)
    set(gt GTest::gtest)
  endif()
  add_executable(${name} ${A_SOURCES})
  target_include_directories(${name} PRIVATE ${IPSECSIM_ROOT} ${IPSECSIM_ROOT}/tests)
  target_compile_options(${name} PRIVATE ${IPSECSIM_WARNINGS})
  target_compile_definitions(${name} PRIVATE IPSECSIM_SOURCE_DIR="${IPSECSIM_ROOT}" IPSECSIM_BINARY_DIR="${CMAKE_BINARY_DIR}")
  target_link_libraries(${name} PRIVATE ${A_LIBS} ${gt} Threads::Threads)
  add_test(NAME ${name} COMMAND ${name} ${A_ARGS})
  set_tests_properties(${name} PROPERTIES LABELS "${A_LABELS}" TIMEOUT ${A_TIMEOUT})
  if(A_ASAN AND IPSECSIM_SANITIZE_TWINS)
    ipsecsim_twin_libs(twin_libs ${A_LIBS})
    add_executable(${name}_asan ${A_SOURCES})
    target_include_directories(${name}_asan PRIVATE ${IPSECSIM_ROOT} ${IPSECSIM_ROOT}/tests)
    target_compile_options(${name}_asan PRIVATE ${IPSECSIM_WARNINGS} ${IPSECSIM_SAN_FLAGS} -O1)
    target_compile_definitions(${name}_asan PRIVATE IPSECSIM_SOURCE_DIR="${IPSECSIM_ROOT}" IPSECSIM_BINARY_DIR="${CMAKE_BINARY_DIR}")
    target_link_options(${name}_asan PRIVATE ${IPSECSIM_SAN_FLAGS})
    target_link_libraries(${name}_asan PRIVATE ${twin_libs} ${gt} Threads::Threads)
    add_test(NAME ${name}_asan COMMAND ${name}_asan ${A_ARGS})
    set_tests_properties(${name}_asan PROPERTIES LABELS "${A_LABELS};asan" TIMEOUT ${A_TIMEOUT}
      ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1;UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
  endif()
  if(A_WORKING_DIRECTORY)
    set_tests_properties(${name} PROPERTIES WORKING_DIRECTORY ${A_WORKING_DIRECTORY})
  endif()
endfunction()

# ipsecsim_fuzz_target(NAME SOURCES ... [LIBS -l...] [SECONDS N])
#   Built with clang -fsanitize=fuzzer,address,undefined (and _DEFAULT_SOURCE, as the gcc
#   build defines it for strdup and friends) outside the gcc toolchain (a custom
#   command), run for SECONDS (default 5) in the quick suite; run long by hand:
#   build/tests/fuzz/NAME -max_total_time=3600 CORPUS_DIR
function(ipsecsim_fuzz_target name)
  cmake_parse_arguments(A "" "SECONDS" "SOURCES;LIBS" ${ARGN})
  if(NOT IPSECSIM_FUZZ)
    return()
  endif()
  find_program(CLANG_C clang)
  if(NOT CLANG_C)
    message(WARNING "clang not found: fuzz target ${name} skipped")
    return()
  endif()
  if(NOT A_SECONDS)
    set(A_SECONDS 5)
  endif()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name})
  add_custom_command(OUTPUT ${out}
    COMMAND ${CLANG_C} -std=c11 -D_DEFAULT_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined
            -I${IPSECSIM_ROOT} -I${IPSECSIM_ROOT}/model -I${IPSECSIM_ROOT}/ipsec_engine
            ${A_SOURCES} -o ${out} ${A_LIBS}
    DEPENDS ${A_SOURCES}
    COMMENT "clang libFuzzer target ${name}"
    VERBATIM)
  add_custom_target(${name}_build ALL DEPENDS ${out})
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/${name}_corpus)
  add_test(NAME ${name} COMMAND ${out} -max_total_time=${A_SECONDS} -rss_limit_mb=2048
           ${CMAKE_CURRENT_BINARY_DIR}/${name}_corpus)
  set_tests_properties(${name} PROPERTIES LABELS "quick;fuzz" TIMEOUT 120)
endfunction()
