#!/usr/bin/python3
"""The shared library exports exactly the symbols of its version script, and
every function the public headers declare is among them."""

import re
import subprocess
import sys


def main(lib, syms, headers):
    text = open(syms).read()
    listed = set(re.findall(r"^\s*(vir\w+);", text, re.M))
    out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True,
                         check=True).stdout
    exported = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBRtW" and not parts[2].startswith("MODVIRT_"):
            exported.add(parts[2].split("@")[0])
    declared = set()
    for h in headers:
        declared |= set(re.findall(r"\b(vir[A-Z]\w+)\s*\(", open(h).read()))
    problems = []
    if exported != listed:
        problems.append("exported but not listed: %s" % sorted(exported - listed))
        problems.append("listed but not exported: %s" % sorted(listed - exported))
    missing = sorted(d for d in declared if d not in exported)
    if missing:
        problems.append("declared in public headers but not exported: %s" % missing)
    if problems:
        print("\n".join(problems))
        return 1
    print("%d symbols exported, all listed and declared" % len(exported))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
