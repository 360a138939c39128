/*
 * daemon_dispatch_secret: the REMOTE program's secret procedures (139-147,
 * 287) and secret events (380-383).
 *
 * Every handler calls the public API on the connection serving secrets for
 * the client (its own on virtsecretd; on other daemons a connection to
 * virtsecretd, see daemon_forward.c), which checks arguments, flags and
 * read-only access before the driver sees the call; the server core has
 * already refused state changes on a read-only socket from the @readonly
 * annotations.  Handles arrive as
 * remote_nonnull_secret and are turned into virSecret objects without a
 * lookup (the driver finds the secret by UUID and reports VIR_ERR_NO_SECRET
 * itself), as libvirt does.
 *
 * Events: a client registration becomes a registration on that same
 * connection; the callback forwards each event as a MESSAGE carrying the
 * callback id that was returned to the client.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client_driver.h"
#include "daemon_priv.h"
#include "mv_error.h"
#include "mv_log.h"
#include "remote_dispatch.h"

#define MV_FROM_THIS VIR_FROM_RPC

MV_LOG_INIT("daemon.dispatch.secret");

/* Resolves /proc/@pid/exe (or NULL). */
static char *
daemonExeOf(const char *proc)
{
    g_autofree char *link = g_strdup_printf("/proc/%s/exe", proc);
    char *path = g_file_read_link(link, NULL);
    char *real;

    if (!path)
        return NULL;
    real = realpath(path, NULL);
    g_free(path);
    return real;
}

/* Whether the peer of @client is one of modvirt's daemons that open guest
 * disks (virtqemud, virtstoraged), run by root or by our own user, from
 * where this daemon itself runs: the same directory when installed, or
 * daemons/<name>/ of the same build tree. */
static bool
daemonClientIsModvirtDaemon(rpcServerClient *client)
{
    static const char * const trusted[] = { "virtqemud", "virtstoraged", NULL };
    g_autofree char *pidstr = NULL;
    g_autofree char *peer = NULL;
    g_autofree char *self = NULL;
    g_autofree char *peerDir = NULL;
    g_autofree char *selfDir = NULL;
    g_autofree char *peerName = NULL;
    g_autofree char *peerUp = NULL;
    g_autofree char *selfUp = NULL;
    uid_t uid;
    gid_t gid;
    pid_t pid;

    rpcServerClientGetIdentity(client, &uid, &gid, &pid);
    if (pid <= 0 || (uid != 0 && uid != geteuid()))
        return false;
    pidstr = g_strdup_printf("%d", (int)pid);
    if (!(peer = daemonExeOf(pidstr)) || !(self = daemonExeOf("self")))
        return false;
    peerName = g_path_get_basename(peer);
    if (!g_strv_contains(trusted, peerName))
        return false;
    peerDir = g_path_get_dirname(peer);
    selfDir = g_path_get_dirname(self);
    if (strcmp(peerDir, selfDir) == 0)
        return true;
    peerUp = g_path_get_dirname(peerDir);
    selfUp = g_path_get_dirname(selfDir);
    return strcmp(peerUp, selfUp) == 0 && g_str_has_suffix(peerUp, "/daemons");
}

static void
daemonSecretRelease(virSecretPtr *secret)
{
    if (*secret) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();
        virSecretFree(*secret);
        mvErrorRestore(&saved);
        *secret = NULL;
    }
}

#define DAEMON_AUTOSECRET __attribute__((cleanup(daemonSecretRelease)))

/* A handle for the secret the client named (no lookup). */
static virSecretPtr
daemonSecretFromWire(virConnectPtr conn, const remote_nonnull_secret *s)
{
    return mvGetSecret(conn, (const unsigned char *)s->uuid, s->usageType, s->usageID);
}

static void
daemonSecretToWire(virSecretPtr secret, remote_nonnull_secret *s)
{
    const char *usageID = virSecretGetUsageID(secret);

    memcpy(s->uuid, secret->uuid, VIR_UUID_BUFLEN);
    s->usageType = virSecretGetUsageType(secret);
    s->usageID = g_strdup(usageID ? usageID : "");
}

int
remoteDispatchConnectNumOfSecrets(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, void *args,
                                  remote_connect_num_of_secrets_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConnFor(client, MV_DAEMON_AREA_SECRET);
    int n;

    if (!conn || (n = virConnectNumOfSecrets(conn)) < 0)
        return -1;
    ret->num = n;
    return 0;
}

int
remoteDispatchConnectListSecrets(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_connect_list_secrets_args *args,
                                 remote_connect_list_secrets_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConnFor(client, MV_DAEMON_AREA_SECRET);
    char **uuids;
    int n;

    if (!conn)
        return -1;
    if (args->maxuuids < 0 || args->maxuuids > REMOTE_SECRET_LIST_MAX) {
        mvReportError(VIR_ERR_RPC, "maxuuids %d is outside 0 to REMOTE_SECRET_LIST_MAX (%d)",
                      args->maxuuids, REMOTE_SECRET_LIST_MAX);
        return -1;
    }
    uuids = g_new0(char *, args->maxuuids + 1);
    if ((n = virConnectListSecrets(conn, uuids, args->maxuuids)) < 0) {
        g_free(uuids);
        return -1;
    }
    ret->uuids.uuids_len = n;
    ret->uuids.uuids_val = uuids;
    return 0;
}

int
remoteDispatchConnectListAllSecrets(rpcServer *server, rpcServerClient *client,
                                    rpcMessage *msg,
                                    remote_connect_list_all_secrets_args *args,
                                    remote_connect_list_all_secrets_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConnFor(client, MV_DAEMON_AREA_SECRET);
    virSecretPtr *secrets = NULL;
    int n;
    int i;

    if (!conn)
        return -1;
    if ((n = virConnectListAllSecrets(conn, args->need_results ? &secrets : NULL,
                                      args->flags)) < 0)
        return -1;
    if (n > REMOTE_SECRET_LIST_MAX) {
        for (i = 0; secrets && i < n; i++)
            virSecretFree(secrets[i]);
        g_free(secrets);
        mvReportError(VIR_ERR_RPC, "too many secrets %d for the wire (the limit is %d)",
                      n, REMOTE_SECRET_LIST_MAX);
        return -1;
    }
    if (secrets) {
        ret->secrets.secrets_len = n;
        ret->secrets.secrets_val = g_new0(remote_nonnull_secret, n > 0 ? n : 1);
        for (i = 0; i < n; i++) {
            daemonSecretToWire(secrets[i], &ret->secrets.secrets_val[i]);
            virSecretFree(secrets[i]);
        }
        g_free(secrets);
    }
    ret->ret = n;
    return 0;
}

int
remoteDispatchSecretLookupByUUID(rpcServer *server, rpcServerClient *client,
                                 rpcMessage *msg, remote_secret_lookup_by_uuid_args *args,
                                 remote_secret_lookup_by_uuid_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConnFor(client, MV_DAEMON_AREA_SECRET);
    DAEMON_AUTOSECRET virSecretPtr secret = NULL;

    if (!conn || !(secret = virSecretLookupByUUID(conn, (unsigned char *)args->uuid)))
        return -1;
    daemonSecretToWire(secret, &ret->secret);
    return 0;
}

int
remoteDispatchSecretLookupByUsage(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, remote_secret_lookup_by_usage_args *args,
                                  remote_secret_lookup_by_usage_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConnFor(client, MV_DAEMON_AREA_SECRET);
    DAEMON_AUTOSECRET virSecretPtr secret = NULL;

    if (!conn || !(secret = virSecretLookupByUsage(conn, args->usageType, args->usageID)))
        return -1;
    daemonSecretToWire(secret, &ret->secret);
    return 0;
}

int
remoteDispatchSecretDefineXML(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                              remote_secret_define_xml_args *args,
                              remote_secret_define_xml_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConnFor(client, MV_DAEMON_AREA_SECRET);
    DAEMON_AUTOSECRET virSecretPtr secret = NULL;

    if (!conn || !(secret = virSecretDefineXML(conn, args->xml, args->flags)))
        return -1;
    daemonSecretToWire(secret, &ret->secret);
    return 0;
}

int
remoteDispatchSecretGetXMLDesc(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                               remote_secret_get_xml_desc_args *args,
                               remote_secret_get_xml_desc_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConnFor(client, MV_DAEMON_AREA_SECRET);
    DAEMON_AUTOSECRET virSecretPtr secret = NULL;
    char *xml;

    if (!conn)
        return -1;
    secret = daemonSecretFromWire(conn, &args->secret);
    if (!(xml = virSecretGetXMLDesc(secret, args->flags)))
        return -1;
    ret->xml = xml;
    return 0;
}

int
remoteDispatchSecretSetValue(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                             remote_secret_set_value_args *args, void *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConnFor(client, MV_DAEMON_AREA_SECRET);
    DAEMON_AUTOSECRET virSecretPtr secret = NULL;

    if (!conn)
        return -1;
    secret = daemonSecretFromWire(conn, &args->secret);
    return virSecretSetValue(secret, (const unsigned char *)args->value.value_val,
                             args->value.value_len, args->flags) < 0 ? -1 : 0;
}

int
remoteDispatchSecretGetValue(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                             remote_secret_get_value_args *args,
                             remote_secret_get_value_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConnFor(client, MV_DAEMON_AREA_SECRET);
    DAEMON_AUTOSECRET virSecretPtr secret = NULL;
    unsigned char *value;
    size_t size = 0;

    if (!conn)
        return -1;
    secret = daemonSecretFromWire(conn, &args->secret);
    if (args->flags & MV_SECRET_GET_VALUE_WIRE_INTERNAL) {
        /* another modvirt daemon (virtqemud opening an encrypted disk) may
         * read private values; anyone else is refused outright */
        if (!daemonClientIsModvirtDaemon(client)) {
            mvReportError(VIR_ERR_OPERATION_DENIED, "%s",
                          "only modvirt's own daemons may read private secret values");
            return -1;
        }
        value = mvSecretGetValueInternal(secret, &size);
    } else {
        /* the public API never passes the internal flag, so the driver
         * refuses private secrets to every client */
        value = virSecretGetValue(secret, &size, args->flags);
    }
    if (!value)
        return -1;
    if (size > REMOTE_SECRET_VALUE_MAX) {
        explicit_bzero(value, size);
        g_free(value);
        mvReportError(VIR_ERR_RPC, "secret value of %zu bytes is larger than the wire "
                      "limit %d", size, REMOTE_SECRET_VALUE_MAX);
        return -1;
    }
    ret->value.value_len = size;
    ret->value.value_val = (char *)value;
    return 0;
}

int
remoteDispatchSecretUndefine(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                             remote_secret_undefine_args *args, void *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConnFor(client, MV_DAEMON_AREA_SECRET);
    DAEMON_AUTOSECRET virSecretPtr secret = NULL;

    if (!conn)
        return -1;
    secret = daemonSecretFromWire(conn, &args->secret);
    return virSecretUndefine(secret) < 0 ? -1 : 0;
}

/* --- events ------------------------------------------------------------- */

static void
daemonSecretEventLifecycle(virConnectPtr conn, virSecretPtr secret, int event, int detail,
                           void *opaque)
{
    daemonEventData *data = opaque;
    remote_secret_event_lifecycle_msg m = { 0 };
    int id = g_atomic_int_get(&data->callbackID);

    if (id < 0)
        return;
    m.callbackID = id;
    daemonSecretToWire(secret, &m.secret);
    m.event = event;
    m.detail = detail;
    daemonEventSend(data, REMOTE_PROC_SECRET_EVENT_LIFECYCLE,
                          (xdrproc_t)(void (*)(void))xdr_remote_secret_event_lifecycle_msg, &m);
    g_free(m.secret.usageID);
}

static void
daemonSecretEventValueChanged(virConnectPtr conn, virSecretPtr secret, void *opaque)
{
    daemonEventData *data = opaque;
    remote_secret_event_value_changed_msg m = { 0 };
    int id = g_atomic_int_get(&data->callbackID);

    if (id < 0)
        return;
    m.callbackID = id;
    daemonSecretToWire(secret, &m.secret);
    daemonEventSend(data, REMOTE_PROC_SECRET_EVENT_VALUE_CHANGED,
                          (xdrproc_t)(void (*)(void))xdr_remote_secret_event_value_changed_msg,
                          &m);
    g_free(m.secret.usageID);
}

int
remoteDispatchConnectSecretEventRegisterAny(rpcServer *server, rpcServerClient *client,
                                            rpcMessage *msg,
                                            remote_connect_secret_event_register_any_args *args,
                                            remote_connect_secret_event_register_any_ret *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConnFor(client, MV_DAEMON_AREA_SECRET);
    DAEMON_AUTOSECRET virSecretPtr secret = NULL;
    daemonEventData *data;
    virConnectSecretEventGenericCallback cb;
    daemonEventReg reg = { 0 };
    int id;

    if (!conn)
        return -1;
    switch (args->eventID) {
    case VIR_SECRET_EVENT_ID_LIFECYCLE:
        /* the macro's direct cast trips -Wcast-function-type */
        cb = (virConnectSecretEventGenericCallback)(void (*)(void))daemonSecretEventLifecycle;
        break;
    case VIR_SECRET_EVENT_ID_VALUE_CHANGED:
        cb = daemonSecretEventValueChanged;
        break;
    default:
        mvReportError(VIR_ERR_INVALID_ARG, "unsupported secret event ID %d", args->eventID);
        return -1;
    }
    if (args->secret)
        secret = daemonSecretFromWire(conn, args->secret);

    data = daemonEventDataNew(priv->link);

    g_mutex_lock(&priv->lock);
    if (priv->conn != conn && priv->fwd[MV_DAEMON_AREA_SECRET] != conn) {
        /* closed (and maybe reopened) while we were getting here */
        g_mutex_unlock(&priv->lock);
        daemonEventDataFree(data);
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "hypervisor connection not open");
        return -1;
    }
    id = virConnectSecretEventRegisterAny(conn, secret, args->eventID, cb, data,
                                          daemonEventDataFree);
    if (id < 0) {
        g_mutex_unlock(&priv->lock);
        return -1;
    }
    g_atomic_int_set(&data->callbackID, id);
    reg.callbackID = id;
    reg.conn = conn;
    g_array_append_val(priv->secretEvents, reg);
    g_mutex_unlock(&priv->lock);

    ret->callbackID = id;
    return 0;
}

int
remoteDispatchConnectSecretEventDeregisterAny(rpcServer *server, rpcServerClient *client,
                                              rpcMessage *msg,
                                              remote_connect_secret_event_deregister_any_args *args,
                                              void *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    DAEMON_AUTOCONN virConnectPtr conn = daemonClientGetConnFor(client, MV_DAEMON_AREA_SECRET);
    guint i;

    if (!conn)
        return -1;
    g_mutex_lock(&priv->lock);
    for (i = 0; i < priv->secretEvents->len; i++) {
        const daemonEventReg *reg = &g_array_index(priv->secretEvents, daemonEventReg, i);

        if (reg->callbackID == args->callbackID && reg->conn == conn)
            break;
    }
    if (i == priv->secretEvents->len) {
        g_mutex_unlock(&priv->lock);
        mvReportError(VIR_ERR_INVALID_ARG, "no secret event callback with ID %d",
                      args->callbackID);
        return -1;
    }
    if (virConnectSecretEventDeregisterAny(conn, args->callbackID) < 0) {
        g_mutex_unlock(&priv->lock);
        return -1;
    }
    g_array_remove_index_fast(priv->secretEvents, i);
    g_mutex_unlock(&priv->lock);
    return 0;
}

void
daemonClientDropSecretEvents(daemonClient *priv)
{
    guint i;

    for (i = 0; i < priv->secretEvents->len; i++) {
        const daemonEventReg *reg = &g_array_index(priv->secretEvents, daemonEventReg, i);
        int id = reg->callbackID;

        if (virConnectSecretEventDeregisterAny(reg->conn, id) < 0) {
            MV_DEBUG("dropping secret event callback %d failed, ignoring", id);
            mvErrorReset();
        }
    }
    g_array_set_size(priv->secretEvents, 0);
}
