// The transparent reference GCM against independent values: FIPS 197 and the GCM spec's
// published test cases, then OpenSSL (gcm.h) on random inputs of every shape.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "test_hex.h"

extern "C" {
#include "ipsec_engine/gcm.h"
#include "ipsec_engine/gcm_ref.h"
}

// FIPS 197 Appendix C.1 and C.3.
TEST(GcmRefAes, Fips197AppendixC) {
  const auto pt = unhex("00112233445566778899aabbccddeeff");
  gcm_ref_key k;
  uint8_t out[16];
  ASSERT_TRUE(gcm_ref_key_init(&k, unhex("000102030405060708090a0b0c0d0e0f").data(), 16));
  gcm_ref_aes_encrypt_block(&k, pt.data(), out);
  EXPECT_EQ(tohex(out, 16), "69c4e0d86a7b0430d8cdb78070b4c55a");
  ASSERT_TRUE(gcm_ref_key_init(&k, unhex("000102030405060708090a0b0c0d0e0f1011121314151617").data(), 24));
  gcm_ref_aes_encrypt_block(&k, pt.data(), out);
  EXPECT_EQ(tohex(out, 16), "dda97ca4864cdfe06eaf70a0ec0d7191");
  ASSERT_TRUE(gcm_ref_key_init(&k, unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f").data(), 32));
  gcm_ref_aes_encrypt_block(&k, pt.data(), out);
  EXPECT_EQ(tohex(out, 16), "8ea2b7ca516745bfeafc49904b496089");
  EXPECT_FALSE(gcm_ref_key_init(&k, pt.data(), 15));
}

// McGrew & Viega, "The Galois/Counter Mode of Operation", test case 4 (AES-128, 60-byte
// plaintext, 20-byte AAD): every intermediate the trace exposes is printed in the spec.
TEST(GcmRef, SpecTestCase4Trace) {
  const auto key = unhex("feffe9928665731c6d6a8f9467308308");
  const auto iv = unhex("cafebabefacedbaddecaf888");
  const auto pt = unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  const auto aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  gcm_ref_key k;
  ASSERT_TRUE(gcm_ref_key_init(&k, key.data(), key.size()));
  std::vector<uint8_t> ct(pt.size());
  uint8_t tag[16];
  gcm_ref_block ks[4], ctr[4], gh[2 + 4 + 1];
  gcm_ref_trace t{};
  t.keystream = ks, t.counter = ctr, t.ghash_partial = gh;
  gcm_ref_crypt(&k, iv.data(), aad.data(), aad.size(), pt.data(), pt.size(), ct.data(), tag, false, &t);
  EXPECT_EQ(tohex(t.h.b, 16), "b83b533708bf535d0aa6e52980d53b78");
  EXPECT_EQ(tohex(t.ek_j0.b, 16), "3247184b3c4f69a44dbcd22887bbb418");
  EXPECT_EQ(tohex(t.j0.b, 16), "cafebabefacedbaddecaf88800000001");
  EXPECT_EQ(tohex(ctr[0].b, 16), "cafebabefacedbaddecaf88800000002");
  EXPECT_EQ(tohex(ks[0].b, 16), "9bb22ce7d9f372c1ee2b28722b25f206");
  EXPECT_EQ(t.n_keystream, 4u);
  EXPECT_EQ(t.n_ghash, 7u);
  EXPECT_EQ(tohex(gh[0].b, 16), "ed56aaf8a72d67049fdb9228edba1322");  // X1 (AAD block 1)
  EXPECT_EQ(tohex(gh[6].b, 16), tohex(t.s.b, 16));
  EXPECT_EQ(tohex(t.s.b, 16), "698e57f70e6ecc7fd9463b7260a9ae5f");
  EXPECT_EQ(tohex(t.len_block.b, 16), "00000000000000a000000000000001e0");
  EXPECT_EQ(tohex(ct.data(), ct.size()), "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091");
  EXPECT_EQ(tohex(tag, 16), "5bc94fbc3221a5db94fae95ae7121a47");
}

TEST(GcmRef, GfMultIdentityAndCommutative) {
  std::mt19937_64 rng(7);
  uint8_t one[16] = {0x80}, a[16], b[16], ab[16], ba[16], a1[16];
  for (int n = 0; n < 200; n++) {
    for (int i = 0; i < 16; i++) a[i] = (uint8_t)rng(), b[i] = (uint8_t)rng();
    gcm_ref_gf_mult(a, one, a1);
    EXPECT_EQ(tohex(a1, 16), tohex(a, 16));
    gcm_ref_gf_mult(a, b, ab);
    gcm_ref_gf_mult(b, a, ba);
    EXPECT_EQ(tohex(ab, 16), tohex(ba, 16));
  }
}

// Random inputs of every shape against OpenSSL: key sizes, AAD 0..40, text 0..300 bytes,
// both directions, and the decrypt tag check including a flipped bit.
TEST(GcmRef, MatchesOpenSslOnRandomInputs) {
  std::mt19937_64 rng(20261127);
  for (size_t key_len : {16u, 24u, 32u}) {
    for (int n = 0; n < 400; n++) {
      std::vector<uint8_t> key(key_len), aad(rng() % 41), pt(n < 300 ? n : rng() % 2049);
      uint8_t iv[12];
      for (auto &x : key) x = (uint8_t)rng();
      for (auto &x : aad) x = (uint8_t)rng();
      for (auto &x : pt) x = (uint8_t)rng();
      for (auto &x : iv) x = (uint8_t)rng();
      gcm_ref_key rk;
      ASSERT_TRUE(gcm_ref_key_init(&rk, key.data(), key_len));
      std::vector<uint8_t> ct_ref(pt.size() + 1), ct_ossl(pt.size() + 1), back(pt.size() + 1);
      uint8_t tag_ref[16], tag_ossl[16], tag_dec[16];
      gcm_ref_crypt(&rk, iv, aad.data(), aad.size(), pt.data(), pt.size(), ct_ref.data(), tag_ref, false, nullptr);
      gcm_ctx *c = gcm_new(key.data(), key_len);
      ASSERT_NE(c, nullptr);
      ASSERT_TRUE(gcm_encrypt(c, iv, aad.data(), aad.size(), pt.data(), pt.size(), ct_ossl.data(), tag_ossl));
      ASSERT_EQ(tohex(ct_ref.data(), pt.size()), tohex(ct_ossl.data(), pt.size())) << "len " << pt.size();
      ASSERT_EQ(tohex(tag_ref, 16), tohex(tag_ossl, 16)) << "len " << pt.size() << " aad " << aad.size();
      gcm_ref_crypt(&rk, iv, aad.data(), aad.size(), ct_ref.data(), pt.size(), back.data(), tag_dec, true, nullptr);
      ASSERT_EQ(tohex(back.data(), pt.size()), tohex(pt.data(), pt.size()));
      ASSERT_EQ(tohex(tag_dec, 16), tohex(tag_ref, 16));
      ASSERT_TRUE(gcm_decrypt(c, iv, aad.data(), aad.size(), ct_ossl.data(), pt.size(), back.data(), tag_ossl, 16));
      tag_ossl[n % 16] ^= (uint8_t)(1u << (n % 8));
      ASSERT_FALSE(gcm_decrypt(c, iv, aad.data(), aad.size(), ct_ossl.data(), pt.size(), back.data(), tag_ossl, 16));
      gcm_free(c);
    }
  }
}

TEST(Gcm, RejectsBadKeyLength) {
  uint8_t key[33] = {0};
  EXPECT_EQ(gcm_new(key, 20), nullptr);
  EXPECT_EQ(gcm_new(key, 0), nullptr);
}

// gcm_encrypt_parts: random splits into up to 4 parts (0-length parts included, also all
// empty) give the ciphertext and tag of gcm_encrypt over the whole text and of the
// independent reference GCM.
TEST(Gcm, EncryptPartsMatchesWholeAndReference) {
  std::mt19937_64 rng(4303);
  for (size_t key_len : {16u, 32u}) {
    for (int n = 0; n < 300; n++) {
      std::vector<uint8_t> key(key_len), aad(rng() % 13), pt(n < 100 ? n : n < 200 ? 1500 : rng() % 2049);
      uint8_t iv[12];
      for (auto &x : key) x = (uint8_t)rng();
      for (auto &x : aad) x = (uint8_t)rng();
      for (auto &x : pt) x = (uint8_t)rng();
      for (auto &x : iv) x = (uint8_t)rng();
      const size_t nparts = 1 + rng() % 4;
      std::vector<size_t> cut(nparts + 1, 0);
      for (size_t i = 1; i < nparts; i++) cut[i] = pt.empty() ? 0 : rng() % (pt.size() + 1);
      std::sort(cut.begin() + 1, cut.begin() + nparts);
      cut[nparts] = pt.size();
      if (n % 7 == 0 && nparts > 1) cut[1] = cut[0];  // force a 0-length first part
      std::vector<gcm_part> parts;
      for (size_t i = 0; i < nparts; i++)
        parts.push_back({pt.data() + cut[i], cut[i + 1] - cut[i]});
      if (n % 5 == 0) parts.push_back({nullptr, 0});  // trailing empty part
      gcm_ctx *c = gcm_new(key.data(), key_len);
      ASSERT_NE(c, nullptr);
      std::vector<uint8_t> whole(pt.size() + 1), split(pt.size() + 1), ref(pt.size() + 1);
      uint8_t tw[16], ts[16], tr[16];
      ASSERT_TRUE(gcm_encrypt(c, iv, aad.data(), aad.size(), pt.data(), pt.size(), whole.data(), tw));
      ASSERT_TRUE(gcm_encrypt_parts(c, iv, aad.data(), aad.size(), parts.data(), parts.size(),
                                    split.data(), ts));
      gcm_ref_key rk;
      ASSERT_TRUE(gcm_ref_key_init(&rk, key.data(), key_len));
      gcm_ref_crypt(&rk, iv, aad.data(), aad.size(), pt.data(), pt.size(), ref.data(), tr, false, nullptr);
      ASSERT_EQ(tohex(split.data(), pt.size()), tohex(whole.data(), pt.size())) << "len " << pt.size();
      ASSERT_EQ(tohex(split.data(), pt.size()), tohex(ref.data(), pt.size())) << "len " << pt.size();
      ASSERT_EQ(tohex(ts, 16), tohex(tw, 16)) << "len " << pt.size() << " parts " << parts.size();
      ASSERT_EQ(tohex(ts, 16), tohex(tr, 16));
      // in place: the last part already sits where its ciphertext goes
      if (!parts.empty() && parts[nparts - 1].len) {
        std::vector<uint8_t> io(pt.size() + 1);
        std::copy(pt.begin() + (long)cut[nparts - 1], pt.end(), io.begin() + (long)cut[nparts - 1]);
        parts[nparts - 1].p = io.data() + cut[nparts - 1];
        ASSERT_TRUE(gcm_encrypt_parts(c, iv, aad.data(), aad.size(), parts.data(), parts.size(),
                                      io.data(), ts));
        ASSERT_EQ(tohex(io.data(), pt.size()), tohex(whole.data(), pt.size()));
        ASSERT_EQ(tohex(ts, 16), tohex(tw, 16));
      }
      gcm_free(c);
    }
  }
}
