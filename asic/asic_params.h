/* Parameters of the YT ASIC timing model, one table per block (portgroup, pfe, fabric,
 * platform). Every entry has a unit, default, range and the source of its default
 * (published / derived / assumed); `ipsecsim params` prints them with cfg_print_table. */
#ifndef IPSECSIM_ASIC_PARAMS_H
#define IPSECSIM_ASIC_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "ipsec_engine/engine.h"
#include "model/cfg.h"
#include "model/sim_time.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct asic_params {
  /* portgroup */
  double pg_bw;            /* bit/s per direction, counted on frame + 20 B */
  uint64_t pg_in_queue;    /* bytes */
  uint64_t pg_out_queue;   /* bytes */
  uint64_t port_tx_queue;  /* bytes */
  /* pfe */
  double slice_bw;         /* bit/s per direction (buffer write = in, read = out) */
  uint64_t slice_in_queue; /* bytes */
  uint64_t slice_out_queue;
  uint64_t lookup_ppes;
  uint64_t lookup_threads_per_ppe;
  double lookup_clock;     /* Hz */
  uint64_t lookup_cycles;  /* thread occupancy per packet, plain forwarding */
  uint64_t lookup_queue;   /* descriptors */
  /* fabric */
  double fabric_bw;        /* bit/s per slice, toward the fabric */
  uint64_t fabric_overhead;/* bytes of fabric header counted per packet */
  sim_fs fabric_latency_slice; /* to the other slice of the same ASIC */
  sim_fs fabric_latency_asic;  /* to another ASIC */
  uint64_t fabric_queue;   /* bytes */
  /* engine: the IPsec engine block of every slice (ipsec_engine/engine.h owns the table) */
  engine_params engine;
  /* host: the exception path's policer per slice (pfe/host_policer.h) */
  struct asic_host_params {
    double policer_pps;        /* packets per second (rounded to a whole number) */
    uint64_t policer_burst;    /* packets */
  } host;
} asic_params;

typedef enum asic_preset_id { PRESET_MX304, PRESET_LC4800, PRESET_LC9600 } asic_preset_id;
typedef enum asic_port_mode { PORT_MODE_16X100, PORT_MODE_4X400 } asic_port_mode;
/* Junos release: which slices may host SAs (DESIGN release matrix; seed). */
typedef enum asic_release { RELEASE_24_2R1, RELEASE_24_4R1 } asic_release;

typedef struct asic_platform {
  int preset;    /* asic_preset_id */
  uint64_t lmics;/* MX304 only: 1..3 */
  int port_mode; /* asic_port_mode (MX304 per LMIC; LC4800 uses 16x100GE) */
  int release;   /* asic_release */
} asic_platform;

typedef struct asic_param_block {
  const char *name;
  const cfg_param *table;
  size_t n;
  size_t base;   /* offset of the block's struct inside asic_params (table offsets are relative
                    to it); unused for "platform", whose struct is asic_platform */
} asic_param_block;

/* Blocks: "platform" (asic_platform), "portgroup", "pfe", "fabric", "engine", "host" (asic_params). */
const asic_param_block *asic_param_blocks(size_t *n);
const asic_param_block *asic_param_block_find(const char *name);
const cfg_param *asic_param_find(const char *block, const char *name);
/* Where block b's table writes: the platform struct for "platform", else p + b->base. */
void *asic_param_block_base(const asic_param_block *b, asic_params *p, asic_platform *pl);

#ifdef __cplusplus
}
#endif
#endif
