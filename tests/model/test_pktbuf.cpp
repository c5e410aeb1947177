// Packet buffer pool: O(1) free list, headroom, accounting, misuse detection.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <vector>

extern "C" {
#include "model/pktbuf.h"
}

TEST(Pktbuf, CreateRejectsBadArguments) {
  EXPECT_EQ(pktbuf_pool_create(0, 2048, 0), nullptr);
  EXPECT_EQ(pktbuf_pool_create(4, 128, 256), nullptr);
}

TEST(Pktbuf, AllocUntilEmptyThenFree) {
  pktbuf_pool *p = pktbuf_pool_create(4, 10240, 256);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(pktbuf_count(p), 4u);
  EXPECT_EQ(pktbuf_buf_size(p), 10240u);
  std::vector<pkt_desc *> d;
  for (int i = 0; i < 4; i++) {
    d.push_back(pktbuf_alloc(p));
    ASSERT_NE(d.back(), nullptr);
    EXPECT_EQ(d.back()->capacity, 10240u);
    EXPECT_EQ(pktbuf_headroom(d.back()), 256u);
    EXPECT_EQ(d.back()->len, 0u);
    EXPECT_EQ(pktbuf_tailroom(d.back()), 10240u - 256u);
  }
  EXPECT_EQ(pktbuf_in_use(p), 4u);
  EXPECT_EQ(pktbuf_alloc(p), nullptr); // empty: caller counts a drop
  EXPECT_EQ(pktbuf_alloc(p), nullptr);
  EXPECT_EQ(pktbuf_alloc_failures(p), 2u);
  // Buffers are distinct and each writable over its whole capacity (ASan checks bounds).
  for (size_t i = 0; i < d.size(); i++) memset(d[i]->buf, (int)i + 1, d[i]->capacity);
  for (size_t i = 0; i < d.size(); i++)
    EXPECT_EQ(d[i]->buf[d[i]->capacity - 1], (uint8_t)(i + 1));
  EXPECT_TRUE(pktbuf_free(p, d[1]));
  EXPECT_TRUE(pktbuf_free(p, d[2]));
  EXPECT_EQ(pktbuf_in_use(p), 2u);
  EXPECT_EQ(pktbuf_high_water(p), 4u);
  // LIFO reuse: the last freed comes back first.
  EXPECT_EQ(pktbuf_alloc(p), d[2]);
  EXPECT_EQ(pktbuf_alloc(p), d[1]);
  EXPECT_EQ(pktbuf_in_use(p), 4u);
  for (auto *x : d) EXPECT_TRUE(pktbuf_free(p, x));
  EXPECT_EQ(pktbuf_in_use(p), 0u);
  EXPECT_EQ(pktbuf_high_water(p), 4u);
  pktbuf_pool_destroy(p);
}

TEST(Pktbuf, MisuseIsRefused) {
  pktbuf_pool *p = pktbuf_pool_create(2, 256, 64);
  pktbuf_pool *q = pktbuf_pool_create(2, 256, 64);
  pkt_desc *a = pktbuf_alloc(p);
  pkt_desc *b = pktbuf_alloc(q);
  EXPECT_FALSE(pktbuf_free(p, nullptr));
  EXPECT_FALSE(pktbuf_free(p, b)); // another pool's descriptor
  pkt_desc local{};
  EXPECT_FALSE(pktbuf_free(p, &local));
  EXPECT_TRUE(pktbuf_free(p, a));
  EXPECT_FALSE(pktbuf_free(p, a)); // double free
  EXPECT_EQ(pktbuf_in_use(p), 0u);
  EXPECT_TRUE(pktbuf_free(q, b));
  pktbuf_pool_destroy(p);
  pktbuf_pool_destroy(q);
}

TEST(Pktbuf, MetadataIsClearedOnAlloc) {
  pktbuf_pool *p = pktbuf_pool_create(1, 256, 32);
  pkt_desc *d = pktbuf_alloc(p);
  d->ts_fs = 123;
  d->flow_id = 9;
  d->ingress_port = 3;
  d->seq = 77;
  d->flags = 1;
  ASSERT_NE(pktbuf_put(d, 10), nullptr);
  ASSERT_NE(pktbuf_push(d, 8), nullptr);
  pktbuf_free(p, d);
  d = pktbuf_alloc(p);
  EXPECT_EQ(d->ts_fs, 0u);
  EXPECT_EQ(d->flow_id, 0u);
  EXPECT_EQ(d->ingress_port, 0u);
  EXPECT_EQ(d->seq, 0u);
  EXPECT_EQ(d->flags, 0u);
  EXPECT_EQ(d->len, 0u);
  EXPECT_EQ(d->data_off, 32u);
  pktbuf_free(p, d);
  pktbuf_pool_destroy(p);
}

TEST(Pktbuf, PushPullPutTrim) {
  pktbuf_pool *p = pktbuf_pool_create(1, 128, 40);
  pkt_desc *d = pktbuf_alloc(p);
  uint8_t *tail = pktbuf_put(d, 20);
  ASSERT_EQ(tail, d->buf + 40);
  memset(tail, 0xaa, 20);
  uint8_t *hdr = pktbuf_push(d, 8); // prepend a header without copying the payload
  ASSERT_EQ(hdr, d->buf + 32);
  EXPECT_EQ(d->len, 28u);
  EXPECT_EQ(pktbuf_data(d)[8], 0xaa);
  EXPECT_EQ(pktbuf_push(d, 33), nullptr); // only 32 bytes of headroom left
  EXPECT_NE(pktbuf_push(d, 32), nullptr);
  EXPECT_EQ(pktbuf_headroom(d), 0u);
  EXPECT_EQ(pktbuf_pull(d, 41), d->buf + 41);
  EXPECT_EQ(d->len, 19u);
  EXPECT_EQ(pktbuf_pull(d, 20), nullptr);
  EXPECT_EQ(pktbuf_tailroom(d), 128u - 41u - 19u);
  EXPECT_EQ(pktbuf_put(d, 69), nullptr);
  EXPECT_NE(pktbuf_put(d, 68), nullptr);
  EXPECT_EQ(pktbuf_tailroom(d), 0u);
  EXPECT_TRUE(pktbuf_trim(d, 5));
  EXPECT_FALSE(pktbuf_trim(d, 6));
  EXPECT_EQ(d->len, 5u);
  pktbuf_free(p, d);
  pktbuf_pool_destroy(p);
}

TEST(Pktbuf, DescriptorOnlyPool) {
  // buf_size 0: descriptors carry a length and metadata, no payload bytes.
  pktbuf_pool *p = pktbuf_pool_create(100000, 0, 0);
  ASSERT_NE(p, nullptr);
  std::set<pkt_desc *> seen;
  std::vector<pkt_desc *> all;
  for (int i = 0; i < 100000; i++) {
    pkt_desc *d = pktbuf_alloc(p);
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->buf, nullptr);
    EXPECT_EQ(pktbuf_data(d), nullptr);
    EXPECT_EQ(pktbuf_push(d, 1), nullptr);
    d->len = 1518;
    all.push_back(d);
  }
  seen.insert(all.begin(), all.end());
  EXPECT_EQ(seen.size(), 100000u);
  EXPECT_EQ(pktbuf_alloc(p), nullptr);
  for (auto *d : all) ASSERT_TRUE(pktbuf_free(p, d));
  EXPECT_EQ(pktbuf_in_use(p), 0u);
  EXPECT_EQ(pktbuf_high_water(p), 100000u);
  pktbuf_pool_destroy(p);
}
