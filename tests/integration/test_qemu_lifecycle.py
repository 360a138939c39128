"""Domain lifecycle through python3-libvirt against one QEMU-driver daemon:
states and reasons after every operation, list filters, lookups, XML flags,
autostart, transient guests, lifecycle actions (on_poweroff / on_reboot /
on_crash), reboot, reset, paused start and the guest log file.

Runs against modvirt's virtqemud, or with MODVIRT_REFERENCE=libvirt against
Debian's libvirt as an unprivileged session daemon, to check the expectations
themselves.  Guests are the tiny TCG guest of tests/lib/guest.py."""

import os
import time
import xml.etree.ElementTree as ET

import libvirt
import pytest

import mvtest
from guest import (conn, guests, qemud, tiny_guest, Guests, count_ready,  # noqa: F401
                   state_of, wait_state)

RUNNING, PAUSED, SHUTOFF, CRASHED = (libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_PAUSED,
                                     libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_CRASHED)


def error_code(fn, *args):
    with pytest.raises(libvirt.libvirtError) as e:
        fn(*args)
    return e.value.get_error_code()


def assert_gone(qemud, name, defined=False):
    """No QEMU process and no runtime files are left for NAME."""
    mvtest.wait_until(lambda: not qemud.qemu_pids(name), 10,
                      what="QEMU of %s to exit" % name)
    assert qemud.settled_leftovers(name, defined=defined) == []


def test_states_and_reasons(qemud, conn, guests):
    dom = guests.define("lc-state")
    assert state_of(dom) == (SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_UNKNOWN)
    assert dom.ID() == -1
    assert not dom.isActive() and dom.isPersistent()
    dom.create()
    assert state_of(dom) == (RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED)
    assert dom.ID() > 0 and dom.isActive()
    info = dom.info()
    assert info[0] == RUNNING
    assert info[1] == 128 * 1024 and info[2] == 128 * 1024
    assert info[3] == 1
    dom.suspend()
    assert state_of(dom) == (PAUSED, libvirt.VIR_DOMAIN_PAUSED_USER)
    dom.resume()
    assert state_of(dom) == (RUNNING, libvirt.VIR_DOMAIN_RUNNING_UNPAUSED)
    # suspending twice is allowed; resuming a running guest is an error
    dom.suspend()
    dom.suspend()
    dom.resume()
    assert error_code(dom.resume) == libvirt.VIR_ERR_OPERATION_INVALID
    # starting a running guest is an error
    assert error_code(dom.create) == libvirt.VIR_ERR_OPERATION_INVALID
    dom.destroy()
    assert state_of(dom) == (SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED)
    assert dom.ID() == -1
    assert error_code(dom.destroy) == libvirt.VIR_ERR_OPERATION_INVALID
    assert error_code(dom.suspend) == libvirt.VIR_ERR_OPERATION_INVALID
    assert_gone(qemud, "lc-state", defined=True)
    dom.undefine()
    assert error_code(conn.lookupByName, "lc-state") == libvirt.VIR_ERR_NO_DOMAIN
    assert qemud.settled_leftovers("lc-state") == []


def test_lookups(conn, guests):
    dom = guests.start("lc-look")
    uuid = dom.UUIDString()
    id_ = dom.ID()
    assert conn.lookupByName("lc-look").UUIDString() == uuid
    assert conn.lookupByUUIDString(uuid).name() == "lc-look"
    assert conn.lookupByUUID(dom.UUID()).name() == "lc-look"
    assert conn.lookupByID(id_).name() == "lc-look"
    assert error_code(conn.lookupByName, "lc-nosuch") == libvirt.VIR_ERR_NO_DOMAIN
    assert error_code(conn.lookupByUUIDString,
                      "1b4e28ba-2fa1-11d2-883f-0016d3cca427") == libvirt.VIR_ERR_NO_DOMAIN
    assert error_code(conn.lookupByID, 99999) == libvirt.VIR_ERR_NO_DOMAIN
    dom.destroy()
    # an inactive guest has no id
    assert error_code(conn.lookupByID, id_) == libvirt.VIR_ERR_NO_DOMAIN
    # ids are not reused by the next start
    dom.create()
    assert dom.ID() > id_
    dom.destroy()


def test_list_all_filters(conn, guests):
    run = guests.start("lc-l-run")
    off = guests.define("lc-l-off")
    paused = guests.start("lc-l-paused", flags=libvirt.VIR_DOMAIN_START_PAUSED)
    trans = guests.create("lc-l-trans")
    off.setAutostart(1)
    mine = {"lc-l-run", "lc-l-off", "lc-l-paused", "lc-l-trans"}

    def names(flags=0):
        return {d.name() for d in conn.listAllDomains(flags)} & mine

    L = libvirt
    assert names() == mine
    assert names(L.VIR_CONNECT_LIST_DOMAINS_ACTIVE) == {"lc-l-run", "lc-l-paused", "lc-l-trans"}
    assert names(L.VIR_CONNECT_LIST_DOMAINS_INACTIVE) == {"lc-l-off"}
    assert names(L.VIR_CONNECT_LIST_DOMAINS_PERSISTENT) == {"lc-l-run", "lc-l-off",
                                                            "lc-l-paused"}
    assert names(L.VIR_CONNECT_LIST_DOMAINS_TRANSIENT) == {"lc-l-trans"}
    assert names(L.VIR_CONNECT_LIST_DOMAINS_RUNNING) == {"lc-l-run", "lc-l-trans"}
    assert names(L.VIR_CONNECT_LIST_DOMAINS_PAUSED) == {"lc-l-paused"}
    assert names(L.VIR_CONNECT_LIST_DOMAINS_SHUTOFF) == {"lc-l-off"}
    assert names(L.VIR_CONNECT_LIST_DOMAINS_OTHER) == set()
    assert names(L.VIR_CONNECT_LIST_DOMAINS_AUTOSTART) == {"lc-l-off"}
    assert names(L.VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART) == mine - {"lc-l-off"}
    assert names(L.VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE) == set()
    assert names(L.VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE) == mine
    assert names(L.VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT) == set()
    assert names(L.VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT) == mine
    assert names(L.VIR_CONNECT_LIST_DOMAINS_ACTIVE | L.VIR_CONNECT_LIST_DOMAINS_PERSISTENT) \
        == {"lc-l-run", "lc-l-paused"}
    assert names(L.VIR_CONNECT_LIST_DOMAINS_RUNNING | L.VIR_CONNECT_LIST_DOMAINS_PAUSED) \
        == {"lc-l-run", "lc-l-paused", "lc-l-trans"}
    # the old list calls agree
    ids = set(conn.listDomainsID())
    assert {run.ID(), paused.ID(), trans.ID()} <= ids
    assert "lc-l-off" in conn.listDefinedDomains()
    assert conn.numOfDomains() == len(ids)
    assert conn.numOfDefinedDomains() == len(conn.listDefinedDomains())
    off.setAutostart(0)


def test_xml_inactive_and_live(conn, guests):
    dom = guests.define("lc-xml")
    inactive = ET.fromstring(dom.XMLDesc(0))
    assert inactive.get("id") is None
    assert inactive.findtext("name") == "lc-xml"
    # the machine type is stored as its versioned name
    machine = inactive.find("os/type").get("machine")
    assert machine.startswith("pc-i440fx-"), machine
    # a serial device brings a console; addresses are assigned at define time
    assert inactive.find("devices/serial") is not None
    dom.create()
    live = ET.fromstring(dom.XMLDesc(0))
    assert live.get("id") == str(dom.ID())
    serial = live.find("devices/serial")
    assert serial.find("alias").get("name") == "serial0"
    again = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    assert again.get("id") is None
    assert again.find("devices/serial/alias") is None
    assert again.findtext("uuid") == live.findtext("uuid")
    # security info and migratable are accepted on a session connection
    ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE))
    mig = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_MIGRATABLE))
    assert mig.findtext("name") == "lc-xml"
    dom.destroy()
    assert ET.fromstring(dom.XMLDesc(0)).get("id") is None


def test_autostart_flag(qemud, guests):
    dom = guests.define("lc-auto")
    assert dom.autostart() == 0
    dom.setAutostart(1)
    assert dom.autostart() == 1
    dom.setAutostart(0)
    assert dom.autostart() == 0
    trans = guests.create("lc-auto-t")
    # a transient guest cannot be autostarted
    assert error_code(trans.setAutostart, 1) == libvirt.VIR_ERR_OPERATION_INVALID
    trans.destroy()


def test_transient_disappears_after_destroy(qemud, conn, guests):
    dom = guests.create("lc-trans")
    assert dom.isActive() and not dom.isPersistent()
    assert state_of(dom) == (RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED)
    assert "lc-trans" not in conn.listDefinedDomains()
    dom.destroy()
    assert error_code(conn.lookupByName, "lc-trans") == libvirt.VIR_ERR_NO_DOMAIN
    assert_gone(qemud, "lc-trans")


def test_define_over_running_transient(qemud, conn, guests):
    dom = guests.create("lc-mk-pers")
    id_ = dom.ID()
    dom2 = conn.defineXML(guests.xml("lc-mk-pers", uuid=dom.UUIDString()))
    assert dom2.isPersistent() and dom2.isActive()
    assert dom2.ID() == id_
    assert state_of(dom2)[0] == RUNNING
    dom2.destroy()
    assert state_of(dom2) == (SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED)
    assert "lc-mk-pers" in conn.listDefinedDomains()
    assert_gone(qemud, "lc-mk-pers", defined=True)


def test_start_paused_then_resume(guests):
    dom = guests.start("lc-paused", flags=libvirt.VIR_DOMAIN_START_PAUSED)
    assert state_of(dom) == (PAUSED, libvirt.VIR_DOMAIN_PAUSED_USER)
    time.sleep(1.0)
    assert count_ready(guests.serial("lc-paused")) == 0
    dom.resume()
    assert state_of(dom) == (RUNNING, libvirt.VIR_DOMAIN_RUNNING_UNPAUSED)
    guests.wait_ready("lc-paused")
    dom.destroy()


def test_reboot_and_reset(guests):
    dom = guests.start("lc-reboot")
    id_ = dom.ID()
    guests.wait_ready("lc-reboot")
    # reboot asks the guest (ACPI power button); it boots again in place
    dom.reboot(0)
    guests.wait_ready("lc-reboot", count=2)
    assert state_of(dom)[0] == RUNNING
    assert dom.ID() == id_
    dom.reset(0)
    guests.wait_ready("lc-reboot", count=3)
    assert state_of(dom)[0] == RUNNING
    assert dom.ID() == id_
    dom.destroy()


def test_guest_log_file(qemud, guests):
    dom = guests.start("lc-log")
    log = qemud.guest_log("lc-log")
    assert os.path.isfile(log), "no guest log at %s (have %s)" % (
        log, os.listdir(qemud.log_dir) if os.path.isdir(qemud.log_dir) else "no log dir")
    text = open(log, errors="replace").read()
    assert "qemu-system-x86_64" in text and "lc-log" in text
    dom.destroy()
    assert os.path.isfile(log)


# --- lifecycle actions: the guests boot together, each test checks one -------

ACTIONS = {
    # name: (domain_xml options, expected final state, reason, READY count)
    "lc-a-poweroff": (dict(mode="poweroff", on_poweroff="destroy"),
                      SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN, 1),
    "lc-a-reboot-destroy": (dict(mode="reboot", on_reboot="destroy"),
                            SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN, 1),
    "lc-a-reboot-restart": (dict(mode="reboot", on_reboot="restart"),
                            RUNNING, None, 2),
    "lc-a-crash-destroy": (dict(mode="crash", panic=True, on_crash="destroy"),
                           SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_CRASHED, 1),
    "lc-a-crash-preserve": (dict(mode="crash", panic=True, on_crash="preserve"),
                            CRASHED, libvirt.VIR_DOMAIN_CRASHED_PANICKED, 1),
}


@pytest.fixture(scope="module")
def action_guests(qemud, conn, tiny_guest):
    g = Guests(qemud, conn, tiny_guest)
    doms = {}
    try:
        for name, (opts, _, _, _) in ACTIONS.items():
            doms[name] = g.start(name, **opts)
        yield g, doms
    finally:
        g.cleanup()


@pytest.mark.parametrize("name", list(ACTIONS))
def test_lifecycle_action(qemud, action_guests, name):
    g, doms = action_guests
    dom = doms[name]
    _, state, reason, ready = ACTIONS[name]
    g.wait_ready(name, count=ready, timeout=60)
    got = wait_state(dom, state, timeout=30, reason=reason)
    assert got[0] == state
    if state == SHUTOFF:
        # a fresh handle: python3-libvirt keeps the id a handle was made with
        assert qemud.open().lookupByName(name).ID() == -1
        assert_gone(qemud, name, defined=True)
    else:
        assert dom.isActive()
