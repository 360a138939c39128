"""Socket activation the way systemd does it (systemd-socket-activate passes
the three listening sockets by name), idle exit after --timeout, and a
second activation that finds every secret where it was."""

import base64
import os
import socket
import subprocess
import time

import mvtest

UUID = "7e57ac71-0000-4a11-b0b0-5ec12e7a5e01"


def activator(d, timeout):
    for s in ("sock", "sock-ro", "admin-sock"):
        p = os.path.join(d.sockdir, "virtsecretd-" + s)
        if os.path.exists(p):
            os.unlink(p)
    os.makedirs(d.sockdir, mode=0o700, exist_ok=True)
    paths = [os.path.join(d.sockdir, "virtsecretd-" + s) for s in ("sock", "sock-ro", "admin-sock")]
    cmd = ["systemd-socket-activate"]
    for p in paths:
        cmd += ["-l", p]
    cmd += ["--fdname=virtsecretd.socket:virtsecretd-ro.socket:virtsecretd-admin.socket",
            d.binary, "--session", "--timeout", str(timeout)]
    mvtest.require("/usr/bin/systemd-socket-activate", "systemd-socket-activate (package systemd)")
    logf = open(d.log, "ab")
    p = subprocess.Popen(cmd, env=d.env, stdout=logf, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL)
    deadline = time.time() + 10
    while not all(os.path.exists(x) for x in paths):
        assert time.time() < deadline, "systemd-socket-activate did not listen:\n" + d.read_log()
        assert p.poll() is None, d.read_log()
        time.sleep(0.02)
    return p


def test_socket_activation_idle_exit_and_reactivation(tmp_path):
    d = mvtest.Daemon("virtsecretd", start=False)
    try:
        act = activator(d, timeout=3)
        f = tmp_path / "s.xml"
        f.write_text("<secret ephemeral='no' private='no'><uuid>%s</uuid>"
                     "<usage type='tls'><name>activation</name></usage></secret>" % UUID)
        t0 = time.time()
        p = mvtest.virsh("debian", d.uri, "secret-define", str(f))
        assert p.returncode == 0, (p.stderr, d.read_log())
        mvtest.virsh("debian", d.uri, "secret-set-value", UUID,
                     base64.b64encode(b"kept").decode(), check=True)
        # the activated daemon is systemd-socket-activate's process itself
        assert act.poll() is None
        # with no client it leaves after ~3 s of idleness, cleanly
        act.wait(timeout=20)
        assert act.returncode == 0, d.read_log()
        assert time.time() - t0 >= 3
        mvtest.check_sanitizer_log(d.read_log(), "virtsecretd")
        # nothing listens now: a client is refused
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(d.sock)
            raise AssertionError("socket still accepting after idle exit")
        except OSError:
            pass
        finally:
            s.close()

        act = activator(d, timeout=3)
        p = mvtest.virsh("debian", d.uri, "secret-get-value", "--plain", UUID)
        assert p.returncode == 0 and p.stdout.strip() == "kept", (p.stderr, d.read_log())
        act.wait(timeout=20)
        assert act.returncode == 0
    finally:
        d.cleanup()


def test_timeout_waits_for_clients(tmp_path):
    """--timeout counts idle time only: a connected client keeps it running."""
    d = mvtest.Daemon("virtsecretd", args=["--timeout", "2"])
    try:
        c = mvtest.RawClient(d.sock)
        c.open("secret:///session")
        time.sleep(4)
        assert d.alive(), "daemon quit while a client was connected"
        m = c.call(3, serial=5)      # CONNECT_GET_TYPE still answered
        assert m["status"] == mvtest.OK
        c.close()
        deadline = time.time() + 15
        while d.alive() and time.time() < deadline:
            time.sleep(0.1)
        assert not d.alive(), "daemon did not leave after the last client"
        assert d.proc.returncode == 0
    finally:
        d.cleanup()


def test_sd_notify_ready_and_stopping(tmp_path):
    """With NOTIFY_SOCKET set (Type=notify), the daemon says READY=1 once its
    sockets serve and STOPPING=1 when told to stop."""
    path = str(tmp_path / "notify")
    ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ns.bind(path)
    ns.settimeout(20)
    d = mvtest.Daemon("virtsecretd", env_extra={"NOTIFY_SOCKET": path}, start=False)
    try:
        d.start(wait=False)
        msgs = []
        while not any("READY=1" in m for m in msgs):
            msgs.append(ns.recv(4096).decode())
        # READY means served: a client gets an answer right away
        c = mvtest.RawClient(d.sock)
        c.open("secret:///session")
        c.close()
        d.proc.send_signal(15)
        while not any("STOPPING=1" in m for m in msgs):
            msgs.append(ns.recv(4096).decode())
        d.proc.wait(20)
        assert d.proc.returncode == 0, d.read_log()
    finally:
        ns.close()
        d.cleanup()
