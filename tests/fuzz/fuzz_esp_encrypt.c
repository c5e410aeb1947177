/* libFuzzer: the encrypt edge (esp_encrypt_burst) with small tunnel MTUs, every DF mode, UDP
 * encapsulation and IPv4/IPv6 outer, on arbitrary inner packets. Byte 0 picks the SA (by the
 * inner destination the harness writes) and whether the rest is used raw or behind a valid
 * IPv4 header (so fragmentation and ICMP get exercised). Invariants checked on every input:
 * each ESP packet stays within its SA's tunnel MTU and inside the output buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_depth.h"
#include "ipsec_engine/esp_frag.h"
#include "ipsec_engine/sa_load.h"
#include "model/checksum.h"
#include "model/pkt_err.h"

static const char SAS[] =
    "sas:\n"
    "  - {name: v4clear, direction: outbound, spi: 0x2001, algorithm: aes-128-gcm, key: "
    "000102030405060708090a0b0c0d0e0f10111213, local: 192.0.2.1, remote: 198.51.100.1,"
    " tunnel_mtu: 600, df_bit: clear, selector: 10.1.0.0/16}\n"
    "  - {name: v4copy, direction: outbound, spi: 0x2002, algorithm: aes-256-gcm, key: "
    "000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f10111213, local: 192.0.2.1,"
    " remote: 198.51.100.1, tunnel_mtu: 700, df_bit: copy, udp_encap: multipath, selector: 10.2.0.0/16}\n"
    "  - {name: v6out, direction: outbound, spi: 0x2003, algorithm: aes-128-gcm, key: "
    "000102030405060708090a0b0c0d0e0f10111213, local: 2001:db8::1, remote: 2001:db8::2,"
    " tunnel_mtu: 1400, df_bit: set, udp_encap: nat-t, esn: true}\n";

enum { D_OK, D_FRAGMENTED, D_ICMP, D_EXCEEDS_MTU, D_INNER_INVALID, D_OTHER_DROP, D_COUNT };
static const char *const DEPTH_NAMES[D_COUNT] = {
    "encrypted", "pre-fragmented", "icmp to host", "exceeds mtu (no icmp)", "inner invalid",
    "other drops"};
static uint64_t depth[D_COUNT];

static sa_db db;
static uint8_t out[ESP_BURST_OUT_CAP], host[ESP_HOST_CAP], pkt[70000];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    cfg_err err;
    if (!sa_db_init(&db, NULL) || !sa_load_buffer(&db, "fuzz", SAS, sizeof SAS - 1, &err)) abort();
    ready = 1;
  }
  if (size < 2 || size > 65000) return 0;
  const uint8_t mode = data[0];
  const uint8_t *in = data + 1;
  size_t in_len = size - 1;
  if (mode & 1) {
    /* A valid IPv4 header (DF from bit 1, destination SA from bits 2..3) before the bytes. */
    const size_t total = 20 + in_len;
    if (total > 65535) return 0;
    memset(pkt, 0, 20);
    pkt[0] = 0x45;
    pkt_wr16(pkt + 2, (uint16_t)total);
    pkt[6] = (mode & 2) ? 0x40 : 0;
    pkt[8] = 64;
    pkt[9] = 17;
    pkt_wr32(pkt + 12, 0x0a090001);
    pkt_wr32(pkt + 16, (mode & 4) ? 0x0a020005 : 0x0a010005);
    pkt_wr16(pkt + 10, csum_compute(pkt, 20));
    memcpy(pkt + 20, in, in_len);
    in = pkt;
    in_len = total;
  }
  esp_burst b;
  esp_reason r = esp_encrypt_burst(&db, in, in_len, (uint64_t)mode * 1000000u, out, sizeof out,
                                   host, sizeof host, &b, NULL);
  depth[D_ICMP] += b.host_len > 0;
  if (r == ESP_R_EXCEEDS_MTU || r == ESP_R_MTU_ICMP_RATE_LIMITED) depth[D_EXCEEDS_MTU]++;
  else if (r == ESP_R_INNER_INVALID) depth[D_INNER_INVALID]++;
  else if (r != ESP_R_OK && r != ESP_R_MTU_ICMP_SENT) depth[D_OTHER_DROP]++;
  if (r != ESP_R_OK) return 0;
  depth[D_OK]++;
  depth[D_FRAGMENTED] += b.fragmented;
  for (size_t i = 0; i < b.n; i++) {
    if (b.off[i] + b.len[i] > sizeof out) abort();
    const uint8_t *p = out + b.off[i];
    const size_t ip_len = p[0] >> 4 == 4 ? pkt_rd16(p + 2) : 40u + pkt_rd16(p + 4);
    /* IPv4-outer SAs have tunnel MTUs 600 and 700, the IPv6-outer one 1400. */
    if (ip_len != b.len[i] || ip_len > (p[0] >> 4 == 4 ? 700u : 1400u)) abort();
  }
  return 0;
}

/* Other drops (no SA, lifetime) cannot happen with these SAs: printed, not required. */
int fuzz_replay_check(FILE *fp) {
  fuzz_depth d[D_COUNT];
  for (int i = 0; i < D_COUNT; i++) d[i] = (fuzz_depth){DEPTH_NAMES[i], depth[i]};
  fprintf(fp, "  %-44s %10llu\n", DEPTH_NAMES[D_OTHER_DROP], (unsigned long long)depth[D_OTHER_DROP]);
  return fuzz_depth_report(fp, d, D_OTHER_DROP);
}
