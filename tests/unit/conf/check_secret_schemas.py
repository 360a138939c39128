#!/usr/bin/env python3
"""Validates tests/data/secret with xmllint: every golden file must pass our
schemas/secret.rng and, when installed, libvirt's own secret.rng; every
well-formed file of the invalid corpus must fail both.  This keeps our schema
accepting exactly the documents libvirt's accepts.

Usage: check_secret_schemas.py SRCDIR"""

import os
import shutil
import subprocess
import sys

LIBVIRT_RNG = "/usr/share/libvirt/schemas/secret.rng"


def validates(rng, path):
    p = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", rng, path],
                       capture_output=True, text=True)
    return p.returncode == 0, p.stderr.strip()


def main():
    src = sys.argv[1]
    xmllint = shutil.which("xmllint")
    if not xmllint:
        print("FAIL: xmllint is missing (install libxml2-utils)")
        return 1
    data = os.path.join(src, "tests", "data", "secret")
    schemas = [os.path.join(src, "schemas", "secret.rng")]
    if os.path.exists(LIBVIRT_RNG):
        schemas.append(LIBVIRT_RNG)
    else:
        print("note: %s not installed; checking our schema only" % LIBVIRT_RNG)
    skip = set()
    with open(os.path.join(data, "invalid.txt")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, code = line.split("|")[:2]
            # not well formed, or refused before any schema runs
            if code == "35" or name == "invalid-doctype.xml":
                skip.add(name)
    failures = []
    checked = 0
    for name in sorted(os.listdir(data)):
        if not name.endswith(".xml") or name in skip:
            continue
        path = os.path.join(data, name)
        want = not name.startswith("invalid-")
        for rng in schemas:
            ok, err = validates(rng, path)
            checked += 1
            if ok != want:
                failures.append("%s: %s by %s (%s)" % (
                    name, "accepted" if ok else "rejected", rng, err))
    for f in failures:
        print("FAIL:", f)
    print("%d checks, %d failures" % (checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
