#!/usr/bin/env python3
#
# Checks the generated systemd units with `systemd-analyze verify`.
#
# The installed units name @sbindir@/<daemon>, which does not exist in a
# build tree, so each unit is copied into a temporary directory with
# ExecStart pointing at the built binary, and the copies are verified
# together (they refer to each other).  Any output on stderr fails the test:
# systemd-analyze only warns about unknown keys or bad values.
#
# usage: check_units.py BINARY UNIT...
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    if len(sys.argv) < 3:
        print("usage: check_units.py BINARY UNIT...", file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    units = sys.argv[2:]
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        print("systemd-analyze not found, skipping")
        return 77
    with tempfile.TemporaryDirectory(prefix="mv-units-") as tmp:
        copies = []
        for unit in units:
            with open(unit) as f:
                text = f.read()
            text, n = re.subn(r"^ExecStart=\S+", "ExecStart=" + binary, text, flags=re.M)
            if unit.endswith(".service") and n != 1:
                print("%s: expected exactly one ExecStart=, found %d" % (unit, n))
                return 1
            dest = os.path.join(tmp, os.path.basename(unit))
            with open(dest, "w") as f:
                f.write(text)
            copies.append(dest)
        env = dict(os.environ, SYSTEMD_LOG_LEVEL="notice", SYSTEMD_UNIT_PATH=tmp + ":")
        proc = subprocess.run([analyze, "verify", "--man=no"] + copies,
                              capture_output=True, text=True, env=env, cwd=tmp)
        out = (proc.stdout + proc.stderr).strip()
        # Lines about the host's own units (outside our directory) are not ours.
        ours = [l for l in out.splitlines() if l.strip() and
                ("mv-units-" in l or not l.startswith("/"))]
        if proc.returncode != 0 or ours:
            print("systemd-analyze verify failed (exit %d):\n%s" % (proc.returncode, out))
            return 1
        print("verified: %s" % ", ".join(os.path.basename(u) for u in units))
    return 0


if __name__ == "__main__":
    sys.exit(main())
