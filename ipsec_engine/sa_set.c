/* Whole-set rules of an SA file (see sa_set.h). */
#include "sa_set.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static const char *dir_name(sa_dir d) { return d == SA_OUTBOUND ? "outbound" : "inbound"; }

/* "sas[3], sa.yaml:20" for an SA of this document, "loaded earlier" otherwise. */
static void where(const sa_set_ctx *x, size_t db_idx, char *out, size_t cap) {
  if (db_idx >= x->base && db_idx - x->base < x->sas->n) {
    const cfg_node *n = x->sas->items[db_idx - x->base];
    snprintf(out, cap, "sas[%zu], %s:%u", db_idx - x->base, n->file, n->line);
  } else {
    snprintf(out, cap, "loaded earlier");
  }
}

static const cfg_node *item(const sa_set_ctx *x, size_t idx) { return x->sas->items[idx]; }

bool sa_set_check_entry(const sa_db *db, const sa_set_ctx *x, size_t idx, const sa_config *c,
                        cfg_err *err) {
  char field[64], other[128];
  snprintf(field, sizeof field, "sas[%zu]", idx);
  const cfg_node *m = item(x, idx);
  for (size_t i = 0; i < db->n; i++) {
    const sa_config *o = &db->sas[i]->cfg;
    if (!strcmp(o->name, c->name)) {
      where(x, i, other, sizeof other);
      const cfg_node *at = cfg_get(m, "name");
      snprintf(field, sizeof field, "sas[%zu].name", idx);
      return cfg_fail(err, at ? at : m, field, "'%s' is already the name of %s SA (%s) (allowed: "
                      "a name used once)", c->name, dir_name(o->dir), other);
    }
    if (o->dir == c->dir && o->spi == c->spi) {
      where(x, i, other, sizeof other);
      const cfg_node *at = cfg_get(m, "spi");
      snprintf(field, sizeof field, "sas[%zu].spi", idx);
      return cfg_fail(err, at ? at : m, field, "%u is already the SPI of %s SA '%s' (%s) (allowed: "
                      "an SPI used once per direction)", c->spi, dir_name(c->dir), o->name, other);
    }
  }
  if (c->dir != SA_OUTBOUND) return true;
  uint32_t clash;
  if (!sa_select_find(db->out_sel, c->has_selector ? c->selector.family : 0, c->selector.b,
                      c->selector_len, &clash))
    return true;
  where(x, clash, other, sizeof other);
  const char *name = db->sas[clash]->cfg.name;
  if (!c->has_selector)
    return cfg_fail(err, m, field, "no selector, like outbound SA '%s' (%s): two catch-alls, one "
                    "could never be chosen (allowed: one outbound SA without selector)", name, other);
  char sel[INET6_ADDRSTRLEN + 8];
  sa_format_selector(c, sel, sizeof sel);
  const cfg_node *at = cfg_get(m, "selector");
  snprintf(field, sizeof field, "sas[%zu].selector", idx);
  return cfg_fail(err, at ? at : m, field, "%s is also the selector of outbound SA '%s' (%s): one "
                  "of them could never be chosen", sel, name, other);
}

static void warn(const sa_db *db, const char *line) {
  if (db->warn) db->warn(db->warn_ctx, line);
  else fprintf(stderr, "%s\n", line);
}

bool sa_set_check_final(const sa_db *db, const sa_set_ctx *x, cfg_err *err) {
  char other[128], field[64];
  uint32_t victim, witness;
  if (sa_select_unreachable(db->out_sel, &victim, &witness) && victim >= x->base) {
    const sa_config *v = &db->sas[victim]->cfg;
    where(x, witness, other, sizeof other);
    const size_t idx = victim - x->base;
    const cfg_node *m = item(x, idx);
    const char *wname = db->sas[witness]->cfg.name;
    if (!v->has_selector) {
      snprintf(field, sizeof field, "sas[%zu]", idx);
      return cfg_fail(err, m, field, "outbound SA '%s' without selector can never be chosen: the "
                      "selectors cover all of IPv4 and IPv6 (the first: '%s', %s)", v->name, wname,
                      other);
    }
    char sel[INET6_ADDRSTRLEN + 8], wsel[INET6_ADDRSTRLEN + 8];
    sa_format_selector(v, sel, sizeof sel);
    sa_format_selector(&db->sas[witness]->cfg, wsel, sizeof wsel);
    const cfg_node *at = cfg_get(m, "selector");
    snprintf(field, sizeof field, "sas[%zu].selector", idx);
    return cfg_fail(err, at ? at : m, field, "%s can never be chosen: longer selectors cover all of "
                    "it (the first: %s of '%s', %s)", sel, wsel, wname, other);
  }
  /* Shared keying material within a direction: warn once per later SA. */
  for (size_t k = x->base; k < db->n; k++) {
    const sa_config *c = &db->sas[k]->cfg;
    for (size_t i = 0; i < k; i++) {
      const sa_config *o = &db->sas[i]->cfg;
      if (o->dir != c->dir || o->key_len != c->key_len || memcmp(o->key, c->key, c->key_len) ||
          memcmp(o->salt, c->salt, SA_SALT_LEN))
        continue;
      const cfg_node *m = item(x, k - x->base);
      where(x, i, other, sizeof other);
      char line[CFG_ERR_MAX];
      snprintf(line, sizeof line, "%s:%u:%u: sas[%zu]: warning: %s SA '%s' has the same key and "
               "salt as '%s' (%s): GCM nonces repeat across the two SAs (RFC 4106 s9); give "
               "each SA its own keying material", m->file, m->line, m->col, k - x->base,
               dir_name(c->dir), c->name, o->name, other);
      warn(db, line);
      break;
    }
  }
  return true;
}
