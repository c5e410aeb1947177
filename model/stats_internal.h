/* Private glue between stats.c, stats_hist.c and stats_write.c. */
#ifndef IPSECSIM_STATS_INTERNAL_H
#define IPSECSIM_STATS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "stats.h"

stats_hist *stats_hist_new(void);
void stats_hist_free(stats_hist *h);

/* Shortest "%.{15,16,17}g" text that reads back as the same double; "nan"/"inf"/"-inf"
 * for non-finite values (JSON writers print null instead). */
void stats_format_double(double v, char *out, size_t len);

/* True when `name` is `prefix` or lies below it (whole dotted segments). NULL = all. */
bool stats_name_matches(const char *name, const char *prefix);

#endif
