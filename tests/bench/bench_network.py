#!/usr/bin/python3
"""Network benchmark: modvirt (virtnetworkd + virtqemud) beside Debian's
libvirtd 9.0 in the same run, each as system daemons inside a private host
of its own (a mount + network namespace with tmpfs over /run, /var/lib,
/var/cache, /var/log and /etc/libvirt; see tests/lib/netns.py), so neither
touches the machine's network.  libvirtd runs as root only inside that
private host, as DESIGN.md section 8 allows.

Measured (medians): starting and destroying a NAT network with DHCP, and the
time a guest NIC on that network adds to a guest start (start with one
<interface type='network'> minus start without).  Prints
"metric | libvirt | modvirt | ratio".  Run by hand as root after a build:
    sudo tests/bench/bench_network.py [--runs N] [--build DIR]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))

import libvirt  # noqa: E402

NET = """<network>
  <name>bench%d</name>
  <forward mode='nat'/>
  <bridge name='bnbr%d' stp='off' delay='0'/>
  <ip address='10.9%d.0.1' netmask='255.255.255.0'>
    <dhcp><range start='10.9%d.0.100' end='10.9%d.0.200'/></dhcp>
  </ip>
</network>
"""


def guest_xml(name, g, nic):
    import guest
    devices = ("<interface type='network'><source network='benchnic'/>"
               "<model type='virtio'/></interface>") if nic else ""
    return guest.domain_xml(name, g, serial=None, devices=devices)


def median_ms(samples):
    return statistics.median(samples) * 1000.0


class Side:
    def __init__(self, which, build):
        import mvtest
        import netns
        self.which = which
        self.procs = []
        self.host = netns.NetHost("virtnetworkd", start=False)
        h = self.host
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"}
        os.makedirs(h.path("/etc/libvirt"), exist_ok=True)
        if which == "libvirt":
            # the packaged daemon wants its user and groups; they exist only in
            # this private host's /etc
            for f, line in (("passwd", "libvirt-qemu:x:64055:64055::/var/lib/libvirt:"
                                       "/usr/sbin/nologin\n"),
                            ("group", "libvirt-qemu:x:64055:\nkvm:x:64056:\nlibvirt:x:64057:\n")):
                tmp = os.path.join(h.root, f)
                with open(tmp, "w") as out:
                    out.write(open("/etc/" + f).read() + line)
                h.run("mount", "--bind", tmp, "/etc/" + f)
            with open(h.path("/etc/libvirt/qemu.conf"), "w") as f:
                f.write('stdio_handler = "file"\nuser = "root"\ngroup = "root"\n'
                        'dynamic_ownership = 0\n')
            self.start(["/usr/sbin/libvirtd"], env)
            sock = h.path("/run/libvirt/libvirt-sock")
            self.netsock = sock
        else:
            self.start([mvtest.daemon_path("virtnetworkd")], env)
            self.start([mvtest.daemon_path("virtqemud")], env)
            sock = h.path("/run/libvirt/virtqemud-sock")
            self.netsock = h.path("/run/libvirt/virtnetworkd-sock")
        mvtest.wait_until(lambda: os.path.exists(sock) and os.path.exists(self.netsock),
                          timeout=30, what="%s sockets" % which)
        self.conn = libvirt.open("qemu:///system?socket=%s" % sock)
        self.netconn = libvirt.open("network:///system?socket=%s" % self.netsock) \
            if which == "modvirt" else self.conn

    def start(self, argv, env):
        log = open(os.path.join(self.host.root, os.path.basename(argv[0]) + ".log"), "ab")
        self.procs.append(subprocess.Popen(self.host.nsenter() + argv, env=env,
                                           stdin=subprocess.DEVNULL, stdout=log,
                                           stderr=subprocess.STDOUT, close_fds=True))

    def close(self):
        for d in self.conn.listAllDomains():
            try:
                d.destroy()
            except libvirt.libvirtError:
                pass
        self.conn.close()
        if self.netconn is not self.conn:
            self.netconn.close()
        for p in self.procs:
            p.terminate()
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        self.host.cleanup()


def measure(side, g, runs):
    out = {}
    starts, stops = [], []
    for i in range(runs):
        k = i % 8
        t = time.perf_counter()
        n = side.netconn.networkCreateXML(NET % (k, k, k, k, k))
        starts.append(time.perf_counter() - t)
        t = time.perf_counter()
        n.destroy()
        stops.append(time.perf_counter() - t)
    out["net_start_ms"] = median_ms(starts)
    out["net_destroy_ms"] = median_ms(stops)

    side.netconn.networkCreateXML((NET % (9, 9, 9, 9, 9)).replace("bench9", "benchnic"))
    with_nic, without = [], []
    for i in range(runs):
        for nic, bucket in ((False, without), (True, with_nic)):
            dom = side.conn.defineXML(guest_xml("bg%d%d" % (i, nic), g, nic))
            t = time.perf_counter()
            dom.create()
            bucket.append(time.perf_counter() - t)
            dom.destroy()
            dom.undefine()
    out["guest_start_no_nic_ms"] = median_ms(without)
    out["guest_start_nic_ms"] = median_ms(with_nic)
    # what the NIC adds (port, tap, bridge); within noise it can come out
    # negative, and then it is printed as measured
    out["nic_setup_ms"] = out["guest_start_nic_ms"] - out["guest_start_no_nic_ms"]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root: both sides need their own network namespace")
    os.environ["MODVIRT_BUILD_DIR"] = args.build
    import guest
    g = guest.build(tempfile.mkdtemp(prefix="mvbench-guest-"))
    results = {}
    for which in ("libvirt", "modvirt"):
        print("measuring %s ..." % which, file=sys.stderr)
        side = Side(which, args.build)
        try:
            results[which] = measure(side, g, args.runs)
        finally:
            side.close()
    print("%-24s | %12s | %12s | %s" % ("metric", "libvirt", "modvirt", "ratio"))
    print("-" * 25 + "+" + "-" * 14 + "+" + "-" * 14 + "+" + "-" * 8)
    for key in results["libvirt"]:
        lv, mv = results["libvirt"][key], results["modvirt"][key]
        ratio = "%.2fx" % (lv / mv) if mv > 0 and lv > 0 else "n/a"
        print("%-24s | %12.1f | %12.1f | %s" % (key, lv, mv, ratio))
    print("(ratio > 1 means modvirt is faster; each side runs in a private host of its own)")


if __name__ == "__main__":
    main()
