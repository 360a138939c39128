"""Test harness for modvirt's integration tests.

Starts modvirt daemons (or, with MODVIRT_REFERENCE=libvirtd, Debian's
libvirtd as an unprivileged session daemon) in a private temporary root,
runs clients against them, and speaks raw RPC for the hostile-client tests.
Everything lives under one temp directory per daemon; nothing outside it is
touched.
"""

import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("MODVIRT_BUILD_DIR", os.path.join(TOP, "build"))
SANITIZED = os.environ.get("MODVIRT_SANITIZED") == "1"
DEBIAN_VIRSH = "/usr/bin/virsh"
OUR_VIRSH = os.path.join(BUILD, "libclient", "virsh", "virsh")
# The library the tests load with ctypes: a sanitizer build cannot be loaded into
# an uninstrumented python, so the sanitizer pass points this at the normal build.
LIBMODVIRT = os.path.join(os.environ.get("MODVIRT_CLIENT_LIB_BUILD_DIR", BUILD),
                          "libclient", "libmodvirt.so.0")

REMOTE_PROGRAM = 0x20008086
KEEPALIVE_PROGRAM = 0x6B656570
CALL, REPLY, MESSAGE, STREAM = 0, 1, 2, 3
OK, ERROR, CONTINUE = 0, 1, 2


def daemon_path(name):
    return os.path.join(BUILD, "daemons", _daemon_dir(name), name)


def _daemon_dir(name):
    # virtsecretd -> daemons/secret/virtsecretd
    return name[len("virt"):-1]


def require(path, what):
    if not os.path.exists(path):
        raise AssertionError("missing %s: %s does not exist (build it, or install the package)"
                             % (what, path))


class Daemon:
    """One daemon in session mode under its own temp root."""

    def __init__(self, name="virtsecretd", root=None, args=(), config=None, env_extra=None,
                 start=True):
        self.name = name
        self.binary = daemon_path(name)
        require(self.binary, "daemon binary")
        self.root = root or tempfile.mkdtemp(prefix="mvt-%s-" % name)
        self.own_root = root is None
        self.env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": os.path.join(self.root, "home"),
            "XDG_CONFIG_HOME": os.path.join(self.root, "config"),
            "XDG_CACHE_HOME": os.path.join(self.root, "cache"),
            "XDG_RUNTIME_DIR": os.path.join(self.root, "run"),
            "XDG_DATA_HOME": os.path.join(self.root, "data"),
            "LANG": "C",
        }
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                self.env[k] = os.environ[k]
        if env_extra:
            self.env.update(env_extra)
        for d in ("home", "config", "cache", "run", "data"):
            os.makedirs(os.path.join(self.root, d), mode=0o700, exist_ok=True)
        self.args = list(args)
        self.config = None
        if config is not None:
            self.config = os.path.join(self.root, "%s.conf" % name)
            with open(self.config, "w") as f:
                f.write(config)
        self.proc = None
        self.log = os.path.join(self.root, "daemon.log")
        if start:
            self.start()

    @property
    def sockdir(self):
        return os.path.join(self.env["XDG_RUNTIME_DIR"], "libvirt")

    @property
    def sock(self):
        return os.path.join(self.sockdir, "%s-sock" % self.name)

    @property
    def admin_sock(self):
        return os.path.join(self.sockdir, "%s-admin-sock" % self.name)

    @property
    def scheme(self):
        return _daemon_dir(self.name)

    @property
    def uri(self):
        return "%s:///session?socket=%s" % (self.scheme, self.sock)

    def command(self):
        cmd = [self.binary, "--session"] + self.args
        if self.config:
            cmd += ["--config", self.config]
        return cmd

    def start(self, wait=True):
        if os.path.exists(self.sock):
            os.unlink(self.sock)
        self.logf = open(self.log, "ab")
        self.proc = subprocess.Popen(self.command(), env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=self.logf, stderr=subprocess.STDOUT,
                                     close_fds=True)
        if wait:
            self.wait_socket()
        return self

    def wait_socket(self, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("%s exited with %s before creating its socket:\n%s"
                                     % (self.name, self.proc.returncode, self.read_log()))
            if os.path.exists(self.sock):
                try:
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    s.connect(self.sock)
                    s.close()
                    return
                except OSError:
                    pass
            time.sleep(0.02)
        raise AssertionError("%s did not create %s within %ss:\n%s"
                             % (self.name, self.sock, timeout, self.read_log()))

    def read_log(self):
        try:
            with open(self.log, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=15):
        """SIGTERM, wait, and insist on a clean exit without sanitizer reports."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("%s ignored SIGTERM for %ss:\n%s"
                                     % (self.name, timeout, self.read_log()))
        rc = self.proc.returncode
        self.proc = None
        self.logf.close()
        check_sanitizer_log(self.read_log(), self.name)
        if rc != 0:
            raise AssertionError("%s exited with status %s:\n%s" % (self.name, rc, self.read_log()))

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def cleanup(self):
        self.kill()
        if self.own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return None


def check_sanitizer_log(text, who):
    for marker in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "AddressSanitizer:DEADLYSIGNAL"):
        if marker in text:
            raise AssertionError("%s: sanitizer report in its log:\n%s" % (who, text))


def run(cmd, input=None, env=None, timeout=60, check=False):
    """Runs a client command; returns CompletedProcess with text output."""
    e = dict(os.environ)
    e["LANG"] = "C"
    e.pop("LIBVIRT_DEFAULT_URI", None)
    if env:
        e.update(env)
    p = subprocess.run(cmd, input=input, env=e, capture_output=True, text=True,
                       timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError("%s failed with %s:\nstdout: %s\nstderr: %s"
                             % (cmd, p.returncode, p.stdout, p.stderr))
    return p


def virsh(which, uri, *args, **kw):
    binary = {"debian": DEBIAN_VIRSH, "modvirt": OUR_VIRSH}[which]
    require(binary, "%s virsh" % which)
    return run([binary, "-c", uri] + list(args), **kw)


# --- raw RPC ----------------------------------------------------------------

def xdr_string(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack(">I", len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)


def frame(prog, proc, mtype=CALL, serial=0, status=OK, body=b"", vers=1):
    return struct.pack(">IIIiiIi", 28 + len(body), prog, vers, proc, mtype, serial, status) + body


class RawClient:
    """A client that speaks the wire by hand, for hostile and corner cases."""

    def __init__(self, path, timeout=10):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(path)

    def send(self, data):
        self.s.sendall(data)

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.s.recv(n - len(buf))
            if not chunk:
                raise EOFError("connection closed after %d of %d bytes" % (len(buf), n))
            buf += chunk
        return buf

    def recv_message(self):
        (length,) = struct.unpack(">I", self.recv_exact(4))
        rest = self.recv_exact(length - 4)
        prog, vers, proc, mtype, serial, status = struct.unpack(">IIiiIi", rest[:24])
        return dict(prog=prog, vers=vers, proc=proc, type=mtype, serial=serial, status=status,
                    body=rest[24:])

    def call(self, proc, body=b"", serial=0, prog=REMOTE_PROGRAM):
        self.send(frame(prog, proc, CALL, serial, OK, body))
        while True:
            m = self.recv_message()
            if m["type"] == REPLY:
                return m

    def open(self, uri, flags=0, serial=100):
        m = self.call(1, struct.pack(">I", 1) + xdr_string(uri) + struct.pack(">I", flags),
                      serial=serial)
        assert m["status"] == OK, decode_error(m["body"])
        return m

    def closed_by_peer(self, timeout=5):
        self.s.settimeout(timeout)
        try:
            while True:
                data = self.s.recv(65536)
                if not data:
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.s.close()


def decode_error(body):
    """Decodes a remote_error into a dict (code, domain, message, level, ...)."""
    off = 0

    def u32():
        nonlocal off
        v = struct.unpack(">i", body[off:off + 4])[0]
        off += 4
        return v

    def opt_string():
        nonlocal off
        present = u32()
        if not present:
            return None
        n = u32()
        s = body[off:off + n].decode()
        off += n + (4 - n % 4) % 4
        return s

    code = u32()
    domain = u32()
    message = opt_string()
    level = u32()
    assert u32() == 0, "dom must be absent"
    str1 = opt_string()
    str2 = opt_string()
    str3 = opt_string()
    int1 = u32()
    int2 = u32()
    assert u32() == 0, "net must be absent"
    return dict(code=code, domain=domain, message=message, level=level, str1=str1,
                str2=str2, str3=str3, int1=int1, int2=int2)


SYSTEM_DIRS = ("/run", "/var/lib", "/var/cache", "/var/log", "/etc/libvirt")

NS_HELPER = r'''
import os, subprocess, sys
for d in %r:
    if os.path.isdir(d):
        subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", d], check=True)
os.execv(sys.argv[1], sys.argv[1:])
''' % (SYSTEM_DIRS,)


class SystemDaemon(Daemon):
    """A daemon in system mode (root, real /run/libvirt paths) inside its own
    mount namespace whose /run, /var/{lib,cache,log} and /etc/libvirt are
    fresh tmpfs mounts, so it touches nothing of the host.  Clients reach its
    sockets through /proc/PID/root."""

    def command(self):
        cmd = ["unshare", "--mount", "--propagation", "private", "/usr/bin/python3", "-c",
               NS_HELPER, self.binary] + self.args
        if self.config:
            cmd += ["--config", self.config]
        return cmd

    def start(self, wait=True):
        if os.geteuid() != 0:
            raise AssertionError("system-mode tests need root (to create a mount namespace)")
        self.logf = open(self.log, "ab")
        self.proc = subprocess.Popen(self.command(), env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=self.logf, stderr=subprocess.STDOUT, close_fds=True)
        if wait:
            self.wait_socket()
        return self

    @property
    def sockdir(self):
        return "/proc/%d/root/run/libvirt" % self.proc.pid

    @property
    def ro_sock(self):
        return os.path.join(self.sockdir, "%s-sock-ro" % self.name)

    @property
    def uri(self):
        return "%s:///system?socket=%s" % (self.scheme, self.sock)

    @property
    def ro_uri(self):
        return "%s:///system?socket=%s" % (self.scheme, self.ro_sock)

    def path_in_ns(self, path):
        return "/proc/%d/root%s" % (self.proc.pid, path)


# --- QEMU driver targets (virtqemud, or Debian's libvirtd as the reference) ---

NOBODY = 65534
QEMU_BINARY = "/usr/bin/qemu-system-x86_64"


def qemu_reference():
    """True when MODVIRT_REFERENCE asks for Debian's libvirt instead of modvirt."""
    return os.environ.get("MODVIRT_REFERENCE", "") in ("libvirt", "libvirtd")


class QemuDaemon:
    """A QEMU-driver daemon in session mode under its own temp root.

    By default modvirt's virtqemud, run as the current user.  With
    MODVIRT_REFERENCE=libvirt (or reference=True) Debian's virtqemud, or
    libvirtd where Debian ships no virtqemud, run as uid 65534 (never as root)
    so the same tests show libvirt's own behaviour.  Clients run as the caller;
    root may use the unprivileged daemon's socket.  Guests get a directory
    (guest_dir) the daemon's user may write serial files to."""

    def __init__(self, root=None, reference=None, start=True, args=(), qemu_conf=None):
        self.reference = qemu_reference() if reference is None else reference
        self.root = root or tempfile.mkdtemp(prefix="mvt-qemu-%s-" % (
            "ref" if self.reference else "mv"))
        self.own_root = root is None
        os.chmod(self.root, 0o755)
        self.uid = NOBODY if self.reference else None
        self.env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": os.path.join(self.root, "home"),
            "XDG_CONFIG_HOME": os.path.join(self.root, "config"),
            "XDG_CACHE_HOME": os.path.join(self.root, "cache"),
            "XDG_RUNTIME_DIR": os.path.join(self.root, "run"),
            "XDG_DATA_HOME": os.path.join(self.root, "data"),
            "LANG": "C",
        }
        if not self.reference:
            for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
                if k in os.environ:
                    self.env[k] = os.environ[k]
        for d in ("home", "config", "cache", "run", "data", "guests"):
            p = os.path.join(self.root, d)
            os.makedirs(p, mode=0o700, exist_ok=True)
            self._own(p)
        os.chmod(self.guest_dir, 0o755)
        if self.reference:
            # Serial and log files go straight to files (no virtlogd to spawn
            # and reap): the reference stays one process, like ours.
            conf = os.path.join(self.root, "config", "libvirt")
            os.makedirs(conf, exist_ok=True)
            self._own(conf)
            with open(os.path.join(conf, "qemu.conf"), "w") as f:
                f.write('stdio_handler = "file"\n' + (qemu_conf or ""))
            self._own(os.path.join(conf, "qemu.conf"))
            if os.path.exists("/usr/sbin/virtqemud"):
                self.binary = ["/usr/sbin/virtqemud"]
                self.sockname = "virtqemud-sock"
            else:
                self.binary = ["/usr/sbin/libvirtd"]
                self.sockname = "libvirt-sock"
            require(self.binary[0], "reference daemon (package libvirt-daemon)")
            self.name = os.path.basename(self.binary[0])
        else:
            self.binary = [daemon_path("virtqemud"), "--session"]
            self.sockname = "virtqemud-sock"
            self.name = "virtqemud"
            if qemu_conf:
                conf = os.path.join(self.root, "config", "libvirt")
                os.makedirs(conf, exist_ok=True)
                with open(os.path.join(conf, "qemu.conf"), "w") as f:
                    f.write(qemu_conf)
            require(self.binary[0], "daemon binary")
        self.args = ["--timeout", "3600"] + list(args)
        self.proc = None
        self.logf = None
        self.log = os.path.join(self.root, "daemon.log")
        if start:
            self.start()

    def _own(self, path):
        if self.uid is not None:
            os.chown(path, self.uid, self.uid)

    # paths -------------------------------------------------------------

    @property
    def guest_dir(self):
        return os.path.join(self.root, "guests")

    @property
    def sock(self):
        return os.path.join(self.root, "run", "libvirt", self.sockname)

    @property
    def uri(self):
        return "qemu:///session?socket=%s" % self.sock

    @property
    def log_dir(self):
        """Where libvirt's session driver writes NAME.log."""
        return os.path.join(self.root, "cache", "libvirt", "qemu", "log")

    @property
    def config_dir(self):
        return os.path.join(self.root, "config", "libvirt", "qemu")

    def guest_log(self, name):
        return os.path.join(self.log_dir, "%s.log" % name)

    def serial_path(self, name):
        return os.path.join(self.guest_dir, "%s.serial" % name)

    # process -----------------------------------------------------------

    def command(self):
        cmd = self.binary + self.args
        if self.uid is not None:
            cmd = ["setpriv", "--reuid=%d" % self.uid, "--regid=%d" % self.uid,
                   "--clear-groups"] + cmd
        return cmd

    def start(self, wait=True):
        if os.path.exists(self.sock):
            os.unlink(self.sock)
        if self.logf is None:
            self.logf = open(self.log, "ab")
        self.proc = subprocess.Popen(self.command(), env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=self.logf, stderr=subprocess.STDOUT,
                                     close_fds=True)
        if wait:
            self.wait_socket()
        return self

    def wait_socket(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("%s exited with %s before creating its socket:\n%s"
                                     % (self.name, self.proc.returncode, self.read_log()))
            if os.path.exists(self.sock):
                try:
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    s.connect(self.sock)
                    s.close()
                    return
                except OSError:
                    pass
            time.sleep(0.02)
        raise AssertionError("%s did not create %s within %ss:\n%s"
                             % (self.name, self.sock, timeout, self.read_log()))

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def read_log(self):
        try:
            with open(self.log, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=20):
        """SIGTERM and insist on a clean exit (and, for ours, no sanitizer report)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("%s ignored SIGTERM for %ss:\n%s"
                                     % (self.name, timeout, self.read_log()))
        rc = self.proc.returncode
        self.proc = None
        if not self.reference:
            check_sanitizer_log(self.read_log(), self.name)
            if rc != 0:
                raise AssertionError("%s exited with status %s:\n%s"
                                     % (self.name, rc, self.read_log()))

    def kill(self):
        """SIGKILL the daemon (its guests keep running)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def qemu_pids(self, name=None):
        """PIDs of QEMU processes of this daemon (all, or of guest NAME),
        found by the daemon root in their command line."""
        return qemu_pids_matching(self.root, name)

    def cleanup(self):
        """Kills the daemon and any QEMU it left, then removes the root."""
        self.kill()
        for pid in self.qemu_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.time() + 10
        while self.qemu_pids() and time.time() < deadline:
            time.sleep(0.05)
        if self.logf is not None:
            self.logf.close()
            self.logf = None
        if self.own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def rss_kib(self):
        return proc_rss_kib(self.proc.pid)

    # clients -----------------------------------------------------------

    def virsh(self, *args, **kw):
        return virsh("debian", self.uri, *args, **kw)

    def open(self):
        import libvirt
        return libvirt.open(self.uri)

    # leftovers ---------------------------------------------------------

    def files_named(self, name):
        """Every path under the root (but outside guest_dir) whose last
        component names NAME ("NAME", "NAME.ext", "domain-1-NAME", ...):
        state files, monitor sockets, per-domain directories, logs, configs."""
        import re
        token = re.compile(r"(^|[-_.])%s($|[.])" % re.escape(name))
        found = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            if dirpath.startswith(self.guest_dir):
                continue
            for n in dirnames + filenames:
                if token.search(n):
                    found.append(os.path.relpath(os.path.join(dirpath, n), self.root))
        return sorted(found)

    def leftovers(self, name, defined=False, autostart=False):
        """Files about NAME that should not exist when it is not running:
        everything except its log, and its persistent XML (and autostart
        link) when DEFINED."""
        allowed = {os.path.relpath(self.guest_log(name), self.root)}
        allowed.add(os.path.relpath(self.guest_log(name), self.root) + ".0")
        if defined:
            allowed.add(os.path.relpath(os.path.join(self.config_dir, name + ".xml"), self.root))
        if autostart:
            allowed.add(os.path.relpath(os.path.join(self.config_dir, "autostart",
                                                     name + ".xml"), self.root))
        return [p for p in self.files_named(name) if p not in allowed]

    def settled_leftovers(self, name, defined=False, autostart=False, timeout=3):
        """leftovers(), after giving an asynchronous cleanup (a guest that
        stopped by itself) up to TIMEOUT seconds to finish."""
        deadline = time.time() + timeout
        while True:
            left = self.leftovers(name, defined, autostart)
            if not left or time.time() > deadline:
                return left
            time.sleep(0.05)


def qemu_pids_matching(*needles):
    """PIDs of qemu-system processes whose command line contains every
    non-empty needle ("guest=NAME" is matched for a bare guest name)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if not argv or b"qemu-system" not in os.path.basename(argv[0]):
            continue
        line = b" ".join(argv).decode("utf-8", "replace")
        ok = True
        for n in needles:
            if n is None:
                continue
            if n.startswith("/"):
                ok = ok and n in line
            else:
                ok = ok and (("guest=%s," % n) in line or ("guest=%s " % n) in line
                             or line.endswith("guest=%s" % n) or ("-name %s " % n) in line)
        if ok:
            pids.append(int(entry))
    return pids


def proc_rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def pid_alive(pid):
    """True if PID exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(pred, timeout=30, interval=0.05, what="condition"):
    """Polls PRED until it returns a true value; returns it or raises."""
    deadline = time.time() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.time() > deadline:
            raise AssertionError("timed out after %ss waiting for %s" % (timeout, what))
        time.sleep(interval)
