/* Counter names, the reason -> counter map and the seed-layout printer. */
#include "ipsec_counters.h"

#include <stdbool.h>
#include <string.h>

static const struct {
  const char *name, *unit, *desc;
} CTR[IPSEC_CTR_COUNT] = {
    [IPSEC_CTR_ENC_BYTES] = {"encrypted_bytes", "bytes", "clear IP bytes encrypted"},
    [IPSEC_CTR_DEC_BYTES] = {"decrypted_bytes", "bytes", "ESP IP bytes decrypted"},
    [IPSEC_CTR_ENC_PKTS] = {"encrypted_packets", "packets", "packets encrypted"},
    [IPSEC_CTR_DEC_PKTS] = {"decrypted_packets", "packets", "packets decrypted and delivered"},
    [IPSEC_CTR_AH_IN_BYTES] = {"ah_input_bytes", "bytes", "AH (not supported)"},
    [IPSEC_CTR_AH_OUT_BYTES] = {"ah_output_bytes", "bytes", "AH (not supported)"},
    [IPSEC_CTR_AH_IN_PKTS] = {"ah_input_packets", "packets", "AH (not supported)"},
    [IPSEC_CTR_AH_OUT_PKTS] = {"ah_output_packets", "packets", "AH (not supported)"},
    [IPSEC_CTR_AH_AUTH_FAIL] = {"ah_authentication_failures", "packets", "AH (not supported)"},
    [IPSEC_CTR_REPLAY] = {"replay_errors", "packets", "duplicate or left of the window"},
    [IPSEC_CTR_ESP_AUTH_FAIL] = {"esp_authentication_failures", "packets", "ICV mismatch"},
    [IPSEC_CTR_ESP_DECRYPT_FAIL] = {"esp_decryption_failures", "packets",
                                    "ESP body too short for IV, trailer and ICV"},
    [IPSEC_CTR_BAD_HEADERS] = {"bad_headers", "packets",
                               "malformed outer IP/UDP/ESP, unknown SPI, wrong encapsulation, fragment"},
    [IPSEC_CTR_BAD_TRAILERS] = {"bad_trailers", "packets", "pad, pad length or next header wrong"},
    [IPSEC_CTR_DUMMY] = {"dummy_discarded", "packets", "next header 59, discarded"},
    [IPSEC_CTR_SEQ_EXHAUSTED] = {"seq_exhausted", "packets", "outbound sequence number exhausted"},
    [IPSEC_CTR_LIFETIME_EXPIRED] = {"lifetime_expired", "packets", "SA past its hard lifetime"},
    [IPSEC_CTR_ECN_CE_NOT_ECT] = {"ecn_ce_not_ect", "packets", "outer CE over inner Not-ECT"},
    [IPSEC_CTR_NO_SA] = {"no_sa", "packets", "no outbound SA or selector matches"},
    [IPSEC_CTR_EXCEEDS_MTU] = {"exceeds_tunnel_mtu", "packets", "ESP packet above tunnel MTU"},
    [IPSEC_CTR_HOST_IKE] = {"host_ike", "packets", "IKE handed to the host path"},
    [IPSEC_CTR_HOST_KEEPALIVE] = {"host_nat_keepalive", "packets", "NAT keepalive to the host path"},
    [IPSEC_CTR_INNER_INVALID] = {"inner_invalid", "packets", "inner packet not valid IPv4/IPv6 (an IPv6 chain of more than 16 extension headers included)"},
    [IPSEC_CTR_MTU_FRAGMENTED] = {"exceeds_tunnel_mtu_fragmented", "packets",
                                  "inner datagrams pre-fragmented to fit the tunnel MTU"},
    [IPSEC_CTR_MTU_ICMP] = {"exceeds_tunnel_mtu_icmp_sent", "packets",
                            "dropped above tunnel MTU with ICMP frag-needed / ICMPv6 PTB sent"},
    [IPSEC_CTR_SOFT_LIFETIME] = {"soft_lifetime_reached", "events", "soft lifetime reached: rekey due"},
    [IPSEC_CTR_CAPTURE_TRUNCATED] = {"capture_truncated", "packets",
                                     "input records cut short by the capture's snaplen, not processed"},
};

static const struct {
  const char *name;
  ipsec_ctr ctr;
} REASON[ESP_R_COUNT] = {
    [ESP_R_OK] = {"ok", IPSEC_CTR_COUNT},
    [ESP_R_OUTER_MALFORMED] = {"outer_malformed", IPSEC_CTR_BAD_HEADERS},
    [ESP_R_OUTER_FRAGMENT] = {"outer_fragment", IPSEC_CTR_BAD_HEADERS},
    [ESP_R_NOT_ESP] = {"not_esp", IPSEC_CTR_BAD_HEADERS},
    [ESP_R_UDP_MALFORMED] = {"udp_malformed", IPSEC_CTR_BAD_HEADERS},
    [ESP_R_UDP_ENCAP_MISMATCH] = {"udp_encap_mismatch", IPSEC_CTR_BAD_HEADERS},
    [ESP_R_ESP_HDR_TRUNCATED] = {"esp_header_truncated", IPSEC_CTR_BAD_HEADERS},
    [ESP_R_UNKNOWN_SPI] = {"unknown_spi", IPSEC_CTR_BAD_HEADERS},
    [ESP_R_DESTINATION_MISMATCH] = {"destination_mismatch", IPSEC_CTR_BAD_HEADERS},
    [ESP_R_BODY_TOO_SHORT] = {"body_too_short", IPSEC_CTR_ESP_DECRYPT_FAIL},
    [ESP_R_REPLAY_DUPLICATE] = {"replay_duplicate", IPSEC_CTR_REPLAY},
    [ESP_R_REPLAY_TOO_OLD] = {"replay_too_old", IPSEC_CTR_REPLAY},
    [ESP_R_ICV_MISMATCH] = {"icv_mismatch", IPSEC_CTR_ESP_AUTH_FAIL},
    [ESP_R_BAD_PAD_LENGTH] = {"bad_pad_length", IPSEC_CTR_BAD_TRAILERS},
    [ESP_R_BAD_PAD] = {"bad_pad", IPSEC_CTR_BAD_TRAILERS},
    [ESP_R_BAD_NEXT_HEADER] = {"bad_next_header", IPSEC_CTR_BAD_TRAILERS},
    [ESP_R_DUMMY] = {"dummy_discarded", IPSEC_CTR_DUMMY},
    [ESP_R_SEQ_EXHAUSTED] = {"seq_exhausted", IPSEC_CTR_SEQ_EXHAUSTED},
    [ESP_R_LIFETIME_EXPIRED] = {"lifetime_expired", IPSEC_CTR_LIFETIME_EXPIRED},
    [ESP_R_ECN_CE_NOT_ECT] = {"ecn_ce_not_ect", IPSEC_CTR_ECN_CE_NOT_ECT},
    [ESP_R_NO_SA] = {"no_sa", IPSEC_CTR_NO_SA},
    [ESP_R_EXCEEDS_MTU] = {"exceeds_tunnel_mtu", IPSEC_CTR_EXCEEDS_MTU},
    [ESP_R_HOST_IKE] = {"host_ike", IPSEC_CTR_HOST_IKE},
    [ESP_R_HOST_KEEPALIVE] = {"host_nat_keepalive", IPSEC_CTR_HOST_KEEPALIVE},
    [ESP_R_INNER_INVALID] = {"inner_invalid", IPSEC_CTR_INNER_INVALID},
    [ESP_R_MTU_ICMP_SENT] = {"exceeds_tunnel_mtu_icmp_sent", IPSEC_CTR_MTU_ICMP},
    [ESP_R_MTU_ICMP_RATE_LIMITED] = {"exceeds_tunnel_mtu_icmp_rate_limited", IPSEC_CTR_EXCEEDS_MTU},
    [ESP_R_CAPTURE_TRUNCATED] = {"capture_truncated", IPSEC_CTR_CAPTURE_TRUNCATED},
    [ESP_R_SA_DELETED] = {"sa_deleted", IPSEC_CTR_BAD_HEADERS},
};

ipsec_ctr esp_reason_counter(esp_reason r) {
  return (unsigned)r < ESP_R_COUNT ? REASON[r].ctr : IPSEC_CTR_COUNT;
}
const char *esp_reason_name(esp_reason r) {
  if (r == ESP_R_OUTPUT_TOO_SMALL) return "output_buffer_too_small";
  return (unsigned)r < ESP_R_COUNT ? REASON[r].name : "?";
}
const char *ipsec_ctr_name(ipsec_ctr c) {
  return (unsigned)c < IPSEC_CTR_COUNT ? CTR[c].name : "?";
}
const char *ipsec_ctr_doc(ipsec_ctr c) {
  return (unsigned)c < IPSEC_CTR_COUNT ? CTR[c].desc : "?";
}

bool ipsec_counters_init(ipsec_counters *c, stats_registry *reg, const char *prefix) {
  memset(c, 0, sizeof *c);
  for (int i = 0; i < IPSEC_CTR_COUNT; i++) {
    c->v[i] = &c->own[i];
    if (!reg) continue;
    char name[256];
    snprintf(name, sizeof name, "%s.%s", prefix, CTR[i].name);
    stats_counter *r = stats_counter_add(reg, name, CTR[i].unit, CTR[i].desc);
    if (!r) return false;
    c->v[i] = r;
  }
  return true;
}

/* The seed right-aligns values so every line is 35 columns wide. */
static void row(FILE *fp, const char *label, unsigned long long v) {
  fprintf(fp, "  %s%*llu\n", label, (int)(33 - strlen(label)), v);
}

void ipsec_counters_print(const ipsec_counters *c, FILE *fp) {
#define V(i) ((unsigned long long)*c->v[i])
  fprintf(fp, "ESP Statistics:\n");
  row(fp, "Encrypted bytes:", V(IPSEC_CTR_ENC_BYTES));
  row(fp, "Decrypted bytes:", V(IPSEC_CTR_DEC_BYTES));
  row(fp, "Encrypted packets:", V(IPSEC_CTR_ENC_PKTS));
  row(fp, "Decrypted packets:", V(IPSEC_CTR_DEC_PKTS));
  fprintf(fp, "AH Statistics:\n");
  row(fp, "Input bytes:", V(IPSEC_CTR_AH_IN_BYTES));
  row(fp, "Output bytes:", V(IPSEC_CTR_AH_OUT_BYTES));
  row(fp, "Input packets:", V(IPSEC_CTR_AH_IN_PKTS));
  row(fp, "Output packets:", V(IPSEC_CTR_AH_OUT_PKTS));
  fprintf(fp, "Errors:\n");
  fprintf(fp, "  AH authentication failures: %llu, Replay errors: %llu\n",
          V(IPSEC_CTR_AH_AUTH_FAIL), V(IPSEC_CTR_REPLAY));
  fprintf(fp, "  ESP authentication failures: %llu, ESP decryption failures: %llu\n",
          V(IPSEC_CTR_ESP_AUTH_FAIL), V(IPSEC_CTR_ESP_DECRYPT_FAIL));
  fprintf(fp, "  Bad headers: %llu, Bad trailers: %llu\n", V(IPSEC_CTR_BAD_HEADERS),
          V(IPSEC_CTR_BAD_TRAILERS));
  fprintf(fp, "Other events:\n");
  for (int i = IPSEC_CTR_DUMMY; i < IPSEC_CTR_COUNT; i++)
    fprintf(fp, "  %s: %llu\n", CTR[i].name, V(i));
#undef V
}
