// Helpers for the tunnel-edge tests (issue 4): run esp_encrypt_burst, open every ESP packet
// with the test's own EVP code, reassemble IPv4 fragments independently of the engine.
#ifndef IPSECSIM_TESTS_ESP_EDGES_UTIL_H
#define IPSECSIM_TESTS_ESP_EDGES_UTIL_H

#include <algorithm>
#include <map>

#include "esp_test_util.h"

extern "C" {
#include "ipsec_engine/esp_frag.h"
}

namespace esptest {

struct Burst {
  esp_reason reason;
  std::vector<Bytes> esp;  // outer IP packets
  Bytes host;              // ICMP for the host path
};

inline Burst run_burst(sa_db *db, const Bytes &in, uint64_t now = 0) {
  static Bytes out(ESP_BURST_OUT_CAP), host(ESP_HOST_CAP);
  esp_burst b;
  Burst r;
  r.reason = esp_encrypt_burst(db, in.data(), in.size(), now, out.data(), out.size(), host.data(),
                               host.size(), &b, nullptr);
  for (size_t i = 0; i < b.n; i++)
    r.esp.emplace_back(out.begin() + (long)b.off[i], out.begin() + (long)(b.off[i] + b.len[i]));
  r.host.assign(host.begin(), host.begin() + (long)b.host_len);
  return r;
}

// Offset of the ESP header in an outer packet (IPv4 IHL 5 or IPv6 without extensions).
inline size_t esp_offset(const Bytes &o) {
  size_t ip = (o[0] >> 4) == 4 ? 20 : 40;
  uint8_t proto = (o[0] >> 4) == 4 ? o[9] : o[6];
  return ip + (proto == 17 ? 8 : 0);
}

inline Bytes open_inner(const Keys &k, const Bytes &o) {
  size_t off = esp_offset(o);
  return esp_inner(esp_open(k, &o[off], o.size() - off));
}

// Independent RFC 791 reassembly of IPv4 fragments (any order): the datagram with the first
// fragment's header (options as in the first fragment), total length and flags rebuilt.
// Empty when fragments are missing, overlap, or disagree on ID.
inline Bytes reassemble(const std::vector<Bytes> &frags) {
  std::map<size_t, Bytes> parts;
  Bytes first;
  size_t end = 0;
  bool have_last = false;
  uint16_t id = get16(&frags.at(0)[4]);
  for (const Bytes &f : frags) {
    size_t hl = (f[0] & 0xf) * 4u;
    if (get16(&f[4]) != id || csum(f.data(), hl) != 0) return {};
    uint16_t w = get16(&f[6]);
    size_t off = (w & 0x1fffu) * 8u;
    Bytes data(f.begin() + (long)hl, f.begin() + get16(&f[2]));
    if (off == 0) first.assign(f.begin(), f.begin() + (long)hl);
    if (!(w & 0x2000)) { have_last = true; end = off + data.size(); }
    parts[off] = data;
  }
  if (first.empty() || !have_last) return {};
  Bytes payload;
  for (auto &p : parts) {
    if (p.first != payload.size()) return {};
    payload.insert(payload.end(), p.second.begin(), p.second.end());
  }
  if (payload.size() != end) return {};
  Bytes d = first;
  d.insert(d.end(), payload.begin(), payload.end());
  put16(&d[2], (uint16_t)d.size());
  put16(&d[6], 0);
  put16(&d[10], 0);
  put16(&d[10], csum(d.data(), first.size()));
  return d;
}

}  // namespace esptest
#endif
