/* Until the payload-real branch (bytes13) is merged the model carries no frame bytes: the
 * answer of payload none (NULL). Weak, so that branch's definitions replace these. */
#include "asic_tap_bytes.h"

__attribute__((weak)) const uint8_t *asic_pkt_bytes(const asic_world *w, const sim_pkt *p, uint32_t *len) {
  (void)w, (void)p;
  *len = 0;
  return NULL;
}

__attribute__((weak)) uint8_t *asic_pkt_bytes_mut(asic_world *w, const sim_pkt *p, uint32_t *len) {
  (void)w, (void)p;
  *len = 0;
  return NULL;
}
