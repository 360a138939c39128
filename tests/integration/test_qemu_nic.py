"""Guest NICs whose host side virtqemud makes itself: <interface type='bridge'>
(a tap on an existing host bridge) and type='ethernet' (a bare tap), each
passed to QEMU as an open fd.  The daemon runs in a network namespace of its
own, so the bridge and taps never touch the host's network.  The guest
boots, its tap is up on the bridge with the bridge's MTU while it runs, and
the tap is gone once it stops."""

import os
import subprocess
import time

import pytest

import mvtest
from guest import tiny_guest, xml_for, wait_ready  # noqa: F401

libvirt = pytest.importorskip("libvirt")


class NetnsQemuDaemon(mvtest.QemuDaemon):
    """virtqemud in a fresh network namespace (unshare execs the daemon, so
    its pid is the daemon's)."""

    def command(self):
        return ["unshare", "--net", "--"] + super().command()

    def ip(self, *args, check=True):
        p = subprocess.run(["nsenter", "--target", str(self.pid), "--net", "ip"] + list(args),
                           capture_output=True, text=True, timeout=30)
        if check and p.returncode != 0:
            raise AssertionError("ip %s failed: %s" % (" ".join(args), p.stderr))
        return p.stdout


@pytest.fixture(scope="module")
def qemud():
    if mvtest.qemu_reference():
        pytest.skip("needs root to create taps; libvirt's session daemon cannot")
    d = NetnsQemuDaemon()
    try:
        d.ip("link", "add", "mvbr0", "type", "bridge")
        d.ip("link", "set", "mvbr0", "mtu", "1400")
        d.ip("link", "set", "mvbr0", "up")
        yield d
        d.stop()
    finally:
        d.cleanup()


def links(d):
    return d.ip("-o", "link", "show")


def nic(kind, extra=""):
    src = "<source bridge='mvbr0'/>" if kind == "bridge" else ""
    return ("<interface type='%s'><mac address='52:54:00:aa:bb:0%d'/>%s%s"
            "<model type='virtio'/></interface>" % (kind, 1 if kind == "bridge" else 2,
                                                   src, extra))


@pytest.mark.parametrize("kind", ["bridge", "ethernet"])
def test_tap_nic(qemud, tiny_guest, kind):
    conn = libvirt.open(qemud.uri)
    name = "nic-" + kind
    try:
        dom = conn.defineXML(xml_for(qemud, name, tiny_guest, devices=nic(kind)))
        dom.create()
        wait_ready(qemud.serial_path(name))
        live = dom.XMLDesc(0)
        # the tap the driver made is named in the live XML and exists, up
        tap = live.split("<target dev='")[1].split("'")[0]
        assert tap.startswith("vnet"), live
        out = links(qemud)
        line = [l for l in out.splitlines() if (": %s:" % tap) in l]
        assert line, out
        assert "UP" in line[0], line[0]
        if kind == "bridge":
            assert "master mvbr0" in line[0], line[0]
            assert "mtu 1400" in line[0], line[0]
        else:
            assert "master" not in line[0], line[0]
        # QEMU has the tap as an fd it inherited, not by name
        log = open(qemud.guest_log(name), encoding="utf-8", errors="replace").read()
        assert '"type":"tap","fd":"4"' in log.replace(" ", ""), log[-2000:]
        dom.destroy()
        deadline = time.time() + 5
        while (": %s:" % tap) in links(qemud) and time.time() < deadline:
            time.sleep(0.05)
        assert (": %s:" % tap) not in links(qemud)
        dom.undefine()
    finally:
        conn.close()


def test_missing_bridge_fails_cleanly(qemud, tiny_guest):
    conn = libvirt.open(qemud.uri)
    name = "nic-nobridge"
    try:
        xml = xml_for(qemud, name, tiny_guest, devices=nic("bridge")).replace(
            "mvbr0", "nosuchbr0")
        dom = conn.defineXML(xml)
        before = links(qemud)
        with pytest.raises(libvirt.libvirtError) as e:
            dom.create()
        assert "nosuchbr0" in str(e.value)
        assert dom.info()[0] == libvirt.VIR_DOMAIN_SHUTOFF
        assert links(qemud) == before
        dom.undefine()
    finally:
        conn.close()
