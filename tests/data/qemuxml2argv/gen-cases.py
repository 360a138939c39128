#!/usr/bin/python3
# Writes the golden input documents NAME.xml of this directory from the
# table below (the expected NAME.postparse.xml / NAME.args / NAME.err are
# written by the test itself with MODVIRT_REGENERATE=1).  Every host path
# is under /var/lib/modvirt-test/ so the QEMU acceptance test can swap in
# a temporary directory.
#
# usage: gen-cases.py [DIR]
import os
import sys
import uuid

T = '/var/lib/modvirt-test'


def disk(dev, bus, path=None, typ='file', device='disk', fmt=None, extra='', driver_extra='',
         src=None):
    drv = ''
    if fmt or driver_extra:
        drv = "<driver name='qemu'%s%s/>" % (" type='%s'" % fmt if fmt else '', driver_extra)
    if src is None:
        if path is None:
            src = ''
        elif typ == 'block':
            src = "<source dev='%s'/>" % path
        else:
            src = "<source file='%s'/>" % path
    return ("<disk type='%s' device='%s'>%s%s<target dev='%s' bus='%s'/>%s</disk>"
            % (typ, device, drv, src, dev, bus, extra))


def vda(fmt='qcow2', name='vda.qcow2', extra='', driver_extra=''):
    return disk('vda', 'virtio', '%s/%s' % (T, name), fmt=fmt, extra=extra,
                driver_extra=driver_extra)


def net(typ='user', model=None, mac='52:54:00:00:00:01', extra=''):
    m = "<model type='%s'/>" % model if model else ''
    return "<interface type='%s'><mac address='%s'/>%s%s</interface>" % (typ, mac, extra, m)


NOUSB = "<controller type='usb' model='none'/>"
NOBAL = "<memballoon model='none'/>"

# name: (machine, devices, extra top-level elements, domain type, vcpu)
C = {}


def case(name, devices='', machine='pc', top='', virt='qemu', vcpu='1', mem=256, os_extra=''):
    C[name] = (machine, devices, top, virt, vcpu, mem, os_extra)


for m in ('pc', 'q35'):
    p = m + '-'
    case(p + 'minimal', '', m)
    case(p + 'minimal-kvm', '', m, virt='kvm')
    case(p + 'nousb-noballoon', NOUSB + NOBAL, m)
    case(p + 'disk-virtio-qcow2', vda(), m)
    case(p + 'disk-virtio-raw', vda('raw', 'vda.raw'), m)
    case(p + 'disk-two-virtio', vda() + disk('vdb', 'virtio', T + '/vdb.raw', fmt='raw'), m)
    case(p + 'disk-cache-none', vda(driver_extra=" cache='none' io='native'"), m)
    case(p + 'disk-cache-writethrough', vda(driver_extra=" cache='writethrough'"), m)
    case(p + 'disk-cache-writeback', vda(driver_extra=" cache='writeback'"), m)
    case(p + 'disk-cache-directsync', vda(driver_extra=" cache='directsync'"), m)
    case(p + 'disk-cache-unsafe', vda(driver_extra=" cache='unsafe'"), m)
    case(p + 'disk-discard', vda(driver_extra=" discard='unmap'"), m)
    case(p + 'disk-readonly', vda(extra='<readonly/>'), m)
    case(p + 'disk-shareable', vda('raw', 'vda.raw', extra='<shareable/>'), m)
    case(p + 'disk-serial', vda(extra='<serial>SER123</serial>'), m)
    case(p + 'disk-boot-order', vda(extra="<boot order='1'/>") +
         net(model='virtio', extra="<boot order='2'/>"), m)
    case(p + 'disk-block', disk('vdb', 'virtio', '/dev/modvirt-test-nonexistent', typ='block',
                                fmt='raw'), m)
    case(p + 'disk-backing', disk('vda', 'virtio', src="<source file='%s/top.qcow2'/>"
                                  "<backingStore type='file'><format type='qcow2'/>"
                                  "<source file='%s/base.qcow2'/><backingStore/>"
                                  "</backingStore>" % (T, T), fmt='qcow2'), m)
    case(p + 'disk-nbd', disk('vda', 'virtio', typ='network', fmt='raw',
                              src="<source protocol='nbd' name='exp'>"
                                  "<host name='127.0.0.1' port='10809'/></source>"), m)
    case(p + 'disk-iscsi', disk('vda', 'virtio', typ='network', fmt='raw',
                                src="<source protocol='iscsi' name='iqn.2024-01.test:t1/1'>"
                                    "<host name='127.0.0.1' port='3260'/></source>"), m)
    case(p + 'disk-https', disk('vda', 'virtio', typ='network', fmt='raw',
                                src="<source protocol='https' name='img/disk.raw'>"
                                    "<host name='example.com' port='443'/></source>"), m)
    case(p + 'cdrom-sata' if m == 'q35' else p + 'cdrom-ide',
         disk('sda' if m == 'q35' else 'hdc', 'sata' if m == 'q35' else 'ide',
              T + '/cd.iso', device='cdrom', extra='<readonly/>'), m)
    case(p + 'cdrom-empty', disk('sda' if m == 'q35' else 'hdc', 'sata' if m == 'q35' else 'ide',
                                 None, device='cdrom', extra='<readonly/>'), m)
    case(p + 'disk-sata', disk('sda', 'sata', T + '/sda.raw', fmt='raw') +
         disk('sdb', 'sata', T + '/sdb.qcow2', fmt='qcow2'), m)
    case(p + 'disk-scsi-lsi', disk('sda', 'scsi', T + '/sda.raw', fmt='raw') +
         "<controller type='scsi' index='0' model='lsilogic'/>", m)
    case(p + 'disk-scsi-virtio', disk('sda', 'scsi', T + '/sda.raw', fmt='raw') +
         disk('sdb', 'scsi', T + '/sdb.iso', device='cdrom', extra='<readonly/>') +
         "<controller type='scsi' index='0' model='virtio-scsi'/>", m)
    case(p + 'disk-usb', disk('sdz', 'usb', T + '/usb.raw', fmt='raw'), m)
    case(p + 'boot-dev-order', vda() + disk('sda' if m == 'q35' else 'hdc',
                                            'sata' if m == 'q35' else 'ide', T + '/cd.iso',
                                            device='cdrom', extra='<readonly/>') + net(),
         m, os_extra="<boot dev='cdrom'/><boot dev='hd'/><boot dev='network'/>")
    case(p + 'bootmenu', vda(), m, os_extra="<boot dev='hd'/><bootmenu enable='yes' timeout='2500'/>")
    case(p + 'net-user-default', net(), m)
    case(p + 'net-user-virtio', net(model='virtio'), m)
    case(p + 'net-e1000', net(model='e1000'), m)
    case(p + 'net-e1000e', net(model='e1000e'), m)
    case(p + 'net-rtl8139', net(model='rtl8139'), m)
    case(p + 'net-two', net(model='virtio') + net(model='e1000', mac='52:54:00:00:00:02'), m)
    case(p + 'net-bridge', net('bridge', 'virtio', extra="<source bridge='br0'/>"), m)
    case(p + 'net-network', net('network', 'virtio', extra="<source network='default'/>"), m)
    case(p + 'net-ethernet', net('ethernet', 'virtio', extra="<target dev='mvtap0'/>"), m)
    case(p + 'serial-pty', "<serial type='pty'/>", m)
    case(p + 'serial-file', "<serial type='file'><source path='%s/serial.log'/></serial>" % T, m)
    case(p + 'serial-file-append', "<serial type='file'><source path='%s/serial.log' append='on'/></serial>" % T, m)
    case(p + 'serial-tcp', "<serial type='tcp'><source mode='bind' host='127.0.0.1' service='44555'/>"
         "<protocol type='telnet'/></serial>", m)
    case(p + 'serial-unix', "<serial type='unix'><source mode='bind' path='%s/serial.sock'/></serial>" % T, m)
    case(p + 'serial-null', "<serial type='null'/>", m)
    case(p + 'serial-two', "<serial type='pty'/><serial type='null'><target port='1'/></serial>", m)
    case(p + 'console-pty', "<console type='pty'/>", m)
    case(p + 'console-virtio', "<console type='pty'><target type='virtio'/></console>", m)
    case(p + 'parallel', "<parallel type='pty'/>", m)
    case(p + 'channel-agent', "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>", m)
    case(p + 'channel-two', "<channel type='unix'><source mode='bind' path='%s/ga.sock'/>"
         "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
         "<channel type='pty'><target type='virtio' name='org.example.x'/></channel>" % T, m)
    case(p + 'vnc', "<graphics type='vnc' port='5907'/>", m)
    case(p + 'vnc-autoport', "<graphics type='vnc' autoport='yes'/>", m)
    case(p + 'vnc-listen', "<graphics type='vnc' port='5908' listen='0.0.0.0'/>", m)
    case(p + 'vnc-password', "<graphics type='vnc' port='5909' passwd='secret'/>", m)
    case(p + 'vnc-keymap', "<graphics type='vnc' port='5910' keymap='de'/>", m)
    case(p + 'vnc-socket', "<graphics type='vnc'><listen type='socket' socket='%s/vnc.sock'/></graphics>" % T, m)
    case(p + 'spice', "<graphics type='spice' port='5911'><listen type='address' address='127.0.0.1'/></graphics>", m)
    case(p + 'video-vga', "<video><model type='vga'/></video>", m)
    case(p + 'video-cirrus', "<video><model type='cirrus'/></video>", m)
    case(p + 'video-qxl', "<video><model type='qxl'/></video>", m)
    case(p + 'video-qxl-two', "<video><model type='qxl'/></video><video><model type='qxl'/></video>", m)
    case(p + 'video-virtio', "<video><model type='virtio'/></video>", m)
    case(p + 'video-bochs', "<video><model type='bochs'/></video>", m)
    case(p + 'video-none', "<graphics type='vnc' port='5912'/><video><model type='none'/></video>", m)
    case(p + 'video-vga-virtio', "<video><model type='vga'/></video><video><model type='virtio'/></video>", m)
    case(p + 'input-usb-tablet', "<input type='tablet' bus='usb'/>", m)
    case(p + 'input-usb-all', "<input type='tablet' bus='usb'/>" +
         ("<input type='mouse' bus='usb'/>" if m == 'q35' else '') +
         "<input type='keyboard' bus='usb'/>", m)
    case(p + 'input-virtio', "<input type='tablet' bus='virtio'/><input type='keyboard' bus='virtio'/>"
         "<input type='mouse' bus='virtio'/>", m)
    case(p + 'sound-ich6', "<sound model='ich6'/>", m)
    case(p + 'sound-ich9', "<sound model='ich9'><codec type='micro'/></sound>", m)
    case(p + 'sound-ac97', "<sound model='ac97'/>", m)
    case(p + 'sound-es1370', "<sound model='es1370'/>", m)
    case(p + 'sound-usb', "<sound model='usb'/>", m)
    case(p + 'watchdog-i6300esb', "<watchdog model='i6300esb' action='poweroff'/>", m)
    case(p + 'watchdog-ib700', "<watchdog model='ib700' action='reset'/>", m)
    case(p + 'watchdog-dump', "<watchdog model='i6300esb' action='dump'/>", m)
    case(p + 'balloon-autodeflate', "<memballoon model='virtio' autodeflate='on'/>", m)
    case(p + 'balloon-stats', "<memballoon model='virtio'><stats period='10'/></memballoon>", m)
    case(p + 'rng-random', "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>", m)
    case(p + 'panic-isa', "<panic model='isa'/>", m)
    case(p + 'fs-9p', "<filesystem type='mount' accessmode='passthrough'><source dir='%s/share'/>"
         "<target dir='share'/></filesystem>" % T, m)
    case(p + 'fs-9p-mapped-ro', "<filesystem type='mount' accessmode='mapped'><source dir='%s/share'/>"
         "<target dir='share'/><readonly/></filesystem>" % T, m)
    case(p + 'shmem-plain', "<shmem name='mvshm0'><model type='ivshmem-plain'/><size unit='M'>4</size></shmem>", m)
    case(p + 'vsock', "<vsock model='virtio'><cid auto='no' address='7'/></vsock>", m)
    case(p + 'hostdev-pci', "<hostdev mode='subsystem' type='pci' managed='yes'><source>"
         "<address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source></hostdev>", m)
    case(p + 'hostdev-usb', "<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/>"
         "<product id='0xbeef'/></source></hostdev>", m)
    case(p + 'tpm-emulator', "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>", m)
    case(p + 'tpm-passthrough', "<tpm model='tpm-tis'><backend type='passthrough'>"
         "<device path='/dev/tpm0'/></backend></tpm>", m)
    case(p + 'cpu-custom', '', m, top="<cpu mode='custom' match='exact'><model>Skylake-Client</model>"
         "<feature policy='disable' name='hle'/><feature policy='require' name='pcid'/></cpu>")
    case(p + 'cpu-topology', '', m, vcpu='4', top="<cpu><topology sockets='2' dies='1' cores='2' threads='1'/></cpu>")
    case(p + 'cpu-max', '', m, top="<cpu mode='maximum'/>")
    case(p + 'cpu-host-passthrough-kvm', '', m, virt='kvm', top="<cpu mode='host-passthrough'/>")
    case(p + 'vcpu-current', '', m, vcpu="4")
    case(p + 'features-acpi-apic', '', m, top="<features><acpi/><apic/><pae/></features>")
    case(p + 'pm', '', m, top="<features><acpi/></features><pm><suspend-to-mem enabled='no'/>"
         "<suspend-to-disk enabled='no'/></pm>")
    case(p + 'clock-localtime', '', m, top="<clock offset='localtime'/>")
    case(p + 'clock-timers', '', m, top="<clock offset='utc'><timer name='rtc' tickpolicy='catchup'/>"
         "<timer name='pit' tickpolicy='delay'/><timer name='hpet' present='no'/></clock>")
    case(p + 'kernel-boot', vda(), m, os_extra="<kernel>%s/vmlinuz</kernel><initrd>%s/initrd</initrd>"
         "<cmdline>console=ttyS0 root=/dev/vda rw</cmdline>" % (T, T))
    case(p + 'memfd-shared', '', m, top="<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>")
    case(p + 'memory-odd-size', '', m, mem='300.5')
    case(p + 'qemu-commandline', '', m, top="<qemu:commandline><qemu:arg value='-global'/>"
         "<qemu:arg value='isa-debugcon.iobase=0x402'/></qemu:commandline>")
    case(p + 'name-comma', '', m)

case('pc-ide-disks', disk('hda', 'ide', T + '/hda.qcow2', fmt='qcow2') +
     disk('hdb', 'ide', T + '/hdb.raw', fmt='raw') + disk('hdd', 'ide', T + '/hdd.iso', device='cdrom', extra='<readonly/>'))
case('pc-floppy', disk('fda', 'fdc', T + '/floppy.img', device='floppy', fmt='raw'))
case('pc-usb-ehci', "<controller type='usb' index='0' model='ich9-ehci1'/><input type='tablet' bus='usb'/>")
case('pc-usb-xhci', "<controller type='usb' index='0' model='qemu-xhci' ports='8'/><input type='tablet' bus='usb'/>")
# USB2 groups: an ich9-ehci1 and its UHCI companions in one PCI slot, as
# virt-install writes them (no index) and in another order with indexes
USB2 = ("<controller type='usb' model='ich9-ehci1'/>"
        "<controller type='usb' model='ich9-uhci1'><master startport='0'/></controller>"
        "<controller type='usb' model='ich9-uhci2'><master startport='2'/></controller>"
        "<controller type='usb' model='ich9-uhci3'><master startport='4'/></controller>")
case('pc-usb-companions', USB2 + "<input type='tablet' bus='usb'/>")
case('q35-usb-companions', USB2 + "<input type='tablet' bus='usb'/>", 'q35')
case('pc-usb-companions-order', "<controller type='usb' index='0' model='ich9-uhci2'><master startport='2'/></controller>"
     "<controller type='usb' index='0' model='ich9-uhci1'/><input type='tablet' bus='usb'/>"
     "<controller type='usb' index='0' model='ich9-ehci1'/>")
case('q35-usb-companions-ehci-addr', "<controller type='usb' index='0' model='ich9-ehci1'><address type='pci' "
     "domain='0x0000' bus='0x00' slot='0x05' function='0x7'/></controller>"
     "<controller type='usb' index='0' model='ich9-uhci1'><master startport='0'/></controller>"
     "<controller type='usb' index='0' model='ich9-uhci2'><master startport='2'/></controller>", 'q35')
case('q35-usb-companions-two', USB2 + "<controller type='usb' model='ich9-ehci1'/><controller type='usb' model='ich9-uhci1'/>"
     "<input type='tablet' bus='usb'/>", 'q35')
case('pc-pci-bridge', "<controller type='pci' index='1' model='pci-bridge'/>" + vda() +
     net(model='virtio', extra="<address type='pci' domain='0x0000' bus='0x01' slot='0x05' function='0x0'/>"))
case('pc-explicit-addresses', vda(extra="<address type='pci' domain='0x0000' bus='0x00' slot='0x0a' function='0x0'/>") +
     net(model='virtio', extra="<address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>") +
     "<memballoon model='virtio'><address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/></memballoon>")
case('pc-multifunction', vda(extra="<address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0' multifunction='on'/>") +
     disk('vdb', 'virtio', T + '/vdb.raw', fmt='raw', extra="<address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x1'/>"))
case('pc-virtio-serial-ports', "<controller type='virtio-serial' index='0' ports='16'/>"
     "<channel type='pty'><target type='virtio' name='a.b.c'/><address type='virtio-serial' controller='0' bus='0' port='3'/></channel>"
     "<channel type='pty'><target type='virtio' name='d.e.f'/></channel>")
case('pc-many-disks', ''.join(disk('vd' + chr(ord('a') + i), 'virtio', '%s/d%d.qcow2' % (T, i), fmt='qcow2')
                              for i in range(8)))
case('q35-many-devices', ''.join(disk('vd' + chr(ord('a') + i), 'virtio', '%s/d%d.qcow2' % (T, i), fmt='qcow2')
                                 for i in range(6)) + net(model='virtio') + net(model='e1000', mac='52:54:00:00:00:02'))
case('q35-pcie-root-ports', "<controller type='pci' index='1' model='pcie-root-port'/>"
     "<controller type='pci' index='2' model='pcie-root-port'/>" + vda(), 'q35')
case('q35-pcie-to-pci-bridge', "<controller type='pci' index='1' model='pcie-root-port'/>"
     "<controller type='pci' index='2' model='pcie-to-pci-bridge'/>" + net(model='rtl8139'), 'q35')
case('q35-efi', vda(), 'q35', top="<features><acpi/><apic/><smm state='on'/></features>",
     os_extra="<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>"
              "<nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>%s/efi_VARS.fd</nvram>" % T)
case('q35-efi-secboot', vda(), 'q35', top="<features><acpi/><apic/><smm state='on'/></features>",
     os_extra="<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>"
              "<nvram>%s/efisb_VARS.fd</nvram>" % T)
case('pc-lifecycle-reboot-destroy', '', 'pc', top="<on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>preserve</on_crash>")
case('pc-vmport-off', '', 'pc', top="<features><acpi/><vmport state='off'/></features>")
case('q35-hyperv', '', 'q35', virt='kvm', top="<features><acpi/><apic/><hyperv mode='custom'><relaxed state='on'/>"
     "<vapic state='on'/><spinlocks state='on' retries='8191'/></hyperv></features>")
case('q35-numa', '', 'q35', vcpu='4', mem=1024, top="<cpu><numa><cell id='0' cpus='0-1' memory='512' unit='MiB'/>"
     "<cell id='1' cpus='2-3' memory='512' unit='MiB'/></numa></cpu>")
case('q35-virtiofs', "<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/>"
     "<source dir='%s/share'/><target dir='vfs'/></filesystem>" % T, 'q35',
     top="<memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>")
case('q35-shmem-doorbell', "<shmem name='mvshm1'><model type='ivshmem-doorbell'/><server path='%s/shm.sock'/>"
     "<msi vectors='4' ioeventfd='on'/></shmem>" % T, 'q35')
case('default-machine', '', None)
case('q35-kvm-full', vda(driver_extra=" cache='none' io='native' discard='unmap'", extra='<serial>FULL1</serial>') +
     disk('sda', 'sata', T + '/cd.iso', device='cdrom', extra='<readonly/>') +
     net(model='virtio') + "<serial type='pty'/>" +
     "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>" +
     "<input type='tablet' bus='usb'/><graphics type='vnc' port='5913'/><video><model type='virtio'/></video>"
     "<sound model='ich9'/><watchdog model='i6300esb' action='reset'/>"
     "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng><panic model='isa'/>",
     'q35', virt='kvm', vcpu='4', mem=1024,
     top="<features><acpi/><apic/></features><cpu mode='custom' match='exact'><model>Skylake-Client</model>"
         "<topology sockets='1' dies='1' cores='2' threads='2'/></cpu>"
         "<clock offset='utc'><timer name='rtc' tickpolicy='catchup'/><timer name='pit' tickpolicy='delay'/>"
         "<timer name='hpet' present='no'/></clock><pm><suspend-to-mem enabled='no'/><suspend-to-disk enabled='no'/></pm>")
case('pc-full', disk('hda', 'ide', T + '/hda.qcow2', fmt='qcow2') + vda('raw', 'vda.raw') +
     disk('hdc', 'ide', T + '/cd.iso', device='cdrom', extra='<readonly/>') +
     disk('fda', 'fdc', T + '/floppy.img', device='floppy', fmt='raw') +
     net(model='virtio') + net(model='rtl8139', mac='52:54:00:00:00:02') +
     "<serial type='pty'/><parallel type='null'/>"
     "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
     "<console type='pty'><target type='virtio'/></console>"
     "<input type='tablet' bus='usb'/><input type='keyboard' bus='virtio'/>"
     "<graphics type='spice' port='5914'><listen type='address' address='127.0.0.1'/></graphics>"
     "<sound model='ich6'/><sound model='ac97'/><video><model type='qxl'/></video><video><model type='qxl'/></video>"
     "<watchdog model='i6300esb' action='poweroff'/><memballoon model='virtio'/>"
     "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng><panic model='isa'/>"
     "<filesystem type='mount' accessmode='passthrough'><source dir='%s/share'/><target dir='share'/></filesystem>"
     "<shmem name='mvshm2'><model type='ivshmem-plain'/><size unit='M'>8</size></shmem>" % T,
     'pc', vcpu='2', mem=512, top="<features><acpi/><apic/></features>")

# LUKS-encrypted disks: the secret's value reaches QEMU in a file
LUKS1 = 'c5d7a3b0-1c2e-4d3f-9a8b-7e6f5d4c3b2a'
LUKS2 = '0a6f3e42-8d51-4b7c-a2e9-5f1c3d7b9e04'


def luks(dev, bus, name, fmt, sec=LUKS1, encfmt='luks'):
    return disk(dev, bus, fmt=fmt, src="<source file='%s/%s'><encryption format='%s'><secret "
                "type='passphrase' uuid='%s'/></encryption></source>" % (T, name, encfmt, sec))


for m in ('pc', 'q35'):
    case(m + '-disk-luks-qcow2', luks('vda', 'virtio', 'vda.qcow2', 'qcow2'), m)
    case(m + '-disk-luks-raw', luks('vda', 'virtio', 'vda.luks', 'raw'), m)
case('q35-disk-luks-mixed', vda() + luks('vdb', 'virtio', 'vdb.qcow2', 'qcow2', LUKS2) +
     luks('sda', 'sata', 'sda.luks', 'raw'), 'q35')

# invalid cases: (machine, devices, top, virt, vcpu)
I = {
    'invalid-disk-luks-vmdk': ('pc', luks('vda', 'virtio', 'vda.vmdk', 'vmdk'), '', 'qemu', '1'),
    'invalid-disk-encryption-qcow': ('pc', luks('vda', 'virtio', 'vda.qcow2', 'qcow2',
                                                encfmt='qcow'), '', 'qemu', '1'),
    'invalid-machine': ('pc-i440fx-1.0-nope', '', '', 'qemu', '1'),
    'invalid-too-many-vcpus': ('pc', '', '', 'qemu', '300'),
    'invalid-q35-too-many-vcpus': ('q35', '', '', 'qemu', '289'),
    'invalid-dup-pci-address': ('pc', vda(extra="<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>") +
                                net(model='virtio', extra="<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>"),
                                '', 'qemu', '1'),
    'invalid-pci-bus-missing': ('pc', vda(extra="<address type='pci' domain='0x0000' bus='0x03' slot='0x05' function='0x0'/>"),
                                '', 'qemu', '1'),
    'invalid-net-model': ('pc', net(model='ne2k_isa_nope'), '', 'qemu', '1'),
    'invalid-cpu-model': ('pc', '', "<cpu mode='custom'><model>NoSuchCPU</model></cpu>", 'qemu', '1'),
    'invalid-host-passthrough-tcg': ('pc', '', "<cpu mode='host-passthrough'/>", 'qemu', '1'),
    'invalid-ide-on-q35': ('q35', disk('hda', 'ide', T + '/hda.raw', fmt='raw'), '', 'qemu', '1'),
    'invalid-usb-disabled': ('pc', NOUSB + "<input type='tablet' bus='usb'/>", '', 'qemu', '1'),
    'invalid-video-vmvga': ('pc', "<video><model type='vmvga'/></video>", '', 'qemu', '1'),
    'invalid-virtiofs-no-shared': ('q35', "<filesystem type='mount' accessmode='passthrough'><driver type='virtiofs'/>"
                                   "<source dir='%s/share'/><target dir='vfs'/></filesystem>" % T, '', 'qemu', '1'),
    'invalid-dup-virtio-serial-port': ('pc', "<channel type='pty'><target type='virtio' name='a'/><address type='virtio-serial' controller='0' bus='0' port='2'/></channel>"
                                       "<channel type='pty'><target type='virtio' name='b'/><address type='virtio-serial' controller='0' bus='0' port='2'/></channel>",
                                       '', 'qemu', '1'),
    'invalid-pcie-root-port-on-pc': ('pc', "<controller type='pci' index='1' model='pcie-root-port'/>", '', 'qemu', '1'),
    'invalid-arch': ('pc', '', '', 'qemu', '1'),
}


def doc(name, machine, devices, top, virt, vcpu, mem, os_extra='', arch='x86_64'):
    u = uuid.uuid5(uuid.NAMESPACE_URL, 'modvirt-test:' + name)
    ns = " xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'" if 'qemu:' in top else ''
    mach = " machine='%s'" % machine if machine else ''
    dname = name if name.find('name-comma') < 0 else name + ',with,commas'
    return ("<domain type='%s'%s>\n  <name>%s</name>\n  <uuid>%s</uuid>\n"
            "  <memory unit='MiB'>%s</memory>\n  <vcpu%s>%s</vcpu>\n"
            "  <os>\n    <type arch='%s'%s>hvm</type>%s\n  </os>\n  %s\n"
            "  <devices>\n    %s\n  </devices>\n</domain>\n"
            % (virt, ns, dname, u, mem, " current='2'" if 'vcpu-current' in name else '', vcpu, arch, mach, os_extra, top, devices))


out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
for name, (machine, devices, top, virt, vcpu, mem, os_extra) in C.items():
    if name.endswith('memory-odd-size'):
        text = doc(name, machine, devices, top, virt, vcpu, 1, os_extra).replace(
            "<memory unit='MiB'>1</memory>", "<memory unit='KiB'>307713</memory>")
    else:
        text = doc(name, machine, devices, top, virt, vcpu, mem, os_extra)
    open(os.path.join(out, name + '.xml'), 'w').write(text)
for name, (machine, devices, top, virt, vcpu) in I.items():
    text = doc(name, machine, devices, top, virt, vcpu, 256,
               arch='aarch64' if name == 'invalid-arch' else 'x86_64')
    open(os.path.join(out, name + '.xml'), 'w').write(text)
print('%d cases, %d invalid' % (len(C), len(I)))
