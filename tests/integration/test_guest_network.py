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
        # the same lease through virtqemud (virDomainInterfaceAddresses asks
        # virtnetworkd), and the host's neighbour table after the guest's pings
        ifaces = dom.interfaceAddresses(libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE)
        assert tap in ifaces and ifaces[tap]["hwaddr"] == MAC, ifaces
        assert ifaces[tap]["addrs"][0]["addr"].startswith("10.77.0."), ifaces
        assert ifaces[tap]["addrs"][0]["prefix"] == 24, ifaces
        for src in ("lease", "arp"):
            p = mvtest.virsh("debian", host.quri, "domifaddr", "netguest", "--source", src)
            assert p.returncode == 0 and MAC in p.stdout and "10.77.0." in p.stdout, \
                src + ": " + p.stdout + p.stderr
            # our virsh prints the same
            ours = mvtest.virsh("modvirt", host.quri, "domifaddr", "netguest", "--source", src)
            assert (ours.returncode, ours.stdout, ours.stderr) == \
                (p.returncode, p.stdout, p.stderr), ours.stdout + ours.stderr
        with pytest.raises(libvirt.libvirtError) as e:
            dom.interfaceAddresses(libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT)
        assert "agent" in str(e.value)

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


def boot(conn, host, tiny_guest, name, netname, mac, cmdline):
    serial = os.path.join(host.root, "%s.serial" % name)
    nic = ("<interface type='network'><mac address='%s'/><source network='%s'/>"
           "<model type='virtio'/></interface>" % (mac, netname))
    dom = conn.defineXML(domain_xml(name, tiny_guest, serial=serial, devices=nic,
                                    extra_cmdline=cmdline))
    dom.create()
    return dom, serial


def wait_lines(serial, needle, count, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        text = serial_text(serial)
        if text.count(needle) >= count or "MODVIRT-NET-NOLEASE" in text:
            return text
        time.sleep(0.2)
    return serial_text(serial)


def test_guest_ipv6_autoconfigures(host, tiny_guest):
    conn = libvirt.open(host.quri)
    try:
        net = conn.networkCreateXML("""<network>
  <name>mvv6</name>
  <forward mode='route'/>
  <bridge name='mvv6br0' stp='off' delay='0'/>
  <ip family='ipv6' address='fd00:77::1' prefix='64'/>
</network>""")
        dom, serial = boot(conn, host, tiny_guest, "v6guest", "mvv6", "52:54:00:77:06:01",
                           "modvirt.net=slaac modvirt.ping=fd00:77::1 modvirt.pingtries=5")
        text = wait_lines(serial, "MODVIRT-NET-PING", 1)
        assert "MODVIRT-NET-V6 fd00:77::" in text, text[-3000:]
        assert "MODVIRT-NET-PING fd00:77::1 ok" in text, text[-3000:]
        dom.destroy()
        dom.undefine()
        net.destroy()
    finally:
        conn.close()


def test_isolated_network_guests_reach_only_each_other(host, tiny_guest):
    conn = libvirt.open(host.quri)
    try:
        net = conn.networkCreateXML("""<network>
  <name>mviso</name>
  <bridge name='mvisobr0' stp='off' delay='0'/>
  <ip address='10.78.0.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='10.78.0.100' end='10.78.0.150'/>
      <host mac='52:54:00:78:00:0a' ip='10.78.0.10'/>
      <host mac='52:54:00:78:00:0b' ip='10.78.0.11'/>
    </dhcp>
  </ip>
</network>""")
        a, sa = boot(conn, host, tiny_guest, "isoa", "mviso", "52:54:00:78:00:0a",
                     "modvirt.net=dhcp modvirt.ping=10.78.0.11,%s modvirt.pingtries=25"
                     % UPSTREAM)
        b, sb = boot(conn, host, tiny_guest, "isob", "mviso", "52:54:00:78:00:0b",
                     "modvirt.net=dhcp modvirt.ping=10.78.0.10 modvirt.pingtries=25")
        ta = wait_lines(sa, "MODVIRT-NET-PING", 2, timeout=120)
        tb = wait_lines(sb, "MODVIRT-NET-PING", 1, timeout=120)
        assert "MODVIRT-NET-LEASE 10.78.0.10/" in ta, ta[-3000:]
        assert "MODVIRT-NET-LEASE 10.78.0.11/" in tb, tb[-3000:]
        assert "MODVIRT-NET-PING 10.78.0.11 ok" in ta, ta[-3000:]
        assert "MODVIRT-NET-PING 10.78.0.10 ok" in tb, tb[-3000:]
        # an isolated network forwards nothing: the upstream host is unreachable
        assert "MODVIRT-NET-PING %s fail" % UPSTREAM in ta, ta[-3000:]
        for d in (a, b):
            d.destroy()
            d.undefine()
        net.destroy()
    finally:
        conn.close()


def test_killing_virtnetworkd_keeps_guests_connected(host, tiny_guest):
    conn = libvirt.open(host.quri)
    try:
        net = conn.networkCreateXML(NET.replace("mvnat", "mvnat2").replace(
            "10.77.0.", "10.79.0.").replace("mvnatbr0", "mvnat2br0"))
        dom, serial = boot(conn, host, tiny_guest, "keepguest", "mvnat2", "52:54:00:79:00:01",
                           "modvirt.net=dhcp")
        text = wait_lines(serial, "MODVIRT-NET-LEASE", 1)
        addr = text.split("MODVIRT-NET-LEASE ")[1].split("/")[0]
        host.kill()
        # the guest stays reachable on its bridge with no virtnetworkd running
        host.run("busybox", "ping", "-c", "1", "-W", "2", addr)
        host.start()
        host.run("busybox", "ping", "-c", "1", "-W", "2", addr)
        net = conn.networkLookupByName("mvnat2")
        assert net.isActive()
        assert len(net.listAllPorts()) == 1
        # a guest started after the restart still gets a port and a lease
        dom2, serial2 = boot(conn, host, tiny_guest, "lateguest", "mvnat2",
                             "52:54:00:79:00:02", "modvirt.net=dhcp")
        text2 = wait_lines(serial2, "MODVIRT-NET-LEASE", 1)
        assert "MODVIRT-NET-LEASE 10.79.0." in text2, text2[-3000:]
        assert len(net.listAllPorts()) == 2
        for d in (dom, dom2):
            d.destroy()
            d.undefine()
        assert net.listAllPorts() == []
        net.destroy()
    finally:
        conn.close()
