/* Document plumbing: the arena that owns nodes and strings, error formatting, look-ups. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_internal.h"
#include "file_read.h"

struct cfg_arena_block {
  cfg_arena_block *next;
  size_t used, cap;
  _Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK_BYTES (64u * 1024u)

void *cfg_arena_alloc(cfg_arena *a, size_t size) {
  size = (size + 15u) & ~(size_t)15u;
  cfg_arena_block *b = a->head;
  if (!b || b->cap - b->used < size) {
    size_t cap = size > ARENA_BLOCK_BYTES ? size : ARENA_BLOCK_BYTES;
    b = malloc(sizeof(*b) + cap);
    if (!b) return NULL;
    b->cap = cap;
    b->used = 0;
    /* A big one-off block goes behind the head so the head keeps its free space. */
    if (a->head && size > ARENA_BLOCK_BYTES) {
      b->next = a->head->next;
      a->head->next = b;
    } else {
      b->next = a->head;
      a->head = b;
    }
  }
  void *p = b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

char *cfg_arena_strndup(cfg_arena *a, const char *s, size_t len) {
  char *p = cfg_arena_alloc(a, len + 1);
  if (!p) return NULL;
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

void cfg_arena_free(cfg_arena *a) {
  cfg_arena_block *b = a->head;
  while (b) {
    cfg_arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
}

bool cfg_failv_at(cfg_err *err, const char *file, unsigned line, unsigned col,
                  const char *field, const char *fmt, va_list ap) {
  if (!err) return false;
  size_t n = 0;
  int w = 0;
  if (file) w = snprintf(err->msg, CFG_ERR_MAX, "%s:%u:%u: ", file, line, col);
  if (w > 0) n = (size_t)w < CFG_ERR_MAX ? (size_t)w : CFG_ERR_MAX - 1;
  if (field && *field && n < CFG_ERR_MAX - 1) {
    w = snprintf(err->msg + n, CFG_ERR_MAX - n, "%s: ", field);
    if (w > 0) n += (size_t)w < CFG_ERR_MAX - n ? (size_t)w : CFG_ERR_MAX - 1 - n;
  }
  if (n < CFG_ERR_MAX - 1) vsnprintf(err->msg + n, CFG_ERR_MAX - n, fmt, ap);
  /* One line, whatever the pieces contained. */
  for (char *c = err->msg; *c; c++)
    if (*c == '\n' || *c == '\r') *c = ' ';
  return false;
}

bool cfg_fail_at(cfg_err *err, const char *file, unsigned line, unsigned col, const char *field,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cfg_failv_at(err, file, line, col, field, fmt, ap);
  va_end(ap);
  return false;
}

bool cfg_fail(cfg_err *err, const cfg_node *at, const char *field, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (at)
    cfg_failv_at(err, at->file, at->line, at->col, field, fmt, ap);
  else
    cfg_failv_at(err, NULL, 0, 0, field, fmt, ap);
  va_end(ap);
  return false;
}

const cfg_node *cfg_get(const cfg_node *map, const char *key) {
  if (!map || map->kind != CFG_MAP || !key) return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->keys[i], key) == 0) return map->items[i];
  return NULL;
}

bool cfg_text_is_null(const char *text, bool quoted) {
  if (quoted) return false;
  return !text || text[0] == '\0' || strcmp(text, "~") == 0 || strcmp(text, "null") == 0 ||
         strcmp(text, "Null") == 0 || strcmp(text, "NULL") == 0;
}

cfg_doc *cfg_load_file(const char *path, cfg_err *err) {
  char *buf;
  size_t len;
  char why[CFG_ERR_MAX];
  if (!file_read_all(path, &buf, &len, why, sizeof why)) { /* bounded: see file_read.h */
    cfg_fail_at(err, NULL, 0, 0, NULL, "%s", why);
    return NULL;
  }
  cfg_doc *doc = cfg_load_buffer(path, buf, len, err);
  free(buf);
  return doc;
}
