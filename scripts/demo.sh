#!/bin/sh
# The main job on the embedded default: installs what is missing, builds
# modvirt, starts virtsecretd and virtqemud in session mode inside a private
# directory, walks one secret through its life with modvirt's virsh, then
# boots a tiny demo guest (Debian's cloud kernel + a busybox initrd built
# here) under QEMU, shows it with virsh and shuts it down.  Touches nothing
# outside the private directory; everything stops at the end.
# Set MODVIRT_SKIP_INSTALL=1 to skip the package step, MODVIRT_BUILD_DIR to
# use an existing build.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

if [ "${MODVIRT_SKIP_INSTALL:-0}" != 1 ]; then
    "$top/scripts/install-deps.sh"
fi
build=${MODVIRT_BUILD_DIR:-$top/build}
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$top" >/dev/null
fi
ninja -C "$build" >/dev/null

root=$(mktemp -d /tmp/modvirt-demo.XXXXXX)
daemon_pid=
qemud_pid=
cleanup() {
    if [ -n "$qemud_pid" ]; then
        "$build/libclient/virsh/virsh" -q -c "$quri" destroy demo >/dev/null 2>&1 || true
        kill -TERM "$qemud_pid" 2>/dev/null || true
        wait "$qemud_pid" 2>/dev/null || true
    fi
    if [ -n "$daemon_pid" ]; then
        kill -TERM "$daemon_pid" 2>/dev/null || true
        wait "$daemon_pid" 2>/dev/null || true
    fi
    rm -rf "$root"
}
quri=
trap cleanup EXIT INT TERM

export XDG_CONFIG_HOME="$root/config" XDG_CACHE_HOME="$root/cache" \
       XDG_RUNTIME_DIR="$root/run" XDG_DATA_HOME="$root/data" HOME="$root/home"
mkdir -m 0700 -p "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$HOME"

echo "== starting virtsecretd (session mode) in $root"
"$build/daemons/secret/virtsecretd" --session --timeout 120 >"$root/virtsecretd.log" 2>&1 &
daemon_pid=$!
sock="$XDG_RUNTIME_DIR/libvirt/virtsecretd-sock"
i=0
while [ ! -S "$sock" ]; do
    i=$((i + 1))
    if [ $i -gt 200 ] || ! kill -0 "$daemon_pid" 2>/dev/null; then
        echo "virtsecretd did not start:"; cat "$root/virtsecretd.log"; exit 1
    fi
    sleep 0.05
done

virsh="$build/libclient/virsh/virsh"
uri="secret:///session?socket=$sock"
show() {
    echo "\$ virsh $*"
    "$virsh" -c "$uri" "$@"
}

uuid=6c1f6a2e-4d2b-4f1e-9c3a-0d5e7b8a9c10
cat >"$root/secret.xml" <<XML
<secret ephemeral='no' private='no'>
  <uuid>$uuid</uuid>
  <description>passphrase of the demo guest's disk</description>
  <usage type='volume'>
    <volume>/var/lib/libvirt/images/demo.qcow2</volume>
  </usage>
</secret>
XML

show uri
show secret-define "$root/secret.xml"
show secret-list
show secret-dumpxml "$uuid"
show secret-set-value "$uuid" "$(printf 'open sesame' | base64)"
show secret-get-value --plain "$uuid"
echo "== on disk (the value is encrypted with a host key outside the config dir):"
ls -l "$XDG_CONFIG_HOME/libvirt/secrets"
show secret-undefine "$uuid"
show secret-list

echo "== building the tiny demo guest"
sh "$top/scripts/build-tiny-guest.sh" "$root/guest"
echo "== starting virtqemud (session mode)"
"$build/daemons/qemu/virtqemud" --session --timeout 120 >"$root/virtqemud.log" 2>&1 &
qemud_pid=$!
qsock="$XDG_RUNTIME_DIR/libvirt/virtqemud-sock"
i=0
while [ ! -S "$qsock" ]; do
    i=$((i + 1))
    if [ $i -gt 200 ] || ! kill -0 "$qemud_pid" 2>/dev/null; then
        echo "virtqemud did not start:"; cat "$root/virtqemud.log"; exit 1
    fi
    sleep 0.05
done
quri="qemu:///session?socket=$qsock"
qshow() {
    echo "\$ virsh $*"
    "$virsh" -c "$quri" "$@"
}
cat >"$root/demo.xml" <<XML
<domain type='qemu'>
  <name>demo</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$root/guest/vmlinuz</kernel>
    <initrd>$root/guest/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <serial type='file'>
      <source path='$root/demo.serial'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
qshow version
qshow define "$root/demo.xml"
qshow start demo
qshow list --all
qshow dominfo demo
echo "== waiting for the guest to boot (TCG, a few seconds)"
i=0
until grep -q MODVIRT-GUEST-READY "$root/demo.serial" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 600 ]; then
        echo "the guest did not boot; its console:"; cat "$root/demo.serial"; exit 1
    fi
    sleep 0.1
done
echo "== the guest's console says:"
grep -a MODVIRT-GUEST-READY "$root/demo.serial"
qshow shutdown demo
i=0
until "$virsh" -c "$quri" domstate demo | grep -q 'shut off'; do
    i=$((i + 1))
    if [ $i -gt 300 ]; then
        echo "the guest did not power off; destroying it"
        qshow destroy demo
        break
    fi
    sleep 0.1
done
qshow list --all
qshow undefine demo
echo "== done"
