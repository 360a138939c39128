#!/usr/bin/env python3
"""Runs the built virt-xml-validate over the project's XML test data.

Every golden document under tests/data/<kind>/ (each .xml file whose name
does not start with "invalid-") must validate: exit 0 and "FILE validates".
Every file that a kind's invalid.txt index marks as a schema refusal (code
92) must fail: exit 1, "FILE fails to validate", and an error naming the
file and a line ("FILE:LINE: element <x>: ...").  A few fixed cases check
the other outcomes: not well-formed, DOCTYPE, unknown root, schema named on
the command line, missing file, a kind with no schema yet, standard input.
--restricted: each tests/data/domain/restricted/NAME.xml must print exactly
the violations of NAME.txt (host files allowed in /srv/archive), ok-*.xml
must pass; plus the default --allow-dir and the option errors.

Usage: check_virt_xml_validate.py TOOL SRCDIR"""

import os
import re
import shutil
import subprocess
import sys
import tempfile


def run(tool, args, stdin=None):
    p = subprocess.run([tool] + args, input=stdin, capture_output=True, text=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def schema_invalid_files(datadir):
    names = set()
    index = os.path.join(datadir, "invalid.txt")
    if not os.path.exists(index):
        return names
    with open(index) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.split("|")
            if len(fields) >= 2 and fields[1] == "92":
                names.add(fields[0])
    return names


class Checker:
    def __init__(self, tool, schemas):
        self.tool = tool
        self.schemas = schemas
        self.failures = []
        self.checks = 0

    def expect(self, cond, what):
        self.checks += 1
        if not cond:
            self.failures.append(what)

    def golden(self, path):
        rc, out, err = run(self.tool, ["--schema-dir", self.schemas, path])
        if rc == 2 and "no schema for <" in err:
            # a kind whose schema has not landed yet: say so, don't fail
            print("note: %s: %s" % (path, err.strip()))
            return
        self.expect(rc == 0 and out == "%s validates\n" % path,
                    "%s: rc=%d stdout=%r stderr=%r" % (path, rc, out, err))

    def schema_invalid(self, path):
        rc, out, err = run(self.tool, ["--schema-dir", self.schemas, path])
        line = re.search(r"^%s:\d+: element <[^>]+>: " % re.escape(path), err, re.M)
        self.expect(rc == 1 and line is not None and
                    err.endswith("%s fails to validate\n" % path) and out == "",
                    "%s: rc=%d stdout=%r stderr=%r" % (path, rc, out, err))


def fixed_cases(c, src):
    tool, schemas = c.tool, c.schemas
    with tempfile.TemporaryDirectory() as tmp:
        def write(name, text):
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(text)
            return path

        bad = write("mismatch.xml", "<secret>\n  <uuid>x</uuid>\n</secrets>\n")
        rc, out, err = run(tool, ["--schema-dir", schemas, bad])
        c.expect(rc == 1 and "%s:3: Opening and ending tag mismatch" % bad in err
                 and err.endswith("%s fails to validate\n" % bad),
                 "not well-formed: rc=%d %r" % (rc, err))

        doctype = write("doctype.xml", "<!DOCTYPE secret [<!ENTITY a 'b'>]>\n"
                        "<secret><description>&a;</description></secret>\n")
        rc, out, err = run(tool, ["--schema-dir", schemas, doctype])
        c.expect(rc == 1 and "DOCTYPE declarations are not allowed" in err,
                 "doctype: rc=%d %r" % (rc, err))

        unknown = write("unknown.xml", "<teapot/>\n")
        rc, out, err = run(tool, ["--schema-dir", schemas, unknown])
        c.expect(rc == 2 and "cannot determine schema type for %s" % unknown in err,
                 "unknown root: rc=%d %r" % (rc, err))

        # a schema given by name wins over the root element
        secret = write("secret.xml", "<secret ephemeral='no' private='no'/>\n")
        rc, out, err = run(tool, ["--schema-dir", schemas, secret, "network"])
        c.expect(rc == 1 and "%s:1: element <secret>: " % secret in err,
                 "named schema: rc=%d %r" % (rc, err))
        rc, out, err = run(tool, ["--schema-dir", schemas, secret, "secret.rng"])
        c.expect(rc == 0 and out == "%s validates\n" % secret,
                 "named schema .rng: rc=%d %r %r" % (rc, out, err))
        rc, out, err = run(tool, ["--schema-dir", schemas, secret, "nosuch"])
        c.expect(rc == 2 and "nosuch.rng does not exist" in err,
                 "missing named schema: rc=%d %r" % (rc, err))

        # standard input
        rc, out, err = run(tool, ["--schema-dir", schemas, "-"],
                           stdin="<secret ephemeral='yes' private='no'/>\n")
        c.expect(rc == 0 and out == "- validates\n", "stdin: rc=%d %r %r" % (rc, out, err))

        missing = os.path.join(tmp, "missing.xml")
        rc, out, err = run(tool, ["--schema-dir", schemas, missing])
        c.expect(rc == 2 and "document %s does not exist" % missing in err,
                 "missing file: rc=%d %r" % (rc, err))

        # a kind whose schema is missing from the schema directory
        partial = os.path.join(tmp, "schemas")
        os.mkdir(partial)
        shutil.copy(os.path.join(schemas, "secret.rng"), partial)
        dom = write("dom.xml", "<domain type='qemu'><name>x</name></domain>\n")
        rc, out, err = run(tool, ["--schema-dir", partial, dom])
        c.expect(rc == 2 and "no schema for <domain> yet" in err,
                 "no domain schema: rc=%d %r" % (rc, err))
        rc, out, err = run(tool, ["--schema-dir", partial, secret])
        c.expect(rc == 0, "partial schema dir: rc=%d %r" % (rc, err))

        rc, out, err = run(tool, [])
        c.expect(rc == 2 and "syntax:" in err, "no arguments: rc=%d %r" % (rc, err))
        rc, out, err = run(tool, ["--frobnicate", secret])
        c.expect(rc == 2 and "unrecognized option '--frobnicate'" in err,
                 "bad option: rc=%d %r" % (rc, err))
        rc, out, err = run(tool, ["--help"])
        c.expect(rc == 0 and "Usage:" in out, "help: rc=%d" % rc)


def restricted_cases(c, src):
    tool, schemas = c.tool, c.schemas
    rdir = os.path.join(src, "tests", "data", "domain", "restricted")
    allow = ["--schema-dir", schemas, "--restricted", "--allow-dir", "/srv/archive"]
    n = 0
    for name in sorted(os.listdir(rdir)):
        if not name.endswith(".xml"):
            continue
        path = os.path.join(rdir, name)
        rc, out, err = run(tool, allow + [path])
        n += 1
        if name.startswith("ok-"):
            c.expect(rc == 0 and out == "%s validates\n" % path and err == "",
                     "restricted %s: rc=%d %r %r" % (name, rc, out, err))
            # the default allowed directory is the file's own
            rc, out, err = run(tool, ["--schema-dir", schemas, "--restricted", path])
            c.expect(rc == 1 and "is outside the allowed directories '%s'" % rdir in err,
                     "restricted default dir %s: rc=%d %r" % (name, rc, err))
            continue
        with open(path[:-4] + ".txt") as f:
            want = "".join("%s: %s" % (path, line) for line in f)
        want += "%s fails to validate\n" % path
        c.expect(rc == 1 and out == "" and err == want,
                 "restricted %s: rc=%d %r, want %r" % (name, rc, err, want))
    c.expect(n > 1, "no restricted test data in %s" % rdir)

    with tempfile.TemporaryDirectory() as tmp:
        dom = os.path.join(tmp, "vm.xml")
        with open(dom, "w") as f:
            f.write("<domain type='kvm'><name>a</name><memory>1024</memory>"
                    "<os><type>hvm</type></os><devices><disk type='file'>"
                    "<source file='%s/disk.img'/><target dev='vda'/></disk>"
                    "<disk type='file'><source file='%s/../escape.img'/>"
                    "<target dev='vdb'/></disk></devices></domain>\n" % (tmp, tmp))
        rc, out, err = run(tool, ["--schema-dir", schemas, "--restricted", dom])
        want = ("%s: restricted profile: <disk> source '%s/../escape.img' (target vdb) "
                "resolves to '%s/escape.img', outside the allowed directories '%s'\n"
                % (dom, tmp, os.path.dirname(tmp), tmp))
        c.expect(rc == 1 and err == want + "%s fails to validate\n" % dom,
                 "restricted escape: rc=%d %r" % (rc, err))
        rc, out, err = run(tool, ["--schema-dir", schemas, "--restricted",
                                  "--allow-dir=" + os.path.dirname(tmp), dom])
        c.expect(rc == 0 and out == "%s validates\n" % dom,
                 "restricted --allow-dir=: rc=%d %r" % (rc, err))
        # without --restricted the profile is not checked
        rc, out, err = run(tool, ["--schema-dir", schemas, dom])
        c.expect(rc == 0, "no --restricted: rc=%d %r" % (rc, err))

        net = os.path.join(tmp, "net.xml")
        with open(net, "w") as f:
            f.write("<network><name>n</name></network>\n")
        rc, out, err = run(tool, ["--schema-dir", schemas, "--restricted", net])
        c.expect(rc == 2 and "--restricted applies to <domain> documents only" in err,
                 "restricted network: rc=%d %r" % (rc, err))
        rc, out, err = run(tool, ["--schema-dir", schemas, "--allow-dir", tmp, dom])
        c.expect(rc == 2 and "'--allow-dir' needs '--restricted'" in err,
                 "allow-dir alone: rc=%d %r" % (rc, err))
        rc, out, err = run(tool, ["--restricted", "--allow-dir"])
        c.expect(rc == 2 and "'--allow-dir' requires a directory" in err,
                 "allow-dir without value: rc=%d %r" % (rc, err))


def main():
    tool, src = sys.argv[1:3]
    schemas = os.path.join(src, "schemas")
    c = Checker(tool, schemas)
    data = os.path.join(src, "tests", "data")
    golden = 0
    invalid = 0
    for kind in sorted(os.listdir(data)):
        kdir = os.path.join(data, kind)
        if not os.path.isdir(kdir):
            continue
        bad = schema_invalid_files(kdir)
        for root, _dirs, files in os.walk(kdir):
            for name in sorted(files):
                if not name.endswith(".xml"):
                    continue
                path = os.path.join(root, name)
                if name.startswith("invalid-"):
                    if root == kdir and name in bad:
                        c.schema_invalid(path)
                        invalid += 1
                    continue
                c.golden(path)
                golden += 1
    c.expect(golden > 0 and invalid > 0, "no test data found under %s" % data)
    fixed_cases(c, src)
    restricted_cases(c, src)
    for f in c.failures:
        print("FAIL:", f)
    print("%d golden, %d schema-invalid, %d checks, %d failures"
          % (golden, invalid, c.checks, len(c.failures)))
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
