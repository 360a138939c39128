"""Network namespaces for the virtnetworkd tests.

NetHost is a private "host" for one test: a holder process in its own mount
and network namespace, with fresh tmpfs mounts over /run, /var/lib,
/var/cache, /var/log and /etc/libvirt (mvtest.SYSTEM_DIRS) and loopback up.
virtnetworkd runs inside it in system mode (nsenter into the holder), so it
uses the real /run/libvirt, /var/lib/libvirt and /etc/libvirt paths and
makes real bridges, nftables tables and dnsmasq processes, none of which
the machine's own network ever sees.  The daemon can be killed and started
again in the same namespaces (re-adoption tests); everything goes away when
the holder exits.

Client namespaces (ClientNS) are further network namespaces joined to a
bridge of the host namespace by a veth pair: a DHCP client there plays a
guest.

Needs root.
"""

import os
import signal
import socket
import subprocess
import time

import mvtest

HOLDER = r'''
import os, subprocess, sys
for d in %r:
    if os.path.isdir(d):
        subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", d], check=True)
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
sys.stdout.write("ready\n")
sys.stdout.flush()
sys.stdin.read()
''' % (mvtest.SYSTEM_DIRS,)

UDHCPC_SCRIPT = """#!/bin/sh
case "$1" in
bound|renew) ip addr add "$ip/${mask:-24}" dev "$interface" ;;
esac
exit 0
"""


def require_root():
    if os.geteuid() != 0:
        raise AssertionError("network tests need root (network and mount namespaces)")


class NetHost:
    """A private host (mount + network namespace) running virtnetworkd."""

    def __init__(self, name="virtnetworkd", args=(), start=True):
        require_root()
        self.name = name
        self.binary = mvtest.daemon_path(name)
        mvtest.require(self.binary, "daemon binary")
        self.args = list(args)
        self.root = mvtest.tempfile.mkdtemp(prefix="mvt-net-")
        self.log = os.path.join(self.root, "daemon.log")
        self.holder = subprocess.Popen(
            ["unshare", "--mount", "--net", "--propagation", "private",
             "/usr/bin/python3", "-c", HOLDER],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        line = self.holder.stdout.readline()
        if line.strip() != b"ready":
            raise AssertionError("network namespace holder did not start")
        self.proc = None
        self.clients = []
        if start:
            self.start()

    # --- paths and commands inside the namespaces ---

    @property
    def pid(self):
        return self.holder.pid

    def path(self, p):
        """A path of the private host's file system, seen from outside."""
        return "/proc/%d/root%s" % (self.holder.pid, p)

    def nsenter(self):
        return ["nsenter", "-t", str(self.holder.pid), "--mount", "--net"]

    def run(self, *cmd, check=True, timeout=30):
        p = subprocess.run(self.nsenter() + list(cmd), capture_output=True, text=True,
                           timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError("%s failed (%d): %s%s" % (cmd, p.returncode, p.stdout,
                                                          p.stderr))
        return p

    def links(self):
        out = self.run("ip", "-o", "link", "show").stdout
        return sorted(l.split(":")[1].strip().split("@")[0] for l in out.splitlines())

    def addresses(self, dev):
        p = self.run("ip", "-o", "addr", "show", "dev", dev, check=False)
        return [l.split()[3] for l in p.stdout.splitlines()]

    def nft_tables(self):
        out = self.run("nft", "list", "tables").stdout
        return sorted(l.strip() for l in out.splitlines() if l.strip())

    def nft_ruleset(self):
        return self.run("nft", "list", "ruleset").stdout

    def dnsmasq_pids(self):
        """pids of dnsmasq processes started for this host's networks."""
        out = []
        marker = "--conf-file=/var/lib/libvirt/dnsmasq/"
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/cmdline" % d, "rb") as f:
                    argv = f.read().split(b"\0")
                ns = os.readlink("/proc/%s/ns/net" % d)
            except OSError:
                continue
            if (argv and argv[0].endswith(b"dnsmasq") and
                    any(a.decode(errors="replace").startswith(marker) for a in argv) and
                    ns == os.readlink("/proc/%d/ns/net" % self.holder.pid)):
                out.append(int(d))
        return sorted(out)

    def read(self, p):
        with open(self.path(p)) as f:
            return f.read()

    def exists(self, p):
        return os.path.lexists(self.path(p))

    # --- the daemon ---

    @property
    def sock(self):
        return self.path("/run/libvirt/%s-sock" % self.name)

    @property
    def uri(self):
        return "network:///system?socket=%s" % self.sock

    def start(self, wait=True):
        if os.path.exists(self.sock):
            os.unlink(self.sock)
        self.logf = open(self.log, "ab")
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"}
        for k in ("LIBVIRT_DEBUG", "LIBVIRT_LOG_FILTERS", "LIBVIRT_LOG_OUTPUTS"):
            if k in os.environ:
                env[k] = os.environ[k]
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]
        self.proc = subprocess.Popen(self.nsenter() + [self.binary] + self.args, env=env,
                                     stdin=subprocess.DEVNULL, stdout=self.logf,
                                     stderr=subprocess.STDOUT, close_fds=True)
        if wait:
            self.wait_socket()
            # the socket exists before the driver has re-adopted its
            # networks: the first answered call marks the end of start-up
            p = self.virsh("uri", timeout=60)
            if p.returncode != 0:
                raise AssertionError("%s does not answer: %s\n%s" % (self.name, p.stderr,
                                                                    self.read_log()))
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
        raise AssertionError("%s did not create its socket within %ss:\n%s"
                             % (self.name, timeout, self.read_log()))

    def read_log(self):
        try:
            with open(self.log, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, timeout=15):
        """SIGTERM; the daemon must exit 0 with no sanitizer report."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("%s ignored SIGTERM:\n%s" % (self.name, self.read_log()))
        rc = self.proc.returncode
        self.proc = None
        self.logf.close()
        mvtest.check_sanitizer_log(self.read_log(), self.name)
        if rc != 0:
            raise AssertionError("%s exited with %s:\n%s" % (self.name, rc, self.read_log()))

    def kill(self):
        """SIGKILL, as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def virsh(self, *args, **kw):
        return mvtest.virsh("debian", self.uri, *args, **kw)

    def cleanup(self):
        self.kill()
        for c in self.clients:
            c.close()
        for pid in self.dnsmasq_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if self.holder.poll() is None:
            self.holder.stdin.close()
            self.holder.wait(10)
        mvtest.shutil.rmtree(self.root, ignore_errors=True)

    def client(self, bridge, mac):
        """A client namespace with a veth whose host end is on @bridge."""
        c = ClientNS(self, bridge, mac)
        self.clients.append(c)
        return c


class ClientNS:
    """A network namespace plugged into a bridge of a NetHost by a veth."""

    count = 0

    def __init__(self, host, bridge, mac):
        ClientNS.count += 1
        self.host = host
        self.hostend = "mvtv%d" % ClientNS.count
        self.ifname = "eth0"
        self.sleeper = subprocess.Popen(["unshare", "--net", "sleep", "600"],
                                        stdin=subprocess.DEVNULL, close_fds=True)
        mvtest.wait_until(lambda: os.readlink("/proc/%d/ns/net" % self.sleeper.pid) !=
                          os.readlink("/proc/self/ns/net"), timeout=5, what="client netns")
        host.run("ip", "link", "add", self.hostend, "type", "veth", "peer", "name", self.ifname,
                 "netns", str(self.sleeper.pid))
        host.run("ip", "link", "set", self.hostend, "master", bridge, "up")
        self.run("ip", "link", "set", "lo", "up")
        self.run("ip", "link", "set", self.ifname, "address", mac, "up")
        self.script = os.path.join(host.root, "udhcpc-%d.sh" % ClientNS.count)
        with open(self.script, "w") as f:
            f.write(UDHCPC_SCRIPT)
        os.chmod(self.script, 0o755)

    def run(self, *cmd, check=True, timeout=30):
        p = subprocess.run(["nsenter", "-t", str(self.sleeper.pid), "--net"] + list(cmd),
                           capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError("%s failed (%d): %s%s" % (cmd, p.returncode, p.stdout,
                                                          p.stderr))
        return p

    def dhcp(self, hostname="mvclient", timeout=20):
        """Asks for a DHCPv4 lease; returns the address obtained."""
        self.run("busybox", "udhcpc", "-i", self.ifname, "-n", "-q", "-f", "-t", "10",
                 "-T", "1", "-s", self.script, "-x", "hostname:%s" % hostname,
                 timeout=timeout)
        out = self.run("ip", "-4", "-o", "addr", "show", "dev", self.ifname).stdout
        return out.split()[3].split("/")[0]

    def close(self):
        if self.sleeper.poll() is None:
            self.sleeper.kill()
            self.sleeper.wait()
