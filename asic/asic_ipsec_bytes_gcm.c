/* Under co-simulation (--gcm-model rtl, payload real): the GCM operation of each ESP packet the
 * real transform wrote or read (engine_gcm_input), so that the RTL core processes the packet's
 * own bytes. Taken from the wire bytes and the SA: RFC 4106 s4 nonce = salt | IV, s5 AAD = SPI |
 * seq (| seq high before seq low with ESN), the text = the ESP payload with its trailer,
 * recovered with the SA's own key (OpenSSL), its ICV checked. */
#include <string.h>

#include "asic_ipsec_bytes_int.h"
#include "ipsec_engine/gcm.h"
#include "model/pkt_esp.h"

/* The inputs for seq_hi (ESN) or none; true when the ICV verifies with them. */
static bool try_hi(const sa *s, const pkt_esp_view *v, size_t ct_len, uint32_t hi, engine_gcm_input *g, uint8_t *text) {
  memcpy(g->nonce, s->cfg.salt, SA_SALT_LEN);
  memcpy(g->nonce + SA_SALT_LEN, v->body, 8);
  pkt_wr32(g->aad, v->spi);
  if (s->cfg.esn) {
    pkt_wr32(g->aad + 4, hi);
    pkt_wr32(g->aad + 8, v->seq);
    g->aad_len = 12;
  } else {
    pkt_wr32(g->aad + 4, v->seq);
    g->aad_len = 8;
  }
  g->text = text;
  g->text_len = (uint32_t)ct_len;
  return gcm_decrypt(s->gcm, g->nonce, g->aad, g->aad_len, v->body + 8, ct_len, text, v->body + 8 + ct_len, GCM_TAG_LEN);
}

bool asic_bytes_gcm_input(const sa *s, const uint8_t *ip, size_t n, uint64_t seq_hint, engine_gcm_input *g,
                          uint8_t *text) {
  const size_t at = asic_bytes_esp_offset(ip, n);
  pkt_esp_view v;
  if (!s || !at || pkt_esp_parse(ip + at, n - at, &v) != PKT_OK || v.body_len < 8 + GCM_TAG_LEN) return false;
  const size_t ct_len = v.body_len - 8 - GCM_TAG_LEN;
  const uint32_t hi = (uint32_t)(seq_hint >> 32);
  if (try_hi(s, &v, ct_len, hi, g, text)) return true;
  /* ESN, decrypt: the hint is the window's top; this packet may lie just below a wrap */
  return s->cfg.esn && hi > 0 && try_hi(s, &v, ct_len, hi - 1, g, text);
}
