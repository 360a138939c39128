/*
 * domain_conf_priv: what domain_conf.c (top-level elements) and
 * domain_devices_conf.c (the <devices> section) share, and nobody else
 * uses: the strict-coverage check, tristate readers and the device
 * section's parse, post-parse, format and free entry points.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "domain_conf.h"
#include "mv_buf.h"
#include "mv_xml.h"

/* Refuses any attribute of @node not in @attrs and any element child not in
 * @children (both NULL-terminated, either may be NULL for "none") with
 * VIR_ERR_CONFIG_UNSUPPORTED naming the item, its element and line.
 * Returns 0 or -1 (reported). */
int mvDomainCheckNode(const xmlNode *node, const char * const *attrs,
                      const char * const *children);

/* Reads a yes/no (or, with @onoff, on/off) attribute into an mvTristate.
 * Returns 0 or -1 (reported). */
int mvDomainPropTristate(const xmlNode *node, const char *name, bool onoff, int *value);
/* "yes"/"no" or "on"/"off" for a set tristate. */
const char *mvDomainTristateString(int value, bool onoff);
/* Reads attribute @name as a string, NULL when absent. */
char *mvDomainProp(const xmlNode *node, const char *name);
/* Reads a non-negative int attribute; @value stays as is when absent.
 * Returns 0 or -1 (reported). */
int mvDomainPropInt(const xmlNode *node, const char *name, int *value);

/* The children every device may carry besides its own. */
#define MV_DEVICE_INFO_CHILDREN "address", "alias", "boot"

/* A child buffer: its lines get two more spaces than @buf's when added
 * to @buf (mvBufAdd indents every line start). */
#define MV_CHILD_BUF(buf) { NULL, 2 }

/* Reads <boot order> (refused unless @bootable), <alias> (kept only with
 * MV_DOMAIN_DEF_PARSE_LIVE) and <address> of device element @node.
 * Returns 0 or -1 (reported). */
int mvDomainDeviceInfoParse(const xmlNode *node, mvDomainDeviceInfo *info, unsigned int flags,
                            bool bootable);
/* Formats <boot>, <alias> (with MV_DOMAIN_DEF_FORMAT_LIVE) and <address>. */
void mvDomainDeviceInfoFormat(mvBuf *buf, const mvDomainDeviceInfo *info, unsigned int flags);
/* Frees what @info owns. */
void mvDomainDeviceInfoClear(mvDomainDeviceInfo *info);
/* Writes @head (an opening tag without its '>'), then either "/>" when
 * @body is empty or ">", @body and the closing tag of @name; resets @body. */
void mvDomainFormatElement(mvBuf *buf, const char *name, const char *head, mvBuf *body);

/* Parses the children of <devices>.  Returns 0 or -1 (reported). */
int mvDomainDevicesParse(xmlNode *devices, mvDomainDef *def, unsigned int flags);
/* Generic post-parse steps of devices (MACs, disk buses, console mirror of
 * the first serial, serial ports).  Returns 0 or -1 (reported). */
int mvDomainDevicesPostParse(mvDomainDef *def);
/* Formats the <devices> section. */
void mvDomainDevicesFormat(mvBuf *buf, const mvDomainDef *def, unsigned int flags);
/* Creates the device arrays of a new definition. */
void mvDomainDevicesInit(mvDomainDef *def);
/* Frees the devices of @def. */
void mvDomainDevicesClear(mvDomainDef *def);

/* domain_devices_extra_conf.c: <hostdev>, <filesystem>, <tpm>, <sound>,
 * <shmem>, <vsock>. */
#define MV_DOMAIN_EXTRA_DEVICES "hostdev*", "filesystem*", "tpm*", "sound*", "shmem*", "vsock*"
/* Whether @name is one of MV_DOMAIN_EXTRA_DEVICES. */
#define MV_DOMAIN_IS_EXTRA_DEVICE(name) \
    (strcmp((name), "hostdev") == 0 || strcmp((name), "filesystem") == 0 || \
     strcmp((name), "tpm") == 0 || strcmp((name), "sound") == 0 || \
     strcmp((name), "shmem") == 0 || strcmp((name), "vsock") == 0)
/* Where libvirt's device order puts them. */
typedef enum {
    MV_DOMAIN_EXTRA_AFTER_CONTROLLERS,  /* filesystems */
    MV_DOMAIN_EXTRA_AFTER_INPUTS,       /* tpms */
    MV_DOMAIN_EXTRA_AFTER_GRAPHICS,     /* sounds */
    MV_DOMAIN_EXTRA_AFTER_VIDEOS,       /* hostdevs */
    MV_DOMAIN_EXTRA_AFTER_PANICS,       /* shmems, vsock */
} mvDomainExtraPlace;
void mvDomainExtraDevicesInit(mvDomainDef *def);
/* Post-parse steps of these devices (libvirt's QEMU defaults, references
 * to <audio> ids).  Returns 0 or -1 (reported). */
int mvDomainExtraDevicesPostParse(mvDomainDef *def);
void mvDomainExtraDevicesClear(mvDomainDef *def);
/* Parses device element @n (one of MV_DOMAIN_EXTRA_DEVICES) into @def.
 * Returns 0 or -1 (reported). */
int mvDomainExtraDeviceParse(const xmlNode *n, mvDomainDef *def, unsigned int flags);
/* Formats the devices that go at @place. */
void mvDomainExtraDevicesFormat(mvBuf *buf, const mvDomainDef *def, unsigned int flags,
                                mvDomainExtraPlace place);
/* A disk's <iotune> @node into @tune, with libvirt's checks (and the QEMU
 * driver's limit).  Returns 0 or -1 (reported). */
int mvDomainDiskIotuneParse(const xmlNode *node, mvDomainDiskIotune *tune);
/* <iotune> of @tune, nothing when no limit is set. */
void mvDomainDiskIotuneFormat(mvBuf *buf, const mvDomainDiskIotune *tune);

/* Text of @node's child @name, NULL when absent or empty. */
char *mvDomainChildText(const xmlNode *node, const char *name);
/* Refuses attributes and children of @root's text-only child @name.
 * Returns 0 or -1 (reported). */
int mvDomainCheckLeaf(const xmlNode *root, const char *name);
/* Parses a CPU or node list ("0-3,^2,8") in attribute @attr of @node into
 * a canonical range list.  Returns it, or NULL (VIR_ERR_INVALID_ARG). */
char *mvDomainCPUSetCanon(const xmlNode *node, const char *attr, const char *str);

/* domain_conf_cpu.c: <features>, <cpu>, <clock>, <pm>.  Each parser
 * returns 0 or -1 (reported); each formatter writes nothing when absent. */
int mvDomainDefParseFeatures(xmlNode *root, mvDomainDef *def);
int mvDomainDefParseCPU(xmlNode *root, mvDomainDef *def);
int mvDomainDefParseClock(xmlNode *root, mvDomainDef *def);
int mvDomainDefParsePM(xmlNode *root, mvDomainDef *def);
void mvDomainDefFormatFeatures(mvBuf *buf, const mvDomainDef *def);
void mvDomainDefFormatCPU(mvBuf *buf, const mvDomainDef *def);
void mvDomainDefFormatClock(mvBuf *buf, const mvDomainDef *def);
void mvDomainDefFormatPM(mvBuf *buf, const mvDomainDef *def);
/* Free what the <cpu> and <clock> sections own. */
void mvCPUClear(mvCPUDef *cpu);
void mvDomainClockClear(mvDomainClockDef *clock);

/* domain_conf_tune.c: <memoryBacking>, <iothreads>, <cputune>, <resource>
 * and <seclabel>.  The parser needs <vcpu> read first; the post-parse step
 * needs the <cpu> NUMA cells.  Both return 0 or -1 (reported). */
int mvDomainDefParseTune(xmlNode *root, mvDomainDef *def, unsigned int flags);
int mvDomainDefPostParseTune(mvDomainDef *def);
void mvDomainDefFormatMemoryBacking(mvBuf *buf, const mvDomainDef *def);
/* <iothreads> and <cputune>, which follow <vcpu>. */
void mvDomainDefFormatCputune(mvBuf *buf, const mvDomainDef *def);
void mvDomainDefFormatResource(mvBuf *buf, const mvDomainDef *def);
/* Runtime labels only with MV_DOMAIN_DEF_FORMAT_LIVE. */
void mvDomainDefFormatSecLabels(mvBuf *buf, const mvDomainDef *def, unsigned int flags);
void mvDomainTuneClear(mvDomainDef *def);

/* domain_controller_conf.c: <controller> elements. */
void mvDomainControllerDefFree(gpointer p);
mvDomainControllerDef *mvDomainControllerParse(const xmlNode *n, unsigned int flags);
/* libvirt's USB rules: a master for every companion, nothing beside model none. */
int mvDomainControllersCheckUSB(const mvDomainDef *def);
void mvDomainControllerFormat(mvBuf *buf, const mvDomainControllerDef *ctrl,
                              unsigned int flags);
/* Gives controllers written without an index libvirt's index. */
void mvDomainControllersAssignIndexes(mvDomainDef *def);
