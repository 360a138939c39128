#!/usr/bin/env python3
"""Validates one tests/data/<kind> directory with xmllint: every golden file
must pass our schema and, when installed, libvirt's own; every well-formed
file of the invalid corpus that the index marks as schema-invalid (code 92)
must fail ours.  Used for nodedev, capabilities and domaincaps.

Usage: check_schemas.py SRCDIR DATADIR OUR_RNG LIBVIRT_RNG"""

import os
import shutil
import subprocess
import sys


def validates(rng, path):
    p = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", rng, path],
                       capture_output=True, text=True)
    return p.returncode == 0, p.stderr.strip()


def main():
    src, kind, ours, theirs = sys.argv[1:5]
    if not shutil.which("xmllint"):
        print("FAIL: xmllint is missing (install libxml2-utils)")
        return 1
    data = os.path.join(src, "tests", "data", kind)
    ours = os.path.join(src, "schemas", ours)
    theirs = os.path.join("/usr/share/libvirt/schemas", theirs)
    schemas = [ours]
    if os.path.exists(theirs):
        schemas.append(theirs)
    else:
        print("note: %s not installed; checking our schema only" % theirs)
    schema_invalid = set()
    index = os.path.join(data, "invalid.txt")
    if os.path.exists(index):
        with open(index) as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                name, code = line.split("|")[:2]
                if code == "92":
                    schema_invalid.add(name)
    failures = []
    checked = 0
    for name in sorted(os.listdir(data)):
        if not name.endswith(".xml"):
            continue
        path = os.path.join(data, name)
        if name.startswith("invalid-"):
            if name not in schema_invalid:
                continue
            ok, err = validates(ours, path)
            checked += 1
            if ok:
                failures.append("%s: accepted by %s" % (name, ours))
            continue
        for rng in schemas:
            ok, err = validates(rng, path)
            checked += 1
            if not ok:
                failures.append("%s: rejected by %s (%s)" % (name, rng, err))
    for f in failures:
        print("FAIL:", f)
    print("%d checks, %d failures" % (checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
