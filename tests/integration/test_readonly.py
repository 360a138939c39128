"""The read-only socket of a system-mode virtsecretd: lists and reads XML,
is denied every call that changes or reveals a secret.  Also checks the
socket permissions libvirt uses in system mode."""

import base64
import os
import stat

import pytest

import mvtest
import mvclient

UUID = "9d1c3e2b-0f5a-4c3e-8a77-2b4f6d8e1a10"
XML = """<secret ephemeral='no' private='no'>
  <uuid>%s</uuid>
  <usage type='volume'>
    <volume>/srv/vm/disk.img</volume>
  </usage>
</secret>
""" % UUID


@pytest.fixture(scope="module")
def sysd():
    d = mvtest.SystemDaemon("virtsecretd")
    try:
        yield d
        d.stop()
    finally:
        d.cleanup()


def test_system_sockets_and_modes(sysd):
    modes = {}
    for suffix in ("sock", "sock-ro", "admin-sock"):
        p = os.path.join(sysd.sockdir, "virtsecretd-" + suffix)
        st = os.stat(p)
        assert stat.S_ISSOCK(st.st_mode), p
        modes[suffix] = stat.S_IMODE(st.st_mode)
    assert modes["sock-ro"] == 0o777, oct(modes["sock-ro"])
    assert modes["sock"] == 0o700, oct(modes["sock"])
    assert modes["admin-sock"] == 0o700, oct(modes["admin-sock"])


def test_readonly_socket(sysd, tmp_path):
    f = tmp_path / "s.xml"
    f.write_text(XML)
    mvtest.virsh("debian", sysd.uri, "secret-define", str(f), check=True)
    mvtest.virsh("debian", sysd.uri, "secret-set-value", UUID,
                 base64.b64encode(b"v").decode(), check=True)
    for which in ("debian", "modvirt"):
        p = mvtest.virsh(which, sysd.ro_uri, "secret-list")
        assert p.returncode == 0 and UUID in p.stdout, (which, p)
        p = mvtest.virsh(which, sysd.ro_uri, "secret-dumpxml", UUID)
        assert p.returncode == 0 and "<volume>/srv/vm/disk.img</volume>" in p.stdout, (which, p)
        for args in (["secret-get-value", UUID],
                     ["secret-set-value", UUID, base64.b64encode(b"w").decode()],
                     ["secret-define", str(f)],
                     ["secret-undefine", UUID]):
            p = mvtest.virsh(which, sysd.ro_uri, *args)
            assert p.returncode == 1, (which, args, p)
            assert "operation forbidden" in p.stderr and "read only access prevents" in p.stderr, \
                (which, args, p.stderr)
    # the value survived every denied call
    p = mvtest.virsh("debian", sysd.uri, "secret-get-value", "--plain", UUID, check=True)
    assert p.stdout.rstrip("\n") == "v"


def test_readonly_socket_error_codes(sysd):
    """python3-libvirt and libmodvirt both get VIR_ERR_OPERATION_DENIED (29)."""
    import subprocess
    code = r'''
import libvirt, sys
libvirt.registerErrorHandler(lambda *a: None, None)
c = libvirt.open(sys.argv[1])
s = c.secretLookupByUUIDString(sys.argv[2])
print(len(s.XMLDesc()) > 0)
for fn in (lambda: s.value(), lambda: s.setValue(b"x"), lambda: s.undefine(),
           lambda: c.secretDefineXML(s.XMLDesc())):
    try:
        fn()
        print("allowed")
    except libvirt.libvirtError as e:
        print(e.get_error_code())
'''
    p = subprocess.run(["/usr/bin/python3", "-c", code, sysd.ro_uri, UUID],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["True", "29", "29", "29", "29"], p.stdout
    conn = mvclient.Conn(sysd.ro_uri)
    try:
        s = conn.secretLookupByUUIDString(UUID)
        assert s.XMLDesc()
        codes = []
        for fn in (lambda: s.value(), lambda: s.setValue(b"x"), lambda: s.undefine(),
                   lambda: conn.secretDefineXML(XML)):
            try:
                fn()
                codes.append("allowed")
            except mvclient.MvError as e:
                codes.append(e.code)
        assert codes == [29, 29, 29, 29]
    finally:
        conn.close()


def test_system_mode_rejects_session_uri(sysd):
    p = mvtest.virsh("debian", "secret:///session?socket=%s" % sysd.sock, "secret-list")
    assert p.returncode == 1
    assert "unexpected secret URI path '/session', try secret:///system" in p.stderr, p.stderr


def test_system_paths(sysd, tmp_path):
    f = tmp_path / "s2.xml"
    u = "9d1c3e2b-0f5a-4c3e-8a77-2b4f6d8e1a11"
    f.write_text(XML.replace(UUID, u).replace("disk.img", "disk2.img"))
    mvtest.virsh("debian", sysd.uri, "secret-define", str(f), check=True)
    assert os.path.exists(sysd.path_in_ns("/etc/libvirt/secrets/%s.xml" % u))
    mvtest.virsh("debian", sysd.uri, "secret-undefine", u, check=True)
    assert not os.path.exists(sysd.path_in_ns("/etc/libvirt/secrets/%s.xml" % u))
