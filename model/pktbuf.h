/* Packet buffer pool and packet descriptor.
 * All memory is allocated when the pool is created; alloc/free are O(1) through a free list
 * and never call malloc. Each buffer keeps `headroom` bytes in front of the data so outer
 * headers (ESP, UDP, IP, Ethernet) are prepended without copying the packet.
 * A pool created with buf_size 0 hands out bare descriptors (buf == NULL): queues that only
 * model timing carry descriptors with a length and no payload bytes. */
#ifndef IPSECSIM_PKTBUF_H
#define IPSECSIM_PKTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pktbuf_pool pktbuf_pool;

typedef struct pkt_desc {
  uint8_t *buf;          /* start of this descriptor's buffer (NULL in a descriptor pool) */
  uint32_t capacity;     /* bytes in buf */
  uint32_t data_off;     /* packet starts at buf + data_off */
  uint32_t len;          /* packet length (without payload bytes in a descriptor pool) */
  uint64_t ts_fs;        /* simulation time in femtoseconds (2^64 fs ~ 5.1 hours) */
  uint64_t seq;          /* per-source sequence number */
  uint32_t flow_id;
  uint16_t ingress_port;
  uint16_t flags;        /* free for blocks to use */
  /* pool bookkeeping, not for users */
  struct pkt_desc *next_free;
  uint32_t index;
  bool in_use;
} pkt_desc;

/* count buffers of buf_size bytes each; headroom bytes reserved at the front of each on
 * alloc (headroom <= buf_size). Returns NULL on a bad argument or out of memory. */
pktbuf_pool *pktbuf_pool_create(uint32_t count, uint32_t buf_size, uint32_t headroom);
void pktbuf_pool_destroy(pktbuf_pool *p);

/* O(1). NULL when the pool is empty (the caller counts a drop). The descriptor comes back
 * with data_off = headroom, len = 0 and all metadata zeroed. */
pkt_desc *pktbuf_alloc(pktbuf_pool *p);
/* O(1). Returns false (and does nothing) for NULL, a descriptor of another pool, or one
 * that is already free (double free). */
bool pktbuf_free(pktbuf_pool *p, pkt_desc *d);

uint32_t pktbuf_in_use(const pktbuf_pool *p);
uint32_t pktbuf_high_water(const pktbuf_pool *p);
uint32_t pktbuf_count(const pktbuf_pool *p);
uint32_t pktbuf_buf_size(const pktbuf_pool *p);
/* Alloc calls refused because the pool was empty. */
uint64_t pktbuf_alloc_failures(const pktbuf_pool *p);

static inline uint8_t *pktbuf_data(const pkt_desc *d) { return d->buf ? d->buf + d->data_off : NULL; }
static inline uint32_t pktbuf_headroom(const pkt_desc *d) { return d->data_off; }
static inline uint32_t pktbuf_tailroom(const pkt_desc *d) {
  return d->capacity - d->data_off - d->len;
}

/* Prepend n bytes (returns the new start) / strip n from the front / append n at the tail
 * (returns the old end) / cut to len. NULL or false when it does not fit. */
uint8_t *pktbuf_push(pkt_desc *d, uint32_t n);
uint8_t *pktbuf_pull(pkt_desc *d, uint32_t n);
uint8_t *pktbuf_put(pkt_desc *d, uint32_t n);
bool pktbuf_trim(pkt_desc *d, uint32_t len);

#ifdef __cplusplus
}
#endif
#endif
