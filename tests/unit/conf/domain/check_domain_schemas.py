#!/usr/bin/env python3
"""Validates tests/data/domain with xmllint: every document we accept and
write (NAME-libvirt.xml, NAME-out.xml) must pass our schemas/domain.rng and,
when installed, libvirt's own domain.rng, so what modvirt writes is what
libvirt's tools accept.

Usage: check_domain_schemas.py SRCDIR"""

import os
import shutil
import subprocess
import sys

LIBVIRT_RNG = "/usr/share/libvirt/schemas/domain.rng"


def validates(rng, path):
    p = subprocess.run(["xmllint", "--noout", "--nonet", "--relaxng", rng, path],
                       capture_output=True, text=True)
    return p.returncode == 0, p.stderr.strip()


def main():
    src = sys.argv[1]
    if not shutil.which("xmllint"):
        print("FAIL: xmllint is missing (install libxml2-utils)")
        return 1
    data = os.path.join(src, "tests", "data", "domain")
    schemas = [os.path.join(src, "schemas", "domain.rng")]
    if os.path.exists(LIBVIRT_RNG):
        schemas.append(LIBVIRT_RNG)
    else:
        print("note: %s not installed; checking our schema only" % LIBVIRT_RNG)
    failures = []
    checked = 0
    # top/: the resource and security elements (test_domain_top.c)
    paths = [os.path.join(data, n) for n in sorted(os.listdir(data))]
    top = os.path.join(data, "top")
    if os.path.isdir(top):
        paths += [os.path.join(top, n) for n in sorted(os.listdir(top))]
    for path in paths:
        name = os.path.relpath(path, data)
        if not (name.endswith("-libvirt.xml") or name.endswith("-out.xml")):
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
