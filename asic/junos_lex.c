/* Junos configuration text -> statements (word lists with their line). Two forms, mixable:
 * `set a b c` lines, and the bracketed `show` form (`a { b c; }`) where a statement is the
 * path of the open braces plus the words before `;`. `#` starts a comment (so the seed's
 * `## SECRET-DATA` marker is dropped), as does a `/ * ... * /` block; "quoted strings" are one
 * word; `[ x y ]` lists contribute their items. Prompts such as `user@host# ` are not
 * stripped: paste the statements, not the session. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junos_internal.h"
#include "model/file_read.h"

void jn_stmts_free(jn_stmts *s) {
  for (size_t i = 0; i < s->n; i++)
    for (int k = 0; k < s->v[i].n; k++) {
      memset(s->v[i].w[k], 0, strlen(s->v[i].w[k])); /* a word may be the pre-shared key */
      free(s->v[i].w[k]);
    }
  free(s->v);
  memset(s, 0, sizeof *s);
}

static bool fail(char *err, size_t elen, const char *path, unsigned line, const char *fmt, ...) {
  int k = snprintf(err, elen, "%s:%u: ", path, line);
  va_list ap;
  va_start(ap, fmt);
  if (k >= 0 && (size_t)k < elen) vsnprintf(err + k, elen - (size_t)k, fmt, ap);
  va_end(ap);
  return false;
}

static bool push(jn_stmts *o, unsigned line, char **w, int n) {
  if (o->n == o->cap) {
    size_t cap = o->cap ? 2 * o->cap : 64;
    jn_stmt *v = realloc(o->v, cap * sizeof *v);
    if (!v) return false;
    o->v = v;
    o->cap = cap;
  }
  jn_stmt *s = &o->v[o->n++];
  s->line = line;
  s->n = n;
  for (int i = 0; i < n; i++) s->w[i] = strdup(w[i]);
  return true;
}

typedef struct lexer {
  const char *path;
  char *stack[JN_WORDS]; /* open brace path */
  int depth_words[JN_WORDS], depth;
  int n_stack;
  char *cur[JN_WORDS];
  int n_cur;
  unsigned cur_line;
  bool set_line;
} lexer;

static void drop_cur(lexer *L) {
  for (int i = 0; i < L->n_cur; i++) free(L->cur[i]);
  L->n_cur = 0;
}

static bool emit(lexer *L, jn_stmts *o, char *err, size_t elen) {
  char *w[JN_WORDS];
  int n = 0;
  for (int i = L->set_line ? 0 : 0; i < L->n_stack && !L->set_line; i++) w[n++] = L->stack[i];
  for (int i = 0; i < L->n_cur; i++) {
    if (n == JN_WORDS) return fail(err, elen, L->path, L->cur_line, "statement: more than %d words", JN_WORDS);
    w[n++] = L->cur[i];
  }
  bool ok = n == 0 || push(o, L->cur_line, w, n);
  drop_cur(L);
  return ok ? true : fail(err, elen, L->path, L->cur_line, "out of memory");
}

bool jn_lex(const char *path, jn_stmts *out, char *err, size_t elen) {
  char *text = NULL;
  size_t len = 0;
  if (!file_read_all(path, &text, &len, err, elen)) return false;
  lexer L = {.path = path};
  bool ok = true;
  unsigned line = 1;
  bool line_start = true;
  for (size_t i = 0; ok && i < len;) {
    char ch = text[i];
    if (ch == '\n') {
      if (L.set_line) {
        ok = emit(&L, out, err, elen);
        L.set_line = false;
      }
      line++, i++, line_start = true;
      continue;
    }
    if (ch == ' ' || ch == '\t' || ch == '\r') { i++; continue; }
    if (ch == '#') { while (i < len && text[i] != '\n') i++; continue; }
    if (ch == '/' && i + 1 < len && text[i + 1] == '*') {
      for (i += 2; i + 1 < len && !(text[i] == '*' && text[i + 1] == '/'); i++)
        if (text[i] == '\n') line++;
      i += 2;
      continue;
    }
    if (ch == '[' || ch == ']') { i++; continue; }
    if (!L.set_line && (ch == '{' || ch == '}' || ch == ';')) {
      if (ch == ';') ok = emit(&L, out, err, elen);
      else if (ch == '{') {
        if (L.n_cur == 0 || L.n_stack + L.n_cur > JN_WORDS || L.depth == JN_WORDS)
          ok = fail(err, elen, path, line, "'{' without a statement before it");
        else {
          L.depth_words[L.depth++] = L.n_cur;
          for (int k = 0; k < L.n_cur; k++) L.stack[L.n_stack++] = L.cur[k];
          L.n_cur = 0;
        }
      } else {
        if (L.depth == 0 || L.n_cur) ok = fail(err, elen, path, line, "'}' without a matching '{' (or a missing ';')");
        else
          for (int k = L.depth_words[--L.depth]; k > 0; k--) free(L.stack[--L.n_stack]);
      }
      i++;
      line_start = false;
      continue;
    }
    /* a word: quoted or bare */
    char word[1024];
    size_t wl = 0;
    if (ch == '"') {
      for (i++; i < len && text[i] != '"' && text[i] != '\n'; i++) {
        if (text[i] == '\\' && i + 1 < len) i++;
        if (wl + 1 < sizeof word) word[wl++] = text[i];
      }
      if (i >= len || text[i] != '"') { ok = fail(err, elen, path, line, "unterminated quoted string"); break; }
      i++;
    } else {
      while (i < len && !strchr(" \t\r\n{};\"#[]", text[i])) {
        if (wl + 1 < sizeof word) word[wl++] = text[i];
        i++;
      }
    }
    word[wl] = 0;
    if (line_start && L.n_cur == 0 && !strcmp(word, "set")) {
      if (L.depth) { ok = fail(err, elen, path, line, "'set' inside braces"); break; }
      L.set_line = true;
      L.cur_line = line;
      line_start = false;
      continue;
    }
    if (L.n_cur == 0) L.cur_line = line;
    if (L.n_cur == JN_WORDS) { ok = fail(err, elen, path, line, "statement: more than %d words", JN_WORDS); break; }
    L.cur[L.n_cur++] = strdup(word);
    memset(word, 0, wl);
    line_start = false;
  }
  if (ok && L.set_line) ok = emit(&L, out, err, elen);
  if (ok && (L.depth || L.n_cur))
    ok = fail(err, elen, path, line, "unexpected end of file (an open '{' or a statement without ';')");
  drop_cur(&L);
  while (L.n_stack) free(L.stack[--L.n_stack]);
  memset(text, 0, len);
  free(text);
  if (!ok) jn_stmts_free(out);
  return ok;
}

void jn_stmt_text(const jn_stmt *s, char *buf, size_t len) {
  size_t k = (size_t)snprintf(buf, len, "set");
  for (int i = 0; i < s->n && k < len; i++) {
    bool q = !*s->w[i] || strpbrk(s->w[i], " \t");
    k += (size_t)snprintf(buf + k, len - k, q ? " \"%s\"" : " %s", s->w[i]);
  }
}
