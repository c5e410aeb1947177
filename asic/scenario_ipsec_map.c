/* The si -> slice map and the release matrix of inline IPsec (asic_ipsec.h). The seed
 * publishes "four si ifds per PIC, si-FPC/PIC/PORT" and the release matrix; which slice an si
 * interface anchors on is not published: the map below is ASSUMED and printed as such. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asic_ipsec.h"
#include "asic_preset.h"

/* ASICs behind one PIC: one on MX304 (LMIC) and LC4800 (logical PIC per ASIC), three on the
 * LC9600 (2 PICs of 12 ports, 6 ASICs: asic_preset.h). */
static uint32_t asics_per_pic(const asic_platform *pl) { return pl->preset == PRESET_LC9600 ? 3u : 1u; }

static bool parse_uint(const char *s, const char **end, uint32_t *v) {
  if (*s < '0' || *s > '9') return false;
  unsigned long x = 0;
  while (*s >= '0' && *s <= '9' && x < 100000) x = x * 10 + (unsigned long)(*s++ - '0');
  *v = (uint32_t)x;
  *end = s;
  return x < 100000;
}

bool asic_ipsec_anchor(const asic_platform *pl, const char *anchor, uint32_t *asic, uint32_t *slice, char *why,
                       size_t why_len) {
  const uint32_t per_pic = asics_per_pic(pl), pics = asic_preset_asics(pl) / per_pic, ports = 4 * per_pic;
  uint32_t fpc, pic, port;
  const char *s = anchor, *e;
  bool ok = !strncmp(s, "si-", 3) && parse_uint(s + 3, &e, &fpc) && *e == '/' && parse_uint(e + 1, &e, &pic) &&
            *e == '/' && parse_uint(e + 1, &e, &port) && !*e;
  if (!ok) {
    snprintf(why, why_len, "'%.40s' is not an inline service interface (allowed: si-FPC/PIC/PORT such as si-0/0/0)",
             anchor);
    return false;
  }
  if (fpc != 0 || pic >= pics || port >= ports) {
    char pic_range[16];
    snprintf(pic_range, sizeof pic_range, pics > 1 ? "0..%u" : "0", pics - 1);
    snprintf(why, why_len, "no %s on %s (allowed: si-0/%s/0..%u; FPC 0, %u PIC%s, %u si per PIC)", anchor,
             asic_preset_name(pl->preset), pic_range, ports - 1, pics, pics > 1 ? "s" : "", ports);
    return false;
  }
  *asic = pic * per_pic + port / 4;
  *slice = (port % 4) / 2;
  if (pl->release == RELEASE_24_2R1 && pl->preset != PRESET_MX304) {
    snprintf(why, why_len, "%s needs Junos 24.4R1 for inline IPsec (seed: 24.2R1 supports the MX304 LMIC only) "
             "(allowed: platform.release: 24.4R1)", asic_preset_name(pl->preset));
    return false;
  }
  if (pl->release == RELEASE_24_2R1 && *slice != 0) {
    snprintf(why, why_len, "%s anchors on PFE 1 (slice 1), which 24.2R1 cannot host (seed: both PFEs from 24.4R1; "
             "PFE 0 only before, assumed) (allowed: si-0/P/0, si-0/P/1, or platform.release: 24.4R1)", anchor);
    return false;
  }
  return true;
}

void asic_ipsec_print_si_map(const asic_platform *pl, void *out) {
  FILE *fp = out;
  const uint32_t per_pic = asics_per_pic(pl), pics = asic_preset_asics(pl) / per_pic;
  const bool r242 = pl->release == RELEASE_24_2R1;
  fprintf(fp, "\nsi map of %s under Junos %s (inline IPsec anchors)\n", asic_preset_name(pl->preset),
          r242 ? "24.2R1" : "24.4R1");
  fprintf(fp, "published: si-FPC/PIC/PORT, four si interfaces per PIC (MX304); an SA runs on the engine of the "
              "slice hosting its si (Distribution-Profile); 24.2R1: MX304 only; 24.4R1: both PFEs, LC4800, LC9600\n"
              "assumed:   ASIC = first ASIC of the PIC + PORT/4, slice = (PORT mod 4)/2 (MX304, LC4800: /0 /1 slice 0, "
              "/2 /3 slice 1; LC9600, 3 ASICs per PIC: 12 si per PIC); 24.2R1 hosts SAs on PFE 0 (slice 0) only\n");
  fprintf(fp, "%-12s %5s %6s %s\n", "anchor", "asic", "slice", "hosts SAs");
  for (uint32_t pic = 0; pic < pics; pic++)
    for (uint32_t port = 0; port < 4 * per_pic; port++) {
      char name[32], why[256];
      uint32_t a, s;
      snprintf(name, sizeof name, "si-0/%u/%u", pic, port);
      bool ok = asic_ipsec_anchor(pl, name, &a, &s, why, sizeof why);
      a = pic * per_pic + port / 4;
      s = (port % 4) / 2;
      fprintf(fp, "%-12s %5u %6u %s\n", name, a, s,
              ok ? "yes" : r242 && pl->preset != PRESET_MX304 ? "no (needs 24.4R1)" : "no (24.2R1: PFE 0 only)");
    }
}
