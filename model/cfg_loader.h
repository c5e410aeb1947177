/* Private to the YAML loader (cfg_load.c, cfg_load_aux.c): its state while a document is
 * read, the anchor table and the keep paths of cfg_load_file_pruned. */
#ifndef IPSECSIM_CFG_LOADER_H
#define IPSECSIM_CFG_LOADER_H

#include <yaml.h>

#include "cfg_internal.h"

struct cfg_doc {
  cfg_arena arena;
  const char *name;
  const cfg_node *root;
};

typedef struct anchor {
  const char *name; /* NULL = empty slot */
  const cfg_node *node;
  uint64_t size;   /* nodes after expansion */
  unsigned height; /* levels, 1 for a scalar */
} anchor;

typedef struct open_node {
  cfg_node *node;
  char *anchor;         /* heap copy, registered when the node closes */
  const cfg_node **kids; /* SEQ: items; MAP: key, value, key, value ... */
  size_t n, cap;
  uint64_t size_at_open; /* loader->expanded when the node opened */
  unsigned height;       /* 1 + tallest child so far */
  bool key_marked;       /* pruned: the arena before the pending key (given back if dropped) */
  cfg_arena_mark key_mark;
} open_node;

typedef struct loader {
  cfg_doc *doc;
  cfg_err *err;
  open_node stack[CFG_MAX_DEPTH + 1];
  unsigned depth;
  anchor *anchors;
  size_t anchor_cap, anchor_used;
  uint64_t expanded;
  const cfg_node *root;
  unsigned root_height;
  const char *const *const *keep; /* cfg_load_file_pruned: the paths kept, NULL: everything */
  unsigned skip;                  /* > 0: inside a skipped subtree, its open containers */
  unsigned kept_from;             /* > 0: depth + 1 of the open node a keep path ends at */
} loader;

anchor *cfg_anchor_slot(loader *L, const char *name);
/* Later definitions replace earlier ones. false: out of memory. */
bool cfg_anchor_put(loader *L, const char *name, const cfg_node *node, uint64_t size, unsigned height);

typedef enum { KEEP_NO, KEEP_ON_THE_WAY, KEEP_ALL } keep_verdict;
/* What becomes of the value about to fill the top slot (KEEP_ALL without keep paths). */
keep_verdict cfg_keep_of(const loader *L);
/* A value that does not stay: its key leaves the map again (and the node count). */
void cfg_keep_drop_key(loader *L);
/* Whether a scalar or alias at the top slot is kept (a map key always is); drops its key if not. */
bool cfg_keep_slot(loader *L);

#endif
