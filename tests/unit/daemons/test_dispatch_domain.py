#!/usr/bin/env python3
#
# The domain and host procedures of the daemon dispatch layer
# (daemons/common/daemon_dispatch_domain.c, daemon_dispatch_host.c) over the
# real wire: Debian's python3-libvirt and virsh against virtstandind
# (standind.c), whose in-memory driver gives fixed answers.  Also the
# wire-limit checks, with raw frames, and domain events in both styles.
#
# usage: test_dispatch_domain.py PATH/TO/virtstandind
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "lib"))

STANDIND = None

UUID = "c7a5fdbd-cdaf-9455-926a-d65c16db1809"
XML = """<domain type='kvm'>
  <name>demo</name>
  <uuid>%s</uuid>
  <memory>131072</memory>
  <vcpu>2</vcpu>
  <os><type>hvm</type></os>
</domain>""" % UUID

# One python3-libvirt session through most of the API; prints JSON.
CLIENT = r'''
import sys, json, libvirt
conn = libvirt.open(sys.argv[1])
out = {}
def err(f):
    try:
        f()
        return None
    except libvirt.libvirtError as e:
        return [e.get_error_code(), e.get_error_message()]
out["caps"] = conn.getCapabilities()
out["sysinfo"] = conn.getSysinfo()
out["maxvcpus"] = conn.getMaxVcpus(None)
out["domcaps"] = conn.getDomainCapabilities(None, "x86_64", "q35", "kvm")
out["nodeinfo"] = conn.getInfo()
out["cells"] = conn.getCellsFreeMemory(0, 4)
out["free"] = conn.getFreeMemory()
out["cpustats"] = conn.getCPUStats(-1)
out["memstats"] = conn.getMemoryStats(-1)
out["cpumap"] = conn.getCPUMap()
out["secmodel"] = conn.getSecurityModel()
out["native"] = conn.domainXMLToNative("qemu-argv", sys.argv[2])
out["native_err"] = err(lambda: conn.domainXMLToNative("bogus", sys.argv[2]))
out["fromnative_err"] = err(lambda: conn.domainXMLFromNative("qemu-argv", "x"))
d = conn.defineXML(sys.argv[2])
out["define"] = [d.name(), d.UUIDString(), d.ID()]
out["num_defined"] = conn.numOfDefinedDomains()
out["defined"] = conn.listDefinedDomains()
out["active_before"] = conn.listDomainsID()
d.create()
out["id_after_create"] = d.ID()
out["num"] = conn.numOfDomains()
out["ids"] = conn.listDomainsID()
byid = conn.lookupByID(out["ids"][0])
out["byid"] = byid.name()
out["byuuid"] = conn.lookupByUUIDString(sys.argv[3]).name()
out["all"] = sorted(x.name() for x in conn.listAllDomains(0))
out["all_inactive"] = [x.name() for x in conn.listAllDomains(
    libvirt.VIR_CONNECT_LIST_DOMAINS_INACTIVE)]
out["info"] = d.info()
out["state"] = d.state()
out["xml"] = "<name>demo</name>" in d.XMLDesc(0)
out["ostype"] = d.OSType()
out["maxmem"] = d.maxMemory()
out["maxvcpus_dom"] = d.maxVcpus()
out["vcpusflags"] = d.vcpusFlags(0)
out["vcpus"] = d.vcpus()
out["vcpupin"] = d.vcpuPinInfo(0)
out["emupin"] = d.emulatorPinInfo(0)
out["active"] = d.isActive()
out["persistent"] = d.isPersistent()
out["updated"] = d.isUpdated()
out["managedsave"] = d.hasManagedSaveImage(0)
out["seclabel"] = d.securityLabel()
out["seclabels"] = d.securityLabelList()
out["messages"] = d.messages(0)
out["hostname_err"] = err(lambda: d.hostname(0))
out["control"] = d.controlInfo()
out["sched"] = d.schedulerType()
d.setAutostart(1)
out["autostart"] = d.autostart()
d.suspend()
out["paused"] = d.state()
d.resume()
d.reboot(0)
d.reset(0)
d.shutdown()
out["after_shutdown"] = d.state()
d.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
out["paused_start"] = d.state()
d.destroyFlags(0)
d.create()
d.destroy()
d.shutdownFlags(0) if False else None
out["after_destroy"] = d.state()
d.undefineFlags(0)
out["gone"] = err(lambda: conn.lookupByName("demo"))
out["gone_handle"] = err(lambda: d.info())
t = conn.createXML(sys.argv[2], 0)
out["transient"] = [t.name(), t.ID() > 0, t.isPersistent()]
t.destroy()
out["transient_gone"] = conn.numOfDomains()
d = conn.defineXMLFlags(sys.argv[2], libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
d.undefine()
conn.close()
print(json.dumps(out))
'''

# Collects events with callback-style and old-style registrations.
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
def add(s):
    got.append(s)
    if len(got) >= want:
        done.set()
def life(c, dom, event, detail, opaque):
    add("%s life %s %d %d" % (opaque, dom.name(), event, detail))
def reboot(c, dom, opaque):
    add("%s reboot %s" % (opaque, dom.name()))
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, life, "any")
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT, reboot, "any")
# an id the protocol cannot carry yet must still register
rtc = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_RTC_CHANGE,
                                  lambda *a: None, None)
conn.domainEventDeregisterAny(rtc)
conn.domainEventRegister(life, "old")
print("ready", flush=True)
done.wait(30)
for g in got:
    print(g, flush=True)
'''


class DispatchDomainTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import mvtest
        cls.mvtest = mvtest
        cls.root = tempfile.mkdtemp(prefix="mvt-dispatch-")
        real = mvtest.daemon_path
        mvtest.daemon_path = lambda name: STANDIND if name == "virtstandind" else real(name)
        try:
            cls.d = mvtest.Daemon("virtstandind", root=cls.root)
        finally:
            mvtest.daemon_path = real
        cls.uri = "standin:///session?socket=%s" % cls.d.sock

    @classmethod
    def tearDownClass(cls):
        try:
            cls.d.stop()
        finally:
            cls.d.kill()
            shutil.rmtree(cls.root, ignore_errors=True)

    def python(self, code, *args):
        p = subprocess.run(["/usr/bin/python3", "-c", code, self.uri] + list(args),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr + self.d.read_log())
        return p.stdout

    def virsh(self, *args, ok=True):
        p = self.mvtest.run(["/usr/bin/virsh", "-c", self.uri] + list(args))
        if ok:
            self.assertEqual(p.returncode, 0, "%s: %s" % (args, p.stderr))
        return p

    def test_python_api_round_trip(self):
        out = json.loads(self.python(CLIENT, XML, UUID))
        self.assertIn("<arch>x86_64</arch>", out["caps"])
        self.assertIn("smbios", out["sysinfo"])
        self.assertEqual(out["maxvcpus"], 255)
        self.assertIn("<machine>q35</machine>", out["domcaps"])
        # model, memory MiB, cpus, mhz, nodes, sockets, cores, threads
        self.assertEqual(out["nodeinfo"], ["x86_64", 4000, 4, 2000, 1, 1, 2, 2])
        self.assertEqual(out["cells"], [1024 ** 3])
        self.assertEqual(out["free"], 1024 ** 3)
        self.assertEqual(out["cpustats"], {"kernel": 100, "user": 200, "idle": 300,
                                           "iowait": 4})
        self.assertEqual(out["memstats"], {"total": 4096000, "free": 1048576,
                                           "buffers": 1000, "cached": 2000})
        self.assertEqual(out["cpumap"], [4, [True, True, False, True], 3])
        self.assertEqual(out["secmodel"], ["standin", ""])
        self.assertIn("-name standin", out["native"])
        self.assertEqual(out["native_err"][0], 8)           # VIR_ERR_INVALID_ARG
        self.assertEqual(out["fromnative_err"][0], 3)       # VIR_ERR_NO_SUPPORT
        self.assertEqual(out["define"], ["demo", UUID, -1])
        self.assertEqual(out["num_defined"], 1)
        self.assertEqual(out["defined"], ["demo"])
        self.assertEqual(out["active_before"], [])
        self.assertGreater(out["id_after_create"], 0)
        self.assertEqual(out["num"], 1)
        self.assertEqual(out["ids"], [out["id_after_create"]])
        self.assertEqual(out["byid"], "demo")
        self.assertEqual(out["byuuid"], "demo")
        self.assertEqual(out["all"], ["demo"])
        self.assertEqual(out["all_inactive"], [])
        # state, maxMem, memory, nrVirtCpu, cpuTime
        self.assertEqual(out["info"], [1, 131072, 131072, 2, 1234567890])
        self.assertEqual(out["state"], [1, 1])
        self.assertTrue(out["xml"])
        self.assertEqual(out["ostype"], "hvm")
        self.assertEqual(out["maxmem"], 131072)
        self.assertEqual(out["maxvcpus_dom"], 2)
        self.assertEqual(out["vcpusflags"], 2)
        self.assertEqual(out["vcpus"], [[[0, 1, 1000000, 0], [1, 1, 2000000, 1]],
                                        [[True, False, False, False],
                                         [False, True, False, False]]])
        self.assertEqual(out["vcpupin"], [[True] * 4, [True] * 4])
        self.assertEqual(out["emupin"], [True] * 4)
        self.assertEqual([out["active"], out["persistent"], out["updated"],
                          out["managedsave"]], [1, 1, 0, 0])
        self.assertEqual(out["seclabel"], ["standin-label", 0])
        self.assertEqual(out["seclabels"], [["standin-label", 1]])
        self.assertEqual(out["messages"], ["tainted: standin one", "tainted: standin two"])
        self.assertEqual(out["hostname_err"][0], 3)         # no driver member
        self.assertEqual(out["control"], [0, 0, 0])
        self.assertEqual(out["sched"], ["posix", 5])
        self.assertEqual(out["autostart"], 1)
        self.assertEqual(out["paused"], [3, 1])
        self.assertEqual(out["after_shutdown"][0], 5)
        self.assertEqual(out["paused_start"], [3, 1])
        self.assertEqual(out["after_destroy"], [5, 2])
        self.assertEqual(out["gone"][0], 42)                # VIR_ERR_NO_DOMAIN
        self.assertEqual(out["gone_handle"][0], 42)
        self.assertEqual(out["transient"], ["demo", True, 0])
        self.assertEqual(out["transient_gone"], 0)

    def test_virsh_commands(self):
        with tempfile.NamedTemporaryFile("w", suffix=".xml") as f:
            f.write(XML.replace("demo", "vdemo").replace(UUID[:8], "00000000"))
            f.flush()
            self.virsh("define", f.name)
        try:
            self.assertIn("vdemo", self.virsh("list", "--all").stdout)
            self.virsh("start", "vdemo")
            out = self.virsh("dominfo", "vdemo").stdout
            self.assertRegex(out, r"State:\s+running")
            self.assertRegex(out, r"Max memory:\s+131072 KiB")
            self.assertRegex(out, r"Security model:\s+standin")
            out = self.virsh("domstate", "--reason", "vdemo").stdout
            self.assertIn("running (booted)", out)
            self.assertIn("VCPU:", self.virsh("vcpuinfo", "vdemo").stdout)
            out = self.virsh("nodeinfo").stdout
            self.assertRegex(out, r"CPU model:\s+x86_64")
            self.assertRegex(out, r"CPU\(s\):\s+4")
            self.assertRegex(self.virsh("nodecpustats").stdout, r"system:\s+100")
            self.assertIn("total", self.virsh("nodememstats").stdout)
            self.assertIn("1048576 KiB", self.virsh("freecell").stdout)
            self.assertEqual(self.virsh("maxvcpus").stdout.strip(), "255")
            self.virsh("suspend", "vdemo")
            self.assertIn("paused", self.virsh("domstate", "vdemo").stdout)
            self.virsh("resume", "vdemo")
            self.virsh("destroy", "vdemo")
            self.assertIn("shut off", self.virsh("domstate", "vdemo").stdout)
            p = self.virsh("dominfo", "nosuch", ok=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("nosuch", p.stderr)
        finally:
            self.virsh("undefine", "vdemo", ok=False)

    def test_events_both_styles(self):
        p = subprocess.Popen(["/usr/bin/python3", "-c", LISTENER, self.uri, "9"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = p.stdout.readline().strip()
            self.assertEqual(line, "ready", p.stderr.read() if p.poll() is not None else "")
            code = r'''
import sys, libvirt
c = libvirt.open(sys.argv[1])
d = c.defineXML(sys.argv[2])
d.create()
d.reboot(0)
d.destroy()
d.undefine()
'''
            self.python(code, XML.replace("demo", "edemo"))
            out, err = p.communicate(timeout=40)
        finally:
            p.kill()
            p.wait()
        lines = out.splitlines()
        for want in ("any life edemo 0 0", "any life edemo 2 0", "any reboot edemo",
                     "any life edemo 5 1", "any life edemo 1 0",
                     "old life edemo 0 0", "old life edemo 2 0", "old life edemo 5 1",
                     "old life edemo 1 0"):
            self.assertIn(want, lines, "%s\n%s" % (out, err))

    def test_wire_limits_refused_before_allocating(self):
        mv = self.mvtest
        c = mv.RawClient(self.d.sock)
        try:
            c.open("standin:///session")
            dom = mv.xdr_string("demo") + bytes(16) + struct.pack(">i", -1)
            cases = [
                (20, dom + struct.pack(">ii", 16385, 1)),          # GET_VCPUS maxinfo
                (20, dom + struct.pack(">ii", 16384, 16384)),      # maxinfo * maplen
                (20, dom + struct.pack(">ii", -1, 1)),
                (37, struct.pack(">i", 16385)),                    # LIST_DOMAINS maxids
                (21, struct.pack(">i", -5)),                       # LIST_DEFINED maxnames
                (101, struct.pack(">ii", 0, 1025)),                # CELLS_FREE maxcells
                (227, struct.pack(">iiI", -1, 17, 0)),             # CPU_STATS nparams
                (228, struct.pack(">iiI", 17, -1, 0)),             # MEMORY_STATS nparams
            ]
            for proc, body in cases:
                m = c.call(proc, body)
                self.assertEqual(m["status"], mv.ERROR, proc)
                e = mv.decode_error(m["body"])
                self.assertEqual(e["code"], 39, (proc, e))       # VIR_ERR_RPC
                self.assertIn("is outside 0 to", e["message"])
            # nparams 0: only the count comes back
            m = c.call(227, struct.pack(">iiI", -1, 0, 0))
            self.assertEqual(m["status"], mv.OK)
            self.assertEqual(m["body"], struct.pack(">Ii", 0, 4))
            # NODE_GET_INFO: model is 32 words; 188 bytes with the header
            m = c.call(6)
            self.assertEqual(m["status"], mv.OK)
            self.assertEqual(len(m["body"]) + 28, 188)
            self.assertEqual(struct.unpack(">6I", m["body"][:24]),
                             tuple(ord(ch) for ch in "x86_64"))
            # NODE_GET_SECURITY_MODEL: chars with the terminating NUL
            m = c.call(122)
            self.assertEqual(m["status"], mv.OK)
            n = struct.unpack(">I", m["body"][:4])[0]
            self.assertEqual(n, len("standin") + 1)
            doi = struct.unpack(">II", m["body"][4 + 4 * n:4 + 4 * n + 8])
            self.assertEqual(doi, (1, 0))
        finally:
            c.close()

    def test_legacy_event_procedures(self):
        mv = self.mvtest
        c = mv.RawClient(self.d.sock)
        try:
            c.open("standin:///session")
            m = c.call(105)                                 # CONNECT_DOMAIN_EVENT_REGISTER
            self.assertEqual((m["status"], m["body"]), (mv.OK, struct.pack(">i", 1)))
            m = c.call(105)                                 # only one per connection
            self.assertEqual(m["status"], mv.ERROR)
            self.assertIn("already registered", mv.decode_error(m["body"])["message"])
            self.python("import sys, libvirt\nlibvirt.open(sys.argv[1]).defineXML("
                        "sys.argv[2]).undefine()\n", XML.replace("demo", "ldemo"))
            events = []
            while len(events) < 2:
                ev = c.recv_message()
                if ev["type"] == mv.MESSAGE and ev["proc"] == 107:
                    events.append(ev["body"])
            name = mv.xdr_string("ldemo")
            self.assertTrue(events[0].startswith(name))
            self.assertEqual(events[0][len(name) + 16:], struct.pack(">iii", -1, 0, 0))
            self.assertEqual(events[1][len(name) + 16:], struct.pack(">iii", -1, 1, 0))
            m = c.call(106)                                 # DEREGISTER
            self.assertEqual((m["status"], m["body"]), (mv.OK, struct.pack(">i", 0)))
            m = c.call(106)
            self.assertEqual(m["status"], mv.ERROR)
            m = c.call(317, struct.pack(">i", 12345))       # unknown callback id
            self.assertEqual(m["status"], mv.ERROR)
            self.assertIn("12345", mv.decode_error(m["body"])["message"])
            m = c.call(316, struct.pack(">iI", 99, 0))      # unknown event id
            self.assertEqual(m["status"], mv.ERROR)
            self.assertIn("99", mv.decode_error(m["body"])["message"])
        finally:
            c.close()

    def test_read_only_connection(self):
        mv = self.mvtest
        c = mv.RawClient(self.d.sock)
        try:
            c.open("standin:///session", flags=1)           # VIR_CONNECT_RO
            m = c.call(11, mv.xdr_string(XML))              # DOMAIN_DEFINE_XML
            self.assertEqual(m["status"], mv.ERROR)
            self.assertEqual(mv.decode_error(m["body"])["code"], 29)  # OPERATION_DENIED
            m = c.call(51)                                  # NUM_OF_DOMAINS
            self.assertEqual(m["status"], mv.OK)
        finally:
            c.close()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_dispatch_domain.py VIRTSTANDIND")
    STANDIND = os.path.abspath(sys.argv.pop(1))
    os.environ.setdefault("MODVIRT_BUILD_DIR",
                          os.path.dirname(os.path.dirname(os.path.dirname(
                              os.path.dirname(STANDIND)))))
    unittest.main(verbosity=2)
