/* Anti-replay window for inbound ESP SAs: RFC 6479 bitmap (blocks of 64 bits, no shifting,
 * O(1) per packet for any window) with RFC 4303 Appendix A2.2 inference of the ESN high bits.
 * The check runs before the ICV, the update only after it (RFC 4303 s3.4.3): forged or
 * replayed packets never move the window. All state lives in the struct; no allocation. */
#ifndef IPSECSIM_REPLAY_H
#define IPSECSIM_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define REPLAY_WINDOW_MIN 32u   /* RFC 4303 s3.4.3: MUST support 32 */
#define REPLAY_WINDOW_DEFAULT 64u
#define REPLAY_WINDOW_MAX 4096u /* MS-MPC anti-replay-window-size range 64..4096; Linux 4096 */
/* ceil(4096/64) + 1 spare block, rounded up to a power of two so the block index is a mask. */
#define REPLAY_MAX_BLOCKS 128u

typedef enum replay_verdict {
  REPLAY_OK = 0,        /* new (right of T) or inside the window and not yet seen */
  REPLAY_DUPLICATE,     /* inside the window, already accepted */
  REPLAY_TOO_OLD        /* at or left of T - W + 1 ... i.e. seq <= T - W, or before the SA's start */
} replay_verdict;

typedef struct replay_window {
  uint64_t top;        /* T: highest authenticated sequence number (64-bit with ESN) */
  uint32_t window;     /* W */
  uint32_t blocks;     /* N, power of two, N*64 >= W + 64 */
  bool esn;
  uint64_t bits[REPLAY_MAX_BLOCKS];
} replay_window;

/* window in [REPLAY_WINDOW_MIN, REPLAY_WINDOW_MAX]. initial_top = right edge at install
 * (writes the header and bits[0 .. blocks-1] only).
 * (0 for a fresh SA). Every sequence number <= initial_top counts as already received.
 * Without ESN, initial_top must fit 32 bits. Returns false on a bad window or initial_top. */
bool replay_init(replay_window *w, uint32_t window, bool esn, uint64_t initial_top);

/* Check the on-the-wire low 32 bits. Infers the full sequence number (ESN: RFC 4303 A2.2;
 * else seq = seq_low) into *seq and says whether it may be accepted. Does not modify w. */
replay_verdict replay_check(const replay_window *w, uint32_t seq_low, uint64_t *seq);

/* Record an authenticated sequence number that replay_check accepted. */
void replay_update(replay_window *w, uint64_t seq);

const char *replay_verdict_name(replay_verdict v);

#ifdef __cplusplus
}
#endif
#endif
