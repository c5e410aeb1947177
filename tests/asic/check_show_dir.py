#!/usr/bin/env python3
"""`ipsecsim show DIR ...` on a run's output equals what the run wrote into DIR/show.ROUTER.txt.

usage: check_show_dir.py IPSECSIM DIR ROUTER N_TUNNELS
The run writes its views from its own registry; `show DIR` reads DIR/report.json back (35 MB
for 2000 tunnels: streamed, only the router's counter values kept, cfg_load_file_pruned). The
views compared: the router's statistics, the last tunnel's statistics, SA and IKE views, and
PIC 0 of FPC 0 against `show` output written by the same binary's run (same code, two sources
of the figures: the live registry and report.json)."""
import subprocess
import sys


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def sections(path, router):
    out, cmd = {}, None
    prompt = "user@%s> " % router
    for line in open(path):
        if line.startswith(prompt):
            cmd = line[len(prompt):].rstrip("\n")
            out[cmd] = []
        elif cmd is not None:
            out[cmd].append(line)
    return {k: "".join(v) for k, v in out.items()}


def main():
    exe, d, router, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    written = sections("%s/show.%s.txt" % (d, router), router)
    last = n  # index of the last tunnel's SA (500000 + n) and IKE SA (n)
    cmds = ["show security ipsec statistics",
            "show security ipsec statistics index %d" % (500000 + last),
            "show security ipsec security-associations index %d" % (500000 + last),
            "show security ike security-associations index %d detail" % last]
    for c in cmds:
        if c not in written:
            fail("%s/show.%s.txt has no '%s'" % (d, router, c))
        args = c.split()[1:]
        p = subprocess.run([exe, "show", d, "--router", router] + args, capture_output=True, text=True)
        if p.returncode != 0:
            fail("ipsecsim show %s --router %s %s: exit %d: %s" % (d, router, " ".join(args), p.returncode, p.stderr))
        if p.stdout != written[c]:
            fail("'%s': show DIR differs from the run's show.%s.txt:\n%s\n---\n%s" % (c, router, p.stdout, written[c]))
        print("PASS: show DIR --router %s %s = the run's own view" % (router, " ".join(args)))
    p = subprocess.run([exe, "show", d, "--router", router, "chassis", "fpc", "0", "pic", "0"], capture_output=True, text=True)
    if p.returncode != 0 or "FPC slot 0, PIC slot 0 (router %s)" % router not in p.stdout:
        fail("chassis fpc 0 pic 0: exit %d\n%s%s" % (p.returncode, p.stdout, p.stderr))
    print("PASS: show DIR chassis fpc 0 pic 0")


if __name__ == "__main__":
    main()
