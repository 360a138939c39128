#!/usr/bin/env python3
#
# Forwarding of another daemon's area (daemons/common/daemon_forward.c),
# with real processes: virtsecretd and virtstandind (standind.c), a stand-in
# driver daemon whose driver has no secret table, share one session root.
# Secret calls made by Debian's python3-libvirt on a standin:///session
# connection
# must reach virtsecretd, its events must come back through the stand-in,
# and with virtsecretd stopped only the secret calls may fail, with an
# error that names virtsecretd.
#
# usage: test_forwarding_unit.py PATH/TO/virtsecretd PATH/TO/virtstandind
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import subprocess
import sys
import tempfile
import shutil
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "lib"))

SECRETD = None
STANDIND = None

SECRET_XML = """<secret ephemeral='no' private='no'>
  <uuid>%s</uuid>
  <usage type='volume'><volume>/var/lib/images/%s.img</volume></usage>
</secret>"""

UUID1 = "6f3a2a1c-8d5e-4c1b-9a77-0d6c1f2e3b41"
UUID2 = "6f3a2a1c-8d5e-4c1b-9a77-0d6c1f2e3b42"

# Runs in a child python: the calls of one client through the stand-in.
CLIENT = r'''
import sys, json, libvirt
uri, mode = sys.argv[1], sys.argv[2]
out = {}
conn = libvirt.open(uri)
out["type"] = conn.getType()
try:
    if mode == "define":
        s = conn.secretDefineXML(sys.argv[3])
        s.setValue(b"hunter2")
        out["uuid"] = s.UUIDString()
    out["list"] = sorted(x.UUIDString() for x in conn.listAllSecrets())
    out["num"] = conn.numOfSecrets()
    s = conn.secretLookupByUUIDString(sys.argv[4])
    out["value"] = s.value().decode()
    out["usage"] = s.usageID()
    if mode == "undefine":
        s.undefine()
        out["after"] = conn.numOfSecrets()
except libvirt.libvirtError as e:
    out["error"] = e.get_error_message()
    out["code"] = e.get_error_code()
out["type_after"] = conn.getType()
conn.close()
print(json.dumps(out))
'''

# Waits for N secret lifecycle events on @uri and prints them.
LISTENER = r'''
import sys, threading, libvirt
libvirt.virEventRegisterDefaultImpl()
def loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()
conn = libvirt.open(sys.argv[1])
want = int(sys.argv[2])
got = []
done = threading.Event()
def life(c, secret, event, detail, opaque):
    got.append("%s %d %d" % (secret.UUIDString(), event, detail))
    if len(got) >= want:
        done.set()
conn.secretEventRegisterAny(None, libvirt.VIR_SECRET_EVENT_ID_LIFECYCLE, life, None)
print("ready", flush=True)
done.wait(30)
for g in got:
    print(g, flush=True)
'''


def client(uri, mode, xml="", uuid=UUID1):
    import json
    p = subprocess.run(["/usr/bin/python3", "-c", CLIENT, uri, mode, xml, uuid],
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError("client failed: %s %s" % (p.stdout, p.stderr))
    return json.loads(p.stdout)


class ForwardingTest(unittest.TestCase):
    def setUp(self):
        import mvtest
        self.mvtest = mvtest
        self.root = tempfile.mkdtemp(prefix="mvt-fwd-")
        real = mvtest.daemon_path
        paths = {"virtsecretd": SECRETD, "virtstandind": STANDIND}
        mvtest.daemon_path = lambda name: paths.get(name) or real(name)
        try:
            self.secretd = mvtest.Daemon("virtsecretd", root=self.root)
            self.fwd = mvtest.Daemon("virtstandind", root=self.root)
        finally:
            mvtest.daemon_path = real
        self.uri = "standin:///session?socket=%s" % self.fwd.sock

    def tearDown(self):
        try:
            if self.fwd.alive():
                self.fwd.stop()
            if self.secretd.alive():
                self.secretd.stop()
        finally:
            self.fwd.kill()
            self.secretd.kill()
            shutil.rmtree(self.root, ignore_errors=True)

    def test_secret_calls_reach_virtsecretd(self):
        out = client(self.uri, "define", SECRET_XML % (UUID1, "a"))
        self.assertNotIn("error", out, out)
        self.assertEqual(out["type"], "STANDIN")
        self.assertEqual(out["uuid"], UUID1)
        self.assertEqual(out["list"], [UUID1])
        self.assertEqual(out["value"], "hunter2")
        # the secret really lives in virtsecretd
        direct = client(self.secretd.uri, "get")
        self.assertEqual(direct["list"], [UUID1])
        self.assertEqual(direct["value"], "hunter2")
        out = client(self.uri, "undefine")
        self.assertEqual(out["after"], 0, out)

    def test_events_come_back_through_the_forwarder(self):
        p = subprocess.Popen(["/usr/bin/python3", "-c", LISTENER, self.uri, "2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            self.assertEqual(p.stdout.readline().strip(), "ready", p.stderr.read()
                             if p.poll() is not None else "")
            # define and undefine directly on virtsecretd: the stand-in's
            # client still hears about them
            client(self.secretd.uri, "define", SECRET_XML % (UUID2, "b"), UUID2)
            client(self.secretd.uri, "undefine", "", UUID2)
            out, err = p.communicate(timeout=40)
        finally:
            p.kill()
            p.communicate()
        lines = out.split()
        self.assertIn("%s 0 0" % UUID2, out, err)   # DEFINED ADDED
        self.assertIn("%s 1 0" % UUID2, out, err)   # UNDEFINED REMOVED
        self.assertTrue(lines)

    def test_secretd_down_fails_only_secret_calls(self):
        self.secretd.stop()
        out = client(self.uri, "get")
        self.assertIn("error", out)
        msg = out["error"]
        self.assertIn("cannot reach virtsecretd", msg)
        self.assertIn("virtsecretd-sock", msg)
        self.assertIn("is virtsecretd running", msg)
        # the connection itself still works
        self.assertEqual(out["type"], "STANDIN")
        self.assertEqual(out["type_after"], "STANDIN")
        # and once virtsecretd is back, the same kind of client succeeds
        self.secretd.start()
        out = client(self.uri, "define", SECRET_XML % (UUID1, "a"))
        self.assertNotIn("error", out, out)

    def test_secretd_restart_under_an_open_connection(self):
        code = r'''
import sys, libvirt
conn = libvirt.open(sys.argv[1])
print(conn.numOfSecrets(), flush=True)
sys.stdin.readline()
try:
    conn.numOfSecrets()
    print("ok-before-restart", flush=True)
except libvirt.libvirtError as e:
    print("err:" + e.get_error_message(), flush=True)
sys.stdin.readline()
print(conn.numOfSecrets(), flush=True)
'''
        p = subprocess.Popen(["/usr/bin/python3", "-c", code, self.uri], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            self.assertEqual(p.stdout.readline().strip(), "0")
            self.secretd.stop()
            p.stdin.write("\n")
            p.stdin.flush()
            line = p.stdout.readline().strip()
            self.assertTrue(line.startswith("err:"), line)
            self.secretd.start()
            p.stdin.write("\n")
            p.stdin.flush()
            self.assertEqual(p.stdout.readline().strip(), "0", p.stderr.read()
                             if p.poll() is not None else "")
        finally:
            p.kill()
            p.communicate()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: test_forwarding_unit.py VIRTSECRETD VIRTSTANDIND")
    SECRETD = os.path.abspath(sys.argv.pop(1))
    STANDIND = os.path.abspath(sys.argv.pop(1))
    os.environ.setdefault("MODVIRT_BUILD_DIR",
                          os.path.dirname(os.path.dirname(os.path.dirname(SECRETD))))
    unittest.main(verbosity=2)
