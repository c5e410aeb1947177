/* LRU hit probabilities of the SA context cache for a mix of interleaved streams
 * (engine.h engine_sa_cache_hits_cf).
 *
 * The engine dispatches in FIFO order, so the cache sees the interleaving of the streams
 * that feed it: stream s makes a share p_s = W_s / W of the engine's datagrams (weights are
 * offered rates) and visits its SAs either round-robin over its address cycle (V_s visits per
 * cycle, slot order) or by independent draws (SA i with probability pi_si per draw).
 *
 * LRU (gcm_timing.h item 6): a datagram hits when the SAs dispatched since its SA's previous
 * datagram, its SA included, number at most E (the entries). Counted over a window of T
 * datagrams of the interleaved sequence, the expected number of distinct SAs is
 *   D(T) = sum_i seen_i(T),  seen_i(T) = 1 - prod_s (1 - seen_si(T)),
 *   random stream:      seen_si(T) = 1 - (1 - pi_si)^(p_s T)
 *   round-robin stream: seen_si(T) = min(1, sum_j min(g_j, p_s T) / V_s)
 * (g_j: the gaps, in the stream's visits, between SA i's consecutive visits around the
 * cycle; a window of u visits starting at a random place holds one of them with that
 * probability). The characteristic time T* solves D(T*) = E (Che's approximation, exact for
 * one round-robin stream, and giving exactly E / N for one uniform random stream); T* =
 * infinity when the active SAs fit. A datagram of stream s on SA i whose previous visit of i
 * in its own stream lies g visits back hits when that visit is within the window
 * (g <= p_s T*) or another stream visited i within it:
 *   round-robin: h = 1 if g <= p_s T*, else seen_i^others(T*)
 *   random:      h = 1 - (1 - pi_si)^(p_s T*) x (1 - seen_i^others(T*)).
 * Example (the NDR-vs-tunnel study at 2000 tunnels, 1024 entries): the encrypt stream
 * round-robin over 2000 outbound SAs (share p) and the decrypt stream on one inbound SA give
 * T* = 1023 / p, gap 2000 > p T*: every outbound datagram misses, every inbound one hits. */
#include "engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct lru_pair { /* one SA as one stream visits it */
  uint32_t sa, stream;
  double pi;              /* random: draw probability */
  uint32_t first_gap, n_gaps; /* round-robin: its gaps in gaps[] */
} lru_pair;

typedef struct lru_ctx {
  const engine_mix_entry *mix;
  size_t n;
  const engine_sa_order *order;
  double *share;          /* [n_streams] p_s */
  double *visits;         /* [n_streams] V_s */
  lru_pair *pairs;
  size_t n_pairs;
  uint32_t *gaps;
  uint32_t *entry_pair, *entry_gap; /* per entry: its pair, its visit's preceding gap */
} lru_ctx;

typedef struct lru_key { /* an entry's sort key (qsort has no context: the key carries it) */
  uint32_t a, b, c, i;
} lru_key;
static int by_key(const void *x, const void *y) {
  const lru_key *p = x, *q = y;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  if (p->b != q->b) return p->b < q->b ? -1 : 1;
  if (p->c != q->c) return p->c < q->c ? -1 : 1;
  return p->i < q->i ? -1 : p->i > q->i;
}
static void sort_entries(const engine_mix_entry *mix, size_t n, bool by_sa, lru_key *keys, uint32_t *idx) {
  for (size_t i = 0; i < n; i++)
    keys[i] = by_sa ? (lru_key){mix[i].sa_index, mix[i].stream, mix[i].slot, (uint32_t)i}
                    : (lru_key){mix[i].stream, mix[i].slot, mix[i].sa_index, (uint32_t)i};
  qsort(keys, n, sizeof *keys, by_key);
  for (size_t i = 0; i < n; i++) idx[i] = keys[i].i;
}

static double seen_pair(const lru_ctx *c, const lru_pair *q, double T) {
  const double u = c->share[q->stream] * T;
  if (c->order[q->stream] == ENGINE_SA_ORDER_RANDOM) return q->pi >= 1 ? 1 : 1 - exp(u * log1p(-q->pi));
  double s = 0;
  for (uint32_t k = 0; k < q->n_gaps; k++) s += fmin((double)c->gaps[q->first_gap + k], u);
  s /= c->visits[q->stream];
  return s < 1 ? s : 1;
}

/* seen_i(T) of the SA of pairs [a, b), leaving out pair `skip` (SIZE_MAX: none). */
static double seen_sa(const lru_ctx *c, size_t a, size_t b, size_t skip, double T) {
  double none = 1;
  for (size_t k = a; k < b; k++)
    if (k != skip) none *= 1 - seen_pair(c, &c->pairs[k], T);
  return 1 - none;
}

static double distinct(const lru_ctx *c, double T) {
  double d = 0;
  for (size_t a = 0, b; a < c->n_pairs; a = b) {
    for (b = a; b < c->n_pairs && c->pairs[b].sa == c->pairs[a].sa; b++) {}
    d += seen_sa(c, a, b, SIZE_MAX, T);
  }
  return d;
}

/* Pairs, visits and gaps of the mix; false when out of memory. */
static bool build(lru_ctx *c, size_t n_streams, uint32_t *idx) {
  const size_t n = c->n;
  double W = 0;
  for (size_t i = 0; i < n; i++) W += c->mix[i].weight, c->share[c->mix[i].stream] += c->mix[i].weight;
  /* visits: distinct (slot, SA) of a stream in slot order; position = its rank */
  uint32_t *pos = malloc((n ? n : 1) * sizeof *pos);
  lru_key *keys = malloc((n ? n : 1) * sizeof *keys);
  if (!pos || !keys) return free(pos), free(keys), false;
  sort_entries(c->mix, n, false, keys, idx);
  for (size_t k = 0; k < n; k++) {
    const engine_mix_entry *e = &c->mix[idx[k]];
    const engine_mix_entry *prev = k ? &c->mix[idx[k - 1]] : NULL;
    const bool same = prev && prev->stream == e->stream && prev->slot == e->slot && prev->sa_index == e->sa_index;
    if (!same) c->visits[e->stream] += 1;
    pos[idx[k]] = (uint32_t)c->visits[e->stream] - 1u;
  }
  for (size_t s = 0; s < n_streams; s++) c->share[s] /= W;
  /* pairs: entries by (SA, stream, slot) */
  sort_entries(c->mix, n, true, keys, idx);
  free(keys);
  for (size_t k = 0; k < n;) {
    const engine_mix_entry *e = &c->mix[idx[k]];
    lru_pair *q = &c->pairs[c->n_pairs];
    *q = (lru_pair){.sa = e->sa_index, .stream = e->stream, .first_gap = (uint32_t)k};
    size_t end = k;
    double w = 0;
    uint32_t n_vis = 0, first = 0, last = 0;
    for (; end < n && c->mix[idx[end]].sa_index == e->sa_index && c->mix[idx[end]].stream == e->stream; end++) {
      const uint32_t p = pos[idx[end]];
      w += c->mix[idx[end]].weight;
      if (!n_vis || p != last) { /* a new visit: its gap back to the previous one */
        if (n_vis) c->gaps[q->first_gap + n_vis] = p - last;
        else first = p;
        n_vis++;
        last = p;
      }
      c->entry_pair[idx[end]] = (uint32_t)c->n_pairs;
      c->entry_gap[idx[end]] = q->first_gap + n_vis - 1u;
    }
    c->gaps[q->first_gap] = first + (uint32_t)c->visits[e->stream] - last; /* around the cycle */
    q->n_gaps = n_vis;
    q->pi = w / (c->share[e->stream] * W);
    c->n_pairs++;
    k = end;
  }
  free(pos);
  return true;
}

bool engine_sa_cache_hits_cf(uint64_t entries, const engine_mix_entry *mix, size_t n, const engine_sa_order *order,
                             size_t n_streams, double *hit, double *t_char) {
  for (size_t i = 0; i < n; i++)
    if (mix[i].stream >= n_streams) return false;
  lru_ctx c = {.mix = mix, .n = n, .order = order};
  uint32_t *idx = malloc((n ? n : 1) * sizeof *idx);
  c.share = calloc(n_streams ? n_streams : 1, sizeof *c.share);
  c.visits = calloc(n_streams ? n_streams : 1, sizeof *c.visits);
  c.pairs = calloc(n ? n : 1, sizeof *c.pairs);
  c.gaps = calloc(n ? n : 1, sizeof *c.gaps);
  c.entry_pair = calloc(n ? n : 1, sizeof *c.entry_pair);
  c.entry_gap = calloc(n ? n : 1, sizeof *c.entry_gap);
  bool ok = idx && c.share && c.visits && c.pairs && c.gaps && c.entry_pair && c.entry_gap;
  for (size_t i = 0; ok && i < n; i++) idx[i] = (uint32_t)i;
  ok = ok && build(&c, n_streams, idx);
  size_t active = 0;
  for (size_t k = 0; ok && k < c.n_pairs; k++) active += !k || c.pairs[k].sa != c.pairs[k - 1].sa;
  double T = INFINITY;
  if (ok && active > entries) { /* D(T) rises from 0 to `active`: bisect D(T) = E */
    double lo = 0, hi = 1;
    while (distinct(&c, hi) < (double)entries) hi *= 2;
    for (int it = 0; it < 200 && hi - lo > 1e-9 * hi; it++) {
      const double mid = 0.5 * (lo + hi);
      if (distinct(&c, mid) < (double)entries) lo = mid;
      else hi = mid;
    }
    T = 0.5 * (lo + hi);
  }
  for (size_t i = 0; ok && i < n; i++) {
    if (!isfinite(T)) {
      hit[i] = 1;
      continue;
    }
    const size_t qi = c.entry_pair[i];
    size_t a = qi, b = qi + 1;
    while (a > 0 && c.pairs[a - 1].sa == c.pairs[qi].sa) a--;
    while (b < c.n_pairs && c.pairs[b].sa == c.pairs[qi].sa) b++;
    const double others = seen_sa(&c, a, b, qi, T);
    const lru_pair *q = &c.pairs[qi];
    const double u = c.share[q->stream] * T;
    if (order[q->stream] == ENGINE_SA_ORDER_RANDOM)
      hit[i] = 1 - (1 - seen_pair(&c, q, T)) * (1 - others);
    else
      hit[i] = (double)c.gaps[c.entry_gap[i]] <= u * (1 + 1e-12) ? 1 : others;
  }
  if (t_char) *t_char = T;
  free(idx), free(c.share), free(c.visits), free(c.pairs), free(c.gaps), free(c.entry_pair), free(c.entry_gap);
  return ok;
}
