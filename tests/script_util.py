"""Scaffolding shared by the project's script tests (run by ctest with /usr/bin/python3):
a fresh work folder, a check() that records failures instead of stopping at the first, the
binary under test, tshark's ESP decryption with an exported esp_sa table, and the exit."""
import os
import shutil
import subprocess
import sys


class ScriptTest:
    def __init__(self, exe, work):
        self.exe, self.work, self.fails = exe, work, []
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)

    def check(self, ok, what):
        if not ok:
            self.fails.append(what)
            print("FAIL:", what)

    def run(self, *args):
        """The binary under test with ARGS; stdout and stderr captured as text."""
        return subprocess.run([self.exe] + list(args), capture_output=True, text=True)

    def path(self, name):
        return os.path.join(self.work, name)

    def finish(self):
        print("%d failures" % len(self.fails))
        sys.exit(1 if self.fails else 0)


def tshark_esp_fields(pcap, esp_sa_table, fields, extra=()):
    """tshark decrypting PCAP's ESP with every record of ESP_SA_TABLE (an --export-sas esp_sa
    file) and printing FIELDS per packet: (returncode, rows of field values, stderr)."""
    recs = [l.strip() for l in open(esp_sa_table) if l.strip() and not l.startswith("#")]
    cmd = ["tshark", "-r", pcap] + list(extra) + ["-o", "esp.enable_encryption_decode:TRUE"]
    for rec in recs:
        cmd += ["-o", "uat:esp_sa:" + rec]
    cmd += ["-T", "fields", "-E", "separator=|"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True)
    return out.returncode, [l.split("|") for l in out.stdout.splitlines()], out.stderr
