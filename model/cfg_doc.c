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

cfg_arena_mark cfg_arena_get_mark(const cfg_arena *a) {
  return (cfg_arena_mark){a->head, a->head ? a->head->used : 0};
}

void cfg_arena_release(cfg_arena *a, cfg_arena_mark m) {
  while (a->head && a->head != m.head) { /* blocks started after the mark */
    cfg_arena_block *next = a->head->next;
    free(a->head);
    a->head = next;
  }
  if (a->head) a->head->used = m.used;
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

static bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static bool is_b64(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
         c == '/';
}

/* Length of a key-like run at s (0 if none), the rule of cfg.h: 17 or more hex digits with a
 * letter among them or after 0x, or 22 or more base64 characters mixing upper case, lower case
 * and digits (with their = padding). A run of decimal digits alone is a number, not a key. */
static size_t key_like_run(const char *s) {
  size_t n = 0, b = 0;
  bool letter = false, upper = false, lower = false, digit = false;
  const bool ox = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  for (const char *h = s + (ox ? 2 : 0); is_hex(h[n]); n++) letter |= !(h[n] >= '0' && h[n] <= '9');
  if (n >= 17 && (letter || ox)) return n + (ox ? 2 : 0);
  for (; is_b64(s[b]); b++) {
    upper |= s[b] >= 'A' && s[b] <= 'Z';
    lower |= s[b] >= 'a' && s[b] <= 'z';
    digit |= s[b] >= '0' && s[b] <= '9';
  }
  if (b >= 22 && upper && lower && digit) {
    while (s[b] == '=') b++;
    return b;
  }
  return 0;
}

bool cfg_text_key_like(const char *s) {
  for (size_t i = 0; s && s[i]; i++)
    if ((i == 0 || !is_b64(s[i - 1])) && key_like_run(s + i)) return true;
  return false;
}

/* Replaces every key-like run of msg[from..] by a marker, in place. */
static void redact_key_like(char *msg, size_t from) {
  static const char MARK[] = "<key-like, not shown>";
  char out[CFG_ERR_MAX];
  size_t o = 0, i = 0;
  for (; i < from && msg[i] && o < CFG_ERR_MAX - 1; i++) out[o++] = msg[i];
  while (msg[i] && o < CFG_ERR_MAX - 1) {
    const bool start = i == 0 || !is_b64(msg[i - 1]);
    size_t run = start ? key_like_run(msg + i) : 0;
    if (run) {
      for (size_t k = 0; MARK[k] && o < CFG_ERR_MAX - 1; k++) out[o++] = MARK[k];
      i += run;
    } else {
      out[o++] = msg[i++];
    }
  }
  out[o] = '\0';
  memcpy(msg, out, o + 1);
}

bool cfg_failv_at(cfg_err *err, const char *file, unsigned line, unsigned col,
                  const char *field, const char *fmt, va_list ap) {
  if (!err) return false;
  size_t n = 0;
  int w = 0;
  if (file) w = snprintf(err->msg, CFG_ERR_MAX, "%s:%u:%u: ", file, line, col);
  if (w > 0) n = (size_t)w < CFG_ERR_MAX ? (size_t)w : CFG_ERR_MAX - 1;
  const size_t after_position = n;
  if (field && *field && n < CFG_ERR_MAX - 1) {
    w = snprintf(err->msg + n, CFG_ERR_MAX - n, "%s: ", field);
    if (w > 0) n += (size_t)w < CFG_ERR_MAX - n ? (size_t)w : CFG_ERR_MAX - 1 - n;
  }
  if (n < CFG_ERR_MAX - 1) vsnprintf(err->msg + n, CFG_ERR_MAX - n, fmt, ap);
  cfg_err_tidy(err, after_position);
  return false;
}

void cfg_err_tidy(cfg_err *err, size_t from) {
  if (!err) return;
  /* A value typed into the wrong field is echoed by many messages: never when it looks like
   * key material (the document name before it is not a value). */
  if (from < strlen(err->msg)) redact_key_like(err->msg, from);
  /* One line, whatever the pieces contained (a plain YAML scalar may span lines). */
  for (char *c = err->msg; *c; c++)
    if (*c == '\n' || *c == '\r') *c = ' ';
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
