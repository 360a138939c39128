"""virsh beyond one-shot commands: interactive mode fed on stdin, several
commands in one argument, read-only connections (-r), quiet mode and
LIBVIRT_DEFAULT_URI.  Debian's virsh and ours must print the same."""

import os

import pytest

import mvtest

UUID = "1d2c3b4a-5e6f-4a1b-8c2d-3e4f5a6b7c8d"
XML = """<secret ephemeral='no' private='no'>
  <uuid>%s</uuid>
  <usage type='iscsi'>
    <target>iqn.2026-11.test:modes</target>
  </usage>
</secret>
""" % UUID


def both(uri, *args, **kw):
    deb = mvtest.virsh("debian", uri, *args, **kw)
    ours = mvtest.virsh("modvirt", uri, *args, **kw)
    assert (deb.returncode, deb.stdout, deb.stderr) == (ours.returncode, ours.stdout, ours.stderr), \
        "virsh %s differs:\n debian:  %r\n modvirt: %r" % (" ".join(args), deb, ours)
    return deb


@pytest.fixture
def defined(shared_secretd, tmp_path):
    f = tmp_path / "s.xml"
    f.write_text(XML)
    mvtest.virsh("debian", shared_secretd.uri, "secret-define", str(f), check=True)
    yield shared_secretd
    mvtest.virsh("debian", shared_secretd.uri, "secret-undefine", UUID)


def test_interactive_stdin(defined):
    script = ("secret-list\nuri\nsecret-dumpxml %s\nsecret-get-value %s\nbogus-command\n"
              "secret-list --private ; uri\nquit\n" % (UUID, UUID))
    p = both(defined.uri, input=script)
    assert "Welcome to virsh" in p.stdout
    assert UUID in p.stdout
    assert "unknown command: 'bogus-command'" in p.stderr
    assert p.returncode == 0


def test_several_commands_in_one_argument(defined):
    p = both(defined.uri, "secret-list; uri; secret-dumpxml %s" % UUID)
    assert p.stdout.count(UUID) >= 2


def test_readonly_flag(defined):
    p = both(defined.uri, "-r", "secret-list")
    assert UUID in p.stdout
    p = both(defined.uri, "-r", "secret-undefine", UUID)
    assert p.returncode == 1 and "read only access prevents virSecretUndefine" in p.stderr
    p = both(defined.uri, "-r", "secret-get-value", UUID)
    assert p.returncode == 1 and "read only access prevents virSecretGetValue" in p.stderr


def test_quiet(defined):
    p = both(defined.uri, "-q", "secret-list")
    assert "UUID" not in p.stdout and UUID in p.stdout


def test_default_uri_from_environment(defined):
    for which in ("debian", "modvirt"):
        binary = {"debian": mvtest.DEBIAN_VIRSH, "modvirt": mvtest.OUR_VIRSH}[which]
        p = mvtest.run([binary, "uri"], env={"LIBVIRT_DEFAULT_URI": defined.uri})
        assert p.returncode == 0 and p.stdout.strip() == defined.uri, (which, p)


def test_connect_failure(tmp_path):
    uri = "secret:///session?socket=%s" % (tmp_path / "nothing-here")
    p = both(uri, "secret-list")
    assert p.returncode == 1
    assert "failed to connect to the hypervisor" in p.stderr
