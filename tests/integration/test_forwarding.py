"""Secret calls on a qemu:///session connection are forwarded by virtqemud to
virtsecretd (issue 4 item 7, daemons/common/daemon_forward.c): Debian's
virsh and python3-libvirt see the secrets of virtsecretd and their events
through virtqemud, and with virtsecretd stopped only the secret calls fail,
with an error naming virtsecretd, while domain calls keep working.

Both daemons share one session root, so virtqemud finds virtsecretd's
socket under the same $XDG_RUNTIME_DIR/libvirt."""

import base64
import os
import shutil
import subprocess
import tempfile

import pytest

import mvtest

UUID = "0c1ae5e6-3c59-4d8e-9f2e-5d64a5f0b7a1"
XML = """<secret ephemeral='no' private='no'>
  <uuid>%s</uuid>
  <usage type='volume'>
    <volume>/var/lib/images/fwd.img</volume>
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
while time.time() < deadline and len(got) < 3:
    time.sleep(0.05)
conn.secretEventDeregisterAny(a)
conn.secretEventDeregisterAny(b)
conn.close()
for g in got:
    print(g, flush=True)
'''

pytestmark = pytest.mark.skipif(not os.path.exists(mvtest.daemon_path("virtqemud")),
                                reason="virtqemud is not built")


@pytest.fixture
def pair():
    root = tempfile.mkdtemp(prefix="mvt-fwd-")
    secretd = qemud = None
    try:
        secretd = mvtest.Daemon("virtsecretd", root=root)
        qemud = mvtest.Daemon("virtqemud", root=root)
        yield secretd, qemud
        qemud.stop()
        if secretd.alive():
            secretd.stop()
    finally:
        for d in (qemud, secretd):
            if d:
                d.kill()
        shutil.rmtree(root, ignore_errors=True)


def virsh(uri, *args, check=True):
    return mvtest.virsh("debian", uri, *args, check=check)


def test_secret_calls_reach_virtsecretd(pair, tmp_path):
    secretd, qemud = pair
    f = tmp_path / "s.xml"
    f.write_text(XML)
    virsh(qemud.uri, "secret-define", str(f))
    virsh(qemud.uri, "secret-set-value", UUID, base64.b64encode(b"s3cret").decode())
    assert UUID in virsh(qemud.uri, "secret-list").stdout
    # it lives in virtsecretd
    assert UUID in virsh(secretd.uri, "secret-list").stdout
    out = virsh(secretd.uri, "secret-get-value", UUID).stdout.strip()
    assert base64.b64decode(out) == b"s3cret"
    out = virsh(qemud.uri, "secret-get-value", UUID).stdout.strip()
    assert base64.b64decode(out) == b"s3cret"
    assert "/var/lib/images/fwd.img" in virsh(qemud.uri, "secret-dumpxml", UUID).stdout
    virsh(qemud.uri, "secret-undefine", UUID)
    assert UUID not in virsh(secretd.uri, "secret-list").stdout


def test_secret_events_through_virtqemud(pair, tmp_path):
    secretd, qemud = pair
    p = subprocess.Popen(["/usr/bin/python3", "-c", LISTENER, qemud.uri],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
        f = tmp_path / "s.xml"
        f.write_text(XML)
        # made directly on virtsecretd: the client of virtqemud still hears
        virsh(secretd.uri, "secret-define", str(f))
        virsh(secretd.uri, "secret-set-value", UUID, base64.b64encode(b"v").decode())
        virsh(secretd.uri, "secret-undefine", UUID)
        out, err = p.communicate(timeout=40)
    finally:
        p.kill()
        p.wait()
    lines = out.splitlines()
    assert "lifecycle %s 0 0" % UUID in lines, (out, err)
    assert "value %s" % UUID in lines, (out, err)
    assert "lifecycle %s 1 0" % UUID in lines, (out, err)


def test_virtsecretd_down_fails_only_secret_calls(pair):
    secretd, qemud = pair
    secretd.stop()
    p = virsh(qemud.uri, "secret-list", check=False)
    assert p.returncode != 0
    assert "cannot reach virtsecretd" in p.stderr
    assert "virtsecretd-sock" in p.stderr
    assert "is virtsecretd running" in p.stderr
    # the connection and the domain calls are unaffected
    virsh(qemud.uri, "list", "--all")
    assert virsh(qemud.uri, "uri").stdout.strip().startswith("qemu:///session")
    # back again: the next call reaches it
    secretd.start()
    virsh(qemud.uri, "secret-list")
