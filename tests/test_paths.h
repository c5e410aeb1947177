// Work paths of a test binary: a test and its ASan twin (the same source built twice) run in
// parallel under ctest -j, so each gets its own path, named after its executable.
#ifndef IPSECSIM_TESTS_TEST_PATHS_H
#define IPSECSIM_TESTS_TEST_PATHS_H

#include <unistd.h>

#include <string>

// IPSECSIM_BINARY_DIR/tests/REL.EXE (EXE: this binary's file name).
inline std::string test_work_path(const std::string &rel) {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  std::string exe = n > 0 ? std::string(buf, (size_t)n) : std::string("test");
  exe = exe.substr(exe.rfind('/') + 1);
  return std::string(IPSECSIM_BINARY_DIR) + "/tests/" + rel + "." + exe;
}

#endif
