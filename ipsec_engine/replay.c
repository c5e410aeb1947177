/* RFC 6479 anti-replay bitmap with RFC 4303 Appendix A2.2 ESN inference. */
#include "replay.h"

#include <stddef.h>
#include <string.h>

#define BLOCK_BITS 64u

bool replay_init(replay_window *w, uint32_t window, bool esn, uint64_t initial_top) {
  if (window < REPLAY_WINDOW_MIN || window > REPLAY_WINDOW_MAX) return false;
  if (!esn && initial_top > UINT32_MAX) return false;
  /* the header only: a window may live in a shorter allocation that holds just its blocks
   * (sa_db_add, engine.c place_windows); bits past blocks are never read */
  memset(w, 0, offsetof(replay_window, bits));
  w->window = window;
  w->esn = esn;
  w->top = initial_top;
  /* Enough blocks that (T-W, T] never shares a block with the bit being cleared: the window
   * spans at most ceil(W/64) + 1 blocks (RFC 6479 s2: one spare block). */
  uint32_t need = (window + BLOCK_BITS - 1) / BLOCK_BITS + 1, n = 1;
  while (n < need) n <<= 1;
  w->blocks = n;
  /* Everything at or below the initial right edge counts as received; bits above T in its
   * own block must be clear, or a later jump inside the block would find stale ones. */
  memset(w->bits, 0xff, sizeof(uint64_t) * n);
  uint32_t bit = (uint32_t)(initial_top & (BLOCK_BITS - 1));
  w->bits[(initial_top / BLOCK_BITS) & (n - 1)] =
      bit == 63 ? UINT64_MAX : ((UINT64_C(1) << (bit + 1)) - 1);
  return true;
}

/* RFC 4303 Appendix A2.2: choose Seqh from T = Th:Tl and the window W. Returns false when the
 * inferred number would fall before 0 or beyond 2^64-1 (not a sequence number the SA can
 * have used: treated as left of the window). */
static bool infer_esn(const replay_window *w, uint32_t seql, uint64_t *seq) {
  uint32_t tl = (uint32_t)w->top, th = (uint32_t)(w->top >> 32);
  uint32_t bottom = tl - w->window + 1; /* mod 2^32 in case B */
  uint32_t seqh;
  if (tl >= w->window - 1) { /* case A: window within one 2^32 epoch */
    if (seql >= bottom) {
      seqh = th;
    } else {
      if (th == UINT32_MAX) return false;
      seqh = th + 1;
    }
  } else { /* case B: window straddles the epoch boundary */
    if (seql >= bottom) {
      if (th == 0) return false;
      seqh = th - 1;
    } else {
      seqh = th;
    }
  }
  *seq = ((uint64_t)seqh << 32) | seql;
  return true;
}

replay_verdict replay_check(const replay_window *w, uint32_t seq_low, uint64_t *seq) {
  uint64_t s = seq_low;
  if (w->esn && !infer_esn(w, seq_low, &s)) {
    *seq = seq_low;
    return REPLAY_TOO_OLD;
  }
  *seq = s;
  if (s == 0) return REPLAY_TOO_OLD; /* never sent: the first packet carries 1 (s2.2) */
  if (s > w->top) return REPLAY_OK;
  if (w->top - s >= w->window) return REPLAY_TOO_OLD;
  uint64_t word = w->bits[(s / BLOCK_BITS) & (w->blocks - 1)];
  return (word >> (s & (BLOCK_BITS - 1))) & 1u ? REPLAY_DUPLICATE : REPLAY_OK;
}

void replay_update(replay_window *w, uint64_t seq) {
  const uint32_t mask = w->blocks - 1;
  if (seq <= w->top && w->top - seq >= w->window) return; /* left the window meanwhile */
  if (seq > w->top) {
    /* RFC 6479 s2: clear only the blocks the right edge moves into, all of them at most. */
    uint64_t diff = seq / BLOCK_BITS - w->top / BLOCK_BITS;
    if (diff >= w->blocks) {
      memset(w->bits, 0, sizeof(uint64_t) * w->blocks);
    } else {
      for (uint64_t i = 1; i <= diff; i++) w->bits[(w->top / BLOCK_BITS + i) & mask] = 0;
    }
    w->top = seq;
  }
  w->bits[(seq / BLOCK_BITS) & mask] |= UINT64_C(1) << (seq & (BLOCK_BITS - 1));
}

const char *replay_verdict_name(replay_verdict v) {
  switch (v) {
  case REPLAY_OK: return "ok";
  case REPLAY_DUPLICATE: return "replay_duplicate";
  case REPLAY_TOO_OLD: return "replay_too_old";
  }
  return "?";
}
