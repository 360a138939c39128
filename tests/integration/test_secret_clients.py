"""Every secret operation, driven by Debian's virsh and python3-libvirt
(unmodified libvirt 9.0 clients) and by modvirt's own virsh and client
library, against one virtsecretd in session mode.  The two virsh transcripts
must be identical, and both client libraries must see the same results and
error codes."""

import base64
import os
import pty
import select
import subprocess
import termios
import time

import pytest

import mvtest
import mvclient

U = {
    "vol": "0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e01",
    "ceph": "0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e02",
    "iscsi": "0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e03",
    "tls": "0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e04",
    "vtpm": "0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e05",
    "missing": "0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8eff",
}

XML = {
    "vol": """<secret ephemeral='no' private='no'>
  <uuid>%s</uuid>
  <description>passphrase of the data disk</description>
  <usage type='volume'>
    <volume>/var/lib/libvirt/images/data.qcow2</volume>
  </usage>
</secret>
""" % U["vol"],
    "ceph": """<secret ephemeral='no' private='yes'>
  <uuid>%s</uuid>
  <usage type='ceph'>
    <name>client.admin secret</name>
  </usage>
</secret>
""" % U["ceph"],
    "iscsi": """<secret ephemeral='yes' private='no'>
  <uuid>%s</uuid>
  <usage type='iscsi'>
    <target>libvirtiscsi</target>
  </usage>
</secret>
""" % U["iscsi"],
    "tls": """<secret ephemeral='no' private='no'>
  <uuid>%s</uuid>
  <usage type='tls'>
    <name>TLS_example</name>
  </usage>
</secret>
""" % U["tls"],
    "vtpm": """<secret ephemeral='no' private='yes'>
  <uuid>%s</uuid>
  <description>vTPM state key</description>
  <usage type='vtpm'>
    <name>VTPM_example</name>
  </usage>
</secret>
""" % U["vtpm"],
    "malformed": "<secret ephemeral='no'>\n  <uuid>%s</uuid>\n  <usage type='volume'>\n</secret>\n" % U["missing"],
    "badusage": "<secret>\n  <usage type='floppy'>\n    <name>x</name>\n  </usage>\n</secret>\n",
    "badelement": "<secret>\n  <colour>blue</colour>\n</secret>\n",
    "baduuid": "<secret>\n  <uuid>not-a-uuid</uuid>\n</secret>\n",
}


def write_files(tmpdir):
    paths = {}
    for k, v in XML.items():
        p = os.path.join(tmpdir, "%s.xml" % k)
        with open(p, "w") as f:
            f.write(v)
        paths[k] = p
    p = os.path.join(tmpdir, "value.b64")
    with open(p, "w") as f:
        f.write(base64.b64encode(b"from a file").decode() + "\n")
    paths["b64file"] = p
    p = os.path.join(tmpdir, "value.raw")
    with open(p, "wb") as f:
        f.write(b"plain \x00 bytes\n")
    paths["rawfile"] = p
    return paths


def script(paths):
    """The steps of a secret's life, including every error path virsh shows."""
    return [
        ["secret-list"],
        ["secret-define", paths["vol"]],
        ["secret-define", paths["ceph"]],
        ["secret-define", paths["iscsi"]],
        ["secret-define", paths["tls"]],
        ["secret-define", "--validate", paths["vtpm"]],
        ["secret-list"],
        ["secret-list", "--private"],
        ["secret-list", "--no-private"],
        ["secret-list", "--ephemeral"],
        ["secret-list", "--no-ephemeral"],
        ["secret-list", "--ephemeral", "--private"],
        ["secret-dumpxml", U["vol"]],
        ["secret-dumpxml", U["ceph"]],
        ["secret-dumpxml", U["iscsi"]],
        ["secret-dumpxml", U["vtpm"]],
        ["secret-get-value", U["vol"]],
        ["secret-set-value", U["vol"], base64.b64encode(b"s3cret passphrase").decode()],
        ["secret-get-value", U["vol"]],
        ["secret-get-value", "--plain", U["vol"]],
        ["secret-set-value", U["vol"], "--file", paths["b64file"]],
        ["secret-get-value", U["vol"]],
        ["secret-set-value", U["vol"], "--file", paths["rawfile"], "--plain"],
        ["secret-get-value", U["vol"]],
        ["secret-set-value", U["ceph"], base64.b64encode(b"private value").decode()],
        ["secret-get-value", U["ceph"]],
        ["secret-set-value", U["iscsi"], base64.b64encode(b"chap").decode()],
        ["secret-get-value", U["iscsi"]],
        ["secret-set-value", U["vol"], "not base64 !"],
        ["secret-dumpxml", U["missing"]],
        ["secret-get-value", U["missing"]],
        ["secret-undefine", U["missing"]],
        ["secret-dumpxml", "not-a-uuid"],
        ["secret-define", paths["malformed"]],
        ["secret-define", paths["badusage"]],
        ["secret-define", paths["badelement"]],
        ["secret-define", paths["baduuid"]],
        ["secret-define", os.path.join(os.path.dirname(paths["vol"]), "nonexistent.xml")],
        ["secret-list", "--bogus-option"],
        ["secret-frobnicate"],
        ["secret-undefine", U["vol"]],
        ["secret-undefine", U["ceph"]],
        ["secret-undefine", U["iscsi"]],
        ["secret-undefine", U["tls"]],
        ["secret-undefine", U["vtpm"]],
        ["secret-list"],
        ["uri"],
        ["hostname"],
    ]


def transcript(which, uri, steps):
    out = []
    for args in steps:
        p = mvtest.virsh(which, uri, *args)
        out.append((args, p.returncode, p.stdout, p.stderr))
    return out


def test_virsh_transcripts_identical(shared_secretd, tmp_path):
    paths = write_files(str(tmp_path))
    steps = script(paths)
    deb = transcript("debian", shared_secretd.uri, steps)
    ours = transcript("modvirt", shared_secretd.uri, steps)
    diffs = []
    for (args, rc1, o1, e1), (_, rc2, o2, e2) in zip(deb, ours):
        if (rc1, o1, e1) != (rc2, o2, e2):
            diffs.append("virsh %s\n  debian:  rc=%d out=%r err=%r\n  modvirt: rc=%d out=%r err=%r"
                         % (" ".join(args), rc1, o1, e1, rc2, o2, e2))
    assert not diffs, "virsh outputs differ:\n" + "\n".join(diffs)
    assert shared_secretd.alive()


def test_virsh_secret_life(shared_secretd, tmp_path):
    """What a script relies on, checked on Debian's virsh output."""
    paths = write_files(str(tmp_path))
    uri = shared_secretd.uri
    p = mvtest.virsh("debian", uri, "secret-define", paths["vol"])
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "Secret %s created" % U["vol"]
    p = mvtest.virsh("debian", uri, "secret-list")
    assert p.returncode == 0
    lines = p.stdout.splitlines()
    assert lines[0].split() == ["UUID", "Usage"]
    assert set(lines[1]) == {"-"}
    assert any(l.split()[:3] == [U["vol"], "volume", "/var/lib/libvirt/images/data.qcow2"]
               for l in lines[2:])
    p = mvtest.virsh("debian", uri, "secret-set-value", U["vol"],
                     base64.b64encode(b"hunter2").decode())
    assert p.returncode == 0 and "Secret value set" in p.stdout, p
    p = mvtest.virsh("debian", uri, "secret-get-value", U["vol"])
    assert base64.b64decode(p.stdout.strip()) == b"hunter2"
    p = mvtest.virsh("debian", uri, "secret-get-value", U["missing"])
    assert p.returncode == 1
    assert "Secret not found" in p.stderr, p.stderr
    p = mvtest.virsh("debian", uri, "secret-define", paths["malformed"])
    assert p.returncode == 1 and "error:" in p.stderr
    assert ":4:" in p.stderr or "line 4" in p.stderr, "error must name the line: %r" % p.stderr
    p = mvtest.virsh("debian", uri, "secret-undefine", U["vol"])
    assert p.returncode == 0 and p.stdout.strip() == "Secret %s deleted" % U["vol"]


def interactive_set(which, uri, secret, value):
    """secret-set-value --interactive types the value at a terminal prompt.
    The value is typed only once the prompt is out and echo is off: turning
    echo off flushes whatever was typed before."""
    binary = {"debian": mvtest.DEBIAN_VIRSH, "modvirt": mvtest.OUR_VIRSH}[which]
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execve(binary, [binary, "-c", uri, "secret-set-value", secret, "--interactive"],
                      dict(os.environ, LANG="C"))
        finally:
            os._exit(127)
    out = b""
    sent = False
    deadline = time.time() + 20
    try:
        while time.time() < deadline:
            if not sent and b"secret:" in out and not (termios.tcgetattr(fd)[3] & termios.ECHO):
                os.write(fd, value + b"\n")
                sent = True
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
        else:
            raise AssertionError("virsh --interactive did not finish: %r" % out)
    finally:
        done, status = os.waitpid(pid, os.WNOHANG)
        if not done:
            os.kill(pid, 9)
            _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace")


@pytest.mark.parametrize("which", ["debian", "modvirt"])
def test_virsh_interactive_set_value(shared_secretd, tmp_path, which):
    paths = write_files(str(tmp_path))
    uri = shared_secretd.uri
    mvtest.virsh(which, uri, "secret-define", paths["tls"], check=True)
    try:
        rc, out = interactive_set(which, uri, U["tls"], b"typed at the prompt")
        assert rc == 0, out
        assert "typed at the prompt" not in out, "the value must not be echoed"
        p = mvtest.virsh(which, uri, "secret-get-value", "--plain", U["tls"], check=True)
        assert p.stdout.rstrip("\n") == "typed at the prompt"
    finally:
        mvtest.virsh(which, uri, "secret-undefine", U["tls"])


# --- python3-libvirt against modvirt's own library --------------------------

def scenario(conn, err_cls):
    """Runs the same calls through either library; returns a list of
    (step, result-or-error-code) pairs for comparison."""
    res = []

    def step(name, fn):
        try:
            v = fn()
            res.append((name, "ok", v))
        except err_cls as e:
            code = e.get_error_code() if hasattr(e, "get_error_code") else e.code
            dom = e.get_error_domain() if hasattr(e, "get_error_domain") else e.domain
            msg = e.get_error_message() if hasattr(e, "get_error_message") else e.message
            res.append((name, "error", (code, dom, msg)))

    step("type", lambda: conn.getType())
    step("libversion", lambda: conn.getLibVersion())
    step("define-vol", lambda: conn.secretDefineXML(XML["vol"]).UUIDString())
    step("define-ceph", lambda: conn.secretDefineXML(XML["ceph"]).UUIDString())
    step("define-iscsi", lambda: conn.secretDefineXML(XML["iscsi"]).UUIDString())
    step("define-bad", lambda: conn.secretDefineXML(XML["malformed"]).UUIDString())
    step("define-badusage", lambda: conn.secretDefineXML(XML["badusage"]).UUIDString())
    step("count", lambda: conn.numOfSecrets())
    step("list-all", lambda: sorted(s.UUIDString() for s in conn.listAllSecrets(0)))
    step("list-private", lambda: sorted(s.UUIDString() for s in conn.listAllSecrets(4)))
    step("list-no-ephemeral", lambda: sorted(s.UUIDString() for s in conn.listAllSecrets(2)))
    step("list-badflag", lambda: conn.listAllSecrets(1 << 20))
    step("by-usage", lambda: conn.secretLookupByUsage(1, "/var/lib/libvirt/images/data.qcow2").UUIDString())
    step("by-usage-missing", lambda: conn.secretLookupByUsage(2, "nope").UUIDString())
    step("by-uuid-missing", lambda: conn.secretLookupByUUIDString(U["missing"]).UUIDString())
    step("xml", lambda: conn.secretLookupByUUIDString(U["vol"]).XMLDesc(0))
    step("value-none", lambda: conn.secretLookupByUUIDString(U["vol"]).value(0))
    step("set", lambda: conn.secretLookupByUUIDString(U["vol"]).setValue(b"\x00\x01binary\xff", 0))
    step("get", lambda: conn.secretLookupByUUIDString(U["vol"]).value(0))
    step("set-private", lambda: conn.secretLookupByUUIDString(U["ceph"]).setValue(b"p", 0))
    step("get-private", lambda: conn.secretLookupByUUIDString(U["ceph"]).value(0))
    step("set-too-big", lambda: conn.secretLookupByUUIDString(U["vol"]).setValue(b"x" * 70000, 0))
    for k in ("vol", "ceph", "iscsi"):
        step("undefine-" + k, lambda k=k: conn.secretLookupByUUIDString(U[k]).undefine())
    step("undefine-again", lambda: conn.secretLookupByUUIDString(U["vol"]).undefine())
    step("count-end", lambda: conn.numOfSecrets())
    return res


def run_python_libvirt(uri):
    code = r'''
import json, sys, libvirt
sys.path.insert(0, %r)
from test_secret_clients import scenario
libvirt.registerErrorHandler(lambda *a: None, None)
conn = libvirt.open(%r)
res = scenario(conn, libvirt.libvirtError)
conn.close()
out = []
for name, kind, v in res:
    if isinstance(v, bytes):
        v = v.hex()
    out.append([name, kind, v])
print(json.dumps(out))
''' % (os.path.dirname(os.path.abspath(__file__)), uri)
    p = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True,
                       timeout=120, env=dict(os.environ, PYTHONPATH=os.pathsep.join(
                           [os.path.dirname(os.path.abspath(__file__)),
                            os.path.join(mvtest.TOP, "tests", "lib")])))
    assert p.returncode == 0, p.stderr
    import json
    return [tuple(x) for x in json.loads(p.stdout)]


# Steps whose error each client library raises itself before anything is sent.
CLIENT_SIDE_ERRORS = {"set-too-big"}


def normalise(res):
    out = []
    for name, kind, v in res:
        if isinstance(v, bytes):
            v = v.hex()
        if isinstance(v, (list, tuple)) and kind == "error":
            v = list(v)
            if name in CLIENT_SIDE_ERRORS:
                v = v[:2]   # raised inside each client library: same code, own words
        out.append((name, kind, v))
    return out


def test_python_libvirt_and_libclient_agree(shared_secretd):
    deb = normalise(run_python_libvirt(shared_secretd.uri))
    conn = mvclient.Conn(shared_secretd.uri)
    try:
        ours = normalise(scenario(conn, mvclient.MvError))
    finally:
        conn.close()
    assert [d[0] for d in deb] == [o[0] for o in ours]
    diffs = ["%s:\n  python3-libvirt: %r\n  libmodvirt:      %r" % (d[0], d[1:], o[1:])
             for d, o in zip(deb, ours) if d != o]
    assert not diffs, "client libraries disagree:\n" + "\n".join(diffs)
    by = dict((d[0], d) for d in deb)
    # the facts the scenario must show, whichever library ran it
    assert by["type"][2] == "secret"
    assert by["libversion"][2] >= 9000000
    assert by["define-bad"][1] == "error" and by["define-bad"][2][0] == 35  # VIR_ERR_XML_DETAIL
    assert by["by-uuid-missing"][2][0] == 66       # VIR_ERR_NO_SECRET
    assert by["by-usage-missing"][2][0] == 66
    assert by["value-none"][2][0] == 66
    assert by["get-private"][1] == "error" and by["get-private"][2][0] == 65  # INVALID_SECRET
    assert by["list-badflag"][2][0] == 8           # VIR_ERR_INVALID_ARG
    assert by["get"][2] == b"\x00\x01binary\xff".hex()
    assert by["list-private"][2] == [U["ceph"]]
    assert by["list-no-ephemeral"][2] == sorted([U["vol"], U["ceph"]])
    assert by["undefine-again"][2][0] == 66
    assert by["count-end"][2] == 0
