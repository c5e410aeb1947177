/* libFuzzer: the decrypt path with live SAs (ESN across the 2^32 wrap, IPv4 and IPv6 outer,
 * NAT-T, short lifetimes). An input is a sequence of records, replayed on the SAs as loaded
 * (their state is reset before every input, so inputs are independent and a corpus replays
 * the same way every time). Record: op byte, 16-bit big-endian body length, body.
 *   op & 3 == 0 or 3: the body is an outer packet as is (headers, SPI lookup, replay, ICV).
 *   op & 3 == 1: sealed for SA (op >> 2) & 3 (a, b, c, d below); body = outer TOS | sequence
 *     number low half (4) | plaintext (inner | pad | pad length | next header). The harness
 *     writes the outer header the SA expects and seals the plaintext with the SA's key and
 *     the sequence number the receiver infers (RFC 4303 A2), so the trailer, inner packet,
 *     ECN, replay window, lifetimes and the ESN wrap are reached.
 *   op & 3 == 2: packet time advances by the body's first 4 bytes in milliseconds.
 * Checked on every packet: one packet changes exactly one of the reason counters (or the
 * decrypted-packets counter), and a decrypted packet fits in its input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_depth.h"
#include "ipsec_engine/esp_transform.h"
#include "ipsec_engine/sa_load.h"
#include "model/checksum.h"
#include "model/pkt_err.h"
#include "model/pkt_esp.h"

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
    " udp_encap: nat-t}\n"
    "  - {name: d, direction: inbound, spi: 0x1004, algorithm: aes-128-gcm, key: "
    "101112131415161718191a1b1c1d1e1f20212223, local: 198.51.100.1, remote: 192.0.2.1,"
    " lifetime_seconds: 10, lifetime_kilobytes: 1}\n";
#define N_SAS 4
static const uint32_t SPI[N_SAS] = {0x1001, 0x1002, 0x1003, 0x1004};

static sa_db db;
static sa *pristine[N_SAS]; /* sa_bytes() each: an sa is not copied by value */
static icmp_bucket pristine_icmp;
static uint8_t out[70000], pkt[70000];

/* Replay depth: outcomes per reason, and decrypted packets on SA a past the ESN wrap. */
static uint64_t seen[ESP_R_COUNT + 2], esn_wraps;

static void setup(void) {
  cfg_err err;
  if (!sa_db_init(&db, NULL) || !sa_load_buffer(&db, "fuzz", SAS, sizeof SAS - 1, &err)) abort();
  for (int i = 0; i < N_SAS; i++) {
    const sa *s = sa_db_find_inbound(&db, SPI[i]);
    if (!(pristine[i] = malloc(sa_bytes(s)))) abort();
    memcpy(pristine[i], s, sa_bytes(s));
  }
  pristine_icmp = db.icmp;
}

/* Back to the state after loading; the counters keep counting (the replay reads them). */
static void reset(void) {
  for (int i = 0; i < N_SAS; i++) {
    sa *s = sa_db_find_inbound(&db, SPI[i]);
    ipsec_counters keep = s->ctr;
    memcpy(s, pristine[i], sa_bytes(s));
    s->ctr = keep;
  }
  db.clock_started = false;
  db.start_ns = 0;
  db.icmp = pristine_icmp;
}

/* Sum of every counter a decrypt outcome can move (each reason's, and decrypted packets). */
static uint64_t outcome_sum(void) {
  uint64_t sum = ipsec_counter_get(&db.global, IPSEC_CTR_DEC_PKTS);
  bool done[IPSEC_CTR_COUNT] = {false};
  for (int r = 1; r < ESP_R_COUNT; r++) {
    ipsec_ctr c = esp_reason_counter((esp_reason)r);
    if (c < IPSEC_CTR_COUNT && !done[c]) sum += ipsec_counter_get(&db.global, c);
    if (c < IPSEC_CTR_COUNT) done[c] = true;
  }
  return sum;
}

static void decrypt(const uint8_t *p, size_t n, uint64_t now_ns) {
  const sa *a = sa_db_find_inbound(&db, SPI[0]);
  const uint64_t before = outcome_sum();
  size_t got;
  esp_reason r = esp_decrypt(&db, p, n, now_ns, out, sizeof out, &got, NULL);
  if (outcome_sum() != before + 1 || (r == ESP_R_OK) != (got > 0) || got > n) abort();
  seen[r]++;
  if (r == ESP_R_OK && a->replay.top >> 32 > pristine[0]->replay.top >> 32) esn_wraps++;
}

/* Outer header(s) for SA s at pkt; returns where ESP starts (0 if it cannot fit). */
static size_t outer(const sa *s, uint8_t tos, size_t esp_len) {
  const bool v6 = s->cfg.local.family == 6, udp = s->cfg.udp != SA_UDP_NONE;
  const size_t ip = v6 ? 40 : 20, l4 = esp_len + (udp ? 8 : 0);
  if (ip + l4 > (v6 ? 65535u + 40u : 65535u)) return 0;
  memset(pkt, 0, ip);
  if (v6) {
    pkt[0] = (uint8_t)(0x60 | tos >> 4);
    pkt[1] = (uint8_t)(tos << 4);
    pkt_wr16(pkt + 4, (uint16_t)l4);
    pkt[6] = udp ? 17 : 50;
    pkt[7] = 64;
    memcpy(pkt + 8, s->cfg.remote.b, 16);
    memcpy(pkt + 24, s->cfg.local.b, 16);
  } else {
    pkt[0] = 0x45;
    pkt[1] = tos;
    pkt_wr16(pkt + 2, (uint16_t)(ip + l4));
    pkt[8] = 64;
    pkt[9] = udp ? 17 : 50;
    memcpy(pkt + 12, s->cfg.remote.b, 4);
    memcpy(pkt + 16, s->cfg.local.b, 4);
    pkt_wr16(pkt + 10, csum_compute(pkt, 20));
  }
  if (!udp) return ip;
  uint8_t *u = pkt + ip; /* UDP checksum 0: allowed for ESP in UDP over IPv4 (RFC 3948 s2.1) */
  pkt_wr16(u, SA_NATT_PORT);
  pkt_wr16(u + 2, s->cfg.udp_dst_port);
  pkt_wr16(u + 4, (uint16_t)l4);
  pkt_wr16(u + 6, 0);
  return ip + 8;
}

static void sealed(int which, const uint8_t *b, size_t n, uint64_t now_ns) {
  if (n < 5) return;
  sa *s = sa_db_find_inbound(&db, SPI[which]);
  const uint8_t *plain = b + 5;
  const size_t pl = n - 5;
  const uint32_t low = pkt_rd32(b + 1);
  uint64_t seq;
  (void)replay_check(&s->replay, low, &seq); /* the number the receiver will infer */
  const size_t esp_len = PKT_ESP_HDR_LEN + ESP_IV_LEN + pl + ESP_ICV_LEN;
  const size_t at = outer(s, b[0], esp_len);
  if (!at) return;
  uint8_t *e = pkt + at, nonce[12], aad[12];
  pkt_wr32(e, s->cfg.spi);
  pkt_wr32(e + 4, low);
  pkt_wr32(e + 8, (uint32_t)(seq >> 32)); /* IV: the 64-bit sequence number */
  pkt_wr32(e + 12, (uint32_t)seq);
  const size_t aad_len = esp_nonce_aad(&s->cfg, e + 8, seq, nonce, aad);
  uint8_t *ct = e + PKT_ESP_HDR_LEN + ESP_IV_LEN;
  if (!gcm_encrypt(s->gcm, nonce, aad, aad_len, plain, pl, ct, ct + pl)) abort();
  decrypt(pkt, at + esp_len, now_ns);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    setup();
    ready = 1;
  }
  if (size > 200000) return 0;
  reset();
  uint64_t now_ns = 1000000000u;
  for (size_t at = 0; at + 3 <= size;) {
    const uint8_t op = data[at];
    size_t n = pkt_rd16(data + at + 1);
    at += 3;
    if (n > size - at) n = size - at;
    const uint8_t *body = data + at;
    at += n;
    switch (op & 3) {
    case 1: sealed((op >> 2) & 3, body, n, now_ns); break;
    case 2: if (n >= 4) now_ns += (uint64_t)pkt_rd32(body) * 1000000u; break;
    default: decrypt(body, n, now_ns); break;
    }
  }
  return 0;
}

/* Every outcome the decrypt path has, each reached by the corpus. */
static const esp_reason DECRYPT_REASONS[] = {
    ESP_R_OK, ESP_R_OUTER_MALFORMED, ESP_R_OUTER_FRAGMENT, ESP_R_NOT_ESP, ESP_R_UDP_MALFORMED,
    ESP_R_UDP_ENCAP_MISMATCH, ESP_R_ESP_HDR_TRUNCATED, ESP_R_UNKNOWN_SPI,
    ESP_R_DESTINATION_MISMATCH, ESP_R_BODY_TOO_SHORT, ESP_R_REPLAY_DUPLICATE,
    ESP_R_REPLAY_TOO_OLD, ESP_R_ICV_MISMATCH, ESP_R_BAD_PAD_LENGTH, ESP_R_BAD_PAD,
    ESP_R_BAD_NEXT_HEADER, ESP_R_DUMMY, ESP_R_LIFETIME_EXPIRED, ESP_R_ECN_CE_NOT_ECT,
    ESP_R_HOST_IKE, ESP_R_HOST_KEEPALIVE, ESP_R_INNER_INVALID};

int fuzz_replay_check(FILE *fp) {
  enum { N = sizeof DECRYPT_REASONS / sizeof DECRYPT_REASONS[0] };
  fuzz_depth d[2 * N + 1];
  char names[2 * N][64];
  size_t k = 0;
  for (size_t i = 0; i < N; i++) {
    esp_reason r = DECRYPT_REASONS[i];
    snprintf(names[k], sizeof names[k], "reason %s", r ? esp_reason_name(r) : "ok (ICV ok)");
    d[k] = (fuzz_depth){names[k], seen[r]};
    k++;
    /* The db's own global counter for that outcome (several reasons may share one). */
    ipsec_ctr c = r ? esp_reason_counter(r) : IPSEC_CTR_DEC_PKTS;
    snprintf(names[k], sizeof names[k], "counter esp.global.%s", ipsec_ctr_name(c));
    d[k] = (fuzz_depth){names[k], ipsec_counter_get(&db.global, c)};
    k++;
  }
  d[k++] = (fuzz_depth){"esn wrap (sa a decrypted past 2^32)", esn_wraps};
  return fuzz_depth_report(fp, d, k);
}
