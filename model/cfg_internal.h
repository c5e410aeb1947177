/* Private glue between cfg_load.c, cfg_units.c, cfg_value.c and cfg_table.c. Not a public
 * contract: only model/cfg*.c include it. */
#ifndef IPSECSIM_CFG_INTERNAL_H
#define IPSECSIM_CFG_INTERNAL_H

#include <stdarg.h>
#include "cfg.h"

/* Bump allocator owning every node and string of a document (freed in one go). */
typedef struct cfg_arena_block cfg_arena_block;
typedef struct cfg_arena {
  cfg_arena_block *head;
} cfg_arena;
void *cfg_arena_alloc(cfg_arena *a, size_t size);
char *cfg_arena_strndup(cfg_arena *a, const char *s, size_t len);
void cfg_arena_free(cfg_arena *a);
/* A point to go back to: everything allocated after it (in blocks of the usual size) is given
 * back by cfg_arena_release; a block of a single larger allocation stays until cfg_arena_free. */
typedef struct cfg_arena_mark {
  cfg_arena_block *head;
  size_t used;
} cfg_arena_mark;
cfg_arena_mark cfg_arena_get_mark(const cfg_arena *a);
void cfg_arena_release(cfg_arena *a, cfg_arena_mark m);

/* Fills map's pairs from kids = key, value, key, value ... (`pairs` of them): refuses
 * duplicate keys, resolves YAML merge keys (`<<`). `path` is the map's dotted path. */
bool cfg_build_map(cfg_arena *ar, cfg_node *map, const cfg_node *const *kids, size_t pairs,
                   const char *path, cfg_err *err);

/* "FILE:LINE:COL: FIELD: message" (FIELD omitted when NULL or empty; position omitted
 * when file is NULL). Always returns false. */
bool cfg_failv_at(cfg_err *err, const char *file, unsigned line, unsigned col,
                  const char *field, const char *fmt, va_list ap);
bool cfg_fail_at(cfg_err *err, const char *file, unsigned line, unsigned col,
                 const char *field, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* A plain scalar that YAML reads as null: empty, "~", "null", "Null", "NULL". */
bool cfg_text_is_null(const char *text, bool quoted);

/* Parse `text` for table entry p into dst+p->offset. On failure writes "what is wrong
 * (allowed: ...)" into why (never quoting the text of a secret entry). */
bool cfg_parse_scalar(const cfg_param *p, const char *text, bool quoted, void *dst, char *why,
                      size_t why_len);

/* Dimensioned types (RATE PPS FREQ TIME SIZE PERCENT): parse into a double (RATE PPS FREQ
 * PERCENT) or uint64_t (TIME SIZE) in the type's base unit. */
bool cfg_parse_quantity(const cfg_param *p, const char *text, double *as_double,
                        uint64_t *as_u64, char *why, size_t why_len);
/* Format a base-unit value in the entry's display unit ("400Gbps", "82%", "1.2GHz"). */
void cfg_format_quantity(const cfg_param *p, double base_value, char *out, size_t out_len);
/* "min..max" with units, "-" when unchecked. */
void cfg_format_range(const cfg_param *p, char *out, size_t out_len);
/* Space-separated canonical units of a dimensioned type ("bps Kbps Mbps Gbps Tbps"). */
const char *cfg_units_allowed(cfg_type t);
const char *cfg_type_name(cfg_type t);
bool cfg_type_is_dimensioned(cfg_type t);

/* Number scanner shared by the integer, double and quantity parsers. The decimal value is
 * exactly mant * 10^exp10 unless mant_overflow. */
typedef struct cfg_number {
  bool neg;
  bool mant_overflow; /* more significant digits than fit in 64 bits */
  uint64_t mant;
  int exp10;
  size_t len; /* characters consumed */
} cfg_number;
bool cfg_scan_number(const char *s, cfg_number *num);
/* Correctly rounded double of a scanned number (strtod on the consumed text). */
double cfg_number_to_double(const char *s, const cfg_number *num);

#endif
