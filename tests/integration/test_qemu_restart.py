"""The QEMU-driver daemon is restart-safe: killed with SIGKILL (or stopped
with SIGTERM) while guests run, it reconnects to them when it comes back;
a guest whose QEMU died meanwhile is reported shut off (crashed) and cleaned
up; autostart guests start when the host "reboots" (fresh runtime dir).

Each test has its own daemon.  Runs against modvirt's virtqemud, or with
MODVIRT_REFERENCE=libvirt against Debian's libvirt as an unprivileged session
daemon."""

import os
import shutil
import signal
import time

import libvirt
import pytest

import mvtest
from guest import Guests, scrub, state_of, tiny_guest, wait_state  # noqa: F401


@pytest.fixture
def qemud():
    d = mvtest.QemuDaemon()
    try:
        yield d
        d.stop()
    finally:
        d.cleanup()


def restart(qemud, how=signal.SIGKILL):
    if how == signal.SIGKILL:
        qemud.kill()
    else:
        qemud.stop()
    qemud.start()
    return libvirt.open(qemud.uri)


def test_sigkill_with_three_guests_running(qemud, tiny_guest):
    c = libvirt.open(qemud.uri)
    g = Guests(qemud, c, tiny_guest)
    names = ["rs-a", "rs-b", "rs-c"]
    try:
        doms = [g.start("rs-a"), g.start("rs-b"), g.create("rs-c")]
        ids = {d.name(): d.ID() for d in doms}
        pids = {n: qemud.qemu_pids(n) for n in names}
        assert all(len(p) == 1 for p in pids.values()), pids
        g.wait_ready("rs-b")
        c.close()

        c = restart(qemud, signal.SIGKILL)
        g.conn = c
        for n in names:
            assert qemud.qemu_pids(n) == pids[n], "QEMU of %s did not survive the daemon" % n
        active = {d.name(): d for d in c.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)}
        assert set(names) <= set(active)
        for n in names:
            assert active[n].ID() == ids[n]
            assert state_of(active[n])[0] == libvirt.VIR_DOMAIN_RUNNING
        assert active["rs-a"].isPersistent() and not active["rs-c"].isPersistent()
        assert c.lookupByID(ids["rs-b"]).name() == "rs-b"

        # a clean stop and start keeps them too
        c.close()
        c = restart(qemud, signal.SIGTERM)
        g.conn = c
        a, b, t = (c.lookupByName(n) for n in names)
        assert [a.ID(), b.ID(), t.ID()] == [ids[n] for n in names]

        # and they are still fully managed
        a.suspend()
        assert state_of(a) == (libvirt.VIR_DOMAIN_PAUSED, libvirt.VIR_DOMAIN_PAUSED_USER)
        a.resume()
        assert state_of(a)[0] == libvirt.VIR_DOMAIN_RUNNING
        a.suspend()
        a.destroy()
        assert state_of(a) == (libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED)
        b.shutdown()   # over the reconnected monitor, to the guest's acpid
        wait_state(b, libvirt.VIR_DOMAIN_SHUTOFF, reason=libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN)
        t.destroy()
        with pytest.raises(libvirt.libvirtError):
            c.lookupByName("rs-c")
        # a new start gets an id none of the old guests had
        a.create()
        assert a.ID() > max(ids.values())
        a.destroy()
        for n in names:
            mvtest.wait_until(lambda: not qemud.qemu_pids(n), 10, what="QEMU of %s to exit" % n)
            assert qemud.settled_leftovers(n, defined=(n != "rs-c")) == []
    finally:
        scrub(c, names)
        c.close()


def test_qemu_killed_while_daemon_down(qemud, tiny_guest):
    c = libvirt.open(qemud.uri)
    g = Guests(qemud, c, tiny_guest)
    names = ["rk-dead", "rk-alive", "rk-dead-t"]
    try:
        g.start("rk-dead")
        alive = g.start("rk-alive")
        g.create("rk-dead-t")
        alive_id = alive.ID()
        c.close()
        qemud.kill()
        for n in ("rk-dead", "rk-dead-t"):
            for pid in qemud.qemu_pids(n):
                os.kill(pid, signal.SIGKILL)
        mvtest.wait_until(lambda: not qemud.qemu_pids("rk-dead") and
                          not qemud.qemu_pids("rk-dead-t"), 10, what="QEMU to die")
        qemud.start()
        c = libvirt.open(qemud.uri)
        g.conn = c
        dead = c.lookupByName("rk-dead")
        # the reconnect may finish just after the daemon answers
        wait_state(dead, libvirt.VIR_DOMAIN_SHUTOFF, timeout=15)
        assert state_of(dead) == (libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_CRASHED)
        dead = c.lookupByName("rk-dead")   # handles keep the id they were made with
        assert dead.ID() == -1
        # the transient one is gone altogether
        mvtest.wait_until(lambda: "rk-dead-t" not in [d.name() for d in c.listAllDomains()],
                          15, what="rk-dead-t to disappear")
        with pytest.raises(libvirt.libvirtError) as e:
            c.lookupByName("rk-dead-t")
        assert e.value.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN
        assert qemud.settled_leftovers("rk-dead", defined=True) == []
        assert qemud.settled_leftovers("rk-dead-t") == []
        alive = c.lookupByName("rk-alive")
        assert alive.ID() == alive_id
        assert state_of(alive)[0] == libvirt.VIR_DOMAIN_RUNNING
        # the crashed one starts again normally
        dead.create()
        assert state_of(dead)[0] == libvirt.VIR_DOMAIN_RUNNING
        dead.destroy()
        alive.destroy()
        for n in names:
            mvtest.wait_until(lambda: not qemud.qemu_pids(n), 10, what="QEMU of %s to exit" % n)
    finally:
        scrub(c, names)
        c.close()


def test_autostart_when_host_boots(qemud, tiny_guest):
    c = libvirt.open(qemud.uri)
    g = Guests(qemud, c, tiny_guest)
    names = ["ra-auto", "ra-manual"]
    try:
        g.define("ra-auto").setAutostart(1)
        g.define("ra-manual")
        c.close()
        qemud.stop()
        # a host reboot empties XDG_RUNTIME_DIR (a tmpfs)
        run = qemud.env["XDG_RUNTIME_DIR"]
        for entry in os.listdir(run):
            p = os.path.join(run, entry)
            if os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p)
            else:
                os.unlink(p)
        qemud.start()
        c = libvirt.open(qemud.uri)
        g.conn = c
        auto = c.lookupByName("ra-auto")
        wait_state(auto, libvirt.VIR_DOMAIN_RUNNING, timeout=30)
        assert state_of(auto) == (libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED)
        assert auto.autostart() == 1
        assert state_of(c.lookupByName("ra-manual"))[0] == libvirt.VIR_DOMAIN_SHUTOFF
        auto.destroy()
        # a daemon restart within the same boot does not start it again
        c.close()
        c = restart(qemud, signal.SIGTERM)
        g.conn = c
        time.sleep(1.0)
        assert state_of(c.lookupByName("ra-auto"))[0] == libvirt.VIR_DOMAIN_SHUTOFF
    finally:
        scrub(c, names)
        c.close()
