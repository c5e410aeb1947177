/* Platform presets and port map; see asic_preset.h. */
#include "asic_preset.h"

#include <string.h>

const char *asic_preset_name(int preset) {
  switch (preset) {
    case PRESET_MX304: return "MX304";
    case PRESET_LC4800: return "MX10K-LC4800";
    default: return "MX10K-LC9600";
  }
}

uint32_t asic_preset_asics(const asic_platform *pl) {
  switch (pl->preset) {
    case PRESET_MX304: return (uint32_t)pl->lmics;
    case PRESET_LC4800: return 3;
    default: return 6;
  }
}

static uint32_t ports_per_asic(const asic_platform *pl) {
  if (pl->preset == PRESET_LC9600) return 4;
  if (pl->preset == PRESET_LC4800) return 16;
  return pl->port_mode == PORT_MODE_4X400 ? 4 : 16;
}

uint32_t asic_preset_ports(const asic_platform *pl) { return asic_preset_asics(pl) * ports_per_asic(pl); }

void asic_preset_port(const asic_platform *pl, uint32_t i, asic_port_desc *d) {
  uint32_t per = ports_per_asic(pl), k = i % per;
  memset(d, 0, sizeof *d);
  d->asic = i / per;
  d->fpc = 0;
  if (per == 16) {
    d->slice = k / 8;
    d->pg = (k / 4) % 2;
    d->rate_bps = 100000000000ull;
  } else {
    d->slice = k / 2;
    d->pg = k % 2;
    d->rate_bps = 400000000000ull;
  }
  if (pl->preset == PRESET_LC9600) {
    d->pic = i / 12;
    d->portno = i % 12;
  } else {
    d->pic = d->asic;
    d->portno = k;
  }
}

const char *asic_preset_key_not_applicable(const asic_platform *pl, const char *key) {
  if (pl->preset == PRESET_MX304) return NULL;
  if (!strcmp(key, "port_mode")) return pl->preset == PRESET_LC4800 ? "16x100GE" : "4x400GE";
  if (!strcmp(key, "lmics")) return pl->preset == PRESET_LC4800 ? "3 ASICs" : "6 ASICs";
  return NULL;
}

void asic_preset_print_map(const asic_platform *pl, FILE *fp) {
  uint32_t n = asic_preset_ports(pl);
  fprintf(fp, "port map of %s", asic_preset_name(pl->preset));
  if (pl->preset == PRESET_MX304)
    fprintf(fp, " (%llu LMIC%s, %s)", (unsigned long long)pl->lmics, pl->lmics > 1 ? "s" : "",
            pl->port_mode == PORT_MODE_4X400 ? "4x400GE" : "16x100GE");
  fprintf(fp, ": %u ASICs, %u ports, FPC 0\n", asic_preset_asics(pl), n);
  switch (pl->preset) {
    case PRESET_MX304:
      fprintf(fp, "published: one YT ASIC per LMIC, PIC = LMIC slot, 16 x 100GE or 4 x 400GE per LMIC\n"
                  "assumed:   slice and port group of each port (ports fill PG0, PG1 of slice 0, then of slice 1)\n");
      break;
    case PRESET_LC4800:
      fprintf(fp, "published: 3 Trio 6 ASICs, 4.8 Tbps, one logical PIC per ASIC\n"
                  "assumed:   16 x 100GE per ASIC (PIC = ASIC), slice and port group of each port\n");
      break;
    default:
      fprintf(fp, "published: 24 x 400GE, 6 ASICs, 2 PICs of 12 ports\n"
                  "assumed:   4 consecutive ports per ASIC (PIC p ports 0-3, 4-7, 8-11 -> ASIC 3p, 3p+1, 3p+2), "
                  "slice and port group of each port\n");
      break;
  }
  fprintf(fp, "%-12s %6s %4s %5s %6s %3s\n", "port", "speed", "pic", "asic", "slice", "pg");
  for (uint32_t i = 0; i < n; i++) {
    asic_port_desc d;
    asic_preset_port(pl, i, &d);
    char name[32];
    snprintf(name, sizeof name, "et-%u/%u/%u", d.fpc, d.pic, d.portno);
    fprintf(fp, "%-12s %4lluGE %4u %5u %6u %3u\n", name, (unsigned long long)(d.rate_bps / 1000000000ull), d.pic,
            d.asic, d.slice, d.pg);
  }
}
