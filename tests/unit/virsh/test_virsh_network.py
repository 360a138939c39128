#!/usr/bin/env python3
#
# virsh net-* and the network wire plumbing with real processes: a stand-in
# virtnetworkd (tests/unit/libclient/netstandind.c: the real daemon framework
# and network handlers around an in-memory fake driver) is driven by
# Debian's virsh, by ours, and by Debian's python3-libvirt.
#
#  - every command sequence is run with both virsh binaries and the outputs
#    must be byte-identical (the fake answers the same both times);
#  - python3-libvirt checks the wire layouts (leases, ports, list flags,
#    update argument order, lifecycle events);
#  - with the domain stand-in (virtstandind, no network table) in the same
#    session root, network calls on its connection are forwarded to the
#    stand-in virtnetworkd, events included.
#
# usage: test_virsh_network.py NETSTANDIN OUR_VIRSH [VIRTSTANDIND]
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "lib"))

NETSTANDIN = None
OUR_VIRSH = None
STANDIND = None
DEBIAN_VIRSH = "/usr/bin/virsh"

NET_XML = """<network>
  <name>%s</name>
  <uuid>%s</uuid>
  <bridge name='%s'/>
</network>
"""
UUID_A = "3d7c5b9e-1f2a-4b6c-8d0e-2f4a6c8e0a11"
UUID_B = "3d7c5b9e-1f2a-4b6c-8d0e-2f4a6c8e0a12"
PORT_UUID = "3d7c5b9e-1f2a-4b6c-8d0e-2f4a6c8e0b01"
PORT_XML = """<networkport>
  <uuid>%s</uuid>
  <owner><name>guest</name><uuid>3d7c5b9e-1f2a-4b6c-8d0e-2f4a6c8e0c01</uuid></owner>
</networkport>
""" % PORT_UUID

# One round of commands; it leaves the daemon as it found it (empty).
SCRIPT = [
    ["net-list", "--all"],
    ["net-define", "{a}"],
    ["net-define", "--validate", "{b}"],
    ["net-list"],
    ["net-list", "--all"],
    ["net-list", "--inactive", "--name"],
    ["net-list", "--all", "--uuid"],
    ["net-list", "--name", "--uuid"],
    ["net-start", "netA"],
    ["net-start", "netA"],
    ["net-autostart", "netA"],
    ["net-list", "--autostart"],
    ["net-list", "--no-autostart", "--all"],
    ["net-list", "--persistent", "--all"],
    ["net-list", "--transient"],
    ["net-info", "netA"],
    ["net-info", UUID_B],
    ["net-uuid", "netB"],
    ["net-name", UUID_A],
    ["net-name", "netA"],
    ["net-dumpxml", "netA"],
    ["net-dumpxml", "--inactive", "netA"],
    ["net-update", "netA", "add", "ip-dhcp-host",
     "<host mac='52:54:00:00:00:01' ip='192.168.122.5'/>", "--live", "--config"],
    ["net-update", "netA", "add-first", "dns-host", "{hostxml}"],
    ["net-update", "netB", "modify", "ip-dhcp-range", "<range start='a' end='b'/>",
     "--parent-index", "0", "--config"],
    ["net-update", "netA", "delete", "dns-srv", "<srv service='x'/>", "--live"],
    ["net-update", "netA", "bogus", "ip", "<ip/>"],
    ["net-update", "netA", "add", "bogus", "<ip/>"],
    ["net-update", "netA", "add", "ip", "<ip/>", "--current", "--config"],
    ["net-dumpxml", "netA"],
    ["net-dhcp-leases", "netA"],
    ["net-dhcp-leases", "netA", "--mac", "52:54:00:aa:bb:02"],
    ["net-dhcp-leases", "netB"],
    ["net-port-create", "netA", "{port}"],
    ["net-port-list", "netA"],
    ["net-port-list", "netA", "--uuid"],
    ["net-port-list", "netA", "--uuid", "--table"],
    ["net-port-dumpxml", "netA", PORT_UUID],
    ["net-port-create", "netB", "{port}"],
    ["net-port-delete", "netA", PORT_UUID],
    ["net-port-delete", "netA", PORT_UUID],
    ["net-port-dumpxml", "netA", "not-a-uuid"],
    ["net-autostart", "--disable", "netA"],
    ["net-destroy", "netA"],
    ["net-destroy", "netA"],
    ["net-undefine", "netA"],
    ["net-create", "{a}"],
    ["net-autostart", "netA"],
    ["net-list", "--all"],
    ["net-destroy", "netA"],
    ["net-undefine", "netB"],
    ["net-info", "nosuch"],
    ["net-event", "--list"],
    ["net-event"],
    ["net-event", "--event", "bogus"],
    ["net-event", "--network", "nosuch", "--event", "lifecycle", "--timeout", "1"],
    ["net-define", "/nonexistent/file.xml"],
    ["net-list", "--all"],
]


def run(cmd, timeout=60):
    env = dict(os.environ)
    env["LANG"] = "C"
    env["TZ"] = "UTC"
    env.pop("LIBVIRT_DEFAULT_URI", None)
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)


class NetworkVirshTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import mvtest
        cls.mvtest = mvtest
        cls.root = tempfile.mkdtemp(prefix="mvt-netvirsh-")
        real = mvtest.daemon_path
        paths = {"virtnetworkd": NETSTANDIN, "virtstandind": STANDIND}
        mvtest.daemon_path = lambda name: paths.get(name) or real(name)
        try:
            cls.netd = mvtest.Daemon("virtnetworkd", root=cls.root)
            cls.fwd = None
            if STANDIND and os.path.exists(STANDIND):
                cls.fwd = mvtest.Daemon("virtstandind", root=cls.root)
        finally:
            mvtest.daemon_path = real
        cls.uri = cls.netd.uri
        files = os.path.join(cls.root, "files")
        os.makedirs(files)
        cls.files = {}
        for key, text in (("a", NET_XML % ("netA", UUID_A, "mvbrA")),
                          ("b", NET_XML % ("netB", UUID_B, "mvbrB")),
                          ("port", PORT_XML),
                          ("hostxml", "<host ip='192.168.122.9'><hostname>h</hostname></host>\n")):
            path = os.path.join(files, key + ".xml")
            with open(path, "w") as f:
                f.write(text)
            cls.files[key] = path

    @classmethod
    def tearDownClass(cls):
        try:
            for d in (cls.fwd, cls.netd):
                if d and d.alive():
                    d.stop()
        finally:
            for d in (cls.fwd, cls.netd):
                if d:
                    d.kill()
            shutil.rmtree(cls.root, ignore_errors=True)

    def transcript(self, virsh, uri):
        out = []
        for args in SCRIPT:
            args = [a.format(**self.files) if a.startswith("{") else a for a in args]
            p = run([virsh, "-c", uri] + args)
            out.append("$ virsh %s\n[rc=%d]\n--stdout--\n%s--stderr--\n%s"
                       % (" ".join(args), p.returncode, p.stdout, p.stderr))
        return "\n".join(out)

    def test_virsh_output_identical_to_debian(self):
        theirs = self.transcript(DEBIAN_VIRSH, self.uri)
        ours = self.transcript(OUR_VIRSH, self.uri)
        if theirs != ours:
            import difflib
            diff = "".join(difflib.unified_diff(theirs.splitlines(True), ours.splitlines(True),
                                                "debian", "modvirt"))
            self.fail("virsh outputs differ:\n" + diff)
        # sanity: the transcript really exercised the daemon
        self.assertIn("Network netA defined from", ours)
        self.assertIn(" netA   active   yes         yes", ours)
        self.assertIn("192.168.122.10/24", ours)
        self.assertIn("Network port %s created from" % PORT_UUID, ours)
        self.assertIn("cmd=2 section=12 parent=-1 flags=1", ours)

    def event_transcript(self, virsh, uri):
        p = run([OUR_VIRSH, "-c", uri, "net-define", self.files["a"]])
        self.assertEqual(p.returncode, 0, p.stderr)
        ev = subprocess.Popen([virsh, "-c", uri, "net-event", "--event", "lifecycle", "--loop",
                               "--timeout", "4"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=dict(os.environ, LANG="C"))
        one = subprocess.Popen([virsh, "-c", uri, "net-event", "--network", "netA", "--event",
                                "lifecycle", "--timeout", "4"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=dict(os.environ, LANG="C"))
        time.sleep(1)
        for args in (["net-define", self.files["b"]], ["net-start", "netA"],
                     ["net-start", "netB"], ["net-destroy", "netA"], ["net-destroy", "netB"],
                     ["net-undefine", "netB"]):
            p = run([OUR_VIRSH, "-c", uri] + args)
            self.assertEqual(p.returncode, 0, p.stderr)
        out, err = ev.communicate(timeout=30)
        out1, err1 = one.communicate(timeout=30)
        p = run([OUR_VIRSH, "-c", uri, "net-undefine", "netA"])
        self.assertEqual(p.returncode, 0, p.stderr)
        return out + "--\n" + out1 + err + err1

    def test_net_event_identical_to_debian(self):
        theirs = self.event_transcript(DEBIAN_VIRSH, self.uri)
        ours = self.event_transcript(OUR_VIRSH, self.uri)
        self.assertEqual(theirs, ours)
        self.assertEqual(ours,
                         "event 'lifecycle' for network netB: Defined\n"
                         "event 'lifecycle' for network netA: Started\n"
                         "event 'lifecycle' for network netB: Started\n"
                         "event 'lifecycle' for network netA: Stopped\n"
                         "event 'lifecycle' for network netB: Stopped\n"
                         "event 'lifecycle' for network netB: Undefined\n"
                         "event loop timed out\n"
                         "events received: 6\n\n"
                         "--\n"
                         "event 'lifecycle' for network netA: Started\n"
                         "events received: 1\n\n")

    def python_client(self, uri):
        code = r'''
import sys, json, threading, libvirt
libvirt.virEventRegisterDefaultImpl()
def loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()
uri, xa, xb, port = sys.argv[1:5]
out = {}
conn = libvirt.open(uri)
events = []
done = threading.Event()
def life(c, net, event, detail, opaque):
    events.append([net.name(), event, detail])
    if len(events) == 4:
        done.set()
cb = conn.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE, life, None)
a = conn.networkDefineXML(open(xa).read())
b = conn.networkDefineXMLFlags(open(xb).read(), libvirt.VIR_NETWORK_DEFINE_VALIDATE)
a.create()
out["all"] = sorted(n.name() for n in conn.listAllNetworks())
out["active"] = [n.name() for n in conn.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_ACTIVE)]
out["inactive_names"] = conn.listDefinedNetworks()
out["active_names"] = conn.listNetworks()
out["num"] = [conn.numOfNetworks(), conn.numOfDefinedNetworks()]
out["bridge"] = a.bridgeName()
out["uuid"] = conn.networkLookupByUUIDString(a.UUIDString()).name()
out["flags"] = [a.isActive(), a.isPersistent(), a.autostart()]
out["leases"] = a.DHCPLeases()
out["leases_mac"] = a.DHCPLeases("52:54:00:aa:bb:01")
a.update(libvirt.VIR_NETWORK_UPDATE_COMMAND_MODIFY, libvirt.VIR_NETWORK_SECTION_DNS_TXT, 7,
         "<txt name='n' value='v'/>", libvirt.VIR_NETWORK_UPDATE_AFFECT_LIVE)
out["updated"] = "cmd=1 section=11 parent=7 flags=1" in a.XMLDesc(0)
p = a.portCreateXML(open(port).read())
out["port"] = p.UUIDString()
out["ports"] = [x.UUIDString() for x in a.listAllPorts()]
out["port_xml"] = "<owner>" in a.portLookupByUUIDString(p.UUIDString()).XMLDesc()
p.delete()
out["ports_after"] = len(a.listAllPorts())
try:
    conn.networkLookupByName("nosuch")
except libvirt.libvirtError as e:
    out["nosuch"] = [e.get_error_code(), e.get_error_domain()]
a.destroy()
a.undefine()
b.undefine()
done.wait(20)
out["events"] = events
conn.networkEventDeregisterAny(cb)
conn.close()
print(json.dumps(out))
'''
        p = run(["/usr/bin/python3", "-c", code, uri, self.files["a"], self.files["b"],
                 self.files["port"]])
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        return json.loads(p.stdout)

    def check_python(self, out):
        self.assertEqual(out["all"], ["netA", "netB"])
        self.assertEqual(out["active"], ["netA"])
        self.assertEqual(out["inactive_names"], ["netB"])
        self.assertEqual(out["active_names"], ["netA"])
        self.assertEqual(out["num"], [1, 1])
        self.assertEqual(out["bridge"], "mvbrA")
        self.assertEqual(out["uuid"], "netA")
        self.assertEqual(out["flags"], [1, 1, 0])
        self.assertEqual(out["leases"], [
            {"iface": "mvbrA", "expirytime": 1700000000, "type": 0, "mac": "52:54:00:aa:bb:01",
             "iaid": None, "ipaddr": "192.168.122.10", "prefix": 24, "hostname": "guest1",
             "clientid": "01:52:54:00:aa:bb:01"},
            {"iface": "mvbrA", "expirytime": 1700000000, "type": 1, "mac": "52:54:00:aa:bb:02",
             "iaid": "1234", "ipaddr": "fd00::10", "prefix": 64, "hostname": None,
             "clientid": None}])
        self.assertEqual(len(out["leases_mac"]), 1)
        # false when the daemon denies feature 16 (NETWORK_UPDATE_HAS_CORRECT_ORDER):
        # libvirt's client then swaps command and section on the wire
        self.assertTrue(out["updated"], "command/section arrived swapped")
        self.assertEqual(out["port"], PORT_UUID)
        self.assertEqual(out["ports"], [PORT_UUID])
        self.assertTrue(out["port_xml"])
        self.assertEqual(out["ports_after"], 0)
        self.assertEqual(out["nosuch"], [43, 19])     # VIR_ERR_NO_NETWORK, VIR_FROM_NETWORK
        self.assertEqual(out["events"][:4], [["netA", 0, 0], ["netB", 0, 0], ["netA", 2, 0],
                                             ["netA", 3, 0]])

    def test_python_libvirt(self):
        self.check_python(self.python_client(self.uri))

    def test_forwarded_through_another_daemon(self):
        if not self.fwd:
            self.skipTest("virtstandind not built")
        uri = "standin:///session?socket=%s" % self.fwd.sock
        self.check_python(self.python_client(uri))
        p = run([DEBIAN_VIRSH, "-c", uri, "net-define", self.files["a"]])
        self.assertEqual(p.returncode, 0, p.stderr)
        p = run([DEBIAN_VIRSH, "-c", self.uri, "net-list", "--all", "--name"])
        self.assertEqual(p.stdout, "netA\n\n")
        p = run([OUR_VIRSH, "-c", uri, "net-undefine", "netA"])
        self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    NETSTANDIN = sys.argv[1]
    OUR_VIRSH = sys.argv[2]
    STANDIND = sys.argv[3] if len(sys.argv) > 3 else None
    unittest.main(argv=[sys.argv[0], "-v"])
