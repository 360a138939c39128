/*
 * libvirt-secret.h: secrets (passphrases, keys) kept by virtsecretd.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef LIBVIRT_SECRET_H
#define LIBVIRT_SECRET_H

#include <libvirt/libvirt-common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    VIR_SECRET_USAGE_TYPE_NONE = 0,
    VIR_SECRET_USAGE_TYPE_VOLUME = 1,
    VIR_SECRET_USAGE_TYPE_CEPH = 2,
    VIR_SECRET_USAGE_TYPE_ISCSI = 3,
    VIR_SECRET_USAGE_TYPE_TLS = 4,
    VIR_SECRET_USAGE_TYPE_VTPM = 5,
#ifdef VIR_ENUM_SENTINELS
    VIR_SECRET_USAGE_TYPE_LAST
#endif
} virSecretUsageType;

typedef enum {
    VIR_CONNECT_LIST_SECRETS_EPHEMERAL = 1 << 0,
    VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL = 1 << 1,
    VIR_CONNECT_LIST_SECRETS_PRIVATE = 1 << 2,
    VIR_CONNECT_LIST_SECRETS_NO_PRIVATE = 1 << 3,
} virConnectListAllSecretsFlags;

typedef enum {
    VIR_SECRET_DEFINE_VALIDATE = 1 << 0,
} virSecretDefineFlags;

typedef enum {
    VIR_SECRET_EVENT_ID_LIFECYCLE = 0,
    VIR_SECRET_EVENT_ID_VALUE_CHANGED = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_SECRET_EVENT_ID_LAST
#endif
} virSecretEventID;

typedef enum {
    VIR_SECRET_EVENT_DEFINED = 0,
    VIR_SECRET_EVENT_UNDEFINED = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_SECRET_EVENT_LAST
#endif
} virSecretEventLifecycleType;

typedef void (*virConnectSecretEventGenericCallback)(virConnectPtr conn,
                                                     virSecretPtr secret,
                                                     void *opaque);
typedef void (*virConnectSecretEventLifecycleCallback)(virConnectPtr conn,
                                                       virSecretPtr secret,
                                                       int event,
                                                       int detail,
                                                       void *opaque);
/* The detour through void (*)(void) keeps -Wcast-function-type quiet. */
#define VIR_SECRET_EVENT_CALLBACK(cb) \
    ((virConnectSecretEventGenericCallback)(void (*)(void))(cb))

virConnectPtr virSecretGetConnect(virSecretPtr secret);
int virConnectNumOfSecrets(virConnectPtr conn);
int virConnectListSecrets(virConnectPtr conn, char **uuids, int maxuuids);
int virConnectListAllSecrets(virConnectPtr conn, virSecretPtr **secrets,
                             unsigned int flags);
virSecretPtr virSecretLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virSecretPtr virSecretLookupByUUIDString(virConnectPtr conn, const char *uuid);
virSecretPtr virSecretLookupByUsage(virConnectPtr conn, int usageType,
                                    const char *usageID);
virSecretPtr virSecretDefineXML(virConnectPtr conn, const char *xml,
                                unsigned int flags);
int virSecretGetUUID(virSecretPtr secret, unsigned char *buf);
int virSecretGetUUIDString(virSecretPtr secret, char *buf);
int virSecretGetUsageType(virSecretPtr secret);
const char *virSecretGetUsageID(virSecretPtr secret);
char *virSecretGetXMLDesc(virSecretPtr secret, unsigned int flags);
int virSecretSetValue(virSecretPtr secret, const unsigned char *value,
                      size_t value_size, unsigned int flags);
unsigned char *virSecretGetValue(virSecretPtr secret, size_t *value_size,
                                 unsigned int flags);
int virSecretUndefine(virSecretPtr secret);
int virSecretRef(virSecretPtr secret);
int virSecretFree(virSecretPtr secret);

int virConnectSecretEventRegisterAny(virConnectPtr conn, virSecretPtr secret,
                                     int eventID,
                                     virConnectSecretEventGenericCallback cb,
                                     void *opaque, virFreeCallback freecb);
int virConnectSecretEventDeregisterAny(virConnectPtr conn, int callbackID);

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_SECRET_H */
