/* Help texts of the sub-commands; see cli_help.h. */
#include "cli_help.h"

#include <string.h>

typedef struct help_entry {
  const char *name, *synopsis, *summary, *options;
} help_entry;

static const help_entry kHelp[] = {
    {"run", "SCENARIO.yaml [--out DIR] [--seed N] [--set KEY=VALUE]... [--driver systemc|c] [--gcm-model c|rtl] [--quiet]",
     "Runs a scenario through the ASIC timing model, checks packet conservation, prints a summary\n"
     "and evaluates expect:. Exit 0 ok, 1 an expect or the conservation check failed, 2 unusable input.\n",
     "  --out DIR           write report.json, report.txt, timeseries.csv, config.resolved.yaml and\n"
     "                      wallclock.json into DIR (created if missing; none of them may be the scenario)\n"
     "  --seed N            random seed, replaces the scenario's seed: (0..18446744073709551615)\n"
     "  --set KEY=VALUE     override before the run, repeatable: BLOCK.PARAM, ROUTER.BLOCK.PARAM,\n"
     "                      platform.KEY, phases.warmup, phases.measure, seed, traffic.frame=SIZE,\n"
     "                      traffic.rate=P% (list of parameters: ipsecsim params)\n"
     "  --driver systemc|c  who owns time: the SystemC kernel (default) or a plain C event loop\n"
     "  --gcm-model c|rtl   GCM model of the IPsec engine (no effect yet: the engine is not attached)\n"
     "  --quiet, -q         no summary table and no passing expects; conservation and failures only\n"
     "  --help, -h          this text\n"},
    {"sweep", "SCENARIO.yaml --sizes LIST [--rfc2544 [--resolution P%]] [--out DIR] [--set KEY=VALUE]...",
     "Runs the scenario once per frame size (each in its own process) and prints offered and delivered\n"
     "rate, closed-form expectation, Mpps, drops and LIFO p99; with --rfc2544 the RFC 2544 26.1\n"
     "zero-loss throughput per frame size instead.\n",
     "  --sizes LIST        frame sizes in bytes, comma separated, e.g. 64,512,1518 (required; 64..9600)\n"
     "  --rfc2544           binary search of the highest zero-loss rate per size\n"
     "  --resolution P%     search resolution in % of line rate (default 0.1%; 0.0001%..50%;\n"
     "                      only with --rfc2544)\n"
     "  --out DIR           each point's reports in DIR/size-N/ (with --rfc2544: the last passing trial)\n"
     "  --set KEY=VALUE     override before every run, repeatable (as for run)\n"
     "  --help, -h          this text\n"},
    {"esp", "encrypt|decrypt --sa SA.yaml --in IN.pcap --out OUT.pcap [--vectors OUT.jsonl] [--exceptions HOST.pcap]",
     "Applies the ESP tunnel transform (RFC 4303, AES-GCM per RFC 4106) to every packet of a pcap and\n"
     "prints the statistics in the layout of `show security ipsec statistics`.\n",
     "  encrypt|decrypt        encrypt with the outbound SAs, decrypt with the inbound SAs\n"
     "  --sa SA.yaml           the SA file (keys: ipsecsim params sa)\n"
     "  --in IN.pcap           input packets (Ethernet, RAW, IPv4 or IPv6 link type)\n"
     "  --out OUT.pcap         output packets\n"
     "  --vectors OUT.jsonl    one JSON line per packet for RTL testbenches; holds the SA salts\n"
     "                         (in each nonce), created with mode 0600\n"
     "  --exceptions HOST.pcap packets for the host: ICMP frag-needed / Packet Too Big (encrypt),\n"
     "                         IKE and NAT keepalives (decrypt)\n"
     "  --help, -h             this text\n"
     "  Outputs must be different files from the inputs and from each other; each is written to a\n"
     "  temporary file in its folder and renamed when complete.\n"},
    {"gcm", "--rsp FILE.rsp [--rsp FILE2.rsp ...] [--engine openssl|ref|rtl] [--lanes N] [--trace FILE.fst]",
     "Runs NIST CAVP GCM response files through a GCM engine; the last line is\n"
     "\"N passed, N failed, N skipped\". Exit 1 when a vector failed.\n",
     "  --rsp FILE.rsp      a CAVP response file, repeatable (at most 64)\n"
     "  --engine E          openssl (default, EVP), ref (the transparent C reference), rtl (the\n"
     "                      Verilated core: AES-128 and AES-256 keys only)\n"
     "  --lanes N           GCM lanes of the RTL core, 1..16 (default 1; only with --engine rtl)\n"
     "  --trace FILE.fst    waveform of the RTL core; holds the keys, created with mode 0600\n"
     "                      (only with --engine rtl)\n"
     "  --help, -h          this text\n"},
    {"params", "[BLOCK] [--analytic [--sizes LIST]] [--map] [--set BLOCK.PARAM=VALUE]... | --metrics SCENARIO [--set KEY=VALUE]...",
     "Prints the parameter tables (name, type, unit, default, range, source, why) of platform,\n"
     "portgroup, pfe, fabric and of the SA file (sa), or one BLOCK of them.\n",
     "  BLOCK               platform, portgroup, pfe, fabric or sa\n"
     "  --analytic          add the closed-form ceiling of every resource per frame size\n"
     "  --sizes LIST        frame sizes for --analytic, e.g. 64,1518 (64..9600; only with --analytic)\n"
     "  --map               the port map port -> PIC -> ASIC -> slice -> port group (platform block)\n"
     "  --set BLOCK.PARAM=VALUE  parameter value for --analytic and --map, repeatable\n"
     "  --metrics SCENARIO  every metric name expect: accepts for that scenario, with unit and\n"
     "                      description (--set KEY=VALUE after it: the scenario overrides of run)\n"
     "  --help, -h          this text\n"},
    {"report", "DIR", "Summarises the reports of a run directory (not part of this build yet).\n",
     "  DIR                 a directory written by run --out\n"
     "  --help, -h          this text\n"},
};

static const help_entry *find(const char *name) {
  for (size_t i = 0; i < sizeof kHelp / sizeof kHelp[0]; i++)
    if (!strcmp(kHelp[i].name, name)) return &kHelp[i];
  return NULL;
}

static const char kEnvironment[] =
    "environment:\n"
    "  IPSECSIM_MAX_INPUT=SIZE  largest input file read whole (SA file, scenario, .rsp), default\n"
    "                           16MiB; bytes with optional suffix KiB, MiB, GiB, TiB. pcaps are streamed.\n";

bool cli_help_is_flag(const char *arg) { return !strcmp(arg, "-h") || !strcmp(arg, "--help"); }

const char *cli_help_synopsis(const char *name) {
  const help_entry *h = find(name);
  return h ? h->synopsis : NULL;
}

bool cli_help_print(const char *name, FILE *fp) {
  const help_entry *h = find(name);
  if (!h) return false;
  fprintf(fp, "usage: ipsecsim %s %s\n%s\noptions:\n%s\n%s", h->name, h->synopsis, h->summary, h->options, kEnvironment);
  return true;
}

void cli_help_print_all(FILE *fp) {
  fprintf(fp, "usage: ipsecsim COMMAND [ARGS]   (ipsecsim COMMAND --help: one command)\n"
              "Exit status: 0 ok, 1 an assertion or a vector failed, 2 unusable input or output.\n");
  for (size_t i = 0; i < sizeof kHelp / sizeof kHelp[0]; i++)
    fprintf(fp, "\nipsecsim %s %s\n%s", kHelp[i].name, kHelp[i].synopsis, kHelp[i].options);
  fprintf(fp, "\n%s", kEnvironment);
}
