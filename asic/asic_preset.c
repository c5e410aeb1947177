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
