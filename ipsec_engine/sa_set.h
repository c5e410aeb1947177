/* Whole-set rules of an SA file (issue 10): an SA set must be unambiguous. Refused, with
 * one line naming both entries (FILE:LINE:COL of the later one, "sas[i], FILE:LINE" of the
 * earlier one):
 *   - a name used twice (any direction: counters are per name);
 *   - an SPI used twice in the same direction (inbound: decrypt demultiplexes by SPI alone,
 *     RFC 4301 s4.4.2.1; outbound: the peer would see one SPI for two SAs);
 *   - an outbound selector equal to an earlier one (after masking), or a second SA without
 *     selector (two catch-alls);
 *   - an outbound SA that longest-prefix match can never choose: its selector's whole range
 *     is covered by longer selectors, or, for the catch-all, the selectors cover all of IPv4
 *     and all of IPv6.
 * Warned (one line per SA on the db's warning sink, the key never printed): an SA with the
 * same keying material (key and salt) as an earlier SA of the same direction, where GCM
 * nonces would repeat (both start at sequence 1; RFC 4106 s9). An outbound/inbound pair
 * sharing keying material is the loopback idiom of `ipsecsim esp` (encrypt with the one,
 * decrypt with the other) and is not warned. */
#ifndef IPSECSIM_SA_SET_H
#define IPSECSIM_SA_SET_H

#include "ipsec_engine/sa.h"
#include "model/cfg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The document's SAs: list node `sas`; its item k became db->sas[base + k]. */
typedef struct sa_set_ctx {
  const cfg_node *sas;
  size_t base;
} sa_set_ctx;

/* Before sa_db_add of item idx (config c): name, SPI and equal-selector rules. */
bool sa_set_check_entry(const sa_db *db, const sa_set_ctx *x, size_t idx, const sa_config *c,
                        cfg_err *err);
/* After the last item: never-chosen selectors (refused) and shared keying material (warned). */
bool sa_set_check_final(const sa_db *db, const sa_set_ctx *x, cfg_err *err);

#ifdef __cplusplus
}
#endif
#endif
