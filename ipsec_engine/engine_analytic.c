/* Closed-form ceilings of the engine (engine.h), from the same rounded clock period and the
 * same ESP shapes and lane arithmetic as the simulated engine. */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>

bool engine_closed_form(const engine_params *p, const engine_mix_entry *mix, size_t n,
                        engine_ceiling *out, char *why, size_t why_len) {
  const double period_s = sim_fs_to_s(sim_period_fs(p->clock));
  const uint32_t lanes = (uint32_t)p->lanes;
  double *lane_cycles = calloc(lanes, sizeof *lane_cycles);
  if (!lane_cycles) return false;
  double w = 0, cycles = 0, esp = 0, wan = 0, clear = 0;
  for (size_t i = 0; i < n; i++) {
    const engine_mix_entry *m = &mix[i];
    engine_esp_plan plan;
    if (!(m->weight > 0) || engine_esp_plan_encrypt(m->sa, m->inner_family, false,
                                                    m->clear_ip_bytes, &plan) != ENGINE_PLAN_OK) {
      snprintf(why, why_len, "mix entry %zu (%u B): not carried by the engine (needs ICMP, "
               "cannot be fragmented, or weight <= 0)", i, m->clear_ip_bytes);
      free(lane_cycles);
      return false;
    }
    double c = 0, bytes = 0;
    for (uint32_t k = 0; k < plan.n; k++) {
      const engine_esp_shape *sh = engine_plan_at(&plan, k);
      c += (double)gcm_lane_hold_cycles(sh->aad_bytes, sh->text_bytes, p->overhead_cycles);
      bytes += engine_frame_bytes(sh->esp_ip_bytes) + ENGINE_L1_OVERHEAD;
    }
    w += m->weight;
    cycles += m->weight * c;
    esp += m->weight * plan.n;
    wan += m->weight * bytes;
    clear += m->weight * (engine_frame_bytes(m->clear_ip_bytes) + ENGINE_L1_OVERHEAD);
    lane_cycles[gcm_pin_lane(m->sa_index, lanes)] += m->weight * c;
  }
  double busiest = 0;
  for (uint32_t l = 0; l < lanes; l++)
    if (lane_cycles[l] > busiest) busiest = lane_cycles[l];
  free(lane_cycles);
  if (!(w > 0)) {
    snprintf(why, why_len, "empty mix");
    return false;
  }
  /* datagrams per second: every lane busy (spray) or the busiest lane busy (pin) */
  const double rate = p->sa_dispatch == ENGINE_PIN ? w / (period_s * busiest)
                                                   : (double)lanes * w / (period_s * cycles);
  out->datagram_mpps = rate / 1e6;
  out->mpps = rate * esp / w / 1e6;
  out->l1_gbps = rate * wan / w * 8.0 / 1e9;
  out->clear_l1_gbps = rate * clear / w * 8.0 / 1e9;
  out->cycles_per_datagram = cycles / w;
  return true;
}
