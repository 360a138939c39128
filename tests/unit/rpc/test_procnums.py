#!/usr/bin/env python3
#
# Checks every REMOTE_PROC_* of rpc/protocol/remote_protocol.x against the
# facts file tests/data/rpc/remote-procedures.txt (libvirt 9.0.0's numbers),
# both ways: a name must carry its libvirt number, and a number its libvirt
# name.  Also checks the facts file itself is complete (1..443).
#
# usage: test_procnums.py GENDISPATCH REMOTE_PROTOCOL_X FACTS
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import importlib.util
import sys


def main(argv):
    if len(argv) != 4:
        print("usage: test_procnums.py GENDISPATCH REMOTE_PROTOCOL_X FACTS", file=sys.stderr)
        return 2
    spec = importlib.util.spec_from_file_location("gendispatch", argv[1])
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)

    facts = {}
    with open(argv[3], encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            num, name = line.split()
            if name in facts:
                print("%s:%d: %s listed twice" % (argv[3], lineno, name))
                return 1
            facts[name] = int(num)
    bynum = {v: k for k, v in facts.items()}
    failures = 0
    if sorted(bynum) != list(range(1, 444)):
        print("facts file does not hold procedures 1..443 exactly once")
        failures += 1

    try:
        prog = gen.load(argv[2])
    except gen.XdrError as e:
        print("cannot parse: %s" % e)
        return 1
    if prog.number != 0x20008086 or prog.version != 1:
        print("REMOTE program is 0x%x version %d" % (prog.number, prog.version))
        failures += 1
    for p in prog.procs:
        if p.name not in facts:
            print("FAIL REMOTE_PROC_%s = %d: no such procedure in libvirt 9.0" % (p.name, p.number))
            failures += 1
        elif facts[p.name] != p.number:
            print("FAIL REMOTE_PROC_%s = %d: libvirt's number is %d"
                  % (p.name, p.number, facts[p.name]))
            failures += 1
        else:
            print("ok   REMOTE_PROC_%s = %d" % (p.name, p.number))
    print("%d procedures checked, %d failures" % (len(prog.procs), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
