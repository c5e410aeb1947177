// Helpers of the tests/cli suites: run the built `ipsecsim` with an environment, stdout and
// stderr kept apart; a scratch folder per suite; small pcap and file helpers.
#ifndef IPSECSIM_TESTS_CLI_UTIL_H
#define IPSECSIM_TESTS_CLI_UTIL_H

#include <dirent.h>
#include <algorithm>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace clitest {

struct Result {
  int rc;
  std::string out, err;
};

inline std::string slurp(const std::string &p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}
inline void spit(const std::string &p, const std::string &data) { std::ofstream(p, std::ios::binary) << data; }
inline bool exists(const std::string &p) {
  struct stat st;
  return lstat(p.c_str(), &st) == 0;
}
inline unsigned mode_of(const std::string &p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 ? (unsigned)(st.st_mode & 0777) : 01000;
}
// Names in dir (no "." and ".."), sorted, space separated: shows a stray temporary.
inline std::string listing(const std::string &dir) {
  std::vector<std::string> v;
  if (DIR *d = opendir(dir.c_str())) {
    while (dirent *e = readdir(d))
      if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") v.push_back(e->d_name);
    closedir(d);
  }
  std::sort(v.begin(), v.end());
  std::string s;
  for (auto &n : v) s += (s.empty() ? "" : " ") + n;
  return s;
}

// `env ipsecsim ARGS` in folder dir; env is "" or "NAME=VALUE ...".
inline Result run_in(const std::string &dir, const std::string &env, const std::string &args) {
  const std::string bin = std::string(IPSECSIM_BINARY_DIR) + "/ipsecsim";
  // captures live in the suite's own folder: suites run in parallel under ctest -j
  const std::string cmd = "cd " + dir + " && " + (env.empty() ? "" : "env " + env + " ") + bin + " " + args +
                          " >" + dir + "/.cli_stdout 2>" + dir + "/.cli_stderr";
  const int st = std::system(cmd.c_str());
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp(dir + "/.cli_stdout"), slurp(dir + "/.cli_stderr")};
}

inline std::string last_line_of(const std::string &s) {
  std::string t = s;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  const size_t nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

inline void le32(std::string &s, uint32_t v) {
  for (int i = 0; i < 4; i++) s += (char)(v >> (8 * i));
}
inline void le16(std::string &s, uint16_t v) {
  for (int i = 0; i < 2; i++) s += (char)(v >> (8 * i));
}

// A little-endian microsecond pcap, link type RAW (101), of n IPv4/UDP packets of len bytes.
inline std::string raw_ipv4_pcap(size_t n, size_t len) {
  std::string s;
  le32(s, 0xa1b2c3d4); le16(s, 2); le16(s, 4); le32(s, 0); le32(s, 0); le32(s, 65535); le32(s, 101);
  for (size_t k = 0; k < n; k++) {
    std::string p(len, '\0');
    const uint8_t hdr[20] = {0x45, 0, (uint8_t)(len >> 8), (uint8_t)len, 0x12, 0x34, 0, 0, 64, 17, 0, 0,
                             10, 0, 0, 1, 10, 1, 0, 1};
    for (int i = 0; i < 20; i++) p[i] = (char)hdr[i];
    uint32_t sum = 0;  // RFC 791 header checksum
    for (int i = 0; i < 20; i += 2) sum += (uint32_t)hdr[i] << 8 | hdr[i + 1];
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    p[10] = (char)(~sum >> 8), p[11] = (char)~sum;
    const size_t ul = len - 20;  // UDP 1234 -> 5678, checksum 0
    p[20] = 0x04, p[21] = (char)0xd2, p[22] = 0x16, p[23] = 0x2e, p[24] = (char)(ul >> 8), p[25] = (char)ul;
    le32(s, (uint32_t)(k + 1)); le32(s, 0); le32(s, (uint32_t)len); le32(s, (uint32_t)len);
    s += p;
  }
  return s;
}

inline std::string sa_yaml() {
  return "sas:\n  - {name: out, direction: outbound, spi: 0x1001, algorithm: aes-128-gcm, "
         "key: 0x00112233445566778899aabbccddeeff0badcafe, local: 192.0.2.1, remote: 198.51.100.1}\n";
}

inline std::string too_large(const std::string &path, const std::string &limit_text, uint64_t limit) {
  return path + ": input size: larger than the limit of " + limit_text + " (allowed: up to " + std::to_string(limit) +
         " bytes; raise it with IPSECSIM_MAX_INPUT=SIZE, e.g. IPSECSIM_MAX_INPUT=64MiB)\n";
}

inline std::string clash(const std::string &out_role, const std::string &out, const std::string &in_role,
                         const std::string &in) {
  return out_role + " " + out + ": is the same file as " + in_role + " " + in +
         " (allowed: an output that is none of the inputs and no other output)\n";
}

}  // namespace clitest
#endif
