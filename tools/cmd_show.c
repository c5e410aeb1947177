/* `ipsecsim show DIR [--router NAME] security ipsec statistics [index N]` and the other
 * views of show_views.h. Exit 0 ok, 2 unusable input (a missing file, an unknown router or
 * index, counters absent from the report): one line on stderr. */
#include <stdlib.h>
#include <string.h>

#include "cli_help.h"
#include "commands.h"
#include "model/out_file.h"
#include "model/stats_internal.h"
#include "show_views.h"

/* resolved: DIR's config.resolved.yaml already loaded (borrowed), or NULL to load it. */
static bool open_with(show_run *r, const char *dir, const char *router, const stats_registry *live,
                      cfg_doc *resolved, char *err, size_t elen) {
  memset(r, 0, sizeof *r);
  r->live = live;
  snprintf(r->dir, sizeof r->dir, "%s", dir);
  char p[1200];
  cfg_err ce;
  snprintf(p, sizeof p, "%s/config.resolved.yaml", dir);
  r->resolved_borrowed = resolved != NULL;
  if (!(r->resolved = resolved ? resolved : cfg_load_file(p, &ce))) {
    snprintf(err, elen, "%s (allowed: a directory written by ipsecsim run --out)", ce.msg);
    return false;
  }
  const cfg_node *routers = cfg_get(cfg_root(r->resolved), "routers");
  for (size_t i = 0; routers && routers->kind == CFG_SEQ && i < routers->n; i++) {
    const cfg_node *rt = routers->items[i];
    const cfg_node *tn = cfg_get(cfg_get(rt, "ipsec"), "tunnels");
    const cfg_node *nm = cfg_get(rt, "name");
    if (router ? (nm && nm->value && !strcmp(nm->value, router)) : (tn && tn->n)) {
      r->router = rt;
      r->tunnels = tn && tn->kind == CFG_SEQ ? tn : NULL;
      r->name = nm ? nm->value : "r0";
      break;
    }
  }
  if (!r->router) {
    if (router) snprintf(err, elen, "%s/config.resolved.yaml: --router %s: no such router", dir, router);
    else snprintf(err, elen, "%s/config.resolved.yaml: no router has IPsec tunnels (allowed: --router NAME)", dir);
    show_close(r);
    return false;
  }
  snprintf(p, sizeof p, "%s/report.json", dir);
  /* only what the views read, streamed: a 2000-tunnel report is ~35 MB, above the whole-file
   * input limit (file_read.h), of which one router's counter values are a few MB */
  const char *const sa_path[] = {"stats", "sa", r->name, "*", "*", "*", "value", NULL};
  const char *const ipsec_path[] = {"stats", "ipsec", r->name, "*", "value", NULL};
  const char *const end_path[] = {"stats", "run", "end_ns", "value", NULL};
  const char *const ports_path[] = {"ports", NULL};
  const char *const *const keep[] = {sa_path, ipsec_path, end_path, ports_path, NULL};
  if (!live && !(r->report = cfg_load_file_pruned(p, keep, &ce))) {
    snprintf(err, elen, "%s (allowed: a directory written by ipsecsim run --out)", ce.msg);
    show_close(r);
    return false;
  }
  if (live) { /* the figure report.json carries, as it is written there */
    const double *g = stats_find_gauge(live, "run.end_ns");
    char b[40] = "0";
    if (g) stats_format_double(*g, b, sizeof b);
    r->end_s = strtod(b, NULL) * 1e-9;
  } else {
    const cfg_node *end = cfg_get(cfg_get(cfg_get(cfg_get(cfg_root(r->report), "stats"), "run"), "end_ns"), "value");
    r->end_s = end && end->value ? strtod(end->value, NULL) * 1e-9 : 0;
  }
  return true;
}

bool show_open(show_run *r, const char *dir, const char *router, const stats_registry *live, char *err,
               size_t elen) {
  return open_with(r, dir, router, live, NULL, err, elen);
}

void show_close(show_run *r) {
  if (!r->resolved_borrowed) cfg_free(r->resolved);
  cfg_free(r->report);
  r->resolved = r->report = NULL;
}

/* The views written after a run, each under the command line that prints it. */
bool show_write_all(const char *dir, const stats_registry *live, char *err, size_t elen) {
  char p[1200];
  cfg_err ce;
  snprintf(p, sizeof p, "%s/config.resolved.yaml", dir);
  cfg_doc *d = cfg_load_file(p, &ce);
  if (!d) {
    snprintf(err, elen, "%s", ce.msg);
    return false;
  }
  const cfg_node *routers = cfg_get(cfg_root(d), "routers");
  bool ok = true;
  err[0] = 0;
  for (size_t i = 0; routers && i < routers->n && ok; i++) {
    const cfg_node *tn = cfg_get(cfg_get(routers->items[i], "ipsec"), "tunnels");
    const cfg_node *nm = cfg_get(routers->items[i], "name");
    if (!tn || !tn->n || !nm || !nm->value) continue;
    show_run r;
    if (!(ok = open_with(&r, dir, nm->value, live, d, err, elen))) break;
    snprintf(p, sizeof p, "%s/show.%s.txt", dir, nm->value);
    out_file of;
    if (!(ok = out_begin(&of, p, OUT_MODE_NORMAL, err, elen))) {
      show_close(&r);
      break;
    }
    char e2[512] = "";
    fprintf(of.fp, "user@%s> show security ipsec statistics\n", r.name);
    if (!show_print(&r, SHOW_IPSEC_STATS, 0, false, 0, of.fp, e2, sizeof e2)) fprintf(of.fp, "(not available: %s)\n", e2);
    for (size_t t = 0; t < tn->n; t++) {
      fprintf(of.fp, "user@%s> show security ipsec statistics index %zu\n", r.name, 500001 + t);
      if (!show_print(&r, SHOW_IPSEC_STATS, 500001 + t, false, 0, of.fp, e2, sizeof e2)) fprintf(of.fp, "(not available: %s)\n", e2);
    }
    fprintf(of.fp, "user@%s> show security ipsec security-associations\n", r.name);
    show_print(&r, SHOW_IPSEC_SAS, 0, false, 0, of.fp, e2, sizeof e2);
    for (size_t t = 0; t < tn->n; t++) {
      fprintf(of.fp, "user@%s> show security ipsec security-associations index %zu\n", r.name, 500001 + t);
      show_print(&r, SHOW_IPSEC_SAS, 500001 + t, false, 0, of.fp, e2, sizeof e2);
    }
    fprintf(of.fp, "user@%s> show security ike security-associations\n", r.name);
    show_print(&r, SHOW_IKE_SAS, 0, false, 0, of.fp, e2, sizeof e2);
    for (size_t t = 0; t < tn->n; t++) {
      fprintf(of.fp, "user@%s> show security ike security-associations index %zu detail\n", r.name, 1 + t);
      show_print(&r, SHOW_IKE_SAS, 1 + t, true, 0, of.fp, e2, sizeof e2);
    }
    show_close(&r);
    ok = out_commit(&of, err, elen);
  }
  cfg_free(d);
  return ok;
}

static int usage(void) {
  fprintf(stderr, "usage: ipsecsim show %s\n", cli_help_synopsis("show"));
  return IPSECSIM_EXIT_USAGE;
}

static bool number(const char *t, unsigned long *v) {
  char *e;
  if (!t || !*t || *t == '-') return false;
  *v = strtoul(t, &e, 10);
  return !*e;
}

int cmd_show(int argc, char **argv) {
  const char *dir = NULL, *router = NULL;
  const char *w[12];
  int n = 0;
  for (int i = 1; i < argc; i++) {
    if (cli_help_is_flag(argv[i])) {
      cli_help_print("show", stdout);
      return IPSECSIM_EXIT_OK;
    }
    if (!strcmp(argv[i], "--router") && i + 1 < argc) router = argv[++i];
    else if (argv[i][0] == '-') {
      fprintf(stderr, "ipsecsim show: unknown option %s (or a missing value)\n", argv[i]);
      return usage();
    } else if (!dir) dir = argv[i];
    else if (n < 12) w[n++] = argv[i];
    else return usage();
  }
  if (!dir || n < 3) return usage();
  show_view v;
  unsigned long index = 0, pic = 0;
  bool detail = false;
  int rest = 3;
  if (!strcmp(w[0], "security") && !strcmp(w[1], "ipsec") && !strcmp(w[2], "statistics")) v = SHOW_IPSEC_STATS;
  else if (!strcmp(w[0], "security") && !strcmp(w[1], "ipsec") && !strcmp(w[2], "security-associations")) v = SHOW_IPSEC_SAS;
  else if (!strcmp(w[0], "security") && !strcmp(w[1], "ike") && !strcmp(w[2], "security-associations")) v = SHOW_IKE_SAS;
  else if (n == 5 && !strcmp(w[0], "chassis") && !strcmp(w[1], "fpc") && !strcmp(w[2], "0") && !strcmp(w[3], "pic") && number(w[4], &pic)) {
    v = SHOW_CHASSIS_PIC;
    rest = 5;
  } else {
    fprintf(stderr, "ipsecsim show: %s %s %s: unknown view (allowed: security ipsec statistics, security ipsec security-associations, "
                    "security ike security-associations, chassis fpc 0 pic N)\n", w[0], w[1], w[2]);
    return IPSECSIM_EXIT_USAGE;
  }
  if (rest < n && !strcmp(w[rest], "index")) {
    if (rest + 1 >= n || !number(w[rest + 1], &index) || !index) {
      fprintf(stderr, "ipsecsim show: index %s: not a positive number\n", rest + 1 < n ? w[rest + 1] : "(missing)");
      return IPSECSIM_EXIT_USAGE;
    }
    rest += 2;
    if (rest < n && !strcmp(w[rest], "detail") && v != SHOW_IPSEC_STATS) detail = true, rest++;
  }
  if (rest != n) {
    fprintf(stderr, "ipsecsim show: %s: unexpected (allowed after the view: index N, then detail for security-associations)\n", w[rest]);
    return IPSECSIM_EXIT_USAGE;
  }
  if (v == SHOW_IKE_SAS && detail && !index) return usage();
  char err[1024];
  show_run r;
  if (!show_open(&r, dir, router, NULL, err, sizeof err)) {
    fprintf(stderr, "ipsecsim show: %s\n", err);
    return IPSECSIM_EXIT_USAGE;
  }
  bool ok = show_print(&r, v, index, detail, (unsigned)pic, stdout, err, sizeof err);
  show_close(&r);
  if (!ok) {
    fprintf(stderr, "ipsecsim show: %s\n", err);
    return IPSECSIM_EXIT_USAGE;
  }
  return IPSECSIM_EXIT_OK;
}
