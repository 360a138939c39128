/*
 * qemu_caps: what one QEMU binary can do, as the QEMU driver sees it.
 *
 * An mvQemuCaps is filled either by probing the binary over QMP
 * (qemu_capabilities_probe.c) or by loading the on-disk cache
 * (qemu_capabilities_cache.c); the argv builder and the driver only read it.
 * Once built it is immutable and may be shared between threads (callers
 * hold a reference).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

typedef struct {
    char *name;             /* "pc-i440fx-7.2" */
    char *alias;            /* "pc", or NULL */
    bool isDefault;         /* QEMU's default machine */
    unsigned int maxCpus;
    bool deprecated;
    char *defaultCPUType;   /* "qemu64-x86_64-cpu", or NULL */
    char *defaultRAMId;     /* "pc.ram", or NULL */
} mvQemuCapsMachine;

typedef struct {
    char *name;             /* "Skylake-Client" */
    char *typeName;         /* "Skylake-Client-x86_64-cpu", or NULL */
    bool usable;            /* no unavailable features under the probed accel */
    bool deprecated;
} mvQemuCapsCPUModel;

typedef struct _mvQemuCaps mvQemuCaps;
struct _mvQemuCaps {
    gint refs;
    char *binary;           /* absolute path */
    char *arch;             /* libvirt arch name: "x86_64", "aarch64", ... */
    unsigned int version;   /* major * 1000000 + minor * 1000 + micro */
    char *package;          /* QEMU's package string, may be "" */

    /* cache key of the binary this was probed from */
    off_t binarySize;
    gint64 binaryMtime;     /* ns */
    gint64 binaryCtime;     /* ns */
    char *probedBy;         /* MV_VERSION of the daemon that probed */

    bool kvm;               /* KVM accelerator usable on this host */
    bool tcg;               /* TCG accelerator built in */

    GPtrArray *machines;    /* mvQemuCapsMachine*, QEMU's order */
    GPtrArray *cpuModels;   /* mvQemuCapsCPUModel*, QEMU's order */
    GHashTable *types;      /* set: every QOM type name (devices, objects, backends) */
    GHashTable *options;    /* set: command-line option names ("blockdev", "audiodev", ...) */
};

mvQemuCaps *mvQemuCapsNew(void);
mvQemuCaps *mvQemuCapsRef(mvQemuCaps *caps);
void mvQemuCapsUnref(mvQemuCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvQemuCaps, mvQemuCapsUnref);

/* Adds a machine / CPU model (the caps take ownership). */
void mvQemuCapsAddMachine(mvQemuCaps *caps, mvQemuCapsMachine *machine);
void mvQemuCapsAddCPUModel(mvQemuCaps *caps, mvQemuCapsCPUModel *model);
void mvQemuCapsMachineFree(mvQemuCapsMachine *machine);
void mvQemuCapsCPUModelFree(mvQemuCapsCPUModel *model);

/* The machine called @name, by its own name or by its alias; NULL if none. */
const mvQemuCapsMachine *mvQemuCapsGetMachine(const mvQemuCaps *caps, const char *name);
/* The default machine (NULL if QEMU declares none). */
const mvQemuCapsMachine *mvQemuCapsGetDefaultMachine(const mvQemuCaps *caps);
/* A QOM type (device, object, backend) this QEMU has. */
bool mvQemuCapsHasType(const mvQemuCaps *caps, const char *type);
/* A command-line option this QEMU accepts ("blockdev", "audiodev", ...). */
bool mvQemuCapsHasOption(const mvQemuCaps *caps, const char *option);
const mvQemuCapsCPUModel *mvQemuCapsGetCPUModel(const mvQemuCaps *caps, const char *name);
