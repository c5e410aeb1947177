/* Opt-in export of SAs with their key material (`ipsecsim run|esp ... --export-sas DIR`):
 *   DIR/sas.yaml  the SAs as an `ipsecsim esp --sa` file (sa_load.h reads it back: same SPIs,
 *                 keys, endpoints, options and initial sequence numbers as installed);
 *   DIR/esp_sa    Wireshark's ESP SA table (UAT file of Preferences > Protocols > ESP, one
 *                 record per SA: protocol, source, destination, SPI, "AES-GCM with 16 octet
 *                 ICV [RFC4106]", key || salt in hex, authentication NULL; the record format
 *                 tshark 4.0 accepts, also as `-o uat:esp_sa:RECORD`).
 * Both files are written mode 0600 (model/out_file.h, OUT_MODE_SECRET) and DIR is created
 * (0700) when missing; the caller says on stderr that key material was written. */
#ifndef IPSECSIM_SA_EXPORT_H
#define IPSECSIM_SA_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ipsec_engine/sa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SA_EXPORT_FILE "sas.yaml"
#define SA_EXPORT_WIRESHARK "esp_sa"

/* One SA as an entry of the `sas:` list ("  - {name: ...}\n"). */
void sa_export_yaml_entry(const sa_config *c, FILE *fp);
/* One SA as a Wireshark esp_sa record (one line, no newline). */
void sa_export_wireshark_record(const sa_config *c, char *out, size_t cap);
/* Writes both files. false with one line in err ("DIR/sas.yaml: cannot write (...)"). */
bool sa_export_write(const char *dir, const sa_config *const *sas, size_t n, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
