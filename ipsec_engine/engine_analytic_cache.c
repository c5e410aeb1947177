/* Closed forms of the engine with its SA context cache (engine.h engine_cache_closed_form).
 *
 * Hit rate under LRU (gcm_timing.h item 6) for N active SAs and E entries:
 *   round-robin: 1 when N <= E, else 0 (the SA needed next is always the least recent one);
 *   uniform random (independent draws): min(1, E/N) (the cache always holds E distinct SAs,
 *   the next draw is uniform over N and independent of them).
 * Under random draws hits and misses are then independent with probability h per datagram
 * (its first ESP packet; the other fragments follow their first: hits).
 * Interleaved streams (engine_cache_closed_form_streams): each entry gets its own hit
 * probability (engine_analytic_lru.c), and the chain below draws hit or miss per datagram
 * with its entry's probability (a datagram's kind = its stream, holds, F and hit
 * probability). The streams take turns as constant-rate sources merge (interleave(): the
 * shares as c_s / b, a period of b <= 64 phases), the phase being part of the chain's state:
 * with two lanes the order matters (at 64 B, 2000 missing outbound SAs beside one hitting
 * inbound SA, independent draws gave 77.7 Mpps where the engine runs 83.9; the phases give
 * the measured figure).
 *
 * Throughput, saturated, sa_dispatch=spray: a miss requests its fill when the packet reaches
 * the FIFO head, i.e. in the cycle the packet ahead was dispatched, and dispatches F cycles
 * later at the earliest; a hit dispatches when the earliest lane is free. With the m lanes'
 * free cycles v (sorted, relative to the last dispatch) a packet of lane hold L dispatches
 * after delta = max(miss ? F : 0, v[0]) cycles, and v becomes {v[0..] - delta clipped at 0,
 * with v[0] replaced by delta + L - delta = L}. This is a finite Markov chain over v (and
 * every integer): its stationary mean of delta per datagram is the exact cycle time, computed
 * here by power iteration on the lazy chain (I + P) / 2 (same stationary law, aperiodic).
 * Special cases it reproduces: all hits: m / L; round-robin misses: 1 / max(F, L/m); with
 * F >= L a miss finds every lane free, giving datagrams per cycle
 *   (1/(1-h)) / (F + L h^m / (1 - h^m))                        (renewal per miss).
 * The fill port's own bound: at most one fill per F cycles: rate <= 1 / ((1-h) F).
 * sa_dispatch=pin: the minimum of the pin ceiling and the fill port's bound (a bound, not
 * exact: flagged in the result). */
#include "engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CF_MAX_STATES 200000u
#define CF_MAX_PHASED_STATES 40000u /* a larger phased chain falls back to independent draws */

typedef struct cf_kind {
  uint32_t n, lf, lm, ll, f; /* ESP packets; hold cycles of first, middle, last; fill F */
  double w, h;               /* share of its stream's datagrams; their hit probability */
  uint32_t stream;           /* its stream in the interleave (0 when not phased) */
} cf_kind;

#define CF_MAX_PHASES 64u

/* The interleave of streams of shares p[s] (sum 1) as the periodic order of constant-rate
 * sources merged: the shares rounded to c_s / b with the smallest b <= CF_MAX_PHASES whose
 * worst error is below 5e-4 (else the best b), stream s's k-th datagram at (k + 1/2) / c_s
 * of the period. seq[0..b-1]: the stream of each phase; returns b (1: one stream). */
static uint32_t interleave(const double *p, size_t ns, uint32_t *seq) {
  uint32_t best = 1, c[CF_MAX_PHASES], bc[CF_MAX_PHASES];
  double best_err = 2;
  if (ns < 2 || ns > CF_MAX_PHASES) return seq[0] = 0, 1;
  for (uint32_t b = (uint32_t)ns; b <= CF_MAX_PHASES && best_err >= 5e-4; b++) {
    uint32_t sum = 0;
    for (size_t k = 0; k < ns; k++) {
      c[k] = (uint32_t)(p[k] * b + 0.5);
      if (!c[k]) c[k] = 1;
      sum += c[k];
    }
    while (sum > b) { /* take from the most rounded-up stream, keeping one each */
      size_t w = ns;
      for (size_t k = 0; k < ns; k++)
        if (c[k] > 1 && (w == ns || c[k] - p[k] * b > c[w] - p[w] * b)) w = k;
      if (w == ns) break;
      c[w]--, sum--;
    }
    while (sum < b) {
      size_t w = 0;
      for (size_t k = 1; k < ns; k++)
        if (p[k] * b - c[k] > p[w] * b - c[w]) w = k;
      c[w]++, sum++;
    }
    double err = 0;
    for (size_t k = 0; k < ns; k++) err = fmax(err, fabs((double)c[k] / b - p[k]));
    if (sum == b && err < best_err) best_err = err, best = b, memcpy(bc, c, ns * sizeof *c);
  }
  uint32_t next[CF_MAX_PHASES] = {0};
  for (uint32_t j = 0; j < best; j++) { /* merge by emission time (k + 1/2) / c_s */
    size_t w = ns;
    for (size_t k = 0; k < ns; k++)
      if (next[k] < bc[k] && (w == ns || (next[k] + 0.5) * bc[w] < (next[w] + 0.5) * bc[k])) w = k;
    seq[j] = (uint32_t)w;
    next[w]++;
  }
  return best;
}

typedef struct cf_chain {
  uint32_t m, n_states, cap;
  uint32_t *v;               /* [cap * m] */
  uint32_t *hash;            /* open addressing, state index + 1 */
  uint32_t hash_cap;
  uint32_t max_states;       /* 0: CF_MAX_STATES */
} cf_chain;

static uint64_t hash_of(const uint32_t *v, uint32_t m) {
  uint64_t h = 1469598103934665603ull;
  for (uint32_t i = 0; i < m; i++) h = (h ^ v[i]) * 1099511628211ull;
  return h;
}

static int cmp_u32(const void *a, const void *b) {
  const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Index of state v, added when new; UINT32_MAX when the chain outgrows CF_MAX_STATES. */
static uint32_t state_id(cf_chain *c, const uint32_t *v) {
  if (2u * (c->n_states + 1u) > c->hash_cap) {
    const uint32_t nc = c->hash_cap ? 2u * c->hash_cap : 1024u;
    uint32_t *nh = calloc(nc, sizeof *nh);
    if (!nh) return UINT32_MAX;
    for (uint32_t s = 0; s < c->n_states; s++) {
      uint64_t k = hash_of(&c->v[(size_t)s * c->m], c->m) & (nc - 1u);
      while (nh[k]) k = (k + 1u) & (nc - 1u);
      nh[k] = s + 1u;
    }
    free(c->hash);
    c->hash = nh, c->hash_cap = nc;
  }
  uint64_t k = hash_of(v, c->m) & (c->hash_cap - 1u);
  for (; c->hash[k]; k = (k + 1u) & (c->hash_cap - 1u))
    if (!memcmp(&c->v[(size_t)(c->hash[k] - 1u) * c->m], v, c->m * sizeof *v)) return c->hash[k] - 1u;
  if (c->n_states == (c->max_states ? c->max_states : CF_MAX_STATES)) return UINT32_MAX;
  if (c->n_states == c->cap) {
    const uint32_t nc = c->cap ? 2u * c->cap : 256u;
    uint32_t *nv = realloc(c->v, (size_t)nc * c->m * sizeof *nv);
    if (!nv) return UINT32_MAX;
    c->v = nv, c->cap = nc;
  }
  memcpy(&c->v[(size_t)c->n_states * c->m], v, c->m * sizeof *v);
  c->hash[k] = c->n_states + 1u;
  return c->n_states++;
}

/* One packet of hold L: returns its delta, updates v (sorted). */
static uint64_t step(uint32_t *v, uint32_t m, uint32_t hold, uint32_t wait) {
  const uint32_t d = wait > v[0] ? wait : v[0];
  v[0] = d + hold;
  for (uint32_t i = 0; i < m; i++) v[i] = v[i] > d ? v[i] - d : 0;
  qsort(v, m, sizeof *v, cmp_u32);
  return d;
}

static uint64_t datagram(uint32_t *v, uint32_t m, const cf_kind *k, bool miss) { /* v[m]: phase, untouched */
  uint64_t t = step(v, m, k->lf, miss ? k->f : 0);
  for (uint32_t i = 1; i < k->n; i++) t += step(v, m, i + 1 == k->n ? k->ll : k->lm, 0);
  return t;
}

typedef struct cf_edge {
  uint32_t to;
  double p, delta;
} cf_edge;

/* Stationary mean cycles per datagram of the chain over (lane free cycles, phase of the
 * interleave seq[0..b-1]); the datagram of a phase is one of its stream's kinds; < 0 when
 * the chain is too large. */
static double mean_cycles(uint32_t m, const cf_kind *kinds, size_t nk, const uint32_t *seq, uint32_t b) {
  cf_chain c = {.m = m + 1, .max_states = b > 1 ? CF_MAX_PHASED_STATES : 0};
  uint32_t *v = calloc(m + 1, sizeof *v);
  const size_t per = 2 * nk;
  cf_edge *e = NULL;
  size_t e_cap = 0;
  double result = -1;
  if (!v || state_id(&c, v) == UINT32_MAX) goto out;
  for (uint32_t s = 0; s < c.n_states; s++) { /* breadth-first: n_states grows as we go */
    if ((size_t)(s + 1) * per > e_cap) {
      e_cap = e_cap ? 2 * e_cap : 1024 * per;
      cf_edge *ne = realloc(e, e_cap * sizeof *ne);
      if (!ne) goto out;
      e = ne;
    }
    const uint32_t phase = c.v[(size_t)s * c.m + m];
    for (size_t k = 0; k < nk; k++)
      for (int miss = 0; miss < 2; miss++) {
        memcpy(v, &c.v[(size_t)s * c.m], c.m * sizeof *v);
        const double p = kinds[k].stream != seq[phase] ? 0 : kinds[k].w * (miss ? 1.0 - kinds[k].h : kinds[k].h);
        const double d = p > 0 ? (double)datagram(v, m, &kinds[k], miss) : 0;
        v[m] = (phase + 1u) % b;
        const uint32_t to = p > 0 ? state_id(&c, v) : s;
        if (to == UINT32_MAX) goto out;
        e[(size_t)s * per + 2 * k + (size_t)miss] = (cf_edge){.to = to, .p = p, .delta = d};
      }
  }
  double *pi = calloc(c.n_states, sizeof *pi), *nx = calloc(c.n_states, sizeof *nx);
  if (!pi || !nx) {
    free(pi), free(nx);
    goto out;
  }
  pi[0] = 1;
  for (uint32_t it = 0; it < 1000000u; it++) {
    for (uint32_t s = 0; s < c.n_states; s++) nx[s] = 0.5 * pi[s];
    for (uint32_t s = 0; s < c.n_states; s++)
      for (size_t x = 0; x < per; x++) nx[e[(size_t)s * per + x].to] += 0.5 * pi[s] * e[(size_t)s * per + x].p;
    double diff = 0;
    for (uint32_t s = 0; s < c.n_states; s++) diff += nx[s] > pi[s] ? nx[s] - pi[s] : pi[s] - nx[s];
    double *tmp = pi;
    pi = nx, nx = tmp;
    if (diff < 1e-13) break;
  }
  result = 0;
  for (uint32_t s = 0; s < c.n_states; s++)
    for (size_t x = 0; x < per; x++) result += pi[s] * e[(size_t)s * per + x].p * e[(size_t)s * per + x].delta;
  free(pi), free(nx);
out:
  free(v), free(e), free(c.v), free(c.hash);
  return result;
}

double engine_sa_cache_hit_rate_cf(uint64_t entries, uint64_t n_active, engine_sa_order order) {
  if (n_active <= entries) return 1.0;
  return order == ENGINE_SA_ORDER_ROUND_ROBIN ? 0.0 : (double)entries / (double)n_active;
}

/* The saturated ceiling for per-entry hit probabilities hit[i]; phased: the datagrams follow
 * the interleave of the entries' streams (else independent draws by weight). */
static bool closed_form_hits(const engine_params *p, const engine_mix_entry *mix, size_t n, const double *hit,
                             bool phased, engine_cache_ceiling *out, char *why, size_t why_len) {
  memset(out, 0, sizeof *out);
  if (!engine_closed_form(p, mix, n, &out->lanes, why, why_len)) return false;
  cf_kind *kinds = calloc(n ? n : 1, sizeof *kinds);
  if (!kinds) return snprintf(why, why_len, "out of memory"), false;
  /* compact stream numbers of the loaded streams, in order of first appearance */
  uint32_t ids[CF_MAX_PHASES], seq[CF_MAX_PHASES];
  double share[CF_MAX_PHASES] = {0};
  size_t ns = 0;
  for (size_t i = 0; phased && i < n; i++) {
    size_t k = 0;
    while (k < ns && ids[k] != mix[i].stream) k++;
    if (k == ns && ns == CF_MAX_PHASES) phased = false; /* too many streams: independent draws */
    else if (k == ns) ids[ns++] = mix[i].stream;
  }
  if (!phased) ns = 1;
  size_t nk = 0;
  double w = 0, fill = 0, hits = 0, miss_w = 0;
  for (size_t i = 0; i < n; i++) { /* checked by engine_closed_form: every entry has a plan */
    engine_esp_plan plan;
    engine_esp_plan_encrypt(mix[i].sa, mix[i].inner_family, false, mix[i].clear_ip_bytes, &plan);
    const uint64_t o = p->overhead_cycles;
    uint32_t st = 0;
    while (phased && ids[st] != mix[i].stream) st++;
    cf_kind k = {.n = plan.n, .w = mix[i].weight, .h = hit[i], .stream = st,
                 .lf = (uint32_t)gcm_lane_hold_cycles(plan.first.aad_bytes, plan.first.text_bytes, o),
                 .lm = (uint32_t)gcm_lane_hold_cycles(plan.middle.aad_bytes, plan.middle.text_bytes, o),
                 .ll = (uint32_t)gcm_lane_hold_cycles(plan.last.aad_bytes, plan.last.text_bytes, o),
                 .f = (uint32_t)gcm_key_miss_cycles(p->sa_miss_cycles ? p->sa_miss_cycles
                                                   : gcm_key_fill_cycles(mix[i].sa->key_bits == 256 ? 256 : 128))};
    w += k.w, hits += k.w * k.h, fill += k.w * (1 - k.h) * k.f, miss_w += k.w * (1 - k.h);
    share[st] += k.w;
    size_t j = 0; /* same stream, holds, fill and hit probability: one kind */
    while (j < nk && (kinds[j].n != k.n || kinds[j].lf != k.lf || kinds[j].lm != k.lm || kinds[j].ll != k.ll ||
                      kinds[j].f != k.f || kinds[j].h != k.h || kinds[j].stream != k.stream)) j++;
    if (j == nk) kinds[nk++] = k; else kinds[j].w += k.w;
  }
  /* the order of the streams matters only when they hit differently: else independent draws */
  double sh[CF_MAX_PHASES] = {0};
  for (size_t j = 0; j < nk; j++) sh[kinds[j].stream] += kinds[j].w * kinds[j].h / share[kinds[j].stream];
  bool differ = false;
  for (size_t k = 1; k < ns; k++) differ |= fabs(sh[k] - sh[0]) > 1e-9;
  if (!differ && ns > 1) {
    for (size_t j = 0; j < nk; j++) kinds[j].stream = 0;
    share[0] = w, ns = 1;
  }
  for (size_t j = 0; j < nk; j++) kinds[j].w /= share[kinds[j].stream]; /* within its stream */
  for (size_t k = 0; k < ns; k++) share[k] /= w;
  const uint32_t b = interleave(share, ns, seq);
  const double period_s = sim_fs_to_s(sim_period_fs(p->clock));
  const double h = hits / w;
  out->hit_rate = h;
  /* F + 1 per miss (gcm_key_miss_cycles: the fill is requested the cycle after the packet
   * ahead dispatched), weighted over the misses (over the datagrams when none miss) */
  double fill_all = 0;
  for (size_t j = 0; j < nk; j++) fill_all += kinds[j].w * kinds[j].f;
  out->fill_cycles = miss_w > 0 ? fill / miss_w : fill_all;
  out->fill_bound_dgram_mpps = h < 1 ? 1.0 / ((1.0 - h) * out->fill_cycles * period_s) / 1e6 : 0;
  double rate; /* datagrams per second */
  if (p->sa_dispatch == ENGINE_PIN) {
    rate = out->lanes.datagram_mpps * 1e6;
    if (h < 1 && out->fill_bound_dgram_mpps * 1e6 < rate) rate = out->fill_bound_dgram_mpps * 1e6;
    out->exact = false;
  } else {
    double c = mean_cycles((uint32_t)p->lanes, kinds, nk, seq, b);
    bool exact = true;
    if (c <= 0 && b > 1) { /* the phased chain too large: independent draws by weight */
      for (size_t j = 0; j < nk; j++) kinds[j].w *= share[kinds[j].stream], kinds[j].stream = 0;
      seq[0] = 0;
      c = mean_cycles((uint32_t)p->lanes, kinds, nk, seq, 1);
      exact = false;
    }
    if (c <= 0) {
      snprintf(why, why_len, "engine cache closed form: more than %u lane states (lanes %llu, %zu "
               "packet shapes)", CF_MAX_STATES, (unsigned long long)p->lanes, nk);
      free(kinds);
      return false;
    }
    rate = 1.0 / (c * period_s);
    out->exact = exact;
  }
  free(kinds);
  const double scale = rate / (out->lanes.datagram_mpps * 1e6);
  out->c = out->lanes;
  out->c.datagram_mpps *= scale;
  out->c.mpps *= scale;
  out->c.l1_gbps *= scale;
  out->c.clear_l1_gbps *= scale;
  out->c.cycles_per_datagram = 1.0 / (rate * period_s) * (double)p->lanes; /* lane-cycles */
  return true;
}

bool engine_cache_closed_form(const engine_params *p, const engine_mix_entry *mix, size_t n,
                              uint64_t n_active, engine_sa_order order, engine_cache_ceiling *out,
                              char *why, size_t why_len) {
  const double h = engine_sa_cache_hit_rate_cf(p->sa_cache_entries, n_active, order);
  double *hit = malloc((n ? n : 1) * sizeof *hit);
  if (!hit) return memset(out, 0, sizeof *out), snprintf(why, why_len, "out of memory"), false;
  for (size_t i = 0; i < n; i++) hit[i] = h;
  const bool ok = closed_form_hits(p, mix, n, hit, false, out, why, why_len);
  free(hit);
  return ok;
}

bool engine_cache_closed_form_streams(const engine_params *p, const engine_mix_entry *mix, size_t n,
                                      const engine_sa_order *order, size_t n_streams, engine_cache_ceiling *out,
                                      char *why, size_t why_len) {
  double *hit = malloc((n ? n : 1) * sizeof *hit);
  bool ok = hit && engine_sa_cache_hits_cf(p->sa_cache_entries, mix, n, order, n_streams, hit, NULL);
  if (!ok) memset(out, 0, sizeof *out), snprintf(why, why_len, "engine cache closed form: out of memory or a stream "
                                                                 "index past the streams");
  ok = ok && closed_form_hits(p, mix, n, hit, true, out, why, why_len);
  free(hit);
  return ok;
}
