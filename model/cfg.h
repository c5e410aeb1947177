/* Configuration loading on libyaml: a YAML document becomes a tree of cfg_node with source
 * positions; walkers apply declared parameter tables to it. Every error is one line:
 *   FILE:LINE:COL: FIELD: what is wrong (allowed: ...)
 * The SA file (`ipsecsim esp --sa`) and the scenarios both load through this. */
#ifndef IPSECSIM_CFG_H
#define IPSECSIM_CFG_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CFG_ERR_MAX 512

typedef struct cfg_err {
  char msg[CFG_ERR_MAX]; /* one line, no trailing newline */
} cfg_err;

typedef enum cfg_node_kind { CFG_SCALAR, CFG_MAP, CFG_SEQ } cfg_node_kind;

typedef struct cfg_node cfg_node;
struct cfg_node {
  cfg_node_kind kind;
  const char *file;  /* document path, owned by the cfg_doc */
  unsigned line;     /* 1-based */
  unsigned col;      /* 1-based */
  const char *value; /* CFG_SCALAR: the text; NULL otherwise */
  bool quoted;       /* scalar was quoted (so `"yes"` stays a string) */
  size_t n;          /* CFG_MAP: number of pairs; CFG_SEQ: number of items */
  const char **keys; /* CFG_MAP: keys[i] */
  const cfg_node **key_nodes; /* CFG_MAP: key positions */
  const cfg_node **items;     /* CFG_MAP: values[i]; CFG_SEQ: items[i] */
};

typedef struct cfg_doc cfg_doc;

/* Loader rules (cfg_load.c, cfg_map.c):
 * - An alias shares the anchored node (the tree is a DAG; nodes are const) and keeps the
 *   position of the anchored definition. YAML merge keys (`<<: *a`, `<<: [*a, *b]`) are
 *   resolved; explicit keys win. A quoted "<<" is an ordinary key.
 * - Every node counts towards CFG_MAX_NODES as a walker would see it after expansion (map
 *   keys included); the count is kept while parsing, so alias bombs fail at the alias that
 *   crosses the limit without expanding anything. CFG_MAX_DEPTH counts every level, the
 *   root being level 1 and a scalar a level of its own.
 * - Duplicate keys, a second document, an empty document, non-scalar keys, unknown or
 *   recursive aliases and NUL characters in scalars are errors. */
/* Limits that make alias bombs and deep nesting fail fast. */
#define CFG_MAX_NODES 1000000u /* nodes after alias expansion */
#define CFG_MAX_DEPTH 64u

/* Parse a file / an in-memory buffer. On error returns NULL and fills err. `name` is what
 * error messages call the document. */
cfg_doc *cfg_load_file(const char *path, cfg_err *err);
cfg_doc *cfg_load_buffer(const char *name, const char *text, size_t len, cfg_err *err);
/* A file of any size read as a stream, keeping only the subtrees a path of `keep` names: each
 * path is a NULL-terminated list of map keys from the root, "*" matching any key (e.g.
 * {"stats", "sa", "r1", "*", "*", "*", "value", NULL}); `keep` ends with NULL. The rest is
 * parsed (a syntax error anywhere still fails) but neither stored nor counted, so memory is
 * bounded by what is kept (CFG_MAX_NODES), not by the file: for a project's own outputs
 * (report.json of a 2000-tunnel run is ~35 MB) of which a reader needs a part. Sequences are
 * kept whole or not at all. Anchors of skipped subtrees do not exist. */
cfg_doc *cfg_load_file_pruned(const char *path, const char *const *const *keep, cfg_err *err);
/* The same from an open stream (read to its end; `name` is what errors call it). */
cfg_doc *cfg_load_stream_pruned(const char *name, FILE *fp, const char *const *const *keep, cfg_err *err);
void cfg_free(cfg_doc *doc);
const cfg_node *cfg_root(const cfg_doc *doc);

/* Lookups. cfg_get returns NULL when the key is absent (or node is not a map). */
const cfg_node *cfg_get(const cfg_node *map, const char *key);

/* Formats "FILE:LINE:COL: FIELD: <fmt...>" into err (FIELD may be NULL). Returns false so
 * callers can `return cfg_fail(...)`. */
bool cfg_fail(cfg_err *err, const cfg_node *at, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Makes a message formatted outside cfg_fail obey its rules (below): key-like text after
 * byte FROM (past the file name) is redacted, and line breaks become spaces (one line). */
void cfg_err_tidy(cfg_err *err, size_t from);

/* ---- Parameter tables ---- */
typedef enum cfg_type {
  CFG_T_BOOL,   /* true/false */
  CFG_T_INT,    /* int64_t */
  CFG_T_UINT,   /* uint64_t; accepts 0x hex */
  CFG_T_DOUBLE, /* double, dimensionless */
  CFG_T_STRING, /* char* (strdup'ed, caller frees via cfg_table_free) */
  CFG_T_ENUM,   /* int: index into `allowed` ("a|b|c") */
  CFG_T_HEX,    /* cfg_bytes: hex string, optional 0x, even length */
  CFG_T_RATE,   /* double, bits per second: 400Gbps, 1.5Tbps, 100Mbps, 10bps */
  CFG_T_PPS,    /* double, packets per second: 1.5Gpps, 300Mpps */
  CFG_T_FREQ,   /* double, Hz: 1.2GHz, 800MHz */
  CFG_T_TIME,   /* uint64_t femtoseconds: 2ms, 10us, 5ns, 1ps, 3fs, 1s */
  CFG_T_SIZE,   /* uint64_t bytes: 1518B, 9KB (1000), 9KiB (1024), 16MiB */
  CFG_T_PERCENT /* double fraction: 82% -> 0.82 */
} cfg_type;

typedef enum cfg_source { CFG_SRC_PUBLISHED, CFG_SRC_DERIVED, CFG_SRC_ASSUMED } cfg_source;

typedef struct cfg_bytes {
  uint8_t *data;
  size_t len;
} cfg_bytes;

typedef struct cfg_param {
  const char *name;    /* YAML key */
  cfg_type type;
  const char *unit;    /* display unit: "Gbps", "GHz", "ns", "B", "" */
  const char *def;     /* default as YAML text with unit ("400Gbps"); NULL = required */
  double min, max;     /* inclusive range in the type's base unit; min > max = unchecked */
  const char *allowed; /* CFG_T_ENUM: "a|b|c" */
  cfg_source source;
  const char *why;     /* source or reason of the default (published URL, derivation, assumption) */
  const char *doc;     /* one-line description */
  size_t offset;       /* offsetof(struct, field) of the destination */
  bool secret;         /* never printed (keys, salts) */
} cfg_param;

/* Value rules (cfg_value.c, cfg_units.c):
 * - A plain empty, "~" or null/Null/NULL scalar is "missing value" for every type (write ""
 *   for an empty string). Quoting is otherwise irrelevant: "400Gbps" parses as a rate.
 * - BOOL: true/True/TRUE/false/False/FALSE only; YAML 1.1 yes/no/on/off are refused.
 *   ENUM: the field is an int. INT/UINT: decimal or 0x hex, overflow and (UINT) negatives
 *   refused. DOUBLE: decimal with optional exponent, no unit, finite.
 * - Dimensioned types: number, optional spaces, unit (case-sensitive; "kbps", "kpps" and
 *   "KHz" accepted as aliases). Negative values are refused. TIME and SIZE are exact
 *   integers (1.2ns = 1200000 fs, 0.5KiB = 512 B; a value that is not a whole fs or byte is
 *   refused); the others are the correctly rounded double of the written decimal.
 * - min/max are compared in base units (as doubles); +-INFINITY makes a range one-sided.
 *   For HEX, min/max (when set) bound the length in bytes.
 * - STRING and HEX fields of dst must be zero-initialised or hold values from earlier
 *   cfg_* calls: a replaced value is freed.
 * - Messages never quote the value of a `secret` entry. An integer beyond 64 bits or a
 *   negative UINT states the entry's own range when it has one.
 * - No error message (cfg_fail*) ever shows key-like text after its FILE:LINE:COL: a run of
 *   17 or more hex digits with a letter among them or after 0x, or of 22 or more base64
 *   characters mixing upper case, lower case and digits, becomes "<key-like, not shown>",
 *   whatever field it was typed into (decimal digits alone are a number and stay). */
/* Whether text holds a key-like run (the rule above). */
bool cfg_text_key_like(const char *text);
/* Parse one scalar per its table entry into dst+offset. */
bool cfg_parse_value(const cfg_param *p, const cfg_node *node, void *dst, cfg_err *err);
/* Apply defaults of every entry, then the map's keys. Unknown keys are errors with a
 * did-you-mean among the table's names and the `extra_keys` (NULL-terminated list of keys
 * the caller handles itself, may be NULL). A missing required key is an error at the map.
 * map == NULL (section absent) applies the defaults only; a required key is then reported
 * without a position. */
bool cfg_apply_table(const cfg_node *map, const char *path_prefix, const cfg_param *table,
                     size_t n, const char *const *extra_keys, void *dst, cfg_err *err);
bool cfg_apply_defaults(const cfg_param *table, size_t n, void *dst, cfg_err *err);
/* Free CFG_T_STRING / CFG_T_HEX fields allocated by the apply functions. */
void cfg_table_free(const cfg_param *table, size_t n, void *dst);

/* Parse value-with-unit text directly (used by `--set key=value`). */
bool cfg_parse_text(const cfg_param *p, const char *text, void *dst, char *why, size_t why_len);

/* Closest candidate by edit distance (Damerau/OSA, case-insensitive), or NULL when nothing
 * is within max(2, len/3) edits or the whole word would have to change. */
const char *cfg_did_you_mean(const char *word, const char *const *cands, size_t n);

/* Print a parameter table (name, type, unit, default, range, source, doc). Secrets never
 * print a value. */
void cfg_print_table(const char *block, const cfg_param *table, size_t n, void *fp /* FILE* */);

#ifdef __cplusplus
}
#endif
#endif
