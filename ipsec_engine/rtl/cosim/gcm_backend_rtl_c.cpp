// The C entry points of gcm_backend_rtl.h: the Verilated core (GcmBackendRtl) configured from
// the engine's parameters, with the scoreboard that checks every packet it finishes against
// OpenSSL (gcm_rtl_check.hpp names the first wrong block through gcm_ref).
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "gcm_backend_rtl.hpp"
#include "gcm_rtl_check.hpp"
#include "gcm_rtl_wave.hpp"

extern "C" {
#include "ipsec_engine/gcm.h"
#include "ipsec_engine/gcm_backend_rtl.h"
#include "ipsec_engine/gcm_timing.h"
}

namespace {

// What the core must produce for one packet: its input and OpenSSL's output.
struct Expected {
  uint64_t number = 0;  // packets submitted before it (the scoreboard's packet id)
  uint32_t sa = 0;
  GcmRtlPacket in;
  std::vector<uint8_t> text;
  uint8_t tag[16] = {};
};

struct Cosim {
  gcm_backend_rtl_cfg cfg{};
  std::unique_ptr<GcmBackendRtl> be;
  std::vector<std::vector<uint8_t>> keys;
  std::vector<gcm_ctx *> ctx;  // OpenSSL per SA
  std::vector<bool> decrypt;   // per SA: inbound
  std::vector<Expected> exp;   // by engine job id (an id is not reused before its tag popped)
  uint64_t submitted = 0;
  const gcm_backend_packet *given = nullptr;  // the packet being submitted, when it has bytes
  std::unique_ptr<GcmRtlWave> wave;           // --wave: closed before the core
  gcm_backend_hooks hooks{};
  ~Cosim()
  {
    for (gcm_ctx *c : ctx) gcm_free(c);
  }
};

// Deterministic pattern bytes of packet `number` on SA `sa` (descriptors carry no bytes).
void pattern(uint64_t number, uint32_t sa, uint8_t iv[12], std::vector<uint8_t> &aad, std::vector<uint8_t> &text)
{
  uint64_t x = number * 0x9E3779B97F4A7C15ull ^ ((uint64_t)sa << 32 | 0x5A5Au);
  auto next = [&x]() {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return (uint8_t)(x >> 24);
  };
  for (int i = 0; i < 12; i++) iv[i] = next();
  for (uint8_t &b : aad) b = next();
  for (uint8_t &b : text) b = next();
}

// OpenSSL's result for p's plaintext; a decrypt SA's core gets that ciphertext and its tag.
void expect(Cosim *c, Expected &e, GcmRtlPacket &p)
{
  p.decrypt = false;
  e.text.resize(p.text.size());
  gcm_encrypt(c->ctx[p.sa], p.iv, p.aad.data(), p.aad.size(), p.text.data(), p.text.size(), e.text.data(), e.tag);
  if (c->decrypt[p.sa]) {  // the core decrypts OpenSSL's ciphertext and compares the tag
    p.decrypt = true;
    std::swap(p.text, e.text);  // in: ciphertext; expected out: the plaintext
    std::memcpy(p.expected_tag, e.tag, 16);
  }
  e.in = p;
}

void fill(Cosim *c, uint32_t id, GcmRtlPacket &p, const gcm_backend_packet *given)
{
  if (c->exp.size() <= id) c->exp.resize(id + 1u);
  Expected &e = c->exp[id];
  e.number = c->submitted++;
  e.sa = p.sa;
  if (given && given->text) {
    std::memcpy(p.iv, given->iv, 12);
    if (given->aad) p.aad.assign(given->aad, given->aad + p.aad.size());
    p.text.assign(given->text, given->text + p.text.size());
  } else {
    pattern(e.number, p.sa, p.iv, p.aad, p.text);
  }
  expect(c, e, p);
}

void check(Cosim *c, GcmRtlDone &d)
{
  const Expected &e = c->exp[(uint32_t)d.id];
  const std::string msg = gcm_rtl_check(c->keys[e.sa], e.in, e.text, e.tag, d);
  if (msg.empty()) return c->cfg.on_checked(c->cfg.msg_ctx, (uint32_t)d.id, nullptr);
  const std::string full = "scoreboard: packet " + std::to_string(e.number) + " (engine job " +
                           std::to_string(d.id) + "), SA " + std::to_string(e.sa) + ": " + msg;
  c->cfg.on_checked(c->cfg.msg_ctx, (uint32_t)d.id, full.c_str());
}

// The backend's operations with the Cosim as context (forwarded to its GcmBackendRtl).
GcmBackendRtl &rtl(void *be) { return *static_cast<Cosim *>(be)->be; }
const GcmBackendRtl &rtl(const void *be) { return *static_cast<const Cosim *>(be)->be; }
void op_submit(void *be, const gcm_backend_packet *p)
{
  Cosim *c = static_cast<Cosim *>(be);
  c->given = p->text ? p : nullptr;
  c->be->submit(p);
  c->given = nullptr;
}
sim_fs op_next(const void *be) { return rtl(be).next_event_fs(); }
void op_advance(void *be, sim_fs t) { rtl(be).advance(t); }
void op_ready(void *be, uint64_t cycle, bool r) { rtl(be).set_out_ready(cycle, r); }
void op_stats(const void *be, gcm_backend_stats *s) { rtl(be).stats(s); }
const gcm_backend_ops kOps = {"rtl", op_submit, op_next, op_advance, op_ready, op_stats};

}  // namespace

extern "C" void *gcm_backend_rtl_open(const gcm_backend_rtl_cfg *c, const gcm_backend_hooks *hooks,
                                      const gcm_backend_ops **ops, char *why, size_t why_len)
{
  auto fail = [&](const std::string &s) -> void * {
    std::snprintf(why, why_len, "%s", s.c_str());
    return nullptr;
  };
  const unsigned slots = 8;  // gcm_core SLOTS
  auto range = [&](const char *field, uint64_t v, uint64_t lo, uint64_t hi, const char *what) -> bool {
    if (v >= lo && v <= hi) return true;
    fail(std::string("engine.") + field + ": " + std::to_string(v) + ": " + what + " (allowed: " +
         std::to_string(lo) + ".." + std::to_string(hi) + " with --gcm-model rtl)");
    return false;
  };
  if (!range("lanes", c->lanes, 1, 4, "the Verilated core is built with 1, 2, 3 or 4 lanes") ||
      !range("out_fifo_depth", c->out_fifo_depth, 1, 1024, "the core's output FIFO holds 1024 beats per lane") ||
      !range("reorder_depth", c->reorder_depth, 1, 64, "the core's per-SA reorder holds 64 packets") ||
      !range("overhead_cycles", c->overhead_cycles, 0, 65535, "the core's overhead register has 16 bits"))
    return nullptr;
  // SA slots (gcm_timing.h item 6): every SA in its own key slot when the engine's SA cache
  // never misses (entries >= SAs <= 8); else the core's key cache, which has 8 slots and 16
  // SA contexts, so the engine's cache must have 8 entries.
  const bool cache = c->sa_cache_entries < c->n_sas || c->n_sas > slots;
  if (c->n_sas > 16)
    return fail("ipsec.tunnels: " + std::to_string(c->n_sas) + " SAs on one engine: the Verilated core holds 16 SA "
                "contexts (allowed: up to 16 SAs, i.e. 8 tunnels per anchor slice, with --gcm-model rtl)");
  unsigned later = 0;  // SAs installed under traffic (events:)
  for (unsigned s = 0; c->at_start && s < c->n_sas; s++) later += !c->at_start[s];
  if (cache && later)
    return fail("gcm_model: rtl: events: " + std::to_string(c->n_sas) + " SAs on the core's key cache "
                "(engine.sa_cache_entries " + std::to_string(c->sa_cache_entries) + "): it takes no SA installs "
                "under traffic (allowed: events: with up to 8 SAs per slice, sa_cache_entries >= SAs)");
  if (cache && c->sa_cache_entries != slots)
    return fail("engine.sa_cache_entries: " + std::to_string(c->sa_cache_entries) + " with " + std::to_string(c->n_sas) +
                " SAs: the Verilated core caches 8 SA contexts (allowed: 8, or at least the SAs up to 8 SAs, with "
                "--gcm-model rtl)");
  for (unsigned s = 0; cache && c->sa_miss_cycles && s < c->n_sas; s++)
    if (c->sa_miss_cycles != gcm_key_fill_cycles(c->key_len[s] == 32 ? 256 : 128))
      return fail("engine.sa_miss_cycles: " + std::to_string(c->sa_miss_cycles) + ": the core's fill takes " +
                  std::to_string(gcm_key_fill_cycles(c->key_len[s] == 32 ? 256 : 128)) + " cycles for SA " +
                  std::to_string(s) + " (allowed: 0, the core's own fill time, with --gcm-model rtl)");
  if ((c->fault == GCM_RTL_FAULT_EXTRA_STAGE || c->fault == GCM_RTL_FAULT_FLIP_BIT) && c->lanes != 1)
    return fail("engine.lanes: " + std::to_string(c->lanes) + ": the test fault builds have 1 lane (allowed: 1 with IPSECSIM_RTL_TEST_FAULT)");
  std::unique_ptr<Cosim> cs(new Cosim);
  cs->cfg = *c;
  cs->hooks = *hooks;
  for (unsigned s = 0; s < c->n_sas; s++) {
    cs->keys.emplace_back(c->keys[s], c->keys[s] + c->key_len[s]);
    cs->decrypt.push_back(c->decrypt[s]);
    cs->ctx.push_back(gcm_new(c->keys[s], c->key_len[s]));
    if (!cs->ctx.back()) return fail("sa " + std::to_string(s) + ": key length " + std::to_string(c->key_len[s]) +
                                     " (allowed: 16, 32)");
  }
  GcmBackendRtlConfig rc;
  rc.lanes = c->lanes;
  rc.overhead_cycles = c->overhead_cycles;
  rc.out_fifo_depth = c->out_fifo_depth;
  rc.reorder_depth = c->reorder_depth;
  rc.pin = c->pin;
  rc.period_fs = c->period_fs;
  rc.n_sas = c->n_sas ? c->n_sas : 1;
  rc.key_cache = cache;
  if (later) rc.at_start.assign(c->at_start, c->at_start + c->n_sas);
  rc.window_from = c->window_from;
  rc.window_to = c->window_to;
  rc.fault_extra_stage = c->fault == GCM_RTL_FAULT_EXTRA_STAGE;
  rc.fault_flip_bit = c->fault == GCM_RTL_FAULT_FLIP_BIT;
  rc.install_delay = c->fault == GCM_RTL_FAULT_LATE_INSTALL ? 1 : 0;
  std::string err;
  cs->be = GcmBackendRtl::create(rc, *hooks, cs->keys, err);
  if (!cs->be) return fail("engine: the Verilated core refused the configuration: " + err);
  Cosim *self = cs.get();
  cs->be->fill_data = [self](uint32_t id, GcmRtlPacket &p) { fill(self, id, p, self->given); };
  cs->be->on_done = [self](GcmRtlDone &d) { check(self, d); };
  if (c->on_fill) cs->be->on_fill = [self](uint32_t id, uint64_t cyc) { self->cfg.on_fill(self->cfg.msg_ctx, id, cyc); };
  if (hooks->on_first_pop) {
    const gcm_backend_hooks h = *hooks;
    cs->be->on_first_pop = [h](uint32_t id, uint64_t cyc) { h.on_first_pop(h.ctx, id, cyc); };
  }
  *ops = &kOps;
  return cs.release();
}

extern "C" void gcm_backend_rtl_close(void *be) { delete static_cast<Cosim *>(be); }

extern "C" bool gcm_backend_rtl_install(void *be, unsigned sa, uint64_t cycle)
{
  Cosim *c = static_cast<Cosim *>(be);
  return sa < c->keys.size() && c->be->install(sa, c->keys[sa].data(), c->keys[sa].size(), cycle);
}

extern "C" bool gcm_backend_rtl_give(void *be, uint32_t id, const uint8_t *iv, const uint8_t *aad, uint32_t aad_len,
                                     const uint8_t *text, uint32_t text_len)
{
  Cosim *c = static_cast<Cosim *>(be);
  GcmRtlPacket *p = c->be->driver().waiting(id);
  if (!p || id >= c->exp.size() || p->aad.size() != aad_len || p->text.size() != text_len) return false;
  std::memcpy(p->iv, iv, 12);
  p->aad.assign(aad, aad + aad_len);
  p->text.assign(text, text + text_len);
  expect(c, c->exp[id], *p);  // the same packet number: only its bytes change
  return true;
}

extern "C" uint64_t gcm_backend_rtl_cycles(const void *be)
{
  return static_cast<const Cosim *>(be)->be->clocked();
}

extern "C" bool gcm_backend_rtl_wave(void *be, const char *path, sim_fs from, sim_fs to, char *why, size_t why_len)
{
  Cosim *c = static_cast<Cosim *>(be);
  const int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);  // mode 0600 before any byte
  if (fd < 0 || ::fchmod(fd, 0600) != 0) {
    std::snprintf(why, why_len, "--wave %s: cannot create the file (%s)", path, std::strerror(errno));
    if (fd >= 0) ::close(fd);
    return false;
  }
  ::close(fd);
  GcmBackendRtl *b = c->be.get();
  // Verilator's trace of every signal of the core, for the window's cycles only (engine cycle
  // c at c x T: base moves while the core idles); a build without tracing: the ports (below)
  const sim_fs period = c->cfg.period_fs;
  auto when = [b, from, to, period](uint64_t cycle, uint64_t *fs) {
    const sim_fs t = (sim_fs)(cycle - b->base()) * period;
    if (t < from || t >= to) return false;
    *fs = (uint64_t)t;
    return true;
  };
  if (b->driver().open_trace(path, when, period / 2)) return true;
  c->wave = GcmRtlWave::open(path, c->cfg.lanes, from, to, c->cfg.period_fs, 0);
  if (!c->wave) {
    std::snprintf(why, why_len, "--wave %s: cannot write an FST file there", path);
    return false;
  }
  GcmRtlWave *w = c->wave.get();
  // base moves while the core idles: the probe is stamped in engine cycles here
  b->driver().on_probe = [w, b](const GcmRtlProbe &p) {
    GcmRtlProbe q = p;
    q.cycle = p.cycle - b->base();
    w->cycle(q);
  };
  return true;
}
