/* ipsecsim esp encrypt|decrypt --sa SA.yaml --in IN.pcap --out OUT.pcap [--vectors OUT.jsonl]
 *                              [--exceptions HOST.pcap] [--export-sas DIR]
 * Applies the ESP tunnel transform to every packet of a pcap (Ethernet or raw-IP link types)
 * and prints the statistics in the layout of `show security ipsec statistics`. A pure
 * transform: no TTL decrement. Encrypt pre-fragments inner IPv4 above the tunnel MTU (one
 * output packet per fragment) and writes ICMP frag-needed / ICMPv6 Packet Too Big to
 * --exceptions; decrypt writes IKE and NAT keepalives there. --vectors writes one JSON line
 * per output ESP packet, or per dropped packet (never the key). Outputs are checked against the
 * inputs and written through model/out_file (temporary + rename; the vectors file 0600).
 * --export-sas DIR writes the loaded SAs as DIR/sas.yaml and DIR/esp_sa (sa_export.h, 0600). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_cleanup.h"
#include "cli_help.h"
#include "commands.h"
#include "ipsec_engine/esp_frag.h"
#include "ipsec_engine/esp_transform.h"
#include "ipsec_engine/sa_export.h"
#include "ipsec_engine/sa_load.h"
#include "model/hexutil.h"
#include "model/out_file.h"
#include "model/pcap_io.h"
#include "model/pkt_eth.h"
#include "model/stats.h"

typedef struct esp_args {
  int encrypt;
  const char *sa, *in, *out, *vectors, *exceptions, *export_sas;
  char export_files[2][OUT_PATH_MAX];
} esp_args;

static int usage_error(const char *what) {
  fprintf(stderr, "ipsecsim esp: %s (usage: ipsecsim esp %s)\n", what, cli_help_synopsis("esp"));
  return IPSECSIM_EXIT_USAGE;
}

/* 0 parsed, -1 help printed, else an exit status. */
static int parse_args(int argc, char **argv, esp_args *a) {
  memset(a, 0, sizeof *a);
  for (int i = 1; i < argc; i++)
    if (cli_help_is_flag(argv[i])) {
      cli_help_print("esp", stdout);
      return -1;
    }
  if (argc < 2) return usage_error("missing operation (allowed: encrypt, decrypt)");
  if (!strcmp(argv[1], "encrypt")) a->encrypt = 1;
  else if (!strcmp(argv[1], "decrypt")) a->encrypt = 0;
  else {
    char m[160];
    snprintf(m, sizeof m, "unknown operation '%.40s' (allowed: encrypt, decrypt)", argv[1]);
    return usage_error(m);
  }
  for (int i = 2; i < argc; i++) {
    const char **dst = NULL;
    if (!strcmp(argv[i], "--sa")) dst = &a->sa;
    else if (!strcmp(argv[i], "--in")) dst = &a->in;
    else if (!strcmp(argv[i], "--out")) dst = &a->out;
    else if (!strcmp(argv[i], "--vectors")) dst = &a->vectors;
    else if (!strcmp(argv[i], "--exceptions")) dst = &a->exceptions;
    else if (!strcmp(argv[i], "--export-sas")) dst = &a->export_sas;
    if (!dst) {
      char m[160];
      snprintf(m, sizeof m, "unknown option '%.40s'", argv[i]);
      return usage_error(m);
    }
    if (i + 1 >= argc) {
      char m[160];
      snprintf(m, sizeof m, "option %s needs a value", argv[i]);
      return usage_error(m);
    }
    *dst = argv[++i];
  }
  if (!a->sa) return usage_error("missing --sa");
  if (!a->in) return usage_error("missing --in");
  if (!a->out) return usage_error("missing --out");
  if (a->export_sas) {
    snprintf(a->export_files[0], OUT_PATH_MAX, "%s/%s", a->export_sas, SA_EXPORT_FILE);
    snprintf(a->export_files[1], OUT_PATH_MAX, "%s/%s", a->export_sas, SA_EXPORT_WIRESHARK);
  }
  const out_role outs[] = {{"--out", a->out}, {"--vectors", a->vectors}, {"--exceptions", a->exceptions},
                           {"--export-sas", a->export_sas ? a->export_files[0] : NULL},
                           {"--export-sas", a->export_sas ? a->export_files[1] : NULL}};
  const out_role ins[] = {{"--in", a->in}, {"--sa", a->sa}};
  char err[2 * OUT_PATH_MAX];
  if (!out_check_distinct(outs, 5, ins, 2, err, sizeof err)) {
    fprintf(stderr, "ipsecsim esp: %s\n", err);
    return IPSECSIM_EXIT_USAGE;
  }
  return 0;
}

/* An output could not be opened or written: unusable output, exit 2 with the reason. */
static int output_error(const char *msg) {
  fprintf(stderr, "%s\n", msg);
  return IPSECSIM_EXIT_USAGE;
}

static void hexfield(FILE *fp, const char *name, const uint8_t *b, size_t n) {
  char h[2 * 16 + 1];
  hex_encode(b, n, h, sizeof h);
  fprintf(fp, ",\"%s\":\"%s\"", name, h);
}

static void write_vector(FILE *fp, uint64_t index, int encrypt, const esp_info *info,
                         size_t in_len, size_t out_len, int fragment) {
  fprintf(fp, "{\"packet\":%llu,\"op\":\"%s\"", (unsigned long long)index, encrypt ? "encrypt" : "decrypt");
  if (fragment >= 0) fprintf(fp, ",\"fragment\":%d", fragment);
  if (info->sa) {
    fprintf(fp, ",\"sa\":\"%s\",\"spi\":%u,\"esn\":%s", info->sa->cfg.name, info->sa->cfg.spi,
            info->sa->cfg.esn ? "true" : "false");
    fprintf(fp, ",\"algorithm\":\"%s\"", info->sa->cfg.alg == SA_AES256_GCM ? "aes-256-gcm" : "aes-128-gcm");
  }
  if (info->seq) fprintf(fp, ",\"seq\":%llu", (unsigned long long)info->seq);
  if (info->has_crypto) {
    hexfield(fp, "iv", info->iv, ESP_IV_LEN);
    hexfield(fp, "nonce", info->nonce, sizeof info->nonce);
    hexfield(fp, "aad", info->aad, info->aad_len);
    hexfield(fp, "icv", info->icv, ESP_ICV_LEN);
  }
  fprintf(fp, ",\"in_len\":%zu,\"out_len\":%zu,\"verdict\":\"%s\"", in_len, out_len,
          info->reason == ESP_R_OK ? "ok" : "drop");
  if (info->reason != ESP_R_OK) fprintf(fp, ",\"reason\":\"%s\"", esp_reason_name(info->reason));
  fprintf(fp, "}\n");
}

/* The ethertype (last two bytes of the L2 header) follows the IP version after it. */
static void set_ethertype(uint8_t *frame, size_t l2) {
  uint16_t et = frame[l2] >> 4 == 6 ? PKT_ETHERTYPE_IPV6 : PKT_ETHERTYPE_IPV4;
  frame[l2 - 2] = (uint8_t)(et >> 8);
  frame[l2 - 1] = (uint8_t)et;
}

static void print_stats(const sa_db *db, int encrypt) {
  printf("Global:\n");
  ipsec_counters_print(&db->global, stdout);
  for (size_t i = 0; i < db->n; i++) {
    const sa *s = db->sas[i];
    if ((s->cfg.dir == SA_OUTBOUND) != (encrypt != 0)) continue;
    printf("\nSA %s (index %zu, %s, SPI 0x%08x):\n", s->cfg.name, i + 1,
           s->cfg.dir == SA_OUTBOUND ? "outbound" : "inbound", s->cfg.spi);
    ipsec_counters_print(&s->ctr, stdout);
    printf("  lifetime: %s\n", s->hard_expired ? "hard limit reached, SA stopped"
                                : s->soft_expired ? "soft limit reached, rekey due" : "live");
  }
}

/* The SAs as loaded (before any packet): opt-in key material, and we say so. */
static bool export_sas(const sa_db *db, const char *dir) {
  const sa_config **cfgs = malloc((db->n ? db->n : 1) * sizeof *cfgs);
  char err[2 * OUT_PATH_MAX];
  if (!cfgs) return fprintf(stderr, "ipsecsim esp: out of memory\n"), false;
  for (size_t i = 0; i < db->n; i++) cfgs[i] = &db->sas[i]->cfg;
  const bool ok = sa_export_write(dir, cfgs, db->n, err, sizeof err);
  free(cfgs);
  if (!ok) return fprintf(stderr, "%s\n", err), false;
  fprintf(stderr, "ipsecsim esp: note: wrote key material of %zu SAs to %s/%s and %s/%s (mode 0600)\n", db->n, dir,
          SA_EXPORT_FILE, dir, SA_EXPORT_WIRESHARK);
  return true;
}

int cmd_esp(int argc, char **argv) {
  esp_args a;
  int rc = parse_args(argc, argv, &a);
  if (rc) return rc < 0 ? IPSECSIM_EXIT_OK : rc;
  stats_registry *reg = stats_create();
  sa_db db;
  if (!reg || !sa_db_init(&db, reg)) {
    fprintf(stderr, "ipsecsim esp: out of memory\n");
    return IPSECSIM_EXIT_FAIL;
  }
  cfg_err cerr;
  pcapio_err perr;
  pcapio_reader *r = NULL;
  pcapio_writer *w = NULL, *x = NULL;
  FILE *vec = NULL;
  out_file out_w = {0}, out_x = {0}, out_v = {0};
  char oerr[2 * OUT_PATH_MAX];
  uint8_t *buf = NULL, *host = NULL;
  esp_info *infos = NULL;
  esp_burst burst;
  int write_errno = 0;
  rc = IPSECSIM_EXIT_USAGE;
  if (!sa_load_file(&db, a.sa, &cerr)) {
    fprintf(stderr, "%s\n", cerr.msg);
    goto done;
  }
  if (a.export_sas && !export_sas(&db, a.export_sas)) goto done;
  r = pcapio_open_read(a.in, &perr);
  if (!r) {
    fprintf(stderr, "%s\n", perr.msg);
    goto done;
  }
  const pcapio_link link = pcapio_reader_link(r);
  const pcapio_link out_link = link == PCAPIO_LINK_ETHERNET ? link : PCAPIO_LINK_RAW;
  if (!out_begin(&out_w, a.out, OUT_MODE_NORMAL, oerr, sizeof oerr)) goto open_fail;
  cli_cleanup_track(&out_w);
  out_release_stream(&out_w); /* libpcap opens the temporary by name */
  w = pcapio_open_write(out_w.write_path, out_link, true, 0, &perr);
  if (!w) {
    out_fix_message(&out_w, perr.msg, sizeof perr.msg, 0);
    fprintf(stderr, "%s\n", perr.msg);
    goto done;
  }
  if (a.exceptions) {
    if (!out_begin(&out_x, a.exceptions, OUT_MODE_NORMAL, oerr, sizeof oerr)) goto open_fail;
    cli_cleanup_track(&out_x);
    out_release_stream(&out_x);
    if (!(x = pcapio_open_write(out_x.write_path, link, true, 0, &perr))) {
      out_fix_message(&out_x, perr.msg, sizeof perr.msg, 0);
      fprintf(stderr, "%s\n", perr.msg);
      goto done;
    }
  }
  if (a.vectors) { /* it holds salts: 0600 */
    if (!out_begin(&out_v, a.vectors, OUT_MODE_SECRET, oerr, sizeof oerr)) goto open_fail;
    cli_cleanup_track(&out_v);
    vec = out_v.fp;
  }
  /* The nonce field is salt || IV (RFC 4106 s4): like an RTL waveform, the vectors file is an
   * opt-in test artefact that carries SA secrets (the salt, never the key), and we say so. */
  if (vec)
    fprintf(stderr, "ipsecsim esp: note: %s holds each packet's nonce, which contains the SA's salt; treat it as key material\n", a.vectors);
  const size_t cap = 262144 + ESP_BURST_OUT_CAP + 64;
  buf = malloc(cap);
  host = malloc(ESP_HOST_CAP + 64);
  infos = calloc(ESP_BURST_MAX, sizeof *infos);
  if (!buf || !host || !infos) goto done;
  pcapio_packet p;
  int more;
  while ((more = pcapio_next(r, &p, &perr)) == 1) {
    size_t l2 = 0;
    const uint8_t *ip = p.data;
    size_t ip_len = p.caplen;
    esp_info info;
    memset(&info, 0, sizeof info);
    if (p.caplen < p.origlen) { /* snaplen cut the packet: not the wire's fault, not processed */
      info.reason = ESP_R_CAPTURE_TRUNCATED;
      esp_count(&db, NULL, info.reason);
      if (vec) write_vector(vec, p.index, a.encrypt, &info, p.caplen, 0, -1);
      continue;
    }
    if (link == PCAPIO_LINK_ETHERNET) {
      pkt_eth_view ev;
      if (pkt_eth_parse(p.data, p.caplen, &ev) != PKT_OK ||
          (ev.ethertype != PKT_ETHERTYPE_IPV4 && ev.ethertype != PKT_ETHERTYPE_IPV6)) {
        info.reason = a.encrypt ? ESP_R_INNER_INVALID : ESP_R_OUTER_MALFORMED;
        esp_count(&db, NULL, info.reason);
        if (vec) write_vector(vec, p.index, a.encrypt, &info, p.caplen, 0, -1);
        continue;
      }
      l2 = ev.hdr_len;
      ip = ev.payload;
      ip_len = ev.payload_len;
      memcpy(buf, p.data, l2);
    }
    if (a.encrypt) {
      esp_reason res = esp_encrypt_burst(&db, ip, ip_len, p.ts_ns, buf + l2, cap - l2, host + l2,
                                         ESP_HOST_CAP, &burst, infos);
      if (vec && res != ESP_R_OK) write_vector(vec, p.index, 1, infos, ip_len, 0, -1);
      if (burst.host_len && x) {  /* ICMP: back to the inner source, MACs swapped */
        if (l2) {
          memcpy(host, p.data + 6, 6);
          memcpy(host + 6, p.data, 6);
          memcpy(host + 12, p.data + 12, l2 - 12);
          set_ethertype(host, l2);
        }
        if (!pcapio_write(x, host, (uint32_t)(l2 + burst.host_len), 0, p.ts_ns, &perr)) goto write_fail;
      }
      for (size_t i = 0; i < burst.n; i++) {
        uint8_t *o = buf + l2 + burst.off[i];
        if (vec) write_vector(vec, p.index, 1, &infos[i], ip_len, burst.len[i], burst.n > 1 ? (int)i : -1);
        if (l2) {  /* packets lie back to back: this L2 header overwrites the tail of the
                      previous one, which is already written */
          memcpy(o - l2, p.data, l2);
          set_ethertype(o - l2, l2);
        }
        if (!pcapio_write(w, o - l2, (uint32_t)(l2 + burst.len[i]), 0, p.ts_ns, &perr)) goto write_fail;
      }
      continue;
    }
    size_t out_len = 0;
    esp_reason res = esp_decrypt(&db, ip, ip_len, p.ts_ns, buf + l2, cap - l2, &out_len, &info);
    if (vec) write_vector(vec, p.index, a.encrypt, &info, ip_len, out_len, -1);
    if (res == ESP_R_HOST_IKE || res == ESP_R_HOST_KEEPALIVE) {
      if (x && !pcapio_write(x, p.data, p.caplen, p.origlen, p.ts_ns, &perr)) goto write_fail;
      continue;
    }
    if (res != ESP_R_OK) continue;
    if (l2) set_ethertype(buf, l2);
    if (!pcapio_write(w, buf, (uint32_t)(l2 + out_len), 0, p.ts_ns, &perr)) goto write_fail;
  }
  if (more < 0) {
    fprintf(stderr, "%s\n", perr.msg);
    goto done;
  }
  pcapio_writer *w0 = w, *x0 = x;
  w = x = NULL;
  errno = 0;
  if (!pcapio_close_write(w0, &perr) || (x0 && !pcapio_close_write(x0, &perr))) goto write_fail_closed;
  vec = NULL; /* closed by its commit */
  /* every output complete before any is renamed: a failure leaves none of them behind */
  if ((a.vectors && !out_finish(&out_v, oerr, sizeof oerr)) || !out_commit(&out_w, oerr, sizeof oerr) ||
      (a.exceptions && !out_commit(&out_x, oerr, sizeof oerr)) || (a.vectors && !out_commit(&out_v, oerr, sizeof oerr))) {
    rc = output_error(oerr);
    goto done;
  }
  print_stats(&db, a.encrypt);
  if (*db.global.v[IPSEC_CTR_CAPTURE_TRUNCATED])
    printf("\nNote: %llu input records were cut short by the capture's snaplen (caplen < len) "
           "and were not processed (capture_truncated).\n",
           (unsigned long long)*db.global.v[IPSEC_CTR_CAPTURE_TRUNCATED]);
  rc = IPSECSIM_EXIT_OK;
  goto done;
write_fail:
  {
    write_errno = errno;
    pcapio_err ignored;
    if (w) pcapio_close_write(w, &ignored);
    if (x) pcapio_close_write(x, &ignored);
    w = x = NULL;
  }
write_fail_closed:
  if (!write_errno) write_errno = errno;
  if (!strstr(perr.msg, "write failed")) write_errno = 0; /* not a system error (snaplen) */
  out_fix_message(&out_w, perr.msg, sizeof perr.msg, write_errno);
  out_fix_message(&out_x, perr.msg, sizeof perr.msg, 0);
  rc = output_error(perr.msg);
  goto done;
open_fail:
  rc = output_error(oerr);
done:
  if (w) pcapio_close_write(w, &perr);
  if (x) pcapio_close_write(x, &perr);
  if (r) pcapio_close_read(r);
  out_abort(&out_w); /* no-ops once committed: a failed run leaves no output behind */
  out_abort(&out_x);
  out_abort(&out_v); /* closes vec */
  cli_cleanup_untrack_all();
  free(buf);
  free(host);
  free(infos);
  sa_db_free(&db);
  stats_destroy(reg);
  return rc;
}
