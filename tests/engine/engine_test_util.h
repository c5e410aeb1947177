// Helpers for the engine tests: default SAs and parameters, an engine that records every
// outcome, saturation runs measured from release times.
#ifndef IPSECSIM_TESTS_ENGINE_UTIL_H
#define IPSECSIM_TESTS_ENGINE_UTIL_H

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

extern "C" {
#include "ipsec_engine/engine.h"
}

namespace enginetest {

// Trio 6 core clock: 1e15 / 1.2e9 = 833333.33 fs, rounded once.
constexpr sim_fs T12 = 833333;

inline engine_sa out_sa(uint8_t family = 4, sa_udp_mode udp = SA_UDP_NONE, uint32_t mtu = 9000) {
  engine_sa s{};
  s.dir = ENGINE_ENCRYPT;
  s.outer_family = family;
  s.udp = udp;
  s.replay_window = 64;
  s.tunnel_mtu = mtu;
  s.df = SA_DF_CLEAR;
  return s;
}
// An outbound SA of the given key size (128 or 256): the key-setup and fill cycles depend on it.
inline engine_sa out_sa_with_key(unsigned key_bits) {
  engine_sa s = out_sa();
  s.key_bits = (uint16_t)key_bits;
  return s;
}
inline engine_sa in_sa(uint8_t family = 4, uint32_t window = 64) {
  engine_sa s = out_sa(family);
  s.dir = ENGINE_DECRYPT;
  s.replay_window = window;
  return s;
}

inline engine_params defaults() {
  engine_params p;
  EXPECT_TRUE(engine_params_default(&p));
  return p;
}

// A seeded 64-bit LCG (Knuth's MMIX constants): rnd(n) draws from 0..n-1.
struct Lcg {
  uint64_t x;
  uint64_t operator()(uint64_t n) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return (x >> 33) % n;
  }
};

// Random engine parameters of the RTL-vs-C comparisons (dispatch, backend): overhead 0..11,
// reorder 1..10, pin one time in three, an unbounded input FIFO, output FIFOs of 123..422
// beats (a 2000-byte packet needs 123) or 1024.
inline engine_params random_engine_params(unsigned lanes, Lcg &rnd) {
  engine_params p = defaults();
  p.lanes = lanes;
  p.overhead_cycles = rnd(12);
  p.reorder_depth = 1 + rnd(10);
  p.sa_dispatch = rnd(3) == 0 ? ENGINE_PIN : ENGINE_SPRAY;
  p.in_queue = 1ull << 30;
  p.out_fifo_depth = rnd(4) == 0 ? 1024 : 123 + rnd(300);
  return p;
}

inline engine_desc enc(uint32_t sa, uint32_t frame, uint64_t user = 0) {
  engine_desc d{};
  d.user = user;
  d.sa = sa;
  d.ip_bytes = frame - ENGINE_ETH_OVERHEAD;
  d.inner_family = 4;
  return d;
}
// The ESP packet the peer's outbound SA of the same shape sends for a clear frame.
inline engine_desc dec(const engine_sa &s, uint32_t sa, uint32_t clear_frame, uint32_t seq,
                       bool icv_ok = true, uint64_t user = 0) {
  engine_desc d{};
  d.user = user;
  d.sa = sa;
  d.clear_ip_bytes = clear_frame - ENGINE_ETH_OVERHEAD;
  d.ip_bytes = engine_esp_shape_of(&s, d.clear_ip_bytes).esp_ip_bytes;
  d.seq = seq;
  d.icv_ok = icv_ok;
  return d;
}

struct Rec {
  engine *e = nullptr;
  std::vector<engine_out> out;
  std::vector<engine_sa> sas;
  std::string why;
  uint64_t max_outstanding = 0;
  // Largest per-SA count of packets between dispatch and release, sampled at every event.
  void sample() {
    for (uint32_t i = 0; i < sas.size(); i++) {
      const uint64_t n = engine_sa_outstanding(e, i);
      if (n > max_outstanding) max_outstanding = n;
    }
  }
  static void emit(void *ctx, const engine_out *o) {
    auto *r = static_cast<Rec *>(ctx);
    r->out.push_back(*o);
    r->sample();
  }
  Rec(const engine_params &p, std::vector<engine_sa> s) : sas(std::move(s)) {
    char w[512] = "";
    e = engine_create(&p, sas.data(), (uint32_t)sas.size(), emit, this, w, sizeof w);
    why = w;
  }
  ~Rec() { engine_destroy(e); }
  // Runs every pending event, leaving the engine's time at the last one.
  void drain() {
    sample();
    for (sim_fs t; (t = engine_next_event_time(e)) != SIM_FS_NEVER;) {
      engine_advance(e, t);
      sample();
    }
  }
  std::vector<engine_out> packets() const {
    std::vector<engine_out> v;
    for (auto &o : out)
      if (o.kind == ENGINE_OUT_PACKET) v.push_back(o);
    return v;
  }
  const engine_out *by_user(uint64_t u) const {
    for (auto &o : out)
      if (o.user == u) return &o;
    return nullptr;
  }
};

// A drop counter of the engine, and its conservation check.
inline uint64_t drops(Rec &r, engine_drop d) { return *engine_counters_of(r.e)->drops[d]; }
inline void expect_conserved(Rec &r) {
  char msg[512];
  EXPECT_TRUE(engine_conservation(r.e, msg, sizeof msg)) << msg;
}

// Offers n frames of one size at t = 0 to SA sa_of(i) (everything queued at once: the engine
// saturates) and returns the released ESP packets per second measured from the release
// times of packets n/4 .. 3n/4 (whole multiples of `lanes` packets, so lane phases cancel).
template <class SaOf>
inline double saturated_pps(Rec &r, uint32_t frame, uint32_t n, uint32_t lanes, SaOf sa_of) {
  for (uint32_t i = 0; i < n; i++) {
    engine_desc d = enc(sa_of(i), frame, i);
    EXPECT_EQ(engine_offer(r.e, 0, &d), ENGINE_OUT_PACKET);
  }
  r.drain();
  auto p = r.packets();
  EXPECT_EQ(p.size(), n);
  std::vector<sim_fs> t;
  for (auto &o : p) t.push_back(o.release_fs);
  std::sort(t.begin(), t.end());
  const uint32_t a = n / 4 / lanes * lanes, b = 3 * n / 4 / lanes * lanes;
  return (double)(b - a) / sim_fs_to_s(t[b] - t[a]);
}

}  // namespace enginetest
#endif
