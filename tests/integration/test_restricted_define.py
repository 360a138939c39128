"""The restricted profile applied by virtqemud on define when the caller
passes modvirt's MV_DOMAIN_DEFINE_RESTRICTED flag (1 << 30), driven by
Debian's python3-libvirt: host files outside qemu.conf's
restricted_allowed_dirs, host bridges and <qemu:commandline> are refused
and nothing is defined; the same documents without the flag define fine."""

import os

import pytest

import mvtest

libvirt = pytest.importorskip("libvirt")

RESTRICTED = 1 << 30

DOMAIN = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
{devices}
  </devices>
</domain>
"""


@pytest.fixture(scope="module")
def daemon(tmp_path_factory):
    if mvtest.qemu_reference():
        pytest.skip("modvirt-only flag: libvirt has no restricted profile")
    allowed = tmp_path_factory.mktemp("archive")
    d = mvtest.QemuDaemon(qemu_conf='restricted_allowed_dirs = [ "%s" ]\n' % allowed)
    d.allowed = str(allowed)
    yield d
    d.stop()
    d.cleanup() if hasattr(d, "cleanup") else None


def disk(path):
    return ("<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
            "<source file='%s'/><target dev='vda' bus='virtio'/></disk>" % path)


def test_restricted_refuses_host_file_outside_allowed_dirs(daemon):
    conn = libvirt.open(daemon.uri)
    try:
        xml = DOMAIN.format(name="shadow", devices=disk("/etc/shadow"))
        with pytest.raises(libvirt.libvirtError) as exc:
            conn.defineXMLFlags(xml, RESTRICTED)
        assert exc.value.get_error_code() == libvirt.VIR_ERR_CONFIG_UNSUPPORTED
        assert "/etc/shadow" in str(exc.value)
        assert "restricted profile" in str(exc.value)
        assert "shadow" not in conn.listDefinedDomains()
        assert not os.path.exists(os.path.join(daemon.config_dir, "shadow.xml"))
        # without the flag the same document is an ordinary definition
        dom = conn.defineXMLFlags(xml, 0)
        assert dom.name() == "shadow"
        dom.undefine()
    finally:
        conn.close()


def test_restricted_accepts_files_inside_allowed_dirs(daemon):
    image = os.path.join(daemon.allowed, "guest.img")
    with open(image, "wb") as f:
        f.truncate(1 << 20)
    conn = libvirt.open(daemon.uri)
    try:
        dom = conn.defineXMLFlags(DOMAIN.format(name="archived", devices=disk(image)),
                                  RESTRICTED)
        assert dom.name() == "archived"
        dom.undefine()
    finally:
        conn.close()


@pytest.mark.parametrize("name,devices,needle", [
    ("bridged", "<interface type='bridge'><source bridge='br0'/></interface>", "bridge"),
    ("hostdev", "<hostdev mode='subsystem' type='pci' managed='yes'><source>"
                "<address domain='0x0000' bus='0x00' slot='0x1f' function='0x0'/>"
                "</source></hostdev>", "hostdev"),
])
def test_restricted_refuses_host_resources(daemon, name, devices, needle):
    conn = libvirt.open(daemon.uri)
    try:
        with pytest.raises(libvirt.libvirtError) as exc:
            conn.defineXMLFlags(DOMAIN.format(name=name, devices=devices), RESTRICTED)
        assert exc.value.get_error_code() == libvirt.VIR_ERR_CONFIG_UNSUPPORTED
        assert needle in str(exc.value)
        assert name not in conn.listDefinedDomains()
    finally:
        conn.close()


def test_restricted_refuses_qemu_commandline(daemon):
    xml = DOMAIN.format(name="cmdline", devices="").replace(
        "<domain type='qemu'>",
        "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>").replace(
        "</domain>", "<qemu:commandline><qemu:arg value='-S'/></qemu:commandline>\n</domain>")
    conn = libvirt.open(daemon.uri)
    try:
        with pytest.raises(libvirt.libvirtError) as exc:
            conn.defineXMLFlags(xml, RESTRICTED)
        assert "commandline" in str(exc.value)
        assert "cmdline" not in conn.listDefinedDomains()
    finally:
        conn.close()
