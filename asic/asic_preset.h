/* Platform presets and the port map port -> PIC -> ASIC -> slice -> port group, with Junos
 * names et-FPC/PIC/PORT. All platforms are modelled as FPC 0.
 *   MX304 (published: LMIC16 = one YT ASIC, 16 x 100GE or 4 x 400GE; 1..3 LMICs): PIC = LMIC.
 *   MX10K-LC4800 (published: 3 Trio 6, 4.8 Tbps; logical PIC per ASIC as on LC4802): modelled
 *     as 16 x 100GE per ASIC; the cage-to-ASIC map is not published (assumed).
 *   MX10K-LC9600 (published: 24 x 400GE, 6 ASICs, 2 PICs of 12 ports): 4 x 400GE per ASIC.
 * Inside an ASIC, ports fill PG0 and PG1 of slice 0, then of slice 1, in port order
 * (assumed; the per-port PFE map is not published). 400GE ports are numbered 0,1,2,3 per
 * ASIC on MX304 (assumed) and consecutively on the LC9600. */
#ifndef IPSECSIM_ASIC_PRESET_H
#define IPSECSIM_ASIC_PRESET_H

#include <stdint.h>
#include <stdio.h>

#include "asic_params.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct asic_port_desc {
  uint32_t asic, slice, pg; /* slice 0/1 within the ASIC, pg 0/1 within the slice */
  uint32_t fpc, pic, portno;
  uint64_t rate_bps;
} asic_port_desc;

uint32_t asic_preset_asics(const asic_platform *pl);
uint32_t asic_preset_ports(const asic_platform *pl);
void asic_preset_port(const asic_platform *pl, uint32_t i, asic_port_desc *out);
const char *asic_preset_name(int preset);
/* Name of platform key `key` ("port_mode", "lmics") when it does not apply to pl's preset
 * (it is refused there), else NULL. */
const char *asic_preset_key_not_applicable(const asic_platform *pl, const char *key);
/* The port map as a table: Junos name, speed, PIC, ASIC, slice, port group, with what is
 * published and what is assumed. */
void asic_preset_print_map(const asic_platform *pl, FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
