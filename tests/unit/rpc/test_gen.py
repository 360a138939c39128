#!/usr/bin/env python3
#
# Unit tests of rpc/gen/gendispatch.py: the generated files for a tiny
# protocol (tests/data/rpc/gen-demo/) against their expected copies, the
# refusals (tests/data/rpc/gen-bad/*.x, each naming on its first line the
# "LINE: message" it must fail with), and the name rules.
#
# usage: test_gen.py GENDISPATCH DATADIR
# MODVIRT_TEST_REGENERATE=1 rewrites the expected files for review.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import unittest

GEN = None
DATA = None
OUTPUTS = ("demo_dispatch.h", "demo_dispatch.c", "demo_client.h", "demo_client.c")


def load_module():
    spec = importlib.util.spec_from_file_location("gendispatch", GEN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class GoldenTest(unittest.TestCase):
    def test_demo(self):
        src = os.path.join(DATA, "gen-demo", "demo_protocol.x")
        with tempfile.TemporaryDirectory() as tmp:
            outs = [os.path.join(tmp, name) for name in OUTPUTS]
            res = subprocess.run([sys.executable, GEN, src,
                                  "--dispatch-h", outs[0], "--dispatch-c", outs[1],
                                  "--client-h", outs[2], "--client-c", outs[3]],
                                 capture_output=True, text=True)
            self.assertEqual(res.returncode, 0, res.stderr)
            for name, path in zip(OUTPUTS, outs):
                expected = os.path.join(DATA, "gen-demo", name + ".expected")
                with open(path, encoding="utf-8") as f:
                    got = f.read()
                if os.environ.get("MODVIRT_TEST_REGENERATE") == "1":
                    with open(expected, "w", encoding="utf-8") as f:
                        f.write(got)
                with open(expected, encoding="utf-8") as f:
                    self.assertEqual(got, f.read(), "%s differs from %s" % (name, expected))

    def test_procnums(self):
        src = os.path.join(DATA, "gen-demo", "demo_protocol.x")
        res = subprocess.run([sys.executable, GEN, src, "--procnums", "-"],
                             capture_output=True, text=True)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(res.stdout, "1 PING\n2 RESET\n3 THING_CHANGED\n4 THING_GET\n10 DUMP_XML\n")


class RefusalTest(unittest.TestCase):
    def test_bad_files(self):
        bad = os.path.join(DATA, "gen-bad")
        files = sorted(f for f in os.listdir(bad) if f.endswith(".x"))
        self.assertGreater(len(files), 10)
        for name in files:
            path = os.path.join(bad, name)
            with self.subTest(file=name):
                with open(path, encoding="utf-8") as f:
                    first = f.readline()
                m = re.match(r"/\* expect: (\d+): (.*) \*/$", first.rstrip("\n"))
                self.assertIsNotNone(m, "%s lacks an 'expect:' line" % name)
                res = subprocess.run([sys.executable, GEN, path, "--procnums", "-"],
                                     capture_output=True, text=True)
                self.assertNotEqual(res.returncode, 0)
                self.assertEqual(res.stdout, "")
                want = "%s:%s: %s" % (path, m.group(1), m.group(2))
                self.assertIn(want, res.stderr)

    def test_missing_file(self):
        res = subprocess.run([sys.executable, GEN, "/nonexistent/x.x"],
                             capture_output=True, text=True)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn("/nonexistent/x.x", res.stderr)


class NamesTest(unittest.TestCase):
    def setUp(self):
        self.g = load_module()

    def test_mangle(self):
        cases = {
            "SECRET_GET_XML_DESC": "SecretGetXMLDesc",
            "SECRET_LOOKUP_BY_UUID": "SecretLookupByUUID",
            "CONNECT_GET_URI": "ConnectGetURI",
            "DOMAIN_LOOKUP_BY_ID": "DomainLookupByID",
            "CONNECT_LIST_ALL_SECRETS": "ConnectListAllSecrets",
            "NODE_GET_CPU_STATS": "NodeGetCPUStats",
            "DOMAIN_CREATE_XML_WITH_FILES": "DomainCreateXMLWithFiles",
            "DOMAIN_OPEN_GRAPHICS_FD": "DomainOpenGraphicsFD",
            "DOMAIN_INJECT_NMI": "DomainInjectNMI",
            "INTERFACE_LOOKUP_BY_MAC_STRING": "InterfaceLookupByMACString",
            "NODE_DEVICE_LOOKUP_SCSI_HOST_BY_WWN": "NodeDeviceLookupSCSIHostByWWN",
            "NETWORK_GET_DHCP_LEASES": "NetworkGetDHCPLeases",
            "DOMAIN_PIN_IOTHREAD": "DomainPinIOThread",
            "DOMAIN_GET_NUMA_PARAMETERS": "DomainGetNumaParameters",
            "CONNECT_GET_MAX_VCPUS": "ConnectGetMaxVcpus",
        }
        for name, want in cases.items():
            self.assertEqual(self.g.mangle(name), want)

    def test_error_domain(self):
        ed = self.g.error_domain
        self.assertEqual(ed("remote", "SECRET_DEFINE_XML"), 30)
        self.assertEqual(ed("remote", "CONNECT_LIST_ALL_SECRETS"), 30)
        self.assertEqual(ed("remote", "CONNECT_SECRET_EVENT_REGISTER_ANY"), 30)
        self.assertEqual(ed("remote", "DOMAIN_GET_STATE"), 20)
        self.assertEqual(ed("remote", "CONNECT_LIST_ALL_DOMAINS"), 20)
        self.assertEqual(ed("remote", "NETWORK_CREATE"), 19)
        self.assertEqual(ed("remote", "CONNECT_LIST_ALL_NWFILTERS"), 33)
        self.assertEqual(ed("remote", "STORAGE_VOL_UPLOAD"), 18)
        self.assertEqual(ed("remote", "NODE_DEVICE_LOOKUP_BY_NAME"), 22)
        self.assertEqual(ed("remote", "CONNECT_LIST_ALL_NODE_DEVICES"), 22)
        self.assertEqual(ed("remote", "INTERFACE_CREATE"), 26)
        self.assertEqual(ed("remote", "NODE_GET_INFO"), 0)
        self.assertEqual(ed("remote", "CONNECT_OPEN"), 0)
        self.assertEqual(ed("remote", "AUTH_LIST"), 0)
        self.assertEqual(ed("admin", "CONNECT_OPEN"), 62)

    def test_tokens(self):
        toks = self.g.tokenize("const A = 0x10; /* c */ int b<-1>;", "t.x")
        kinds = [(t.kind, t.value) for t in toks]
        self.assertIn(("number", 16), kinds)
        self.assertIn(("number", -1), kinds)
        self.assertIn(("comment", " c "), kinds)
        self.assertEqual(kinds[-1], ("eof", None))


def main():
    global GEN, DATA
    if len(sys.argv) < 3:
        print("usage: test_gen.py GENDISPATCH DATADIR", file=sys.stderr)
        return 2
    GEN, DATA = sys.argv[1], sys.argv[2]
    prog = unittest.main(argv=[sys.argv[0]] + sys.argv[3:], exit=False, verbosity=2)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
