"""Debian's unmodified clients drive a tiny TCG guest through the QEMU-driver
daemon: virsh (define, start, list, dominfo, suspend, resume, shutdown,
destroy, undefine, with `virsh event --all --loop` watching), python3-libvirt
(the same, with lifecycle events through the default event loop) and
virt-install (--import with a kernel and initrd, no disk, no network).

Runs against modvirt's virtqemud, or with MODVIRT_REFERENCE=libvirt against
Debian's libvirt as an unprivileged session daemon."""

import os
import re
import subprocess
import time

import libvirt

import mvtest
from guest import (conn, guests, qemud, tiny_guest, state_of, wait_ready,  # noqa: F401
                   wait_state)

EVENT_LISTENER = r'''
import sys, threading, time, libvirt
libvirt.virEventRegisterDefaultImpl()
def loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()
conn = libvirt.open(sys.argv[1])
want = sys.argv[2]
def life(c, dom, event, detail, opaque):
    if dom.name() == want:
        print("%d %d" % (event, detail), flush=True)
cb = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, life, None)
print("ready", flush=True)
sys.stdin.readline()
time.sleep(0.5)
conn.domainEventDeregisterAny(cb)
conn.close()
print("done", flush=True)
'''


def subsequence(want, got):
    """True if WANT appears in GOT in order (other items may come between)."""
    it = iter(got)
    return all(any(w == g for g in it) for w in want)


def domstate(qemud, name):
    return qemud.virsh("domstate", "--reason", name, check=True).stdout.strip()


def wait_domstate(qemud, name, want, timeout=30):
    last = [None]

    def check():
        last[0] = domstate(qemud, name)
        return last[0] == want
    try:
        mvtest.wait_until(check, timeout, interval=0.2, what="domstate %s" % want)
    except AssertionError:
        raise AssertionError("domstate of %s is %r, wanted %r" % (name, last[0], want))


def fields(text):
    out = {}
    for line in text.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            out[k.strip()] = v.strip()
    return out


def list_rows(text):
    """virsh list output -> {name: (id, state)}."""
    rows = {}
    for line in text.splitlines()[2:]:
        m = re.match(r"\s*(\S+)\s+(\S+)\s+(.+?)\s*$", line)
        if m:
            rows[m.group(2)] = (m.group(1), m.group(3))
    return rows


def test_virsh_lifecycle_and_events(qemud, guests, tmp_path):
    name = "cl-virsh"
    f = tmp_path / "dom.xml"
    f.write_text(guests.xml(name))
    ev = subprocess.Popen([mvtest.DEBIAN_VIRSH, "-c", qemud.uri, "event", "--all", "--loop",
                           "--timeout", "120"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=dict(os.environ, LANG="C"))
    try:
        time.sleep(0.5)   # let virsh register before the first event
        v = qemud.virsh
        p = v("define", str(f), check=True)
        assert "Domain '%s' defined from %s" % (name, f) in p.stdout
        assert list_rows(v("list", "--all", check=True).stdout)[name] == ("-", "shut off")
        assert name not in list_rows(v("list", check=True).stdout)
        assert domstate(qemud, name) == "shut off (unknown)"
        assert "Domain '%s' started" % name in v("start", name, check=True).stdout
        rows = list_rows(v("list", check=True).stdout)
        assert rows[name][1] == "running" and rows[name][0].isdigit()
        domid = rows[name][0]
        assert v("domid", name, check=True).stdout.strip() == domid
        uuid = v("domuuid", name, check=True).stdout.strip()
        assert v("domname", uuid, check=True).stdout.strip() == name
        assert v("domname", domid, check=True).stdout.strip() == name
        info = fields(v("dominfo", name, check=True).stdout)
        assert info["Id"] == domid and info["Name"] == name and info["UUID"] == uuid
        assert info["OS Type"] == "hvm" and info["State"] == "running"
        assert info["CPU(s)"] == "1" and info["Max memory"] == "131072 KiB"
        assert info["Persistent"] == "yes" and info["Autostart"] == "disable"
        vcpu = fields(v("vcpuinfo", name, check=True).stdout)
        assert vcpu["VCPU"] == "0" and vcpu["State"] == "running"
        assert domstate(qemud, name) == "running (booted)"
        assert "Domain '%s' suspended" % name in v("suspend", name, check=True).stdout
        assert domstate(qemud, name) == "paused (user)"
        assert list_rows(v("list", check=True).stdout)[name][1] == "paused"
        assert "Domain '%s' resumed" % name in v("resume", name, check=True).stdout
        assert domstate(qemud, name) == "running (unpaused)"
        guests.wait_ready(name)
        assert "Domain '%s' is being shutdown" % name in v("shutdown", name, check=True).stdout
        wait_domstate(qemud, name, "shut off (shutdown)")
        assert v("domid", name, check=True).stdout.strip() == "-"
        v("start", name, check=True)
        assert "Domain '%s' destroyed" % name in v("destroy", name, check=True).stdout
        assert domstate(qemud, name) == "shut off (destroyed)"
        assert "Domain '%s' has been undefined" % name in v("undefine", name,
                                                             check=True).stdout
        assert name not in list_rows(v("list", "--all", check=True).stdout)
        p = v("start", name)
        assert p.returncode == 1
        assert "failed to get domain '%s'" % name in p.stderr
        time.sleep(0.5)
    finally:
        ev.terminate()
        out, err = ev.communicate(timeout=20)
    events = [line.split(": ", 1)[1] for line in out.splitlines()
              if line.startswith("event 'lifecycle' for domain '%s'" % name)]
    want = ["Defined Added", "Started Booted", "Suspended Paused", "Resumed Unpaused",
            "Stopped Shutdown", "Started Booted", "Stopped Destroyed", "Undefined Removed"]
    assert subsequence(want, events), "events seen by virsh event: %s" % events
    assert qemud.settled_leftovers(name) == []


def test_python_lifecycle_and_events(qemud, conn, guests):
    name = "cl-python"
    listener = subprocess.Popen(["/usr/bin/python3", "-c", EVENT_LISTENER, qemud.uri, name],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    try:
        assert listener.stdout.readline().strip() == "ready", listener.stderr.read()
        dom = guests.define(name)
        assert name in [d.name() for d in conn.listAllDomains()]
        dom.create()
        assert state_of(dom) == (libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED)
        assert dom.info()[3] == 1
        dom.suspend()
        assert dom.info()[0] == libvirt.VIR_DOMAIN_PAUSED
        dom.resume()
        guests.wait_ready(name)
        dom.shutdown()
        wait_state(dom, libvirt.VIR_DOMAIN_SHUTOFF, reason=libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN)
        dom.create()
        dom.destroy()
        dom.undefine()
        listener.stdin.write("stop\n")
        listener.stdin.flush()
        out, err = listener.communicate(timeout=30)
    finally:
        if listener.poll() is None:
            listener.kill()
    lines = out.splitlines()
    assert lines[-1] == "done", err
    got = [tuple(int(x) for x in line.split()) for line in lines[:-1]]
    E = libvirt
    want = [(E.VIR_DOMAIN_EVENT_DEFINED, E.VIR_DOMAIN_EVENT_DEFINED_ADDED),
            (E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_BOOTED),
            (E.VIR_DOMAIN_EVENT_SUSPENDED, E.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED),
            (E.VIR_DOMAIN_EVENT_RESUMED, E.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED),
            (E.VIR_DOMAIN_EVENT_SHUTDOWN, E.VIR_DOMAIN_EVENT_SHUTDOWN_GUEST),
            (E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN),
            (E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_BOOTED),
            (E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_DESTROYED),
            (E.VIR_DOMAIN_EVENT_UNDEFINED, E.VIR_DOMAIN_EVENT_UNDEFINED_REMOVED)]
    assert subsequence(want, got), "events: %s" % got


def test_virt_install_import(qemud, conn, tiny_guest, guests):
    name = "cl-virtinst"
    guests.names.append(name)
    serial = qemud.serial_path(name)
    p = mvtest.run(["virt-install", "--connect", qemud.uri, "--import", "--name", name,
                    "--memory", "128", "--vcpus", "1",
                    "--boot", "kernel=%s,initrd=%s,kernel_args=console=ttyS0 quiet "
                    "modvirt.mode=idle" % (tiny_guest.kernel, tiny_guest.initrd),
                    "--disk", "none", "--network", "none", "--graphics", "none",
                    "--serial", "file,path=%s" % serial,
                    "--noautoconsole", "--osinfo", "detect=on,require=off"], timeout=180)
    assert p.returncode == 0, "virt-install failed:\n%s\n%s" % (p.stdout, p.stderr)
    assert "Domain creation completed" in p.stdout
    dom = conn.lookupByName(name)
    assert dom.isPersistent()
    assert state_of(dom)[0] == libvirt.VIR_DOMAIN_RUNNING
    rows = list_rows(qemud.virsh("list", check=True).stdout)
    assert rows[name][1] == "running"
    info = fields(qemud.virsh("dominfo", name, check=True).stdout)
    assert info["CPU(s)"] == "1" and info["Max memory"] == "131072 KiB"
    wait_ready(serial)
    qemud.virsh("suspend", name, check=True)
    qemud.virsh("resume", name, check=True)
    qemud.virsh("shutdown", name, check=True)
    wait_domstate(qemud, name, "shut off (shutdown)")
    qemud.virsh("start", name, check=True)
    qemud.virsh("destroy", name, check=True)
    qemud.virsh("undefine", name, check=True)
    assert name not in list_rows(qemud.virsh("list", "--all", check=True).stdout)
    mvtest.wait_until(lambda: not qemud.qemu_pids(name), 10, what="QEMU of %s to exit" % name)
    assert qemud.settled_leftovers(name) == []
