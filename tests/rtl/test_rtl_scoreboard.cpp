// Fault injection into the co-simulation scoreboard (rtl_scoreboard.hpp): the 1-lane core's
// real output beats for four packets are captured, then corrupted one way at a time (a text
// block dropped, duplicated, two swapped, a bit flipped in a text block or in the tag, a wrong
// match flag, a lost tag beat). Each must be caught, and the first message must name the right
// packet and first wrong block with values computed here independently through OpenSSL:
// counter block IV || [b+2]_32 (SP 800-38D 7.1), keystream AES_K(counter), H = AES_K(0^128),
// E(K,J0) with J0 = IV || [1]_32, S = tag XOR E(K,J0).
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "rtl_scoreboard.hpp"

namespace {

std::string hex(const uint8_t *b, size_t n)
{
  std::string s;
  char t[3];
  for (size_t i = 0; i < n; i++) std::snprintf(t, sizeof t, "%02x", b[i]), s += t;
  return s;
}

void aes_block(const std::vector<uint8_t> &key, const uint8_t in[16], uint8_t out[16])
{
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  int n = 0;
  EVP_EncryptInit_ex(c, key.size() == 16 ? EVP_aes_128_ecb() : EVP_aes_256_ecb(), nullptr, key.data(), nullptr);
  EVP_CIPHER_CTX_set_padding(c, 0);
  EVP_EncryptUpdate(c, out, &n, in, 16);
  EVP_CIPHER_CTX_free(c);
}

class RtlScoreboardFaults : public ::testing::Test {
 protected:
  void SetUp() override
  {
    std::mt19937_64 rng(77);
    keys = {{rtl_random_bytes(rng, 16), 0}, {rtl_random_bytes(rng, 32), 1}};
    auto drv = gcm_rtl_make_driver(1, nullptr);
    ASSERT_TRUE(drv);
    for (const RtlKey &k : keys) drv->load_key(k.slot, k.key.data(), k.key.size());
    drv->on_out_beat = [this](const GcmRtlOutBeat &b) { beats.push_back(b); };
    // id 1: encrypt 40 bytes; id 2: encrypt 100 bytes (7 blocks, last of 4), AES-256;
    // id 3: decrypt, right tag; id 4: decrypt, wrong tag.
    pk.push_back(rtl_random_packet(rng, keys[0], 1, 8, 40, false, true));
    pk.push_back(rtl_random_packet(rng, keys[1], 2, 12, 100, false, true));
    pk.push_back(rtl_random_packet(rng, keys[0], 3, 8, 64, true, true));
    pk.push_back(rtl_random_packet(rng, keys[1], 4, 8, 30, true, false));
    for (const GcmRtlPacket &p : pk) drv->submit(p);
    ASSERT_TRUE(drv->run_until_idle(10000));
    ASSERT_EQ(beats.size(), 3u + 1 + 7 + 1 + 4 + 1 + 2 + 1);
  }
  RtlScoreboard verdict(const std::vector<GcmRtlOutBeat> &stream) const
  {
    RtlScoreboard sb(1);
    for (size_t i = 0; i < pk.size(); i++) sb.expect(keys[pk[i].slot], pk[i]);
    for (const GcmRtlOutBeat &b : stream) sb.observe(b);
    sb.finish();
    return sb;
  }
  // Index in beats of text block b of packet 2 (after packet 1's 3 text beats and tag).
  static size_t p2(size_t b) { return 4 + b; }
  // Independent expectations for text block b of packet 2.
  std::string block_words(size_t b) const
  {
    const GcmRtlPacket &p = pk[1];
    uint8_t ctr[16], ks[16];
    std::memcpy(ctr, p.iv, 12);
    const uint32_t c = (uint32_t)b + 2;
    ctr[12] = (uint8_t)(c >> 24), ctr[13] = (uint8_t)(c >> 16), ctr[14] = (uint8_t)(c >> 8), ctr[15] = (uint8_t)c;
    aes_block(keys[1].key, ctr, ks);
    return "first wrong text block " + std::to_string(b) + " counter " + hex(ctr, 16) +
           " keystream(ref) " + hex(ks, 16) + " expected ";
  }
  std::vector<RtlKey> keys;
  std::vector<GcmRtlPacket> pk;
  std::vector<GcmRtlOutBeat> beats;
};

void expect_caught(const RtlScoreboard &sb, const std::string &packet, const std::string &what)
{
  EXPECT_FALSE(sb.ok());
  ASSERT_FALSE(sb.messages().empty());
  const std::string &m = sb.messages()[0];
  EXPECT_EQ(m.rfind(packet, 0), 0u) << m;
  EXPECT_NE(m.find(what), std::string::npos) << "want \"" << what << "\" in: " << m;
}

}  // namespace

TEST_F(RtlScoreboardFaults, CleanStreamPasses) {
  RtlScoreboard sb = verdict(beats);
  EXPECT_TRUE(sb.ok()) << (sb.messages().empty() ? "" : sb.messages()[0]);
  EXPECT_EQ(sb.passed(), 4u);
}

TEST_F(RtlScoreboardFaults, DroppedBlockNamesIt) {
  auto s = beats;
  s.erase(s.begin() + (long)p2(3));
  RtlScoreboard sb = verdict(s);
  expect_caught(sb, "packet 2 ", block_words(3));
  EXPECT_NE(sb.messages()[0].find("protocol: text beat 5 carries 4 bytes, expected 16"), std::string::npos) << sb.messages()[0];
  EXPECT_EQ(sb.passed(), 3u);  // the others still pass: the tag beat delimits packets
}

TEST_F(RtlScoreboardFaults, DroppedLastBlockIsMissing) {
  auto s = beats;
  s.erase(s.begin() + (long)p2(6));
  RtlScoreboard sb = verdict(s);
  expect_caught(sb, "packet 2 ", block_words(6));
  EXPECT_NE(sb.messages()[0].find("got (missing)"), std::string::npos) << sb.messages()[0];
}

TEST_F(RtlScoreboardFaults, DuplicatedBlockNamesTheNextOne) {
  auto s = beats;
  s.insert(s.begin() + (long)p2(3), s[p2(3)]);
  RtlScoreboard sb = verdict(s);
  expect_caught(sb, "packet 2 ", block_words(4));
  const RtlExpect e = rtl_openssl_expect(keys[1], pk[1]);
  EXPECT_NE(sb.messages()[0].find("got " + hex(e.text.data() + 48, 16)), std::string::npos);
  EXPECT_EQ(sb.passed(), 3u);
}

TEST_F(RtlScoreboardFaults, SwappedBlocksNameTheFirst) {
  auto s = beats;
  std::swap(s[p2(2)], s[p2(3)]);
  RtlScoreboard sb = verdict(s);
  const RtlExpect e = rtl_openssl_expect(keys[1], pk[1]);
  expect_caught(sb, "packet 2 ", block_words(2) + hex(e.text.data() + 32, 16) + " got " +
                                     hex(e.text.data() + 48, 16));
}

TEST_F(RtlScoreboardFaults, TextBitFlipNamesTheBlock) {
  auto s = beats;
  s[p2(5)].data[9] ^= 0x20;
  RtlScoreboard sb = verdict(s);
  const RtlExpect e = rtl_openssl_expect(keys[1], pk[1]);
  std::vector<uint8_t> got(e.text.begin() + 80, e.text.begin() + 96);
  got[9] ^= 0x20;
  expect_caught(sb, "packet 2 ", block_words(5) + hex(e.text.data() + 80, 16) + " got " + hex(got.data(), 16));
}

TEST_F(RtlScoreboardFaults, TagBitFlipGivesHashValues) {
  auto s = beats;
  s[p2(7)].data[15] ^= 0x01;  // packet 2's tag beat
  ASSERT_TRUE(s[p2(7)].is_tag);
  RtlScoreboard sb = verdict(s);
  const GcmRtlPacket &p = pk[1];
  const RtlExpect e = rtl_openssl_expect(keys[1], p);
  uint8_t zero[16] = {}, h[16], j0[16] = {}, ekj0[16], sum[16], bad[16];
  aes_block(keys[1].key, zero, h);
  std::memcpy(j0, p.iv, 12);
  j0[15] = 1;
  aes_block(keys[1].key, j0, ekj0);
  for (int i = 0; i < 16; i++) sum[i] = (uint8_t)(e.tag[i] ^ ekj0[i]), bad[i] = e.tag[i];
  bad[15] ^= 0x01;
  expect_caught(sb, "packet 2 ", "wrong tag; H " + hex(h, 16) + " E(K,J0) " + hex(ekj0, 16));
  const std::string &m = sb.messages()[0];
  EXPECT_NE(m.find(" S " + hex(sum, 16) + " tag expected " + hex(e.tag, 16) + " got " + hex(bad, 16)),
            std::string::npos) << m;
  // GHASH partials: one per AAD block (1), text block (7) and the length block, the last = S.
  const std::string partials = m.substr(m.find("GHASH partials:") + 15);
  EXPECT_EQ(std::count(partials.begin(), partials.end(), ' '), 9);
  EXPECT_EQ(partials.substr(partials.size() - 32), hex(sum, 16));
}

TEST_F(RtlScoreboardFaults, WrongMatchFlag) {
  auto s = beats;
  const size_t tag3 = p2(7) + 5;  // packet 3: 4 text beats, then its tag
  ASSERT_TRUE(s[tag3].is_tag && s[tag3].tag_match);
  s[tag3].tag_match = false;
  RtlScoreboard sb = verdict(s);
  expect_caught(sb, "packet 3 ", "wrong match flag; match flag expected 1 got 0");
  EXPECT_EQ(sb.passed(), 3u);
}

TEST_F(RtlScoreboardFaults, LostTagBeat) {
  auto s = beats;
  s.erase(s.begin() + 3);  // packet 1's tag: packet 2's beats now land on packet 1
  RtlScoreboard sb = verdict(s);
  expect_caught(sb, "packet 1 ", "first wrong text block 3");
  EXPECT_NE(sb.messages().back().find("never completed, first packet 4"), std::string::npos)
      << sb.messages().back();
}
