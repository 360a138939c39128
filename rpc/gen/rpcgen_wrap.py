#!/usr/bin/env python3
#
# rpcgen_wrap.py: runs rpcgen on one .x file and makes its output usable from
# the build directory.
#
# rpcgen names the header it includes after the input path as given
# ("../rpc/protocol/remote_protocol.h"); the generated C must include the
# header next to it instead.  Usage:
#   rpcgen_wrap.py RPCGEN -h|-c INPUT.x OUTPUT
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import shutil
import subprocess
import sys
import tempfile


def main(argv):
    if len(argv) != 4 or argv[1] not in ("-h", "-c"):
        print("usage: rpcgen_wrap.py RPCGEN -h|-c INPUT.x OUTPUT", file=sys.stderr)
        return 2
    rpcgen, mode, src, out = argv
    # rpcgen derives the header guard from the output name: keep it.
    tmpdir = tempfile.mkdtemp(dir=os.path.dirname(os.path.abspath(out)))
    try:
        return run(rpcgen, mode, src, out, os.path.join(tmpdir, os.path.basename(out)))
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def run(rpcgen, mode, src, out, tmp):
    res = subprocess.run([rpcgen, mode, "-o", tmp, src])
    if res.returncode != 0:
        return res.returncode
    base = os.path.splitext(os.path.basename(src))[0] + ".h"
    with open(tmp, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r'#include "[^"]*/' + re.escape(base) + '"', '#include "%s"' % base, text)
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
