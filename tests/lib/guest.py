"""The tiny guest the QEMU tests boot under TCG, and the domain XML for it.

scripts/build-tiny-guest.sh makes a kernel + busybox initrd that prints
READY on its serial console about 2-3 s after QEMU starts, handles the ACPI
power button (virsh shutdown / reboot) and can power off, reboot or panic on
request (the "mode" option).  `tiny_guest` builds it once per pytest session;
`domain_xml` describes a named guest for a daemon: type qemu, 128 MiB, one
vCPU, no disk, no NIC, no graphics, serial console to a file the tests read.
"""

import os
import subprocess
import tempfile
import time
import uuid as uuidlib
from xml.sax.saxutils import escape

import pytest

import mvtest

SCRIPT = os.path.join(mvtest.TOP, "scripts", "build-tiny-guest.sh")
READY = "MODVIRT-GUEST-READY"


class TinyGuest:
    def __init__(self, outdir):
        self.dir = outdir
        self.kernel = os.path.join(outdir, "vmlinuz")
        self.initrd = os.path.join(outdir, "initrd.gz")


def build(outdir):
    """Runs the build script into OUTDIR and returns the TinyGuest."""
    p = subprocess.run(["sh", SCRIPT, outdir], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError("building the tiny guest failed (%s):\n%s%s"
                             % (p.returncode, p.stdout, p.stderr))
    g = TinyGuest(outdir)
    mvtest.require(g.kernel, "guest kernel")
    mvtest.require(g.initrd, "guest initrd")
    return g


@pytest.fixture(scope="session")
def tiny_guest():
    d = tempfile.mkdtemp(prefix="mvt-guest-")
    os.chmod(d, 0o755)
    try:
        yield build(d)
    finally:
        subprocess.run(["rm", "-rf", d])


def cmdline(mode="idle", extra=""):
    line = "console=ttyS0 quiet modvirt.mode=%s" % mode
    if extra:
        line += " " + extra
    return line


def domain_xml(name, guest, serial=None, uuid=None, mode="idle", memory_mib=128, vcpus=1,
               machine="pc", on_poweroff=None, on_reboot=None, on_crash=None, panic=False,
               extra_cmdline="", devices="", kernel=None, emulator=mvtest.QEMU_BINARY,
               acpi=True, domain_type="qemu", cpu=None):
    """The domain XML of tiny guest NAME.  SERIAL is the file its console is
    written to (None: no serial device).  MODE is what the guest does once
    READY (idle, poweroff, reboot, crash).  PANIC adds an ISA pvpanic device
    so a crash is reported to QEMU.  DEVICES is extra XML inside <devices>.
    CPU "checked" adds the <cpu> element virt-install writes for TCG guests
    (qemu64, check='full'), which makes libvirt verify CPU features at start."""
    parts = ["<domain type='%s'>" % domain_type,
             "  <name>%s</name>" % escape(name)]
    if uuid:
        parts.append("  <uuid>%s</uuid>" % uuid)
    parts += [
        "  <memory unit='MiB'>%d</memory>" % memory_mib,
        "  <vcpu>%d</vcpu>" % vcpus,
        "  <os>",
        "    <type arch='x86_64' machine='%s'>hvm</type>" % escape(machine),
        "    <kernel>%s</kernel>" % escape(kernel or guest.kernel),
        "    <initrd>%s</initrd>" % escape(guest.initrd),
        "    <cmdline>%s</cmdline>" % escape(cmdline(mode, extra_cmdline)),
        "  </os>",
    ]
    if acpi:
        parts.append("  <features><acpi/></features>")
    if cpu == "checked":
        parts += ["  <cpu mode='custom' match='exact' check='full'>",
                  "    <model fallback='forbid'>qemu64</model>",
                  "    <feature policy='require' name='hypervisor'/>",
                  "    <feature policy='require' name='lahf_lm'/>",
                  "  </cpu>"]
    elif cpu:
        parts.append(cpu)
    for tag, val in (("on_poweroff", on_poweroff), ("on_reboot", on_reboot),
                     ("on_crash", on_crash)):
        if val:
            parts.append("  <%s>%s</%s>" % (tag, val, tag))
    parts += ["  <devices>", "    <emulator>%s</emulator>" % escape(emulator)]
    if serial:
        parts += ["    <serial type='file'>",
                  "      <source path='%s'/>" % escape(serial),
                  "      <target port='0'/>",
                  "    </serial>"]
    if panic:
        parts.append("    <panic model='isa'/>")
    parts.append("    <memballoon model='none'/>")
    if devices:
        parts.append(devices)
    parts += ["  </devices>", "</domain>", ""]
    return "\n".join(parts)


def xml_for(daemon, name, guest, **kw):
    """domain_xml for a guest of DAEMON, with its serial file in the daemon's guest dir."""
    kw.setdefault("serial", daemon.serial_path(name))
    return domain_xml(name, guest, **kw)


def new_uuid():
    return str(uuidlib.uuid4())


def serial_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def count_ready(path):
    return serial_text(path).count(READY)


def wait_ready(path, count=1, timeout=40):
    """Waits until the guest printed READY COUNT times on its serial file."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if count_ready(path) >= count:
            return
        time.sleep(0.05)
    raise AssertionError("guest did not print %s %d time(s) within %ss; serial file %s:\n%s"
                         % (READY, count, timeout, path, serial_text(path)[-2000:]))


# --- fixtures shared by the QEMU test modules ---------------------------------

@pytest.fixture(scope="module")
def qemud():
    """One QEMU-driver daemon (ours, or the reference) for a test module."""
    d = mvtest.QemuDaemon()
    try:
        yield d
        d.stop()
    finally:
        d.cleanup()


@pytest.fixture(scope="module")
def conn(qemud):
    """A python3-libvirt connection to the module's daemon."""
    import libvirt
    c = libvirt.open(qemud.uri)
    try:
        yield c
    finally:
        try:
            c.close()
        except libvirt.libvirtError:
            pass


def scrub(conn, names):
    """Destroys and undefines every domain in NAMES that still exists."""
    import libvirt
    for n in names:
        try:
            dom = conn.lookupByName(n)
        except libvirt.libvirtError:
            continue
        try:
            if dom.isActive():
                dom.destroy()
        except libvirt.libvirtError:
            pass
        try:
            if dom.isPersistent():
                dom.undefine()
        except libvirt.libvirtError:
            pass


class Guests:
    """Names guests for one test and removes them afterwards."""

    def __init__(self, daemon, conn, tiny):
        self.daemon = daemon
        self.conn = conn
        self.tiny = tiny
        self.names = []

    def xml(self, name, **kw):
        if name not in self.names:
            self.names.append(name)
        return xml_for(self.daemon, name, self.tiny, **kw)

    def define(self, name, **kw):
        return self.conn.defineXML(self.xml(name, **kw))

    def create(self, name, flags=0, **kw):
        """A transient guest, started."""
        return self.conn.createXML(self.xml(name, **kw), flags)

    def start(self, name, flags=0, **kw):
        """A persistent guest, defined and started."""
        dom = self.define(name, **kw)
        dom.createWithFlags(flags)
        return dom

    def serial(self, name):
        return self.daemon.serial_path(name)

    def wait_ready(self, name, count=1, timeout=40):
        wait_ready(self.serial(name), count, timeout)

    def cleanup(self):
        scrub(self.conn, self.names)


@pytest.fixture
def guests(qemud, conn, tiny_guest):
    g = Guests(qemud, conn, tiny_guest)
    try:
        yield g
    finally:
        g.cleanup()


def state_of(dom):
    """(state, reason) of DOM."""
    s = dom.state()
    return (s[0], s[1])


def wait_state(dom, state, timeout=30, reason=None):
    """Waits until DOM is in STATE (and REASON, if given); returns (state, reason)."""
    last = [None]

    def check():
        last[0] = state_of(dom)
        return last[0][0] == state and (reason is None or last[0][1] == reason)
    try:
        mvtest.wait_until(check, timeout, what="domain %s state %s" % (dom.name(), state))
    except AssertionError:
        raise AssertionError("domain %s stayed in state %s, wanted %s (reason %s)"
                             % (dom.name(), last[0], state, reason))
    return last[0]
