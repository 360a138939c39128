#!/usr/bin/env python3
#
# Process-level tests of the daemon framework with the real virtsecretd
# binary: command line, config errors (exit 1 naming file:line:key), session
# paths and sockets, the pid-file lock, idle timeout, SIGTERM cleanup and
# systemd socket activation (systemd-socket-activate with named fds).  The
# daemon is spoken to with raw RPC frames, so these tests need nothing but
# the binary.
#
# usage: test_virtsecretd.py PATH/TO/virtsecretd
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest

BINARY = None

REMOTE_PROGRAM = 0x20008086
ADMIN_PROGRAM = 0x06900690
PROC_CONNECT_OPEN = 1
PROC_CONNECT_CLOSE = 2
PROC_CONNECT_GET_TYPE = 3
PROC_SUPPORTS_FEATURE = 60
PROC_AUTH_LIST = 66
PROC_SECRET_DEFINE_XML = 142
PROC_LIST_ALL_SECRETS = 287
VIR_ERR_INTERNAL_ERROR = 1
VIR_ERR_OPERATION_DENIED = 29


def xdr_string(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)


class Conn:
    """One RPC connection speaking raw frames."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.serial = 0

    def close(self):
        self.sock.close()

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError("connection closed by the daemon")
            data += chunk
        return data

    def call(self, proc, body=b"", prog=REMOTE_PROGRAM):
        serial = self.serial
        self.serial += 1
        hdr = struct.pack(">IIiiIi", prog, 1, proc, 0, serial, 0)
        self.sock.sendall(struct.pack(">I", 4 + len(hdr) + len(body)) + hdr + body)
        while True:
            (length,) = struct.unpack(">I", self._recv_exact(4))
            frame = self._recv_exact(length - 4)
            rprog, _vers, rproc, rtype, rserial, status = struct.unpack(">IIiiIi", frame[:24])
            if rtype != 1:          # skip events and keepalive
                continue
            assert (rprog, rproc, rserial) == (prog, proc, serial), (rprog, rproc, rserial)
            return status, frame[24:]

    @staticmethod
    def error(body):
        """(code, domain, message) of a remote_error body."""
        code, domain, present = struct.unpack(">iiI", body[:12])
        message = None
        if present:
            (n,) = struct.unpack(">I", body[12:16])
            message = body[16:16 + n].decode()
        return code, domain, message


class DaemonTestBase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="mv-virtsecretd-")
        self.env = dict(os.environ)
        for k in list(self.env):
            if k.startswith(("LIBVIRT_", "LISTEN_", "NOTIFY_SOCKET")):
                del self.env[k]
        self.env.update(HOME=self.tmp,
                        XDG_RUNTIME_DIR=os.path.join(self.tmp, "run"),
                        XDG_CONFIG_HOME=os.path.join(self.tmp, "config"),
                        XDG_CACHE_HOME=os.path.join(self.tmp, "cache"),
                        XDG_DATA_HOME=os.path.join(self.tmp, "data"))
        self.rundir = os.path.join(self.tmp, "run", "libvirt")
        self.sock = os.path.join(self.rundir, "virtsecretd-sock")
        self.admin = os.path.join(self.rundir, "virtsecretd-admin-sock")
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stdout.close()
            p.stderr.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self, *args, wrapper=()):
        p = subprocess.Popen(list(wrapper) + [BINARY, "--session"] + list(args),
                             env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        self.procs.append(p)
        return p

    def wait_for(self, path, proc, timeout=15):
        end = time.time() + timeout
        while time.time() < end:
            if os.path.exists(path):
                try:
                    c = Conn(path)
                    c.close()
                    return
                except OSError:
                    pass
            if proc.poll() is not None:
                self.fail("daemon exited with %d: %s" % (proc.returncode, proc.stderr.read()))
            time.sleep(0.05)
        self.fail("socket %s did not appear" % path)

    def run_daemon(self, *args):
        return subprocess.run([BINARY, "--session"] + list(args), env=self.env,
                              capture_output=True, text=True, timeout=30)


class CommandLineTests(DaemonTestBase):
    def test_version(self):
        r = self.run_daemon("--version")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("virtsecretd", r.stdout)

    def test_bad_option(self):
        r = self.run_daemon("--no-such-option")
        self.assertEqual(r.returncode, 1)
        self.assertIn("virtsecretd: error:", r.stderr)

    def test_bad_config(self):
        conf = os.path.join(self.tmp, "bad.conf")
        with open(conf, "w") as f:
            f.write("# comment\nmax_workers = \"lots\"\n")
        r = self.run_daemon("--config", conf)
        self.assertEqual(r.returncode, 1)
        self.assertIn("%s:2: max_workers: expected an unsigned integer, got \"lots\"" % conf,
                      r.stderr)
        self.assertFalse(os.path.exists(self.sock))

    def test_syntax_error_config(self):
        conf = os.path.join(self.tmp, "syntax.conf")
        with open(conf, "w") as f:
            f.write("\n\nunix_sock_group = \"unterminated\n")
        r = self.run_daemon("--config", conf)
        self.assertEqual(r.returncode, 1)
        self.assertIn("%s:3: unix_sock_group: unterminated string" % conf, r.stderr)

    def test_polkit_refused(self):
        conf = os.path.join(self.tmp, "polkit.conf")
        with open(conf, "w") as f:
            f.write("auth_unix_rw = \"polkit\"\n")
        r = self.run_daemon("--config", conf)
        self.assertEqual(r.returncode, 1)
        self.assertIn("polkit.conf:1: auth_unix_rw:", r.stderr)
        self.assertIn("not supported", r.stderr)

    def test_missing_config(self):
        r = self.run_daemon("--config", os.path.join(self.tmp, "nope.conf"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("nope.conf", r.stderr)

    def test_default_config_file_read(self):
        os.makedirs(os.path.join(self.tmp, "config", "libvirt"))
        with open(os.path.join(self.tmp, "config", "libvirt", "virtsecretd.conf"), "w") as f:
            f.write("max_clients = \"many\"\n")
        r = self.run_daemon()
        self.assertEqual(r.returncode, 1)
        self.assertIn("virtsecretd.conf:1: max_clients:", r.stderr)


class SessionTests(DaemonTestBase):
    def test_serve_and_sigterm(self):
        p = self.start("--timeout", "30")
        self.wait_for(self.sock, p)
        self.wait_for(self.admin, p)
        self.assertFalse(os.path.exists(os.path.join(self.rundir, "virtsecretd-sock-ro")))
        self.assertEqual(os.stat(self.rundir).st_mode & 0o777, 0o700)
        self.assertTrue(os.path.exists(os.path.join(self.rundir, "virtsecretd.pid")))

        c = Conn(self.sock)
        status, body = c.call(PROC_AUTH_LIST)
        self.assertEqual(status, 0)
        self.assertEqual(body, struct.pack(">II", 1, 0))
        status, body = c.call(PROC_SUPPORTS_FEATURE, struct.pack(">i", 10))
        self.assertEqual((status, body), (0, struct.pack(">i", 1)))
        # before CONNECT_OPEN
        status, body = c.call(PROC_CONNECT_GET_TYPE)
        self.assertEqual(status, 1)
        code, _dom, msg = Conn.error(body)
        self.assertEqual(code, VIR_ERR_INTERNAL_ERROR)
        self.assertEqual(msg, "internal error: hypervisor connection not open")
        # open with an empty name: the daemon's default URI
        status, body = c.call(PROC_CONNECT_OPEN, struct.pack(">I", 1) + xdr_string("") +
                              struct.pack(">I", 6))
        self.assertEqual(status, 0, Conn.error(body) if status else None)
        status, body = c.call(PROC_CONNECT_OPEN, struct.pack(">I", 0) + struct.pack(">I", 0))
        self.assertEqual(status, 1)
        self.assertEqual(Conn.error(body)[2], "internal error: connection already open")
        status, body = c.call(PROC_CONNECT_GET_TYPE)
        self.assertEqual(status, 0, Conn.error(body) if status else None)
        status, body = c.call(PROC_LIST_ALL_SECRETS, struct.pack(">iI", 1, 0))
        self.assertEqual(status, 0, Conn.error(body) if status else None)
        self.assertEqual(body, struct.pack(">II", 0, 0))
        status, _ = c.call(PROC_CONNECT_CLOSE)
        self.assertEqual(status, 0)
        c.close()

        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=15), 0, p.stderr.read())
        self.assertFalse(os.path.exists(self.sock))
        self.assertFalse(os.path.exists(self.admin))
        self.assertFalse(os.path.exists(os.path.join(self.rundir, "virtsecretd.pid")))

    def test_second_instance_refused(self):
        p = self.start("--timeout", "30")
        self.wait_for(self.sock, p)
        r = self.run_daemon("--timeout", "5")
        self.assertEqual(r.returncode, 1)
        self.assertIn("already running", r.stderr)
        # the first one still serves
        c = Conn(self.sock)
        self.assertEqual(c.call(PROC_AUTH_LIST)[0], 0)
        c.close()

    def test_idle_timeout(self):
        p = self.start("--timeout", "1")
        self.wait_for(self.sock, p)
        c = Conn(self.sock)
        c.call(PROC_AUTH_LIST)
        time.sleep(1.5)
        self.assertIsNone(p.poll(), "exited while a client was connected")
        c.close()
        self.assertEqual(p.wait(timeout=10), 0)
        self.assertFalse(os.path.exists(self.sock))

    def test_admin_list_servers(self):
        p = self.start("--timeout", "30")
        self.wait_for(self.admin, p)
        c = Conn(self.admin)
        status, _ = c.call(1, struct.pack(">I", 0), prog=ADMIN_PROGRAM)
        self.assertEqual(status, 0)
        status, body = c.call(4, struct.pack(">II", 1, 0), prog=ADMIN_PROGRAM)
        self.assertEqual(status, 0)
        self.assertEqual(body, struct.pack(">I", 2) + xdr_string("virtsecretd") +
                         xdr_string("admin") + struct.pack(">I", 2))
        c.close()


class ActivationTests(DaemonTestBase):
    def test_socket_activation(self):
        activate = shutil.which("systemd-socket-activate")
        if not activate:
            self.skipTest("systemd-socket-activate not found")
        sockdir = os.path.join(self.tmp, "act")
        os.makedirs(sockdir)
        rw = os.path.join(sockdir, "rw")
        ro = os.path.join(sockdir, "ro")
        adm = os.path.join(sockdir, "admin")
        wrapper = [activate, "-l", rw, "-l", ro, "-l", adm,
                   "--fdname=virtsecretd.socket:virtsecretd-ro.socket:virtsecretd-admin.socket"]
        p = self.start("--timeout", "30", wrapper=wrapper)
        end = time.time() + 10
        while not all(os.path.exists(x) for x in (rw, ro, adm)) and time.time() < end:
            time.sleep(0.05)
        # systemd-socket-activate starts the daemon on the first connection
        c = Conn(rw)
        self.assertEqual(c.call(PROC_AUTH_LIST)[0], 0)
        r = Conn(ro)
        self.assertEqual(r.call(PROC_AUTH_LIST)[0], 0)
        status, body = r.call(PROC_CONNECT_OPEN, struct.pack(">I", 0) + struct.pack(">I", 0))
        self.assertEqual(status, 0, Conn.error(body) if status else None)
        status, body = r.call(PROC_SECRET_DEFINE_XML, xdr_string("<secret/>") +
                              struct.pack(">I", 0))
        self.assertEqual(status, 1)
        self.assertEqual(Conn.error(body)[0], VIR_ERR_OPERATION_DENIED)
        a = Conn(adm)
        self.assertEqual(a.call(1, struct.pack(">I", 0), prog=ADMIN_PROGRAM)[0], 0)
        for x in (c, r, a):
            x.close()
        # the daemon bound nothing itself
        self.assertFalse(os.path.exists(self.sock))
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=15), 0, p.stderr.read())


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
