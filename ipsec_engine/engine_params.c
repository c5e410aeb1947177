/* Parameter table of the block `engine` (one per PFE slice, at its PG0). Sources: Trio 6 packet
 * walkthrough (D. Roy & N. Fevrier, 2024) for the 1.2 GHz core clock; the calibration of DESIGN
 * "Folders" for the lane count and the per-packet overhead (2 lanes x 1.2 GHz / (5 + 97)
 * cycles x 1594 B x 8 = 300.0 Gbit/s at 1518 B); the engine <-> GCM-core contract
 * (gcm_timing.h) for reorder_depth and out_fifo_depth. */
#include "engine.h"

#include <stdio.h>
#include <string.h>

#define P(field) offsetof(engine_params, field)
#define NOR 1, 0 /* min > max: range unchecked */

const cfg_param engine_param_entries[ENGINE_PARAM_COUNT] = {
    {"lanes", CFG_T_UINT, "", "2", 1, 64, NULL, CFG_SRC_ASSUMED,
     "not published; 2 lanes at 1.2 GHz with 5 cycles of overhead give the seed's 300 Gbit/s "
     "per PFE at 1518 B (DESIGN calibration)",
     "GCM lanes of the engine (packet-parallel; one 16-byte block per cycle each)", P(lanes), false},
    {"clock", CFG_T_FREQ, "GHz", "1.2GHz", 1e8, 1e10, NULL, CFG_SRC_PUBLISHED,
     "Trio 6 walkthrough: core clock 1.2 GHz; the period is rounded once to whole fs",
     "engine clock", P(clock), false},
    {"overhead_cycles", CFG_T_UINT, "cycles", "5", 0, 1000000, NULL, CFG_SRC_ASSUMED,
     "calibrated: 97 lane cycles of a 1518-byte frame + 5 = 102 -> 2.4e9 / 102 = 23.53 Mpps of "
     "1594-byte WAN L1 frames = 300.0 Gbit/s (the seed's figure)",
     "cycles per packet that hold the lane before its DESC beat (descriptor, SA context, "
     "header build; gcm_timing.h item 1)", P(overhead_cycles), false},
    {"in_queue", CFG_T_SIZE, "B", "256KiB", 16384, 1e10, NULL, CFG_SRC_ASSUMED,
     "not published; ~7 us at 300 Gbit/s, like the port-group queues",
     "engine input FIFO (frame bytes, encrypt and decrypt together); tail drop "
     "engine_queue_full, owned by the engine", P(in_queue), false},
    {"reorder_depth", CFG_T_UINT, "pkts", "64", 1, 65536, NULL, CFG_SRC_ASSUMED,
     "not published; engine <-> GCM-core contract default (gcm_timing.h item 4)",
     "packets of one SA between dispatch and release; a full SA stalls dispatch, never drops",
     P(reorder_depth), false},
    {"out_fifo_depth", CFG_T_UINT, "beats", "1024", 1, 1048576, NULL, CFG_SRC_ASSUMED,
     "not published; 16 KiB per lane holds a 9000-byte packet plus the pipeline (gcm_timing.h "
     "item 3)",
     "output FIFO per lane in 16-byte beats; a lane starts a packet only when all its output "
     "beats fit; must hold the largest packet of every SA", P(out_fifo_depth), false},
    {"sa_dispatch", CFG_T_ENUM, "", "spray", NOR, "spray|pin", CFG_SRC_ASSUMED,
     "not published; spray uses every lane for one SA (reorder restores per-SA order)",
     "spray: any lane; pin: an SA only on lane (SA index mod lanes)", P(sa_dispatch), false},
    {"sa_cache_entries", CFG_T_UINT, "SAs", "2048", 1, 1048576, NULL, CFG_SRC_ASSUMED,
     "not published; chosen so that 1024 tunnels' SA pairs fit on one engine and 2000 tunnels "
     "(4000 SAs, the seed's per-chassis limit on one engine) do not: the miss curve shows",
     "SA contexts the engine caches (counted in SAs, not tunnels), shared by all lanes; LRU "
     "over the entries not in use (gcm_timing.h item 6)", P(sa_cache_entries), false},
    {"sa_miss_cycles", CFG_T_UINT, "cycles", "0", 0, 65535, NULL, CFG_SRC_DERIVED,
     "0 = gcm_key_fill_cycles(key_bits) of gcm_timing.h per SA: GCM_SA_CTX_FETCH_LATENCY 8 + one "
     "cycle per context word = 23 (AES-128), 27 (AES-256)",
     "cycles one SA-cache fill holds the fill port; the missing packet waits at the FIFO head, "
     "no lane is held (gcm_timing.h item 6)", P(sa_miss_cycles), false},
};

_Static_assert(sizeof engine_param_entries / sizeof engine_param_entries[0] == ENGINE_PARAM_COUNT,
               "ENGINE_PARAM_COUNT matches the table");

const cfg_param *engine_param_table(size_t *n) {
  *n = ENGINE_PARAM_COUNT;
  return engine_param_entries;
}

bool engine_params_default(engine_params *p) {
  cfg_err err;
  memset(p, 0, sizeof *p);
  return cfg_apply_defaults(engine_param_entries, ENGINE_PARAM_COUNT, p, &err);
}

bool engine_params_check(const engine_params *p, const engine_sa *sas, uint32_t n_sas, char *why,
                         size_t why_len) {
  uint32_t worst = 0, worst_sa = 0;
  for (uint32_t i = 0; i < n_sas; i++) {
    const uint32_t t = engine_sa_max_text(&sas[i]);
    if (t > worst) worst = t, worst_sa = i;
  }
  const uint64_t beats = gcm_out_beats(worst);
  if (n_sas && !gcm_out_fifo_depth_ok(p->out_fifo_depth, worst)) {
    snprintf(why, why_len,
             "engine.out_fifo_depth: %llu beats cannot hold the %llu output beats of the largest "
             "packet (SA %u, tunnel_mtu %u) (allowed: %llu..1048576)",
             (unsigned long long)p->out_fifo_depth, (unsigned long long)beats, worst_sa,
             sas[worst_sa].tunnel_mtu, (unsigned long long)beats);
    return false;
  }
  return true;
}
