// Test helpers for the ESP transform: hand-built IP packets and an independent ESP encoder
// on OpenSSL EVP (not ipsec_engine/gcm.h), so tests can craft any trailer or field.
#ifndef IPSECSIM_TESTS_ESP_UTIL_H
#define IPSECSIM_TESTS_ESP_UTIL_H

#include <arpa/inet.h>
#include <openssl/evp.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

extern "C" {
#include "ipsec_engine/esp_transform.h"
#include "ipsec_engine/sa.h"
}

namespace esptest {

using Bytes = std::vector<uint8_t>;

inline uint16_t csum(const uint8_t *p, size_t n) {
  uint32_t s = 0;
  for (size_t i = 0; i + 1 < n; i += 2) s += (uint32_t)(p[i] << 8 | p[i + 1]);
  if (n & 1) s += (uint32_t)p[n - 1] << 8;
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return (uint16_t)~s;
}
inline void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
inline void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }
inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
inline uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }

inline Bytes v4addr(const char *s) { Bytes b(4); inet_pton(AF_INET, s, b.data()); return b; }
inline Bytes v6addr(const char *s) { Bytes b(16); inet_pton(AF_INET6, s, b.data()); return b; }

// IPv4 / UDP packet of total length `len` (>= 28) with a payload pattern.
inline Bytes ipv4_udp(size_t len, uint8_t tos = 0, bool df = false, const char *src = "10.0.0.1",
                      const char *dst = "10.1.0.1", uint8_t ttl = 64, uint16_t id = 0x1234) {
  Bytes p(len);
  p[0] = 0x45; p[1] = tos; put16(&p[2], (uint16_t)len); put16(&p[4], id);
  put16(&p[6], df ? 0x4000 : 0); p[8] = ttl; p[9] = 17;
  Bytes s = v4addr(src), d = v4addr(dst);
  memcpy(&p[12], s.data(), 4); memcpy(&p[16], d.data(), 4);
  put16(&p[10], csum(p.data(), 20));
  put16(&p[20], 1234); put16(&p[22], 5678); put16(&p[24], (uint16_t)(len - 20)); put16(&p[26], 0);
  for (size_t i = 28; i < len; i++) p[i] = (uint8_t)(i * 7 + 3);
  return p;
}

// IPv6 / UDP packet of total length `len` (>= 48).
inline Bytes ipv6_udp(size_t len, uint8_t tclass = 0, uint32_t flow = 0x12345,
                      const char *src = "2001:db8:1::1", const char *dst = "2001:db8:2::1") {
  Bytes p(len);
  p[0] = (uint8_t)(0x60 | tclass >> 4); p[1] = (uint8_t)((tclass & 0xf) << 4 | ((flow >> 16) & 0xf));
  put16(&p[2], (uint16_t)flow); put16(&p[4], (uint16_t)(len - 40)); p[6] = 17; p[7] = 64;
  Bytes s = v6addr(src), d = v6addr(dst);
  memcpy(&p[8], s.data(), 16); memcpy(&p[24], d.data(), 16);
  put16(&p[40], 1234); put16(&p[42], 5678); put16(&p[44], (uint16_t)(len - 40)); put16(&p[46], 0);
  for (size_t i = 48; i < len; i++) p[i] = (uint8_t)(i * 5 + 1);
  return p;
}

// Raw AES-GCM on EVP.
inline bool evp_gcm(bool enc, const Bytes &key, const uint8_t nonce[12], const Bytes &aad,
                    const uint8_t *in, size_t n, uint8_t *out, uint8_t tag[16]) {
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  const EVP_CIPHER *ci = key.size() == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
  int l = 0, ok = 1;
  ok &= EVP_CipherInit_ex(c, ci, nullptr, key.data(), nonce, enc ? 1 : 0);
  ok &= EVP_CipherUpdate(c, nullptr, &l, aad.data(), (int)aad.size());
  if (n) ok &= EVP_CipherUpdate(c, out, &l, in, (int)n);
  if (!enc) EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag);
  int fin = EVP_CipherFinal_ex(c, out + n, &l);
  if (enc) EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag);
  EVP_CIPHER_CTX_free(c);
  return ok && fin == 1;
}

struct Keys {
  Bytes key, salt;
};

// ESP packet bytes (SPI .. ICV) for a given plaintext (inner | pad | padlen | nh), written
// independently of the engine: IV = the 64-bit sequence number.
inline Bytes esp_seal(const Keys &k, uint32_t spi, uint64_t seq, bool esn, const Bytes &plain) {
  Bytes e(8 + 8 + plain.size() + 16);
  put32(&e[0], spi); put32(&e[4], (uint32_t)seq);
  put32(&e[8], (uint32_t)(seq >> 32)); put32(&e[12], (uint32_t)seq);
  uint8_t nonce[12];
  memcpy(nonce, k.salt.data(), 4); memcpy(nonce + 4, &e[8], 8);
  Bytes aad(8);
  put32(&aad[0], spi);
  if (esn) { aad.resize(12); put32(&aad[4], (uint32_t)(seq >> 32)); put32(&aad[8], (uint32_t)seq); }
  else put32(&aad[4], (uint32_t)seq);
  evp_gcm(true, k.key, nonce, aad, plain.data(), plain.size(), &e[16], &e[16 + plain.size()]);
  return e;
}

// Opens ESP bytes (SPI .. ICV) with EVP; returns the plaintext (inner | pad | padlen | nh),
// empty when the tag does not verify.
inline Bytes esp_open(const Keys &k, const uint8_t *e, size_t len, bool esn = false,
                      uint32_t seq_high = 0) {
  if (len < 8 + 8 + 16) return {};
  size_t ct = len - 8 - 8 - 16;
  uint8_t nonce[12];
  memcpy(nonce, k.salt.data(), 4);
  memcpy(nonce + 4, e + 8, 8);
  Bytes aad(e, e + 8);
  if (esn) { aad.resize(12); put32(&aad[4], seq_high); put32(&aad[8], get32(e + 4)); }
  Bytes pt(ct + 16);
  uint8_t tag[16];
  memcpy(tag, e + 16 + ct, 16);
  if (!evp_gcm(false, k.key, nonce, aad, e + 16, ct, pt.data(), tag)) return {};
  pt.resize(ct);
  return pt;
}

// The inner packet of an ESP plaintext (trailer removed).
inline Bytes esp_inner(const Bytes &pt) {
  if (pt.size() < 2 || pt[pt.size() - 2] + 2u > pt.size()) return {};
  return Bytes(pt.begin(), pt.end() - 2 - pt[pt.size() - 2]);
}

// inner | 1,2,3.. pad to 4-byte alignment | pad length | next header
inline Bytes esp_plain(const Bytes &inner, uint8_t nh, int pad = -1, uint8_t first_pad = 1) {
  size_t p = pad >= 0 ? (size_t)pad : (4 - (inner.size() + 2) % 4) % 4;
  Bytes b = inner;
  for (size_t i = 0; i < p; i++) b.push_back((uint8_t)(first_pad + i));
  b.push_back((uint8_t)p);
  b.push_back(nh);
  return b;
}

inline Bytes outer_v4(const Bytes &payload, const char *src, const char *dst, uint8_t proto = 50,
                      uint8_t tos = 0, uint16_t frag = 0) {
  Bytes p(20);
  p[0] = 0x45; p[1] = tos; put16(&p[2], (uint16_t)(20 + payload.size())); put16(&p[6], frag);
  p[8] = 64; p[9] = proto;
  Bytes s = v4addr(src), d = v4addr(dst);
  memcpy(&p[12], s.data(), 4); memcpy(&p[16], d.data(), 4);
  put16(&p[10], csum(p.data(), 20));
  p.insert(p.end(), payload.begin(), payload.end());
  return p;
}

inline Bytes outer_v6(const Bytes &payload, const char *src, const char *dst, uint8_t nh = 50,
                      uint8_t tclass = 0) {
  Bytes p(40);
  p[0] = (uint8_t)(0x60 | tclass >> 4); p[1] = (uint8_t)((tclass & 0xf) << 4);
  put16(&p[4], (uint16_t)payload.size()); p[6] = nh; p[7] = 64;
  Bytes s = v6addr(src), d = v6addr(dst);
  memcpy(&p[8], s.data(), 16); memcpy(&p[24], d.data(), 16);
  p.insert(p.end(), payload.begin(), payload.end());
  return p;
}

inline Bytes udp_wrap(uint16_t sport, uint16_t dport, const Bytes &payload) {
  Bytes u(8);
  put16(&u[0], sport); put16(&u[2], dport); put16(&u[4], (uint16_t)(8 + payload.size()));
  u.insert(u.end(), payload.begin(), payload.end());
  return u;
}

inline sa_config make_cfg(const char *name, sa_dir dir, uint32_t spi, const Keys &k,
                          const char *local, const char *remote, bool esn = false) {
  sa_config c;
  memset(&c, 0, sizeof c);
  snprintf(c.name, sizeof c.name, "%s", name);
  c.dir = dir;
  c.spi = spi;
  c.alg = k.key.size() == 16 ? SA_AES128_GCM : SA_AES256_GCM;
  memcpy(c.key, k.key.data(), k.key.size());
  c.key_len = k.key.size();
  memcpy(c.salt, k.salt.data(), 4);
  sa_parse_addr(local, &c.local);
  sa_parse_addr(remote, &c.remote);
  c.esn = esn;
  c.replay_window = 64;
  c.tunnel_mtu = 9000;
  c.df = SA_DF_CLEAR;
  c.outer_ttl = 64;
  return c;
}

inline Keys keys128() {
  Keys k;
  for (int i = 0; i < 16; i++) k.key.push_back((uint8_t)(0x10 + i));
  k.salt = {0xca, 0xfe, 0xba, 0xbe};
  return k;
}
inline Keys keys256() {
  Keys k;
  for (int i = 0; i < 32; i++) k.key.push_back((uint8_t)(0x80 + i));
  k.salt = {0xde, 0xad, 0xbe, 0xef};
  return k;
}

}  // namespace esptest
#endif
