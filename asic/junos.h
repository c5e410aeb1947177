/* Junos configuration import (issue 16): `set` lines (and the bracketed `show` form) of an
 * inline IPsec router become a scenario in the project's own YAML, with the IPsec SA keys in
 * a 0600 keys file beside it. The importer is an input front end: it writes YAML that the
 * ordinary scenario loader (scenario.c) reads, nothing else.
 *
 * Contract:
 * - Unsupported by inline IPsec (seed): AH, transport mode, NULL encryption, IKEv1 (also the
 *   Junos default when `version` is absent), other encryption algorithms: refused with one
 *   line "FILE:LINE: statement: why (inline IPsec supports ...)".
 * - Statements outside the model (system, snmp, ...): collected and reported once, with line
 *   numbers (junos_cfg.ignored), never dropped silently.
 * - The pre-shared key is held in memory only to derive the SA keys (junos_emit.c); it is
 *   written nowhere and never printed. */
#ifndef IPSECSIM_JUNOS_H
#define IPSECSIM_JUNOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JN_ERR_MAX 640

typedef struct junos_cfg junos_cfg;

/* Parses FILE into a configuration (router name `router`). NULL on error with err set to
 * the one-line refusal or parse error. */
junos_cfg *junos_load(const char *path, const char *router, char *err, size_t elen);
void junos_free(junos_cfg *c);

/* Peer2 by mirroring (the seed: "the same configuration with change in IPSec gateway address,
 * interface addresses"): gateway and local address swapped, WAN address = the gateway's, LAN
 * subnets = the prefixes routed into the tunnel and back. Assumptions go to the notes. */
junos_cfg *junos_mirror(const junos_cfg *c, const char *router, char *err, size_t elen);

/* Notes (what was inferred, assumed, ignored, the seed's inconsistencies): printed once on
 * stderr after a successful import. */
void junos_print_notes(const junos_cfg *c, FILE *fp);

/* Writes SCENARIO (routers cfgs[0..n), a link between their external interfaces when n = 2,
 * Host streams, phases, expect) and KEYS (mode 0600, created fresh, referenced from the
 * scenario as file:BASENAME(KEYS)); neither may be an input. */
bool junos_write_scenario(junos_cfg *const *cfgs, size_t n, const char *scenario_path, const char *keys_path,
                          char *err, size_t elen);

/* The YAML text of the same scenario without files: keys given inline (only for the
 * in-memory `junos:` scenario key; never written). Caller frees. */
char *junos_scenario_text(junos_cfg *const *cfgs, size_t n, bool inline_keys, const char *keys_ref, char *err,
                          size_t elen);

/* Load CONF (router `router`), mirror it as `peer` when asked, write SCENARIO and KEYS;
 * the notes go to `notes` (stderr) only when everything was written. */
bool junos_import_files(const char *conf, bool mirror, const char *router, const char *peer, const char *scenario,
                        const char *keys, FILE *notes, char *err, size_t elen);
/* The keys file beside a scenario: X.yaml -> X.keys.yaml. */
void junos_keys_path_for(const char *scenario, char *out, size_t len);

/* The defaults table with sources (`ipsecsim junos defaults`). */
void junos_print_defaults(FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
