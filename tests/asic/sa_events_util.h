// Shared by test_sa_events*.cpp: scenarios/ipsec_rekey.yaml's world with its `events:` and
// payload mode, the zero-load times of its streams, a run with the engines' window opened to
// the whole run, and the byte path's checks (payload real).
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "asic_test_util.h"

extern "C" {
#include "asic/asic_events.h"
#include "asic/asic_ipsec_bytes.h"
#include "asic/asic_ipsec_rt.h"
}

namespace sa_events {
// scenarios/ipsec_rekey.yaml's world with `events:` replaced (the event block is line 16 on)
inline std::string world(const std::string &events, const std::string &extra_params = "", const std::string &payload = "none") {
  return "version: 1\n"
         "platform: {preset: MX304, lmics: 1, port_mode: 16x100GE, release: 24.4R1}\n"
         "params:\n"
         "  engine: {clock: 0.85GHz}\n" +
         extra_params +
         "interfaces:\n"
         "  - {name: et-0/0/4, address: 10.0.4.1/24}\n"
         "  - {name: et-0/0/6, address: 16.1.1.2/24}\n"
         "  - {name: et-0/0/7, address: 16.2.1.2/24}\n"
         "routes:\n"
         "  - {prefix: 16.1.1.1/32, via: et-0/0/7}\n"
         "ipsec:\n"
         "  tunnels:\n"
         "    - {name: vpn_a, anchor: si-0/0/0, bind: st0.1, local: 16.1.1.2, remote: 16.1.1.1, prefix: 20.1.0.0/24}\n"
         "traffic:\n"
         "  - {name: enc, port: et-0/0/4, rate: 95Gbps, frame: 1518B, dst: 20.1.0.5}\n"
         "  - {name: dec, port: et-0/0/6, rate: 100Gbps, frame: 1518B, dst: 10.0.4.9, esp_of: vpn_a}\n"
         "phases: {warmup: 0us, measure: 200us}\n" +
         events + (events.empty() || events.back() == '\n' ? "" : "\n") + "payload: " + payload + "\n";
}
const char *const kModes[] = {"none", "real"};

const sim_fs kT = 100 * SIM_FS_PER_US, kEnd = 200 * SIM_FS_PER_US;
// CBR spacing of each stream (its L1 frame at its rate) and the zero-load time from a
// packet's first bit to its lookup's completion: preamble + frame at the 100G port, PG.in
// (400G) and slice.in (800G) on frame + 20 B, 1280 lookup cycles at 1.2 GHz (test_latency).
const sim_fs kPenc = sim_ser_fs(1538, 95000000000ull), kPdec = sim_ser_fs(1594, 100000000000ull);
inline sim_fs to_lookup(uint32_t frame) {
  return sim_ser_fs(frame + 8, 100000000000ull) + sim_ser_fs(frame + 20, 400000000000ull) +
         sim_ser_fs(frame + 20, 800000000000ull) + 1280ull * 833333ull;
}
// packets k >= 0 sent at k x P with k x P + d < t
inline uint64_t before(sim_fs t, sim_fs d, sim_fs p) { return t <= d ? 0 : (t - d + p - 1) / p; }

// Loads, opens the engines' window to the whole run (the SA counters then count every packet,
// also those released after the sources stop), runs with the C driver, publishes.
inline std::unique_ptr<AsicRun> run_all(const std::string &name, const std::string &yaml) {
  auto r = asic_run(write_temp_yaml(name, yaml), {}, false);
  if (!r->loaded) return r;
  asic_world *w = &r->sc.world;
  for (uint32_t s = 0; s < w->n_slices; s++)
    if (w->ipsec->eng[s]) engine_pg_set_window(w->ipsec->eng[s], 0, SIM_FS_NEVER);
  asic_sim_run_c(w);
  char msg[256];
  r->balanced = asic_sim_conservation(w, msg, sizeof msg);
  r->conservation = msg;
  asic_report_publish(&r->sc);
  return r;
}
inline std::string ctr(const char *pre, ipsec_ctr c) { return std::string(pre) + "." + ipsec_ctr_name(c); }

// payload real: no flow's frames differ from those sent, and every frame of the flows delivered
// in the clear was checked (window counters); a flow leaving as ESP (enc) has nothing to check
inline void expect_bytes_exact(const AsicRun &r, const std::vector<std::string> &clear) {
  const asic_world *w = &r.sc.world;
  for (uint32_t f = 0; f < w->n_flows; f++) {
    const std::string b = std::string("flow.") + w->flows[f].name;
    EXPECT_EQ(r.m(b + ".payload_mismatch"), 0) << b;
    const bool c = std::find(clear.begin(), clear.end(), w->flows[f].name) != clear.end();
    EXPECT_EQ(r.m(b + ".payload_checked"), c ? r.m(b + ".rx_pkts") : 0) << b;
    if (c) {
      EXPECT_GT(r.m(b + ".payload_checked"), 0) << b;
    }
  }
}
// The byte path's own counter c of SA pair i (stats index), outbound or inbound.
inline double bytes_ctr(const AsicRun &r, uint32_t i, bool inbound, ipsec_ctr c) {
  const sa *s = asic_ipsec_bytes_sa(&r.sc.world, i, inbound);
  return s ? (double)*s->ctr.v[c] : -1;
}
}  // namespace sa_events
