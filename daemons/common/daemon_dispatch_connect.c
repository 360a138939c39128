/*
 * daemon_dispatch_connect: per-client state and the REMOTE program's
 * connection-level handlers (authentication list, feature probes, open and
 * close, connection facts).
 *
 * A client's connection is opened with the public API on CONNECT_OPEN and
 * used by every later call; handlers borrow it with a reference
 * (daemonClientGetConn) so a concurrent CONNECT_CLOSE cannot free it under
 * them.  Calls made before CONNECT_OPEN fail with libvirt's "hypervisor
 * connection not open".  CONNECT_CLOSE and a departing client also drop the
 * client's event registrations and close the connections its calls were
 * forwarded on (daemon_forward.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <unistd.h>

#include "client_driver.h"
#include "daemon_priv.h"
#include "mv_error.h"
#include "mv_log.h"
#include "remote_dispatch.h"

#define MV_FROM_THIS VIR_FROM_RPC

MV_LOG_INIT("daemon.dispatch");

daemonClientLink *
daemonClientLinkRef(daemonClientLink *link)
{
    g_atomic_ref_count_inc(&link->refs);
    return link;
}

void
daemonClientLinkUnref(daemonClientLink *link)
{
    if (!link || !g_atomic_ref_count_dec(&link->refs))
        return;
    g_mutex_clear(&link->lock);
    g_free(link);
}

void *
daemonClientNew(rpcServerClient *client, void *opaque)
{
    daemonServer *server = opaque;
    mvDaemon *daemon = server->daemon;
    daemonClient *priv;
    uid_t uid = (uid_t)-1;
    gid_t gid = (gid_t)-1;
    pid_t pid = -1;

    rpcServerClientGetIdentity(client, &uid, &gid, &pid);
    if (daemonAuthCheckPeer(daemon, uid, gid, pid) < 0)
        return NULL;

    priv = g_new0(daemonClient, 1);
    priv->server = server;
    priv->client = client;
    priv->id = rpcServerClientGetID(client);
    priv->timestamp = rpcServerClientGetTimestamp(client);
    priv->uid = uid;
    priv->gid = gid;
    priv->pid = pid;
    priv->readonly = rpcServerClientIsReadonly(client);
    g_mutex_init(&priv->lock);
    g_mutex_init(&priv->fwdLock);
    priv->secretEvents = g_array_new(FALSE, FALSE, sizeof(daemonEventReg));
    priv->domainEvents = g_array_new(FALSE, FALSE, sizeof(daemonEventReg));
    priv->link = g_new0(daemonClientLink, 1);
    g_mutex_init(&priv->link->lock);
    g_atomic_ref_count_init(&priv->link->refs);
    priv->link->client = client;

    g_mutex_lock(&daemon->lock);
    g_ptr_array_add(server->clients, priv);
    g_mutex_unlock(&daemon->lock);
    MV_DEBUG("client %" G_GUINT64_FORMAT " of %s: uid %u gid %u pid %d%s",
             priv->id, server->name, (unsigned int)uid, (unsigned int)gid, (int)pid,
             priv->readonly ? " (read-only)" : "");
    return priv;
}

void
daemonClientFree(void *opaque)
{
    daemonClient *priv = opaque;
    mvDaemon *daemon;
    virConnectPtr conn;
    virConnectPtr fwd[MV_DAEMON_AREA_LAST];

    if (!priv)
        return;
    daemon = priv->server->daemon;
    /* no event callback may reach the client from now on */
    g_mutex_lock(&priv->link->lock);
    priv->link->client = NULL;
    g_mutex_unlock(&priv->link->lock);
    daemonClientLinkUnref(priv->link);

    g_mutex_lock(&daemon->lock);
    g_ptr_array_remove(priv->server->clients, priv);
    g_mutex_unlock(&daemon->lock);

    g_mutex_lock(&priv->lock);
    daemonClientDropSecretEvents(priv);
    daemonClientDropDomainEvents(priv);
    daemonClientDropNetworkEvents(priv);
    daemonClientStealForwards(priv, fwd);
    conn = g_steal_pointer(&priv->conn);
    g_mutex_unlock(&priv->lock);
    daemonForwardCloseAll(fwd);
    daemonConnRelease(&conn);
    MV_DEBUG("client %" G_GUINT64_FORMAT " of %s gone", priv->id, priv->server->name);
    g_array_unref(priv->secretEvents);
    g_array_unref(priv->domainEvents);
    g_mutex_clear(&priv->fwdLock);
    g_mutex_clear(&priv->lock);
    g_free(priv);
}

virConnectPtr
daemonClientGetConn(rpcServerClient *client)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    virConnectPtr conn = NULL;

    g_mutex_lock(&priv->lock);
    if (priv->conn) {
        conn = priv->conn;
        virConnectRef(conn);
    }
    g_mutex_unlock(&priv->lock);
    if (!conn)
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "hypervisor connection not open");
    return conn;
}

void
daemonConnRelease(virConnectPtr *conn)
{
    if (*conn) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();
        virConnectClose(*conn);
        mvErrorRestore(&saved);
        *conn = NULL;
    }
}

/* --- authentication --------------------------------------------------- */

int
remoteDispatchAuthList(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                       void *args, remote_auth_list_ret *ret)
{
    ret->types.types_len = 1;
    ret->types.types_val = g_new0(remote_auth_type, 1);
    ret->types.types_val[0] = REMOTE_AUTH_NONE;
    return 0;
}

int
remoteDispatchAuthPolkit(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                         void *args, remote_auth_polkit_ret *ret)
{
    mvReportErrorFull(VIR_FROM_REMOTE, VIR_ERR_NO_SUPPORT, __FILE__, __func__, __LINE__,
                      "%s", "polkit authentication is not enabled on this daemon "
                      "(auth_unix_rw is \"none\")");
    return -1;
}

/* --- open / close ------------------------------------------------------- */

int
remoteDispatchConnectOpen(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                          remote_connect_open_args *args, void *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    mvDaemon *daemon = priv->server->daemon;
    const char *name = args->name && *args->name && **args->name ? *args->name :
                       daemon->defaultURI;
    bool readonly = (args->flags & VIR_CONNECT_RO) || priv->readonly;
    virConnectPtr conn;

    g_mutex_lock(&priv->lock);
    if (priv->conn) {
        g_mutex_unlock(&priv->lock);
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        return -1;
    }
    g_mutex_unlock(&priv->lock);

    /* Only the read-only bit means something here: the client sends its own
     * internal open flags in the other bits (wire-facts 3.1). */
    MV_DEBUG("client %" G_GUINT64_FORMAT ": open '%s' flags 0x%x%s", priv->id, name,
             args->flags, readonly ? " read-only" : "");
    conn = readonly ? virConnectOpenReadOnly(name) : virConnectOpen(name);
    if (!conn)
        return -1;

    g_mutex_lock(&priv->lock);
    if (priv->conn) {
        g_mutex_unlock(&priv->lock);
        virConnectClose(conn);
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        return -1;
    }
    priv->conn = conn;
    g_mutex_unlock(&priv->lock);
    return 0;
}

int
remoteDispatchConnectClose(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                           void *args, void *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    virConnectPtr conn;
    virConnectPtr fwd[MV_DAEMON_AREA_LAST];

    g_mutex_lock(&priv->lock);
    daemonClientDropSecretEvents(priv);
    daemonClientDropDomainEvents(priv);
    daemonClientDropNetworkEvents(priv);
    daemonClientStealForwards(priv, fwd);
    conn = g_steal_pointer(&priv->conn);
    priv->closeCallback = false;
    g_mutex_unlock(&priv->lock);
    daemonForwardCloseAll(fwd);
    if (conn)
        virConnectClose(conn);
    mvErrorReset();
    return 0;
}

/* --- features ----------------------------------------------------------- */

int
remoteDispatchConnectSupportsFeature(rpcServer *server, rpcServerClient *client,
                                     rpcMessage *msg,
                                     remote_connect_supports_feature_args *args,
                                     remote_connect_supports_feature_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = NULL;
    int supported;

    /* Probed before CONNECT_OPEN: answering it starts our keepalive. */
    if (args->feature == MV_DRV_FEATURE_PROGRAM_KEEPALIVE) {
        rpcServerClientStartKeepAlive(client);
        ret->supported = 1;
        return 0;
    }
    if (!(conn = daemonClientGetConn(client)))
        return -1;

    switch (args->feature) {
    case MV_DRV_FEATURE_FD_PASSING:
    case MV_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER:
    case MV_DRV_FEATURE_REMOTE_EVENT_CALLBACK:
    case MV_DRV_FEATURE_REMOTE_CLOSE_CALLBACK:
        /* properties of this daemon's RPC layer, not of the driver */
        supported = 1;
        break;
    default:
        supported = 0;
        if (conn->driver && conn->driver->hypervisorDriver &&
            conn->driver->hypervisorDriver->connectSupportsFeature) {
            supported = conn->driver->hypervisorDriver->connectSupportsFeature(conn,
                                                                               args->feature);
            if (supported < 0) {
                /* an unknown feature is "no", never an error (wire-facts 3.2) */
                MV_DEBUG("feature %d probe failed, answering 0", args->feature);
                mvErrorReset();
                supported = 0;
            }
        }
        break;
    }
    ret->supported = supported > 0 ? 1 : 0;
    return 0;
}

/* --- connection facts --------------------------------------------------- */

int
remoteDispatchConnectGetType(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                             void *args, remote_connect_get_type_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    const char *type;

    if (!conn || !(type = virConnectGetType(conn)))
        return -1;
    ret->type = g_strdup(type);
    return 0;
}

int
remoteDispatchConnectGetVersion(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                void *args, remote_connect_get_version_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    unsigned long ver = 0;

    if (!conn || virConnectGetVersion(conn, &ver) < 0)
        return -1;
    ret->hv_ver = ver;
    return 0;
}

int
remoteDispatchConnectGetLibVersion(rpcServer *server, rpcServerClient *client,
                                   rpcMessage *msg, void *args,
                                   remote_connect_get_lib_version_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    unsigned long ver = 0;

    if (!conn || virConnectGetLibVersion(conn, &ver) < 0)
        return -1;
    ret->lib_ver = ver;
    return 0;
}

int
remoteDispatchConnectGetHostname(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, void *args,
                                 remote_connect_get_hostname_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    char *hostname;

    if (!conn || !(hostname = virConnectGetHostname(conn)))
        return -1;
    ret->hostname = hostname;
    return 0;
}

int
remoteDispatchConnectGetURI(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                            void *args, remote_connect_get_uri_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    char *uri;

    if (!conn || !(uri = virConnectGetURI(conn)))
        return -1;
    ret->uri = uri;
    return 0;
}

int
remoteDispatchConnectIsSecure(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                              void *args, remote_connect_is_secure_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);
    int secure;

    if (!conn || (secure = virConnectIsSecure(conn)) < 0)
        return -1;
    ret->secure = secure;
    return 0;
}

int
remoteDispatchConnectRegisterCloseCallback(rpcServer *server, rpcServerClient *client,
                                           rpcMessage *msg, void *args, void *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);

    if (!conn)
        return -1;
    /* Our local drivers never lose their connection, so there is nothing
     * to forward yet; remember the request for daemons that will. */
    g_mutex_lock(&priv->lock);
    priv->closeCallback = true;
    g_mutex_unlock(&priv->lock);
    return 0;
}

int
remoteDispatchConnectUnregisterCloseCallback(rpcServer *server, rpcServerClient *client,
                                             rpcMessage *msg, void *args, void *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConn(client);

    if (!conn)
        return -1;
    g_mutex_lock(&priv->lock);
    priv->closeCallback = false;
    g_mutex_unlock(&priv->lock);
    return 0;
}

int
remoteDispatchConnectSetIdentity(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_connect_set_identity_args *args,
                                 void *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    mvDaemon *daemon = priv->server->daemon;

    mvCheckFlags(args->flags, 0, -1);
    /* Only a peer as trusted as ourselves may speak for someone else. */
    if (priv->uid != 0 && priv->uid != daemon->uid) {
        mvReportError(VIR_ERR_ACCESS_DENIED,
                      "client uid %u may not set the connection identity",
                      (unsigned int)priv->uid);
        return -1;
    }
    MV_DEBUG("client %" G_GUINT64_FORMAT ": identity with %u params accepted (not stored)",
             priv->id, args->params.params_len);
    return 0;
}
