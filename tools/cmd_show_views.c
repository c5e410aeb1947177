/* The views of show_views.h. Layouts, spacing and headings are the seed's samples
 * (seed-juniper-inline-ipsec.txt, "Verification"); values come from the run. Modelled, not
 * negotiated: IKE cookies (a hash of the gateway pair), the role (the lower address initiates),
 * IDs (IPsec 500001 + tunnel position, IKE 1 + position). */
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec_engine/ipsec_counters.h"
#include "show_views.h"

static const cfg_node *at(const cfg_node *n, const char *k) { return n ? cfg_get(n, k) : NULL; }
static const char *str(const cfg_node *t, const char *k) {
  const cfg_node *v = at(t, k);
  return v && v->kind == CFG_SCALAR ? v->value : "";
}
static unsigned long long u64(const cfg_node *t, const char *k) { return strtoull(str(t, k), NULL, 0); }

/* sa.ROUTER.TUNNEL.DIR.NAME (dir != NULL) or ipsec.ROUTER.NAME from report.json. */
static bool counter(const show_run *r, const char *tunnel, const char *dir, ipsec_ctr c, unsigned long long *v) {
  if (r->live) {
    char name[512];
    if (dir) snprintf(name, sizeof name, "sa.%s.%s.%s.%s", r->name, tunnel, dir, ipsec_ctr_name(c));
    else snprintf(name, sizeof name, "ipsec.%s.%s", r->name, ipsec_ctr_name(c));
    const stats_counter *k = stats_find_counter(r->live, name);
    if (!k) return false;
    *v = *k;
    return true;
  }
  const cfg_node *n = at(at(cfg_root(r->report), "stats"), dir ? "sa" : "ipsec");
  n = at(n, r->name);
  if (dir) n = at(at(n, tunnel), dir);
  n = at(at(n, ipsec_ctr_name(c)), "value");
  if (!n || n->kind != CFG_SCALAR) return false;
  *v = strtoull(n->value, NULL, 10);
  return true;
}

static void row(FILE *fp, const char *label, unsigned long long v) {
  fprintf(fp, "  %s%*llu\n", label, (int)(33 - strlen(label)), v); /* the seed's 35 columns */
}

static bool stats(const show_run *r, const cfg_node *t, FILE *fp, char *err, size_t elen) {
  static const ipsec_ctr order[] = {IPSEC_CTR_ENC_BYTES, IPSEC_CTR_DEC_BYTES, IPSEC_CTR_ENC_PKTS, IPSEC_CTR_DEC_PKTS,
                                    IPSEC_CTR_AH_IN_BYTES, IPSEC_CTR_AH_OUT_BYTES, IPSEC_CTR_AH_IN_PKTS,
                                    IPSEC_CTR_AH_OUT_PKTS, IPSEC_CTR_AH_AUTH_FAIL, IPSEC_CTR_REPLAY,
                                    IPSEC_CTR_ESP_AUTH_FAIL, IPSEC_CTR_ESP_DECRYPT_FAIL, IPSEC_CTR_BAD_HEADERS,
                                    IPSEC_CTR_BAD_TRAILERS};
  unsigned long long v[14];
  for (size_t i = 0; i < 14; i++) {
    unsigned long long o = 0, in = 0;
    /* An SA carries no AH byte or packet counters (AH is refused at load: an ESP SA's are 0 by
     * construction, sa_stats.c does not register them); the router's global ones exist. */
    if (t && order[i] >= IPSEC_CTR_AH_IN_BYTES && order[i] <= IPSEC_CTR_AH_OUT_PKTS) {
      v[i] = 0;
      continue;
    }
    bool ok = t ? counter(r, str(t, "name"), "out", order[i], &o) && counter(r, str(t, "name"), "in", order[i], &in)
                : counter(r, NULL, NULL, order[i], &o);
    if (!ok) {
      snprintf(err, elen, "%s/report.json: no per-SA counter %s.%s%s%s.%s: the run's report has no IPsec SA counters (nothing is shown rather than zeros)",
               r->dir, t ? "sa" : "ipsec", r->name, t ? "." : "", t ? str(t, "name") : "", ipsec_ctr_name(order[i]));
      return false;
    }
    v[i] = o + in;
  }
  fprintf(fp, "ESP Statistics:\n");
  row(fp, "Encrypted bytes:", v[0]);
  row(fp, "Decrypted bytes:", v[1]);
  row(fp, "Encrypted packets:", v[2]);
  row(fp, "Decrypted packets:", v[3]);
  fprintf(fp, "AH Statistics:\n");
  row(fp, "Input bytes:", v[4]);
  row(fp, "Output bytes:", v[5]);
  row(fp, "Input packets:", v[6]);
  row(fp, "Output packets:", v[7]);
  fprintf(fp, "Errors:\n  AH authentication failures: %llu, Replay errors: %llu\n", v[8], v[9]);
  fprintf(fp, "  ESP authentication failures: %llu, ESP decryption failures: %llu\n", v[10], v[11]);
  fprintf(fp, "  Bad headers: %llu, Bad trailers: %llu\n", v[12], v[13]);
  return true;
}

static unsigned port_of(const cfg_node *t) {
  const cfg_node *u = at(t, "udp_encap");
  if (u && u->kind == CFG_MAP) return (unsigned)u64(u, "dst_port");
  if (!strcmp(str(t, "udp_encap"), "nat-t") || !strcmp(str(t, "nat_detected"), "true")) return 4500;
  return 500;
}

static unsigned key_bits(const cfg_node *t) { return strcmp(str(t, "algorithm"), "aes-128-gcm") ? 256 : 128; }

/* Whole seconds left of a lifetime after the run's simulated time. */
static long long left_s(const show_run *r, unsigned long long life) { return (long long)life - (long long)r->end_s; }

static void life_kb(const show_run *r, const cfg_node *t, char *buf, size_t len) {
  unsigned long long kb = u64(t, "lifetime_kilobytes");
  if (!kb) snprintf(buf, len, "unlim");
  else snprintf(buf, len, "%llu", kb);
}

static void sa_lines(const show_run *r, const cfg_node *t, unsigned long id, FILE *fp) {
  char kb[32];
  life_kb(r, t, kb, sizeof kb);
  unsigned bits = key_bits(t);
  fprintf(fp, "  <%lu ESP:aes-gcm-%u/aes%u-gcm 0x%08llx %lld/ %s - root %u %-16s\n", id, bits, bits, u64(t, "spi_in"),
          left_s(r, u64(t, "lifetime_seconds")), kb, port_of(t), str(t, "remote"));
  fprintf(fp, "  >%lu ESP:aes-gcm-%u/aes%u-gcm 0x%08llx %lld/ %s - root %u %s\n", id, bits, bits, u64(t, "spi_out"),
          left_s(r, u64(t, "lifetime_seconds")), kb, port_of(t), str(t, "remote"));
}

static void direction(const show_run *r, const cfg_node *t, const char *dir, const char *spi_key, unsigned long ike, FILE *fp) {
  unsigned long long hard = u64(t, "lifetime_seconds"), soft = u64(t, "soft_lifetime_seconds"), kb = u64(t, "lifetime_kilobytes");
  if (!soft) soft = hard * 82 / 100; /* DESIGN: soft = 82% of hard (the seed's 2798 of 3405 s) */
  fprintf(fp, "  Direction: %s, SPI: 0x%08llx, AUX-SPI: 0\n                              , VPN Monitoring: -\n", dir, u64(t, spi_key));
  if (hard) fprintf(fp, "    Hard lifetime: Expires in %lld seconds\n", left_s(r, hard));
  else fprintf(fp, "    Hard lifetime: Unlimited\n");
  if (kb) fprintf(fp, "    Lifesize Remaining:  %llu kilobytes\n", kb);
  else fprintf(fp, "    Lifesize Remaining:  Unlimited\n");
  if (hard) fprintf(fp, "    Soft lifetime: Expires in %lld seconds\n", left_s(r, soft));
  fprintf(fp, "    Mode: Tunnel(0 0), Type: dynamic, State: installed\n");
  fprintf(fp, "    Protocol: ESP, Authentication: aes%u-gcm, Encryption: aes-gcm (%u bits)\n", key_bits(t), key_bits(t));
  fprintf(fp, "    Anti-replay service: counter-based enabled, Replay window size: %llu\n", u64(t, "replay_window"));
  fprintf(fp, "    Extended-Sequence-Number: %s\n", strcmp(str(t, "esn"), "true") ? "Disabled" : "Enabled");
  fprintf(fp, "    tunnel-establishment: establish-tunnels-immediately\n    IKE SA Index: %lu\n", ike);
}

static void sa_detail(const show_run *r, const cfg_node *t, unsigned long id, unsigned long ike, FILE *fp) {
  const char *anchor = str(t, "anchor");
  unsigned fpc = 0, pic = 0, port = 0;
  sscanf(anchor, "si-%u/%u/%u", &fpc, &pic, &port);
  bool v6 = strchr(str(t, "local"), ':') != NULL;
  const char *any = v6 ? "ipv6(::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff)" : "ipv4(0.0.0.0-255.255.255.255)";
  fprintf(fp, "ID: %lu Virtual-system: root, VPN Name: %s\n", id, str(t, "name"));
  fprintf(fp, "  Local Gateway: %s, Remote Gateway: %s\n  Local Identity: %s\n  Remote Identity: %s\n", str(t, "local"),
          str(t, "remote"), any, any);
  fprintf(fp, "  TS Type: proxy-id\n  Version: IKEv2\n  Quantum Secured: No\n  PFS group: N/A\n  Passive mode tunneling: Disabled\n");
  const char *policy = str(t, "ipsec_policy");
  fprintf(fp, "  DF-bit: %s, Copy-Outer-DSCP: %s, Bind-interface: %s , Policy-name: %s\n", str(t, "df_bit"),
          strcmp(str(t, "copy_outer_dscp"), "true") ? "Disabled" : "Enabled", str(t, "bind"), policy && *policy ? policy : "-");
  fprintf(fp, "  Port: %u, Nego#: 0, Fail#: 0, Def-Del#: 0 Flag: 0 \n  Multi-sa, Configured SAs# 0, Negotiated SAs#: 0 \n", port_of(t));
  fprintf(fp, "  Tunnel events:\n    Simulated time 0 s: IPsec SA negotiation succeeds (1 times)\n");
  fprintf(fp, "  Location: FPC %u, PIC %u\n  Anchorship: Slice %u\n  Distribution-Profile: %s\n", fpc, pic, (port % 4) / 2, anchor);
  direction(r, t, "inbound", "spi_in", ike, fp);
  direction(r, t, "outbound", "spi_out", ike, fp);
}

static void cookies(const cfg_node *t, char *ic, char *rc, bool *initiator) {
  const char *l = str(t, "local"), *rm = str(t, "remote");
  *initiator = strcmp(l, rm) < 0; /* modelled: the lower address initiates */
  const char *lo = *initiator ? l : rm, *hi = *initiator ? rm : l;
  char msg[160];
  unsigned char md[SHA256_DIGEST_LENGTH];
  int n = snprintf(msg, sizeof msg, "ipsecsim-junos-ike-cookie|%s|%s", lo, hi);
  SHA256((const unsigned char *)msg, (size_t)n, md);
  for (int i = 0; i < 8; i++) snprintf(ic + 2 * i, 3, "%02x", md[i]), snprintf(rc + 2 * i, 3, "%02x", md[8 + i]);
}

static void ike_line(const cfg_node *t, unsigned long idx, FILE *fp) {
  char ic[17], rc[17];
  bool init;
  cookies(t, ic, rc, &init);
  fprintf(fp, "%-8lu%-7s%-18s%-18s%-15s%s\n", idx, "UP", ic, rc, "IKEv2", str(t, "remote"));
}

static void ike_detail(const show_run *r, const cfg_node *t, unsigned long idx, unsigned long id, FILE *fp) {
  char ic[17], rc[17];
  bool init;
  cookies(t, ic, rc, &init);
  const char *gw = str(t, "ike_gateway");
  fprintf(fp, "IKE peer %s, Index %lu, Gateway Name: %s\n  Role: %s, State: UP\n", str(t, "remote"), idx,
          gw && *gw ? gw : str(t, "name"), init ? "Initiator" : "Responder");
  fprintf(fp, "  Initiator cookie: %s, Responder cookie: %s\n  Exchange type: IKEv2, Authentication method: Pre-shared-keys\n", ic, rc);
  fprintf(fp, "  Routing instance: default\n  Local: %s:500, Remote: %s:500\n  Peer ike-id: %s\n", str(t, "local"), str(t, "remote"),
          str(t, "remote"));
  fprintf(fp, "  IPSec Tunnel IDs: %lu\n", id);
}

static bool pic_view(const show_run *r, unsigned pic, FILE *fp, char *err, size_t elen) {
  const cfg_node *ports = at(cfg_root(r->report), "ports");
  const cfg_node *ifs = at(r->router, "interfaces");
  fprintf(fp, "FPC slot 0, PIC slot %u (router %s)\n", pic, r->name);
  fprintf(fp, "  Port        ASIC  PFE  Port group  IPsec capable  Carries IPsec\n");
  size_t shown = 0;
  for (size_t i = 0; ports && i < ports->n; i++) {
    const cfg_node *p = ports->items[i];
    if (strcmp(str(p, "router"), r->name) || u64(p, "pic") != pic) continue;
    bool wan = false;
    for (size_t k = 0; ifs && k < ifs->n; k++) {
      if (strcmp(str(ifs->items[k], "name"), str(p, "port"))) continue;
      char a[64];
      snprintf(a, sizeof a, "%s", str(ifs->items[k], "address"));
      char *sl = strchr(a, '/');
      if (sl) *sl = 0;
      for (size_t j = 0; r->tunnels && j < r->tunnels->n; j++) wan |= !strcmp(str(r->tunnels->items[j], "local"), a);
    }
    /* PG0 of a slice reaches its engine; 24.2R1 hosts SAs on PFE 0 only (README, release matrix) */
    bool r242 = !strcmp(str(at(r->router, "platform"), "release"), "24.2R1");
    const char *cap = u64(p, "pg") ? "no" : r242 && u64(p, "slice") ? "no (24.2R1)" : "yes (PG0)";
    fprintf(fp, "  %-12s%-6llu%-5llu%-12llu%-15s%s\n", str(p, "port"), u64(p, "asic"), u64(p, "slice"), u64(p, "pg"), cap,
            wan ? "yes (tunnel gateway)" : "no");
    shown++;
  }
  if (!shown) {
    snprintf(err, elen, "%s/report.json: router %s has no ports on FPC 0 PIC %u", r->dir, r->name, pic);
    return false;
  }
  return true;
}

bool show_print(const show_run *r, show_view v, unsigned long index, bool detail, unsigned pic, FILE *fp, char *err,
                size_t elen) {
  if (v == SHOW_CHASSIS_PIC) return pic_view(r, pic, fp, err, elen);
  size_t n = r->tunnels ? r->tunnels->n : 0;
  unsigned long first = v == SHOW_IKE_SAS ? 1 : 500001;
  if (index && (index < first || index - first >= n)) {
    snprintf(err, elen, "index %lu: no such %s SA on router %s (allowed: %lu..%lu)", index, v == SHOW_IKE_SAS ? "IKE" : "IPsec", r->name,
             first, first + n - 1);
    return false;
  }
  if (v == SHOW_IPSEC_STATS) return stats(r, index ? r->tunnels->items[index - first] : NULL, fp, err, elen);
  if (v == SHOW_IPSEC_SAS && index) {
    sa_detail(r, r->tunnels->items[index - first], index, index - first + 1, fp);
    return true;
  }
  if (v == SHOW_IPSEC_SAS) {
    fprintf(fp, "Total active tunnels: %zu     Total IPsec sas: %zu\n", n, 2 * n);
    fprintf(fp, "  ID      Algorithm       SPI      Life:sec/kb  Mon lsys Port  Gateway         \n");
    for (size_t i = 0; i < n; i++) sa_lines(r, r->tunnels->items[i], 500001 + i, fp);
    return true;
  }
  if (detail) {
    ike_detail(r, r->tunnels->items[index - 1], index, 500001 + index - 1, fp);
    return true;
  }
  fprintf(fp, "Index   State  Initiator cookie  Responder cookie  Mode           Remote Address\n");
  for (size_t i = 0; i < n; i++)
    if (!index || i == index - 1) ike_line(r->tunnels->items[i], i + 1, fp);
  return true;
}
