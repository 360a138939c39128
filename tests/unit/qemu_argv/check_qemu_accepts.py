#!/usr/bin/python3
# Contract test: the real QEMU accepts the golden argvs.
#
# Takes tests/data/qemuxml2argv/*.args (all that qualify, as they start in
# a few seconds; SAMPLE caps the count, keeping the biggest ones and an even
# spread of the rest), points every /var/lib/modvirt-test path at a
# fresh temporary directory with the images the argv names (made with
# qemu-img), gives each run its own VNC/SPICE/TCP ports, swaps '-accel kvm'
# for TCG, starts QEMU (the argv has -S) and asks the monitor for
# query-status.  A QEMU that exits or does not answer fails the test with
# its stderr.  Cases that need host resources a test cannot create (taps,
# PCI/USB devices, TPMs, network block servers, virtiofsd, vhost-vsock, a
# CPU of the host) are left out of the sample.  Encrypted-disk cases get
# LUKS images and the secret files their argv names, with one passphrase.
#
# usage: check_qemu_accepts.py DATADIR
import base64
import concurrent.futures
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

TEST_ROOT = '/var/lib/modvirt-test'
# the passphrase of the LUKS images of encrypted-disk cases, and its
# secret object for qemu-img
LUKS_PASS = 'modvirt-test-passphrase'
LUKS_SECRET = 'secret,id=sec0,data=' + LUKS_PASS
SAMPLE = 1000
BIGGEST = 6
SKIP = re.compile(r'tpm|hostdev|virtiofs|disk-nbd|disk-iscsi|disk-https|disk-block|vsock|'
                  r'doorbell|net-bridge|net-network|net-ethernet|host-passthrough')


def eligible(datadir):
    cases = []
    for f in sorted(os.listdir(datadir)):
        if not f.endswith('.args') or SKIP.search(f):
            continue
        args = open(os.path.join(datadir, f)).read().splitlines()
        cases.append((f[:-5], args))
    return cases


def pick(cases):
    by_size = sorted(cases, key=lambda c: (-len(c[1]), c[0]))
    chosen = by_size[:BIGGEST]
    rest = [c for c in cases if c not in chosen]
    step = max(1, len(rest) // (SAMPLE - BIGGEST))
    chosen += rest[::step][:SAMPLE - BIGGEST]
    return chosen


def qemu_img(*args):
    subprocess.run(['qemu-img'] + list(args), check=True, stdout=subprocess.DEVNULL)


def luks_img(path, fmt, opts):
    """A LUKS image (short iter-time: opening it stays cheap).  qemu-img times
    its key derivation with the thread's CPU clock, which sometimes reads
    no progress in a VM ("Unable to get accurate CPU usage", about one try in
    two here): retried; a try takes milliseconds."""
    for _ in range(40):
        p = subprocess.run(['qemu-img', 'create', '-q', '--object', LUKS_SECRET, '-f', fmt,
                            '-o', opts, path, '16M'], capture_output=True, text=True)
        if p.returncode == 0:
            return
        if os.path.exists(path):
            os.unlink(path)
    raise RuntimeError('qemu-img could not create the LUKS image %s: %s' % (path, p.stderr))


def prepare(args, tmp, slot):
    """Rewrites @args for a run in @tmp and creates the files they name."""
    out = []
    nodes = {}          # storage node-name -> filename
    for i, a in enumerate(args):
        a = a.replace(TEST_ROOT, tmp)
        prev = args[i - 1] if i else ''
        if prev == '-accel' and a == 'kvm':
            a = 'tcg'
        elif prev == '-vnc' and re.match(r'^[0-9.]+:\d+', a):
            a = re.sub(r'^([0-9.]+):\d+', r'\1:%d' % (200 + slot), a)
        elif prev == '-spice':
            a = re.sub(r'port=\d+', 'port=%d' % (16200 + slot), a)
        elif prev == '-chardev' and 'host=' in a:
            a = re.sub(r'port=\d+', 'port=%d' % (17200 + slot), a)
        elif prev == '-object' and '"secret"' in a:
            # the secret file the driver writes before a start
            obj = json.loads(a)
            if obj.get('file', '').startswith(tmp):
                os.makedirs(os.path.dirname(obj['file']), exist_ok=True)
                with open(obj['file'], 'w') as f:
                    f.write(base64.b64encode(LUKS_PASS.encode()).decode())
        elif prev == '-blockdev':
            node = json.loads(a)
            if 'filename' in node and node['filename'].startswith(tmp):
                nodes[node['node-name']] = node['filename']
            elif node.get('file') in nodes:
                path = nodes[node['file']]
                if not os.path.exists(path):
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    if node['driver'] == 'luks':
                        luks_img(path, 'luks', 'key-secret=sec0,iter-time=10')
                    elif 'encrypt' in node:
                        luks_img(path, node['driver'], 'encrypt.format=luks,'
                                 'encrypt.key-secret=sec0,encrypt.iter-time=10')
                    elif path.endswith('_VARS.fd'):
                        shutil.copy('/usr/share/OVMF/OVMF_VARS_4M.fd', path)
                    elif isinstance(node.get('backing'), str):
                        base = nodes[node['backing'].replace('-format', '-storage')]
                        qemu_img('create', '-q', '-f', node['driver'], '-b', base,
                                 '-F', 'qcow2', path)
                    else:
                        qemu_img('create', '-q', '-f', node['driver'], path, '16M')
        elif prev in ('-kernel', '-initrd') and a.startswith(tmp):
            kernels = sorted(f for f in os.listdir('/boot') if f.startswith('vmlinuz-'))
            os.makedirs(os.path.dirname(a), exist_ok=True)
            if prev == '-kernel' and kernels:
                shutil.copy(os.path.join('/boot', kernels[-1]), a)
            else:
                with open(a, 'wb') as f:
                    f.write(b'\0' * 4096)
        elif prev == '-fsdev':
            m = re.search(r'path=([^,]+)', a)
            if m:
                os.makedirs(m.group(1), exist_ok=True)
        out.append(a)
    os.makedirs(os.path.join(tmp, 'lib'), exist_ok=True)
    os.makedirs(os.path.join(tmp, 'run'), exist_ok=True)
    return out


def qmp(path, deadline):
    while True:
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            break
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise TimeoutError('the monitor socket never accepted')
            time.sleep(0.05)
    s.settimeout(max(1, deadline - time.monotonic()))
    f = s.makefile('rw')
    json.loads(f.readline())
    for cmd in ('qmp_capabilities', 'query-status'):
        f.write(json.dumps({'execute': cmd}) + '\n')
        f.flush()
        while True:
            msg = json.loads(f.readline())
            if 'return' in msg or 'error' in msg:
                break
        if 'error' in msg:
            raise RuntimeError('%s: %s' % (cmd, msg['error']))
    status = msg['return']['status']
    f.write(json.dumps({'execute': 'quit'}) + '\n')
    f.flush()
    try:
        f.readline()    # quit's reply, so QEMU has taken it before we hang up
    except OSError:
        pass
    s.close()
    return status


def run_case(name, args, slot):
    tmp = tempfile.mkdtemp(prefix='mvargv-')
    try:
        argv = prepare(args, tmp, slot)
        mon = os.path.join(tmp, 'run', 'monitor.sock')
        err = open(os.path.join(tmp, 'stderr'), 'w+')
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                env={'LC_ALL': 'C', 'PATH': '/usr/bin:/bin'}, cwd=tmp)
        deadline = time.monotonic() + 30
        status = None
        problem = None
        try:
            while status is None and problem is None:
                if proc.poll() is not None:
                    problem = 'QEMU exited with %d' % proc.returncode
                    break
                try:
                    status = qmp(mon, min(deadline, time.monotonic() + 2))
                except (TimeoutError, ConnectionError, OSError, ValueError) as e:
                    if time.monotonic() > deadline:
                        problem = 'no monitor answer: %s' % e
        except RuntimeError as e:
            problem = str(e)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        err.seek(0)
        stderr = err.read()
        if problem or status != 'prelaunch':
            return '%s: %s (status %s)\n  argv: %s\n  stderr: %s' % (
                name, problem, status, ' '.join(argv), stderr.strip())
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    datadir = sys.argv[1]
    if not shutil.which('qemu-system-x86_64') or not shutil.which('qemu-img'):
        print('SKIP: qemu-system-x86_64 or qemu-img not installed')
        return 77
    chosen = pick(eligible(datadir))
    start = time.monotonic()
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = {pool.submit(run_case, n, a, i): n for i, (n, a) in enumerate(chosen)}
        for fut in concurrent.futures.as_completed(futures):
            res = fut.result()
            print('%s %s' % ('FAIL' if res else 'ok  ', futures[fut]), flush=True)
            if res:
                failures.append(res)
    print('%d argvs started in %.1f s' % (len(chosen), time.monotonic() - start))
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
