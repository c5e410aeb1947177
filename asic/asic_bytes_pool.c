/* The world's payload pool (asic_bytes.h): fixed-size buffers in chunks, a free list of
 * handles, no malloc per packet. */
#include <stdlib.h>
#include <string.h>

#include "asic_bytes.h"

#define IN_USE_MARK (UINT32_MAX - 1u) /* next_free of a buffer in use */

bool asic_bytes_pool_init(asic_bytes_pool *p, uint32_t buf_size) {
  memset(p, 0, sizeof *p);
  p->buf_size = (buf_size + 63u) & ~63u; /* cache-line multiples */
  p->free_head = UINT32_MAX;
  if (!p->buf_size || !(p->pattern = malloc(256u + p->buf_size))) return false;
  for (uint32_t k = 0; k < 256u + p->buf_size; k++) p->pattern[k] = (uint8_t)(k * 29u);
  return true;
}

void asic_bytes_pool_free(asic_bytes_pool *p) {
  for (uint32_t c = 0; c < p->n_chunks; c++) free(p->chunks[c]);
  free(p->chunks);
  free(p->len);
  free(p->next_free);
  free(p->pattern);
  memset(p, 0, sizeof *p);
  p->free_head = UINT32_MAX;
}

static bool grow(asic_bytes_pool *p) {
  if (p->n_chunks == p->cap_chunks) {
    uint32_t cap = p->cap_chunks ? 2 * p->cap_chunks : 8;
    uint8_t **c = realloc(p->chunks, cap * sizeof *c);
    if (!c) return false;
    p->chunks = c;
    uint32_t *l = realloc(p->len, (size_t)cap * ASIC_BYTES_CHUNK * sizeof *l);
    if (!l) return false;
    p->len = l;
    uint32_t *n = realloc(p->next_free, (size_t)cap * ASIC_BYTES_CHUNK * sizeof *n);
    if (!n) return false;
    p->next_free = n;
    p->cap_chunks = cap;
  }
  uint8_t *mem = malloc((size_t)ASIC_BYTES_CHUNK * p->buf_size);
  if (!mem) return false;
  uint32_t base = p->n_chunks * ASIC_BYTES_CHUNK;
  p->chunks[p->n_chunks++] = mem;
  for (uint32_t i = ASIC_BYTES_CHUNK; i-- > 0;) { /* lowest handle first out */
    p->len[base + i] = 0;
    p->next_free[base + i] = p->free_head;
    p->free_head = base + i;
  }
  return true;
}

uint32_t asic_bytes_alloc(asic_bytes_pool *p) {
  if (p->free_head == UINT32_MAX && !grow(p)) return SIM_PAYLOAD_NONE;
  uint32_t h = p->free_head;
  p->free_head = p->next_free[h];
  p->next_free[h] = IN_USE_MARK;
  p->len[h] = 0;
  p->allocs++;
  if (++p->in_use > p->high_water) p->high_water = p->in_use;
  return h;
}

bool asic_bytes_release(asic_bytes_pool *p, uint32_t h) {
  if (h == SIM_PAYLOAD_NONE || h >= p->n_chunks * ASIC_BYTES_CHUNK || p->next_free[h] != IN_USE_MARK) return false;
  p->next_free[h] = p->free_head;
  p->free_head = h;
  p->in_use--;
  p->frees++;
  return true;
}
