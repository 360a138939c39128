"""virtnetworkd: invalid network definitions fail with a clear error and
leave nothing behind — no bridge, no dnsmasq, no nftables table, no config
file.  Covered: overlapping subnets (another network, a host route), a DHCP
range outside the subnet, a bridge name used by another network or by a
host interface, a forward device that does not exist, and a start that
fails half-way (the bridge name taken after define).
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))

import netns  # noqa: E402

pytestmark = pytest.mark.system


def net_xml(name, prefix, bridge=None, forward="<forward mode='nat'/>", extra=""):
    br = "<bridge name='%s'/>" % bridge if bridge else ""
    return """<network>
  <name>%s</name>
  %s
  %s
  <ip address='%s.1' prefix='24'>
    <dhcp><range start='%s.10' end='%s.20'/>%s</dhcp>
  </ip>
</network>
""" % (name, forward, br, prefix, prefix, prefix, extra)


@pytest.fixture(scope="module")
def host():
    h = netns.NetHost()
    try:
        # a host interface with an address: its subnet is "in use by a route"
        h.run("ip", "link", "add", "hostif0", "type", "veth", "peer", "name", "hostif1")
        h.run("ip", "addr", "add", "10.66.0.1/24", "dev", "hostif0")
        h.run("ip", "link", "set", "hostif0", "up")
        h.run("ip", "link", "set", "hostif1", "up")
        # the default network of the first start is not wanted here
        h.virsh("net-destroy", "default")
        h.virsh("net-undefine", "default")
        yield h
        h.stop()
    finally:
        h.cleanup()


def snapshot(host):
    return (host.links(), host.nft_tables(), host.dnsmasq_pids(),
            sorted(os.listdir(host.path("/etc/libvirt/qemu/networks"))),
            sorted(os.listdir(host.path("/run/libvirt/network"))))


def define(host, xml, cmd="net-define"):
    path = os.path.join(host.root, "bad.xml")
    with open(path, "w") as f:
        f.write(xml)
    return host.virsh(cmd, path)


def expect_failure(host, xml, words, cmd="net-define"):
    before = snapshot(host)
    p = define(host, xml, cmd)
    assert p.returncode != 0, "%s unexpectedly succeeded: %s" % (cmd, p.stdout)
    for w in words:
        assert w in p.stderr, "expected %r in: %s" % (w, p.stderr)
    assert snapshot(host) == before
    return p.stderr


@pytest.fixture
def other(host):
    """A defined (inactive) network on 10.67.0.0/24 with bridge mvother0."""
    p = define(host, net_xml("other", "10.67.0", bridge="mvother0"))
    assert p.returncode == 0, p.stderr
    yield
    host.virsh("net-undefine", "other")


@pytest.mark.parametrize("cmd", ["net-define", "net-create"])
def test_overlapping_subnet_with_other_network(host, other, cmd):
    err = expect_failure(host, net_xml("bad1", "10.67.0"), ["overlaps", "other"], cmd)
    assert "10.67.0.0/24" in err


@pytest.mark.parametrize("cmd", ["net-define", "net-create"])
def test_subnet_in_use_by_host_route(host, cmd):
    expect_failure(host, net_xml("bad2", "10.66.0"), ["already in use by interface hostif0"],
                   cmd)


def test_dhcp_range_outside_subnet(host):
    xml = net_xml("bad3", "10.68.0").replace("<range start='10.68.0.10' end='10.68.0.20'/>",
                                             "<range start='10.68.0.10' end='10.69.0.20'/>")
    expect_failure(host, xml, ["range", "10.69.0.20"])


def test_bridge_name_used_by_other_network(host, other):
    expect_failure(host, net_xml("bad4", "10.68.1", bridge="mvother0"),
                   ["bridge name 'mvother0' already in use", "other"])


def test_bridge_name_used_by_host_interface(host):
    expect_failure(host, net_xml("bad5", "10.68.2", bridge="hostif0"),
                   ["bridge name 'hostif0' already in use by a host interface"])


def test_forward_dev_missing(host):
    expect_failure(host, net_xml("bad6", "10.68.3",
                                 forward="<forward mode='nat' dev='nosuchdev0'/>"),
                   ["forward device 'nosuchdev0'", "does not exist"])


def test_start_fails_and_leaves_nothing(host):
    p = define(host, net_xml("late", "10.68.4", bridge="mvlate0"))
    assert p.returncode == 0, p.stderr
    try:
        # after define, something else takes the bridge name
        host.run("ip", "link", "add", "mvlate0", "type", "bridge")
        before = snapshot(host)
        p = host.virsh("net-start", "late")
        assert p.returncode != 0
        assert "bridge name 'mvlate0' already in use by a host interface" in p.stderr, p.stderr
        assert snapshot(host) == before
        assert host.virsh("net-info", "late").stdout.split("Active:")[1].split()[0] == "no"
        # once the name is free again, the network starts
        host.run("ip", "link", "del", "mvlate0")
        assert host.virsh("net-start", "late").returncode == 0
        assert "mvlate0" in host.links()
        assert host.virsh("net-destroy", "late").returncode == 0
        assert "mvlate0" not in host.links()
    finally:
        host.virsh("net-destroy", "late")
        host.virsh("net-undefine", "late")


def test_same_name_other_uuid(host, other):
    xml = net_xml("other", "10.68.5").replace(
        "<name>other</name>", "<name>other</name><uuid>d0000000-0000-4000-8000-000000000001</uuid>")
    expect_failure(host, xml, ["network 'other' already exists with uuid"])
