/* The scenario key `junos: [peer1.conf, peer2.conf]` (issue 16): each Junos configuration
 * (relative to the scenario) becomes a router named after its file (seed_peer1.conf ->
 * seed_peer1) through the importer (asic/junos_*.c), with its SA keys derived in memory
 * (never written here: the run's config.keys.yaml, 0600, is the only file that gets them).
 * The scenario adds or replaces links, traffic, phases and expect; the generated ones are
 * used for any it does not give. The importer's notes go to sc->junos_notes, which the
 * commands print once (run: after the load; sweep: at its validation load). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "junos.h"
#include "scenario.h"

static void router_name(const char *path, char *out, size_t len) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  size_t n = strcspn(b, ".");
  if (n >= len) n = len - 1;
  for (size_t i = 0; i < n; i++) {
    char c = b[i];
    out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') ? c : '_';
  }
  out[n] = 0;
}

const cfg_node *scenario_junos_root(scenario *sc, const cfg_node *root, cfg_err *err) {
  const cfg_node *j = cfg_get(root, "junos");
  if (!j) return root;
  if (j->kind != CFG_SEQ || j->n < 1 || j->n > 2) {
    cfg_fail(err, j, "junos", "expected a list of one or two Junos configuration files (allowed: [peer1.conf, peer2.conf])");
    return NULL;
  }
  for (const char *const *k = (const char *const[]){"routers", "platform", "interfaces", "routes", "ipsec", NULL}; *k; k++)
    if (cfg_get(root, *k)) {
      cfg_fail(err, cfg_get(root, *k), *k, "not allowed with junos: (the routers come from the configurations)");
      return NULL;
    }
  junos_cfg *cfgs[2] = {NULL, NULL};
  char dir[512];
  snprintf(dir, sizeof dir, "%s", sc->path);
  char *slash = strrchr(dir, '/');
  if (slash) slash[1] = 0;
  else dir[0] = 0;
  bool ok = true;
  for (size_t i = 0; ok && i < j->n; i++) {
    const char *f = scenario_scalar(j->items[i], "junos[]", err);
    char path[1100], name[32], e[JN_ERR_MAX];
    if (!f) { ok = false; break; }
    snprintf(path, sizeof path, "%s%s", f[0] == '/' ? "" : dir, f);
    router_name(f, name, sizeof name);
    if (!(cfgs[i] = junos_load(path, name, e, sizeof e))) ok = cfg_fail(err, j->items[i], "junos[]", "%s", e);
  }
  char *text = NULL;
  char e[JN_ERR_MAX];
  if (ok && !(text = junos_scenario_text(cfgs, j->n, true, NULL, e, sizeof e))) ok = cfg_fail(err, j, "junos", "%s", e);
  if (ok) {
    /* the importer's notes go to the command, which prints them once (a sweep loads the
     * scenario once per trial) */
    size_t nlen = 0;
    FILE *nf = open_memstream(&sc->junos_notes, &nlen);
    for (size_t i = 0; nf && i < j->n; i++) junos_print_notes(cfgs[i], nf);
    if (nf) fclose(nf);
    sc->junos_doc = cfg_load_buffer("junos: (imported)", text, strlen(text), err);
    memset(text, 0, strlen(text));
    ok = sc->junos_doc != NULL;
  }
  free(text);
  for (size_t i = 0; i < 2; i++) junos_free(cfgs[i]);
  if (!ok) return NULL;
  /* The root seen by the loader: the scenario's keys (junos: left out) plus the generated
   * routers, and the generated links/traffic/phases/expect the scenario does not state. */
  const cfg_node *gen = cfg_root(sc->junos_doc);
  size_t cap = root->n + gen->n;
  cfg_node *m = calloc(1, sizeof *m);
  const char **keys = calloc(cap, sizeof *keys);
  const cfg_node **kn = calloc(cap, sizeof *kn), **items = calloc(cap, sizeof *items);
  if (!m || !keys || !kn || !items) {
    free(m), free(keys), free(kn), free(items);
    cfg_fail(err, root, NULL, "out of memory");
    return NULL;
  }
  *m = *root;
  m->n = 0;
  for (size_t i = 0; i < root->n; i++)
    if (strcmp(root->keys[i], "junos")) keys[m->n] = root->keys[i], kn[m->n] = root->key_nodes[i], items[m->n++] = root->items[i];
  for (size_t i = 0; i < gen->n; i++)
    if (!strcmp(gen->keys[i], "routers") || (strcmp(gen->keys[i], "version") && strcmp(gen->keys[i], "seed") && !cfg_get(root, gen->keys[i])))
      keys[m->n] = gen->keys[i], kn[m->n] = gen->key_nodes[i], items[m->n++] = gen->items[i];
  m->keys = keys;
  m->key_nodes = kn;
  m->items = items;
  sc->junos_root = m;
  return m;
}

void scenario_junos_free(scenario *sc) {
  cfg_node *m = sc->junos_root;
  if (m) {
    free((void *)m->keys);
    free((void *)m->key_nodes);
    free((void *)m->items);
    free(m);
  }
  free(sc->junos_notes);
  sc->junos_notes = NULL;
  if (sc->junos_doc) cfg_free(sc->junos_doc);
  sc->junos_root = NULL;
  sc->junos_doc = NULL;
}
