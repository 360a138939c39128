/*
 * daemon_admin: the ADMIN program (virt-admin) served on -admin-sock.
 *
 * The daemon has two servers, named after the daemon ("virtsecretd") and
 * "admin".  Implemented: open/close, library version, server list and
 * lookup, thread-pool and client-limit parameters (read), the client list,
 * the logging settings (read and write) and the idle timeout.  The other
 * procedures have no handler and are answered as unsupported by the RPC
 * core.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "admin_dispatch.h"
#include "daemon_priv.h"
#include "mv_error.h"
#include "mv_log.h"

#define MV_FROM_THIS VIR_FROM_ADMIN

MV_LOG_INIT("daemon.admin");

/* libvirt's typed-parameter names for the admin interface. */
#define DAEMON_ADM_WORKERS_MIN "minWorkers"
#define DAEMON_ADM_WORKERS_MAX "maxWorkers"
#define DAEMON_ADM_WORKERS_PRIO "prioWorkers"
#define DAEMON_ADM_CLIENTS_MAX "nclients_max"
#define DAEMON_ADM_CLIENTS_CURRENT "nclients"
#define DAEMON_ADM_CLIENTS_UNAUTH_MAX "nclients_unauth_max"
#define DAEMON_ADM_CLIENTS_UNAUTH_CURRENT "nclients_unauth"

/* virClientTransport */
#define DAEMON_ADM_TRANSPORT_UNIX 0

static daemonServer *
daemonAdminFindServer(const char *name)
{
    mvDaemon *daemon = daemonGet();

    if (g_str_equal(name, daemon->main.name))
        return &daemon->main;
    if (g_str_equal(name, daemon->adminServer.name))
        return &daemon->adminServer;
    mvReportError(VIR_ERR_NO_SERVER, "no server with matching name '%s'", name);
    return NULL;
}

static void
daemonAdminParamUInt(admin_typed_param *p, const char *field, unsigned int value)
{
    p->field = g_strdup(field);
    p->value.type = ADMIN_TYPED_PARAM_UINT;
    p->value.admin_typed_param_value_u.ui = value;
}

int
adminDispatchConnectOpen(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                         admin_connect_open_args *args, void *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);

    mvCheckFlags(args->flags, 0, -1);
    g_mutex_lock(&priv->lock);
    if (priv->adminOpen) {
        g_mutex_unlock(&priv->lock);
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        return -1;
    }
    priv->adminOpen = true;
    g_mutex_unlock(&priv->lock);
    return 0;
}

int
adminDispatchConnectClose(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                          void *args, void *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);

    g_mutex_lock(&priv->lock);
    priv->adminOpen = false;
    g_mutex_unlock(&priv->lock);
    return 0;
}

int
adminDispatchConnectGetLibVersion(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, void *args,
                                  admin_connect_get_lib_version_ret *ret)
{
    ret->libVer = MV_LIBVIRT_COMPAT_VERSION_NUMBER;
    return 0;
}

int
adminDispatchConnectListServers(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                admin_connect_list_servers_args *args,
                                admin_connect_list_servers_ret *ret)
{
    mvDaemon *daemon = daemonGet();

    mvCheckFlags(args->flags, 0, -1);
    if (args->need_results) {
        ret->servers.servers_len = 2;
        ret->servers.servers_val = g_new0(admin_nonnull_server, 2);
        ret->servers.servers_val[0].name = g_strdup(daemon->main.name);
        ret->servers.servers_val[1].name = g_strdup(daemon->adminServer.name);
    }
    ret->ret = 2;
    return 0;
}

int
adminDispatchConnectLookupServer(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                 admin_connect_lookup_server_args *args,
                                 admin_connect_lookup_server_ret *ret)
{
    daemonServer *ds;

    mvCheckFlags(args->flags, 0, -1);
    if (!(ds = daemonAdminFindServer(args->name)))
        return -1;
    ret->srv.name = g_strdup(ds->name);
    return 0;
}

int
adminDispatchServerGetThreadpoolParameters(rpcServer *server, rpcServerClient *client,
                                           rpcMessage *msg,
                                           admin_server_get_threadpool_parameters_args *args,
                                           admin_server_get_threadpool_parameters_ret *ret)
{
    daemonServer *ds;
    rpcServerConfig cfg;

    mvCheckFlags(args->flags, 0, -1);
    if (!(ds = daemonAdminFindServer(args->srv.name)))
        return -1;
    rpcServerGetConfig(ds->srv, &cfg);
    ret->params.params_len = 3;
    ret->params.params_val = g_new0(admin_typed_param, 3);
    daemonAdminParamUInt(&ret->params.params_val[0], DAEMON_ADM_WORKERS_MIN, cfg.min_workers);
    daemonAdminParamUInt(&ret->params.params_val[1], DAEMON_ADM_WORKERS_MAX, cfg.max_workers);
    daemonAdminParamUInt(&ret->params.params_val[2], DAEMON_ADM_WORKERS_PRIO,
                         cfg.prio_workers);
    return 0;
}

int
adminDispatchServerGetClientLimits(rpcServer *server, rpcServerClient *client,
                                   rpcMessage *msg,
                                   admin_server_get_client_limits_args *args,
                                   admin_server_get_client_limits_ret *ret)
{
    daemonServer *ds;
    rpcServerConfig cfg;

    mvCheckFlags(args->flags, 0, -1);
    if (!(ds = daemonAdminFindServer(args->srv.name)))
        return -1;
    rpcServerGetConfig(ds->srv, &cfg);
    ret->params.params_len = 4;
    ret->params.params_val = g_new0(admin_typed_param, 4);
    daemonAdminParamUInt(&ret->params.params_val[0], DAEMON_ADM_CLIENTS_MAX, cfg.max_clients);
    daemonAdminParamUInt(&ret->params.params_val[1], DAEMON_ADM_CLIENTS_CURRENT,
                         rpcServerNClients(ds->srv));
    daemonAdminParamUInt(&ret->params.params_val[2], DAEMON_ADM_CLIENTS_UNAUTH_MAX,
                         cfg.max_anonymous_clients);
    /* with auth "none" every client is authenticated from accept() */
    daemonAdminParamUInt(&ret->params.params_val[3], DAEMON_ADM_CLIENTS_UNAUTH_CURRENT, 0);
    return 0;
}

int
adminDispatchServerListClients(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                               admin_server_list_clients_args *args,
                               admin_server_list_clients_ret *ret)
{
    mvDaemon *daemon = daemonGet();
    daemonServer *ds;
    guint n;
    guint i;

    mvCheckFlags(args->flags, 0, -1);
    if (!(ds = daemonAdminFindServer(args->srv.name)))
        return -1;
    g_mutex_lock(&daemon->lock);
    n = MIN(ds->clients->len, ADMIN_CLIENT_LIST_MAX);
    if (args->need_results) {
        ret->clients.clients_len = n;
        ret->clients.clients_val = g_new0(admin_nonnull_client, n ? n : 1);
        for (i = 0; i < n; i++) {
            daemonClient *c = g_ptr_array_index(ds->clients, i);
            admin_nonnull_client *out = &ret->clients.clients_val[i];

            out->srv.name = g_strdup(ds->name);
            out->id = c->id;
            out->timestamp = c->timestamp;
            out->transport = DAEMON_ADM_TRANSPORT_UNIX;
        }
    }
    g_mutex_unlock(&daemon->lock);
    ret->ret = n;
    return 0;
}

static unsigned int
daemonAdminCountWords(const char *s)
{
    g_auto(GStrv) words = g_strsplit_set(s ? s : "", " \t\n", -1);
    unsigned int n = 0;
    size_t i;

    for (i = 0; words[i]; i++) {
        if (*words[i])
            n++;
    }
    return n;
}

int
adminDispatchConnectGetLoggingOutputs(rpcServer *server, rpcServerClient *client,
                                      rpcMessage *msg,
                                      admin_connect_get_logging_outputs_args *args,
                                      admin_connect_get_logging_outputs_ret *ret)
{
    char *outputs;

    mvCheckFlags(args->flags, 0, -1);
    outputs = mvLogGetOutputs();
    ret->noutputs = daemonAdminCountWords(outputs);
    ret->outputs = outputs;
    return 0;
}

int
adminDispatchConnectGetLoggingFilters(rpcServer *server, rpcServerClient *client,
                                      rpcMessage *msg,
                                      admin_connect_get_logging_filters_args *args,
                                      admin_connect_get_logging_filters_ret *ret)
{
    g_autofree char *filters = NULL;

    mvCheckFlags(args->flags, 0, -1);
    filters = mvLogGetFilters();
    ret->nfilters = daemonAdminCountWords(filters);
    if (ret->nfilters > 0) {
        ret->filters = g_new0(char *, 1);
        *ret->filters = g_steal_pointer(&filters);
    }
    return 0;
}

int
adminDispatchConnectSetLoggingOutputs(rpcServer *server, rpcServerClient *client,
                                      rpcMessage *msg,
                                      admin_connect_set_logging_outputs_args *args, void *ret)
{
    mvCheckFlags(args->flags, 0, -1);
    return mvLogSetOutputs(args->outputs ? *args->outputs : NULL);
}

int
adminDispatchConnectSetLoggingFilters(rpcServer *server, rpcServerClient *client,
                                      rpcMessage *msg,
                                      admin_connect_set_logging_filters_args *args, void *ret)
{
    mvCheckFlags(args->flags, 0, -1);
    return mvLogSetFilters(args->filters ? *args->filters : NULL);
}

int
adminDispatchConnectSetDaemonTimeout(rpcServer *server, rpcServerClient *client,
                                     rpcMessage *msg,
                                     admin_connect_set_daemon_timeout_args *args, void *ret)
{
    mvCheckFlags(args->flags, 0, -1);
    if (args->timeout > G_MAXINT / 2) {
        mvReportError(VIR_ERR_INVALID_ARG, "timeout %u is too large", args->timeout);
        return -1;
    }
    MV_INFO("idle timeout set to %u seconds by an admin client", args->timeout);
    daemonIdleSetTimeout(daemonGet(), (int)args->timeout);
    return 0;
}
