/* Sweep results in long form. A point's result is its records, one line per figure:
 *   POINT,SEED,AXIS1,...,AXISn,METRIC,VALUE
 * results.csv = the run header (comment lines "# key: value": tool and version, scenario
 * and its hash, base seed, search and its settings, axes, point count), the column line and
 * every point's records in point order. results.json holds the same header and points
 * ({id, seed, axes, metrics}), built from the CSV text, so both are byte-identical however
 * the points were spread (serial, --jobs, MPI, merged shards). Wall-clock figures go only to
 * wallclock*.json. A shard file (results.shard-I-of-N.csv) is the same header, then the
 * records of the shard's points; `ipsecsim merge` joins shards into results.csv/json. */
#ifndef IPSECSIM_SWEEP_RESULTS_H
#define IPSECSIM_SWEEP_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sweep_plan.h"
#include "sweep_trial.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A growable text buffer. */
typedef struct sweep_text {
  char *s;
  size_t n, cap;
} sweep_text;
void sweep_text_add(sweep_text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void sweep_text_free(sweep_text *t);

/* The header and column line (ends with '\n'). search: e.g. "mlr width=0.5% pdr_loss=0.5%";
 * sets: the --set overrides (a key naming a key, salt or psk shows no value). */
void sweep_header(sweep_text *out, const char *scenario_path, const sweep_plan *p, const char *search,
                  char *const *sets, size_t n_sets);
/* Appends point i's records. */
void sweep_records(sweep_text *out, const sweep_plan *p, size_t i, const sweep_rows *rows);

/* Writes DIR/NAME atomically (mkdir -p DIR). false: one line in err. */
bool sweep_write_file(const char *dir, const char *name, const char *text, size_t len, char *err, size_t errlen);
/* results.csv and results.json from the full CSV text. */
bool sweep_write_results(const char *dir, const char *csv, size_t len, char *err, size_t errlen);
/* A human table on fp from the CSV text: one line per point (axes, then key figures). */
void sweep_print_table(const char *csv, FILE *fp);

/* `ipsecsim merge`: joins shard CSVs (same header, each point once, all points) into csv.
 * false: one line in err naming the file and what is wrong. */
bool sweep_merge(char *const *shards, size_t n, sweep_text *csv, char *err, size_t errlen);
/* The same over texts in memory (names for messages). */
bool sweep_merge_texts(char *const *texts, char *const *names, size_t n, sweep_text *csv, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
