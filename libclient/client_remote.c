/*
 * client_remote: the remote driver, which serves a connection by talking
 * libvirt's RPC protocol to a daemon over a UNIX socket.
 *
 * Opening follows what libvirt 9.0 clients send (wire-facts 3.1): AUTH_LIST,
 * the keepalive feature probe when the application has an event loop,
 * CONNECT_OPEN with the URI as the daemon should see it, the event-callback
 * and close-callback feature probes, and CONNECT_GET_URI when the
 * application gave no URI.  Each API then maps onto one generated call stub
 * (remote_client.h); handles coming back become virSecret objects.  The
 * domain and node calls live in client_remote_domain.c, the network calls
 * in client_remote_network.c.
 *
 * Events: the daemon is asked once per (event id, object filter) and its
 * callback id is recorded on the local registrations that share it (the
 * registry in client_event.c fans out).  Event MESSAGEs are decoded on the
 * RPC reader thread and delivered on the application's default event loop;
 * the close notification of the rpcClient is delivered the same way.
 *
 * Locking: the rpcClient is thread safe; remotePriv.lock guards the cached
 * type string and serialises event (de)registrations.  The private data
 * lives as long as the connection; queued deliveries hold a connection
 * reference.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <unistd.h>

#include "mv_error.h"
#include "mv_log.h"
#include "client_internal.h"
#include "client_event.h"
#include "client_remote_priv.h"
#include "remote_client.h"

#define MV_FROM_THIS VIR_FROM_REMOTE

MV_LOG_INIT("client.remote");

/* Keepalive settings of virsh's defaults (-k 5 -K 6). */
#define REMOTE_KEEPALIVE_INTERVAL 5
#define REMOTE_KEEPALIVE_COUNT 6

/* CONNECT_OPEN flag bits the 9.0 client sends besides VIR_CONNECT_RO. */
#define REMOTE_OPEN_USER (1U << 1)

static void
remotePrivFree(remotePriv *priv)
{
    if (!priv)
        return;
    g_clear_pointer(&priv->client, rpcClientFree);
    g_clear_pointer(&priv->secretEvents, mvObjectEventStateFree);
    g_clear_pointer(&priv->domainEvents, mvObjectEventStateFree);
    g_clear_pointer(&priv->networkEvents, mvObjectEventStateFree);
    g_free(priv->type);
    g_mutex_clear(&priv->lock);
    g_free(priv);
}

/*----- Events and close notification (reader thread -> event loop) -----*/

typedef struct {
    virConnectPtr conn;            /* holds a reference */
    int proc;
    int remoteID;
    virSecretPtr secret;
    int event;
    int detail;
} remoteSecretEvent;

static void
remoteSecretEventFree(gpointer data)
{
    remoteSecretEvent *ev = data;

    if (ev->secret)
        mvSecretUnref(ev->secret);
    mvConnectUnref(ev->conn);
    g_free(ev);
}

static void
remoteSecretEventDispatch(virConnectPtr conn, int eventID, GCallback cb,
                          void *cbopaque, void *event)
{
    remoteSecretEvent *ev = event;

    switch ((virSecretEventID)eventID) {
    case VIR_SECRET_EVENT_ID_LIFECYCLE:
        ((virConnectSecretEventLifecycleCallback)(void (*)(void))cb)(conn, ev->secret,
                                                                     ev->event, ev->detail,
                                                                     cbopaque);
        break;
    case VIR_SECRET_EVENT_ID_VALUE_CHANGED:
        ((virConnectSecretEventGenericCallback)(void (*)(void))cb)(conn, ev->secret,
                                                                   cbopaque);
        break;
    }
}

static gboolean
remoteSecretEventDeliver(gpointer data)
{
    remoteSecretEvent *ev = data;
    remotePriv *priv = remoteGetPriv(ev->conn);

    if (priv && priv->secretEvents)
        mvObjectEventStateEmitRemote(priv->secretEvents, ev->remoteID,
                                     remoteSecretEventDispatch, ev);
    return G_SOURCE_REMOVE;
}

static void
remoteEventHandler(rpcClient *client, rpcMessage *msg, void *opaque)
{
    remotePriv *priv = opaque;
    GMainContext *ctx = mvEventLoopContext();
    remoteSecretEvent *ev;
    int proc = msg->header.proc;

    if (msg->header.prog != REMOTE_PROGRAM || !ctx) {
        MV_DEBUG("dropping event prog 0x%x proc %d", msg->header.prog, proc);
        return;
    }
    if (remoteIsDomainEventProc(proc)) {
        remoteHandleDomainEvent(priv, msg, ctx);
        return;
    }
    if (remoteIsNetworkEventProc(proc)) {
        remoteHandleNetworkEvent(priv, msg, ctx);
        return;
    }
    if (proc != REMOTE_PROC_SECRET_EVENT_LIFECYCLE &&
        proc != REMOTE_PROC_SECRET_EVENT_VALUE_CHANGED) {
        MV_DEBUG("ignoring unexpected event proc %d", proc);
        return;
    }
    if (!mvConnectTryRef(priv->conn))
        return;

    ev = g_new0(remoteSecretEvent, 1);
    ev->conn = priv->conn;
    ev->proc = proc;
    if (proc == REMOTE_PROC_SECRET_EVENT_LIFECYCLE) {
        remote_secret_event_lifecycle_msg m;

        memset(&m, 0, sizeof(m));
        if (rpcMessageDecodePayload(msg, REMOTE_XDR(xdr_remote_secret_event_lifecycle_msg),
                                    &m) < 0)
            goto drop;
        ev->remoteID = m.callbackID;
        ev->secret = mvGetSecret(priv->conn, (unsigned char *)m.secret.uuid,
                                 m.secret.usageType, m.secret.usageID);
        ev->event = m.event;
        ev->detail = m.detail;
        REMOTE_FREE(xdr_remote_secret_event_lifecycle_msg, &m);
    } else {
        remote_secret_event_value_changed_msg m;

        memset(&m, 0, sizeof(m));
        if (rpcMessageDecodePayload(msg,
                                    REMOTE_XDR(xdr_remote_secret_event_value_changed_msg),
                                    &m) < 0)
            goto drop;
        ev->remoteID = m.callbackID;
        ev->secret = mvGetSecret(priv->conn, (unsigned char *)m.secret.uuid,
                                 m.secret.usageType, m.secret.usageID);
        REMOTE_FREE(xdr_remote_secret_event_value_changed_msg, &m);
    }
    g_main_context_invoke_full(ctx, G_PRIORITY_DEFAULT, remoteSecretEventDeliver, ev,
                               remoteSecretEventFree);
    return;

 drop:
    MV_DEBUG("cannot decode event proc %d: %s", proc, virGetLastErrorMessage());
    mvErrorReset();
    remoteSecretEventFree(ev);
}

typedef struct {
    virConnectPtr conn;            /* holds a reference */
    int reason;
} remoteCloseEvent;

static gboolean
remoteCloseDeliver(gpointer data)
{
    remoteCloseEvent *ev = data;

    mvConnectNotifyClosed(ev->conn, ev->reason);
    return G_SOURCE_REMOVE;
}

static void
remoteCloseEventFree(gpointer data)
{
    remoteCloseEvent *ev = data;

    mvConnectUnref(ev->conn);
    g_free(ev);
}

static void
remoteCloseHandler(rpcClient *client, int reason, void *opaque)
{
    remotePriv *priv = opaque;
    GMainContext *ctx = mvEventLoopContext();
    remoteCloseEvent *ev;

    MV_DEBUG("connection to the daemon closed, reason %d", reason);
    if (!ctx) {
        /* No loop to defer to; the connection outlives its rpcClient, whose
         * handler is cleared before the connection is freed. */
        mvConnectNotifyClosed(priv->conn, reason);
        return;
    }
    if (!mvConnectTryRef(priv->conn))
        return;
    ev = g_new0(remoteCloseEvent, 1);
    ev->conn = priv->conn;
    ev->reason = reason;
    g_main_context_invoke_full(ctx, G_PRIORITY_DEFAULT, remoteCloseDeliver, ev,
                               remoteCloseEventFree);
}

/*----- Opening and closing -----*/

/* Asks the daemon about @feature; errors count as "not supported", as the
 * 9.0 client treats them during the handshake. */
static bool
remoteProbeFeature(rpcClient *client, int feature)
{
    remote_connect_supports_feature_args args = { .feature = feature };
    remote_connect_supports_feature_ret ret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectSupportsFeature(client, &args, &ret) < 0) {
        MV_DEBUG("feature %d probe failed: %s", feature, virGetLastErrorMessage());
        mvErrorReset();
        return false;
    }
    return ret.supported != 0;
}

static int
remoteAuthenticate(rpcClient *client)
{
    remote_auth_list_ret ret;
    int type;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallAuthList(client, &ret) < 0) {
        virErrorPtr err = mvErrorGetLast();
        if (err && err->code == VIR_ERR_NO_SUPPORT) {
            /* An old daemon without AUTH_LIST: no authentication. */
            mvErrorReset();
            return 0;
        }
        return -1;
    }
    type = ret.types.types_len > 0 ? (int)ret.types.types_val[0] : REMOTE_AUTH_NONE;
    REMOTE_FREE(xdr_remote_auth_list_ret, &ret);
    if (type != REMOTE_AUTH_NONE) {
        mvReportError(VIR_ERR_AUTH_FAILED,
                      "unsupported authentication type %d: modvirt's client only "
                      "supports 'none' (UNIX socket peer credentials)", type);
        return -1;
    }
    return 0;
}

static int
remoteOpenHandshake(virConnectPtr conn, remotePriv *priv, unsigned int flags)
{
    remote_connect_open_args oargs;
    g_autofree char *name = NULL;
    char *namep;

    if (remoteAuthenticate(priv->client) < 0)
        return -1;

    if (mvEventLoopContext())
        priv->keepaliveSupported =
            remoteProbeFeature(priv->client, MV_DRV_FEATURE_PROGRAM_KEEPALIVE);

    name = conn->uri ? mvURIFormatForServer(conn->uri) : g_strdup("");
    namep = name;
    memset(&oargs, 0, sizeof(oargs));
    oargs.name = &namep;
    oargs.flags = flags & VIR_CONNECT_RO;
    if (mvURIIsUserConnection(conn->uri, geteuid()))
        oargs.flags |= REMOTE_OPEN_USER;
    MV_DEBUG("CONNECT_OPEN name '%s' flags 0x%x", name, oargs.flags);
    if (remoteCallConnectOpen(priv->client, &oargs) < 0)
        return -1;

    priv->eventCallbackSupported =
        remoteProbeFeature(priv->client, MV_DRV_FEATURE_REMOTE_EVENT_CALLBACK);
    priv->closeCallbackSupported =
        remoteProbeFeature(priv->client, MV_DRV_FEATURE_REMOTE_CLOSE_CALLBACK);

    if (!conn->uri) {
        remote_connect_get_uri_ret uret;
        mvURI *uri;

        memset(&uret, 0, sizeof(uret));
        if (remoteCallConnectGetURI(priv->client, &uret) < 0)
            return -1;
        uri = mvURIParse(uret.uri);
        REMOTE_FREE(xdr_remote_connect_get_uri_ret, &uret);
        if (!uri)
            return -1;
        conn->uri = uri;
    }

    if (priv->keepaliveSupported &&
        rpcClientSetKeepAlive(priv->client, REMOTE_KEEPALIVE_INTERVAL,
                              REMOTE_KEEPALIVE_COUNT) < 0)
        return -1;
    return 0;
}

static int
remoteConnectOpen(virConnectPtr conn, unsigned int flags)
{
    g_autofree char *path = NULL;
    remotePriv *priv;

    if (mvIsInsideDaemon() && !(flags & MV_CONNECT_OPEN_SECONDARY)) {
        MV_DEBUG("inside a daemon: the remote driver declines a primary connection");
        return MV_DRV_OPEN_DECLINED;
    }
    if (!(path = mvURIResolveSocket(conn->uri, flags & VIR_CONNECT_RO)))
        return MV_DRV_OPEN_ERROR;
    MV_DEBUG("connecting to '%s'", path);

    priv = g_new0(remotePriv, 1);
    g_mutex_init(&priv->lock);
    priv->conn = conn;
    priv->secretEvents = mvObjectEventStateNew();
    priv->domainEvents = mvObjectEventStateNew();
    priv->networkEvents = mvObjectEventStateNew();
    if (!(priv->client = rpcClientNewUnix(path))) {
        remotePrivFree(priv);
        return MV_DRV_OPEN_ERROR;
    }
    rpcClientSetEventHandler(priv->client, remoteEventHandler, priv);
    rpcClientSetCloseHandler(priv->client, remoteCloseHandler, priv);

    if (remoteOpenHandshake(conn, priv, flags) < 0) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();
        rpcClientSetCloseHandler(priv->client, NULL, NULL);
        rpcClientSetEventHandler(priv->client, NULL, NULL);
        remotePrivFree(priv);
        mvErrorRestore(&saved);
        return MV_DRV_OPEN_ERROR;
    }
    conn->privateData = priv;
    return MV_DRV_OPEN_SUCCESS;
}

static int
remoteConnectClose(virConnectPtr conn)
{
    remotePriv *priv = remoteGetPriv(conn);

    if (!priv)
        return 0;
    mvObjectEventStateDeregisterConn(priv->secretEvents, conn);
    mvObjectEventStateDeregisterConn(priv->domainEvents, conn);
    mvObjectEventStateDeregisterConn(priv->networkEvents, conn);
    rpcClientSetCloseHandler(priv->client, NULL, NULL);
    rpcClientSetEventHandler(priv->client, NULL, NULL);
    if (rpcClientIsOpen(priv->client) && remoteCallConnectClose(priv->client) < 0) {
        MV_DEBUG("CONNECT_CLOSE failed: %s", virGetLastErrorMessage());
        mvErrorReset();
    }
    conn->privateData = NULL;
    remotePrivFree(priv);
    return 0;
}

/*----- Connection-level calls -----*/

static const char *
remoteConnectGetType(virConnectPtr conn)
{
    remotePriv *priv = remoteGetPriv(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&priv->lock);
    remote_connect_get_type_ret ret;

    if (priv->type)
        return priv->type;
    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectGetType(priv->client, &ret) < 0)
        return NULL;
    priv->type = g_strdup(ret.type);
    REMOTE_FREE(xdr_remote_connect_get_type_ret, &ret);
    return priv->type;
}

static int
remoteConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    remote_connect_get_version_ret ret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectGetVersion(remoteGetPriv(conn)->client, &ret) < 0)
        return -1;
    *hvVer = ret.hv_ver;
    return 0;
}

static int
remoteConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    remote_connect_get_lib_version_ret ret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectGetLibVersion(remoteGetPriv(conn)->client, &ret) < 0)
        return -1;
    *libVer = ret.lib_ver;
    return 0;
}

static char *
remoteConnectGetHostname(virConnectPtr conn)
{
    remote_connect_get_hostname_ret ret;
    char *hostname;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectGetHostname(remoteGetPriv(conn)->client, &ret) < 0)
        return NULL;
    hostname = g_strdup(ret.hostname);
    REMOTE_FREE(xdr_remote_connect_get_hostname_ret, &ret);
    return hostname;
}

static char *
remoteConnectGetURI(virConnectPtr conn)
{
    remote_connect_get_uri_ret ret;
    char *uri;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectGetURI(remoteGetPriv(conn)->client, &ret) < 0)
        return NULL;
    uri = g_strdup(ret.uri);
    REMOTE_FREE(xdr_remote_connect_get_uri_ret, &ret);
    return uri;
}

static int
remoteConnectIsAlive(virConnectPtr conn)
{
    return rpcClientIsOpen(remoteGetPriv(conn)->client) ? 1 : 0;
}

static int
remoteConnectIsSecure(virConnectPtr conn)
{
    remote_connect_is_secure_ret ret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectIsSecure(remoteGetPriv(conn)->client, &ret) < 0)
        return -1;
    /* A local UNIX socket is secure whenever the daemon says so. */
    return ret.secure ? 1 : 0;
}

static int
remoteConnectIsEncrypted(virConnectPtr conn)
{
    /* Only UNIX sockets so far: nothing is encrypted. */
    return 0;
}

static int
remoteConnectSupportsFeature(virConnectPtr conn, int feature)
{
    remote_connect_supports_feature_args args = { .feature = feature };
    remote_connect_supports_feature_ret ret;

    if (feature == MV_DRV_FEATURE_REMOTE)
        return 1;
    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectSupportsFeature(remoteGetPriv(conn)->client, &args, &ret) < 0)
        return -1;
    return ret.supported ? 1 : 0;
}

static int
remoteConnectSetKeepAlive(virConnectPtr conn, int interval, unsigned int count)
{
    remotePriv *priv = remoteGetPriv(conn);

    if (!mvEventLoopContext()) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "the caller doesn't support keepalive protocol; perhaps it's "
                      "missing event loop implementation");
        return -1;
    }
    if (!priv->keepaliveSupported)
        return 1;
    if (rpcClientSetKeepAlive(priv->client, interval, count) < 0)
        return -1;
    return 0;
}

static int
remoteConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb,
                                   void *opaque, virFreeCallback freecb)
{
    remotePriv *priv = remoteGetPriv(conn);

    /* The notification comes from our own rpcClient; the call only tells the
     * daemon, as libvirt's client does. */
    if (priv->closeCallbackSupported &&
        remoteCallConnectRegisterCloseCallback(priv->client) < 0)
        return -1;
    return 0;
}

static int
remoteConnectUnregisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb)
{
    remotePriv *priv = remoteGetPriv(conn);

    if (priv->closeCallbackSupported && rpcClientIsOpen(priv->client) &&
        remoteCallConnectUnregisterCloseCallback(priv->client) < 0)
        return -1;
    return 0;
}

/*----- Secrets -----*/

static virSecretPtr
remoteSecretFromWire(virConnectPtr conn, remote_nonnull_secret *s)
{
    return mvGetSecret(conn, (unsigned char *)s->uuid, s->usageType, s->usageID);
}

static void
remoteSecretToWire(virSecretPtr secret, remote_nonnull_secret *s)
{
    memcpy(s->uuid, secret->uuid, VIR_UUID_BUFLEN);
    s->usageType = secret->usageType;
    s->usageID = secret->usageID;
}

static int
remoteConnectNumOfSecrets(virConnectPtr conn)
{
    remote_connect_num_of_secrets_ret ret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectNumOfSecrets(remoteGetPriv(conn)->client, &ret) < 0)
        return -1;
    return ret.num;
}

static int
remoteConnectListSecrets(virConnectPtr conn, char **uuids, int maxuuids)
{
    remote_connect_list_secrets_args args = { .maxuuids = maxuuids };
    remote_connect_list_secrets_ret ret;
    size_t i;
    int n;

    if (maxuuids > REMOTE_SECRET_LIST_MAX) {
        mvReportError(VIR_ERR_RPC, "too many remote secret UUIDs: %d > %d",
                      maxuuids, REMOTE_SECRET_LIST_MAX);
        return -1;
    }
    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectListSecrets(remoteGetPriv(conn)->client, &args, &ret) < 0)
        return -1;
    if (ret.uuids.uuids_len > (unsigned int)maxuuids) {
        REMOTE_FREE(xdr_remote_connect_list_secrets_ret, &ret);
        mvReportError(VIR_ERR_RPC, "too many remote secret UUIDs: %u > %d",
                      ret.uuids.uuids_len, maxuuids);
        return -1;
    }
    for (i = 0; i < ret.uuids.uuids_len; i++)
        uuids[i] = g_strdup(ret.uuids.uuids_val[i]);
    n = ret.uuids.uuids_len;
    REMOTE_FREE(xdr_remote_connect_list_secrets_ret, &ret);
    return n;
}

static int
remoteConnectListAllSecrets(virConnectPtr conn, virSecretPtr **secrets, unsigned int flags)
{
    remote_connect_list_all_secrets_args args = {
        .need_results = secrets != NULL,
        .flags = flags,
    };
    remote_connect_list_all_secrets_ret ret;
    int count;
    size_t i;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectListAllSecrets(remoteGetPriv(conn)->client, &args, &ret) < 0)
        return -1;
    if (secrets) {
        virSecretPtr *list = g_new0(virSecretPtr, ret.secrets.secrets_len + 1);
        for (i = 0; i < ret.secrets.secrets_len; i++)
            list[i] = remoteSecretFromWire(conn, &ret.secrets.secrets_val[i]);
        *secrets = list;
    }
    count = ret.ret;
    REMOTE_FREE(xdr_remote_connect_list_all_secrets_ret, &ret);
    return count;
}

static virSecretPtr
remoteSecretLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    remote_secret_lookup_by_uuid_args args;
    remote_secret_lookup_by_uuid_ret ret;
    virSecretPtr secret;

    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallSecretLookupByUUID(remoteGetPriv(conn)->client, &args, &ret) < 0)
        return NULL;
    secret = remoteSecretFromWire(conn, &ret.secret);
    REMOTE_FREE(xdr_remote_secret_lookup_by_uuid_ret, &ret);
    return secret;
}

static virSecretPtr
remoteSecretLookupByUsage(virConnectPtr conn, int usageType, const char *usageID)
{
    remote_secret_lookup_by_usage_args args = {
        .usageType = usageType,
        .usageID = (char *)usageID,
    };
    remote_secret_lookup_by_usage_ret ret;
    virSecretPtr secret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallSecretLookupByUsage(remoteGetPriv(conn)->client, &args, &ret) < 0)
        return NULL;
    secret = remoteSecretFromWire(conn, &ret.secret);
    REMOTE_FREE(xdr_remote_secret_lookup_by_usage_ret, &ret);
    return secret;
}

static virSecretPtr
remoteSecretDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    remote_secret_define_xml_args args = { .xml = (char *)xml, .flags = flags };
    remote_secret_define_xml_ret ret;
    virSecretPtr secret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallSecretDefineXML(remoteGetPriv(conn)->client, &args, &ret) < 0)
        return NULL;
    secret = remoteSecretFromWire(conn, &ret.secret);
    REMOTE_FREE(xdr_remote_secret_define_xml_ret, &ret);
    return secret;
}

static char *
remoteSecretGetXMLDesc(virSecretPtr secret, unsigned int flags)
{
    remote_secret_get_xml_desc_args args = { .flags = flags };
    remote_secret_get_xml_desc_ret ret;
    char *xml;

    remoteSecretToWire(secret, &args.secret);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallSecretGetXMLDesc(remoteGetPriv(secret->conn)->client, &args, &ret) < 0)
        return NULL;
    xml = g_strdup(ret.xml);
    REMOTE_FREE(xdr_remote_secret_get_xml_desc_ret, &ret);
    return xml;
}

static int
remoteSecretSetValue(virSecretPtr secret, const unsigned char *value, size_t size,
                     unsigned int flags)
{
    remote_secret_set_value_args args;

    if (size > REMOTE_SECRET_VALUE_MAX) {
        mvReportError(VIR_ERR_RPC, "value length greater than maximum: %zu > %d",
                      size, REMOTE_SECRET_VALUE_MAX);
        return -1;
    }
    memset(&args, 0, sizeof(args));
    remoteSecretToWire(secret, &args.secret);
    args.value.value_len = size;
    args.value.value_val = (char *)value;
    args.flags = flags;
    return remoteCallSecretSetValue(remoteGetPriv(secret->conn)->client, &args);
}

static unsigned char *
remoteSecretGetValue(virSecretPtr secret, size_t *size, unsigned int flags,
                     unsigned int internalFlags)
{
    remote_secret_get_value_args args = { .flags = flags };
    remote_secret_get_value_ret ret;
    unsigned char *value;

    /* a daemon asking for a private value says so; the owning daemon checks
     * that the peer really is one of modvirt's daemons */
    if (internalFlags & MV_SECRET_GET_VALUE_INTERNAL_CALL)
        args.flags |= MV_SECRET_GET_VALUE_WIRE_INTERNAL;
    remoteSecretToWire(secret, &args.secret);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallSecretGetValue(remoteGetPriv(secret->conn)->client, &args, &ret) < 0)
        return NULL;
    value = g_malloc(ret.value.value_len + 1);
    memcpy(value, ret.value.value_val, ret.value.value_len);
    value[ret.value.value_len] = 0;
    *size = ret.value.value_len;
    if (ret.value.value_val)
        explicit_bzero(ret.value.value_val, ret.value.value_len);
    REMOTE_FREE(xdr_remote_secret_get_value_ret, &ret);
    return value;
}

static int
remoteSecretUndefine(virSecretPtr secret)
{
    remote_secret_undefine_args args;

    memset(&args, 0, sizeof(args));
    remoteSecretToWire(secret, &args.secret);
    return remoteCallSecretUndefine(remoteGetPriv(secret->conn)->client, &args);
}

static int
remoteConnectSecretEventRegisterAny(virConnectPtr conn, virSecretPtr secret, int eventID,
                                    virConnectSecretEventGenericCallback cb,
                                    void *opaque, virFreeCallback freecb)
{
    remotePriv *priv = remoteGetPriv(conn);
    g_autoptr(GMutexLocker) locker = NULL;
    const unsigned char *filter = secret ? secret->uuid : NULL;
    int remoteID;
    int localID;

    if (!mvEventLoopContext()) {
        mvReportError(VIR_ERR_OPERATION_INVALID,
                      "no event loop is registered: call virEventRegisterDefaultImpl first");
        return -1;
    }
    locker = g_mutex_locker_new(&priv->lock);
    remoteID = mvObjectEventStateFindRemoteID(priv->secretEvents, conn, eventID, filter);
    if (remoteID < 0) {
        remote_connect_secret_event_register_any_args args;
        remote_connect_secret_event_register_any_ret ret;
        remote_nonnull_secret wire;
        remote_nonnull_secret *wirep = NULL;

        memset(&args, 0, sizeof(args));
        memset(&ret, 0, sizeof(ret));
        if (secret) {
            remoteSecretToWire(secret, &wire);
            wirep = &wire;
        }
        args.eventID = eventID;
        args.secret = wirep;
        if (remoteCallConnectSecretEventRegisterAny(priv->client, &args, &ret) < 0)
            return -1;
        remoteID = ret.callbackID;
    }
    localID = mvObjectEventStateRegister(priv->secretEvents, conn, eventID,
                                         VIR_SECRET_EVENT_ID_VALUE_CHANGED + 1, filter,
                                         G_CALLBACK(cb), opaque, freecb);
    if (localID < 0)
        return -1;
    mvObjectEventStateSetRemoteID(priv->secretEvents, localID, remoteID);
    return localID;
}

static int
remoteConnectSecretEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    remotePriv *priv = remoteGetPriv(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&priv->lock);
    int shared = 0;
    int remoteID = mvObjectEventStateGetRemoteID(priv->secretEvents, conn, callbackID,
                                                 &shared);

    if (mvObjectEventStateDeregister(priv->secretEvents, conn, callbackID) < 0)
        return -1;
    if (remoteID >= 0 && shared == 1) {
        remote_connect_secret_event_deregister_any_args args = { .callbackID = remoteID };

        if (remoteCallConnectSecretEventDeregisterAny(priv->client, &args) < 0)
            return -1;
    }
    return 0;
}

static const mvHypervisorDriver remoteHypervisorDriver = {
    .name = "remote",
    .connectOpen = remoteConnectOpen,
    .connectClose = remoteConnectClose,
    .connectGetType = remoteConnectGetType,
    .connectGetVersion = remoteConnectGetVersion,
    .connectGetLibVersion = remoteConnectGetLibVersion,
    .connectGetHostname = remoteConnectGetHostname,
    .connectGetURI = remoteConnectGetURI,
    .connectIsAlive = remoteConnectIsAlive,
    .connectIsSecure = remoteConnectIsSecure,
    .connectIsEncrypted = remoteConnectIsEncrypted,
    .connectSupportsFeature = remoteConnectSupportsFeature,
    .connectSetKeepAlive = remoteConnectSetKeepAlive,
    .connectRegisterCloseCallback = remoteConnectRegisterCloseCallback,
    .connectUnregisterCloseCallback = remoteConnectUnregisterCloseCallback,
};

static const mvSecretDriver remoteSecretDriver = {
    .connectNumOfSecrets = remoteConnectNumOfSecrets,
    .connectListSecrets = remoteConnectListSecrets,
    .connectListAllSecrets = remoteConnectListAllSecrets,
    .secretLookupByUUID = remoteSecretLookupByUUID,
    .secretLookupByUsage = remoteSecretLookupByUsage,
    .secretDefineXML = remoteSecretDefineXML,
    .secretGetXMLDesc = remoteSecretGetXMLDesc,
    .secretSetValue = remoteSecretSetValue,
    .secretGetValue = remoteSecretGetValue,
    .secretUndefine = remoteSecretUndefine,
    .connectSecretEventRegisterAny = remoteConnectSecretEventRegisterAny,
    .connectSecretEventDeregisterAny = remoteConnectSecretEventDeregisterAny,
};

const mvConnectDriver mvRemoteConnectDriver = {
    .name = "remote",
    .uriSchemes = NULL,
    .hypervisorDriver = &remoteHypervisorDriver,
    .domainDriver = &mvRemoteDomainDriver,
    .secretDriver = &remoteSecretDriver,
    .networkDriver = &mvRemoteNetworkDriver,
};
