// Benchmark of the Verilated GCM core (printed figures, not a test): simulated cycles per wall
// second of the 1-lane build and of the 2- and 4-lane builds with all lanes busy, on back-to-back
// packets (simple IMIX 7:4:1 of 64/594/1518-byte frames as ESP text, 8-byte AAD). With
// --stim FILE it also writes the first packets' per-cycle stimulus for the Icarus testbench
// (tests/rtl/tb_gcm_bench.v) and prints the checksum the testbench must reproduce;
// tools/bench_rtl.sh runs both and prints the ratio.
#include <atomic>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "rtl_test_util.hpp"

extern "C" {
#include "ipsec_engine/gcm_timing.h"
}

// Heap allocations counted over the timed runs (the driver's hot path must not allocate).
static std::atomic<uint64_t> g_allocs{0};
void *operator new(std::size_t n)
{
  g_allocs++;
  if (void *p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

namespace {

// ESP plaintext of an IPv4 tunnel packet for a clear frame of f bytes: inner IP packet
// (f - 18) + pad to 4 bytes + 2-byte trailer.
size_t esp_text(size_t frame) { return ((frame - 18 + 2 + 3) / 4) * 4; }

std::vector<GcmRtlPacket> make_packets(std::mt19937_64 &rng, const std::vector<RtlKey> &keys, size_t n)
{
  static const size_t mix[12] = {64, 64, 64, 64, 64, 64, 64, 594, 594, 594, 594, 1518};
  std::vector<GcmRtlPacket> v;
  for (size_t i = 0; i < n; i++) {
    const RtlKey &k = keys[i % keys.size()];
    v.push_back(rtl_random_packet(rng, k, i, 8, esp_text(mix[rng() % 12]), false, true));
  }
  return v;
}

// Returns wall seconds of the timed run; *cpu_out gets its process CPU seconds (less sensitive
// to other jobs on a shared machine).
double run(unsigned lanes, const std::vector<RtlKey> &keys, const std::vector<GcmRtlPacket> &pk,
           uint64_t *cycles_out, uint64_t *allocs_out, double *cpu_out)
{
  auto drv = gcm_rtl_make_driver(lanes, nullptr);
  drv->keep_done = false;  // completions counted only: the co-simulation hot path
  for (const RtlKey &k : keys) drv->load_key(k.slot, k.key.data(), k.key.size());
  drv->run_until_idle(1000);
  uint64_t free_from[4] = {};
  for (GcmRtlPacket p : pk) {
    p.lane = gcm_dispatch_lane(free_from, lanes);
    free_from[p.lane] += gcm_cycles_per_packet(p.aad.size(), p.text.size(), 128);
    drv->submit(p);
  }
  const uint64_t c0 = drv->cycle(), a0 = g_allocs;
  auto t0 = std::chrono::steady_clock::now();
  const std::clock_t k0 = std::clock();
  drv->run_until_idle(~0ull >> 2);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  *cpu_out = (double)(std::clock() - k0) / CLOCKS_PER_SEC;
  *allocs_out = g_allocs - a0;
  *cycles_out = drv->cycle() - c0;
  if (drv->packets_done != pk.size())
    std::fprintf(stderr, "rtl_bench: %llu of %zu packets completed\n", (unsigned long long)drv->packets_done, pk.size());
  return s;
}

void write_hex(FILE *f, const uint8_t *b, size_t n)
{
  for (size_t i = 0; i < n; i++) std::fprintf(f, "%02x", b[i]);
}

// One line per cycle: ld_valid ld_slot ld_index ld_aes256 ld_data in_valid in_data in_slot
// in_decrypt in_aad_len in_text_len in_tag_len (hex fields, space separated, read by $fscanf).
void write_stimulus(const char *path, const std::vector<RtlKey> &keys,
                    const std::vector<GcmRtlPacket> &pk, uint8_t checksum[16], size_t *beats)
{
  FILE *f = std::fopen(path, "w");
  // Key loads: the same 19 words (round keys 0..14, H..H^4) the driver writes.
  for (const RtlKey &k : keys) {
    uint8_t w[19][16];
    gcm_rtl_key_words(k.key.data(), k.key.size(), w);
    for (unsigned i = 0; i < 19; i++) {
      std::fprintf(f, "1 %x %x %x ", k.slot, i < 15 ? i : i + 1, k.key.size() == 32);
      write_hex(f, w[i], 16);
      std::fprintf(f, " 0 0 0 0 0 0 0\n");
    }
  }
  std::memset(checksum, 0, 16);
  *beats = 0;
  for (const GcmRtlPacket &p : pk) {
    auto beat = [&](const uint8_t *d, size_t n) {
      uint8_t b[16] = {};
      std::memcpy(b, d, n);
      std::fprintf(f, "0 0 0 0 0 1 ");
      write_hex(f, b, 16);
      std::fprintf(f, " %x %x %zx %zx %x\n", p.slot, p.decrypt, p.aad.size(), p.text.size(), p.tag_len);
    };
    beat(p.iv, 12);
    for (size_t o = 0; o < p.aad.size(); o += 16) beat(p.aad.data() + o, std::min<size_t>(16, p.aad.size() - o));
    for (size_t o = 0; o < p.text.size(); o += 16) beat(p.text.data() + o, std::min<size_t>(16, p.text.size() - o));
    beat(p.expected_tag, 16);
  }
  std::fclose(f);
  // Expected checksum: XOR of every output beat (text blocks zero-padded, tags), from OpenSSL.
  for (const GcmRtlPacket &p : pk) {
    RtlExpect e = rtl_openssl_expect(keys[p.slot], p);
    for (size_t o = 0; o < e.text.size(); o += 16, ++*beats)
      for (size_t j = 0; j < 16 && o + j < e.text.size(); j++) checksum[j] ^= e.text[o + j];
    for (int j = 0; j < 16; j++) checksum[j] ^= e.tag[j];
    ++*beats;
  }
}

}  // namespace

int main(int argc, char **argv)
{
  size_t packets = 20000;
  const char *stim = nullptr;
  size_t stim_packets = 30;
  std::vector<unsigned> lane_list = {1, 2, 3, 4};
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--packets") && i + 1 < argc) packets = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--stim") && i + 1 < argc) stim = argv[++i];
    else if (!std::strcmp(argv[i], "--stim-packets") && i + 1 < argc) stim_packets = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--lanes") && i + 1 < argc) {  // e.g. 1,2 (default 1,2,3,4)
      lane_list.clear();
      for (const char *q = argv[++i]; *q;) {
        char *end = nullptr;
        const unsigned long v = std::strtoul(q, &end, 10);
        if (end == q || v < 1 || v > 4) {
          std::fprintf(stderr, "rtl_bench: --lanes: a comma list of 1, 2, 3, 4\n");
          return 2;
        }
        lane_list.push_back((unsigned)v);
        q = (*end == ',') ? end + 1 : end;
      }
    }
  }
  std::mt19937_64 rng(42);
  std::vector<RtlKey> keys = {{rtl_random_bytes(rng, 16), 0}, {rtl_random_bytes(rng, 32), 1}};
  auto pk = make_packets(rng, keys, packets);
  double base = 0;  // 1-lane CPU seconds per cycle
  for (unsigned lanes : lane_list) {
    uint64_t c = 0, a = 0;
    double cpu = 0, s = run(lanes, keys, pk, &c, &a, &cpu);
    if (lanes == 1) base = cpu / c;
    std::printf("verilator %u lane%s: %llu cycles in %.3f s = %.0f cycles/s wall, %.0f cycles/s CPU",
                lanes, lanes == 1 ? " " : "s", (unsigned long long)c, s, c / s, c / cpu);
    if (lanes == 1)
      std::printf(" (%zu packets, IMIX 7:4:1, AES-128/256 mixed; %llu heap allocations)\n", packets,
                  (unsigned long long)a);
    else if (base > 0)
      std::printf(" (%.2f x the 1-lane CPU cost per cycle; %llu heap allocations)\n", (cpu / c) / base,
                  (unsigned long long)a);
    else
      std::printf(" (%llu heap allocations)\n", (unsigned long long)a);
  }
  if (stim) {
    std::vector<GcmRtlPacket> sp(pk.begin(), pk.begin() + std::min(stim_packets, pk.size()));
    uint8_t ck[16];
    size_t beats = 0;
    write_stimulus(stim, keys, sp, ck, &beats);
    std::printf("stimulus %s: %zu packets, expect %zu output beats, checksum ", stim, sp.size(), beats);
    for (int j = 0; j < 16; j++) std::printf("%02x", ck[j]);
    std::printf("\n");
  }
  return 0;
}
