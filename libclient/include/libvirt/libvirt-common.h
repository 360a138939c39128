/*
 * libvirt-common.h: the handle types and helpers shared by every area of the
 * modvirt client API.  Names follow libvirt's public API so that programs
 * written against libvirt compile against modvirt.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef LIBVIRT_COMMON_H
#define LIBVIRT_COMMON_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef VIR_DEPRECATED
# define VIR_DEPRECATED __attribute__((__deprecated__))
#endif

#define VIR_UUID_BUFLEN 16
#define VIR_UUID_STRING_BUFLEN (36 + 1)

typedef struct _virConnect virConnect;
typedef virConnect *virConnectPtr;
typedef struct _virDomain virDomain;
typedef virDomain *virDomainPtr;
typedef struct _virNetwork virNetwork;
typedef virNetwork *virNetworkPtr;
typedef struct _virSecret virSecret;
typedef virSecret *virSecretPtr;

/* Called to release the opaque data handed to a callback registration. */
typedef void (*virFreeCallback)(void *opaque);

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_COMMON_H */
