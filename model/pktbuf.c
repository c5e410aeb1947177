/* Pre-allocated packet buffer pool with a LIFO free list (the most recently freed buffer is
 * reused first, which keeps it warm in cache). */
#include "pktbuf.h"

#include <stdlib.h>
#include <string.h>

struct pktbuf_pool {
  pkt_desc *descs;      /* count descriptors */
  uint8_t *mem;         /* count * stride bytes, or NULL for a descriptor pool */
  size_t stride;        /* buf_size rounded up to 64 bytes */
  uint32_t count, buf_size, headroom;
  uint32_t in_use, high_water;
  uint64_t alloc_failures;
  pkt_desc *free_head;
};

pktbuf_pool *pktbuf_pool_create(uint32_t count, uint32_t buf_size, uint32_t headroom) {
  if (count == 0 || headroom > buf_size) return NULL;
  pktbuf_pool *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->count = count;
  p->buf_size = buf_size;
  p->headroom = headroom;
  p->stride = ((size_t)buf_size + 63u) & ~(size_t)63u;
  p->descs = calloc(count, sizeof *p->descs);
  if (buf_size) p->mem = aligned_alloc(64, p->stride * count);
  if (!p->descs || (buf_size && !p->mem)) {
    pktbuf_pool_destroy(p);
    return NULL;
  }
  for (uint32_t i = 0; i < count; i++) {
    pkt_desc *d = &p->descs[i];
    d->index = i;
    d->buf = buf_size ? p->mem + p->stride * i : NULL;
    d->capacity = buf_size;
    d->next_free = (i + 1 < count) ? &p->descs[i + 1] : NULL;
  }
  p->free_head = &p->descs[0];
  return p;
}

void pktbuf_pool_destroy(pktbuf_pool *p) {
  if (!p) return;
  free(p->mem);
  free(p->descs);
  free(p);
}

pkt_desc *pktbuf_alloc(pktbuf_pool *p) {
  pkt_desc *d = p->free_head;
  if (!d) {
    p->alloc_failures++;
    return NULL;
  }
  p->free_head = d->next_free;
  uint8_t *buf = d->buf;
  uint32_t index = d->index;
  memset(d, 0, sizeof *d);
  d->buf = buf;
  d->index = index;
  d->capacity = p->buf_size;
  d->data_off = p->headroom;
  d->in_use = true;
  if (++p->in_use > p->high_water) p->high_water = p->in_use;
  return d;
}

bool pktbuf_free(pktbuf_pool *p, pkt_desc *d) {
  /* Compared as integers: relational operators on unrelated pointers are undefined. */
  uintptr_t a = (uintptr_t)d, lo = (uintptr_t)p->descs;
  if (!d || a < lo || a >= lo + (uintptr_t)p->count * sizeof *d) return false;
  if ((a - lo) % sizeof *d || !d->in_use) return false;
  d->in_use = false;
  d->next_free = p->free_head;
  p->free_head = d;
  p->in_use--;
  return true;
}

uint32_t pktbuf_in_use(const pktbuf_pool *p) { return p->in_use; }
uint32_t pktbuf_high_water(const pktbuf_pool *p) { return p->high_water; }
uint32_t pktbuf_count(const pktbuf_pool *p) { return p->count; }
uint32_t pktbuf_buf_size(const pktbuf_pool *p) { return p->buf_size; }
uint64_t pktbuf_alloc_failures(const pktbuf_pool *p) { return p->alloc_failures; }

uint8_t *pktbuf_push(pkt_desc *d, uint32_t n) {
  if (!d->buf || n > d->data_off) return NULL;
  d->data_off -= n;
  d->len += n;
  return d->buf + d->data_off;
}

uint8_t *pktbuf_pull(pkt_desc *d, uint32_t n) {
  if (!d->buf || n > d->len) return NULL;
  d->data_off += n;
  d->len -= n;
  return d->buf + d->data_off;
}

uint8_t *pktbuf_put(pkt_desc *d, uint32_t n) {
  if (!d->buf || n > pktbuf_tailroom(d)) return NULL;
  uint8_t *end = d->buf + d->data_off + d->len;
  d->len += n;
  return end;
}

bool pktbuf_trim(pkt_desc *d, uint32_t len) {
  if (len > d->len) return false;
  d->len = len;
  return true;
}
