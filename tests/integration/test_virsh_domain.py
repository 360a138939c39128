"""modvirt's virsh against Debian's virsh 9.0 for the domain and host
commands: both talk to the same QEMU daemon (our virtqemud, or with
MODVIRT_REFERENCE=libvirt Debian's libvirtd run as an unprivileged session
daemon) and must print the same stdout and stderr and exit with the same
status, over a tiny diskless guest's whole life (define, start, list, info,
suspend, resume, destroy, undefine, transient create) and its lifecycle
events.

How states are kept equal for both programs: read-only commands run with
one virsh right after the other; a group of state-changing commands that
ends where it began runs first with Debian's virsh, then with ours, and
the two transcripts are compared step by step.  Events are watched by both
programs at the same time.  Values that change between two runs (CPU time,
free memory, CPU counters) are masked in the few commands that print them.

MODVIRT_OUR_VIRSH may point at another build of our virsh (e.g. one linked
against Debian's libvirt, to check the expected outputs before our daemon
exists)."""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

import mvtest

REFERENCE = os.environ.get("MODVIRT_REFERENCE") in ("libvirt", "libvirtd")
OUR_VIRSH = os.environ.get("MODVIRT_OUR_VIRSH", mvtest.OUR_VIRSH)
NOBODY = 65534

UUID1 = "5a1f0e2c-4b8d-4c6e-9f3a-2d7b1c0e9a01"
UUID2 = "5a1f0e2c-4b8d-4c6e-9f3a-2d7b1c0e9a02"

GUEST = """<domain type='qemu'>
  <name>%(name)s</name>
  <uuid>%(uuid)s</uuid>
  <title>a tiny guest</title>
  <memory unit='MiB'>64</memory>
  <vcpu>2</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
  </devices>
</domain>
"""


class ReferenceDaemon:
    """Debian's libvirtd as a session daemon of uid 65534 in a private root
    (never as root: it would manage the host)."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="mvt-refqemu-")
        os.chmod(self.root, 0o755)
        os.chown(self.root, NOBODY, NOBODY)
        env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": self.root,
            "XDG_RUNTIME_DIR": os.path.join(self.root, "run"),
            "XDG_CONFIG_HOME": os.path.join(self.root, "config"),
            "XDG_CACHE_HOME": os.path.join(self.root, "cache"),
            "LANG": "C",
        }
        self.sock = os.path.join(self.root, "run", "libvirt", "libvirt-sock")
        self.log = open(os.path.join(self.root, "daemon.log"), "ab")
        self.proc = subprocess.Popen(
            ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups",
             "/usr/sbin/libvirtd", "--timeout", "600"],
            env=env, cwd=self.root, stdin=subprocess.DEVNULL, stdout=self.log,
            stderr=subprocess.STDOUT, close_fds=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("libvirtd exited with %s" % self.proc.returncode)
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.sock)
                s.close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise AssertionError("libvirtd did not create %s" % self.sock)

    @property
    def uri(self):
        return "qemu:///session?socket=%s" % self.sock

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def qemud():
    d = ReferenceDaemon() if REFERENCE else mvtest.Daemon("virtqemud")
    try:
        yield d
        d.stop()
    finally:
        d.cleanup()


@pytest.fixture(scope="module")
def files():
    d = tempfile.mkdtemp(prefix="mvt-virshdom-")
    os.chmod(d, 0o755)
    paths = {}
    content = {
        "g1": GUEST % {"name": "mvtest1", "uuid": UUID1},
        "g2": GUEST % {"name": "mvtest2", "uuid": UUID2},
        "truncated": "<domain>\n",
        "noos": "<domain type='qemu'><name>x</name></domain>\n",
    }
    for k, v in content.items():
        p = os.path.join(d, k + ".xml")
        with open(p, "w") as f:
            f.write(v)
        os.chmod(p, 0o644)
        paths[k] = p
    paths["missing"] = os.path.join(d, "missing.xml")
    yield paths
    shutil.rmtree(d, ignore_errors=True)


def virsh(which, uri, args, timeout=60):
    binary = {"debian": mvtest.DEBIAN_VIRSH, "modvirt": OUR_VIRSH}[which]
    mvtest.require(binary, "%s virsh" % which)
    env = dict(os.environ, LANG="C")
    env.pop("LIBVIRT_DEFAULT_URI", None)
    env.pop("VIRSH_DEFAULT_CONNECT_URI", None)
    conn = ["-c", uri] if uri else []
    p = subprocess.run([binary] + conn + list(args), env=env, capture_output=True,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def mask(text):
    return re.sub(r"\d+(\.\d+)?", "N", text)


def normalise(which, args, out, masked):
    if args and args[0] == "version" and which == "modvirt":
        # modvirt names its own version on one extra line
        out = "".join(l for l in out.splitlines(True) if not l.startswith("Using modvirt:"))
    return mask(out) if masked else out


class Comparer:
    def __init__(self, uri):
        self.uri = uri
        self.diffs = []

    def _check(self, args, deb, ours, masked):
        (rc1, o1, e1), (rc2, o2, e2) = deb, ours
        o1 = normalise("debian", args, o1, masked)
        o2 = normalise("modvirt", args, o2, masked)
        if (rc1, o1, e1) != (rc2, o2, e2):
            self.diffs.append("virsh %s\n  debian:  rc=%d out=%r err=%r\n"
                              "  modvirt: rc=%d out=%r err=%r"
                              % (" ".join(args), rc1, o1, e1, rc2, o2, e2))

    def both(self, *args, masked=False):
        """A read-only command: one program right after the other."""
        self._check(args, virsh("debian", self.uri, args), virsh("modvirt", self.uri, args),
                    masked)

    def group(self, steps, masked=(), settle=None):
        """State-changing steps that end in the state they began in
        (@settle, when given, waits until they have)."""
        deb = [virsh("debian", self.uri, s) for s in steps]
        if settle:
            settle()
        ours = [virsh("modvirt", self.uri, s) for s in steps]
        if settle:
            settle()
        for i, s in enumerate(steps):
            self._check(s, deb[i], ours[i], i in masked)

    def do(self, *args):
        rc, out, err = virsh("debian", self.uri, args)
        assert rc == 0, "setup step virsh %s failed: %s%s" % (" ".join(args), out, err)

    def report(self):
        assert not self.diffs, "virsh outputs differ:\n" + "\n".join(self.diffs)


COMMANDS = ["list", "dominfo", "domstate", "domid", "domuuid", "domname", "dumpxml", "define",
            "undefine", "start", "create", "destroy", "shutdown", "reboot", "reset", "suspend",
            "resume", "autostart", "vcpuinfo", "vcpucount", "maxvcpus", "capabilities",
            "domcapabilities", "nodeinfo", "sysinfo", "freecell", "nodememstats",
            "nodecpustats", "domxml-to-native", "event", "version"]


def test_help_identical():
    """`help CMD` needs no daemon: the option tables match Debian's."""
    c = Comparer(None)
    for name in COMMANDS:
        deb = virsh("debian", None, ["help", name])
        ours = virsh("modvirt", None, ["help", name])
        c._check(["help", name], deb, ours, False)
    c.report()


def test_errors_without_guests(qemud, files):
    c = Comparer(qemud.uri)
    c.both("list", "--all")
    c.both("list")
    for cmd in ("dominfo", "domstate", "domid", "domuuid", "domname", "dumpxml", "start",
                "destroy", "undefine", "suspend", "resume", "reset", "reboot", "shutdown",
                "autostart", "vcpuinfo", "vcpucount"):
        c.both(cmd, "nosuch")
    c.both("dominfo", "1234")
    c.both("domstate", UUID1)
    c.both("dominfo")
    c.both("dominfo", "a", "b")
    c.both("dominfo", "")
    c.both("list", "--bogus")
    c.both("list", "--table", "--name")
    c.both("list", "--table", "--uuid")
    c.both("define", files["missing"])
    c.both("define", files["truncated"])
    c.both("define", files["noos"])
    c.both("define", "--validate", files["noos"])
    c.both("create", files["noos"])
    c.both("create", "--validate", files["noos"])
    c.both("define", "")
    c.both("shutdown", "--mode", "bogus", "nosuch")
    c.both("event")
    c.both("event", "--event", "bogus")
    c.both("event", "--all", "--event", "lifecycle")
    c.both("event", "--list")
    c.both("event", "--domain", "nosuch", "--all")
    c.both("event", "--event", "lifecycle", "--timeout", "1")
    c.both("event", "--all", "--timeout", "x")
    c.both("domxml-to-native", "qemu-argv")
    c.both("domxml-to-native", "bogus", files["g1"])
    c.both("vcpucount", "--active", "--maximum", "nosuch")
    c.report()
    assert qemud.alive()


def test_guest_life(qemud, files):
    c = Comparer(qemud.uri)
    g1, g2 = files["g1"], files["g2"]

    c.group([["define", g1], ["list", "--all"], ["dominfo", "mvtest1"], ["undefine", "mvtest1"]])
    c.do("define", g1)
    try:
        # a defined, inactive guest
        for args in (["list", "--all"], ["list", "--inactive"], ["list", "--persistent", "--all"],
                     ["list", "--transient", "--all"], ["list", "--all", "--name"],
                     ["list", "--all", "--uuid"], ["list", "--all", "--id"],
                     ["list", "--all", "--title"], ["list", "--uuid", "--name", "--id", "--all"],
                     ["list", "--state-shutoff"], ["list", "--state-running", "--all"],
                     ["list", "--all", "--managed-save"], ["list", "--all", "--without-managed-save"],
                     ["dominfo", "mvtest1"], ["dominfo", UUID1], ["domstate", "mvtest1"],
                     ["domstate", "--reason", "mvtest1"], ["domid", "mvtest1"],
                     ["domuuid", "mvtest1"], ["domname", UUID1], ["domname", "mvtest1"],
                     ["dumpxml", "mvtest1"], ["dumpxml", "--inactive", "mvtest1"],
                     ["dumpxml", "--security-info", "--migratable", "mvtest1"],
                     ["dumpxml", "--xpath", "//name", "mvtest1"],
                     ["dumpxml", "--xpath", "/domain/vcpu", "--wrap", "mvtest1"],
                     ["vcpucount", "mvtest1"], ["vcpucount", "--maximum", "mvtest1"],
                     ["vcpucount", "--live", "mvtest1"], ["vcpucount", "--config", "mvtest1"],
                     ["vcpuinfo", "mvtest1"], ["vcpuinfo", "--pretty", "mvtest1"],
                     ["domxml-to-native", "qemu-argv", "--domain", "mvtest1"],
                     ["start", "1"]):
            c.both(*args)

        c.group([["autostart", "mvtest1"], ["list", "--all", "--autostart"],
                 ["dominfo", "mvtest1"], ["autostart", "--disable", "mvtest1"],
                 ["list", "--all", "--no-autostart"], ["list", "--all", "--autostart"]])
        c.group([["start", "mvtest1"], ["start", "mvtest1"], ["domstate", "--reason", "mvtest1"],
                 ["destroy", "mvtest1"], ["destroy", "mvtest1"],
                 ["domstate", "--reason", "mvtest1"]])
        c.group([["undefine", "mvtest1"], ["define", g1], ["undefine", "--nvram", "mvtest1"],
                 ["define", g1], ["undefine", "--keep-nvram", "mvtest1"], ["define", g1],
                 ["undefine", "--nvram", "--keep-nvram", "mvtest1"],
                 ["undefine", "--managed-save", "--snapshots-metadata", "mvtest1"],
                 ["define", "--validate", g1]])
        c.group([["start", "--force-boot", "mvtest1"], ["start", "--bypass-cache", "mvtest1"],
                 ["destroy", UUID1], ["start", UUID1], ["destroy", "mvtest1"]])

        c.do("start", "mvtest1")
        # a running guest
        for args in (["list"], ["list", "--all"], ["list", "--state-running"],
                     ["list", "--state-paused"], ["list", "--id"], ["list", "--name"],
                     ["list", "--title"], ["list", "--persistent"], ["list", "--transient"],
                     ["domstate", "--reason", "mvtest1"], ["domid", "mvtest1"],
                     ["domid", UUID1], ["domuuid", "mvtest1"], ["dumpxml", "--xpath", "//name",
                                                                "mvtest1"],
                     ["vcpucount", "mvtest1"], ["vcpucount", "--live", "mvtest1"],
                     ["vcpucount", "--current", "mvtest1"], ["vcpucount", "--active", "mvtest1"],
                     ["vcpucount", "--maximum", "--live", "mvtest1"],
                     ["vcpucount", "--current", "--live", "mvtest1"],
                     ["vcpucount", "--maximum", "--current", "--live", "mvtest1"],
                     ["vcpucount", "--guest", "mvtest1"],
                     ["vcpucount", "--guest", "--config", "mvtest1"],
                     ["start", "mvtest1"]):
            c.both(*args)
        for args in (["dominfo", "mvtest1"], ["vcpuinfo", "mvtest1"],
                     ["vcpuinfo", "--pretty", "mvtest1"]):
            c.both(*args, masked=True)
        rc, out, _ = virsh("debian", qemud.uri, ["domid", "mvtest1"])
        c.both("domname", out.strip())
        c.both("dominfo", out.strip(), masked=True)
        c.both("domstate", out.strip())

        c.group([["suspend", "mvtest1"], ["domstate", "--reason", "mvtest1"],
                 ["list", "--state-paused"], ["list", "--state-running"],
                 ["suspend", "mvtest1"], ["resume", "mvtest1"], ["resume", "mvtest1"],
                 ["domstate", "--reason", "mvtest1"]])
        c.group([["reset", "mvtest1"], ["reboot", "mvtest1"], ["reboot", "--mode", "initctl",
                                                              "mvtest1"],
                 ["shutdown", "--mode", "bogus", "mvtest1"], ["reboot", "--mode", "a,,b",
                                                              "mvtest1"],
                 ["domstate", "mvtest1"]])
        c.group([["destroy", "--graceful", "mvtest1"], ["domstate", "--reason", "mvtest1"],
                 ["start", "--paused", "mvtest1"], ["domstate", "--reason", "mvtest1"],
                 ["resume", "mvtest1"], ["domstate", "--reason", "mvtest1"]])
        c.group([["create", g2], ["list", "--transient"], ["list", "--all"],
                 ["dominfo", "mvtest2"], ["undefine", "mvtest2"], ["create", g2],
                 ["autostart", "mvtest2"], ["destroy", "mvtest2"], ["list", "--all"]],
                masked=(1, 2, 3))

        def mvtest2_gone():
            # autodestroy ends the guest once the creating connection closed
            deadline = time.time() + 30
            while time.time() < deadline:
                if virsh("debian", qemud.uri, ["domstate", "mvtest2"])[0] != 0:
                    return
                time.sleep(0.2)
            raise AssertionError("the autodestroy guest outlived its connection")

        c.group([["create", "--paused", "--autodestroy", g2]], settle=mvtest2_gone)
        c.group([["undefine", "mvtest1"], ["list", "--all"], ["dominfo", "mvtest1"],
                 ["define", g1], ["list", "--all", "--persistent"]], masked=(2,))
        c.do("destroy", "mvtest1")
        c.both("domstate", "--reason", "mvtest1")
    finally:
        virsh("debian", qemud.uri, ["destroy", "mvtest1"])
        virsh("debian", qemud.uri, ["destroy", "mvtest2"])
        virsh("debian", qemud.uri, ["undefine", "mvtest1"])
    c.both("list", "--all")
    c.report()
    assert qemud.alive()


def watch_events(uri, args):
    """Starts Debian's and our `virsh event` side by side."""
    procs = {}
    env = dict(os.environ, LANG="C")
    for which, binary in (("debian", mvtest.DEBIAN_VIRSH), ("modvirt", OUR_VIRSH)):
        procs[which] = subprocess.Popen([binary, "-c", uri, "event"] + args, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
    time.sleep(1.5)     # both registered before anything happens
    return procs


def collect_events(procs):
    res = {}
    for which, p in procs.items():
        out, err = p.communicate(timeout=60)
        res[which] = (p.returncode, out, err)
    return res


def test_lifecycle_events(qemud, files):
    uri = qemud.uri
    c = Comparer(uri)
    c.do("define", files["g1"])
    try:
        procs = watch_events(uri, ["--all", "--loop", "--timeout", "12"])
        once = watch_events(uri, ["--event", "lifecycle", "--domain", "mvtest1"])
        for step in (["start", "mvtest1"], ["suspend", "mvtest1"], ["resume", "mvtest1"],
                     ["destroy", "mvtest1"], ["start", "--paused", "mvtest1"],
                     ["destroy", "mvtest1"], ["undefine", "mvtest1"], ["define", files["g1"]]):
            c.do(*step)
            time.sleep(0.3)
        loop = collect_events(procs)
        single = collect_events(once)
    finally:
        virsh("debian", uri, ["destroy", "mvtest1"])
        virsh("debian", uri, ["undefine", "mvtest1"])

    rc, out, err = loop["debian"]
    assert rc == 0, err
    lines = out.splitlines()
    assert "event 'lifecycle' for domain 'mvtest1': Started Booted" in lines, out
    assert "event 'lifecycle' for domain 'mvtest1': Suspended Paused" in lines, out
    assert "event 'lifecycle' for domain 'mvtest1': Resumed Unpaused" in lines, out
    assert "event 'lifecycle' for domain 'mvtest1': Stopped Destroyed" in lines, out
    assert "event 'lifecycle' for domain 'mvtest1': Undefined Removed" in lines, out
    # the last line is the empty one virsh prints after every command
    assert lines[-3:] == ["event loop timed out", "events received: %d" % (len(lines) - 3), ""]
    assert loop["modvirt"] == loop["debian"]
    assert single["debian"][0] == 0
    assert single["modvirt"] == single["debian"]


def test_host_commands(qemud):
    c = Comparer(qemud.uri)
    for args in (["nodeinfo"], ["capabilities"], ["domcapabilities"],
                 ["domcapabilities", "--machine", "bogus"], ["domcapabilities", "--machine", ""],
                 ["domcapabilities", "--arch", "armv7l"], ["domcapabilities", "--virttype", "kvm"],
                 ["domcapabilities", "--emulatorbin", "/usr/bin/qemu-system-x86_64",
                  "--arch", "x86_64", "--machine", "pc", "--virttype", "qemu"],
                 ["sysinfo"], ["maxvcpus"], ["maxvcpus", "--type", "qemu"],
                 ["maxvcpus", "--type", "bogus"], ["freecell", "--cellno", "1"],
                 ["freecell", "--cellno", "x"], ["freecell", "--cellno", "-1"],
                 ["freecell", "--all", "--cellno", "0"], ["nodememstats", "--cell", "3"],
                 ["nodememstats", "--cell", "x"], ["nodecpustats", "--cpu", "9"],
                 ["version"], ["version", "--daemon"], ["uri"], ["hostname"]):
        c.both(*args)
    for args in (["freecell"], ["freecell", "--all"], ["freecell", "0"],
                 ["freecell", "--cellno", "0"], ["nodememstats"], ["nodememstats", "--cell", "0"],
                 ["nodecpustats"], ["nodecpustats", "--cpu", "0"]):
        c.both(*args, masked=True)
    c.report()
