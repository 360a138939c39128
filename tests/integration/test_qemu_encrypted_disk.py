"""Encrypted disks: virtqemud fetches a LUKS disk's passphrase from
virtsecretd when the guest starts (issue 4 item 7, drivers/qemu/qemu_secrets.c).

virtsecretd and virtqemud run in session mode under one root, so virtqemud
finds virtsecretd's socket under the shared $XDG_RUNTIME_DIR/libvirt.  The
secret is defined through virtqemud (forwarded to virtsecretd) the way a
user of qemu:///session would.  A guest with a LUKS qcow2 or a raw LUKS
disk runs only if QEMU could unlock the image, so a running guest shows the
passphrase arrived intact.  The passphrase files QEMU read are gone once
the guest runs, and after every failed start.  Failures: a wrong
passphrase quotes QEMU's complaint, a missing secret is VIR_ERR_NO_SECRET
naming the disk, and with virtsecretd stopped only the start of the
encrypted guest fails, with an error naming virtsecretd, while list,
dominfo and guests without encrypted disks keep working.

modvirt only: the reference libvirt runs as another user and has no
virtsecretd of ours to talk to."""

import base64
import os
import shutil
import subprocess
import tempfile

import libvirt
import pytest

import mvtest
from guest import scrub, state_of, tiny_guest, wait_ready, xml_for  # noqa: F401

pytestmark = [
    pytest.mark.skipif(mvtest.qemu_reference(),
                       reason="needs modvirt's virtsecretd next to the daemon under test"),
    pytest.mark.skipif(not os.path.exists(mvtest.daemon_path("virtqemud")) or
                       not os.path.exists(mvtest.daemon_path("virtsecretd")),
                       reason="virtqemud or virtsecretd is not built"),
]

PASSPHRASE = b"modvirt luks passphrase"
SECRET_XML = """<secret ephemeral='no' private='%s'>
  <uuid>%s</uuid>
  %s
</secret>
"""
UUIDS = {
    "qcow2": "5b0e8f0c-6f1e-4c7a-9d2b-3a1f4e5d6c71",
    "raw": "5b0e8f0c-6f1e-4c7a-9d2b-3a1f4e5d6c72",
}


@pytest.fixture(scope="module")
def pair():
    """virtsecretd and virtqemud sharing one session root."""
    root = tempfile.mkdtemp(prefix="mvt-luks-")
    secretd = qemud = None
    try:
        qemud = mvtest.QemuDaemon(root=root)
        secretd = mvtest.Daemon("virtsecretd", root=root)
        yield secretd, qemud
        qemud.stop()
        if secretd.alive():
            secretd.stop()
    finally:
        if qemud:
            qemud.cleanup()
        if secretd:
            secretd.kill()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def conn(pair):
    c = libvirt.open(pair[1].uri)
    try:
        yield c
    finally:
        try:
            c.close()
        except libvirt.libvirtError:
            pass


def make_image(path, fmt):
    """A 16 MiB LUKS image encrypted with PASSPHRASE: qcow2 with LUKS
    encryption, or a raw LUKS volume.  A short iter-time keeps QEMU's unlock
    cheap.  qemu-img times its key derivation with the thread CPU clock,
    which in this VM shows no progress about half the time ("Unable to get
    accurate CPU usage"), so it is retried (each try takes milliseconds)."""
    secret = "secret,id=s0,data=%s" % PASSPHRASE.decode()
    if fmt == "qcow2":
        args = ["-f", "qcow2", "-o", "encrypt.format=luks,encrypt.key-secret=s0,"
                "encrypt.iter-time=10"]
    else:
        args = ["-f", "luks", "-o", "key-secret=s0,iter-time=10"]
    for _ in range(40):
        p = subprocess.run(["qemu-img", "create", "-q", "--object", secret] + args +
                           [path, "16M"], capture_output=True, text=True)
        if p.returncode == 0:
            return
        if os.path.exists(path):
            os.unlink(path)
    raise AssertionError("qemu-img could not create %s: %s" % (path, p.stderr))


def disk_xml(path, fmt, uuid):
    return ("    <disk type='file' device='disk'>\n"
            "      <driver name='qemu' type='%s'/>\n"
            "      <source file='%s'>\n"
            "        <encryption format='luks'>\n"
            "          <secret type='passphrase' uuid='%s'/>\n"
            "        </encryption>\n"
            "      </source>\n"
            "      <target dev='vda' bus='virtio'/>\n"
            "    </disk>" % (fmt, path, uuid))


def define_secret(qemud, uuid, volume, value, tmp_path, private=False, usage="volume"):
    """Defines secret UUID for VOLUME, with VALUE unless that is empty."""
    f = tmp_path / ("%s.xml" % uuid)
    if usage == "volume":
        use = "<usage type='volume'><volume>%s</volume></usage>" % volume
    else:
        use = "<usage type='%s'><name>client.%s</name></usage>" % (usage, uuid[:8])
    f.write_text(SECRET_XML % ("yes" if private else "no", uuid, use))
    qemud.virsh("secret-define", str(f), check=True)
    if value:
        qemud.virsh("secret-set-value", uuid, base64.b64encode(value).decode(), check=True)


def secret_files(qemud):
    """Passphrase files anywhere under the daemons' root."""
    found = []
    for dirpath, _, filenames in os.walk(qemud.root):
        found += [os.path.join(dirpath, n) for n in filenames if n.endswith("-secret0")]
    return found


def check_nothing_left(qemud, conn, name):
    assert qemud.qemu_pids(name) == [], "a QEMU process of %s is still running" % name
    assert qemud.settled_leftovers(name, defined=True) == []
    assert secret_files(qemud) == []
    dom = conn.lookupByName(name)
    assert state_of(dom)[0] == libvirt.VIR_DOMAIN_SHUTOFF


@pytest.fixture
def encrypted_guest(pair, conn, tiny_guest, tmp_path):
    """Defines guest NAME with a LUKS disk of format FMT whose secret is
    defined with VALUE (None: no secret; b"": no value), PRIVATE and USAGE;
    returns the domain."""
    secretd, qemud = pair
    made = []

    def make(name, fmt="qcow2", value=PASSPHRASE, private=False, usage="volume"):
        uuid = UUIDS[fmt]
        image = os.path.join(qemud.guest_dir, "%s.%s" % (name, fmt))
        make_image(image, fmt)
        if value is not None:
            define_secret(qemud, uuid, image, value, tmp_path, private, usage)
        xml = xml_for(qemud, name, tiny_guest, devices=disk_xml(image, fmt, uuid))
        made.append((name, uuid, image))
        return conn.defineXML(xml)

    yield make
    scrub(conn, [m[0] for m in made])
    if not secretd.alive():
        secretd.start()
    for name, uuid, image in made:
        qemud.virsh("secret-undefine", uuid, check=False)
        if os.path.exists(image):
            os.unlink(image)


@pytest.mark.parametrize("fmt", ["qcow2", "raw"])
def test_encrypted_guest_runs(pair, conn, encrypted_guest, fmt):
    secretd, qemud = pair
    name = "luks-" + fmt
    dom = encrypted_guest(name, fmt)
    dom.create()
    # QEMU opened the image at start-up: the passphrase was right
    assert state_of(dom)[0] == libvirt.VIR_DOMAIN_RUNNING
    wait_ready(qemud.serial_path(name))
    # the argv points QEMU at a file, never at the passphrase itself
    log = open(qemud.guest_log(name), encoding="utf-8", errors="replace").read()
    assert "encryption-secret0" in log
    assert base64.b64encode(PASSPHRASE).decode() not in log
    assert PASSPHRASE.decode() not in log
    # QEMU read its passphrase file before answering the monitor: it is gone
    assert secret_files(qemud) == []
    assert "encryption" in dom.XMLDesc(0)
    dom.destroy()
    check_nothing_left(qemud, conn, name)


def test_wrong_passphrase_quotes_qemu(pair, conn, encrypted_guest):
    secretd, qemud = pair
    name = "luks-wrong"
    dom = encrypted_guest(name, "qcow2", value=b"not the passphrase")
    with pytest.raises(libvirt.libvirtError) as e:
        dom.create()
    msg = str(e.value)
    assert name in msg
    # QEMU's own words about the key slots
    assert "password" in msg.lower() or "keyslot" in msg.lower(), msg
    check_nothing_left(qemud, conn, name)


def test_missing_secret_names_the_disk(pair, conn, encrypted_guest):
    secretd, qemud = pair
    name = "luks-nosecret"
    dom = encrypted_guest(name, "qcow2", value=None)
    with pytest.raises(libvirt.libvirtError) as e:
        dom.create()
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SECRET, str(e.value)
    msg = str(e.value)
    assert "vda" in msg and UUIDS["qcow2"] in msg and name in msg, msg
    check_nothing_left(qemud, conn, name)


def test_private_secret_unlocks_disk_but_not_for_clients(pair, conn, encrypted_guest):
    """A private secret reaches QEMU (virtqemud is one of modvirt's daemons,
    which virtsecretd checks from the socket's peer), while a client that
    sets the same wire flag itself is refused and learns nothing."""
    secretd, qemud = pair
    name = "luks-private"
    dom = encrypted_guest(name, "qcow2", private=True)
    dom.create()
    assert state_of(dom)[0] == libvirt.VIR_DOMAIN_RUNNING
    wait_ready(qemud.serial_path(name))
    dom.destroy()
    check_nothing_left(qemud, conn, name)
    for c in (conn, libvirt.open(secretd.uri)):
        sec = c.secretLookupByUUIDString(UUIDS["qcow2"])
        with pytest.raises(libvirt.libvirtError) as e:
            sec.value(1 << 31)
        assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_DENIED, str(e.value)
        with pytest.raises(libvirt.libvirtError) as e:
            sec.value(0)
        assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_SECRET, str(e.value)


@pytest.mark.parametrize("case", ["novalue", "usage"])
def test_unusable_secret_is_explained(pair, conn, encrypted_guest, case):
    secretd, qemud = pair
    name = "luks-" + case
    if case == "novalue":
        dom = encrypted_guest(name, "qcow2", value=b"")
        code, words = libvirt.VIR_ERR_NO_SECRET, ["has no value", "secret-set-value"]
    else:
        # like libvirt, only a volume secret unlocks a disk
        dom = encrypted_guest(name, "qcow2", usage="ceph")
        code, words = libvirt.VIR_ERR_INVALID_ARG, ["'ceph'", "<usage type='volume'>"]
    with pytest.raises(libvirt.libvirtError) as e:
        dom.create()
    msg = str(e.value)
    assert e.value.get_error_code() == code, msg
    assert "vda" in msg and UUIDS["qcow2"] in msg, msg
    for w in words:
        assert w in msg, msg
    check_nothing_left(qemud, conn, name)


def test_virtsecretd_down_fails_only_encrypted_starts(pair, conn, encrypted_guest, tiny_guest):
    secretd, qemud = pair
    name = "luks-down"
    dom = encrypted_guest(name, "qcow2")
    secretd.stop()
    with pytest.raises(libvirt.libvirtError) as e:
        dom.create()
    msg = str(e.value)
    assert "cannot start domain '%s'" % name in msg, msg
    assert "disk vda needs secret %s" % UUIDS["qcow2"] in msg, msg
    assert "cannot be reached" in msg and "is virtsecretd running" in msg, msg
    check_nothing_left(qemud, conn, name)
    # everything that does not need a secret still works
    assert name in qemud.virsh("list", "--all", check=True).stdout
    assert "shut off" in qemud.virsh("dominfo", name, check=True).stdout
    plain = "luks-plain"
    try:
        other = conn.defineXML(xml_for(qemud, plain, tiny_guest))
        other.create()
        assert state_of(other)[0] == libvirt.VIR_DOMAIN_RUNNING
        other.destroy()
    finally:
        scrub(conn, [plain])
    # back again: the encrypted guest starts
    secretd.start()
    dom.create()
    assert state_of(dom)[0] == libvirt.VIR_DOMAIN_RUNNING
    dom.destroy()
    check_nothing_left(qemud, conn, name)
