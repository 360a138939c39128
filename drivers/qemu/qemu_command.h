/*
 * qemu_command: a domain definition turned into QEMU's command line.
 *
 * The argv is a pure function of the definition, the binary's
 * capabilities and a few per-start facts (the monitor socket, the
 * per-domain directories, file descriptors the driver opened): no I/O and
 * no global state, so the same inputs always give the same argv and golden
 * files can test it.  The syntax is the one libvirt 9.0 uses with QEMU 7.2:
 * JSON for -device, -object, -blockdev, -netdev and -audiodev, key=value
 * elsewhere, commas in key=value values doubled.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "domain_conf.h"
#include "qemu_caps.h"

typedef struct {
    int monitorFD;            /* listening socket fd for QMP, or -1 to use monitorPath */
    const char *monitorPath;  /* used when monitorFD < 0 (domxml-to-native) */
    const char *libDir;       /* per-domain state dir (nvram, ...): e.g.
                               * /var/lib/libvirt/qemu/domain-1-NAME; also holds the
                               * sockets of virtio channels without a path, virtiofs
                               * and the TPM emulator */
    const char *runDir;       /* per-domain run dir (chardev sockets) */
    bool migratable;          /* reserved */
    /* File descriptors the driver opened and passes to QEMU; a value <= 0
     * means "none" (so a zeroed struct asks for none).  tapFDs[i] belongs to
     * the i-th <interface>: with one, the netdev is "tap" with "fd";
     * without, a tap named by <target dev> (or vnetI) that QEMU opens
     * itself. */
    const int *tapFDs;
    size_t ntapFDs;
    int vsockFD;              /* /dev/vhost-vsock, passed as vhostfd */
    /* Directory holding the secret files of encrypted disks (written by
     * qemuSecretsPrepare before the start); NULL means libDir. */
    const char *secretDir;
} mvQemuCommandOptions;

/* Aliases libvirt gives devices at start (virtio-disk0, ide0-0-0, net0,
 * serial0, channel0, video0, input0, balloon0, pci.1, usb, sound0, rng0,
 * ...), for devices without one.  Returns 0 (never fails today; -1 with an
 * error is reserved). */
int mvQemuAssignAliases(mvDomainDef *def);

/* The argv (NULL-terminated, argv[0] = the emulator; free with g_strfreev)
 * of @def, which must have been through mvQemuDomainPostParse, or NULL with
 * an error reported (VIR_ERR_CONFIG_UNSUPPORTED for what cannot be
 * expressed, VIR_ERR_INTERNAL_ERROR for a definition that skipped
 * post-parse). */
char **mvQemuBuildCommandLine(const mvDomainDef *def, const mvQemuCaps *caps,
                              const mvQemuCommandOptions *opts);

/* The file QEMU reads the passphrase of encrypted disk @disk from
 * (base64): "<dir>/<alias>-secret0", with the disk's alias as
 * mvQemuAssignAliases gives it.  The argv builder and the driver code that
 * writes the file both name it through this function.  Free with g_free. */
char *mvQemuDiskSecretPath(const mvDomainDef *def, const mvDomainDiskDef *disk,
                           const char *dir);

/* Appends @value to @buf with every ',' doubled, as QEMU's key=value
 * parser needs. */
void mvQemuBufEscapeComma(GString *buf, const char *value);
