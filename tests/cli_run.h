// Runs the built `ipsecsim` binary from a test and captures exit status and output.
#ifndef IPSECSIM_TESTS_CLI_RUN_H
#define IPSECSIM_TESTS_CLI_RUN_H

#include <sys/wait.h>

#include <cstdio>
#include <string>

struct CliResult {
  int status;       // exit status, -1 if it did not exit normally
  std::string out;  // stdout and stderr, interleaved
};

inline std::string ipsecsim_binary() { return std::string(IPSECSIM_BINARY_DIR) + "/ipsecsim"; }

inline CliResult run_ipsecsim(const std::string &args) {
  CliResult r{-1, ""};
  FILE *p = popen((ipsecsim_binary() + " " + args + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline std::string last_line(const std::string &s) {
  std::string t = s;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  const size_t nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

#endif
