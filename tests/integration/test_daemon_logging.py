"""The daemon's logging settings from its config file: log_outputs to a file
with log_filters choosing categories and levels; a bad config names file,
line and key and stops the daemon."""

import os
import subprocess

import mvtest


def test_log_outputs_file_and_filters(tmp_path):
    log = tmp_path / "virtsecretd.log"
    d = mvtest.Daemon("virtsecretd", config='log_filters = "1:daemon 4:rpc"\n'
                      'log_outputs = "1:file:%s"\n' % log)
    try:
        mvtest.virsh("debian", d.uri, "secret-list", check=True)
        d.stop()
        text = log.read_text()
        assert " debug : daemon" in text, text[:2000]
        # rpc is filtered to errors only: no rpc debug lines
        assert " debug : rpc" not in text, text[:2000]
    finally:
        d.cleanup()


def test_bad_config_names_file_line_and_key(tmp_path):
    d = mvtest.Daemon("virtsecretd", config='# comment\nmax_workers = 4\nmax_clients = "lots"\n',
                      start=False)
    try:
        p = subprocess.run(d.command(), env=d.env, capture_output=True, text=True, timeout=30)
        assert p.returncode == 1
        assert "%s:3" % d.config in p.stderr and "max_clients" in p.stderr, p.stderr
        assert not os.path.exists(d.sock)
    finally:
        d.cleanup()


def test_virt_admin(tmp_path):
    """Debian's virt-admin talks to the admin socket."""
    d = mvtest.Daemon("virtsecretd")
    try:
        uri = "virtsecretd:///session?socket=%s" % d.admin_sock
        p = mvtest.run(["virt-admin", "-c", uri, "srv-list"], check=True)
        names = [l.split()[1] for l in p.stdout.splitlines()[2:] if l.strip()]
        assert names == ["virtsecretd", "admin"], p.stdout
        p = mvtest.run(["virt-admin", "-c", uri, "srv-threadpool-info", "virtsecretd"],
                       check=True)
        assert "maxWorkers" in p.stdout and "20" in p.stdout, p.stdout
        mvtest.run(["virt-admin", "-c", uri, "daemon-log-filters", "1:secret"], check=True)
        p = mvtest.run(["virt-admin", "-c", uri, "daemon-log-filters"], check=True)
        assert "1:secret" in p.stdout, p.stdout
        # the main socket is not the admin socket: virt-admin there fails cleanly
        p = mvtest.run(["virt-admin", "-c", "virtsecretd:///session?socket=%s" % d.sock,
                        "srv-list"])
        assert p.returncode != 0
        assert d.alive()
        d.stop()
    finally:
        d.cleanup()
