/*
 * client_secret: the public secret API (libvirt-secret.h) and the secret
 * handle objects.
 *
 * Each entry point resets the thread's error, checks its arguments the way
 * libvirt does (invalid connection, read-only denial, NULL arguments, each
 * with libvirt's wording), then calls the secret table of the connection's
 * driver; a missing table or function is VIR_ERR_NO_SUPPORT naming the API.
 * On failure the error is dispatched (copied to the connection and passed to
 * the error function).  Handles hold a reference on their connection and are
 * reference counted with atomic operations; they are immutable otherwise.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_error.h"
#include "mv_uuid.h"
#include "client_internal.h"

#define MV_FROM_THIS VIR_FROM_SECRET

virSecretPtr
mvGetSecret(virConnectPtr conn, const unsigned char *uuid, int usageType,
            const char *usageID)
{
    virSecretPtr secret = g_new0(virSecret, 1);

    secret->refs = 1;
    secret->conn = mvConnectRefInternal(conn);
    memcpy(secret->uuid, uuid, VIR_UUID_BUFLEN);
    secret->usageType = usageType;
    secret->usageID = g_strdup(usageID ? usageID : "");
    return secret;
}

void
mvSecretUnref(virSecretPtr secret)
{
    if (g_atomic_int_add(&secret->refs, -1) != 1)
        return;
    mvConnectUnref(secret->conn);
    g_free(secret->usageID);
    g_free(secret);
}

#define SECRET_FAIL(conn, retval) \
    do { \
        mvDispatchError(conn); \
        return retval; \
    } while (0)

#define SECRET_CHECK_CONN(conn, retval) \
    do { \
        virResetLastError(); \
        if (!(conn)) { \
            mvReportInvalidConn(MV_FROM_THIS, __func__); \
            SECRET_FAIL(NULL, retval); \
        } \
    } while (0)

#define SECRET_CHECK_SECRET(secret, retval) \
    do { \
        virResetLastError(); \
        if (!(secret) || !(secret)->conn) { \
            mvReportError(VIR_ERR_INVALID_SECRET, "%s", __func__); \
            SECRET_FAIL(NULL, retval); \
        } \
    } while (0)

#define SECRET_CHECK_NONNULL(conn, arg, retval) \
    do { \
        if (!(arg)) { \
            mvReportNonNullArg(MV_FROM_THIS, __func__, #arg); \
            SECRET_FAIL(conn, retval); \
        } \
    } while (0)

#define SECRET_CHECK_READONLY(conn, retval) \
    do { \
        if ((conn)->flags & VIR_CONNECT_RO) { \
            mvReportReadOnly(MV_FROM_THIS, __func__); \
            SECRET_FAIL(conn, retval); \
        } \
    } while (0)

/* Evaluates to the driver function @fn or reports NO_SUPPORT and returns. */
#define SECRET_DRIVER_FN(conn, fn, retval) \
    ({ \
        const mvSecretDriver *_sd = (conn)->driver ? (conn)->driver->secretDriver : NULL; \
        if (!_sd || !_sd->fn) { \
            mvReportUnsupported(MV_FROM_THIS, __func__); \
            SECRET_FAIL(conn, retval); \
        } \
        _sd->fn; \
    })

virConnectPtr
virSecretGetConnect(virSecretPtr secret)
{
    SECRET_CHECK_SECRET(secret, NULL);
    return secret->conn;
}

int
virConnectNumOfSecrets(virConnectPtr conn)
{
    int ret;

    SECRET_CHECK_CONN(conn, -1);
    ret = SECRET_DRIVER_FN(conn, connectNumOfSecrets, -1)(conn);
    if (ret < 0)
        SECRET_FAIL(conn, -1);
    return ret;
}

int
virConnectListSecrets(virConnectPtr conn, char **uuids, int maxuuids)
{
    int ret;

    SECRET_CHECK_CONN(conn, -1);
    SECRET_CHECK_NONNULL(conn, uuids, -1);
    if (maxuuids < 0) {
        mvReportNonNegativeArg(MV_FROM_THIS, __func__, "maxuuids");
        SECRET_FAIL(conn, -1);
    }
    ret = SECRET_DRIVER_FN(conn, connectListSecrets, -1)(conn, uuids, maxuuids);
    if (ret < 0)
        SECRET_FAIL(conn, -1);
    return ret;
}

int
virConnectListAllSecrets(virConnectPtr conn, virSecretPtr **secrets, unsigned int flags)
{
    int ret;

    if (secrets)
        *secrets = NULL;
    SECRET_CHECK_CONN(conn, -1);
    ret = SECRET_DRIVER_FN(conn, connectListAllSecrets, -1)(conn, secrets, flags);
    if (ret < 0)
        SECRET_FAIL(conn, -1);
    return ret;
}

virSecretPtr
virSecretLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virSecretPtr ret;

    SECRET_CHECK_CONN(conn, NULL);
    SECRET_CHECK_NONNULL(conn, uuid, NULL);
    ret = SECRET_DRIVER_FN(conn, secretLookupByUUID, NULL)(conn, uuid);
    if (!ret)
        SECRET_FAIL(conn, NULL);
    return ret;
}

virSecretPtr
virSecretLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    SECRET_CHECK_CONN(conn, NULL);
    SECRET_CHECK_NONNULL(conn, uuidstr, NULL);
    if (mvUUIDParse(uuidstr, uuid) < 0) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                               "uuidstr in %s must be a valid UUID", __func__);
        SECRET_FAIL(conn, NULL);
    }
    return virSecretLookupByUUID(conn, uuid);
}

virSecretPtr
virSecretLookupByUsage(virConnectPtr conn, int usageType, const char *usageID)
{
    virSecretPtr ret;

    SECRET_CHECK_CONN(conn, NULL);
    SECRET_CHECK_NONNULL(conn, usageID, NULL);
    ret = SECRET_DRIVER_FN(conn, secretLookupByUsage, NULL)(conn, usageType, usageID);
    if (!ret)
        SECRET_FAIL(conn, NULL);
    return ret;
}

virSecretPtr
virSecretDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    virSecretPtr ret;

    SECRET_CHECK_CONN(conn, NULL);
    SECRET_CHECK_READONLY(conn, NULL);
    SECRET_CHECK_NONNULL(conn, xml, NULL);
    ret = SECRET_DRIVER_FN(conn, secretDefineXML, NULL)(conn, xml, flags);
    if (!ret)
        SECRET_FAIL(conn, NULL);
    return ret;
}

int
virSecretGetUUID(virSecretPtr secret, unsigned char *uuid)
{
    SECRET_CHECK_SECRET(secret, -1);
    SECRET_CHECK_NONNULL(secret->conn, uuid, -1);
    memcpy(uuid, secret->uuid, VIR_UUID_BUFLEN);
    return 0;
}

int
virSecretGetUUIDString(virSecretPtr secret, char *buf)
{
    SECRET_CHECK_SECRET(secret, -1);
    SECRET_CHECK_NONNULL(secret->conn, buf, -1);
    mvUUIDFormat(secret->uuid, buf);
    return 0;
}

int
virSecretGetUsageType(virSecretPtr secret)
{
    SECRET_CHECK_SECRET(secret, -1);
    return secret->usageType;
}

const char *
virSecretGetUsageID(virSecretPtr secret)
{
    SECRET_CHECK_SECRET(secret, NULL);
    return secret->usageID;
}

char *
virSecretGetXMLDesc(virSecretPtr secret, unsigned int flags)
{
    virConnectPtr conn;
    char *ret;

    SECRET_CHECK_SECRET(secret, NULL);
    conn = secret->conn;
    ret = SECRET_DRIVER_FN(conn, secretGetXMLDesc, NULL)(secret, flags);
    if (!ret)
        SECRET_FAIL(conn, NULL);
    return ret;
}

int
virSecretSetValue(virSecretPtr secret, const unsigned char *value,
                  size_t value_size, unsigned int flags)
{
    virConnectPtr conn;

    SECRET_CHECK_SECRET(secret, -1);
    conn = secret->conn;
    SECRET_CHECK_READONLY(conn, -1);
    SECRET_CHECK_NONNULL(conn, value, -1);
    if (SECRET_DRIVER_FN(conn, secretSetValue, -1)(secret, value, value_size, flags) < 0)
        SECRET_FAIL(conn, -1);
    return 0;
}

unsigned char *
virSecretGetValue(virSecretPtr secret, size_t *value_size, unsigned int flags)
{
    virConnectPtr conn;
    unsigned char *ret;

    SECRET_CHECK_SECRET(secret, NULL);
    conn = secret->conn;
    SECRET_CHECK_READONLY(conn, NULL);
    SECRET_CHECK_NONNULL(conn, value_size, NULL);
    /* The public API never asks for the internal-call privilege. */
    ret = SECRET_DRIVER_FN(conn, secretGetValue, NULL)(secret, value_size, flags, 0);
    if (!ret)
        SECRET_FAIL(conn, NULL);
    return ret;
}

unsigned char *
mvSecretGetValueInternal(virSecretPtr secret, size_t *size)
{
    const mvSecretDriver *sd;

    if (!secret || !secret->conn || !size) {
        mvReportError(VIR_ERR_INVALID_ARG, "missing secret or size in %s", __func__);
        return NULL;
    }
    sd = secret->conn->driver ? secret->conn->driver->secretDriver : NULL;
    if (!sd || !sd->secretGetValue) {
        mvReportUnsupported(MV_FROM_THIS, "virSecretGetValue");
        return NULL;
    }
    return sd->secretGetValue(secret, size, 0, MV_SECRET_GET_VALUE_INTERNAL_CALL);
}

int
virSecretUndefine(virSecretPtr secret)
{
    virConnectPtr conn;

    SECRET_CHECK_SECRET(secret, -1);
    conn = secret->conn;
    SECRET_CHECK_READONLY(conn, -1);
    if (SECRET_DRIVER_FN(conn, secretUndefine, -1)(secret) < 0)
        SECRET_FAIL(conn, -1);
    return 0;
}

int
virSecretRef(virSecretPtr secret)
{
    SECRET_CHECK_SECRET(secret, -1);
    g_atomic_int_inc(&secret->refs);
    return 0;
}

int
virSecretFree(virSecretPtr secret)
{
    SECRET_CHECK_SECRET(secret, -1);
    mvSecretUnref(secret);
    return 0;
}

int
virConnectSecretEventRegisterAny(virConnectPtr conn, virSecretPtr secret, int eventID,
                                 virConnectSecretEventGenericCallback cb,
                                 void *opaque, virFreeCallback freecb)
{
    int ret;

    SECRET_CHECK_CONN(conn, -1);
    if (secret) {
        if (!secret->conn) {
            mvReportError(VIR_ERR_INVALID_SECRET, "%s", __func__);
            SECRET_FAIL(conn, -1);
        }
        if (secret->conn != conn) {
            char uuidstr[VIR_UUID_STRING_BUFLEN];

            mvUUIDFormat(secret->uuid, uuidstr);
            mvReportError(VIR_ERR_INVALID_ARG,
                          "secret '%s' in %s must match connection", uuidstr, __func__);
            SECRET_FAIL(conn, -1);
        }
    }
    SECRET_CHECK_NONNULL(conn, cb, -1);
    if (eventID < 0) {
        mvReportNonNegativeArg(MV_FROM_THIS, __func__, "eventID");
        SECRET_FAIL(conn, -1);
    }
    if (eventID >= VIR_SECRET_EVENT_ID_VALUE_CHANGED + 1) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                               "eventID in %s must be less than %d",
                      __func__, VIR_SECRET_EVENT_ID_VALUE_CHANGED + 1);
        SECRET_FAIL(conn, -1);
    }
    ret = SECRET_DRIVER_FN(conn, connectSecretEventRegisterAny, -1)(conn, secret, eventID,
                                                                   cb, opaque, freecb);
    if (ret < 0)
        SECRET_FAIL(conn, -1);
    return ret;
}

int
virConnectSecretEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    SECRET_CHECK_CONN(conn, -1);
    if (callbackID < 0) {
        mvReportNonNegativeArg(MV_FROM_THIS, __func__, "callbackID");
        SECRET_FAIL(conn, -1);
    }
    if (SECRET_DRIVER_FN(conn, connectSecretEventDeregisterAny, -1)(conn, callbackID) < 0)
        SECRET_FAIL(conn, -1);
    return 0;
}
