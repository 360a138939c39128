/*
 * qemu_capabilities: finding QEMU binaries, probing them over QMP, caching
 * the result (in memory and on disk), and turning it into the
 * <capabilities> and <domainCapabilities> documents.
 *
 * Three files implement it:
 *  - qemu_capabilities_probe.c: starts one binary with "-machine none",
 *    sends every query in a single write over a socketpair and fills an
 *    mvQemuCaps from the replies;
 *  - qemu_capabilities_cache.c: the lazy cache (nothing is probed before
 *    the first lookup), its JSON on-disk form and the binary search;
 *  - qemu_capabilities_xml.c: the two XML documents and max-vCPU answers.
 *
 * A cache is safe to use from any thread; concurrent lookups of one binary
 * wait for a single probe.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "qemu_caps.h"

/* ---- probing ---- */

/* Probes @binary (absolute path) with a private QEMU process.  @tmpDir is
 * accepted for callers that want sockets there; the probe itself uses a
 * socketpair and needs no file.  Returns new caps (without the cache key
 * fields), or NULL with VIR_ERR_INTERNAL_ERROR quoting QEMU's output. */
mvQemuCaps *mvQemuCapsProbe(const char *binary, const char *tmpDir);

/* How many probes this process has started (for tests). */
unsigned int mvQemuCapsProbeCount(void);
/* Overall time limit of one probe in ms (0: the default, 30 s); for tests. */
void mvQemuCapsProbeSetTimeout(unsigned int ms);

/* libvirt's arch name for a QEMU target name ("i386" -> "i686"); NULL when
 * unknown.  And the reverse, for building qemu-system-<arch> names. */
const char *mvQemuCapsArchFromQEMU(const char *qemuArch);
const char *mvQemuCapsArchToQEMU(const char *arch);
/* The @i-th known libvirt arch in libvirt's enum order; NULL past the end. */
const char *mvQemuCapsArchNth(unsigned int i);
/* Word size of a libvirt arch (32 or 64), 0 when unknown. */
unsigned int mvQemuCapsArchWordSize(const char *arch);
/* libvirt arch name of this host ("x86_64"). */
const char *mvQemuCapsHostArch(void);

/* ---- cache ---- */

typedef struct _mvQemuCapsCache mvQemuCapsCache;

/* @cacheDir: e.g. /var/cache/libvirt/qemu/capabilities (created on first
 * save, 0700).  @tmpDir: where probes may create files.  Never fails. */
mvQemuCapsCache *mvQemuCapsCacheNew(const char *cacheDir, const char *tmpDir);
void mvQemuCapsCacheFree(mvQemuCapsCache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvQemuCapsCache, mvQemuCapsCacheFree);

/* Caps of @binary (absolute path): from memory while the binary's size,
 * mtime and ctime are unchanged, else from the disk cache when its key
 * (path, size, mtime, ctime, daemon version) matches, else probed and saved.
 * Returns a new reference, or NULL with an error reported as libvirt words
 * it (VIR_ERR_SYSTEM_ERROR "Cannot check QEMU binary PATH: No such file or
 * directory" when it is missing, VIR_ERR_INVALID_ARG when it is not an
 * executable file or the path is relative, VIR_ERR_INTERNAL_ERROR quoting
 * QEMU's output when the probe fails). */
mvQemuCaps *mvQemuCapsCacheLookup(mvQemuCapsCache *cache, const char *binary);

/* Caps of the default binary for @arch (NULL: the host's arch).  Returns a
 * new reference, or NULL with VIR_ERR_CONFIG_UNSUPPORTED "unable to find
 * any emulator to serve 'ARCH' architecture" when none is installed (or
 * another error from the lookup). */
mvQemuCaps *mvQemuCapsCacheLookupArch(mvQemuCapsCache *cache, const char *arch);

/* The default binary for @arch (NULL: host arch), or NULL (no error) when
 * none is installed.  Caller frees. */
char *mvQemuCapsFindBinaryForArch(const char *arch);

/* Every qemu-system-<known arch> binary found on $PATH, /usr/bin,
 * /usr/local/bin and /usr/libexec: absolute paths, sorted, no duplicates
 * (the same file reached twice counts once).  Never NULL. */
GPtrArray *mvQemuCapsFindBinaries(void);

/* The JSON form used by the disk cache; round-trips every field.  FromJSON
 * returns NULL with VIR_ERR_INTERNAL_ERROR on malformed input. */
char *mvQemuCapsToJSON(const mvQemuCaps *caps);
mvQemuCaps *mvQemuCapsFromJSON(const char *json);

/* ---- documents ---- */

/* The <capabilities> document (virConnectGetCapabilities): host section
 * from the host and @secModel ("none" when NULL), one <guest> per binary
 * found.  Probes binaries not yet cached.  Returns the XML, or NULL with an
 * error reported. */
char *mvQemuCapsBuildCapabilitiesXML(mvQemuCapsCache *cache, const char *secModel);

/* The <domainCapabilities> document (virConnectGetDomainCapabilities).
 * Any of @emulatorbin, @arch, @machine, @virttype may be NULL: the host
 * arch's binary, its default machine, kvm when usable else qemu.  @flags
 * must be 0.  Returns the XML, or NULL with an error as libvirt words it. */
char *mvQemuCapsBuildDomainCapsXML(mvQemuCapsCache *cache, const char *emulatorbin,
                                   const char *arch, const char *machine,
                                   const char *virttype, unsigned int flags);

/* virConnectGetMaxVcpus with libvirt 9.0's answers: 16 for NULL or "qemu"
 * (any case), KVM's own limit (KVM_CAP_MAX_VCPUS of /dev/kvm) for "kvm",
 * VIR_ERR_INVALID_ARG "unknown type 'X'" otherwise.  (virsh maxvcpus asks
 * domain capabilities first, whose <vcpu max> is the machine's cpu-max.)
 * Returns the count, or -1 with an error. */
int mvQemuCapsGetMaxVcpus(mvQemuCapsCache *cache, const char *virttype);
/* The cpu-max of @machine (name or alias) in @caps; 0 when unknown. */
unsigned int mvQemuCapsGetMachineMaxCpus(const mvQemuCaps *caps, const char *machine);
