"""Secret lifecycle and value-changed events reach python3-libvirt and both
virsh implementations (`secret-event`)."""

import base64
import os
import subprocess
import time

import pytest

import mvtest

UUID = "5b0f3d02-7b1e-4b43-a0c1-11b5a1e0c0de"
XML = """<secret ephemeral='no' private='no'>
  <uuid>%s</uuid>
  <usage type='ceph'>
    <name>events test</name>
  </usage>
</secret>
""" % UUID

LISTENER = r'''
import sys, threading, time, libvirt
libvirt.virEventRegisterDefaultImpl()
def loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()
conn = libvirt.open(sys.argv[1])
got = []
def life(c, s, event, detail, opaque):
    got.append("lifecycle %s %d %d" % (s.UUIDString(), event, detail))
def value(c, s, opaque):
    got.append("value %s" % s.UUIDString())
a = conn.secretEventRegisterAny(None, libvirt.VIR_SECRET_EVENT_ID_LIFECYCLE, life, None)
b = conn.secretEventRegisterAny(None, libvirt.VIR_SECRET_EVENT_ID_VALUE_CHANGED, value, None)
print("ready", flush=True)
deadline = time.time() + 30
while time.time() < deadline and len(got) < 4:
    time.sleep(0.05)
conn.secretEventDeregisterAny(a)
conn.secretEventDeregisterAny(b)
conn.close()
for g in got:
    print(g, flush=True)
'''


def test_python_libvirt_receives_secret_events(secretd, tmp_path):
    p = subprocess.Popen(["/usr/bin/python3", "-c", LISTENER, secretd.uri],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
        f = tmp_path / "s.xml"
        f.write_text(XML)
        mvtest.virsh("debian", secretd.uri, "secret-define", str(f), check=True)
        mvtest.virsh("debian", secretd.uri, "secret-set-value", UUID,
                     base64.b64encode(b"v").decode(), check=True)
        mvtest.virsh("debian", secretd.uri, "secret-set-value", UUID,
                     base64.b64encode(b"w").decode(), check=True)
        mvtest.virsh("debian", secretd.uri, "secret-undefine", UUID, check=True)
        out, err = p.communicate(timeout=40)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0, err
    assert out.splitlines() == [
        "lifecycle %s 0 0" % UUID,   # DEFINED
        "value %s" % UUID,
        "value %s" % UUID,
        "lifecycle %s 1 0" % UUID,   # UNDEFINED
    ]


@pytest.mark.parametrize("which", ["debian", "modvirt"])
def test_virsh_secret_event(secretd, tmp_path, which):
    binary = {"debian": mvtest.DEBIAN_VIRSH, "modvirt": mvtest.OUR_VIRSH}[which]
    mvtest.require(binary, "virsh")
    ev = subprocess.Popen([binary, "-c", secretd.uri, "secret-event", "--event", "lifecycle",
                           "--loop", "--timeout", "8"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=dict(os.environ, LANG="C"))
    time.sleep(1.5)
    f = tmp_path / "s.xml"
    f.write_text(XML)
    mvtest.virsh("debian", secretd.uri, "secret-define", str(f), check=True)
    mvtest.virsh("debian", secretd.uri, "secret-undefine", UUID, check=True)
    out, err = ev.communicate(timeout=30)
    lines = [l for l in out.splitlines() if l.strip()]
    assert "event 'lifecycle' for secret %s: Defined" % UUID in lines, (out, err)
    assert "event 'lifecycle' for secret %s: Undefined" % UUID in lines, (out, err)
    assert lines[-1] == "events received: 2", (out, err)


def test_event_streams_identical(secretd, tmp_path):
    """Both virshes print the same thing for the same events."""
    outs = {}
    procs = {}
    for which, binary in (("debian", mvtest.DEBIAN_VIRSH), ("modvirt", mvtest.OUR_VIRSH)):
        mvtest.require(binary, "virsh")
        procs[which] = subprocess.Popen(
            [binary, "-c", secretd.uri, "secret-event", "--event", "value-changed", "--loop",
             "--timeout", "6"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, LANG="C"))
    time.sleep(1.5)
    f = tmp_path / "s.xml"
    f.write_text(XML)
    mvtest.virsh("debian", secretd.uri, "secret-define", str(f), check=True)
    mvtest.virsh("debian", secretd.uri, "secret-set-value", UUID,
                 base64.b64encode(b"x").decode(), check=True)
    mvtest.virsh("debian", secretd.uri, "secret-undefine", UUID, check=True)
    for which, p in procs.items():
        out, err = p.communicate(timeout=30)
        outs[which] = (p.returncode, out, err)
    assert outs["debian"] == outs["modvirt"]
    assert "event 'value-changed' for secret %s" % UUID in outs["debian"][1]
