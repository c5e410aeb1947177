/* Sweep plan: the axes of a sweep (`--axis KEY=V1,V2,...`, the `sweep:` block of a scenario,
 * the `--sizes` alias), their cross product and each point's stable id and seed.
 *
 * An axis is any key `--set` accepts with a list of values. A value list is comma separated;
 * an element A..B/STEP expands to A, A+STEP, ... B (same unit suffix on all three, e.g.
 * 10%..100%/10% or 1..4/1). traffic.frame values may be plain numbers (64 = 64B) or the CSIT
 * names 64, 78, 1518, 9000, IMIX_v4_1, and imix (the simple 7:4:1).
 * Points are numbered in cross-product order, the last axis fastest: point i is "p%04u" and its
 * seed is splitmix64(base seed XOR fnv1a64("K1=V1;K2=V2;...")), the point's own values with
 * the keys sorted, so a point's results never depend on its number, on the order of the axes
 * or on which process runs it. */
#ifndef IPSECSIM_SWEEP_PLAN_H
#define IPSECSIM_SWEEP_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/cfg.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SWEEP_MAX_AXES 8
#define SWEEP_MAX_VALUES 1024
#define SWEEP_VALUE_MAX 48

typedef struct sweep_axis {
  char key[128];
  char (*values)[SWEEP_VALUE_MAX];
  size_t n;
} sweep_axis;

typedef struct sweep_plan {
  sweep_axis axes[SWEEP_MAX_AXES];
  size_t n_axes;
  uint64_t base_seed;
} sweep_plan;

/* Adds an axis from "KEY=V1,V2,..." (a repeated key is refused). err: one line. */
bool sweep_plan_add_axis(sweep_plan *p, const char *spec, char *err, size_t errlen);
/* Adds an axis from the sweep: block's `axes:` map entry (value: a scalar list text or a
 * sequence of scalars); errors as FILE:LINE:COL: sweep.axes.KEY: ... */
bool sweep_plan_add_axis_node(sweep_plan *p, const char *key, const cfg_node *values, cfg_err *err);
size_t sweep_plan_points(const sweep_plan *p);
/* The value of every axis at point i (vals[a] points into the plan). */
void sweep_plan_values(const sweep_plan *p, size_t i, const char **vals);
void sweep_plan_id(size_t i, char *buf, size_t len);
uint64_t sweep_plan_seed(const sweep_plan *p, size_t i);
/* The point key "K1=V1;K2=V2" in axis order (for messages). */
void sweep_plan_key(const sweep_plan *p, size_t i, char *buf, size_t len);
void sweep_plan_free(sweep_plan *p);

uint64_t sweep_fnv1a64(const void *data, size_t len, uint64_t h);
#define SWEEP_FNV_OFFSET 0xcbf29ce484222325ull

#ifdef __cplusplus
}
#endif
#endif
