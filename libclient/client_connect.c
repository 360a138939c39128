/*
 * client_connect: the connection object, the driver registry and the public
 * connection API (virConnectOpen*, virConnectClose, the connection getters,
 * keepalive and close callbacks).
 *
 * virConnectOpen finds the URI (argument, LIBVIRT_DEFAULT_URI, uri_default
 * of the client config file, else none: the remote driver then lets the
 * daemon choose), offers it to each registered local driver whose schemes
 * include the URI's driver (local URIs only), in registration order, and
 * finally to the remote driver.  Inside a daemon the remote driver declines
 * primary connections, so a daemon never forwards its own clients by
 * accident; mvConnectOpenSecondary() is the explicit way for one daemon to
 * reach another.
 *
 * A virConnect is reference counted with atomic operations on its refs
 * field (handles hold references); the last reference closes the driver.
 * The registry is protected by clientDriverLock; a connection's mutable
 * fields (close callback, lastError) by the connection's lock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <unistd.h>

#include "mv_conf.h"
#include "mv_error.h"
#include "mv_log.h"
#include "client_internal.h"

#define MV_FROM_THIS VIR_FROM_NONE

MV_LOG_INIT("client.connect");

#define CLIENT_MAX_DRIVERS 16

static GMutex clientDriverLock;
static const mvConnectDriver *clientDrivers[CLIENT_MAX_DRIVERS];
static size_t clientNDrivers;
static gint clientInsideDaemon;

int
mvRegisterConnectDriver(const mvConnectDriver *driver)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&clientDriverLock);

    if (clientNDrivers >= CLIENT_MAX_DRIVERS) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "too many drivers, cannot register %s",
                      driver->name);
        return -1;
    }
    clientDrivers[clientNDrivers++] = driver;
    return 0;
}

void
mvSetInsideDaemon(bool inside)
{
    g_atomic_int_set(&clientInsideDaemon, inside ? 1 : 0);
}

bool
mvIsInsideDaemon(void)
{
    return g_atomic_int_get(&clientInsideDaemon) != 0;
}

/* Client configuration (libvirt.conf), read with the same parser as the
 * daemons' files.  A missing or unreadable file, or one with a syntax
 * error, counts as "not set": the client then uses its defaults, and the
 * problem is only logged so it never becomes the caller's error. */
char *
mvClientConfigGetStringFromFile(const char *path, const char *key)
{
    g_autoptr(mvConf) conf = NULL;
    char *value = NULL;

    if (!g_file_test(path, G_FILE_TEST_EXISTS))
        return NULL;
    if (!(conf = mvConfReadFile(path)) || mvConfGetString(conf, key, &value) < 0) {
        MV_DEBUG("ignoring client configuration '%s': %s", path,
                 mvErrorGetLast() ? mvErrorGetLast()->message : "unreadable");
        mvErrorReset();
        return NULL;
    }
    return value;
}

char *
mvClientConfigGetString(const char *key)
{
    g_autofree char *path = NULL;

    if (geteuid() == 0)
        path = g_build_filename(MV_SYSCONFDIR, "libvirt", "libvirt.conf", NULL);
    else
        path = g_build_filename(g_get_user_config_dir(), "libvirt", "libvirt.conf", NULL);
    return mvClientConfigGetStringFromFile(path, key);
}

static gsize clientInitialized;

int
virInitialize(void)
{
    if (g_once_init_enter(&clientInitialized)) {
        mvLogSetFromEnv();
        g_once_init_leave(&clientInitialized, 1);
    }
    return 0;
}

int
virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer)
{
    virInitialize();
    virResetLastError();
    if (!libVer) {
        mvReportNonNullArg(MV_FROM_THIS, __func__, "libVer");
        mvDispatchError(NULL);
        return -1;
    }
    *libVer = MV_LIBVIRT_COMPAT_VERSION_NUMBER;
    if (typeVer)
        *typeVer = MV_LIBVIRT_COMPAT_VERSION_NUMBER;
    return 0;
}

virConnectPtr
mvConnectRefInternal(virConnectPtr conn)
{
    g_atomic_int_inc(&conn->refs);
    return conn;
}

bool
mvConnectTryRef(virConnectPtr conn)
{
    int old;

    do {
        old = g_atomic_int_get(&conn->refs);
        if (old <= 0)
            return false;
    } while (!g_atomic_int_compare_and_exchange(&conn->refs, old, old + 1));
    return true;
}

static void
clientConnectFree(virConnectPtr conn)
{
    MV_DEBUG("freeing connection %p", (void *)conn);
    if (conn->driver && conn->driver->hypervisorDriver &&
        conn->driver->hypervisorDriver->connectClose) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();
        conn->driver->hypervisorDriver->connectClose(conn);
        mvErrorRestore(&saved);
    }
    if (conn->closeFreeCb)
        conn->closeFreeCb(conn->closeOpaque);
    mvErrorForgetConn(conn);
    mvURIFree(conn->uri);
    mvErrorClear(&conn->lastError);
    g_mutex_clear(&conn->lock);
    g_free(conn);
}

int
mvConnectUnref(virConnectPtr conn)
{
    int old = g_atomic_int_add(&conn->refs, -1);

    g_assert(old > 0);
    if (old == 1) {
        clientConnectFree(conn);
        return 0;
    }
    return old - 1;
}

static virConnectPtr
clientConnectNew(void)
{
    virConnectPtr conn = g_new0(virConnect, 1);

    conn->refs = 1;
    g_mutex_init(&conn->lock);
    return conn;
}

static char *
clientDefaultURI(void)
{
    const char *env = g_getenv("LIBVIRT_DEFAULT_URI");

    if (env && *env)
        return g_strdup(env);
    return mvClientConfigGetString("uri_default");
}

static bool
clientDriverClaims(const mvConnectDriver *drv, const mvURI *uri)
{
    size_t i;

    if (!drv->uriSchemes || !uri || uri->server || uri->transport)
        return false;
    for (i = 0; drv->uriSchemes[i]; i++) {
        if (g_str_equal(drv->uriSchemes[i], uri->driver))
            return true;
    }
    return false;
}

/* Tries @drv; returns 1 opened, 0 declined, -1 failed (reported). */
static int
clientConnectTryDriver(virConnectPtr conn, const mvConnectDriver *drv, unsigned int flags)
{
    int rc;

    if (!drv->hypervisorDriver || !drv->hypervisorDriver->connectOpen)
        return 0;
    conn->driver = drv;
    rc = drv->hypervisorDriver->connectOpen(conn, flags);
    MV_DEBUG("driver %s answered %d", drv->name, rc);
    if (rc == MV_DRV_OPEN_SUCCESS)
        return 1;
    conn->driver = NULL;
    conn->privateData = NULL;
    if (rc == MV_DRV_OPEN_DECLINED)
        return 0;
    if (!mvErrorIsSet())
        mvReportError(VIR_ERR_INTERNAL_ERROR, "driver %s failed to open the connection",
                      drv->name);
    return -1;
}

static virConnectPtr
clientConnectOpenInternal(const char *name, unsigned int flags, bool secondary)
{
    g_autofree char *uristr = NULL;
    g_autoptr(mvURI) uri = NULL;
    virConnectPtr conn;
    unsigned int drvflags = flags & VIR_CONNECT_RO;
    size_t ndrivers;
    size_t i;
    int rc;

    if (name && *name)
        uristr = g_strdup(name);
    else
        uristr = clientDefaultURI();

    if (uristr && !(uri = mvURIParse(uristr)))
        return NULL;

    MV_DEBUG("opening '%s' flags 0x%x secondary %d", uristr ? uristr : "(default)", flags, secondary);

    conn = clientConnectNew();
    conn->flags = flags & VIR_CONNECT_RO;
    conn->uri = g_steal_pointer(&uri);

    if (!secondary) {
        g_mutex_lock(&clientDriverLock);
        ndrivers = clientNDrivers;
        g_mutex_unlock(&clientDriverLock);
        for (i = 0; i < ndrivers; i++) {
            const mvConnectDriver *drv = clientDrivers[i];

            if (!clientDriverClaims(drv, conn->uri))
                continue;
            rc = clientConnectTryDriver(conn, drv, drvflags);
            if (rc < 0)
                goto error;
            if (rc > 0)
                return conn;
        }
    } else {
        drvflags |= MV_CONNECT_OPEN_SECONDARY;
    }

    rc = clientConnectTryDriver(conn, &mvRemoteConnectDriver, drvflags);
    if (rc < 0)
        goto error;
    if (rc > 0)
        return conn;

    mvReportErrorFull(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, __FILE__, __func__, __LINE__,
                      "%s", uristr ? uristr : "");

 error:
    conn->driver = NULL;
    mvConnectUnref(conn);
    return NULL;
}

virConnectPtr
virConnectOpen(const char *name)
{
    virConnectPtr conn;

    virInitialize();
    virResetLastError();
    if (!(conn = clientConnectOpenInternal(name, 0, false)))
        mvDispatchError(NULL);
    return conn;
}

virConnectPtr
virConnectOpenReadOnly(const char *name)
{
    virConnectPtr conn;

    virInitialize();
    virResetLastError();
    if (!(conn = clientConnectOpenInternal(name, VIR_CONNECT_RO, false)))
        mvDispatchError(NULL);
    return conn;
}

virConnectPtr
virConnectOpenAuth(const char *name, virConnectAuthPtr auth, unsigned int flags)
{
    virConnectPtr conn;

    virInitialize();
    virResetLastError();
    /* Authentication callbacks are not needed: UNIX sockets use peer
     * credentials. */
    if (!(conn = clientConnectOpenInternal(name, flags, false)))
        mvDispatchError(NULL);
    return conn;
}

virConnectPtr
mvConnectOpenSecondary(const char *uri, unsigned int flags)
{
    virInitialize();
    return clientConnectOpenInternal(uri, flags, true);
}

int
virConnectClose(virConnectPtr conn)
{
    virResetLastError();
    if (!conn) {
        mvReportInvalidConn(MV_FROM_THIS, __func__);
        mvDispatchError(NULL);
        return -1;
    }
    return mvConnectUnref(conn);
}

int
virConnectRef(virConnectPtr conn)
{
    virResetLastError();
    if (!conn) {
        mvReportInvalidConn(MV_FROM_THIS, __func__);
        mvDispatchError(NULL);
        return -1;
    }
    mvConnectRefInternal(conn);
    return 0;
}

#define CLIENT_CHECK_CONN(conn, retval) \
    do { \
        virResetLastError(); \
        if (!(conn)) { \
            mvReportInvalidConn(MV_FROM_THIS, __func__); \
            mvDispatchError(NULL); \
            return retval; \
        } \
    } while (0)

#define CLIENT_HV(conn) ((conn)->driver ? (conn)->driver->hypervisorDriver : NULL)

#define CLIENT_UNSUPPORTED(conn, retval) \
    do { \
        mvReportUnsupported(MV_FROM_THIS, __func__); \
        mvDispatchError(conn); \
        return retval; \
    } while (0)

const char *
virConnectGetType(virConnectPtr conn)
{
    const mvHypervisorDriver *hv;
    const char *ret;

    CLIENT_CHECK_CONN(conn, NULL);
    hv = CLIENT_HV(conn);
    if (hv && hv->connectGetType) {
        if ((ret = hv->connectGetType(conn)))
            return ret;
        mvDispatchError(conn);
        return NULL;
    }
    return conn->driver ? conn->driver->name : NULL;
}

int
virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    const mvHypervisorDriver *hv;

    CLIENT_CHECK_CONN(conn, -1);
    if (!hvVer) {
        mvReportNonNullArg(MV_FROM_THIS, __func__, "hvVer");
        mvDispatchError(conn);
        return -1;
    }
    hv = CLIENT_HV(conn);
    if (!hv || !hv->connectGetVersion)
        CLIENT_UNSUPPORTED(conn, -1);
    if (hv->connectGetVersion(conn, hvVer) < 0) {
        mvDispatchError(conn);
        return -1;
    }
    return 0;
}

int
virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    const mvHypervisorDriver *hv;

    CLIENT_CHECK_CONN(conn, -1);
    if (!libVer) {
        mvReportNonNullArg(MV_FROM_THIS, __func__, "libVer");
        mvDispatchError(conn);
        return -1;
    }
    hv = CLIENT_HV(conn);
    if (hv && hv->connectGetLibVersion) {
        if (hv->connectGetLibVersion(conn, libVer) < 0) {
            mvDispatchError(conn);
            return -1;
        }
        return 0;
    }
    *libVer = MV_LIBVIRT_COMPAT_VERSION_NUMBER;
    return 0;
}

char *
virConnectGetHostname(virConnectPtr conn)
{
    const mvHypervisorDriver *hv;
    char *ret;

    CLIENT_CHECK_CONN(conn, NULL);
    hv = CLIENT_HV(conn);
    if (!hv || !hv->connectGetHostname)
        CLIENT_UNSUPPORTED(conn, NULL);
    if (!(ret = hv->connectGetHostname(conn)))
        mvDispatchError(conn);
    return ret;
}

char *
virConnectGetURI(virConnectPtr conn)
{
    CLIENT_CHECK_CONN(conn, NULL);
    if (!conn->uri) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "the connection has no URI");
        mvDispatchError(conn);
        return NULL;
    }
    return mvURIFormat(conn->uri);
}

#define CLIENT_BOOL_GETTER(apiName, field) \
    int \
    apiName(virConnectPtr conn) \
    { \
        const mvHypervisorDriver *hv; \
        int ret; \
        CLIENT_CHECK_CONN(conn, -1); \
        hv = CLIENT_HV(conn); \
        if (!hv || !hv->field) \
            CLIENT_UNSUPPORTED(conn, -1); \
        if ((ret = hv->field(conn)) < 0) \
            mvDispatchError(conn); \
        return ret; \
    }

CLIENT_BOOL_GETTER(virConnectIsAlive, connectIsAlive)
CLIENT_BOOL_GETTER(virConnectIsSecure, connectIsSecure)
CLIENT_BOOL_GETTER(virConnectIsEncrypted, connectIsEncrypted)

int
virConnectSetKeepAlive(virConnectPtr conn, int interval, unsigned int count)
{
    const mvHypervisorDriver *hv;
    int ret;

    CLIENT_CHECK_CONN(conn, -1);
    hv = CLIENT_HV(conn);
    if (!hv || !hv->connectSetKeepAlive)
        CLIENT_UNSUPPORTED(conn, -1);
    if ((ret = hv->connectSetKeepAlive(conn, interval, count)) < 0)
        mvDispatchError(conn);
    return ret;
}

int
virConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb,
                                void *opaque, virFreeCallback freecb)
{
    const mvHypervisorDriver *hv;

    CLIENT_CHECK_CONN(conn, -1);
    if (!cb) {
        mvReportNonNullArg(MV_FROM_THIS, __func__, "cb");
        mvDispatchError(conn);
        return -1;
    }
    hv = CLIENT_HV(conn);
    if (!hv || !hv->connectRegisterCloseCallback)
        CLIENT_UNSUPPORTED(conn, -1);

    g_mutex_lock(&conn->lock);
    if (conn->closeCallback) {
        g_mutex_unlock(&conn->lock);
        mvReportError(VIR_ERR_OPERATION_INVALID, "A close callback is already registered");
        mvDispatchError(conn);
        return -1;
    }
    conn->closeCallback = cb;
    conn->closeOpaque = opaque;
    conn->closeFreeCb = freecb;
    g_mutex_unlock(&conn->lock);

    if (hv->connectRegisterCloseCallback(conn, cb, opaque, freecb) < 0) {
        g_mutex_lock(&conn->lock);
        conn->closeCallback = NULL;
        conn->closeOpaque = NULL;
        conn->closeFreeCb = NULL;
        g_mutex_unlock(&conn->lock);
        mvDispatchError(conn);
        return -1;
    }
    return 0;
}

int
virConnectUnregisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb)
{
    const mvHypervisorDriver *hv;
    void *opaque;
    virFreeCallback freecb;

    CLIENT_CHECK_CONN(conn, -1);
    if (!cb) {
        mvReportNonNullArg(MV_FROM_THIS, __func__, "cb");
        mvDispatchError(conn);
        return -1;
    }
    hv = CLIENT_HV(conn);
    if (!hv || !hv->connectUnregisterCloseCallback)
        CLIENT_UNSUPPORTED(conn, -1);

    g_mutex_lock(&conn->lock);
    if (conn->closeCallback != cb) {
        g_mutex_unlock(&conn->lock);
        mvReportError(VIR_ERR_OPERATION_INVALID, "A different callback was requested");
        mvDispatchError(conn);
        return -1;
    }
    opaque = conn->closeOpaque;
    freecb = conn->closeFreeCb;
    conn->closeCallback = NULL;
    conn->closeOpaque = NULL;
    conn->closeFreeCb = NULL;
    g_mutex_unlock(&conn->lock);

    if (hv->connectUnregisterCloseCallback(conn, cb) < 0) {
        /* The application's callback is gone either way. */
        if (freecb)
            freecb(opaque);
        mvDispatchError(conn);
        return -1;
    }
    if (freecb)
        freecb(opaque);
    return 0;
}

void
mvConnectNotifyClosed(virConnectPtr conn, int reason)
{
    virConnectCloseFunc cb;
    void *opaque;

    g_mutex_lock(&conn->lock);
    cb = conn->closeCallback;
    opaque = conn->closeOpaque;
    g_mutex_unlock(&conn->lock);
    MV_DEBUG("connection %p closed, reason %d, callback %s", (void *)conn, reason,
             cb ? "set" : "unset");
    /* The registration stays until the application unregisters it, so that
     * its virConnectUnregisterCloseCallback still succeeds. */
    if (cb)
        cb(conn, reason, opaque);
}
