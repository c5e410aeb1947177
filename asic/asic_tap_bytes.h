/* The frame bytes of a packet in flight (engineer bytes13's asic/ API, declared here until
 * that branch is merged: NULL with payload none). */
#ifndef IPSECSIM_ASIC_TAP_BYTES_H
#define IPSECSIM_ASIC_TAP_BYTES_H
#include <stdint.h>

#include "asic_sim.h"
const uint8_t *asic_pkt_bytes(const asic_world *w, const sim_pkt *p, uint32_t *len);
uint8_t *asic_pkt_bytes_mut(asic_world *w, const sim_pkt *p, uint32_t *len);
#endif
