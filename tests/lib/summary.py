#!/usr/bin/python3
"""Adds up meson test logs (testlog.json) and pytest JUnit XML files into the
one line CI reads: "N passed, N failed[, N skipped]", followed by the names
of skipped tests with their reasons.  Exits 1 when anything failed or a
result file is missing."""

import json
import sys
import xml.etree.ElementTree as ET


def meson_counts(path):
    passed = failed = skipped = 0
    skips = []
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            res = rec.get("result")
            if res in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif res == "SKIP":
                skipped += 1
                skips.append((rec.get("name"), "meson SKIP"))
            else:
                failed += 1
    return passed, failed, skipped, skips


def junit_counts(path):
    passed = failed = skipped = 0
    skips = []
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        name = "%s::%s" % (case.get("classname"), case.get("name"))
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None:
            skipped += 1
            skips.append((name, case.find("skipped").get("message", "")))
        else:
            passed += 1
    return passed, failed, skipped, skips


def main(paths):
    tp = tf = ts = 0
    all_skips = []
    missing = []
    for p in paths:
        try:
            if p.endswith(".json"):
                c = meson_counts(p)
            else:
                c = junit_counts(p)
        except (OSError, ET.ParseError, ValueError) as e:
            missing.append("%s (%s)" % (p, e))
            continue
        tp += c[0]
        tf += c[1]
        ts += c[2]
        all_skips += c[3]
    for m in missing:
        print("missing or unreadable result file: %s" % m)
        tf += 1
    for name, why in all_skips:
        print("skipped: %s: %s" % (name, why))
    line = "%d passed, %d failed" % (tp, tf)
    if ts:
        line += ", %d skipped" % ts
    print(line)
    return 1 if tf else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
