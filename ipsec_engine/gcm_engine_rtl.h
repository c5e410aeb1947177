/* The Verilated GCM core as a CAVP gcm_engine. Implemented by the RTL co-simulation library
 * (ipsec_engine/rtl/); declared weak so the CLI still links when the RTL is not built. */
#ifndef IPSECSIM_GCM_ENGINE_RTL_H
#define IPSECSIM_GCM_ENGINE_RTL_H

#include <stdbool.h>
#include <stddef.h>

#include "cavp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* trace_path: optional VCD/FST waveform; it contains key material (the caller says so). */
bool gcm_engine_rtl_open(gcm_engine *e, unsigned lanes, const char *trace_path, char *err,
                         size_t err_len) __attribute__((weak));
void gcm_engine_rtl_close(gcm_engine *e) __attribute__((weak));

static inline bool gcm_engine_rtl_available(void) { return gcm_engine_rtl_open != NULL; }

#ifdef __cplusplus
}
#endif
#endif
