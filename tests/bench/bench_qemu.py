#!/usr/bin/python3
"""Benchmarks modvirt's virtqemud against Debian's libvirt (QEMU driver),
side by side in one run, with the same QEMU and the same tiny TCG guest,
and prints "metric | libvirt | modvirt | ratio".

The reference is Debian's virtqemud, or libvirtd where Debian has no
virtqemud, run as a session daemon under uid 65534 in a private temp dir
(never as root).  modvirt's virtqemud runs the same way (--modvirt-uid 0 runs
it as root instead).  If modvirt's daemon is not built, its column says n/a.

Measured (medians unless said otherwise):
  define_start_ms        defineXML + create of the tiny guest until
                         virDomainGetState says running (warm capability cache)
  bare_qemu_ms           the same QEMU argv (the reference's domxml-to-native)
                         started by hand with -S, until the reply to QMP "cont"
  start_overhead_ms      define_start_ms - bare_qemu_ms
  define_start_cpu_ms    the same with virt-install's <cpu mode='custom'
                         check='full'> (qemu64), which makes libvirt check
                         the guest CPU's features at start; and its overhead
  cold_start_ms          define + start on a fresh daemon with an empty cache
  destroy_ms             virDomainDestroy of a running guest
  info_per_s_1/_8        dom.info() on a held handle, python3-libvirt, with 1
                         and 8 client processes (total calls per second)
  c_info_per_s_1/_8      the same with modvirt's own client library (ctypes)
  define_1000_s          defining 1000 guests one after the other
  list_1000_ms           listAllDomains with 1000 defined
  restart_1000_ms        daemon start with 1000 defined until the first list
                         returns all of them
  activation_list_ms     first `virsh list` on a socket-activated daemon
                         (systemd-socket-activate), wall time of virsh
  idle_rss_kib           RSS of a fresh daemon after one client came and went
  rss_per_domain_kib     RSS growth per defined guest (1000 defined)

Run as root:  tests/bench/bench_qemu.py [--runs N] [--seconds S] [--build DIR]
"""

import argparse
import json
import os
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))

import guest  # noqa: E402

NOBODY = 65534
QEMU = "/usr/bin/qemu-system-x86_64"

INFO_CLIENT = r'''
import sys, time, libvirt
uri, name, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
c = libvirt.open(uri)
d = c.lookupByName(name)
for _ in range(200):
    d.info()
sys.stdout.write("ready\n"); sys.stdout.flush()
sys.stdin.readline()
end = time.perf_counter() + secs
k = 0
while time.perf_counter() < end:
    d.info()
    k += 1
print(k)
'''

C_INFO_CLIENT = r'''
import ctypes, sys, time
lib, uri, name, secs = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
L = ctypes.CDLL(lib)
L.virConnectOpen.restype = ctypes.c_void_p
L.virConnectOpen.argtypes = [ctypes.c_char_p]
L.virDomainLookupByName.restype = ctypes.c_void_p
L.virDomainLookupByName.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
class Info(ctypes.Structure):
    _fields_ = [("state", ctypes.c_ubyte), ("maxMem", ctypes.c_ulong), ("memory", ctypes.c_ulong),
                ("nrVirtCpu", ctypes.c_ushort), ("cpuTime", ctypes.c_ulonglong)]
L.virDomainGetInfo.argtypes = [ctypes.c_void_p, ctypes.POINTER(Info)]
c = L.virConnectOpen(uri.encode())
d = L.virDomainLookupByName(c, name.encode())
if not c or not d:
    print("error"); sys.exit(1)
info = Info()
for _ in range(200):
    assert L.virDomainGetInfo(d, ctypes.byref(info)) == 0
sys.stdout.write("ready\n"); sys.stdout.flush()
sys.stdin.readline()
end = time.perf_counter() + secs
k = 0
while time.perf_counter() < end:
    L.virDomainGetInfo(d, ctypes.byref(info))
    k += 1
print(k)
'''


def as_user(uid, cmd):
    if uid is None or uid == 0:
        return cmd
    return ["setpriv", "--reuid=%d" % uid, "--regid=%d" % uid, "--clear-groups"] + cmd


def median(xs):
    return statistics.median(xs) if xs else None


class Target:
    """One daemon kind (libvirt or modvirt) in a private root."""

    def __init__(self, kind, build, uid):
        self.kind = kind
        self.uid = uid
        self.build = build
        if kind == "modvirt":
            self.binary = [os.path.join(build, "daemons", "qemu", "virtqemud"), "--session"]
            self.sockname = "virtqemud-sock"
            self.fdnames = ["virtqemud.socket", "virtqemud-ro.socket", "virtqemud-admin.socket"]
        else:
            if os.path.exists("/usr/sbin/virtqemud"):
                self.binary = ["/usr/sbin/virtqemud"]
                self.sockname = "virtqemud-sock"
                self.fdnames = ["virtqemud.socket", "virtqemud-admin.socket"]
            else:
                self.binary = ["/usr/sbin/libvirtd"]
                self.sockname = "libvirt-sock"
                # a session libvirtd has no read-only socket
                self.fdnames = ["libvirtd.socket", "libvirtd-admin.socket"]
        self.proc = None
        self.root = None

    def available(self):
        return os.access(self.binary[0], os.X_OK)

    def new_root(self):
        self.cleanup_root()
        self.root = tempfile.mkdtemp(prefix="mvbench-qemu-%s-" % self.kind)
        os.chmod(self.root, 0o755)
        self.env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C",
                    "HOME": self.root + "/home", "XDG_RUNTIME_DIR": self.root + "/run",
                    "XDG_CONFIG_HOME": self.root + "/config",
                    "XDG_CACHE_HOME": self.root + "/cache", "XDG_DATA_HOME": self.root + "/data"}
        for d in ("home", "run", "config", "config/libvirt", "cache", "data", "guests"):
            p = os.path.join(self.root, d)
            os.makedirs(p, mode=0o700, exist_ok=True)
            self._own(p)
        os.chmod(os.path.join(self.root, "guests"), 0o755)
        if self.kind == "libvirt":
            conf = os.path.join(self.root, "config", "libvirt", "qemu.conf")
            with open(conf, "w") as f:
                f.write('stdio_handler = "file"\n')
            self._own(conf)
        self.sock = os.path.join(self.root, "run", "libvirt", self.sockname)
        self.uri = "qemu:///session?socket=%s" % self.sock

    def _own(self, path):
        if self.uid:
            os.chown(path, self.uid, self.uid)

    def serial(self, name):
        return os.path.join(self.root, "guests", name + ".serial")

    def start(self):
        """Starts the daemon; returns seconds until its socket accepts."""
        if os.path.exists(self.sock):
            os.unlink(self.sock)
        t0 = time.perf_counter()
        self.logf = open(os.path.join(self.root, "daemon.log"), "ab")
        self.proc = subprocess.Popen(as_user(self.uid, self.binary + ["--timeout", "3600"]),
                                     env=self.env, stdin=subprocess.DEVNULL, stdout=self.logf,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while True:
            if self.proc.poll() is not None:
                raise SystemExit("%s daemon exited early; see %s/daemon.log"
                                 % (self.kind, self.root))
            if os.path.exists(self.sock):
                s = socket.socket(socket.AF_UNIX)
                try:
                    s.connect(self.sock)
                    break
                except OSError:
                    pass
                finally:
                    s.close()
            if time.time() > deadline:
                raise SystemExit("%s daemon did not create %s" % (self.kind, self.sock))
            time.sleep(0.002)
        return time.perf_counter() - t0

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if getattr(self, "logf", None):
            self.logf.close()
            self.logf = None
        self.kill_guests()

    def kill_guests(self):
        if not self.root:
            return
        for pid in qemu_pids_under(self.root):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return None

    def cleanup_root(self):
        if self.root:
            self.stop()
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None


def qemu_pids_under(root):
    pids = []
    for e in os.listdir("/proc"):
        if not e.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % e, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if argv and b"qemu-system" in argv[0] and root.encode() in b" ".join(argv):
            pids.append(int(e))
    return pids


def wait_running(dom, timeout=60):
    import libvirt
    deadline = time.time() + timeout
    while dom.state()[0] != libvirt.VIR_DOMAIN_RUNNING:
        if time.time() > deadline:
            raise SystemExit("guest %s did not reach running" % dom.name())
        time.sleep(0.001)


def define_start(conn, t, tiny, name, cpu=None):
    xml = guest.domain_xml(name, tiny, serial=t.serial(name), cpu=cpu)
    t0 = time.perf_counter()
    dom = conn.defineXML(xml)
    dom.create()
    wait_running(dom)
    return time.perf_counter() - t0, dom


def throughput(t, script, args, nclients, secs, quiet=False):
    procs = [subprocess.Popen(["/usr/bin/python3", "-c", script] + args + [str(secs)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              stderr=subprocess.DEVNULL if quiet else None)
             for _ in range(nclients)]
    try:
        for p in procs:
            line = p.stdout.readline().strip()
            if line != "ready":
                raise RuntimeError("client not ready: %r" % line)
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        return sum(int(p.communicate(timeout=secs + 60)[0]) for p in procs) / secs
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()


def activation_list(t, runs):
    """Wall time of the first `virsh list` against a socket-activated daemon."""
    times = []
    for _ in range(runs):
        rundir = os.path.join(t.root, "act")
        shutil.rmtree(rundir, ignore_errors=True)
        os.makedirs(rundir, mode=0o755)
        t._own(rundir)
        socks = [os.path.join(rundir, "s%d" % i) for i in range(len(t.fdnames))]
        act = subprocess.Popen(as_user(t.uid, ["systemd-socket-activate"] +
                                       sum([["-l", s] for s in socks], []) +
                                       ["--fdname=" + ":".join(t.fdnames)] + t.binary +
                                       ["--timeout", "600"]),
                               env=t.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not all(os.path.exists(s) for s in socks):
                time.sleep(0.002)
            t0 = time.perf_counter()
            subprocess.run(["/usr/bin/virsh", "-c", "qemu:///session?socket=%s" % socks[0],
                            "list"], check=True, capture_output=True,
                           env=dict(os.environ, LANG="C"))
            times.append(time.perf_counter() - t0)
        finally:
            act.send_signal(signal.SIGTERM)
            try:
                act.wait(30)
            except subprocess.TimeoutExpired:
                act.kill()
                act.wait()
    return median(times)


# --- bare QEMU ----------------------------------------------------------------

def bare_argv(native, tiny, workdir):
    """Turns `virsh domxml-to-native qemu-argv` output into an argv we can run
    ourselves: no environment prefix, no secret object (its file does not
    exist), the monitor on our own socket and the serial file in WORKDIR."""
    mon = os.path.join(workdir, "bare.qmp")
    if native:
        toks = shlex.split(native)
        while toks and "=" in toks[0] and not toks[0].startswith("/"):
            toks.pop(0)
        out = []
        i = 0
        while i < len(toks):
            a = toks[i]
            if a == "-object" and i + 1 < len(toks) and '"secret"' in toks[i + 1]:
                i += 2
                continue
            if a == "-chardev" and i + 1 < len(toks):
                v = toks[i + 1]
                if v.startswith("socket,id=charmonitor"):
                    v = "socket,id=charmonitor,path=%s,server=on,wait=off" % mon
                elif v.startswith("file,"):
                    v = "file,id=charserial0,path=%s" % os.path.join(workdir, "bare.serial")
                out += [a, v]
                i += 2
                continue
            out.append(a)
            i += 1
        if "-S" in out and any(x.startswith("socket,id=charmonitor") for x in out):
            return out, mon
    argv = [QEMU, "-name", "guest=bare", "-S", "-machine", "pc,accel=tcg", "-cpu", "qemu64",
            "-m", "128", "-smp", "1", "-display", "none", "-no-user-config", "-nodefaults",
            "-chardev", "socket,id=charmonitor,path=%s,server=on,wait=off" % mon,
            "-mon", "chardev=charmonitor,id=monitor,mode=control", "-no-shutdown",
            "-kernel", tiny.kernel, "-initrd", tiny.initrd,
            "-append", guest.cmdline(), "-serial", "file:%s" % os.path.join(workdir, "bare.serial")]
    return argv, mon


def bare_qemu_once(argv, mon):
    if os.path.exists(mon):
        os.unlink(mon)
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    try:
        s = socket.socket(socket.AF_UNIX)
        while True:
            try:
                s.connect(mon)
                break
            except OSError:
                if p.poll() is not None:
                    raise SystemExit("bare QEMU failed: %s" % p.stderr.read().decode())
                time.sleep(0.0005)
        f = s.makefile("rw")
        f.readline()
        for cmd in ('{"execute":"qmp_capabilities"}', '{"execute":"cont"}'):
            f.write(cmd + "\n")
            f.flush()
            while True:
                line = f.readline()
                if not line:
                    raise SystemExit("bare QEMU closed its monitor")
                if '"return"' in line or '"error"' in line:
                    break
        elapsed = time.perf_counter() - t0
        s.close()
    finally:
        p.kill()
        p.wait()
    return elapsed


# --- one side -------------------------------------------------------------------

def measure(t, tiny, a, native_holder):
    import libvirt
    res = {}
    # cold capability cache: a fresh root for each run
    cold = []
    for i in range(a.cold_runs):
        t.new_root()
        t.start()
        c = libvirt.open(t.uri)
        dt, dom = define_start(c, t, tiny, "cold%d" % i)
        cold.append(dt)
        dom.destroy()
        c.close()
        t.stop()
    res["cold_start_ms"] = median(cold) * 1000

    # idle RSS of a fresh daemon after one client
    t.new_root()
    t.start()
    c = libvirt.open(t.uri)
    c.listAllDomains()
    c.close()
    time.sleep(1.0)
    res["idle_rss_kib"] = t.rss_kib()

    c = libvirt.open(t.uri)
    # warm define + start, and destroy
    starts, destroys = [], []
    for i in range(a.runs + 1):
        dt, dom = define_start(c, t, tiny, "warm%d" % i)
        if i == 0:
            # warm-up run (capabilities probed in this daemon)
            if not native_holder and t.kind == "libvirt":
                p = subprocess.run(["/usr/bin/virsh", "-c", t.uri, "domxml-to-native",
                                    "qemu-argv", "--domain", "warm0"], capture_output=True,
                                   text=True, env=dict(os.environ, LANG="C"))
                if p.returncode == 0:
                    native_holder.append(p.stdout.strip())
        else:
            starts.append(dt)
        time.sleep(0.3)
        t0 = time.perf_counter()
        dom.destroy()
        if i > 0:
            destroys.append(time.perf_counter() - t0)
        dom.undefine()
    res["define_start_ms"] = median(starts) * 1000
    res["destroy_ms"] = median(destroys) * 1000
    # the same with virt-install's checked <cpu> element (CPU feature checks)
    starts = []
    for i in range(a.runs):
        dt, dom = define_start(c, t, tiny, "cpu%d" % i, cpu="checked")
        starts.append(dt)
        dom.destroy()
        dom.undefine()
    res["define_start_cpu_ms"] = median(starts) * 1000

    # dom.info() throughput on a running guest
    dt, dom = define_start(c, t, tiny, "info")
    for n in (1, 8):
        res["info_per_s_%d" % n] = throughput(t, INFO_CLIENT, [t.uri, "info"], n, a.seconds)
    lib = os.path.join(os.environ.get("MODVIRT_CLIENT_LIB_BUILD_DIR", a.build), "libclient",
                       "libmodvirt.so.0")
    for n in (1, 8):
        try:
            # None when the library lacks the domain calls or cannot connect
            res["c_info_per_s_%d" % n] = (throughput(t, C_INFO_CLIENT, [lib, t.uri, "info"],
                                                     n, a.seconds, quiet=True)
                                          if os.path.exists(lib) else None)
        except (RuntimeError, ValueError):
            res["c_info_per_s_%d" % n] = None
    dom.destroy()
    dom.undefine()

    # 1000 defined
    rss0 = t.rss_kib()
    xmls = [guest.domain_xml("many%04d" % i, tiny, serial=t.serial("many%04d" % i))
            for i in range(a.many)]
    t0 = time.perf_counter()
    for x in xmls:
        c.defineXML(x)
    res["define_1000_s"] = time.perf_counter() - t0
    time.sleep(1.0)
    res["rss_per_domain_kib"] = (t.rss_kib() - rss0) / float(a.many)
    lists = []
    for _ in range(20):
        t0 = time.perf_counter()
        n = len(c.listAllDomains())
        lists.append(time.perf_counter() - t0)
    assert n == a.many, n
    res["list_1000_ms"] = median(lists) * 1000
    c.close()
    restarts = []
    for _ in range(3):
        t.stop()
        t0 = time.perf_counter()
        t.start()
        c = libvirt.open(t.uri)
        n = len(c.listAllDomains())
        restarts.append(time.perf_counter() - t0)
        c.close()
        assert n == a.many, n
    res["restart_1000_ms"] = median(restarts) * 1000
    t.stop()

    t.new_root()
    res["activation_list_ms"] = activation_list(t, a.runs) * 1000
    t.cleanup_root()
    return res


KEYS = [
    # key, unit, higher is better
    ("define_start_ms", "ms", False),
    ("bare_qemu_ms", "ms", False),
    ("start_overhead_ms", "ms", False),
    ("define_start_cpu_ms", "ms", False),
    ("start_overhead_cpu_ms", "ms", False),
    ("cold_start_ms", "ms", False),
    ("destroy_ms", "ms", False),
    ("info_per_s_1", "/s", True),
    ("info_per_s_8", "/s", True),
    ("c_info_per_s_1", "/s", True),
    ("c_info_per_s_8", "/s", True),
    ("define_1000_s", "s", False),
    ("list_1000_ms", "ms", False),
    ("restart_1000_ms", "ms", False),
    ("activation_list_ms", "ms", False),
    ("idle_rss_kib", "KiB", False),
    ("rss_per_domain_kib", "KiB", False),
]


def fmt(v):
    if v is None:
        return "n/a"
    if abs(v) >= 100:
        return "%.0f" % v
    return "%.2f" % v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="samples per timed start/stop metric")
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=3.0, help="seconds per throughput run")
    ap.add_argument("--many", type=int, default=1000, help="guests for the 'defined' metrics")
    ap.add_argument("--build", default=os.environ.get("MODVIRT_BUILD_DIR",
                                                      os.path.join(TOP, "build")))
    ap.add_argument("--modvirt-uid", type=int, default=NOBODY,
                    help="uid modvirt's daemon runs as (default 65534, like the reference)")
    ap.add_argument("--only", choices=["libvirt", "modvirt"])
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root (the daemons are started as uid 65534)")

    gdir = tempfile.mkdtemp(prefix="mvbench-guest-")
    os.chmod(gdir, 0o755)
    results = {}
    native = []
    try:
        tiny = guest.build(gdir)
        for kind in ("libvirt", "modvirt"):
            if a.only and a.only != kind:
                continue
            t = Target(kind, a.build, NOBODY if kind == "libvirt" else a.modvirt_uid)
            if not t.available():
                print("%s: %s not found, column n/a" % (kind, t.binary[0]), file=sys.stderr)
                continue
            print("measuring %s (%s) ..." % (kind, t.binary[0]), file=sys.stderr, flush=True)
            try:
                results[kind] = measure(t, tiny, a, native)
            finally:
                t.cleanup_root()
        work = tempfile.mkdtemp(prefix="mvbench-bare-")
        try:
            argv, mon = bare_argv(native[0] if native else None, tiny, work)
            print("bare QEMU argv (%s): %s" % ("libvirt's domxml-to-native" if native
                                               else "built-in equivalent",
                                               " ".join(shlex.quote(x) for x in argv)),
                  file=sys.stderr)
            bare = [bare_qemu_once(argv, mon) for _ in range(a.runs + 1)][1:]
            bare_ms = median(bare) * 1000
        finally:
            shutil.rmtree(work, ignore_errors=True)
        for r in results.values():
            r["bare_qemu_ms"] = bare_ms
            r["start_overhead_ms"] = r["define_start_ms"] - bare_ms
            r["start_overhead_cpu_ms"] = r["define_start_cpu_ms"] - bare_ms
    finally:
        shutil.rmtree(gdir, ignore_errors=True)

    lv, mv = results.get("libvirt", {}), results.get("modvirt", {})
    sys.stderr.flush()
    print("%-26s | %12s | %12s | %s" % ("metric", "libvirt", "modvirt", "ratio"))
    print("-" * 26 + "-+-" + "-" * 12 + "-+-" + "-" * 12 + "-+-" + "-" * 8)
    for key, unit, higher in KEYS:
        l, m = lv.get(key), mv.get(key)
        ratio = "n/a"
        if l is not None and m is not None and l > 0 and m > 0 and key != "bare_qemu_ms":
            ratio = "%.2fx" % ((m / l) if higher else (l / m))
        print("%-26s | %12s | %12s | %s" % ("%s (%s)" % (key, unit), fmt(l), fmt(m), ratio))
    print("(ratio > 1 means modvirt is better: faster, more calls or less memory; the bare\n"
          " QEMU time is shared: same QEMU, same argv, measured once in this run)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
