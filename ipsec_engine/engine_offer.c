/* Engine input (admission, ESP shapes, pre-fragmentation into FIFO entries) and the time API
 * around the event loop; window metrics and conservation. */
#include "engine_internal.h"

#include <stdio.h>
#include <string.h>

#include "model/pkt_esp.h"
#include "model/pkt_ipv4.h"
#include "model/pkt_ipv6.h"

/* A descriptor that never reaches the FIFO: one DROP or HOST outcome at t. */
static engine_out_kind refuse(engine *e, const engine_desc *d, engine_out_kind k, engine_drop why,
                              sim_fs t, uint32_t out_ip) {
  const engine_dir dir = d->sa < e->n_sas ? (engine_dir)e->sas[d->sa].dir : ENGINE_ENCRYPT;
  engine_out o = {.kind = k, .reason = why, .dir = dir, .user = d->user, .sa = d->sa,
                  .frag_count = 1, .ip_bytes = out_ip, .frame_bytes = engine_frame_bytes(out_ip),
                  .lane = UINT32_MAX, .offer_fs = t, .first_out_fs = t, .release_fs = t};
  if (k == ENGINE_OUT_HOST) {
    e->tot_host++;
    if (engine_in_window(e, t)) (*e->c.host_pkts)++;
  } else {
    e->tot_input_drops++;
    if (engine_in_window(e, t)) (*e->c.drops[why])++;
  }
  e->emit(e->ctx, &o);
  return k;
}

static void enqueue(engine *e, const engine_job *proto, const engine_esp_shape *sh, uint32_t idx,
                    uint32_t n) {
  const uint32_t ji = engine_job_alloc(e);
  engine_job *j = &e->jobs[ji];
  *j = *proto;
  j->frag_index = idx;
  j->frag_count = n;
  if (e->sas[proto->sa].dir == ENGINE_ENCRYPT) {
    j->out_ip = sh->esp_ip_bytes;
    j->wan_frame = engine_frame_bytes(sh->esp_ip_bytes);
    e->sas[proto->sa].queued++;
  }
  if (idx + 1 < n) j->queue_bytes = 0, j->clear_frame = 0; /* charged to the last entry */
  e->tot_jobs++;
  e->jobs_inside++;
  if (e->cosim && e->n_offer_jobs < sizeof e->offer_jobs / sizeof e->offer_jobs[0])
    e->offer_jobs[e->n_offer_jobs++] = ji;
  const gcm_backend_packet pkt = {.id = ji, .sa = proto->sa, .aad_bytes = sh->aad_bytes,
                                  .text_bytes = sh->text_bytes, .ready_cycle = proto->ready};
  e->be_ops->submit(e->be, &pkt);
}

engine_out_kind engine_offer(engine *e, sim_fs t, const engine_desc *d) {
  if (t < e->now) t = e->now; /* contract: non-decreasing offers; a late one arrives now */
  if (e->cosim) engine_offer(engine_cosim_predictor(e->cosim), t, d); /* the same offer */
  e->n_offer_jobs = 0;
  engine_run_until(e, t);
  e->tot_offered++;
  if (d->sa >= e->n_sas) return refuse(e, d, ENGINE_OUT_DROP, ENGINE_DROP_BAD_DESC, t, d->ip_bytes);
  const engine_sa_state *s = &e->sas[d->sa];
  engine_job proto;
  memset(&proto, 0, sizeof proto);
  proto.user = d->user;
  proto.sa = d->sa;
  proto.icv_ok = true;
  proto.trailer_ok = true;
  proto.offer_fs = t;
  proto.ready = gcm_ready_cycle(t, e->period);
  proto.state = JOB_QUEUED;
  engine_esp_plan plan;
  uint32_t in_frame;
  if (s->dir == ENGINE_ENCRYPT) {
    const uint32_t min_ip = d->inner_family == 6 ? PKT_IPV6_HDR_LEN : PKT_IPV4_MIN_HDR;
    if ((d->inner_family != 4 && d->inner_family != 6) || d->ip_bytes < min_ip || d->ip_bytes > 65535u)
      return refuse(e, d, ENGINE_OUT_DROP, ENGINE_DROP_BAD_DESC, t, d->ip_bytes);
    /* fast path, from the SA's hot line: one ESP packet (engine_esp_plan_encrypt's first
     * case, engine_esp_shape_of's arithmetic); the cold engine_sa only when fragmenting */
    engine_plan_result r = ENGINE_PLAN_OK;
    if (d->ip_bytes <= s->max_inner) {
      const uint32_t pad = (uint32_t)pkt_esp_pad_len(d->ip_bytes, 4);
      plan.n = 1;
      plan.first = (engine_esp_shape){.inner_bytes = d->ip_bytes,
                                      .esp_ip_bytes = s->around + 2u + d->ip_bytes + pad,
                                      .aad_bytes = s->esn ? 12u : 8u,
                                      .text_bytes = d->ip_bytes + pad + 2u};
      plan.middle = plan.last = plan.first;
    } else {
      r = engine_esp_plan_encrypt(&e->cfgs[d->sa], d->inner_family, d->inner_df, d->ip_bytes, &plan);
    }
    if (r == ENGINE_PLAN_NEEDS_ICMP) return refuse(e, d, ENGINE_OUT_HOST, ENGINE_DROP_NONE, t, d->ip_bytes);
    if (r != ENGINE_PLAN_OK) return refuse(e, d, ENGINE_OUT_DROP, ENGINE_DROP_EXCEEDS_MTU, t, d->ip_bytes);
    /* RFC 4303 s3.3.3, as the ESP transform: the whole datagram gets its numbers or none.
     * Numbers are taken at dispatch, so the queued ESP packets of the SA hold theirs. */
    const uint64_t seq_max = s->esn ? UINT64_MAX : UINT32_MAX;
    if (seq_max - s->seq < (uint64_t)s->queued + plan.n)
      return refuse(e, d, ENGINE_OUT_DROP, ENGINE_DROP_SEQ_EXHAUSTED, t, d->ip_bytes);
    in_frame = engine_frame_bytes(d->ip_bytes);
    proto.clear_frame = in_frame;
  } else {
    /* ESP IP = outer + UDP + SPI/seq + IV + P + ICV (RFC 4303 s2); P holds L + pad + 2. */
    const uint32_t around = s->around;
    if (d->ip_bytes < around + 2u)
      return refuse(e, d, ENGINE_OUT_DROP, ENGINE_DROP_BODY_TOO_SHORT, t, d->clear_ip_bytes);
    if (d->ip_bytes > s->tunnel_mtu)
      return refuse(e, d, ENGINE_OUT_DROP, ENGINE_DROP_EXCEEDS_MTU, t, d->clear_ip_bytes);
    const uint32_t text = d->ip_bytes - around;
    plan.n = 1;
    plan.first = plan.middle = plan.last = (engine_esp_shape){
        .inner_bytes = d->clear_ip_bytes, .esp_ip_bytes = d->ip_bytes,
        .aad_bytes = s->esn ? 12u : 8u, .text_bytes = text};
    in_frame = engine_frame_bytes(d->ip_bytes);
    proto.trailer_ok = d->clear_ip_bytes + 2u <= text && text - d->clear_ip_bytes - 2u <= 255u;
    proto.icv_ok = d->icv_ok;
    proto.seq_wire = d->seq;
    proto.out_ip = d->clear_ip_bytes;
    proto.wan_frame = in_frame;
    proto.clear_frame = engine_frame_bytes(d->clear_ip_bytes);
  }
  if (e->q_bytes + in_frame > e->p.in_queue)
    return refuse(e, d, ENGINE_OUT_DROP, ENGINE_DROP_QUEUE_FULL, t,
                  s->dir == ENGINE_ENCRYPT ? d->ip_bytes : d->clear_ip_bytes);
  e->tot_accepted++;
  if (engine_in_window(e, t)) (*e->c.pkts)++;
  proto.queue_bytes = in_frame;
  e->q_bytes += in_frame;
  if (++e->q_pkts > e->queue_max && engine_in_window(e, t)) e->queue_max = e->q_pkts;
  if (e->series && engine_in_window(e, t)) occ_series_peak(e->series, t, e->q_pkts, e->q_bytes);
  for (uint32_t i = 0; i < plan.n; i++) enqueue(e, &proto, engine_plan_at(&plan, i), i, plan.n);
  engine_run_until(e, t);
  return ENGINE_OUT_PACKET;
}

void engine_run_until(engine *e, sim_fs t) {
  e->be_ops->advance(e->be, t);
  if (t > e->now) e->now = t;
  if (e->cosim) engine_run_until(engine_cosim_predictor(e->cosim), t);
}

sim_fs engine_next_event_time(const engine *e) { return e->be_ops->next_event_fs(e->be); }

void engine_advance(engine *e, sim_fs t) { engine_run_until(e, t); }

void engine_set_out_ready(engine *e, sim_fs t, bool ready) {
  if (t < e->now) t = e->now;
  if (e->cosim) engine_set_out_ready(engine_cosim_predictor(e->cosim), t, ready);
  engine_run_until(e, t);
  e->be_ops->set_out_ready(e->be, gcm_ready_cycle(t, e->period), ready);
  engine_run_until(e, t);
}

void engine_set_series(engine *e, occ_series *s) { e->series = s; }

void engine_set_window(engine *e, sim_fs w0, sim_fs w1) {
  if (e->cosim) engine_set_window(engine_cosim_predictor(e->cosim), w0, w1);
  e->w0 = w0;
  e->w1 = w1;
  e->busy_fs = 0;
  e->queue_max = 0;
  e->reorder_max = 0;
}

engine_counters *engine_counters_of(engine *e) { return &e->c; }

sa_cache_counters *engine_sa_cache_counters_of(engine *e) { return &e->cache.c; }

void engine_sa_cache_totals(const engine *e, uint64_t *hits, uint64_t *misses, uint64_t *miss_cycles) {
  *hits = e->cache.tot_hits;
  *misses = e->cache.tot_misses;
  *miss_cycles = e->cache.tot_miss_cycles;
}

bool engine_sa_cached(const engine *e, uint32_t sa_index) { return sa_cache_holds(&e->cache, sa_index); }

void engine_sa_cache_preload(engine *e, const bool *installed) { sa_cache_reset(&e->cache, installed); }

uint64_t engine_install_sa(engine *e, uint32_t sa_index, sim_fs t) {
  if (t < e->now) t = e->now;
  engine_run_until(e, t);
  if (sa_index >= e->n_sas) return 0;
  if (e->cosim) engine_cosim_install(e->cosim, sa_index, t); /* the predictor and the core's key setup */
  uint64_t a = (t + e->period - 1) / e->period;
  if (a < e->floor) a = e->floor;
  const unsigned kb = e->cfgs[sa_index].key_bits == 256 ? 256u : 128u;
  return sa_cache_install(&e->cache, sa_index, a, gcm_key_install_cycles(kb));
}

void engine_metrics_of(const engine *e, engine_metrics *m) {
  const sim_fs end = e->w1 < e->now ? e->w1 : e->now;
  const double win = end > e->w0 ? sim_fs_to_s(end - e->w0) : 0.0;
  memset(m, 0, sizeof *m);
  m->queue_max_pkts = e->queue_max;
  m->reorder_max_pkts = e->reorder_max;
  const double looks = (double)*e->cache.c.hits + (double)*e->cache.c.misses;
  m->sa_cache_hit_rate = looks > 0 ? (double)*e->cache.c.hits / looks : 1.0;
  if (win <= 0) return;
  m->mpps = (double)*e->c.done_pkts / win / 1e6;
  m->l1_gbps = (double)*e->c.wan_l1_bytes * 8.0 / win / 1e9;
  m->clear_l1_gbps = (double)*e->c.clear_l1_bytes * 8.0 / win / 1e9;
  gcm_backend_stats st;
  e->be_ops->stats(e->be, &st);
  m->util = sim_fs_to_s(st.busy_fs) / ((double)e->n_lanes * win);
}

uint32_t engine_sa_outstanding(const engine *e, uint32_t sa_index) {
  return sa_index < e->n_sas ? (uint32_t)e->sas[sa_index].outstanding : 0;
}

uint64_t engine_sa_next_seq(const engine *e, uint32_t sa_index) {
  return sa_index < e->n_sas ? e->sas[sa_index].seq : 0;
}

uint64_t engine_queue_bytes(const engine *e) { return e->q_bytes; }

bool engine_conservation(const engine *e, char *msg, size_t len) {
  const bool in_ok = e->tot_offered == e->tot_accepted + e->tot_input_drops + e->tot_host;
  const bool jobs_ok = e->tot_jobs == e->tot_released + e->tot_late_drops + e->jobs_inside;
  snprintf(msg, len,
           "engine: offered %llu = accepted %llu + input drops %llu + host %llu%s; ESP packets "
           "%llu = released %llu + later drops %llu + inside %llu%s",
           (unsigned long long)e->tot_offered, (unsigned long long)e->tot_accepted,
           (unsigned long long)e->tot_input_drops, (unsigned long long)e->tot_host,
           in_ok ? "" : " (MISMATCH)", (unsigned long long)e->tot_jobs,
           (unsigned long long)e->tot_released, (unsigned long long)e->tot_late_drops,
           (unsigned long long)e->jobs_inside, jobs_ok ? "" : " (MISMATCH)");
  return in_ok && jobs_ok;
}
