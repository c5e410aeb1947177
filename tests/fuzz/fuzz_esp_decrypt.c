/* libFuzzer: the decrypt path with live SAs (ESN and plain, IPv4 and IPv6, NAT-T).
 * Byte 0 picks the mode: even = the rest is an outer packet as is (headers, SPI lookup,
 * replay, ICV); odd = the rest is a sequence number and a plaintext (inner | pad | pad
 * length | next header) that the harness seals with the SA's key, so the trailer, inner
 * packet and ECN code behind the ICV get fuzzed too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec_engine/esp_transform.h"
#include "ipsec_engine/sa_load.h"

static const char SAS[] =
    "sas:\n"
    "  - {name: a, direction: inbound, spi: 0x1001, algorithm: aes-128-gcm, key: "
    "000102030405060708090a0b0c0d0e0f10111213, local: 198.51.100.1, remote: 192.0.2.1, esn: true,"
    " initial_seq: 0xFFFFFF00, copy_outer_dscp: true, lifetime_kilobytes: 100000}\n"
    "  - {name: b, direction: inbound, spi: 0x1002, algorithm: aes-256-gcm, key: "
    "000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f10111213, local: 2001:db8::1,"
    " remote: 2001:db8::2, replay_window: 4096}\n"
    "  - {name: c, direction: inbound, spi: 0x1003, algorithm: aes-128-gcm, key: "
    "000102030405060708090a0b0c0d0e0f10111213, local: 198.51.100.1, remote: 192.0.2.1,"
    " udp_encap: nat-t}\n";

static sa_db db;
static uint8_t out[70000], pkt[70000];

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    cfg_err err;
    if (!sa_db_init(&db, NULL) || !sa_load_buffer(&db, "fuzz", SAS, sizeof SAS - 1, &err)) abort();
    ready = 1;
  }
  if (size < 1 || size > 60000) return 0;
  size_t n;
  if (!(data[0] & 1)) {
    esp_decrypt(&db, data + 1, size - 1, 0, out, sizeof out, &n, NULL);
    return 0;
  }
  if (size < 6) return 0;
  /* Sealed mode: SA a (IPv4, ESN). data[1] = outer TOS, data[2..5] = seq low. */
  sa *s = sa_db_find_inbound(&db, 0x1001);
  const uint8_t *plain = data + 6;
  size_t pl = size - 6;
  uint32_t low = (uint32_t)data[2] << 24 | data[3] << 16 | data[4] << 8 | data[5];
  uint64_t seq = (s->replay.top & 0xFFFFFFFF00000000ull) | low;
  size_t esp_len = 8 + 8 + pl + 16, total = 20 + esp_len;
  memset(pkt, 0, 20);
  pkt[0] = 0x45; pkt[1] = data[1]; pkt[2] = (uint8_t)(total >> 8); pkt[3] = (uint8_t)total;
  pkt[8] = 64; pkt[9] = 50;
  const uint8_t src[4] = {192, 0, 2, 1}, dst[4] = {198, 51, 100, 1};
  memcpy(pkt + 12, src, 4); memcpy(pkt + 16, dst, 4);
  uint32_t sum = 0;
  for (int i = 0; i < 20; i += 2) sum += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  pkt[10] = (uint8_t)(~sum >> 8); pkt[11] = (uint8_t)~sum;
  uint8_t *e = pkt + 20;
  put32(e, 0x1001); put32(e + 4, low); put32(e + 8, (uint32_t)(seq >> 32)); put32(e + 12, low);
  uint8_t nonce[12], aad[12];
  memcpy(nonce, s->cfg.salt, 4); memcpy(nonce + 4, e + 8, 8);
  put32(aad, 0x1001); put32(aad + 4, (uint32_t)(seq >> 32)); put32(aad + 8, low);
  if (!gcm_encrypt(s->gcm, nonce, aad, 12, plain, pl, e + 16, e + 16 + pl)) abort();
  esp_decrypt(&db, pkt, total, 0, out, sizeof out, &n, NULL);
  return 0;
}
