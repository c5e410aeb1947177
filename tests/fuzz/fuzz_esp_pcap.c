/* libFuzzer: the pcap reader (model/pcap_io.c on libpcap) on arbitrary files, as
 * `ipsecsim esp --in` reads them: every packet, then a clean end or a one-line error. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "model/pcap_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/fuzz_esp_pcap_%d.pcap", (int)getpid());
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  pcapio_err err;
  pcapio_reader *r = pcapio_open_read(path, &err);
  if (!r) {
    unlink(path);
    if (err.msg[0] == 0 || strchr(err.msg, '\n')) __builtin_trap();
    return 0;
  }
  pcapio_packet p;
  unsigned sum = 0;
  int rc;
  while ((rc = pcapio_next(r, &p, &err)) == 1)
    for (uint32_t i = 0; i < p.caplen; i++) sum += p.data[i];  /* touch every byte */
  if (rc < 0 && err.msg[0] == 0) __builtin_trap();
  pcapio_close_read(r);
  unlink(path);
  return (int)(sum & 0);
}
