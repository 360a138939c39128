"""virtnetworkd: the life of a network, driven by Debian's virsh and
python3-libvirt against a system-mode daemon in private namespaces.

Define, start, inspect, update, destroy and undefine a NAT network and
check the host side at each step: bridge and addresses, the nftables table,
dnsmasq and its files exist exactly while the network is active.  Also:
transient networks, the default network of a first start, autostart,
lifecycle events and network ports.
"""

import os
import sys
import threading
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))

import mvtest  # noqa: E402
import netns  # noqa: E402

pytestmark = pytest.mark.system

NAT_XML = """<network>
  <name>{name}</name>
  <forward mode='nat'/>
  <bridge name='{bridge}' stp='off'/>
  <ip address='{prefix}.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='{prefix}.10' end='{prefix}.100'/>
      <host mac='52:54:00:00:aa:01' name='fixed1' ip='{prefix}.50'/>
    </dhcp>
  </ip>
</network>
"""


@pytest.fixture(scope="module")
def host():
    h = netns.NetHost()
    try:
        yield h
        h.stop()
    finally:
        h.cleanup()


def write(host, name, text):
    path = os.path.join(host.root, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def ok(p):
    assert p.returncode == 0, "virsh failed: %s%s" % (p.stdout, p.stderr)
    return p.stdout


def test_default_network_on_first_start(host):
    out = ok(host.virsh("net-list", "--all"))
    assert "default" in out and "active" in out, out
    xml = ok(host.virsh("net-dumpxml", "default"))
    assert "<forward mode='nat'/>" in xml
    assert "192.168.122.1" in xml and "virbr0" in xml
    assert "192.168.122.1/24" in host.addresses("virbr0")
    assert os.path.islink(host.path("/etc/libvirt/qemu/networks/autostart/default.xml"))
    assert ok(host.virsh("net-info", "default")).count("yes") == 3  # active, persistent, autostart
    # destroyed and undefined, it stays away (no second default on a restart)
    ok(host.virsh("net-destroy", "default"))
    ok(host.virsh("net-undefine", "default"))
    assert "virbr0" not in host.links()


def test_define_start_destroy_undefine(host):
    path = write(host, "n1.xml", NAT_XML.format(name="mvn1", bridge="mvbr1", prefix="10.91.1"))
    ok(host.virsh("net-define", path))
    xml = ok(host.virsh("net-dumpxml", "mvn1"))
    assert "<mac address='52:54:00:" in xml, xml      # stable MAC given at define
    mac = xml.split("<mac address='")[1][:17]
    assert os.path.exists(host.path("/etc/libvirt/qemu/networks/mvn1.xml"))
    assert "mvbr1" not in host.links()
    assert host.dnsmasq_pids() == []

    t0 = time.time()
    ok(host.virsh("net-start", "mvn1"))
    start_s = time.time() - t0
    assert "mvbr1" in host.links()
    assert "10.91.1.1/24" in host.addresses("mvbr1")
    assert mac in host.run("ip", "link", "show", "mvbr1").stdout
    assert "table inet modvirt-mvn1" in host.nft_tables()
    ruleset = host.nft_ruleset()
    assert "masquerade" in ruleset and "10.91.1.0/24" in ruleset
    pids = host.dnsmasq_pids()
    assert len(pids) == 1
    assert "52:54:00:00:aa:01,10.91.1.50,fixed1" in \
        host.read("/var/lib/libvirt/dnsmasq/mvn1.hostsfile")
    assert host.exists("/run/libvirt/network/mvn1.xml")

    info = ok(host.virsh("net-info", "mvn1"))
    assert "mvbr1" in info
    active = ok(host.virsh("net-list", "--name"))
    assert "mvn1" in active.split()
    inactive = ok(host.virsh("net-list", "--inactive", "--name"))
    assert "mvn1" not in inactive.split()

    t0 = time.time()
    ok(host.virsh("net-destroy", "mvn1"))
    destroy_s = time.time() - t0
    assert "mvbr1" not in host.links()
    assert "table inet modvirt-mvn1" not in host.nft_tables()
    assert host.dnsmasq_pids() == []
    assert not host.exists("/run/libvirt/network/mvn1.xml")
    print("\nNAT network start %.3f s, destroy %.3f s" % (start_s, destroy_s))

    ok(host.virsh("net-undefine", "mvn1"))
    assert not host.exists("/etc/libvirt/qemu/networks/mvn1.xml")
    assert not host.exists("/var/lib/libvirt/dnsmasq/mvn1.conf")
    p = host.virsh("net-info", "mvn1")
    assert p.returncode != 0 and "Network not found" in p.stderr, p.stderr


def test_transient_network(host):
    path = write(host, "n2.xml", NAT_XML.format(name="mvn2", bridge="mvbr2", prefix="10.91.2"))
    ok(host.virsh("net-create", path))
    out = ok(host.virsh("net-list", "--transient", "--name"))
    assert "mvn2" in out.split()
    assert "mvbr2" in host.links()
    assert not host.exists("/etc/libvirt/qemu/networks/mvn2.xml")
    p = host.virsh("net-create", path)     # a new UUID for the same name
    assert p.returncode != 0 and "network 'mvn2' already exists" in p.stderr, p.stderr
    assert len(host.dnsmasq_pids()) == 1          # mvn2's, nothing more
    p = host.virsh("net-autostart", "mvn2")
    assert p.returncode != 0 and "transient" in p.stderr
    ok(host.virsh("net-destroy", "mvn2"))
    assert "mvn2" not in ok(host.virsh("net-list", "--all", "--name")).split()
    assert "mvbr2" not in host.links()
    assert host.dnsmasq_pids() == []


def test_update_live_and_config(host):
    path = write(host, "n3.xml", NAT_XML.format(name="mvn3", bridge="mvbr3", prefix="10.91.3"))
    ok(host.virsh("net-define", path))
    ok(host.virsh("net-start", "mvn3"))
    hostsfile = "/var/lib/libvirt/dnsmasq/mvn3.hostsfile"
    pid = host.dnsmasq_pids()
    try:
        ok(host.virsh("net-update", "mvn3", "add", "ip-dhcp-host",
                      "<host mac='52:54:00:00:aa:02' name='fixed2' ip='10.91.3.51'/>",
                      "--live", "--config"))
        assert "52:54:00:00:aa:02,10.91.3.51,fixed2" in host.read(hostsfile)
        assert "fixed2" in ok(host.virsh("net-dumpxml", "--inactive", "mvn3"))
        # live only: the config keeps the entry
        ok(host.virsh("net-update", "mvn3", "delete", "ip-dhcp-host",
                      "<host mac='52:54:00:00:aa:02'/>", "--live"))
        assert "fixed2" not in host.read(hostsfile)
        assert "fixed2" not in ok(host.virsh("net-dumpxml", "mvn3"))
        assert "fixed2" in ok(host.virsh("net-dumpxml", "--inactive", "mvn3"))
        # modify by MAC
        ok(host.virsh("net-update", "mvn3", "modify", "ip-dhcp-host",
                      "<host mac='52:54:00:00:aa:01' name='fixed1' ip='10.91.3.60'/>", "--live"))
        assert "52:54:00:00:aa:01,10.91.3.60,fixed1" in host.read(hostsfile)
        # dns host records
        ok(host.virsh("net-update", "mvn3", "add", "dns-host",
                      "<host ip='10.91.3.7'><hostname>files</hostname></host>", "--live",
                      "--config"))
        assert "10.91.3.7" in host.read("/var/lib/libvirt/dnsmasq/mvn3.addnhosts")
        # hosts changes are a SIGHUP, not a restart
        assert host.dnsmasq_pids() == pid
        # bad updates fail and change nothing
        p = host.virsh("net-update", "mvn3", "add", "ip-dhcp-host",
                       "<host mac='52:54:00:00:aa:09' name='x' ip='10.99.0.5'/>", "--live")
        assert p.returncode != 0 and "outside" in p.stderr, p.stderr
        p = host.virsh("net-update", "mvn3", "add", "ip-dhcp-host",
                       "<host mac='52:54:00:00:aa:01' name='y' ip='10.91.3.70'/>", "--live")
        assert p.returncode != 0 and "existing dhcp host entry" in p.stderr, p.stderr
        p = host.virsh("net-update", "mvn3", "delete", "dns-host",
                       "<host ip='10.91.3.99'><hostname>nope</hostname></host>", "--live")
        assert p.returncode != 0 and "couldn't locate" in p.stderr, p.stderr
    finally:
        host.virsh("net-destroy", "mvn3")
        host.virsh("net-undefine", "mvn3")
    # the config update outlived the live state
    assert host.dnsmasq_pids() == []


def test_events_autostart_and_ports(host):
    import libvirt

    libvirt.virEventRegisterDefaultImpl()
    conn = libvirt.open(host.uri)
    events = []
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            libvirt.virEventRunDefaultImpl()

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    cb = conn.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                      lambda c, n, ev, det, op: events.append((n.name(), ev)),
                                      None)
    try:
        net = conn.networkDefineXML(NAT_XML.format(name="mvn4", bridge="mvbr4",
                                                   prefix="10.91.4"))
        net.setAutostart(True)
        assert net.autostart() == 1
        assert os.path.islink(host.path("/etc/libvirt/qemu/networks/autostart/mvn4.xml"))
        net.create()
        assert net.isActive() == 1 and net.isPersistent() == 1
        assert net.bridgeName() == "mvbr4"
        names = [n.name() for n in conn.listAllNetworks(
            libvirt.VIR_CONNECT_LIST_NETWORKS_AUTOSTART)]
        assert "mvn4" in names

        port_xml = """<networkport>
  <owner><name>guest1</name><uuid>11111111-2222-3333-4444-555555555555</uuid></owner>
  <mac address='52:54:00:12:34:56'/>
</networkport>"""
        port = net.portCreateXML(port_xml)
        pxml = port.XMLDesc()
        assert "<plug type='network' bridge='mvbr4'/>" in pxml, pxml
        assert [p.UUIDString() for p in net.listAllPorts()] == [port.UUIDString()]
        assert "connections='1'" in net.XMLDesc()
        assert net.portLookupByUUIDString(port.UUIDString()).UUIDString() == port.UUIDString()
        port.delete()
        assert net.listAllPorts() == []
        with pytest.raises(libvirt.libvirtError) as e:
            net.portLookupByUUIDString(port.UUIDString())
        assert e.value.get_error_code() == libvirt.VIR_ERR_NO_NETWORK_PORT

        net.destroy()
        net.setAutostart(False)
        net.undefine()
        mvtest.wait_until(lambda: len(events) >= 4, timeout=10, what="network events")
        assert events[:4] == [("mvn4", libvirt.VIR_NETWORK_EVENT_DEFINED),
                              ("mvn4", libvirt.VIR_NETWORK_EVENT_STARTED),
                              ("mvn4", libvirt.VIR_NETWORK_EVENT_STOPPED),
                              ("mvn4", libvirt.VIR_NETWORK_EVENT_UNDEFINED)], events
    finally:
        conn.networkEventDeregisterAny(cb)
        stop.set()
        conn.close()


MODES = {
    "isolated": "",
    "route": "<forward mode='route'/>",
    "open": "<forward mode='open'/>",
}


@pytest.mark.parametrize("mode", sorted(MODES))
def test_other_modes_dual_stack(host, mode):
    name = "mv" + mode
    xml = """<network>
  <name>%s</name>
  %s
  <bridge name='mvbr-%s' stp='off'/>
  <ip address='10.93.%d.1' prefix='24'>
    <dhcp><range start='10.93.%d.10' end='10.93.%d.20'/></dhcp>
  </ip>
  <ip family='ipv6' address='fd00:93:%d::1' prefix='64'/>
</network>
""" % (name, MODES[mode], mode[:5], len(mode), len(mode), len(mode), len(mode))
    bridge = "mvbr-" + mode[:5]
    ok(host.virsh("net-define", write(host, name + ".xml", xml)))
    try:
        ok(host.virsh("net-start", name))
        addrs = host.addresses(bridge)
        assert "10.93.%d.1/24" % len(mode) in addrs
        assert "fd00:93:%d::1/64" % len(mode) in addrs
        conf = host.read("/var/lib/libvirt/dnsmasq/%s.conf" % name)
        assert "enable-ra" in conf
        tables = host.nft_tables()
        ruleset = host.nft_ruleset()
        if mode == "open":
            assert "table inet modvirt-%s" % name not in tables
        else:
            assert "table inet modvirt-%s" % name in tables
            assert "masquerade" not in ruleset.split("modvirt-%s" % name)[1].split("table")[0]
        assert len(host.dnsmasq_pids()) >= 1
        ok(host.virsh("net-destroy", name))
        assert bridge not in host.links()
        assert "table inet modvirt-%s" % name not in host.nft_tables()
    finally:
        host.virsh("net-destroy", name)
        host.virsh("net-undefine", name)


def test_forward_bridge_ports(host):
    host.run("ip", "link", "add", "hostbr0", "type", "bridge")
    try:
        xml = """<network>
  <name>mvhb</name>
  <forward mode='bridge'/>
  <bridge name='hostbr0'/>
</network>
"""
        ok(host.virsh("net-define", write(host, "mvhb.xml", xml)))
        before = host.dnsmasq_pids()
        ok(host.virsh("net-start", "mvhb"))
        assert host.dnsmasq_pids() == before       # no dnsmasq for a host bridge
        assert host.links().count("hostbr0") == 1
        assert not host.exists("/var/lib/libvirt/dnsmasq/mvhb.conf")
        import libvirt
        conn = libvirt.open(host.uri)
        try:
            net = conn.networkLookupByName("mvhb")
            port = net.portCreateXML("""<networkport>
  <owner><name>g</name><uuid>11111111-2222-3333-4444-555555555556</uuid></owner>
  <mac address='52:54:00:12:34:57'/>
</networkport>""")
            assert "<plug type='bridge' bridge='hostbr0'/>" in port.XMLDesc()
        finally:
            conn.close()
        ok(host.virsh("net-destroy", "mvhb"))
        assert "hostbr0" in host.links()        # not ours: left alone
    finally:
        host.virsh("net-destroy", "mvhb")
        host.virsh("net-undefine", "mvhb")
        host.run("ip", "link", "del", "hostbr0", check=False)


def test_undefine_active_and_update_inactive(host):
    path = write(host, "n5.xml", NAT_XML.format(name="mvn5", bridge="mvbr5", prefix="10.91.5"))
    ok(host.virsh("net-define", path))
    # an inactive network: net-update goes to the config
    ok(host.virsh("net-update", "mvn5", "add", "dns-host",
                  "<host ip='10.91.5.9'><hostname>cfg</hostname></host>"))
    assert "cfg" in ok(host.virsh("net-dumpxml", "mvn5"))
    p = host.virsh("net-update", "mvn5", "add", "dns-host",
                   "<host ip='10.91.5.8'><hostname>x</hostname></host>", "--live")
    assert p.returncode != 0 and "not running" in p.stderr, p.stderr
    ok(host.virsh("net-start", "mvn5"))
    assert "10.91.5.9\tcfg" in host.read("/var/lib/libvirt/dnsmasq/mvn5.addnhosts")
    # undefining an active network makes it transient; destroy then forgets it
    ok(host.virsh("net-undefine", "mvn5"))
    assert "mvn5" in ok(host.virsh("net-list", "--transient", "--name")).split()
    assert "mvbr5" in host.links()
    assert not host.exists("/etc/libvirt/qemu/networks/mvn5.xml")
    ok(host.virsh("net-destroy", "mvn5"))
    assert "mvn5" not in ok(host.virsh("net-list", "--all", "--name")).split()
    assert "mvbr5" not in host.links()
