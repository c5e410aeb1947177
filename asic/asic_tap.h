/* What the world sees on port wires (issue 13): packet captures and link faults. Both hang
 * off the ports the scenario names; a port with either has asic_port.tap set, and the port's
 * wire calls sim_world_wire (model/sim_world.h) only then, so untapped ports cost one flag
 * test per packet.
 *
 * Captures (`capture: [{port: ROUTER:et-x/y/z, file: NAME.pcap, direction: tx|rx|both,
 * max_packets: N}]`): nanosecond libpcap files, link type Ethernet (frames without FCS), each
 * record timestamped with the simulated time of the frame's first preamble bit on the wire
 * (tx: when it starts leaving the port; rx: when it starts arriving), the run's start being
 * the Unix epoch. A record holds the frame's real bytes (`payload: real`); captures need real
 * bytes and are refused with payload none. Written under `ipsecsim run --out DIR` (refused
 * when a file is an input of the run; without --out the run writes none and says so on
 * stderr). Records are in the order the port handles them: in a `both` file a tx record can
 * precede an earlier rx one. A frame a link loses is not captured at its receiver; one that
 * fails the FCS check is (as it arrived), then dropped.
 *
 * Link faults (`links: [{a, b, latency, fault: {...}}]`, asic_link_fault.c): applied on each
 * direction of the link separately at the receiving port, in this order: drop_every N (every
 * Nth frame crossing, counted per direction), drop_rate P (each frame with probability P),
 * corrupt_every N (one bit of every Nth frame: corrupt_bit K, or a bit drawn uniformly over
 * the frame's bytes), ber X (each bit on the wire, FCS included, flipped with probability X).
 * Random draws come from the scenario seed (one stream per receiving port). A dropped frame
 * never arrives (drop reason link_drop). A corrupted frame is checked by the receiving MAC
 * when `fcs: true` (the default): the Ethernet CRC-32 (IEEE 802.3 s3.2.9) of the received
 * bytes against the received FCS, a mismatch dropped under fcs_error; with `fcs: false` it
 * goes on to the port group and whichever block parses it counts it (the IPsec engine: ESP
 * authentication failure, bad header...); then bits are drawn past the Ethernet header only
 * (no MAC address filter, no egress L2 rewrite in the model) and a corrupted clear frame
 * reaches its sink (payload_mismatch). Corruption needs real bytes (refused with payload
 * none); drops do not. */
#ifndef IPSECSIM_ASIC_TAP_H
#define IPSECSIM_ASIC_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/out_file.h"
#include "model/packet.h"
#include "model/sim_rng.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sim_world;
struct pcapio_writer;

#define CAPTURE_FILE_MAX 128

typedef struct asic_capture {
  uint32_t port;           /* global port index */
  uint32_t dir;            /* SIM_WIRE_TX, SIM_WIRE_RX or both */
  uint64_t max_packets;    /* records written at most; 0 = every frame */
  char file[CAPTURE_FILE_MAX]; /* NAME.pcap, relative to --out */
  char where[96];          /* FILE:LINE:COL of the entry, for messages */
  uint64_t written;        /* records written */
  struct pcapio_writer *pw;
  out_file out;
} asic_capture;

typedef struct link_fault {
  uint64_t drop_every, corrupt_every; /* 0: off */
  double drop_rate, ber;              /* 0: off */
  int64_t corrupt_bit;                /* -1: drawn uniformly */
  bool fcs;                           /* the receiving MAC checks the FCS */
  char where[96];                     /* FILE:LINE:COL of the fault map */
  /* state: frames seen, rng (seeded on first use), bits to the next bit error (ber) */
  bool seeded;
  sim_rng rng;
  uint64_t frames, bits_to_error;
  /* all-time counts: frames dropped, frames whose bytes (or FCS) were changed */
  uint64_t dropped, corrupted, fcs_errors;
} link_fault;

typedef struct asic_taps {
  asic_capture *caps;
  uint32_t n_caps, cap_caps;
  link_fault *faults;     /* [n_ports] when any port has one, else NULL */
  bool *has_fault;        /* [n_ports] */
  char err[512];          /* first capture write error during the run ("" none) */
} asic_taps;

/* Adds a capture (scenario loader). err: why not, without position (the caller adds it). */
bool asic_capture_add(struct sim_world *w, const asic_capture *c, char *err, size_t errlen);
/* Sets the receive-side fault of `port` (a link end). */
bool asic_link_fault_set(struct sim_world *w, uint32_t port, const link_fault *f);
/* Whether the scenario asks for captures / corrupting faults (needing payload real). */
uint32_t asic_capture_count(const struct sim_world *w);
bool asic_link_fault_corrupts(const struct sim_world *w, const char **where);

/* Before the run: opens every capture as DIR/FILE. Refused (one line in err) when a file is
 * the same as one of the inputs or another output. */
bool asic_capture_open(struct sim_world *w, const char *dir, const out_role *ins, size_t n_ins, char *err,
                       size_t errlen);
/* After the run: closes and renames every capture; false with the first write error. */
bool asic_capture_commit(struct sim_world *w, char *err, size_t errlen);
/* Removes the temporaries (a failed run). */
void asic_capture_abort(struct sim_world *w);

/* The wire hooks (sim_world_wire): a capture record; a fault on arrival (false: dropped). */
void asic_capture_frame(struct sim_world *w, uint32_t port, uint32_t dir, sim_fs t_first, const sim_pkt *pkt);
typedef enum link_verdict { LINK_PASS, LINK_LOST, LINK_FCS_BAD } link_verdict;
link_verdict asic_link_fault_rx(struct sim_world *w, uint32_t port, const sim_pkt *pkt);

/* Whole-run fault counters into the report registry (link.ROUTER.PORT.rx_fault_dropped, ...). */
struct stats_registry;
void asic_link_fault_publish(struct sim_world *w, struct stats_registry *r);

/* config.resolved.yaml: ", fault: {...}" of a link end (nothing without one); the capture: list. */
void asic_taps_resolved_fault(const struct sim_world *w, uint32_t port, FILE *fp);
void asic_taps_resolved_captures(const struct sim_world *w, FILE *fp);

void asic_taps_free(struct sim_world *w);

/* IEEE 802.3 CRC-32 (the Ethernet FCS) of n bytes. */
uint32_t asic_eth_crc32(const uint8_t *p, size_t n);

#ifdef __cplusplus
}
#endif
#endif
