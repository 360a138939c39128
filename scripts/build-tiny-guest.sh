#!/bin/sh
# Builds the tiny Linux guest the QEMU tests, the benchmark and the demo boot
# under TCG: OUTDIR/vmlinuz (Debian's cloud kernel, linked or copied) and
# OUTDIR/initrd.gz (busybox-static plus the few kernel modules the guest needs
# for ACPI power-button handling and pvpanic).
#
# The guest's /init mounts proc, sys and dev, loads the modules, starts busybox
# acpid (power button -> "poweroff -f", so ACPI shutdown and reboot work),
# prints "MODVIRT-GUEST-READY" on the console and idles.  Options on the kernel
# command line change what it does after the marker:
#   modvirt.mode=idle      (default) stay up until powered off
#   modvirt.mode=poweroff  power off at once
#   modvirt.mode=reboot    reboot at once
#   modvirt.mode=crash     panic the kernel (reported through a pvpanic device)
#   modvirt.delay=SECONDS  wait this long before the mode's action
#   modvirt.noacpi=1       do not start acpid (the power button is ignored)
#
# Usage: scripts/build-tiny-guest.sh OUTDIR [KERNEL]
# Needs busybox-static, cpio, gzip and linux-image-cloud-amd64.  Takes well
# under a second.  Everything it writes is world-readable so an unprivileged
# daemon can boot it.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 OUTDIR [KERNEL]" >&2
    exit 2
fi
out=$1
kernel=${2:-}

if [ -z "$kernel" ]; then
    for k in /boot/vmlinuz-*-cloud-amd64; do
        [ -e "$k" ] && kernel=$k
    done
fi
if [ -z "$kernel" ] || [ ! -r "$kernel" ]; then
    echo "error: no readable cloud kernel found (/boot/vmlinuz-*-cloud-amd64);" \
         "install linux-image-cloud-amd64 or pass KERNEL" >&2
    exit 1
fi
kver=$(basename "$kernel")
kver=${kver#vmlinuz-}
moddir=/lib/modules/$kver/kernel

busybox=""
for b in /bin/busybox /usr/bin/busybox; do
    if [ -x "$b" ] && [ -z "$busybox" ]; then
        busybox=$b
    fi
done
if [ -z "$busybox" ]; then
    echo "error: busybox not found; install busybox-static" >&2
    exit 1
fi
case "$(file -b "$busybox" 2>/dev/null || echo static)" in
    *dynamic*) echo "error: $busybox is dynamically linked; install busybox-static" >&2; exit 1 ;;
esac

mkdir -p "$out"
stage=$(mktemp -d "$out/.initrd.XXXXXX")
trap 'rm -rf "$stage"' EXIT INT TERM

mkdir -p "$stage/bin" "$stage/sbin" "$stage/proc" "$stage/sys" "$stage/dev" \
         "$stage/tmp" "$stage/modules" "$stage/etc/acpi/PWRF" "$stage/run" \
         "$stage/var/log" "$stage/var/run"
cp "$busybox" "$stage/bin/busybox"

# Modules that are "=m" in the cloud kernel: the ACPI button and evdev give
# acpid its power-button events; pvpanic(-mmio) reports a guest panic to QEMU.
# virtio-net (and what it needs) lets the guest use a NIC for the network tests.
for m in drivers/acpi/button drivers/input/evdev drivers/misc/pvpanic/pvpanic \
         drivers/misc/pvpanic/pvpanic-mmio drivers/virtio/virtio_ring drivers/virtio/virtio \
         drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev \
         drivers/virtio/virtio_pci net/core/failover drivers/net/net_failover \
         drivers/net/virtio_net; do
    if [ -r "$moddir/$m.ko" ]; then
        cp "$moddir/$m.ko" "$stage/modules/"
    elif [ -r "$moddir/$m.ko.xz" ]; then
        xz -dc "$moddir/$m.ko.xz" > "$stage/modules/$(basename "$m").ko"
    else
        echo "warning: module $m not found under $moddir" >&2
    fi
done

cat > "$stage/etc/acpi/PWRF/00000080" <<'EOF'
#!/bin/sh
echo "MODVIRT-GUEST-POWERDOWN"
/bin/busybox poweroff -f
EOF
chmod 755 "$stage/etc/acpi/PWRF/00000080"

cat > "$stage/bin/dhcp-script" <<'EOF'
#!/bin/busybox sh
# udhcpc's event script: configure eth0 from the lease
case "$1" in
    deconfig) ip -4 addr flush dev "$interface" ;;
    bound|renew)
        ip addr add "$ip/${mask:-24}" dev "$interface"
        [ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
        ;;
esac
exit 0
EOF
chmod 755 "$stage/bin/dhcp-script"

cat > "$stage/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mode=idle
delay=0
noacpi=0
for opt in $(cat /proc/cmdline); do
    case "$opt" in
        modvirt.mode=*) mode=${opt#modvirt.mode=} ;;
        modvirt.delay=*) delay=${opt#modvirt.delay=} ;;
        modvirt.noacpi=*) noacpi=${opt#modvirt.noacpi=} ;;
        modvirt.net=*) net=${opt#modvirt.net=} ;;
        modvirt.ping=*) ping=${opt#modvirt.ping=} ;;
        modvirt.pingtries=*) tries=${opt#modvirt.pingtries=} ;;
    esac
done
for m in button evdev pvpanic pvpanic-mmio virtio_ring virtio virtio_pci_modern_dev \
         virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net; do
    [ -e /modules/$m.ko ] && insmod /modules/$m.ko 2>/dev/null
done
if [ -n "${net:-}" ]; then
    # modvirt.net=dhcp: lease an IPv4 address on eth0 and say which;
    # modvirt.net=slaac: wait for an IPv6 address from router advertisements;
    # modvirt.ping=A,B,... then pings each address (up to modvirt.pingtries
    # attempts a second apart) and says whether it answered
    ip link set lo up
    ip link set eth0 up
    case "$net" in
    dhcp)
        if udhcpc -i eth0 -n -q -f -t 20 -T 1 -s /bin/dhcp-script >/dev/null 2>&1; then
            echo "MODVIRT-NET-LEASE $(ip -4 -o addr show dev eth0 | awk '{print $4}')"
        else
            echo "MODVIRT-NET-NOLEASE"
        fi
        ;;
    slaac)
        i=0
        while [ $i -lt 200 ] && ! ip -6 -o addr show dev eth0 scope global | grep -q inet6; do
            sleep 0.1
            i=$((i + 1))
        done
        a6=$(ip -6 -o addr show dev eth0 scope global | awk '{print $4}' | head -n 1)
        echo "MODVIRT-NET-V6 ${a6:-none}"
        ;;
    esac
    for a in $(echo "${ping:-}" | tr ',' ' '); do
        n=0
        res=fail
        while [ $n -lt "${tries:-1}" ]; do
            case "$a" in
                *:*) ping6 -c 1 -W 1 "$a" >/dev/null 2>&1 && res=ok ;;
                *) ping -c 1 -W 1 "$a" >/dev/null 2>&1 && res=ok ;;
            esac
            [ $res = ok ] && break
            n=$((n + 1))
        done
        echo "MODVIRT-NET-PING $a $res"
    done
fi
if [ "$noacpi" != 1 ]; then
    # wait (briefly) for the power button's input device before starting acpid
    i=0
    while [ $i -lt 50 ] && ! ls /dev/input/event* >/dev/null 2>&1; do
        sleep 0.1
        i=$((i + 1))
    done
    acpid -f -c /etc/acpi -p /run/acpid.pid </dev/null >/dev/null 2>&1 &
fi
echo "MODVIRT-GUEST-READY mode=$mode uptime=$(cut -d' ' -f1 /proc/uptime)"
[ "$delay" != 0 ] && sleep "$delay"
case "$mode" in
    poweroff) poweroff -f ;;
    reboot) reboot -f ;;
    crash) echo 1 > /proc/sys/kernel/sysrq; echo c > /proc/sysrq-trigger ;;
esac
while :; do
    sleep 3600
done
EOF
chmod 755 "$stage/init"

(cd "$stage" && find . ! -name . -print | cpio -o -H newc --quiet) | gzip -1 > "$out/initrd.gz.tmp"
mv "$out/initrd.gz.tmp" "$out/initrd.gz"
rm -f "$out/vmlinuz"
if ! ln -s "$kernel" "$out/vmlinuz" 2>/dev/null; then
    cp "$kernel" "$out/vmlinuz"
fi
chmod 644 "$out/initrd.gz"
chmod 755 "$out"
echo "$out/vmlinuz $out/initrd.gz"
