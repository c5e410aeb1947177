/* libFuzzer: pcap files through the live ESP path, as `ipsecsim esp` runs them. The
 * container is walked in memory by pcap_walk.c (compiled with the harness, so coverage
 * guides the fuzzer; libpcap is not instrumented), then every record goes the way the esp
 * command sends it (caplen < len skipped, Ethernet stripped for link type 1) through:
 *   1. esp_decrypt on inbound SAs (a genuine ESP record of SA 0x3002 decrypts);
 *   2. esp_encrypt_burst on a catch-all outbound SA (MTU 1400: pre-fragmentation and ICMP);
 *   3. esp_decrypt of every ESP packet step 2 wrote, on the inbound twin of that SA: each
 *      must authenticate, and a single packet must give back the record's inner packet.
 * The same bytes also go once through model/pcap_io.c (libpcap, from a file in /dev/shm),
 * where any failure must be one non-empty line. SA g is reset before every input (a
 * genuine record decrypts every time); the round-trip pair keeps its state (the outbound
 * sequence number and the inbound window move forward together). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_depth.h"
#include "ipsec_engine/esp_frag.h"
#include "ipsec_engine/sa_load.h"
#include "model/pcap_io.h"
#include "model/pkt_eth.h"
#include "pcap_walk.h"

static const char OUT_SAS[] =
    "sas:\n"
    "  - {name: o, direction: outbound, spi: 0x3001, algorithm: aes-128-gcm, key: "
    "303132333435363738393a3b3c3d3e3f40414243, local: 192.0.2.1, remote: 198.51.100.1,"
    " tunnel_mtu: 1400, lifetime_seconds: 0}\n";
static const char IN_SAS[] =
    "sas:\n"
    "  - {name: rt, direction: inbound, spi: 0x3001, algorithm: aes-128-gcm, key: "
    "303132333435363738393a3b3c3d3e3f40414243, local: 198.51.100.1, remote: 192.0.2.1,"
    " lifetime_seconds: 0, replay_window: 4096}\n"
    "  - {name: g, direction: inbound, spi: 0x3002, algorithm: aes-128-gcm, key: "
    "000102030405060708090a0b0c0d0e0f10111213, local: 198.51.100.1, remote: 192.0.2.1,"
    " lifetime_seconds: 0}\n";

enum {
  D_WALKED, D_RECORDS, D_TRUNCATED_RECORD, D_CAPTURE_TRUNCATED, D_ETHERNET, D_RAW_IP,
  D_DECRYPT_OK, D_ENCRYPT_OK, D_PREFRAGMENTED, D_ICMP, D_ROUND_TRIP, D_LIBPCAP_RECORDS,
  D_LIBPCAP_ERRORS, D_COUNT
};
static const char *const DEPTH_NAMES[D_COUNT] = {
    "files walked", "records", "truncated record (walk error)", "caplen < len (skipped)",
    "ethernet records", "raw ip records", "genuine esp decrypted", "encrypted (burst ok)",
    "pre-fragmented bursts", "icmp to host", "round trips ok", "libpcap records",
    "libpcap errors (one line)"};
static uint64_t depth[D_COUNT];

static sa_db enc_db, dec_db;
static sa *pristine_g; /* sa_bytes(): an sa is not copied by value */
static uint8_t out[ESP_BURST_OUT_CAP], host[ESP_HOST_CAP], back[70000];

static void setup(void) {
  cfg_err err;
  if (!sa_db_init(&enc_db, NULL) || !sa_db_init(&dec_db, NULL) ||
      !sa_load_buffer(&enc_db, "out", OUT_SAS, sizeof OUT_SAS - 1, &err) ||
      !sa_load_buffer(&dec_db, "in", IN_SAS, sizeof IN_SAS - 1, &err))
    abort();
  const sa *g = sa_db_find_inbound(&dec_db, 0x3002);
  if (!(pristine_g = malloc(sa_bytes(g)))) abort();
  memcpy(pristine_g, g, sa_bytes(g));
}

static void reset_g(void) {
  sa *g = sa_db_find_inbound(&dec_db, 0x3002);
  ipsec_counters keep = g->ctr;
  memcpy(g, pristine_g, sa_bytes(g));
  g->ctr = keep;
}

static void record(pcapio_link link, const pcapio_packet *p) {
  if (p->caplen < p->origlen) { /* snaplen cut: `esp` counts it and does not process it */
    depth[D_CAPTURE_TRUNCATED]++;
    return;
  }
  const uint8_t *ip = p->data;
  size_t ip_len = p->caplen, got;
  if (link == PCAPIO_LINK_ETHERNET) {
    pkt_eth_view ev;
    if (pkt_eth_parse(p->data, p->caplen, &ev) != PKT_OK ||
        (ev.ethertype != PKT_ETHERTYPE_IPV4 && ev.ethertype != PKT_ETHERTYPE_IPV6))
      return;
    ip = ev.payload;
    ip_len = ev.payload_len;
    depth[D_ETHERNET]++;
  } else {
    depth[D_RAW_IP]++;
  }
  if (esp_decrypt(&dec_db, ip, ip_len, p->ts_ns, back, sizeof back, &got, NULL) == ESP_R_OK)
    depth[D_DECRYPT_OK]++;
  esp_burst b;
  const esp_reason r = esp_encrypt_burst(&enc_db, ip, ip_len, p->ts_ns, out, sizeof out, host,
                                         sizeof host, &b, NULL);
  depth[D_ICMP] += b.host_len > 0;
  if (r != ESP_R_OK) return;
  depth[D_ENCRYPT_OK]++;
  depth[D_PREFRAGMENTED] += b.fragmented;
  for (size_t i = 0; i < b.n; i++) {
    if (esp_decrypt(&dec_db, out + b.off[i], b.len[i], p->ts_ns, back, sizeof back, &got,
                    NULL) != ESP_R_OK)
      abort(); /* our own ESP packet must authenticate and carry a valid inner packet */
    if (b.n == 1 && (got > ip_len || memcmp(back, ip, got) != 0)) abort();
  }
  depth[D_ROUND_TRIP] += b.n > 0;
}

/* model/pcap_io.c on the same bytes; returns its record count (-1 when it refused). */
static long libpcap_read(const uint8_t *data, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/dev/shm/fuzz_esp_pcap_%d.pcap", (int)getpid());
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  fwrite(data, 1, size, f);
  fclose(f);
  pcapio_err err;
  err.msg[0] = 0;
  pcapio_reader *r = pcapio_open_read(path, &err);
  long n = 0;
  if (r) {
    pcapio_packet p;
    int rc;
    while ((rc = pcapio_next(r, &p, &err)) == 1) n++;
    if (rc < 0) n = -1;
    pcapio_close_read(r);
  } else {
    n = -1;
  }
  unlink(path);
  if (n < 0 && (err.msg[0] == 0 || strchr(err.msg, '\n'))) __builtin_trap();
  depth[n < 0 ? D_LIBPCAP_ERRORS : D_LIBPCAP_RECORDS] += n < 0 ? 1 : (uint64_t)n;
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    setup();
    ready = 1;
  }
  if (size > 1u << 20) return 0;
  (void)libpcap_read(data, size);
  pcap_walk w;
  if (!pcap_walk_open(&w, data, size)) return 0;
  reset_g();
  depth[D_WALKED]++;
  pcapio_packet p;
  int rc;
  while ((rc = pcap_walk_next(&w, &p)) == 1) {
    depth[D_RECORDS]++;
    record(w.link, &p);
  }
  if (rc < 0) depth[D_TRUNCATED_RECORD]++;
  return 0;
}

int fuzz_replay_check(FILE *fp) {
  fuzz_depth d[D_COUNT];
  for (int i = 0; i < D_COUNT; i++) d[i] = (fuzz_depth){DEPTH_NAMES[i], depth[i]};
  return fuzz_depth_report(fp, d, D_COUNT);
}
