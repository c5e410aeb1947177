/* Closed forms of the engine with its SA context cache (engine.h engine_cache_closed_form).
 *
 * Hit rate under LRU (gcm_timing.h item 6) for N active SAs and E entries:
 *   round-robin: 1 when N <= E, else 0 (the SA needed next is always the least recent one);
 *   uniform random (independent draws): min(1, E/N) (the cache always holds E distinct SAs,
 *   the next draw is uniform over N and independent of them).
 * Under random draws hits and misses are then independent with probability h per datagram
 * (its first ESP packet; the other fragments follow their first: hits).
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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CF_MAX_STATES 200000u

typedef struct cf_kind {
  uint32_t n, lf, lm, ll, f; /* ESP packets; hold cycles of first, middle, last; fill F */
  double w;
} cf_kind;

typedef struct cf_chain {
  uint32_t m, n_states, cap;
  uint32_t *v;               /* [cap * m] */
  uint32_t *hash;            /* open addressing, state index + 1 */
  uint32_t hash_cap;
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
  if (c->n_states == CF_MAX_STATES) return UINT32_MAX;
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

static uint64_t datagram(uint32_t *v, uint32_t m, const cf_kind *k, bool miss) {
  uint64_t t = step(v, m, k->lf, miss ? k->f : 0);
  for (uint32_t i = 1; i < k->n; i++) t += step(v, m, i + 1 == k->n ? k->ll : k->lm, 0);
  return t;
}

typedef struct cf_edge {
  uint32_t to;
  double p, delta;
} cf_edge;

/* Stationary mean cycles per datagram of the chain; < 0 when it is too large. */
static double mean_cycles(uint32_t m, const cf_kind *kinds, size_t nk, double h) {
  cf_chain c = {.m = m};
  uint32_t *v = calloc(m, sizeof *v);
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
    for (size_t k = 0; k < nk; k++)
      for (int miss = 0; miss < 2; miss++) {
        memcpy(v, &c.v[(size_t)s * m], m * sizeof *v);
        const double p = kinds[k].w * (miss ? 1.0 - h : h);
        const double d = (double)datagram(v, m, &kinds[k], miss);
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

bool engine_cache_closed_form(const engine_params *p, const engine_mix_entry *mix, size_t n,
                              uint64_t n_active, engine_sa_order order, engine_cache_ceiling *out,
                              char *why, size_t why_len) {
  memset(out, 0, sizeof *out);
  if (!engine_closed_form(p, mix, n, &out->lanes, why, why_len)) return false;
  const double h = engine_sa_cache_hit_rate_cf(p->sa_cache_entries, n_active, order);
  cf_kind *kinds = calloc(n ? n : 1, sizeof *kinds);
  if (!kinds) return false;
  size_t nk = 0;
  double w = 0, fill = 0;
  for (size_t i = 0; i < n; i++) { /* checked by engine_closed_form: every entry has a plan */
    engine_esp_plan plan;
    engine_esp_plan_encrypt(mix[i].sa, mix[i].inner_family, false, mix[i].clear_ip_bytes, &plan);
    const uint64_t o = p->overhead_cycles;
    cf_kind k = {.n = plan.n, .w = mix[i].weight,
                 .lf = (uint32_t)gcm_lane_hold_cycles(plan.first.aad_bytes, plan.first.text_bytes, o),
                 .lm = (uint32_t)gcm_lane_hold_cycles(plan.middle.aad_bytes, plan.middle.text_bytes, o),
                 .ll = (uint32_t)gcm_lane_hold_cycles(plan.last.aad_bytes, plan.last.text_bytes, o),
                 .f = (uint32_t)(p->sa_miss_cycles ? p->sa_miss_cycles
                                                   : gcm_key_fill_cycles(mix[i].sa->key_bits == 256 ? 256 : 128))};
    w += k.w, fill += k.w * k.f;
    size_t j = 0; /* same holds and fill: one kind */
    while (j < nk && (kinds[j].n != k.n || kinds[j].lf != k.lf || kinds[j].lm != k.lm ||
                      kinds[j].ll != k.ll || kinds[j].f != k.f)) j++;
    if (j == nk) kinds[nk++] = k; else kinds[j].w += k.w;
  }
  for (size_t j = 0; j < nk; j++) kinds[j].w /= w;
  const double period_s = sim_fs_to_s(sim_period_fs(p->clock));
  out->hit_rate = h;
  out->fill_cycles = fill / w;
  out->fill_bound_dgram_mpps = h < 1 ? 1.0 / ((1.0 - h) * out->fill_cycles * period_s) / 1e6 : 0;
  double rate; /* datagrams per second */
  if (p->sa_dispatch == ENGINE_PIN) {
    rate = out->lanes.datagram_mpps * 1e6;
    if (h < 1 && out->fill_bound_dgram_mpps * 1e6 < rate) rate = out->fill_bound_dgram_mpps * 1e6;
    out->exact = false;
  } else {
    const double c = mean_cycles((uint32_t)p->lanes, kinds, nk, h);
    if (c <= 0) {
      snprintf(why, why_len, "engine cache closed form: more than %u lane states (lanes %llu, %zu "
               "packet shapes)", CF_MAX_STATES, (unsigned long long)p->lanes, nk);
      free(kinds);
      return false;
    }
    rate = 1.0 / (c * period_s);
    out->exact = true;
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
