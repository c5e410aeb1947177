// Model-independent half of the GCM core driver: key material for the key store, beat queues,
// handshake bookkeeping and output reassembly. The Verilated model sits behind
// drive_and_eval()/posedge() (gcm_rtl_model.cpp).
#include "gcm_rtl_driver.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <cstring>

namespace {

uint8_t xtime(uint8_t b) { return (uint8_t)((b << 1) ^ ((b & 0x80) ? 0x1b : 0)); }

uint8_t gf256_mul(uint8_t a, uint8_t b)
{
  uint8_t p = 0;
  while (b) {
    if (b & 1) p ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return p;
}

// S-box from its definition (FIPS-197 5.1.1): multiplicative inverse, then the affine map.
uint8_t sbox(uint8_t a)
{
  uint8_t inv = 0;
  for (unsigned x = 1; x < 256 && a; x++)
    if (gf256_mul(a, (uint8_t)x) == 1) { inv = (uint8_t)x; break; }
  uint8_t s = inv;
  for (int i = 1; i <= 4; i++) s ^= (uint8_t)((inv << i) | (inv >> (8 - i)));
  return (uint8_t)(s ^ 0x63);
}

// FIPS-197 5.2 key expansion into 11 or 15 round keys of 16 bytes.
void expand_key(const uint8_t *key, size_t key_len, uint8_t rk[15][16])
{
  static uint8_t sb[256];
  static bool sb_ready = false;
  if (!sb_ready) {
    for (unsigned i = 0; i < 256; i++) sb[i] = sbox((uint8_t)i);
    sb_ready = true;
  }
  const unsigned nk = (unsigned)key_len / 4, nr = nk + 6, words = 4 * (nr + 1);
  uint8_t w[60][4];
  std::memcpy(w, key, key_len);
  uint8_t rcon = 1;
  for (unsigned i = nk; i < words; i++) {
    uint8_t t[4];
    std::memcpy(t, w[i - 1], 4);
    if (i % nk == 0) {
      uint8_t t0 = t[0];
      t[0] = (uint8_t)(sb[t[1]] ^ rcon);
      t[1] = sb[t[2]];
      t[2] = sb[t[3]];
      t[3] = sb[t0];
      rcon = xtime(rcon);
    } else if (nk > 6 && i % nk == 4) {
      for (auto &x : t) x = sb[x];
    }
    for (int j = 0; j < 4; j++) w[i][j] = (uint8_t)(w[i - nk][j] ^ t[j]);
  }
  std::memset(rk, 0, 15 * 16);
  for (unsigned r = 0; r <= nr; r++) std::memcpy(rk[r], w[4 * r], 16);
}

// GF(2^128) product in GCM's bit order (SP 800-38D Algorithm 1).
void gf128_mul(const uint8_t x[16], const uint8_t y[16], uint8_t out[16])
{
  uint8_t z[16] = {}, v[16];
  std::memcpy(v, y, 16);
  for (int i = 0; i < 128; i++) {
    if (x[i / 8] & (0x80 >> (i % 8)))
      for (int j = 0; j < 16; j++) z[j] ^= v[j];
    bool lsb = v[15] & 1;
    for (int j = 15; j > 0; j--) v[j] = (uint8_t)((v[j] >> 1) | (v[j - 1] << 7));
    v[0] >>= 1;
    if (lsb) v[0] ^= 0xe1;
  }
  std::memcpy(out, z, 16);
}

bool aes_zero_block(const uint8_t *key, size_t key_len, uint8_t h[16])
{
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  const uint8_t zero[16] = {};
  int n = 0;
  bool ok = c && EVP_EncryptInit_ex(c, key_len == 16 ? EVP_aes_128_ecb() : EVP_aes_256_ecb(),
                                    nullptr, key, nullptr) == 1 &&
            EVP_CIPHER_CTX_set_padding(c, 0) == 1 && EVP_EncryptUpdate(c, h, &n, zero, 16) == 1;
  EVP_CIPHER_CTX_free(c);
  return ok && n == 16;
}

}  // namespace

void GcmRtlDriver::init_lanes(unsigned n)
{
  inq_.resize(n);
  flight_.resize(n);
  io_.resize(n);
}

void gcm_rtl_key_words(const uint8_t *key, size_t key_len, uint8_t words[19][16])
{
  uint8_t rk[15][16];
  expand_key(key, key_len, rk);
  std::memcpy(words, rk, sizeof rk);
  uint8_t *h = words[15];
  if (!aes_zero_block(key, key_len, h)) std::fprintf(stderr, "gcm_rtl: OpenSSL AES failed\n");
  for (int p = 1; p < 4; p++) gf128_mul(words[15 + p - 1], h, words[15 + p]);
  std::memset(rk, 0, sizeof rk);
}

void GcmRtlDriver::load_key(unsigned slot, const uint8_t *key, size_t key_len)
{
  uint8_t w[19][16];
  gcm_rtl_key_words(key, key_len, w);
  for (unsigned i = 0; i < 19; i++) {
    Load l{slot, i < 15 ? i : i + 1, key_len == 32, {}};  // load index 16..19 = H^1..H^4
    std::memcpy(l.data, w[i], 16);
    loads_.push_back(l);
  }
  std::memset(w, 0, sizeof w);
}

void GcmRtlDriver::submit(const GcmRtlPacket &p)
{
  auto &q = inq_[p.lane];
  Beat d;
  d.desc = true;
  std::memcpy(d.data, p.iv, 12);
  d.slot = p.slot;
  d.decrypt = p.decrypt;
  d.aad_len = (uint32_t)p.aad.size();
  d.text_len = (uint32_t)p.text.size();
  d.tag_len = p.tag_len;
  d.id = p.id;
  q.push_back(d);
  auto blocks = [&](const std::vector<uint8_t> &v) {
    for (size_t off = 0; off < v.size(); off += 16) {
      Beat b;
      b.id = p.id;
      std::memcpy(b.data, v.data() + off, v.size() - off < 16 ? v.size() - off : 16);
      q.push_back(b);
    }
  };
  blocks(p.aad);
  blocks(p.text);
  Beat e;
  e.end = true;
  e.id = p.id;
  std::memcpy(e.data, p.expected_tag, 16);
  q.push_back(e);
  InFlight f;
  f.d.id = p.id;
  f.d.lane = p.lane;
  f.text_len = p.text.size();
  flight_[p.lane].push_back(f);
}

void GcmRtlDriver::step()
{
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const bool installing = !loads_.empty();  // SA install: no packet enters before it is done
  for (unsigned l = 0; l < io_.size(); l++) {
    auto &io = io_[l];
    io.beat = (installing || inq_[l].empty()) ? nullptr : &inq_[l].front();
    io.in_valid = io.beat && !(in_gap_prob > 0 && u(rng) < in_gap_prob);
    io.out_ready = !(out_stall_prob > 0 && u(rng) < out_stall_prob);
  }
  const Load *ld = loads_.empty() ? nullptr : &loads_.front();
  drive_and_eval(io_, ld);
  posedge();
  cycle_++;
  if (ld) loads_.pop_front();
  for (unsigned l = 0; l < io_.size(); l++) {
    auto &io = io_[l];
    if (io.in_valid && io.in_ready) {
      const Beat &b = inq_[l].front();
      in_beats++;
      for (auto &f : flight_[l]) {
        if (f.d.id != b.id) continue;
        if (b.desc) f.d.desc_cycle = cycle_;
        if (b.end) f.d.end_cycle = cycle_;
        break;
      }
      inq_[l].pop_front();
    }
    if (io.out_valid && io.out_ready) {
      out_beats++;
      if (flight_[l].empty()) {
        std::fprintf(stderr, "gcm_rtl: lane %u output beat with no packet in flight\n", l);
        continue;
      }
      InFlight &f = flight_[l].front();
      if (io.out_is_tag) {
        if (f.d.text.size() != f.text_len && f.d.protocol_error.empty())
          f.d.protocol_error = "tag after " + std::to_string(f.d.text.size()) + " of " +
                               std::to_string(f.text_len) + " text bytes";
        std::memcpy(f.d.tag, io.out_data, 16);
        f.d.tag_match = io.out_match;
        f.d.tag_cycle = cycle_;
        done.push_back(f.d);
        flight_[l].pop_front();
      } else {
        size_t want = f.text_len - f.d.text.size();
        if (want > 16) want = 16;
        if ((io.out_bytes != want || want == 0) && f.d.protocol_error.empty())
          f.d.protocol_error = "text beat of " + std::to_string(io.out_bytes) + " bytes at offset " +
                               std::to_string(f.d.text.size()) + ", expected " + std::to_string(want);
        size_t n = io.out_bytes > 16 ? 16 : io.out_bytes;
        f.d.text.insert(f.d.text.end(), io.out_data, io.out_data + n);
      }
    }
  }
}

bool GcmRtlDriver::idle() const
{
  if (!loads_.empty()) return false;
  for (unsigned l = 0; l < inq_.size(); l++)
    if (!inq_[l].empty() || !flight_[l].empty()) return false;
  return true;
}

bool GcmRtlDriver::run_until_idle(uint64_t max_cycles)
{
  uint64_t stop = cycle_ + max_cycles;
  while (!idle()) {
    if (cycle_ >= stop) return false;
    step();
  }
  return true;
}
