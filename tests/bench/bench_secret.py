#!/usr/bin/python3
"""Benchmarks modvirt's virtsecretd against Debian's libvirtd (secret
driver), side by side in one run, and prints the ratios.

Measured for each daemon:
  - round-trip latency of secretLookupByUUIDString from python3-libvirt
    (median and p99 over N calls, one client);
  - calls per second with 1 client and with 8 clients (8 processes, each
    with its own connection);
  - idle RSS of the daemon after a define + set-value;
  - time from the first connect on a socket-activated (systemd-socket-activate)
    socket to the first reply (CONNECT_OPEN completed + getType).

Debian's libvirtd runs as an unprivileged session daemon (uid 65534) in a
private temp dir, never as root.  Run as root:  tests/bench/bench_secret.py
Options: --calls N (default 5000), --seconds S for throughput (default 3),
--build DIR (default ./build).
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UUID = "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e"
XML = ("<secret ephemeral='no' private='no'><uuid>%s</uuid><usage type='ceph'>"
       "<name>bench</name></usage></secret>" % UUID)
NOBODY = 65534

CLIENT = r'''
import json, sys, time, libvirt
uri, mode, n, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
c = libvirt.open(uri)
u = sys.argv[5]
if mode == "latency":
    lat = []
    for _ in range(200):
        c.secretLookupByUUIDString(u)
    for _ in range(n):
        t = time.perf_counter()
        c.secretLookupByUUIDString(u)
        lat.append(time.perf_counter() - t)
    print(json.dumps(lat))
elif mode == "throughput":
    sys.stdout.write("ready\n"); sys.stdout.flush()
    sys.stdin.readline()
    end = time.perf_counter() + secs
    k = 0
    while time.perf_counter() < end:
        c.secretLookupByUUIDString(u)
        k += 1
    print(k)
elif mode == "first":
    print(c.getType())
c.close()
'''


def as_user(uid, cmd):
    if uid is None:
        return cmd
    return ["setpriv", "--reuid=%d" % uid, "--regid=%d" % uid, "--clear-groups"] + cmd


class Target:
    def __init__(self, kind, build):
        self.kind = kind
        self.root = tempfile.mkdtemp(prefix="mvbench-%s-" % kind)
        os.chmod(self.root, 0o755)
        self.uid = NOBODY if kind == "libvirtd" else None
        self.env = {"PATH": "/usr/sbin:/usr/bin:/bin", "HOME": self.root + "/home",
                    "XDG_RUNTIME_DIR": self.root + "/run", "XDG_CONFIG_HOME": self.root + "/cfg",
                    "XDG_CACHE_HOME": self.root + "/cache", "XDG_DATA_HOME": self.root + "/data",
                    "LANG": "C"}
        for d in ("home", "run", "cfg", "cache", "data"):
            os.makedirs(os.path.join(self.root, d), mode=0o700)
            if self.uid is not None:
                os.chown(os.path.join(self.root, d), self.uid, self.uid)
        if self.uid is not None:
            os.chown(self.root, self.uid, self.uid)
        if kind == "modvirt":
            self.binary = [os.path.join(build, "daemons", "secret", "virtsecretd"), "--session"]
            self.sockname = "virtsecretd-sock"
            self.fdnames = "virtsecretd.socket:virtsecretd-ro.socket:virtsecretd-admin.socket"
        else:
            self.binary = ["/usr/sbin/libvirtd"]
            self.sockname = "libvirt-sock"
            # a session libvirtd has no read-only socket and refuses unclaimed fds
            self.fdnames = "libvirtd.socket:libvirtd-admin.socket"
        self.sock = os.path.join(self.root, "run", "libvirt", self.sockname)
        self.uri = "secret:///session?socket=%s" % self.sock
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(as_user(self.uid, self.binary + ["--timeout", "600"]),
                                     env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while not os.path.exists(self.sock):
            if time.time() > deadline or self.proc.poll() is not None:
                raise SystemExit("%s did not start" % self.kind)
            time.sleep(0.01)
        time.sleep(0.2)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None

    def py(self, *args, **kw):
        return subprocess.run(as_user(self.uid, ["/usr/bin/python3", "-c", CLIENT] + list(args)),
                              env=self.env, capture_output=True, text=True, check=True, **kw)

    def virsh(self, *args):
        return subprocess.run(as_user(self.uid, ["/usr/bin/virsh", "-c", self.uri] + list(args)),
                              env=self.env, capture_output=True, text=True, check=True)

    def rss_kib(self):
        pids = [self.proc.pid]
        total = 0
        for pid in pids:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total

    def activation_first_reply(self, runs=5):
        """Seconds from connect on an activation socket to the first reply."""
        times = []
        for _ in range(runs):
            rundir = os.path.join(self.root, "act")
            shutil.rmtree(rundir, ignore_errors=True)
            os.makedirs(rundir, mode=0o755)
            if self.uid is not None:
                os.chown(rundir, self.uid, self.uid)
            names = ("a-sock", "a-ro", "a-admin") if self.kind == "modvirt" else ("a-sock", "a-admin")
            socks = [os.path.join(rundir, s) for s in names]
            act = subprocess.Popen(as_user(self.uid, ["systemd-socket-activate"] +
                                           sum([["-l", s] for s in socks], []) +
                                           ["--fdname=" + self.fdnames] + self.binary +
                                           ["--timeout", "600"]),
                                   env=self.env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            while not all(os.path.exists(s) for s in socks):
                time.sleep(0.005)
            uri = "secret:///session?socket=%s" % socks[0]
            code = ("import time,libvirt,sys;t=time.perf_counter();c=libvirt.open(sys.argv[1]);"
                    "c.getType();print(time.perf_counter()-t)")
            p = subprocess.run(as_user(self.uid, ["/usr/bin/python3", "-c", code, uri]),
                               env=self.env, capture_output=True, text=True, check=True)
            times.append(float(p.stdout))
            act.send_signal(signal.SIGTERM)
            act.wait(20)
        return statistics.median(times)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def measure(t, calls, secs):
    res = {}
    t.start()
    f = os.path.join(t.root, "s.xml")
    with open(f, "w") as fh:
        fh.write(XML)
    os.chmod(f, 0o644)
    t.virsh("secret-define", f)
    t.virsh("secret-set-value", UUID, "YmVuY2g=")
    time.sleep(1.0)
    res["idle_rss_kib"] = t.rss_kib()
    lat = json.loads(t.py(t.uri, "latency", str(calls), "0", UUID).stdout)
    res["latency_median_us"] = statistics.median(lat) * 1e6
    res["latency_p99_us"] = sorted(lat)[int(len(lat) * 0.99)] * 1e6
    for nclients in (1, 8):
        procs = [subprocess.Popen(as_user(t.uid, ["/usr/bin/python3", "-c", CLIENT, t.uri,
                                                  "throughput", "0", str(secs), UUID]),
                                  env=t.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True) for _ in range(nclients)]
        for p in procs:
            assert p.stdout.readline().strip() == "ready"
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        total = sum(int(p.communicate(timeout=secs + 60)[0]) for p in procs)
        res["calls_per_s_%d" % nclients] = total / secs
    t.virsh("secret-undefine", UUID)
    t.stop()
    res["activation_first_reply_ms"] = t.activation_first_reply() * 1000
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=5000)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root (the reference libvirtd is started as uid 65534)")
    results = {}
    for kind in ("modvirt", "libvirtd"):
        t = Target(kind, a.build)
        try:
            results[kind] = measure(t, a.calls, a.seconds)
        finally:
            t.cleanup()
    keys = ["latency_median_us", "latency_p99_us", "calls_per_s_1", "calls_per_s_8",
            "idle_rss_kib", "activation_first_reply_ms"]
    better_high = {"calls_per_s_1", "calls_per_s_8"}
    print("%-28s %12s %12s %10s" % ("metric", "modvirt", "libvirtd", "ratio"))
    for k in keys:
        m, l = results["modvirt"][k], results["libvirtd"][k]
        ratio = (m / l) if k in better_high else (l / m)
        print("%-28s %12.1f %12.1f %9.2fx" % (k, m, l, ratio))
    print("(ratio > 1 means modvirt is better: faster, more calls or less memory)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
