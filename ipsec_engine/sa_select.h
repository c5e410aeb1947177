/* Outbound SA selection: longest-prefix match of an inner destination address over the
 * selectors of the outbound SAs, IPv4 and IPv6, plus one optional catch-all (an SA without
 * selector, chosen when no prefix matches, in either family). Shared by `ipsecsim esp` (the
 * SA database, sa.c) and the IPsec engine.
 *
 * Structure: per family one hash table per prefix length in use, probed from the longest
 * length present to the shortest. A lookup costs at most one probe per distinct prefix
 * length of the configuration (<= 33 for IPv4, <= 129 for IPv6) and does not grow with the
 * number of selectors; a configuration where every tunnel has a /24 (or a /32) costs one
 * probe however many tunnels there are.
 *
 * Values are the caller's (e.g. an index into its SA array). Prefix bits beyond the length
 * are ignored: 10.1.2.3/16 is 10.1.0.0/16. */
#ifndef IPSECSIM_SA_SELECT_H
#define IPSECSIM_SA_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sa_select sa_select;

typedef enum sa_select_rc {
  SA_SELECT_OK,
  SA_SELECT_DUPLICATE, /* the same prefix (or a second catch-all): *clash = the earlier value */
  SA_SELECT_BAD,       /* family not 4/6, or length above 32/128 */
  SA_SELECT_NOMEM,
} sa_select_rc;

sa_select *sa_select_new(void);
void sa_select_free(sa_select *t);

/* Adds family (4 or 6) prefix/len -> value. dst-style bytes: IPv4 in b[0..3]. */
sa_select_rc sa_select_add(sa_select *t, uint8_t family, const uint8_t *prefix, unsigned len,
                           uint32_t value, uint32_t *clash);
/* The catch-all, matched when no prefix of the packet's family matches. */
sa_select_rc sa_select_add_default(sa_select *t, uint32_t value, uint32_t *clash);

/* Exact match: the value stored for family prefix/len (family 0: the catch-all). */
bool sa_select_find(const sa_select *t, uint8_t family, const uint8_t *prefix, unsigned len,
                    uint32_t *value);

/* Longest matching prefix of dst (family 4: 4 bytes, 6: 16 bytes), else the catch-all.
 * false when neither exists. */
bool sa_select_lookup(const sa_select *t, uint8_t family, const uint8_t *dst, uint32_t *value);

/* An entry that can never be chosen under longest-prefix match: a prefix whose whole address
 * range is covered by strictly longer prefixes, or a catch-all when the selectors cover all
 * of IPv4 and all of IPv6 (e.g. 0.0.0.0/0 and ::/0 beside it). Entries are tried in the
 * order they were added; true with the first such entry in *victim and one of the entries
 * that cover it in *witness. (Exact duplicates are refused by sa_select_add already.) */
bool sa_select_unreachable(const sa_select *t, uint32_t *victim, uint32_t *witness);

/* Mean number of hash slots a lookup of each stored prefix reads in its length's table
 * (1.0 = no collisions; linear probing at the <= 1/2 load kept here expects about 1.5).
 * 0 without prefixes. A diagnostic of the hash's spread, for tests. */
double sa_select_mean_probes(const sa_select *t);

/* Number of prefixes (catch-all excluded) and of distinct prefix lengths, per family. */
size_t sa_select_count(const sa_select *t);
unsigned sa_select_lengths(const sa_select *t, uint8_t family);

#ifdef __cplusplus
}
#endif
#endif
