/* Help texts of the sub-commands; see cli_help.h. */
#include "cli_help.h"

#include <string.h>

typedef struct help_entry {
  const char *name, *synopsis, *summary, *options;
} help_entry;

static const help_entry kHelp[] = {
    {"run", "SCENARIO.yaml [--out DIR] [--seed N] [--set KEY=VALUE]... [--driver systemc|c] [--gcm-model c|rtl] [--wave FILE.fst [--wave-window FROM..TO]] [--quiet] [--export-sas DIR]",
     "Runs a scenario through the ASIC timing model, checks packet conservation, prints a summary\n"
     "and evaluates expect:. Exit 0 ok, 1 an expect or the conservation check failed, 2 unusable input.\n",
     "  --out DIR           write report.json, report.txt, timeseries.csv, latency_hist.csv,\n"
     "                      config.resolved.yaml and wallclock.json into DIR (created if missing;\n"
     "                      none of them may be the scenario), and the scenario's capture: pcaps\n"
     "                      (without --out no capture is written)\n"
     "  --seed N            random seed, replaces the scenario's seed: (0..18446744073709551615)\n"
     "  --set KEY=VALUE     override before the run, repeatable: BLOCK.PARAM, ROUTER.BLOCK.PARAM,\n"
     "                      platform.KEY, phases.warmup, phases.measure, seed, traffic.frame=SIZE,\n"
     "                      traffic.rate=P%, ipsec.tunnels.NAME.count=N (list of parameters: ipsecsim params)\n"
     "  --driver systemc|c  who owns time: the SystemC kernel (default) or a plain C event loop\n"
     "  --gcm-model c|rtl   GCM core of the IPsec engines: the C model (default) or the Verilated RTL\n"
     "                      with a scoreboard against OpenSSL and the C timing (overrides gcm_model:)\n"
     "  --wave FILE.fst     with the RTL core: an FST waveform of its ports (mode 0600, key material)\n"
     "  --wave-window FROM..TO  simulated time the waveform covers, e.g. 2us..3us (default: the whole run)\n"
     "  --quiet, -q         no summary table and no passing expects; conservation and failures only\n"
     "  --export-sas DIR    write every tunnel's SAs with their keys to DIR/sas.yaml (an esp --sa file)\n"
     "                      and DIR/esp_sa (Wireshark's ESP SA table), mode 0600: key material\n"
     "  --help, -h          this text\n"},
    {"sweep", "SCENARIO.yaml [--axis KEY=V1,V2,...]... [--search none|rfc2544|mlr] [--out DIR] [--jobs N] [--shard I/N | --mpi | --slurm N] ...",
     "Runs the scenario at every point of the cross product of the axes (any --set key), each point\n"
     "with a seed derived from the base seed and the point, and per point either one run (none), the\n"
     "RFC 2544 zero-loss throughput or the MLRsearch NDR and PDR; prints one line per point and\n"
     "writes long-form results.csv / results.json (wall-clock figures only in wallclock*.json).\n",
     "  --axis KEY=LIST     an axis: values V1,V2,... or ranges A..B/STEP (e.g. traffic.rate=10%..100%/10%,\n"
     "                      traffic.frame=64,78,1518,9000,imix,IMIX_v4_1, engine.lanes=1,2,3); repeatable\n"
     "  --sizes LIST        alias of --axis traffic.frame=LIST (64..9600 bytes)\n"
     "  --search MODE       none (default: one run per point), rfc2544 or mlr (NDR and PDR)\n"
     "  --rfc2544           alias of --search rfc2544\n"
     "  --resolution P%     rfc2544 resolution, absolute, in % of line rate (default 0.1%; 0.0001%..50%)\n"
     "  --width P%          mlr interval width, relative (default 0.5%; 0.0001%..50%)\n"
     "  --pdr-loss P%       mlr PDR loss ratio goal (default 0.5%; 0%..50%)\n"
     "  --trial DUR         measurement phase of every trial (phases.measure), e.g. 1ms; mlr: of its\n"
     "                      final phase\n"
     "  --initial-trial DUR mlr: trials of the first phase (default: the trial / 8); the durations grow\n"
     "                      geometrically over the phases to the full trial\n"
     "  --mlr-phases N      mlr: intermediate phases, each half the width of the one before (default 2;\n"
     "                      0..8; 0 = every trial at the full duration)\n"
     "  --warmup DUR        warm-up of every trial (phases.warmup)\n"
     "  --no-backlog-rule   a trial passes on its loss alone (default: also no backlog growth between\n"
     "                      the halves of its measurement phase)\n"
     "  --slack N           backlog growth tolerated, frames per stream (default 2)\n"
     "  --seed N            base seed (default: the scenario's seed)\n"
     "  --jobs N            worker processes (default: the machine's cores; 1 = serial)\n"
     "  --shard I/N         run points i with i mod N == I only, write DIR/results.shard-I-of-N.csv\n"
     "                      (default from SLURM_ARRAY_TASK_ID/_MIN/_COUNT when set); join: ipsecsim merge\n"
     "  --mpi               under mpirun: points dealt to ranks, rank 0 gathers and writes\n"
     "  --slurm N           write DIR/sweep.sbatch (array of N tasks) and DIR/merge.sbatch, run nothing\n"
     "  --out DIR           results.csv, results.json, wallclock.json into DIR (created if missing)\n"
     "  --set KEY=VALUE     override before every point, repeatable (as for run)\n"
     "  --quiet, -q         no progress on stderr (progress only goes to a terminal anyway)\n"
     "  --help, -h          this text\n"},
    {"merge", "DIR | --out DIR SHARD.csv...",
     "Joins the shard files of a sweep (results.shard-I-of-N.csv) into results.csv and results.json,\n"
     "byte-identical to a serial run; refuses shards of different sweeps, missing or repeated points.\n",
     "  DIR                 every DIR/results.shard-*.csv, results into DIR\n"
     "  --out DIR           where results.csv and results.json go (with shard files named)\n"
     "  --help, -h          this text\n"},
    {"esp", "encrypt|decrypt --sa SA.yaml --in IN.pcap --out OUT.pcap [--vectors OUT.jsonl] [--exceptions HOST.pcap] [--export-sas DIR]",
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
     "  --export-sas DIR       write the SAs with their keys to DIR/sas.yaml (an --sa file) and\n"
     "                         DIR/esp_sa (Wireshark's ESP SA table), mode 0600: key material\n"
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
    {"junos", "import FILE.conf [--mirror] [-o SCENARIO.yaml] [--router NAME] [--peer NAME] | defaults",
     "Reads a Junos configuration (set lines or the bracketed form) of an inline IPsec router and\n"
     "writes a scenario with its SA keys in a 0600 keys file beside it (SCENARIO minus .yaml plus\n"
     ".keys.yaml); what it inferred, assumed and ignored goes to stderr. A statement inline IPsec\n"
     "does not support is refused: FILE:LINE: statement: why, exit 2. `defaults`: the Junos defaults table.\n",
     "  -o SCENARIO.yaml    the scenario to write (default: FILE with .yaml for .conf)\n"
     "  --mirror            add Peer2, the mirror of the configuration (gateways and addresses swapped),\n"
     "                      a link between their WAN ports and a Host stream each way\n"
     "  --router NAME       the configured router's name (default peer1)\n"
     "  --peer NAME         the mirrored router's name (default peer2)\n"
     "  --help, -h          this text\n"},
    {"show", "DIR [--router NAME] security ipsec statistics [index N] | security ipsec security-associations [index N [detail]] | security ike security-associations [index N [detail]] | chassis fpc 0 pic N",
     "Junos-style views of a run directory (run --out DIR): the seed's show output layouts, from\n"
     "DIR/report.json (per-SA counters) and DIR/config.resolved.yaml. Keys are never shown.\n",
     "  DIR                 a directory written by run --out\n"
     "  --router NAME       the router to show (default: the first with tunnels)\n"
     "  --help, -h          this text\n"},
    {"report", "DIR", "Writes DIR/report.html, one self-contained page (scenario, bottleneck in words, tables of\n"
     "flows, resources, tunnels and SAs, plots as data URIs), and DIR/plots/NAME.png with NAME.csv beside\n"
     "each (the data it draws); needs /usr/bin/python3 and python3-matplotlib (tools/install-deps.sh).\n",
     "  DIR                 a directory written by run --out or by sweep --out\n"
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
