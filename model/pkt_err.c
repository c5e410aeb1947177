/* Names of the codec error codes (used in drop reasons and test messages). */
#include "pkt_err.h"

static const char *const pkt_err_names[PKT_ERR_COUNT_] = {
    [PKT_OK] = "ok",
    [PKT_ERR_NO_SPACE] = "no_space",
    [PKT_ERR_BAD_FIELD] = "bad_field",
    [PKT_ERR_TRUNCATED_ETH_HDR] = "truncated_eth_hdr",
    [PKT_ERR_TRUNCATED_VLAN_TAG] = "truncated_vlan_tag",
    [PKT_ERR_VLAN_LIMIT] = "vlan_limit",
    [PKT_ERR_TRUNCATED_IPV4_HDR] = "truncated_ipv4_hdr",
    [PKT_ERR_BAD_IP_VERSION] = "bad_ip_version",
    [PKT_ERR_BAD_IHL] = "bad_ihl",
    [PKT_ERR_TRUNCATED_IPV4_OPTIONS] = "truncated_ipv4_options",
    [PKT_ERR_BAD_TOTLEN] = "bad_totlen",
    [PKT_ERR_TOTLEN_EXCEEDS_CAPTURE] = "totlen_exceeds_capture",
    [PKT_ERR_TRUNCATED_IPV6_HDR] = "truncated_ipv6_hdr",
    [PKT_ERR_PAYLEN_EXCEEDS_CAPTURE] = "paylen_exceeds_capture",
    [PKT_ERR_TRUNCATED_EXTHDR] = "truncated_exthdr",
    [PKT_ERR_EXTHDR_EXCEEDS_PACKET] = "exthdr_exceeds_packet",
    [PKT_ERR_EXTHDR_LIMIT] = "exthdr_limit",
    [PKT_ERR_HBH_NOT_FIRST] = "hbh_not_first",
    [PKT_ERR_TRUNCATED_UDP_HDR] = "truncated_udp_hdr",
    [PKT_ERR_BAD_UDP_LEN] = "bad_udp_len",
    [PKT_ERR_UDP_LEN_EXCEEDS_IP_PAYLOAD] = "udp_len_exceeds_ip_payload",
    [PKT_ERR_TRUNCATED_ESP_HDR] = "truncated_esp_hdr",
    [PKT_ERR_ESP_SPI_ZERO] = "esp_spi_zero",
    [PKT_ERR_TRUNCATED_ESP_TRAILER] = "truncated_esp_trailer",
    [PKT_ERR_ESP_PAD_EXCEEDS_PAYLOAD] = "esp_pad_exceeds_payload",
    [PKT_ERR_ESP_BAD_PAD_BYTES] = "esp_bad_pad_bytes",
};

const char *pkt_err_str(pkt_err e) {
  if ((unsigned)e >= PKT_ERR_COUNT_ || !pkt_err_names[e]) return "unknown";
  return pkt_err_names[e];
}
