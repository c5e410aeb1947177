/* The scenario's `sweep:` block (sweep_cli.h):
 *   sweep:
 *     axes: {traffic.frame: [64, 1518, IMIX_v4_1], traffic.rate: 10%..100%/10%}
 *     search: mlr            # none | rfc2544 | mlr
 *     resolution: 0.1%       # rfc2544
 *     width: 0.5%            # mlr
 *     pdr_loss: 0.5%         # mlr
 *     trial: 1ms             # phases.measure of every trial (mlr: of its final phase)
 *     initial_trial: 125us   # mlr: trials of phase 0 (default trial / 8)
 *     mlr_phases: 2          # mlr: intermediate phases
 *     warmup: 100us          # phases.warmup of every trial
 *     backlog_rule: true
 *     slack: 4               # frames per stream
 * What the command line gives wins; an --axis replaces the block's axis of the same key. */
#include <stdio.h>
#include <string.h>

#include "asic/scenario.h"
#include "sweep_cli.h"

static bool axis_on_cli(const sweep_cli *c, size_t n_cli, const char *key) {
  for (size_t a = 0; a < n_cli; a++)
    if (!strcmp(c->plan.axes[a].key, key)) return true;
  return false;
}

static bool pct(const cfg_node *n, const char *field, double lo, double hi, double *dst, cfg_err *e) {
  const cfg_param p = {field, CFG_T_PERCENT, "%", NULL, lo, hi, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
  double v;
  if (!cfg_parse_value(&p, n, &v, e)) return false;
  *dst = v;
  return true;
}

static bool time_text(const cfg_node *n, const char *field, char *dst, size_t len, cfg_err *e) {
  const cfg_param p = {field, CFG_T_TIME, "us", NULL, 1, 1e16, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
  uint64_t v;
  if (!cfg_parse_value(&p, n, &v, e)) return false;
  snprintf(dst, len, "%s", n->value);
  return true;
}

bool sweep_block_apply(sweep_cli *c, char *err, size_t errlen) {
  cfg_err e = {0};
  cfg_doc *doc = cfg_load_file(c->path, &e);
  if (!doc) return snprintf(err, errlen, "%s", e.msg), false;
  const cfg_node *root = cfg_root(doc), *b = root && root->kind == CFG_MAP ? cfg_get(root, "sweep") : NULL;
  static const char *const keys[] = {"axes", "search", "resolution", "width", "pdr_loss", "trial", "warmup",
                                     "backlog_rule", "slack", "initial_trial", "mlr_phases", NULL};
  bool ok = !b || scenario_check_keys(b, "sweep", keys, &e);
  const cfg_node *n;
  size_t n_cli = c->plan.n_axes;
  if (ok && b && (n = cfg_get(b, "axes"))) {
    if (n->kind != CFG_MAP) ok = cfg_fail(&e, n, "sweep.axes", "expected a map KEY: [V1, V2] (allowed: a map)");
    for (size_t i = 0; ok && i < n->n; i++)
      if (!axis_on_cli(c, n_cli, n->keys[i])) ok = sweep_plan_add_axis_node(&c->plan, n->keys[i], n->items[i], &e);
  }
  if (ok && b && (n = cfg_get(b, "search")) && !c->mode_given) {
    static const cfg_param p = {"sweep.search", CFG_T_ENUM, "", NULL, 1, 0, "none|rfc2544|mlr", CFG_SRC_ASSUMED, "", "", 0, false};
    int m;
    if ((ok = cfg_parse_value(&p, n, &m, &e))) c->opts.mode = (sweep_mode)m;
  }
  if (ok && b && (n = cfg_get(b, "resolution")) && !c->resolution_given)
    ok = pct(n, "sweep.resolution", 1e-6, 0.5, &c->opts.resolution, &e);
  if (ok && b && (n = cfg_get(b, "width")) && !c->width_given) ok = pct(n, "sweep.width", 1e-6, 0.5, &c->opts.width, &e);
  if (ok && b && (n = cfg_get(b, "pdr_loss")) && !c->pdr_given) ok = pct(n, "sweep.pdr_loss", 0, 0.5, &c->opts.pdr_loss, &e);
  if (ok && b && (n = cfg_get(b, "trial")) && !c->trial[0]) ok = time_text(n, "sweep.trial", c->trial, sizeof c->trial, &e);
  if (ok && b && (n = cfg_get(b, "warmup")) && !c->warmup[0])
    ok = time_text(n, "sweep.warmup", c->warmup, sizeof c->warmup, &e);
  if (ok && b && (n = cfg_get(b, "backlog_rule")) && !c->rule_given) {
    static const cfg_param p = {"sweep.backlog_rule", CFG_T_BOOL, "", NULL, 1, 0, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
    ok = cfg_parse_value(&p, n, &c->opts.backlog_rule, &e);
  }
  if (ok && b && (n = cfg_get(b, "slack")) && !c->slack_given) {
    static const cfg_param p = {"sweep.slack", CFG_T_DOUBLE, "", NULL, 0, 1e6, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
    ok = cfg_parse_value(&p, n, &c->opts.slack, &e);
  }
  if (ok && b && (n = cfg_get(b, "initial_trial")) && !c->initial_given) {
    static const cfg_param p = {"sweep.initial_trial", CFG_T_TIME, "us", NULL, 1e6, 1e16, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
    if ((ok = cfg_parse_value(&p, n, &c->opts.initial_fs, &e))) {
      c->initial_given = true;
      snprintf(c->initial, sizeof c->initial, "%s", n->value);
    }
  }
  if (ok && b && (n = cfg_get(b, "mlr_phases")) && !c->phases_given) {
    static const cfg_param p = {"sweep.mlr_phases", CFG_T_UINT, "", NULL, 0, SWEEP_MLR_PHASES_MAX, NULL, CFG_SRC_ASSUMED, "", "", 0, false};
    uint64_t v = 0;
    if ((ok = cfg_parse_value(&p, n, &v, &e))) c->opts.phases = (unsigned)v, c->phases_given = true;
  }
  if (!ok) snprintf(err, errlen, "%s", e.msg);
  cfg_free(doc);
  return ok;
}
