/* Junos-style `show` views of a run directory (issue 16), in the seed's layouts: from
 * DIR/config.resolved.yaml (tunnels, SPIs, per-SA settings; never keys) and DIR/report.json
 * (per-SA counters sa.ROUTER.TUNNEL.out|in.NAME and per router ipsec.ROUTER.NAME, NAME the
 * ipsec_engine/ipsec_counters.c names). A counter the report lacks is never shown as 0: the
 * view fails with one line. */
#ifndef IPSECSIM_SHOW_VIEWS_H
#define IPSECSIM_SHOW_VIEWS_H

#include <stdbool.h>
#include <stdio.h>

#include "model/cfg.h"
#include "model/stats.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct show_run {
  cfg_doc *resolved, *report; /* report NULL when live is set */
  bool resolved_borrowed;      /* show_write_all's document, not freed by show_close */
  const stats_registry *live;  /* the run's own registry (show_write_all): counters without
                                  reading back report.json (35 MB at 2000 tunnels) */
  const cfg_node *router;  /* the routers: entry shown */
  const cfg_node *tunnels; /* its ipsec.tunnels (a sequence) or NULL */
  const char *name;
  double end_s; /* simulated time of the run's last event */
  char dir[1024];
} show_run;

typedef enum show_view {
  SHOW_IPSEC_STATS,
  SHOW_IPSEC_SAS,
  SHOW_IKE_SAS,
  SHOW_CHASSIS_PIC,
} show_view;

/* Opens DIR's two files and picks the router (NULL: the first with tunnels). live non-NULL:
 * the counters come from that registry (the run that wrote DIR), report.json is not read and
 * SHOW_CHASSIS_PIC is not available. */
bool show_open(show_run *r, const char *dir, const char *router, const stats_registry *live, char *err,
               size_t elen);
void show_close(show_run *r);
/* index: 0 = all; detail: the index form's detail; pic for SHOW_CHASSIS_PIC. */
bool show_print(const show_run *r, show_view v, unsigned long index, bool detail, unsigned pic, FILE *fp, char *err,
                size_t elen);
/* Every view of every router with tunnels into DIR/show.ROUTER.txt (after a run, live its
 * registry). Views that cannot be made (counters absent) are named in err, the others are
 * written. */
bool show_write_all(const char *dir, const stats_registry *live, char *err, size_t elen);

#ifdef __cplusplus
}
#endif
#endif
