/* ESP packet shapes for the engine's timing; the lengths are the transform's (esp_encrypt.c,
 * sa_max_inner, esp_frag_plan_make), checked against esp_encrypt_burst in tests/engine. */
#include "engine_esp.h"

#include <string.h>

#include "ipsec_engine/esp_frag.h"
#include "ipsec_engine/esp_transform.h"
#include "model/pkt_esp.h"
#include "model/pkt_ipv4.h"
#include "model/pkt_ipv6.h"
#include "model/pkt_udp.h"

void engine_sa_from_config(const sa_config *c, engine_sa *out) {
  *out = (engine_sa){.dir = c->dir == SA_OUTBOUND ? ENGINE_ENCRYPT : ENGINE_DECRYPT,
                     .outer_family = c->local.family,
                     .udp = c->udp,
                     .esn = c->esn,
                     .replay_window = c->replay_window,
                     .tunnel_mtu = c->tunnel_mtu,
                     .df = c->df,
                     .initial_seq = c->initial_seq,
                     .key_bits = (uint16_t)(c->key_len * 8u)};
}

bool engine_sa_store_and_forward(const engine_sa *s) {
  return s->dir == ENGINE_DECRYPT || (s->outer_family == 6 && s->udp != SA_UDP_NONE);
}

uint32_t engine_esp_fixed_bytes(const engine_sa *s) {
  return (s->outer_family == 4 ? PKT_IPV4_MIN_HDR : PKT_IPV6_HDR_LEN) +
         (s->udp != SA_UDP_NONE ? PKT_UDP_HDR_LEN : 0) + PKT_ESP_HDR_LEN + ESP_IV_LEN +
         PKT_ESP_TRAILER_MIN + ESP_ICV_LEN;
}

engine_esp_shape engine_esp_shape_of(const engine_sa *s, uint32_t inner_bytes) {
  const uint32_t pad = (uint32_t)pkt_esp_pad_len(inner_bytes, 4); /* (L + pad + 2) % 4 == 0 */
  return (engine_esp_shape){.inner_bytes = inner_bytes,
                            .esp_ip_bytes = engine_esp_fixed_bytes(s) + inner_bytes + pad,
                            .aad_bytes = s->esn ? 12u : 8u, /* RFC 4106 s5 */
                            .text_bytes = inner_bytes + pad + PKT_ESP_TRAILER_MIN};
}

/* sa_max_inner reads the outer family, UDP mode and tunnel MTU only. */
uint32_t engine_sa_max_inner(const engine_sa *s) {
  sa_config c;
  memset(&c, 0, sizeof c);
  c.local.family = s->outer_family;
  c.udp = s->udp;
  c.tunnel_mtu = s->tunnel_mtu;
  return sa_max_inner(&c);
}

uint32_t engine_sa_max_text(const engine_sa *s) {
  return engine_esp_shape_of(s, engine_sa_max_inner(s)).text_bytes;
}

engine_plan_result engine_esp_plan_encrypt(const engine_sa *s, uint8_t inner_family, bool inner_df,
                                           uint32_t inner_ip_bytes, engine_esp_plan *plan) {
  const uint32_t fit = engine_sa_max_inner(s);
  memset(plan, 0, sizeof *plan);
  if (inner_ip_bytes <= fit) {
    plan->n = 1;
    plan->first = plan->middle = plan->last = engine_esp_shape_of(s, inner_ip_bytes);
    return ENGINE_PLAN_OK;
  }
  /* DESIGN / RFC 4301 s8.1: IPv6 is never fragmented by the tunnel; IPv4 with DF 1 only
   * under df_bit clear. */
  if (inner_family != 4 || (inner_df && s->df != SA_DF_CLEAR)) return ENGINE_PLAN_NEEDS_ICMP;
  pkt_ipv4_view v;
  memset(&v, 0, sizeof v);
  v.hdr_len = PKT_IPV4_MIN_HDR; /* descriptors carry no IPv4 options */
  v.total_len = (uint16_t)inner_ip_bytes;
  v.payload_len = inner_ip_bytes - PKT_IPV4_MIN_HDR;
  esp_frag_plan fp;
  if (inner_ip_bytes > 65535u || !esp_frag_plan_make(&v, fit, &fp)) return ENGINE_PLAN_UNFIT;
  plan->n = (uint32_t)fp.n;
  plan->first = engine_esp_shape_of(s, (uint32_t)(v.hdr_len + fp.first_data));
  plan->middle = engine_esp_shape_of(s, (uint32_t)(fp.rest_hl + fp.rest_data));
  const size_t last_data = v.payload_len - fp.first_data - (fp.n - 2) * fp.rest_data;
  plan->last = engine_esp_shape_of(s, (uint32_t)(fp.rest_hl + last_data));
  return ENGINE_PLAN_OK;
}
