#!/bin/sh
# Benchmark (prints, asserts nothing): peak resident memory of `ipsecsim run` on the
# 2000-tunnel scenario (scenarios/ipsec_sa_cache_2000.yaml; target <= 64 MiB), from the
# kernel's accounting of the finished child (getrusage RUSAGE_CHILDREN ru_maxrss, KiB).
#   sh tests/asic/bench_rss_2000.sh build/ipsecsim scenarios
exec /usr/bin/python3 - "$1" "$2" <<'PY'
import os, resource, subprocess, sys, tempfile
ipsecsim, scen = sys.argv[1], sys.argv[2]
out = tempfile.mkdtemp(prefix="rss2000_")
rc = subprocess.run([ipsecsim, "run", os.path.join(scen, "ipsec_sa_cache_2000.yaml"), "-q", "--out", out]).returncode
kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
mib = kib / 1024.0
print("ipsec_sa_cache_2000 (2 routers x 2000 tunnels, 8000 SAs): peak RSS %.1f MiB (target <= 64 MiB): %s, exit %d"
      % (mib, "MET" if mib <= 64 else "NOT met", rc))
PY
