/*
 * qemu_command_priv: what qemu_command.c (machine-wide options) and
 * qemu_command_devices.c (devices) share: an argv under construction and a
 * small JSON object writer that keeps keys in the order they are added
 * (libvirt's order, which the golden files pin).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "qemu_command.h"

typedef struct {
    GPtrArray *args;            /* char*, owned */
} qemuCmd;

typedef struct {
    GString *s;
    unsigned int n;             /* members written so far */
} qemuJSON;

qemuJSON *qemuJSONNew(void);
void qemuJSONStr(qemuJSON *j, const char *key, const char *value);
void qemuJSONInt(qemuJSON *j, const char *key, long long value);
void qemuJSONUInt(qemuJSON *j, const char *key, unsigned long long value);
void qemuJSONBool(qemuJSON *j, const char *key, bool value);
void qemuJSONRaw(qemuJSON *j, const char *key, const char *raw);
/* Adds @child as the value of @key; @child is consumed. */
void qemuJSONObj(qemuJSON *j, const char *key, qemuJSON *child);
/* Closes @j and returns its text; @j is consumed. */
char *qemuJSONEnd(qemuJSON *j);

void qemuCmdAdd(qemuCmd *cmd, const char *arg);
void qemuCmdAddPair(qemuCmd *cmd, const char *opt, const char *arg);
void qemuCmdAddFormat(qemuCmd *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Adds @opt and the text of @j (consumed). */
void qemuCmdAddJSON(qemuCmd *cmd, const char *opt, qemuJSON *j);

/* Everything from the controllers to the end (devices, sandbox, -msg).
 * Returns 0 or -1 (reported). */
int qemuBuildDevices(qemuCmd *cmd, const mvDomainDef *def, const mvQemuCaps *caps,
                     const mvQemuCommandOptions *opts);

/* ---- between qemu_command_devices.c and qemu_command_disks.c ---- */

/* The id of a device: its alias, or @fallback (consumed) when it has none. */
char *qemuId(const mvDomainDeviceInfo *info, char *fallback);
/* "bus", "multifunction" and "addr" of a PCI device, "bus" and "port" of a
 * USB one; nothing for others. */
void qemuJSONAddress(qemuJSON *j, const mvDomainDef *def, const mvDomainDeviceInfo *info);
/* libvirt's alias of disk @d (virtio-disk0, ide0-0-0, scsi0-0-0-0, ...). */
char *qemuDiskAlias(const mvDomainDef *def, const mvDomainDiskDef *d);

/* Boot indexes: per-device <boot order>, or os/boot devices mapped onto
 * the first device of each kind, as libvirt does. */
typedef struct {
    const void *dev;
    unsigned int index;
} qemuBootEntry;
/* The os/boot mapping of @def (qemuBootEntry each; g_array_unref). */
GArray *qemuBootOrder(const mvDomainDef *def);
/* The boot index of device @dev with @info, 0 for none. */
unsigned int qemuBootIndexOf(const GArray *boot, const void *dev,
                             const mvDomainDeviceInfo *info);
/* -blockdev/-device of every disk; -fsdev or vhost-user-fs of every
 * filesystem.  Return 0 or -1 (reported). */
int qemuBuildDisks(qemuCmd *cmd, const mvDomainDef *def, const GArray *boot);
/* qemuBuildDisks with the per-start options, which encrypted disks need
 * (the directory of their secret files); qemuBuildDisks is this with
 * @opts NULL, which refuses encrypted disks. */
int qemuBuildDisksWithOptions(qemuCmd *cmd, const mvDomainDef *def, const GArray *boot,
                              const mvQemuCommandOptions *opts);
int qemuBuildFilesystems(qemuCmd *cmd, const mvDomainDef *def,
                         const mvQemuCommandOptions *opts);
