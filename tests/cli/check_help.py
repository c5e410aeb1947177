#!/usr/bin/python3
"""Every option a sub-command's parser accepts (each string literal "--x" / "-x" in
tools/cmd_NAME.c or .cpp) is listed by `ipsecsim NAME --help`, by `ipsecsim --help`, and in
README.md (the command's "### `ipsecsim NAME`" section or the "## Command line" block).
Usage: check_help.py IPSECSIM_BINARY SOURCE_ROOT"""
import glob
import os
import re
import subprocess
import sys


def options_in_source(root, name):
    opts = set()
    for path in glob.glob(os.path.join(root, "tools", "cmd_%s.c*" % name)):
        with open(path, encoding="utf-8") as f:
            opts |= set(re.findall(r'"(--?[a-z][a-z0-9-]*)"', f.read()))
    return opts


def listed(text, opt):
    return re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), text) is not None


def readme_section(readme, name):
    m = re.search(r"^### `ipsecsim %s`.*?(?=^## |^### `ipsecsim |\Z)" % name, readme, re.M | re.S)
    return m.group(0) if m else ""


def main():
    binary, root = sys.argv[1], sys.argv[2]
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    m = re.search(r"^## Command line.*?(?=^### )", readme, re.M | re.S)
    overview = m.group(0) if m else ""
    top = subprocess.run([binary, "--help"], capture_output=True, text=True, check=True).stdout
    problems, checked = [], 0
    for name in ("run", "sweep", "merge", "esp", "gcm", "params", "report", "junos", "show"):
        opts = options_in_source(root, name)
        if not opts and glob.glob(os.path.join(root, "tools", "cmd_%s.c*" % name)):
            problems.append("%s: no options found in its source (check the pattern)" % name)
        own = subprocess.run([binary, name, "--help"], capture_output=True, text=True)
        if own.returncode != 0:
            problems.append("%s --help: exit %d" % (name, own.returncode))
        section = readme_section(readme, name) + overview
        for opt in sorted(opts):
            checked += 1
            if not listed(own.stdout, opt):
                problems.append("%s --help does not list %s" % (name, opt))
            if not listed(top, opt):
                problems.append("ipsecsim --help does not list %s (of %s)" % (opt, name))
            if opt not in ("-h", "--help", "-q") and not listed(section, opt):
                problems.append("README.md does not document %s %s" % (name, opt))
    for p in problems:
        print(p)
    print("%d options checked, %d problems" % (checked, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
