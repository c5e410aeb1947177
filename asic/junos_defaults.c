/* The Junos defaults the importer applies when a statement is absent, each with its source
 * (`ipsecsim junos defaults`). Sources: the seed (seed-juniper-inline-ipsec.txt, its show
 * samples), Juniper's documentation pages found in the project's documentation corpus (URLs
 * below), or "assumed" where neither states it. */
#include <stdio.h>

#include "junos.h"

typedef struct jn_default {
  const char *statement, *value, *scenario, *source;
} jn_default;

static const jn_default defaults[] = {
    {"security ike gateway G version", "v1-only (IKEv1) -> refused", "ike_version: 2 only",
     "Juniper, Configuring IKE Policies (Junos 12.3, https://juniper.net/documentation/en_US/junos12.3/topics/usage-"
     "guidelines/services-configuring-ike-policies.html): \"If kmd is the IKE initiator, it uses IKEv1 by default\"; "
     "the [edit security ike gateway] version page itself was not in the documentation corpus"},
    {"security ipsec proposal P lifetime-seconds", "3600 s", "lifetime_seconds: 3600",
     "seed show output (Hard lifetime: Expires in 3405 s, 3414 s in the list: a 3600 s SA) and `ipsecsim params sa`; "
     "28800 s is the services ipsec-vpn default (https://juniper.net/documentation/en_US/junos9.5/information-products/"
     "topic-collections/config-guide-services/lifetime-seconds-edit-services.html), not this hierarchy's"},
    {"security ipsec proposal P lifetime-kilobytes", "none (unlimited)", "lifetime_kilobytes: 0",
     "seed show output (Life:sec/kb 3414/ unlim; Lifesize Remaining: Unlimited); range 64..1048576 KB: "
     "https://juniper.net/documentation/software/junos-es/junos-es93/junos-es-swcmdref/lifetime-kilobytes.html"},
    {"security ipsec vpn V anti-replay-window-size", "64 packets", "replay_window: 64",
     "seed show output (Replay window size: 64) and seed text; 64 on AS PICs: "
     "https://juniper.net/documentation/en_US/junos13.2/topics/reference/configuration-statement/anti-replay-window-size.html"},
    {"extended-sequence-number", "disabled", "esn: false", "seed show output (Extended-Sequence-Number: Disabled)"},
    {"security ipsec vpn V df-bit", "clear", "df_bit: clear",
     "\"clear ... This is the default\": https://juniper.net/documentation/software/junos-es/junos-es93/junos-es-swcmdref/df-bit.html; "
     "seed show output (DF-bit: clear)"},
    {"security ipsec vpn V copy-outer-dscp", "disabled (a flag)", "copy_outer_dscp: false",
     "a presence flag in Junos; the seed sets it and its show prints Copy-Outer-DSCP: Enabled"},
    {"security ipsec vpn V establish-tunnels", "on-traffic", "(no effect: SAs are installed at time 0)",
     "options immediately | on-traffic: https://juniper.net/documentation/software/junos-es/junos-es93/junos-es-swcmdref/vpn_1.html; "
     "that on-traffic is the default is assumed (not stated on that page)"},
    {"security ipsec vpn V tunnel-mtu", "9000 B", "tunnel_mtu: 9000", "assumed: the model's default (DESIGN: jumbo WAN)"},
    {"security ike gateway G dead-peer-detection", "optimized when configured without a mode", "(shown only: no IKE is simulated)",
     "seed text: \"optimized ... This is the default DPD mode\""},
    {"security ike gateway G packet-encapsulation", "off; dest-port 500 when on", "udp_encap: none | multipath | {dst_port: N}",
     "seed text (Multipath Forwarding with UDP Encapsulation: ports 500 and 4500 cannot be assigned)"},
    {"security ike proposal P lifetime-seconds", "28800 s", "(show security ike only)",
     "assumed (SRX default); the seed's IKE SA shows 14789 s left, more than a 3600 s lifetime allows"},
    {"platform", "MX304, LMICs = highest PIC named + 1, release 24.2R1", "platform: {preset: MX304, lmics: N, release: 24.2R1}",
     "seed: the example's MX304 pair and \"Junos OS Release 24.2R1 or later\""},
};

void junos_print_defaults(FILE *fp) {
  fprintf(fp, "Junos defaults applied by `ipsecsim junos import` when a statement is absent\n");
  for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
    fprintf(fp, "%s\n  default:  %s\n  scenario: %s\n  source:   %s\n", defaults[i].statement, defaults[i].value,
            defaults[i].scenario, defaults[i].source);
}
