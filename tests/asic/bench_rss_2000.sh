#!/bin/sh
# Benchmark (prints, asserts nothing): peak resident memory of `ipsecsim run --out` on the
# 2000-tunnel scenario (scenarios/ipsec_sa_cache_2000.yaml; target <= 64 MiB), payload real
# (the scenario's own) and payload none, each from the kernel's accounting of its finished
# child alone (getrusage RUSAGE_CHILDREN ru_maxrss, KiB: the largest child so far, so one
# fresh Python per run), with the exit status (0: report and show views written).
#   sh tests/asic/bench_rss_2000.sh build/ipsecsim scenarios
exec /usr/bin/python3 - "$1" "$2" <<'PY'
import os, subprocess, sys
ipsecsim, scen = sys.argv[1], sys.argv[2]
child = ("import resource, subprocess, sys, tempfile\n"
         "cmd = [sys.argv[1], 'run', sys.argv[2], '-q', '--out', tempfile.mkdtemp(prefix='rss2000_')] + sys.argv[3:]\n"
         "rc = subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode\n"
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)\n")
for label, sets in (("payload real", []), ("payload none", ["--set", "payload=none"])):
    r = subprocess.run([sys.executable, "-c", child, ipsecsim, os.path.join(scen, "ipsec_sa_cache_2000.yaml")] + sets,
                       stdout=subprocess.PIPE, text=True, check=True)
    kib, rc = (int(x) for x in r.stdout.split())
    mib = kib / 1024.0
    print("ipsec_sa_cache_2000 (2 routers x 2000 tunnels, 8000 SAs), %s: peak RSS %.1f MiB (target <= 64 MiB): %s, exit %d"
          % (label, mib, "MET" if mib <= 64 else "NOT met", rc))
PY
