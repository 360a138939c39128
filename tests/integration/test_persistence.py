"""Secrets and their values survive daemon restarts (clean and SIGKILL); the
files on disk never hold a value in plaintext; a copied config directory is
useless without the host key."""

import base64
import glob
import os
import shutil
import stat

import mvtest

UUID = "c2d4e6f8-1a3b-4c5d-8e9f-0a1b2c3d4e5f"
EPH = "c2d4e6f8-1a3b-4c5d-8e9f-0a1b2c3d4e60"
VALUE = b"correct horse battery staple"


def define(d, tmp_path, uuid, eph="no", name="disk"):
    f = tmp_path / ("%s.xml" % uuid)
    f.write_text("""<secret ephemeral='%s' private='no'>
  <uuid>%s</uuid>
  <usage type='volume'>
    <volume>/images/%s.qcow2</volume>
  </usage>
</secret>
""" % (eph, uuid, name))
    mvtest.virsh("debian", d.uri, "secret-define", str(f), check=True)


def all_files(root):
    """Every regular file under @root (sockets and the like are skipped)."""
    for dirpath, _, files in os.walk(root):
        for n in files:
            p = os.path.join(dirpath, n)
            if stat.S_ISREG(os.lstat(p).st_mode):
                yield p


def test_restart_keeps_secrets_and_values(tmp_path):
    d = mvtest.Daemon("virtsecretd")
    try:
        define(d, tmp_path, UUID)
        define(d, tmp_path, EPH, eph="yes", name="ephemeral")
        mvtest.virsh("debian", d.uri, "secret-set-value", UUID,
                     base64.b64encode(VALUE).decode(), check=True)
        mvtest.virsh("debian", d.uri, "secret-set-value", EPH,
                     base64.b64encode(b"never on disk").decode(), check=True)

        # nothing on disk holds the values, in any encoding
        for path in all_files(d.root):
            if os.path.basename(path) == "daemon.log":
                continue
            data = open(path, "rb").read()
            for needle in (VALUE, base64.b64encode(VALUE), b"never on disk"):
                assert needle not in data, "%s holds a secret value" % path
        # the ephemeral secret has no file at all
        assert not [p for p in all_files(d.root) if EPH in p]
        cfg = os.path.join(d.env["XDG_CONFIG_HOME"], "libvirt", "secrets")
        assert os.path.exists(os.path.join(cfg, "%s.xml" % UUID))
        keys = glob.glob(os.path.join(d.env["XDG_DATA_HOME"], "libvirt", "secrets", "*"))
        assert keys, "no host key file under XDG_DATA_HOME/libvirt/secrets"
        for k in keys:
            assert stat.S_IMODE(os.stat(k).st_mode) == 0o600, k

        d.stop()
        d.start()
        p = mvtest.virsh("debian", d.uri, "secret-get-value", UUID, check=True)
        assert base64.b64decode(p.stdout.strip()) == VALUE
        p = mvtest.virsh("debian", d.uri, "secret-list", check=True)
        assert UUID in p.stdout and EPH not in p.stdout

        # a crash loses nothing either
        d.kill()
        d.start()
        p = mvtest.virsh("debian", d.uri, "secret-get-value", "--plain", UUID, check=True)
        assert p.stdout.rstrip("\n").encode() == VALUE
        d.stop()
    finally:
        d.cleanup()


def test_copied_config_dir_leaks_nothing(tmp_path):
    a = mvtest.Daemon("virtsecretd")
    b = None
    try:
        define(a, tmp_path, UUID)
        mvtest.virsh("debian", a.uri, "secret-set-value", UUID,
                     base64.b64encode(VALUE).decode(), check=True)
        a.stop()
        b = mvtest.Daemon("virtsecretd", start=False)
        shutil.copytree(os.path.join(a.env["XDG_CONFIG_HOME"], "libvirt"),
                        os.path.join(b.env["XDG_CONFIG_HOME"], "libvirt"))
        b.start()
        # the definition comes along, the value cannot be read without the key
        p = mvtest.virsh("debian", b.uri, "secret-dumpxml", UUID)
        assert p.returncode == 0, p.stderr
        p = mvtest.virsh("debian", b.uri, "secret-get-value", UUID)
        assert p.returncode == 1
        assert VALUE.decode() not in p.stdout + p.stderr
        assert "error:" in p.stderr
        b.stop()
    finally:
        a.cleanup()
        if b:
            b.cleanup()
