/* The SA file of `ipsecsim esp` (YAML, through model/cfg.h): one list `sas:` of SAs with
 * name, direction, spi, algorithm, key (hex keying material including the 4-byte salt),
 * local, remote, esn, replay_window, udp_encap, tunnel_mtu, df_bit, copy_outer_dscp,
 * lifetime_seconds, lifetime_kilobytes, optional selector and initial_seq (README: "SA file").
 * Unsupported features (AH, transport mode, NULL encryption, IKEv1, non-GCM ciphers) are
 * refused with a message naming the feature. Errors: one line "FILE:LINE:COL: FIELD: ...". */
#ifndef IPSECSIM_SA_LOAD_H
#define IPSECSIM_SA_LOAD_H

#include "model/cfg.h"
#include "ipsec_engine/sa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Adds every SA of the document to db (initialised by the caller). false + err on the first
 * problem; db may then hold the SAs before it (the caller frees db). */
bool sa_load_file(sa_db *db, const char *path, cfg_err *err);
bool sa_load_buffer(sa_db *db, const char *name, const char *text, size_t len, cfg_err *err);
bool sa_load_doc(sa_db *db, const cfg_doc *doc, cfg_err *err);
/* The `sas:` list alone (a node of any document, e.g. a scenario's tunnel as two SAs). */
bool sa_load_list(sa_db *db, const cfg_node *sas, cfg_err *err);

/* The parameter table of one SA entry (for `ipsecsim params` and the README): every key
 * the loader accepts, those it parses by hand (sa_load_extra_keys) included. */
const cfg_param *sa_param_table(size_t *n);
/* The keys the loader parses itself instead of through the table (NULL-terminated). */
const char *const *sa_load_extra_keys(void);

#ifdef __cplusplus
}
#endif
#endif
