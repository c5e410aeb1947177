#include "rtl_scoreboard.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

extern "C" {
#include "ipsec_engine/gcm_ref.h"
#include "model/hexutil.h"
}

namespace {

std::string hex(const uint8_t *b, size_t n)
{
  std::string s(2 * n + 1, '\0');
  s.resize(hex_encode(b, n, &s[0], s.size()));
  return s;
}

}  // namespace

std::string rtl_diagnose(const RtlKey &k, const GcmRtlPacket &p, unsigned lane,
                         const std::vector<uint8_t> &text, const uint8_t tag[16], bool tag_match,
                         const std::string &protocol)
{
  const RtlExpect e = rtl_openssl_expect(k, p);
  const bool text_ok = text == e.text, tag_ok = std::memcmp(tag, e.tag, 16) == 0;
  const bool match_ok = !p.decrypt || tag_match == e.match;
  if (protocol.empty() && text_ok && tag_ok && match_ok) return "";

  std::string s = "packet " + std::to_string(p.id) + " (lane " + std::to_string(lane) + ", key " +
                  std::to_string(k.key.size() * 8) + ", aad " + std::to_string(p.aad.size()) +
                  ", text " + std::to_string(p.text.size()) + (p.decrypt ? ", decrypt" : ", encrypt") +
                  "): wrong " + (!text_ok ? "text" : !tag_ok ? "tag" : !match_ok ? "match flag" : "beats");
  if (!protocol.empty()) s += "; protocol: " + protocol;
  if (!match_ok && text_ok && tag_ok)
    return s + "; match flag expected " + (e.match ? "1" : "0") + " got " + (tag_match ? "1" : "0");

  // Name the first wrong block from the transparent reference.
  gcm_ref_key rk;
  gcm_ref_key_init(&rk, k.key.data(), k.key.size());
  const size_t nb = (p.text.size() + 15) / 16, ng = (p.aad.size() + 15) / 16 + nb + 1;
  std::vector<gcm_ref_block> ctr(nb + 1), ks(nb + 1), gh(ng + 1);
  gcm_ref_trace t{};
  t.counter = ctr.data();
  t.keystream = ks.data();
  t.ghash_partial = gh.data();
  std::vector<uint8_t> out(p.text.size() + 1);
  uint8_t rtag[16];
  gcm_ref_crypt(&rk, p.iv, p.aad.data(), p.aad.size(), p.text.data(), p.text.size(), out.data(),
                rtag, p.decrypt, &t);
  if (!text_ok) {
    for (size_t b = 0; b < nb; b++) {
      const size_t n = std::min<size_t>(16, p.text.size() - 16 * b);
      const bool have = text.size() >= 16 * b + n;
      if (have && std::memcmp(text.data() + 16 * b, out.data() + 16 * b, n) == 0) continue;
      return s + "; first wrong text block " + std::to_string(b) + " counter " + hex(ctr[b].b, 16) +
             " keystream(ref) " + hex(ks[b].b, 16) + " expected " + hex(out.data() + 16 * b, n) +
             " got " + (have ? hex(text.data() + 16 * b, n) : "(missing)");
    }
    return s + "; every text block right, then " + std::to_string(text.size() - p.text.size()) +
           " extra text bytes (first wrong text block " + std::to_string(nb) + ")";
  }
  s += "; H " + hex(t.h.b, 16) + " E(K,J0) " + hex(t.ek_j0.b, 16) + " len block " +
       hex(t.len_block.b, 16) + " S " + hex(t.s.b, 16) + " tag expected " + hex(e.tag, 16) +
       " got " + hex(tag, 16) + "; GHASH partials:";
  for (size_t i = 0; i < t.n_ghash; i++) s += " " + hex(gh[i].b, 16);
  return s;
}

void RtlScoreboard::fail(const std::string &m)
{
  if (messages_.size() < 8) messages_.push_back(m);
  errors_++;
}

void RtlScoreboard::expect(const RtlKey &k, const GcmRtlPacket &p)
{
  Pending x;
  x.key = k;
  x.pkt = p;
  lanes_.at(p.lane).push_back(std::move(x));
}

void RtlScoreboard::observe(const GcmRtlOutBeat &b)
{
  if (b.lane >= lanes_.size() || lanes_[b.lane].empty()) {
    fail("lane " + std::to_string(b.lane) + ": output beat at cycle " + std::to_string(b.cycle) +
         " with no packet expected");
    return;
  }
  Pending &x = lanes_[b.lane].front();
  const size_t len = x.pkt.text.size();
  if (!b.is_tag) {
    // Byte-count rules of the output port: 16 per beat, the remainder on the last one.
    const size_t want = std::min<size_t>(16, len - std::min(len, x.text.size()));
    if ((b.bytes != want || want == 0) && x.protocol.empty())
      x.protocol = "text beat " + std::to_string(x.text_beats) + " carries " +
                   std::to_string(b.bytes) + " bytes, expected " + std::to_string(want);
    x.text.insert(x.text.end(), b.data, b.data + std::min(16u, b.bytes));
    x.text_beats++;
    return;
  }
  if (x.text.size() != len && x.protocol.empty())
    x.protocol = "tag after " + std::to_string(x.text_beats) + " text beats (" +
                 std::to_string(x.text.size()) + " of " + std::to_string(len) + " bytes)";
  std::string m = rtl_diagnose(x.key, x.pkt, b.lane, x.text, b.data, b.tag_match, x.protocol);
  if (m.empty()) passed_++;
  else fail(m);
  lanes_[b.lane].pop_front();
}

bool RtlScoreboard::finish()
{
  for (size_t l = 0; l < lanes_.size(); l++)
    if (!lanes_[l].empty())
      fail("lane " + std::to_string(l) + ": " + std::to_string(lanes_[l].size()) +
           " packets never completed, first packet " + std::to_string(lanes_[l].front().pkt.id));
  return ok();
}
