/* Private to asic/junos_*.c: statements as word lists with their line, and the parsed
 * configuration of one router. */
#ifndef IPSECSIM_JUNOS_INTERNAL_H
#define IPSECSIM_JUNOS_INTERNAL_H

#include <stdint.h>

#include "junos.h"

#define JN_WORDS 32
#define JN_NAME 64
#define JN_MAX 64 /* entries of each kind */

typedef struct jn_stmt {
  unsigned line;
  int n;
  char *w[JN_WORDS];
} jn_stmt;

typedef struct jn_stmts {
  jn_stmt *v;
  size_t n, cap;
} jn_stmts;

/* junos_lex.c: set lines and the bracketed form, "# comments", quoted strings, [ lists ]. */
bool jn_lex(const char *path, jn_stmts *out, char *err, size_t elen);
void jn_stmts_free(jn_stmts *s);
/* "set w0 w1 ..." of a statement (quoted words re-quoted), for messages. */
void jn_stmt_text(const jn_stmt *s, char *buf, size_t len);

typedef struct jn_iface {
  char name[24]; /* et-0/1/8, si-0/0/0, st0 */
  unsigned unit;
  char inet[48], inet6[64]; /* addresses with prefix length, "" when none */
  bool fam_inet, fam_inet6;
  char domain[12]; /* si: inside | outside */
  unsigned line;
} jn_iface;

typedef struct jn_gw {
  char name[JN_NAME], policy[JN_NAME], address[48], local[48], ext_if[24];
  int version; /* 0 absent (Junos default v1-only), 2 */
  bool encap, encap_global;
  char dpd[24];
  unsigned line;
} jn_gw;

typedef struct jn_ike_policy {
  char name[JN_NAME], mode[16];
  char psk[256]; /* secret: never printed, cleared on free */
  bool has_psk;
  unsigned line, mode_line;
} jn_ike_policy;

typedef struct jn_prop {
  char name[JN_NAME], alg[24];
  uint64_t life_s, life_kb; /* 0 = not configured */
  bool esn;
  unsigned line;
} jn_prop;

typedef struct jn_vpn {
  char name[JN_NAME], bind[16], gw[JN_NAME], policy[JN_NAME], establish[40], df[8];
  bool copy_dscp, esn, no_replay;
  unsigned replay, mtu;
  uint32_t manual_spi;
  char manual_alg[24], manual_gw[48];
  char manual_key[160]; /* secret hex */
  unsigned line;
} jn_vpn;

typedef struct jn_route {
  char prefix[64], nh[48];
  unsigned line;
} jn_route;

typedef struct jn_ipol {
  char name[JN_NAME], prop[JN_NAME];
} jn_ipol;

typedef struct jn_sset {
  char name[JN_NAME], inside[24], outside[24], vpn[JN_NAME];
} jn_sset;

struct junos_cfg {
  char path[512], router[32];
  jn_iface ifs[JN_MAX];
  size_t n_ifs;
  jn_gw gws[JN_MAX];
  size_t n_gws;
  jn_ike_policy ikep[JN_MAX];
  size_t n_ikep;
  jn_prop props[JN_MAX];
  size_t n_props;
  jn_ipol ipol[JN_MAX];
  size_t n_ipol;
  jn_vpn vpns[JN_MAX];
  size_t n_vpns;
  jn_route routes[JN_MAX];
  size_t n_routes;
  jn_sset ssets[JN_MAX];
  size_t n_ssets;
  unsigned inline_pics; /* bit per PIC of `chassis fpc 0 pic N inline-services` */
  unsigned dest_port;   /* security ike packet-encapsulation dest-port (0 = 500) */
  unsigned lmics;       /* inferred */
  char host_addr[48];   /* the Host address chosen on this router's LAN */
  char *notes;          /* newline-separated, printed by junos_print_notes */
  size_t notes_len;
};

/* junos_parse.c */
bool jn_interpret(junos_cfg *c, const jn_stmts *s, char *err, size_t elen);
void jn_note(junos_cfg *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* junos_check.c: references, IKEv1 default, platform inference, the seed's inconsistencies */
bool jn_check(junos_cfg *c, char *err, size_t elen);
const jn_gw *jn_find_gw(const junos_cfg *c, const char *name);
const jn_prop *jn_vpn_prop(const junos_cfg *c, const jn_vpn *v);
const jn_iface *jn_find_if(const junos_cfg *c, const char *name, unsigned unit);
/* The VPN's anchor si-F/P/N (its service set's inside interface) / WAN port (its gateway's
 * external-interface without unit), written into buf; NULL when there is none. */
const char *jn_anchor(const junos_cfg *c, const jn_vpn *v, char *buf, size_t len);
const char *jn_wan_port(const junos_cfg *c, const jn_vpn *v, char *buf, size_t len);
/* junos_mirror.c: the address after an IPv4 address (the Host beside a router's port). */
bool jn_host_after(const char *cidr, char *out, size_t len);
/* Address part of "A/N" into out. */
void jn_addr_only(const char *cidr, char *out, size_t len);

#endif
