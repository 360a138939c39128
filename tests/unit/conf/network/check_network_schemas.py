#!/usr/bin/env python3
"""Validates tests/data/network with xmllint against our schemas/network.rng
and libvirt's own /usr/share/libvirt/schemas/network.rng (which includes
basictypes.rng and networkcommon.rng from the same directory).  Every golden
file must pass both; every well-formed invalid file must get the same verdict
from both, and those the index expects the schema to refuse (code 92) must be
refused by both.  This keeps our schema accepting what libvirt's accepts.

Usage: check_network_schemas.py SRCDIR"""

import os
import shutil
import subprocess
import sys

LIBVIRT_DIR = "/usr/share/libvirt/schemas"
LIBVIRT_NEEDS = ["network.rng", "basictypes.rng", "networkcommon.rng"]


def validates(rng, path):
    p = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", rng, path],
                       capture_output=True, text=True)
    return p.returncode == 0, p.stderr.strip()


def main():
    src = sys.argv[1]
    if not shutil.which("xmllint"):
        print("FAIL: xmllint is missing (install libxml2-utils)")
        return 1
    data = os.path.join(src, "tests", "data", "network")
    ours = os.path.join(src, "schemas", "network.rng")
    theirs = os.path.join(LIBVIRT_DIR, "network.rng")
    missing = [n for n in LIBVIRT_NEEDS if not os.path.exists(os.path.join(LIBVIRT_DIR, n))]
    if missing:
        print("note: libvirt schemas missing (%s); checking our schema only" % ", ".join(missing))
        theirs = None
    expect = {}
    with open(os.path.join(data, "invalid.txt")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, code = line.split("|")[:2]
            expect[name] = int(code)
    failures = []
    checked = 0
    for name in sorted(os.listdir(data)):
        if not name.endswith(".xml"):
            continue
        path = os.path.join(data, name)
        code = expect.get(name)
        # not well formed, or refused before any schema runs
        if code == 35 and name in ("invalid-mismatch.xml", "invalid-empty.xml"):
            continue
        if name == "invalid-doctype.xml":
            continue
        ok_ours, err_ours = validates(ours, path)
        checked += 1
        ok_theirs, err_theirs = (validates(theirs, path) if theirs else (ok_ours, ""))
        checked += 1 if theirs else 0
        if code is None:
            if not ok_ours:
                failures.append("%s: golden file rejected by ours (%s)" % (name, err_ours))
            if not ok_theirs:
                failures.append("%s: golden file rejected by libvirt's (%s)" % (name, err_theirs))
        else:
            if code == 92 and ok_ours:
                failures.append("%s: schema case accepted by ours" % name)
            if ok_ours != ok_theirs:
                failures.append("%s: ours %s, libvirt's %s (%s | %s)" % (
                    name, "accepts" if ok_ours else "rejects",
                    "accepts" if ok_theirs else "rejects", err_ours, err_theirs))
    for f in failures:
        print("FAIL:", f)
    print("%d checks, %d failures" % (checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
