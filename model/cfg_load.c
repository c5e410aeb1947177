/* YAML -> cfg_node tree, on libyaml's event API.
 *
 * Aliases are resolved by sharing: `*a` puts the anchored node itself at the alias position
 * (the tree is a DAG, nodes are const), so nothing is copied. What a walker would visit after
 * expansion is counted as the document is read: each new node adds 1 and each alias adds the
 * expanded size of its anchor, recorded when the anchor's node closed. A document that
 * would expand past CFG_MAX_NODES, or nest deeper than CFG_MAX_DEPTH, is refused at the alias
 * that crosses the limit, before anything is walked, so a "billion laughs" file costs only its
 * own length. Positions of an aliased node are those of the anchored definition. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfg_loader.h"

/* ---- errors with the dotted path of the slot being filled ---- */
static void slot_path(const loader *L, char *out, size_t cap) {
  size_t n = 0;
  out[0] = '\0';
  for (unsigned i = 0; i < L->depth && n < cap; i++) {
    const open_node *o = &L->stack[i];
    int w = 0;
    if (o->node->kind == CFG_SEQ)
      w = snprintf(out + n, cap - n, "[%zu]", o->n);
    else if (o->n % 2 == 1)
      w = snprintf(out + n, cap - n, "%s%s", n ? "." : "", o->kids[o->n - 1]->value);
    if (w > 0) n += (size_t)w;
  }
}

static bool fail_mark(loader *L, yaml_mark_t m, const char *fmt, const char *arg) {
  char path[256];
  slot_path(L, path, sizeof path);
  cfg_fail_at(L->err, L->doc->name, (unsigned)m.line + 1, (unsigned)m.column + 1, path, fmt,
              arg);
  return false;
}

static cfg_node *new_node(loader *L, cfg_node_kind kind, yaml_mark_t m) {
  cfg_node *nd = cfg_arena_alloc(&L->doc->arena, sizeof *nd);
  if (!nd) return NULL;
  nd->kind = kind;
  nd->file = L->doc->name;
  nd->line = (unsigned)m.line + 1;
  nd->col = (unsigned)m.column + 1;
  return nd;
}

/* Adds a finished child (its expanded size already counted) to the open container on top. */
static bool attach(loader *L, const cfg_node *child, unsigned height, yaml_mark_t m) {
  if (L->depth == 0) {
    L->root = child;
    L->root_height = height;
    return true;
  }
  open_node *top = &L->stack[L->depth - 1];
  if (top->node->kind == CFG_MAP && top->n % 2 == 0 && child->kind != CFG_SCALAR)
    return fail_mark(L, m, "map key must be a scalar%s", "");
  if (top->n == top->cap) {
    size_t cap = top->cap ? top->cap * 2 : 8;
    const cfg_node **k = realloc(top->kids, cap * sizeof *k);
    if (!k) return fail_mark(L, m, "out of memory%s", "");
    top->kids = k;
    top->cap = cap;
  }
  top->kids[top->n++] = child;
  if (height + 1 > top->height) top->height = height + 1;
  return true;
}

static bool count_nodes(loader *L, uint64_t add, unsigned height, yaml_mark_t m) {
  if (add > CFG_MAX_NODES || L->expanded + add > CFG_MAX_NODES)
    return fail_mark(L, m, "document expands to more than %s nodes (alias bomb?)", "1000000");
  if (L->depth + height > CFG_MAX_DEPTH)
    return fail_mark(L, m, "nesting deeper than %s levels", "64");
  L->expanded += add;
  return true;
}

static bool on_scalar(loader *L, const yaml_event_t *ev) {
  yaml_mark_t m = ev->start_mark;
  const char *v = (const char *)ev->data.scalar.value;
  size_t len = ev->data.scalar.length;
  if (memchr(v, '\0', len)) return fail_mark(L, m, "scalar contains a NUL character%s", "");
  if (L->skip || !cfg_keep_slot(L)) return true;
  if (!count_nodes(L, 1, 1, m)) return false;
  if (L->keep && L->depth > 0) { /* a map key whose value may be skipped: its bytes can go back */
    open_node *top = &L->stack[L->depth - 1];
    top->key_marked = top->node->kind == CFG_MAP && top->n % 2 == 0 && !ev->data.scalar.anchor;
    if (top->key_marked) top->key_mark = cfg_arena_get_mark(&L->doc->arena);
  }
  cfg_node *nd = new_node(L, CFG_SCALAR, m);
  if (!nd || !(nd->value = cfg_arena_strndup(&L->doc->arena, v, len)))
    return fail_mark(L, m, "out of memory%s", "");
  const char *tag = (const char *)ev->data.scalar.tag;
  nd->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
               (tag && (strcmp(tag, "tag:yaml.org,2002:str") == 0 || strcmp(tag, "!") == 0));
  if (ev->data.scalar.anchor && !cfg_anchor_put(L, (const char *)ev->data.scalar.anchor, nd, 1, 1))
    return fail_mark(L, m, "out of memory%s", "");
  return attach(L, nd, 1, m);
}

static bool on_alias(loader *L, const yaml_event_t *ev) {
  yaml_mark_t m = ev->start_mark;
  const char *name = (const char *)ev->data.alias.anchor;
  if (L->skip || !cfg_keep_slot(L)) return true;
  if (L->depth > 0) L->stack[L->depth - 1].key_marked = false; /* an alias key allocates nothing */
  anchor *a = cfg_anchor_slot(L, name);
  if (!a || !a->name) {
    for (unsigned i = 0; i < L->depth; i++)
      if (L->stack[i].anchor && strcmp(L->stack[i].anchor, name) == 0)
        return fail_mark(L, m, "alias '*%s' refers to a node that contains it", name);
    return fail_mark(L, m, "unknown anchor '*%s'", name);
  }
  if (!count_nodes(L, a->size, a->height, m)) return false;
  return attach(L, a->node, a->height, m);
}

static bool on_open(loader *L, const yaml_event_t *ev, cfg_node_kind kind) {
  yaml_mark_t m = ev->start_mark;
  /* skipped containers count for depth too: libyaml's own stacks grow with the nesting */
  if (L->depth + L->skip >= CFG_MAX_DEPTH) return fail_mark(L, m, "nesting deeper than %s levels", "64");
  if (L->skip) return L->skip++, true;
  if (L->depth >= CFG_MAX_DEPTH) return fail_mark(L, m, "nesting deeper than %s levels", "64");
  keep_verdict kv = L->keep ? KEEP_ON_THE_WAY : KEEP_ALL; /* the root: on every path's way */
  if (L->keep && L->depth > 0 && !(L->stack[L->depth - 1].node->kind == CFG_MAP && L->stack[L->depth - 1].n % 2 == 0)) {
    kv = cfg_keep_of(L);
    if (kv == KEEP_NO || (kv == KEEP_ON_THE_WAY && kind == CFG_SEQ)) return cfg_keep_drop_key(L), L->skip = 1, true;
  }
  if (L->depth > 0) {
    const open_node *top = &L->stack[L->depth - 1];
    if (top->node->kind == CFG_MAP && top->n % 2 == 0)
      return fail_mark(L, m, "map key must be a scalar%s", "");
  }
  if (!count_nodes(L, 1, 1, m)) return false;
  open_node *o = &L->stack[L->depth];
  memset(o, 0, sizeof *o);
  o->node = new_node(L, kind, m);
  if (!o->node) return fail_mark(L, m, "out of memory%s", "");
  const yaml_char_t *an =
      kind == CFG_MAP ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
  if (an && !(o->anchor = strdup((const char *)an))) return fail_mark(L, m, "out of memory%s", "");
  o->size_at_open = L->expanded - 1;
  o->height = 1;
  L->depth++;
  if (L->keep && kv == KEEP_ALL && !L->kept_from) L->kept_from = L->depth;
  return true;
}

static bool on_close(loader *L, yaml_mark_t m) {
  if (L->skip) return L->skip--, true;
  if (L->kept_from == L->depth) L->kept_from = 0;
  open_node *o = &L->stack[L->depth - 1];
  cfg_node *nd = o->node;
  cfg_arena *ar = &L->doc->arena;
  if (nd->kind == CFG_SEQ) {
    nd->n = o->n;
    nd->items = cfg_arena_alloc(ar, (o->n ? o->n : 1) * sizeof *nd->items);
    if (!nd->items) return fail_mark(L, m, "out of memory%s", "");
    if (o->n) memcpy(nd->items, o->kids, o->n * sizeof *o->kids);
  }
  L->depth--; /* errors inside the map name its own slot in the parent */
  char *an = o->anchor;
  o->anchor = NULL;
  bool ok = true;
  if (nd->kind == CFG_MAP) {
    char path[256];
    slot_path(L, path, sizeof path);
    ok = cfg_build_map(ar, nd, o->kids, o->n / 2, path, L->err);
  }
  free(o->kids);
  o->kids = NULL;
  if (ok && an && !cfg_anchor_put(L, an, nd, L->expanded - o->size_at_open, o->height))
    ok = fail_mark(L, m, "out of memory%s", "");
  free(an);
  return ok && attach(L, nd, o->height, m);
}

static void syntax_error(loader *L, yaml_parser_t *p, const char *text, size_t len) {
  size_t line = p->problem_mark.line, col = p->problem_mark.column;
  if (p->error == YAML_READER_ERROR) { /* reader errors carry a byte offset, not a mark */
    line = col = 0;
    for (size_t i = 0; i < p->problem_offset && i < len; i++) {
      if (text[i] == '\n') line++, col = 0;
      else col++;
    }
  }
  const char *problem = p->problem ? p->problem : "malformed YAML";
  if (p->context)
    cfg_fail_at(L->err, L->doc->name, (unsigned)line + 1, (unsigned)col + 1, NULL,
                "YAML syntax error: %s (%s at line %u col %u)", problem, p->context,
                (unsigned)p->context_mark.line + 1, (unsigned)p->context_mark.column + 1);
  else
    cfg_fail_at(L->err, L->doc->name, (unsigned)line + 1, (unsigned)col + 1, NULL,
                "YAML syntax error: %s", problem);
}

static bool run_events(loader *L, yaml_parser_t *p, const char *text, size_t len) {
  unsigned docs = 0;
  for (;;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(p, &ev)) {
      syntax_error(L, p, text, len);
      return false;
    }
    bool ok = true, done = false;
    switch (ev.type) {
    case YAML_DOCUMENT_START_EVENT:
      if (++docs > 1)
        ok = fail_mark(L, ev.start_mark, "a second YAML document%s (one document expected)", "");
      break;
    case YAML_SCALAR_EVENT: ok = on_scalar(L, &ev); break;
    case YAML_ALIAS_EVENT: ok = on_alias(L, &ev); break;
    case YAML_SEQUENCE_START_EVENT: ok = on_open(L, &ev, CFG_SEQ); break;
    case YAML_MAPPING_START_EVENT: ok = on_open(L, &ev, CFG_MAP); break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: ok = on_close(L, ev.start_mark); break;
    case YAML_STREAM_END_EVENT: done = true; break;
    default: break;
    }
    yaml_event_delete(&ev);
    if (!ok) return false;
    if (done) break;
  }
  const cfg_node *r = L->root;
  if (!r) return cfg_fail_at(L->err, L->doc->name, 1, 1, NULL, "empty document");
  if (r->kind == CFG_SCALAR && cfg_text_is_null(r->value, r->quoted))
    return cfg_fail(L->err, r, NULL, "empty document");
  return true;
}

/* From text (len bytes) or, when text is NULL, streamed from fp. */
static cfg_doc *load(const char *name, const char *text, size_t len, FILE *fp, const char *const *const *keep,
                     cfg_err *err) {
  cfg_doc *doc = calloc(1, sizeof *doc);
  loader L = {.doc = doc, .err = err, .keep = keep};
  if (!doc || !(doc->name = cfg_arena_strndup(&doc->arena, name, strlen(name)))) {
    cfg_fail_at(err, NULL, 0, 0, name, "out of memory");
    free(doc);
    return NULL;
  }
  yaml_parser_t parser;
  bool ok = yaml_parser_initialize(&parser);
  if (ok) {
    if (text) yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    else yaml_parser_set_input_file(&parser, fp);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    ok = run_events(&L, &parser, text, len);
    yaml_parser_delete(&parser);
  } else {
    cfg_fail_at(err, NULL, 0, 0, name, "out of memory");
  }
  for (unsigned i = 0; i < L.depth; i++) {
    free(L.stack[i].kids);
    free(L.stack[i].anchor);
  }
  free(L.anchors);
  if (!ok) {
    cfg_free(doc);
    return NULL;
  }
  doc->root = L.root;
  return doc;
}

cfg_doc *cfg_load_buffer(const char *name, const char *text, size_t len, cfg_err *err) {
  return load(name, text ? text : "", len, NULL, NULL, err);
}

cfg_doc *cfg_load_stream_pruned(const char *name, FILE *fp, const char *const *const *keep, cfg_err *err) {
  return load(name, NULL, 0, fp, keep, err);
}

cfg_doc *cfg_load_file_pruned(const char *path, const char *const *const *keep, cfg_err *err) {
  FILE *fp = fopen(path, "rb");
  struct stat st;
  if (!fp || fstat(fileno(fp), &st) != 0 || S_ISDIR(st.st_mode)) { /* file_read.c's wording */
    const int e = !fp ? errno : S_ISDIR(st.st_mode) ? EISDIR : errno;
    cfg_fail_at(err, NULL, 0, 0, NULL, "%s: cannot %s file (%s)", path, fp ? "read" : "open", strerror(e));
    if (fp) fclose(fp);
    return NULL;
  }
  cfg_doc *doc = cfg_load_stream_pruned(path, fp, keep, err);
  fclose(fp);
  return doc;
}

void cfg_free(cfg_doc *doc) {
  if (!doc) return;
  cfg_arena_free(&doc->arena);
  free(doc);
}

const cfg_node *cfg_root(const cfg_doc *doc) { return doc ? doc->root : NULL; }
