/*
 * daemon_forward: calls of another daemon's area made on this daemon's
 * connection (DESIGN 2, issue 4 item 7).
 *
 * A client of virtqemud may call the secret or network API on its
 * qemu:///session connection.  The QEMU driver has neither table, so the
 * handler asks daemonClientGetConnFor() for the connection serving that
 * area: the client's own one when its driver has the table, otherwise a
 * connection to the owning daemon (virtsecretd for secrets, virtnetworkd
 * for networks) opened with
 * mvConnectOpenSecondary() on first use, read-only when the client's is,
 * and kept with the client until it closes.  The public API is then called
 * on that connection, so argument checks and read-only denial happen there
 * as for any other call.
 *
 * If the owning daemon cannot be reached only the calls that need it fail,
 * with an error naming the daemon; a forwarded connection found dead (the
 * daemon restarted) is replaced on the next call, and the event
 * registrations that lived on it are forgotten.
 *
 * Events of a forwarded connection are delivered by the client library's
 * event loop; a daemon does not run that loop for anything else, so the
 * first forwarded connection starts one thread that iterates it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "client_driver.h"
#include "daemon_priv.h"
#include "mv_error.h"
#include "mv_log.h"

#define MV_FROM_THIS VIR_FROM_RPC

MV_LOG_INIT("daemon.forward");

/* The URI scheme (driver name) of each area's owning daemon. */
static const char * const daemonAreaScheme[MV_DAEMON_AREA_LAST] = {
    [MV_DAEMON_AREA_SECRET] = "secret",
    [MV_DAEMON_AREA_NETWORK] = "network",
    [MV_DAEMON_AREA_STORAGE] = "storage",
    [MV_DAEMON_AREA_NODEDEV] = "nodedev",
    [MV_DAEMON_AREA_INTERFACE] = "interface",
    [MV_DAEMON_AREA_NWFILTER] = "nwfilter",
};

bool
daemonConnServesArea(virConnectPtr conn, mvDaemonArea area)
{
    const mvConnectDriver *drv = conn->driver;

    if (!drv)
        return false;
    switch (area) {
    case MV_DAEMON_AREA_SECRET:
        return drv->secretDriver != NULL;
    case MV_DAEMON_AREA_NETWORK:
        return drv->networkDriver != NULL;
    case MV_DAEMON_AREA_STORAGE:
    case MV_DAEMON_AREA_NODEDEV:
    case MV_DAEMON_AREA_INTERFACE:
    case MV_DAEMON_AREA_NWFILTER:
    case MV_DAEMON_AREA_LAST:
        /* no driver table for these areas exists yet: always the owner's */
        break;
    }
    return false;
}

/* --- the client library's event loop ------------------------------------ */

static gpointer
daemonForwardEventThread(gpointer opaque)
{
    for (;;) {
        if (virEventRunDefaultImpl() < 0) {
            MV_WARN("event loop for forwarded connections failed: %s, stopping it",
                    virGetLastErrorMessage());
            return NULL;
        }
    }
    return NULL;
}

/* Starts the thread once per process.  The thread lives until the process
 * exits: it only waits in poll while nothing happens. */
static void
daemonForwardEnsureEventLoop(void)
{
    static gsize started;

    if (g_once_init_enter(&started)) {
        if (virEventRegisterDefaultImpl() < 0) {
            MV_WARN("no event loop for forwarded connections (%s): their events are lost",
                    virGetLastErrorMessage());
        } else {
            g_thread_unref(g_thread_new("mv-fwd-events", daemonForwardEventThread, NULL));
        }
        g_once_init_leave(&started, 1);
    }
}

/* --- opening ------------------------------------------------------------ */

/* The URI of @area's daemon in this daemon's mode.  Session daemons name
 * the socket explicitly: the client library's own resolution looks under
 * /run for root, and the tests run session daemons as root. */
static char *
daemonForwardURI(mvDaemon *daemon, mvDaemonArea area, const char **daemonName)
{
    const char *scheme = daemonAreaScheme[area];
    const char *name = mvURIDaemonForDriver(scheme);

    *daemonName = name ? name : scheme;
    if (daemon->privileged || !name)
        return g_strdup_printf("%s:///%s", scheme, daemon->privileged ? "system" : "session");
    return g_strdup_printf("%s:///session?socket=%s/%s-sock", scheme,
                           daemon->paths->runDir, name);
}

static virConnectPtr
daemonForwardOpen(mvDaemon *daemon, mvDaemonArea area, bool readonly)
{
    const char *name = NULL;
    g_autofree char *uri = daemonForwardURI(daemon, area, &name);
    virConnectPtr conn;
    virErrorPtr err;

    if (g_str_equal(daemonAreaScheme[area], daemon->spec->uriScheme)) {
        /* never forward to ourselves */
        mvReportErrorFull(VIR_FROM_NONE, VIR_ERR_NO_SUPPORT, __FILE__, __func__, __LINE__,
                          "the %s driver of %s does not serve this call",
                          daemonAreaScheme[area], daemon->spec->name);
        return NULL;
    }
    MV_DEBUG("opening '%s'%s for forwarded calls", uri, readonly ? " read-only" : "");
    if ((conn = mvConnectOpenSecondary(uri, readonly ? VIR_CONNECT_RO : 0)))
        return conn;

    err = mvErrorGetLast();
    if (err) {
        g_autofree char *detail = g_strdup(err->message ? err->message : "unknown error");
        int code = err->code ? err->code : VIR_ERR_OPERATION_FAILED;
        int domain = err->domain;

        mvReportErrorPlainFull(domain, code, __FILE__, __func__, __LINE__,
                               "cannot reach %s: %s (is %s running or its socket active?)",
                               name, detail, name);
    } else {
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "cannot reach %s through '%s' (is %s running or its socket active?)",
                      name, uri, name);
    }
    return NULL;
}

/* Removes the event registrations that live on @conn from @regs (priv->lock
 * held); the registrations themselves go away when @conn is closed. */
static void
daemonForwardForgetEvents(GArray *regs, virConnectPtr conn)
{
    guint i = 0;

    while (i < regs->len) {
        if (g_array_index(regs, daemonEventReg, i).conn == conn)
            g_array_remove_index_fast(regs, i);
        else
            i++;
    }
}

virConnectPtr
daemonClientGetConnFor(rpcServerClient *client, mvDaemonArea area)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    mvDaemon *daemon = priv->server->daemon;
    virConnectPtr own = daemonClientGetConn(client);
    virConnectPtr fwd = NULL;
    virConnectPtr stale = NULL;
    bool readonly;

    if (!own)
        return NULL;
    if (area >= MV_DAEMON_AREA_LAST || daemonConnServesArea(own, area))
        return own;
    readonly = (own->flags & VIR_CONNECT_RO) || priv->readonly;

    g_mutex_lock(&priv->fwdLock);
    g_mutex_lock(&priv->lock);
    if (priv->conn != own) {
        /* closed (and maybe reopened) while we were getting here */
        g_mutex_unlock(&priv->lock);
        g_mutex_unlock(&priv->fwdLock);
        virConnectClose(own);
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "hypervisor connection not open");
        return NULL;
    }
    if (priv->fwd[area]) {
        if (virConnectIsAlive(priv->fwd[area]) == 1) {
            fwd = priv->fwd[area];
            virConnectRef(fwd);
        } else {
            MV_INFO("client %" G_GUINT64_FORMAT ": connection to %s daemon lost, reopening",
                    priv->id, daemonAreaScheme[area]);
            stale = g_steal_pointer(&priv->fwd[area]);
            daemonForwardForgetEvents(priv->secretEvents, stale);
            daemonForwardForgetEvents(priv->domainEvents, stale);
        }
    }
    g_mutex_unlock(&priv->lock);

    if (!fwd) {
        virConnectPtr opened = daemonForwardOpen(daemon, area, readonly);

        if (opened) {
            daemonForwardEnsureEventLoop();
            g_mutex_lock(&priv->lock);
            if (priv->conn == own) {
                priv->fwd[area] = opened;
                fwd = opened;
                virConnectRef(fwd);
                opened = NULL;
            }
            g_mutex_unlock(&priv->lock);
            if (opened) {
                virConnectClose(opened);
                mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "hypervisor connection not open");
            }
        }
    }
    g_mutex_unlock(&priv->fwdLock);

    if (stale)
        daemonConnRelease(&stale);
    daemonConnRelease(&own);
    return fwd;
}

void
daemonClientStealForwards(daemonClient *priv, virConnectPtr *conns)
{
    int i;

    for (i = 0; i < MV_DAEMON_AREA_LAST; i++)
        conns[i] = g_steal_pointer(&priv->fwd[i]);
}

void
daemonForwardCloseAll(virConnectPtr *conns)
{
    int i;

    for (i = 0; i < MV_DAEMON_AREA_LAST; i++)
        daemonConnRelease(&conns[i]);
}
