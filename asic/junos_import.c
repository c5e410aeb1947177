/* One import from files to files: load, mirror when asked, write the scenario and its keys
 * file, then (only on success) the notes. Shared by `ipsecsim junos import` and by
 * `ipsecsim run X.conf`. */
#include <stdio.h>
#include <string.h>

#include "junos_internal.h"

bool junos_import_files(const char *conf, bool mirror, const char *router, const char *peer, const char *scenario,
                        const char *keys, FILE *notes, char *err, size_t elen) {
  junos_cfg *c = junos_load(conf, router, err, elen);
  if (!c) return false;
  junos_cfg *m = mirror ? junos_mirror(c, peer, err, elen) : NULL;
  bool ok = (!mirror || m) && junos_write_scenario((junos_cfg *const[]){c, m}, mirror ? 2 : 1, scenario, keys, err, elen);
  if (ok && notes) {
    junos_print_notes(c, notes);
    if (m) junos_print_notes(m, notes);
    fprintf(notes, "%s: wrote %s and the keys file %s (mode 0600; the pre-shared key is in neither)\n", conf, scenario, keys);
  }
  junos_free(m);
  junos_free(c);
  return ok;
}

void junos_keys_path_for(const char *scenario, char *out, size_t len) {
  size_t n = strlen(scenario);
  if (n > 5 && !strcmp(scenario + n - 5, ".yaml")) n -= 5;
  snprintf(out, len, "%.*s.keys.yaml", (int)n, scenario);
}
