/* libFuzzer target: arbitrary bytes through every codec parser (Ethernet -> IPv4/IPv6 with
 * the extension-header walk -> UDP -> ESP -> ESP trailer), plus hex decoding. Besides ASan
 * and UBSan it checks that every view stays inside the input and that parse -> build
 * reproduces canonical Ethernet, IPv4 and IPv6 headers byte for byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_depth.h"
#include "model/checksum.h"
#include "model/hexutil.h"
#include "model/pkt_esp.h"
#include "model/pkt_eth.h"
#include "model/pkt_ipv4.h"
#include "model/pkt_ipv6.h"
#include "model/pkt_udp.h"

#define INSIDE(p, n, base, len) \
  ((p) >= (base) && (size_t)((p) - (base)) <= (len) && (n) <= (len) - (size_t)((p) - (base)))
enum {
  D_ETH, D_IPV4, D_IPV4_ROUND_TRIP, D_IPV4_NEG_ZERO, D_IPV6, D_IPV6_EXTHDRS, D_UDP, D_ESP,
  D_ESP_TRAILER, D_HEX, D_COUNT
};
static const char *const DEPTH_NAMES[D_COUNT] = {
    "ethernet parsed", "ipv4 parsed", "ipv4 canonical round trip", "ipv4 checksum -0 (+0 built)",
    "ipv6 parsed", "ipv6 with extension headers", "udp parsed", "esp parsed",
    "esp trailer parsed", "hex decoded"};
static uint64_t depth[D_COUNT];

#define CHECK(c) \
  do {           \
    if (!(c)) abort(); \
  } while (0)

static void esp_layer(const uint8_t *b, size_t n, const uint8_t *base, size_t len) {
  pkt_esp_view e;
  if (pkt_esp_parse(b, n, &e) != PKT_OK) return;
  depth[D_ESP]++;
  CHECK(INSIDE(e.body, e.body_len, base, len));
  pkt_esp_trailer t;
  /* Treat the body as if it were decrypted plaintext. */
  if (pkt_esp_trailer_parse(e.body, e.body_len, e.spi & 1, &t) == PKT_OK) {
    CHECK(t.payload_len + t.pad_len + 2 == e.body_len);
    depth[D_ESP_TRAILER]++;
  }
}

static void upper_layer(uint8_t proto, const uint8_t *b, size_t n, const uint8_t *base,
                        size_t len, uint32_t s4, uint32_t d4, const uint8_t *s6,
                        const uint8_t *d6) {
  if (proto == PKT_PROTO_ESP) {
    esp_layer(b, n, base, len);
    return;
  }
  if (proto != PKT_PROTO_UDP) return;
  pkt_udp_view u;
  if (pkt_udp_parse(b, n, &u) != PKT_OK) return;
  depth[D_UDP]++;
  CHECK(INSIDE(u.payload, u.payload_len, base, len));
  if (s6)
    (void)pkt_udp_verify_v6(s6, d6, &u);
  else
    (void)pkt_udp_verify_v4(s4, d4, &u);
  esp_layer(u.payload, u.payload_len, base, len); /* NAT-T */
}

/* Parse -> build must give back the same header bytes whenever the header is canonical
 * (the computed checksum, i.e. not -0 (RFC 1624 s3), reserved flag clear). A header that
 * verifies with -0 must build to the same bytes except a +0 checksum field. */
static void ipv4_round_trip(const pkt_ipv4_view *v) {
  if (!v->checksum_ok || v->reserved_flag) return;
  pkt_ipv4_fields f = {0};
  f.dscp = pkt_ipv4_dscp(v);
  f.ecn = pkt_ipv4_ecn(v);
  f.id = v->id;
  f.df = v->df;
  f.mf = v->mf;
  f.frag_offset = v->frag_offset;
  f.ttl = v->ttl;
  f.proto = v->proto;
  f.src = v->src;
  f.dst = v->dst;
  f.options = v->options;
  f.options_len = v->options_len;
  f.payload_len = v->payload_len;
  uint8_t out[PKT_IPV4_MAX_HDR];
  size_t w = 0;
  CHECK(pkt_ipv4_build(out, sizeof out, &f, &w) == PKT_OK);
  CHECK(w == v->hdr_len);
  if (v->checksum_canonical) {
    CHECK(memcmp(out, v->hdr, w) == 0);
    depth[D_IPV4_ROUND_TRIP]++;
    return;
  }
  depth[D_IPV4_NEG_ZERO]++;
  CHECK(v->checksum == 0xFFFF && out[10] == 0 && out[11] == 0);
  CHECK(memcmp(out, v->hdr, 10) == 0 && memcmp(out + 12, v->hdr + 12, w - 12) == 0);
}

static void ipv6_round_trip(const pkt_ipv6_view *v) {
  pkt_ipv6_fields f = {0};
  f.dscp = pkt_ipv6_dscp(v);
  f.ecn = pkt_ipv6_ecn(v);
  f.flow_label = v->flow_label;
  f.payload_len = v->payload_len;
  f.next_header = v->next_header;
  f.hop_limit = v->hop_limit;
  memcpy(f.src, v->src, 16);
  memcpy(f.dst, v->dst, 16);
  uint8_t out[PKT_IPV6_HDR_LEN];
  size_t w = 0;
  CHECK(pkt_ipv6_build(out, sizeof out, &f, &w) == PKT_OK);
  CHECK(memcmp(out, v->hdr, PKT_IPV6_HDR_LEN) == 0);
}

static void ip_layer(const uint8_t *b, size_t n, const uint8_t *base, size_t len) {
  pkt_ipv4_view v4;
  if (pkt_ipv4_parse(b, n, &v4) == PKT_OK) {
    depth[D_IPV4]++;
    CHECK(INSIDE(v4.payload, v4.payload_len, base, len));
    CHECK(INSIDE(v4.options, v4.options_len, base, len));
    ipv4_round_trip(&v4);
    if (!pkt_ipv4_is_fragment(&v4))
      upper_layer(v4.proto, v4.payload, v4.payload_len, base, len, v4.src, v4.dst, NULL, NULL);
  }
  pkt_ipv6_view v6;
  if (pkt_ipv6_parse(b, n, &v6) == PKT_OK) {
    depth[D_IPV6]++;
    depth[D_IPV6_EXTHDRS] += v6.chain.exthdr_count > 0;
    CHECK(v6.chain.exthdr_count <= PKT_IPV6_MAX_EXTHDRS);
    ipv6_round_trip(&v6);
    CHECK(INSIDE(v6.upper, v6.upper_len, base, len));
    CHECK(v6.chain.nh_field_offset < v6.chain.upper_offset || v6.chain.nh_field_offset == 6);
    if (!v6.chain.frag.present || v6.chain.frag.offset == 0)
      upper_layer(v6.chain.upper_proto, v6.upper, v6.upper_len, base, len, 0, 0, v6.src,
                  v6.dst);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pkt_eth_view e;
  if (pkt_eth_parse(data, size, &e) == PKT_OK) {
    depth[D_ETH]++;
    CHECK(INSIDE(e.payload, e.payload_len, data, size));
    pkt_eth_fields f = {0};
    memcpy(f.dst, e.dst, 6);
    memcpy(f.src, e.src, 6);
    f.vlan_count = e.vlan_count;
    for (unsigned i = 0; i < e.vlan_count; i++) f.vlan[i] = e.vlan[i];
    f.ethertype = e.ethertype;
    uint8_t out[PKT_ETH_HDR_LEN + PKT_ETH_MAX_VLAN * PKT_ETH_VLAN_LEN];
    size_t w = 0;
    CHECK(pkt_eth_build(out, sizeof out, &f, &w) == PKT_OK);
    CHECK(w == e.hdr_len && memcmp(out, data, w) == 0);
    ip_layer(e.payload, e.payload_len, data, size);
  }
  ip_layer(data, size, data, size); /* raw IP link types */
  upper_layer(PKT_PROTO_UDP, data, size, data, size, 1, 2, NULL, NULL);
  esp_layer(data, size, data, size);
  pkt_ipv6_chain c;
  if (size > 0) (void)pkt_ipv6_walk(data, size, data[0], 0, 0, &c);
  (void)csum_compute(data, size);

  uint8_t out[64];
  size_t got = 0, pos = 0;
  if (hex_decode((const char *)data, size, out, sizeof out, &got, &pos) == HEX_OK) {
    CHECK(got <= sizeof out);
    depth[D_HEX]++;
    char back[2 * sizeof out + 1];
    CHECK(hex_encode(out, got, back, sizeof back) == 2 * got);
  }
  return 0;
}

int fuzz_replay_check(FILE *fp) {
  fuzz_depth d[D_COUNT];
  for (int i = 0; i < D_COUNT; i++) d[i] = (fuzz_depth){DEPTH_NAMES[i], depth[i]};
  return fuzz_depth_report(fp, d, D_COUNT);
}
