"""The README's main job (scripts/demo.sh) runs end to end on the current
build and leaves nothing behind."""

import glob
import os
import subprocess

import mvtest


def test_demo_script():
    before = set(glob.glob("/tmp/modvirt-demo.*"))
    p = subprocess.run([os.path.join(mvtest.TOP, "scripts", "demo.sh")],
                       env=dict(os.environ, MODVIRT_SKIP_INSTALL="1",
                                MODVIRT_BUILD_DIR=mvtest.BUILD),
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    out = p.stdout
    assert "Secret 6c1f6a2e-4d2b-4f1e-9c3a-0d5e7b8a9c10 created" in out, out
    assert "open sesame" in out, out
    assert "Secret 6c1f6a2e-4d2b-4f1e-9c3a-0d5e7b8a9c10 deleted" in out, out
    assert set(glob.glob("/tmp/modvirt-demo.*")) == before, "demo left its directory behind"
