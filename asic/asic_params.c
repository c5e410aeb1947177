/* Parameter tables of the ASIC timing model. Sources: Trio 6 packet walkthrough (D. Roy &
 * N. Fevrier, 2024) for the 1.2 GHz core clock and 80 PPEs x 20 threads per slice; the seed
 * (the product document) for 400 Gbps per port group and 800 Gbps per slice. Everything else is
 * assumed and says why. */
#include "asic_params.h"

#include <string.h>

#define P(field) offsetof(asic_params, field)
#define NOR 1, 0 /* min > max: range unchecked */

static const cfg_param portgroup_table[] = {
    {"pg_bw", CFG_T_RATE, "Gbps", "400Gbps", 1e9, 3.2e12, NULL, CFG_SRC_PUBLISHED,
     "seed: a port group carries up to 400 Gbps; counted per direction on frame + 20 B",
     "port-group bandwidth per direction (ingress and egress each)", P(pg_bw), false},
    {"pg_in_queue", CFG_T_SIZE, "B", "256KiB", 2048, 1e10, NULL, CFG_SRC_ASSUMED,
     "not published; ~5 us of one port's share at 400 Gbps, absorbs port bursts",
     "ingress queue per input of the port group (each port, and the IPsec engine on PG0), "
     "served by deficit round robin weighted by input speed; tail drop per queue",
     P(pg_in_queue), false},
    {"pg_out_queue", CFG_T_SIZE, "B", "256KiB", 2048, 1e10, NULL, CFG_SRC_ASSUMED,
     "not published; ~5 us at 400 Gbps", "queue in front of the port group's egress bandwidth",
     P(pg_out_queue), false},
    {"port_tx_queue", CFG_T_SIZE, "B", "1MiB", 2048, 1e11, NULL, CFG_SRC_ASSUMED,
     "real Trio queues live in HBM (~16 GB/package); 1 MiB (84 us at 100G) reaches steady "
     "state in short runs; scenarios set delay-bandwidth buffers",
     "egress queue per port (tail drop)", P(port_tx_queue), false},
};

static const cfg_param pfe_table[] = {
    {"slice_bw", CFG_T_RATE, "Gbps", "800Gbps", 1e9, 6.4e12, NULL, CFG_SRC_PUBLISHED,
     "seed / Trio 6 walkthrough: each slice is an 800 Gbps PFE; per direction on frame + 20 B",
     "slice buffer bandwidth: in = writes (WAN + fabric arrivals), out = reads (WAN + fabric departures)",
     P(slice_bw), false},
    {"slice_in_queue", CFG_T_SIZE, "B", "1MiB", 2048, 1e11, NULL, CFG_SRC_ASSUMED,
     "not published",
     "queue per input of slice writes (PG0, PG1, fabric), DRR by input speed; PGs hold credits "
     "for theirs (drops at the PG: slice_backpressure)",
     P(slice_in_queue), false},
    {"slice_out_queue", CFG_T_SIZE, "B", "1MiB", 2048, 1e11, NULL, CFG_SRC_ASSUMED,
     "not published", "queue in front of the slice's read bandwidth", P(slice_out_queue), false},
    {"lookup_ppes", CFG_T_UINT, "", "80", 1, 4096, NULL, CFG_SRC_PUBLISHED,
     "Trio 6 walkthrough: 80 PPEs per slice", "packet processing engines per slice",
     P(lookup_ppes), false},
    {"lookup_threads_per_ppe", CFG_T_UINT, "", "20", 1, 256, NULL, CFG_SRC_PUBLISHED,
     "Trio 6 walkthrough: 20 contexts per PPE", "threads per PPE", P(lookup_threads_per_ppe), false},
    {"lookup_clock", CFG_T_FREQ, "GHz", "1.2GHz", 1e8, 1e10, NULL, CFG_SRC_PUBLISHED,
     "Trio 6 walkthrough: core clock 1.2 GHz", "PPE clock", P(lookup_clock), false},
    {"lookup_cycles", CFG_T_UINT, "cycles", "1280", 1, 1000000, NULL, CFG_SRC_ASSUMED,
     "assumed thread occupancy of plain IPv4/IPv6 forwarding (run to completion incl. memory "
     "stalls): 1600 threads x 1.2 GHz / 1280 = 1500 Mpps, 26% above 800G@64B (1190.5 Mpps), so "
     "it does not bind at 64 B; about 1 us per lookup",
     "core cycles one packet holds a lookup thread (flows may set their own)", P(lookup_cycles), false},
    {"lookup_queue", CFG_T_UINT, "pkts", "8192", 1, 1e8, NULL, CFG_SRC_ASSUMED,
     "not published", "descriptors waiting for a lookup thread", P(lookup_queue), false},
};

static const cfg_param fabric_table[] = {
    {"fabric_bw", CFG_T_RATE, "Gbps", "1000Gbps", 1e9, 6.4e12, NULL, CFG_SRC_ASSUMED,
     "not published; 800 Gbps of WAN plus 25% fabric speed-up",
     "fabric bandwidth per slice toward the fabric", P(fabric_bw), false},
    {"fabric_overhead", CFG_T_SIZE, "B", "16B", 0, 256, NULL, CFG_SRC_ASSUMED,
     "not published; one fabric header per packet",
     "bytes counted per packet on the fabric besides the frame", P(fabric_overhead), false},
    {"fabric_latency_slice", CFG_T_TIME, "ns", "200ns", 1, 1e12, NULL, CFG_SRC_ASSUMED,
     "not published", "fabric latency to the other slice of the same ASIC", P(fabric_latency_slice), false},
    {"fabric_latency_asic", CFG_T_TIME, "ns", "500ns", 1, 1e12, NULL, CFG_SRC_ASSUMED,
     "not published", "fabric latency to a slice of another ASIC", P(fabric_latency_asic), false},
    {"fabric_queue", CFG_T_SIZE, "B", "1MiB", 2048, 1e11, NULL, CFG_SRC_ASSUMED,
     "not published", "queue in front of the slice's fabric bandwidth", P(fabric_queue), false},
};

#define H(field) offsetof(struct asic_host_params, field)
static const cfg_param host_table[] = {
    {"policer_pps", CFG_T_PPS, "pps", "20000pps", 1, 1e10, NULL, CFG_SRC_ASSUMED,
     "published by nobody for the inline IPsec host path; the order of Junos DDoS-protection "
     "per-protocol defaults (20000 pps); rounded to whole packets per second",
     "rate of the host (exception) path's token bucket per PFE slice: IKE, NAT keepalives, other "
     "non-ESP for a local gateway, datagrams answered with ICMP too-big; over it: host_policer drops",
     H(policer_pps), false},
    {"policer_burst", CFG_T_UINT, "pkts", "20000", 1, 1e9, NULL, CFG_SRC_ASSUMED,
     "published by nobody; as the rate (one second's worth)",
     "depth of the host path's token bucket (it starts full)", H(policer_burst), false},
};

#define Q(field) offsetof(asic_platform, field)
static const cfg_param platform_table[] = {
    {"preset", CFG_T_ENUM, "", "MX304", NOR, "MX304|MX10K-LC4800|MX10K-LC9600", CFG_SRC_PUBLISHED,
     "MX304: 1-3 LMICs, one YT ASIC each; LC4800: 3 ASICs; LC9600: 6 ASICs",
     "platform preset", Q(preset), false},
    {"lmics", CFG_T_UINT, "", "1", 1, 3, NULL, CFG_SRC_PUBLISHED,
     "MX304: up to 3 LMICs with one RE", "MX304 line modules (one ASIC each)", Q(lmics), false},
    {"port_mode", CFG_T_ENUM, "", "16x100GE", NOR, "16x100GE|4x400GE", CFG_SRC_PUBLISHED,
     "MX304 LMIC16: 16 x 100GE or 4 x 400GE", "ports per ASIC", Q(port_mode), false},
    {"release", CFG_T_ENUM, "", "24.4R1", NOR, "24.2R1|24.4R1", CFG_SRC_PUBLISHED,
     "seed: inline IPsec from 24.2R1 on MX304, PFE 0 of each ASIC only (300 Gbps per ASIC); "
     "24.4R1: both PFEs (600 Gbps per ASIC) and the MX10K LC4800/LC9600",
     "Junos release: which PFE slices may host SAs", Q(release), false},
};

static const asic_param_block blocks[] = {
    {"platform", platform_table, sizeof platform_table / sizeof platform_table[0], 0},
    {"portgroup", portgroup_table, sizeof portgroup_table / sizeof portgroup_table[0], 0},
    {"pfe", pfe_table, sizeof pfe_table / sizeof pfe_table[0], 0},
    {"fabric", fabric_table, sizeof fabric_table / sizeof fabric_table[0], 0},
    {"engine", engine_param_entries, ENGINE_PARAM_COUNT, offsetof(asic_params, engine)},
    {"host", host_table, sizeof host_table / sizeof host_table[0], offsetof(asic_params, host)},
};

const asic_param_block *asic_param_blocks(size_t *n) {
  *n = sizeof blocks / sizeof blocks[0];
  return blocks;
}

const asic_param_block *asic_param_block_find(const char *name) {
  for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
    if (!strcmp(blocks[i].name, name)) return &blocks[i];
  return NULL;
}

const cfg_param *asic_param_find(const char *block, const char *name) {
  const asic_param_block *b = asic_param_block_find(block);
  if (!b) return NULL;
  for (size_t i = 0; i < b->n; i++)
    if (!strcmp(b->table[i].name, name)) return &b->table[i];
  return NULL;
}

void *asic_param_block_base(const asic_param_block *b, asic_params *p, asic_platform *pl) {
  return !strcmp(b->name, "platform") ? (void *)pl : (void *)((char *)p + b->base);
}
