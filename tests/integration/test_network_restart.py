"""virtnetworkd: DHCP leases and daemon restarts.

A DHCP client in a second namespace (a veth on the network's bridge) gets a
lease from our dnsmasq, static hosts by MAC included, and net-dhcp-leases
lists it.  Killing the daemon leaves the network serving; a restarted
daemon re-adopts bridge, dnsmasq, nftables rules and ports with nothing
duplicated, and repairs what vanished meanwhile (a dead dnsmasq, a deleted
rules table).
"""

import os
import signal
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))

import mvtest  # noqa: E402
import netns  # noqa: E402

pytestmark = pytest.mark.system

XML = """<network>
  <name>lan</name>
  <forward mode='nat'/>
  <bridge name='mvlan0' stp='off' delay='0'/>
  <domain name='lan.test'/>
  <ip address='10.92.0.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='10.92.0.100' end='10.92.0.150'/>
      <host mac='52:54:00:00:bb:01' name='fixed' ip='10.92.0.50'/>
    </dhcp>
  </ip>
</network>
"""

PORT = """<networkport>
  <owner><name>guest%d</name><uuid>11111111-2222-3333-4444-00000000000%d</uuid></owner>
  <mac address='52:54:00:00:cc:0%d'/>
</networkport>"""


@pytest.fixture
def host():
    h = netns.NetHost()
    try:
        h.virsh("net-destroy", "default")
        h.virsh("net-undefine", "default")
        path = os.path.join(h.root, "lan.xml")
        with open(path, "w") as f:
            f.write(XML)
        assert h.virsh("net-define", path).returncode == 0
        assert h.virsh("net-start", "lan").returncode == 0
        yield h
        h.virsh("net-destroy", "lan")
        h.stop()
    finally:
        h.cleanup()


def leases(host, *args):
    p = host.virsh("net-dhcp-leases", "lan", *args)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_dhcp_leases(host):
    import libvirt

    t0 = time.time()
    fixed = host.client("mvlan0", "52:54:00:00:bb:01").dhcp(hostname="fixedguest")
    lease_s = time.time() - t0
    assert fixed == "10.92.0.50"
    dyn = host.client("mvlan0", "52:54:00:00:bb:02").dhcp(hostname="dynguest")
    assert dyn.startswith("10.92.0.") and 100 <= int(dyn.split(".")[3]) <= 150

    out = leases(host)
    # a static host's lease carries its configured name
    assert "52:54:00:00:bb:01" in out and "10.92.0.50/24" in out and " fixed " in out
    assert "52:54:00:00:bb:02" in out and dyn + "/24" in out
    only = leases(host, "--mac", "52:54:00:00:BB:02")
    assert "52:54:00:00:bb:02" in only and "52:54:00:00:bb:01" not in only

    conn = libvirt.open(host.uri)
    try:
        got = conn.networkLookupByName("lan").DHCPLeases()
        mine = [l for l in got if l["mac"] == "52:54:00:00:bb:01"]
        assert len(mine) == 1
        assert mine[0]["iface"] == "mvlan0" and mine[0]["prefix"] == 24
        assert mine[0]["type"] == libvirt.VIR_IP_ADDR_TYPE_IPV4
        assert mine[0]["expirytime"] > time.time()
    finally:
        conn.close()

    # a static host added live is served at once (hostsfile + SIGHUP)
    p = host.virsh("net-update", "lan", "add", "ip-dhcp-host",
                   "<host mac='52:54:00:00:bb:03' name='late' ip='10.92.0.60'/>", "--live")
    assert p.returncode == 0, p.stderr
    assert host.client("mvlan0", "52:54:00:00:bb:03").dhcp() == "10.92.0.60"
    print("\nfirst DHCP lease %.2f s" % lease_s)


def gone(pid):
    """Whether @pid exited (zombie or reaped): its sockets are closed."""
    try:
        with open("/proc/%d/status" % pid) as f:
            return "\nState:\tZ" in f.read()
    except OSError:
        return True


def bridges(host):
    """Links of the host namespace but the clients' veth ends."""
    return [l for l in host.links() if not l.startswith("mvtv")]


def test_kill_restart_readopts(host):
    import libvirt

    conn = libvirt.open(host.uri)
    net = conn.networkLookupByName("lan")
    port = net.portCreateXML(PORT % (1, 1, 1))
    port_uuid = port.UUIDString()
    conn.close()
    pids = host.dnsmasq_pids()
    ruleset = host.nft_ruleset()
    links = bridges(host)
    assert len(pids) == 1

    host.kill()
    # the network keeps working without its daemon
    assert host.client("mvlan0", "52:54:00:00:bb:01").dhcp() == "10.92.0.50"

    host.start()
    out = host.virsh("net-list", "--all").stdout
    assert "lan" in out and "active" in out, out
    assert host.dnsmasq_pids() == pids
    assert host.nft_ruleset() == ruleset
    assert bridges(host) == links
    conn = libvirt.open(host.uri)
    try:
        net = conn.networkLookupByName("lan")
        assert [p.UUIDString() for p in net.listAllPorts()] == [port_uuid]
        assert "connections='1'" in net.XMLDesc()
        # a new port after the restart, and the old one still deletable
        net.portCreateXML(PORT % (2, 2, 2))
        assert len(net.listAllPorts()) == 2
        net.portLookupByUUIDString(port_uuid).delete()
        assert len(net.listAllPorts()) == 1
    finally:
        conn.close()

    # what vanished while the daemon was down comes back once
    host.kill()
    for pid in pids:
        os.kill(pid, signal.SIGTERM)
    mvtest.wait_until(lambda: all(gone(pid) for pid in pids), timeout=10, what="dnsmasq gone")
    host.run("nft", "delete", "table", "inet", "modvirt-lan")
    host.start()
    assert len(host.dnsmasq_pids()) == 1, host.read_log()
    assert host.nft_ruleset() == ruleset
    assert host.client("mvlan0", "52:54:00:00:bb:01").dhcp() == "10.92.0.50"

    # a clean stop keeps the network too, and destroy then removes everything
    host.stop()
    host.start()
    assert len(host.dnsmasq_pids()) == 1
    assert host.virsh("net-destroy", "lan").returncode == 0
    assert host.dnsmasq_pids() == []
    assert "mvlan0" not in host.links()
    assert "modvirt-lan" not in host.nft_ruleset()
