"""A TCG guest on a virtnetworkd NAT network, end to end, with virtqemud and
virtnetworkd as system daemons in one private host (netns.NetHost: its own
mount and network namespace, so nothing touches the machine's network):

- the network is defined and started through virtqemud (qemu:///system,
  forwarded to virtnetworkd over RPC) with Debian's python3-libvirt;
- the guest's <interface type='network'> gets a port from virtnetworkd and a
  tap on the network's bridge; the guest leases an IPv4 address from our
  dnsmasq, which net-dhcp-leases lists, pings the gateway, and pings a
  server in another namespace through the NAT;
- destroying the guest gives the port back and the tap disappears."""

import os
import subprocess
import time

import pytest

import mvtest
import netns
from guest import tiny_guest, domain_xml, serial_text  # noqa: F401

libvirt = pytest.importorskip("libvirt")

NET = """<network>
  <name>mvnat</name>
  <forward mode='nat'/>
  <bridge name='mvnatbr0' stp='off' delay='0'/>
  <ip address='10.77.0.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='10.77.0.100' end='10.77.0.150'/>
    </dhcp>
  </ip>
</network>
"""
MAC = "52:54:00:77:00:42"
UPSTREAM = "198.51.100.2"


@pytest.fixture(scope="module")
def host():
    if mvtest.qemu_reference():
        pytest.skip("runs modvirt's system daemons in private namespaces")
    h = netns.NetHost("virtnetworkd")
    qemud = None
    upstream = None
    try:
        # virtqemud in the same private host
        qsock = h.path("/run/libvirt/virtqemud-sock")
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]
        qlog = open(os.path.join(h.root, "virtqemud.log"), "ab")
        qemud = subprocess.Popen(h.nsenter() + [mvtest.daemon_path("virtqemud")], env=env,
                                 stdin=subprocess.DEVNULL, stdout=qlog,
                                 stderr=subprocess.STDOUT, close_fds=True)
        mvtest.wait_until(lambda: os.path.exists(qsock), timeout=20, what="virtqemud socket")
        h.quri = "qemu:///system?socket=%s" % qsock
        h.qemud = qemud
        # an "upstream" server in a namespace of its own, behind a veth
        upstream = subprocess.Popen(["unshare", "--net", "sleep", "600"],
                                    stdin=subprocess.DEVNULL, close_fds=True)
        mvtest.wait_until(lambda: os.readlink("/proc/%d/ns/net" % upstream.pid) !=
                          os.readlink("/proc/self/ns/net"), timeout=5, what="upstream netns")
        h.run("ip", "link", "add", "mvup0", "type", "veth", "peer", "name", "eth0",
              "netns", str(upstream.pid))
        h.run("ip", "addr", "add", "198.51.100.1/24", "dev", "mvup0")
        h.run("ip", "link", "set", "mvup0", "up")
        up = ["nsenter", "-t", str(upstream.pid), "--net", "ip"]
        subprocess.run(up + ["link", "set", "lo", "up"], check=True)
        subprocess.run(up + ["addr", "add", UPSTREAM + "/24", "dev", "eth0"], check=True)
        subprocess.run(up + ["link", "set", "eth0", "up"], check=True)
        yield h
        qemud.send_signal(15)
        assert qemud.wait(20) == 0, open(qlog.name, errors="replace").read()
        mvtest.check_sanitizer_log(open(qlog.name, errors="replace").read(), "virtqemud")
        h.stop()
    finally:
        if qemud and qemud.poll() is None:
            qemud.kill()
        if upstream:
            upstream.kill()
        h.cleanup()


def test_guest_on_nat_network(host, tiny_guest):
    conn = libvirt.open(host.quri)
    try:
        # network calls on qemu:/// are forwarded to virtnetworkd
        net = conn.networkDefineXML(NET)
        net.create()
        assert net.bridgeName() == "mvnatbr0"
        serial = os.path.join(host.root, "netguest.serial")
        nic = ("<interface type='network'><mac address='%s'/><source network='mvnat'/>"
               "<model type='virtio'/></interface>" % MAC)
        xml = domain_xml("netguest", tiny_guest, serial=serial, devices=nic,
                         extra_cmdline="modvirt.net=dhcp modvirt.ping=10.77.0.1,%s" % UPSTREAM)
        dom = conn.defineXML(xml)
        dom.create()
        live = dom.XMLDesc(0)
        assert "portid=" in live and "bridge='mvnatbr0'" in live, live
        tap = live.split("<target dev='")[1].split("'")[0]
        assert "master mvnatbr0" in host.run("ip", "-o", "link", "show", tap).stdout
        assert len(net.listAllPorts()) == 1

        deadline = time.time() + 60
        while time.time() < deadline:
            text = serial_text(serial)
            if text.count("MODVIRT-NET-PING") >= 2 or "MODVIRT-NET-NOLEASE" in text:
                break
            time.sleep(0.2)
        text = serial_text(serial)
        assert "MODVIRT-NET-LEASE 10.77.0." in text, text[-3000:]
        assert "MODVIRT-NET-PING 10.77.0.1 ok" in text, text[-3000:]
        assert "MODVIRT-NET-PING %s ok" % UPSTREAM in text, text[-3000:]
        leases = net.DHCPLeases()
        assert [l for l in leases if l["mac"] == MAC and l["ipaddr"].startswith("10.77.0.")], \
            leases
        p = mvtest.virsh("debian", host.quri, "net-dhcp-leases", "mvnat")
        assert MAC in p.stdout, p.stdout + p.stderr

        dom.destroy()
        assert net.listAllPorts() == []
        deadline = time.time() + 5
        while tap in host.run("ip", "-o", "link", "show").stdout and time.time() < deadline:
            time.sleep(0.05)
        assert tap not in host.run("ip", "-o", "link", "show").stdout
        dom.undefine()
        net.destroy()
        net.undefine()
    finally:
        conn.close()
