/*
 * client_remote_network: the remote driver's network table.  Each call
 * maps onto one generated stub (remote_client.h); handles coming back
 * become virNetwork / virNetworkPort objects.
 *
 * Network events follow the secret and domain pattern of client_remote.c:
 * one daemon registration per (event id, network filter), shared by the
 * local registrations of priv->networkEvents; a lifecycle MESSAGE (315) is
 * decoded on the RPC reader thread and delivered on the application's event
 * loop.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_error.h"
#include "mv_log.h"
#include "client_network.h"
#include "client_remote_priv.h"
#include "remote_client.h"

#define MV_FROM_THIS VIR_FROM_REMOTE

MV_LOG_INIT("client.remote.network");

static rpcClient *
remoteNetClient(virConnectPtr conn)
{
    return remoteGetPriv(conn)->client;
}

static virNetworkPtr
remoteNetworkFromWire(virConnectPtr conn, const remote_nonnull_network *n)
{
    return mvGetNetwork(conn, n->name, (const unsigned char *)n->uuid);
}

/* Fills @n from @net; @n borrows the name (never freed through @n). */
static void
remoteNetworkToWire(virNetworkPtr net, remote_nonnull_network *n)
{
    n->name = net->name;
    memcpy(n->uuid, net->uuid, VIR_UUID_BUFLEN);
}

static void
remotePortToWire(virNetworkPortPtr port, remote_nonnull_network_port *p)
{
    remoteNetworkToWire(port->net, &p->net);
    memcpy(p->uuid, port->uuid, VIR_UUID_BUFLEN);
}

/* A port handle for @p, on @net when it is the same network (else a new
 * network handle from the wire). */
static virNetworkPortPtr
remotePortFromWire(virNetworkPtr net, const remote_nonnull_network_port *p)
{
    virNetworkPortPtr port;
    virNetworkPtr owner;

    if (memcmp(net->uuid, p->net.uuid, VIR_UUID_BUFLEN) == 0)
        return mvGetNetworkPort(net, (const unsigned char *)p->uuid);
    owner = remoteNetworkFromWire(net->conn, &p->net);
    port = mvGetNetworkPort(owner, (const unsigned char *)p->uuid);
    mvNetworkUnref(owner);
    return port;
}

/*----- listing -----*/

static int
remoteConnectNumOfNetworks(virConnectPtr conn)
{
    remote_connect_num_of_networks_ret ret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectNumOfNetworks(remoteNetClient(conn), &ret) < 0)
        return -1;
    return ret.num;
}

static int
remoteConnectNumOfDefinedNetworks(virConnectPtr conn)
{
    remote_connect_num_of_defined_networks_ret ret;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectNumOfDefinedNetworks(remoteNetClient(conn), &ret) < 0)
        return -1;
    return ret.num;
}

/* Copies a name list answer into the caller's array. */
static int
remoteCopyNames(char **const names, int maxnames, u_int len, char **vals)
{
    u_int i;

    if (len > (u_int)maxnames) {
        mvReportError(VIR_ERR_RPC, "too many remote networks: %u > %d", len, maxnames);
        return -1;
    }
    for (i = 0; i < len; i++)
        names[i] = g_strdup(vals[i]);
    return (int)len;
}

static int
remoteConnectListNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    remote_connect_list_networks_args args = { .maxnames = maxnames };
    remote_connect_list_networks_ret ret;
    int n;

    if (maxnames > REMOTE_NETWORK_LIST_MAX) {
        mvReportError(VIR_ERR_RPC, "too many remote networks: %d > %d",
                      maxnames, REMOTE_NETWORK_LIST_MAX);
        return -1;
    }
    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectListNetworks(remoteNetClient(conn), &args, &ret) < 0)
        return -1;
    n = remoteCopyNames(names, maxnames, ret.names.names_len, ret.names.names_val);
    REMOTE_FREE(xdr_remote_connect_list_networks_ret, &ret);
    return n;
}

static int
remoteConnectListDefinedNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    remote_connect_list_defined_networks_args args = { .maxnames = maxnames };
    remote_connect_list_defined_networks_ret ret;
    int n;

    if (maxnames > REMOTE_NETWORK_LIST_MAX) {
        mvReportError(VIR_ERR_RPC, "too many remote networks: %d > %d",
                      maxnames, REMOTE_NETWORK_LIST_MAX);
        return -1;
    }
    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectListDefinedNetworks(remoteNetClient(conn), &args, &ret) < 0)
        return -1;
    n = remoteCopyNames(names, maxnames, ret.names.names_len, ret.names.names_val);
    REMOTE_FREE(xdr_remote_connect_list_defined_networks_ret, &ret);
    return n;
}

static int
remoteConnectListAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags)
{
    remote_connect_list_all_networks_args args = {
        .need_results = nets != NULL,
        .flags = flags,
    };
    remote_connect_list_all_networks_ret ret;
    u_int i;
    int count;

    memset(&ret, 0, sizeof(ret));
    if (remoteCallConnectListAllNetworks(remoteNetClient(conn), &args, &ret) < 0)
        return -1;
    if (nets) {
        virNetworkPtr *list = g_new0(virNetworkPtr, ret.nets.nets_len + 1);

        for (i = 0; i < ret.nets.nets_len; i++)
            list[i] = remoteNetworkFromWire(conn, &ret.nets.nets_val[i]);
        *nets = list;
    }
    count = ret.ret;
    REMOTE_FREE(xdr_remote_connect_list_all_networks_ret, &ret);
    return count;
}

/*----- lookups, definition, lifecycle -----*/

/* The calls that answer with a network handle in ret.net. */
#define REMOTE_RETURN_NETWORK(conn, call, retfn, ret) \
    do { \
        virNetworkPtr _net; \
        memset(&(ret), 0, sizeof(ret)); \
        if ((call) < 0) \
            return NULL; \
        _net = remoteNetworkFromWire(conn, &(ret).net); \
        REMOTE_FREE(retfn, &(ret)); \
        return _net; \
    } while (0)

static virNetworkPtr
remoteNetworkLookupByName(virConnectPtr conn, const char *name)
{
    remote_network_lookup_by_name_args args = { .name = (char *)name };
    remote_network_lookup_by_name_ret ret;

    REMOTE_RETURN_NETWORK(conn, remoteCallNetworkLookupByName(remoteNetClient(conn), &args,
                                                              &ret),
                          xdr_remote_network_lookup_by_name_ret, ret);
}

static virNetworkPtr
remoteNetworkLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    remote_network_lookup_by_uuid_args args;
    remote_network_lookup_by_uuid_ret ret;

    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    REMOTE_RETURN_NETWORK(conn, remoteCallNetworkLookupByUUID(remoteNetClient(conn), &args,
                                                              &ret),
                          xdr_remote_network_lookup_by_uuid_ret, ret);
}

static virNetworkPtr
remoteNetworkCreateXML(virConnectPtr conn, const char *xmlDesc)
{
    remote_network_create_xml_args args = { .xml = (char *)xmlDesc };
    remote_network_create_xml_ret ret;

    REMOTE_RETURN_NETWORK(conn, remoteCallNetworkCreateXML(remoteNetClient(conn), &args, &ret),
                          xdr_remote_network_create_xml_ret, ret);
}

static virNetworkPtr
remoteNetworkCreateXMLFlags(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    remote_network_create_xml_flags_args args = { .xml = (char *)xmlDesc, .flags = flags };
    remote_network_create_xml_flags_ret ret;

    REMOTE_RETURN_NETWORK(conn, remoteCallNetworkCreateXMLFlags(remoteNetClient(conn), &args,
                                                                &ret),
                          xdr_remote_network_create_xml_flags_ret, ret);
}

static virNetworkPtr
remoteNetworkDefineXML(virConnectPtr conn, const char *xml)
{
    remote_network_define_xml_args args = { .xml = (char *)xml };
    remote_network_define_xml_ret ret;

    REMOTE_RETURN_NETWORK(conn, remoteCallNetworkDefineXML(remoteNetClient(conn), &args, &ret),
                          xdr_remote_network_define_xml_ret, ret);
}

static virNetworkPtr
remoteNetworkDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    remote_network_define_xml_flags_args args = { .xml = (char *)xml, .flags = flags };
    remote_network_define_xml_flags_ret ret;

    REMOTE_RETURN_NETWORK(conn, remoteCallNetworkDefineXMLFlags(remoteNetClient(conn), &args,
                                                                &ret),
                          xdr_remote_network_define_xml_flags_ret, ret);
}

static int
remoteNetworkUndefine(virNetworkPtr net)
{
    remote_network_undefine_args args;

    remoteNetworkToWire(net, &args.net);
    return remoteCallNetworkUndefine(remoteNetClient(net->conn), &args);
}

static int
remoteNetworkUpdate(virNetworkPtr net, unsigned int command, unsigned int section,
                    int parentIndex, const char *xml, unsigned int flags)
{
    remote_network_update_args args = {
        .command = command,
        .section = section,
        .parentIndex = parentIndex,
        .xml = (char *)xml,
        .flags = flags,
    };

    remoteNetworkToWire(net, &args.net);
    return remoteCallNetworkUpdate(remoteNetClient(net->conn), &args);
}

static int
remoteNetworkCreate(virNetworkPtr net)
{
    remote_network_create_args args;

    remoteNetworkToWire(net, &args.net);
    return remoteCallNetworkCreate(remoteNetClient(net->conn), &args);
}

static int
remoteNetworkDestroy(virNetworkPtr net)
{
    remote_network_destroy_args args;

    remoteNetworkToWire(net, &args.net);
    return remoteCallNetworkDestroy(remoteNetClient(net->conn), &args);
}

/*----- properties -----*/

static char *
remoteNetworkGetXMLDesc(virNetworkPtr net, unsigned int flags)
{
    remote_network_get_xml_desc_args args = { .flags = flags };
    remote_network_get_xml_desc_ret ret;
    char *xml;

    remoteNetworkToWire(net, &args.net);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNetworkGetXMLDesc(remoteNetClient(net->conn), &args, &ret) < 0)
        return NULL;
    xml = g_steal_pointer(&ret.xml);
    REMOTE_FREE(xdr_remote_network_get_xml_desc_ret, &ret);
    return xml;
}

static char *
remoteNetworkGetBridgeName(virNetworkPtr net)
{
    remote_network_get_bridge_name_args args;
    remote_network_get_bridge_name_ret ret;
    char *name;

    remoteNetworkToWire(net, &args.net);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNetworkGetBridgeName(remoteNetClient(net->conn), &args, &ret) < 0)
        return NULL;
    name = g_steal_pointer(&ret.name);
    REMOTE_FREE(xdr_remote_network_get_bridge_name_ret, &ret);
    return name;
}

static int
remoteNetworkGetAutostart(virNetworkPtr net, int *autostart)
{
    remote_network_get_autostart_args args;
    remote_network_get_autostart_ret ret;

    remoteNetworkToWire(net, &args.net);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNetworkGetAutostart(remoteNetClient(net->conn), &args, &ret) < 0)
        return -1;
    *autostart = ret.autostart;
    return 0;
}

static int
remoteNetworkSetAutostart(virNetworkPtr net, int autostart)
{
    remote_network_set_autostart_args args = { .autostart = autostart };

    remoteNetworkToWire(net, &args.net);
    return remoteCallNetworkSetAutostart(remoteNetClient(net->conn), &args);
}

static int
remoteNetworkIsActive(virNetworkPtr net)
{
    remote_network_is_active_args args;
    remote_network_is_active_ret ret;

    remoteNetworkToWire(net, &args.net);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNetworkIsActive(remoteNetClient(net->conn), &args, &ret) < 0)
        return -1;
    return ret.active ? 1 : 0;
}

static int
remoteNetworkIsPersistent(virNetworkPtr net)
{
    remote_network_is_persistent_args args;
    remote_network_is_persistent_ret ret;

    remoteNetworkToWire(net, &args.net);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNetworkIsPersistent(remoteNetClient(net->conn), &args, &ret) < 0)
        return -1;
    return ret.persistent ? 1 : 0;
}

static char *
remoteOptString(remote_string s)
{
    return s ? g_strdup(*s) : NULL;
}

static int
remoteNetworkGetDHCPLeases(virNetworkPtr net, const char *mac,
                           virNetworkDHCPLeasePtr **leases, unsigned int flags)
{
    remote_network_get_dhcp_leases_args args = {
        .need_results = leases != NULL,
        .flags = flags,
    };
    remote_network_get_dhcp_leases_ret ret;
    char *macp = (char *)mac;
    int count;
    u_int i;

    remoteNetworkToWire(net, &args.net);
    args.mac = mac ? &macp : NULL;
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNetworkGetDHCPLeases(remoteNetClient(net->conn), &args, &ret) < 0)
        return -1;
    if (ret.leases.leases_len > REMOTE_NETWORK_DHCP_LEASES_MAX) {
        REMOTE_FREE(xdr_remote_network_get_dhcp_leases_ret, &ret);
        mvReportError(VIR_ERR_RPC, "too many leases in the reply (the limit is %d)",
                      REMOTE_NETWORK_DHCP_LEASES_MAX);
        return -1;
    }
    if (leases) {
        virNetworkDHCPLeasePtr *list = g_new0(virNetworkDHCPLeasePtr,
                                              ret.leases.leases_len + 1);

        for (i = 0; i < ret.leases.leases_len; i++) {
            const remote_network_dhcp_lease *w = &ret.leases.leases_val[i];
            virNetworkDHCPLeasePtr l = g_new0(virNetworkDHCPLease, 1);

            l->iface = g_strdup(w->iface);
            l->expirytime = w->expirytime;
            l->type = w->type;
            l->mac = remoteOptString(w->mac);
            l->iaid = remoteOptString(w->iaid);
            l->ipaddr = g_strdup(w->ipaddr);
            l->prefix = w->prefix;
            l->hostname = remoteOptString(w->hostname);
            l->clientid = remoteOptString(w->clientid);
            list[i] = l;
        }
        *leases = list;
    }
    count = ret.ret;
    REMOTE_FREE(xdr_remote_network_get_dhcp_leases_ret, &ret);
    return count;
}

/*----- ports -----*/

static virNetworkPortPtr
remoteNetworkPortLookupByUUID(virNetworkPtr net, const unsigned char *uuid)
{
    remote_network_port_lookup_by_uuid_args args;
    remote_network_port_lookup_by_uuid_ret ret;
    virNetworkPortPtr port;

    remoteNetworkToWire(net, &args.network);
    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNetworkPortLookupByUUID(remoteNetClient(net->conn), &args, &ret) < 0)
        return NULL;
    port = remotePortFromWire(net, &ret.port);
    REMOTE_FREE(xdr_remote_network_port_lookup_by_uuid_ret, &ret);
    return port;
}

static virNetworkPortPtr
remoteNetworkPortCreateXML(virNetworkPtr net, const char *xmldesc, unsigned int flags)
{
    remote_network_port_create_xml_args args = { .xml = (char *)xmldesc, .flags = flags };
    remote_network_port_create_xml_ret ret;
    virNetworkPortPtr port;

    remoteNetworkToWire(net, &args.network);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNetworkPortCreateXML(remoteNetClient(net->conn), &args, &ret) < 0)
        return NULL;
    port = remotePortFromWire(net, &ret.port);
    REMOTE_FREE(xdr_remote_network_port_create_xml_ret, &ret);
    return port;
}

static char *
remoteNetworkPortGetXMLDesc(virNetworkPortPtr port, unsigned int flags)
{
    remote_network_port_get_xml_desc_args args = { .flags = flags };
    remote_network_port_get_xml_desc_ret ret;
    char *xml;

    remotePortToWire(port, &args.port);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNetworkPortGetXMLDesc(remoteNetClient(port->net->conn), &args, &ret) < 0)
        return NULL;
    xml = g_steal_pointer(&ret.xml);
    REMOTE_FREE(xdr_remote_network_port_get_xml_desc_ret, &ret);
    return xml;
}

static int
remoteNetworkPortDelete(virNetworkPortPtr port, unsigned int flags)
{
    remote_network_port_delete_args args = { .flags = flags };

    remotePortToWire(port, &args.port);
    return remoteCallNetworkPortDelete(remoteNetClient(port->net->conn), &args);
}

static int
remoteNetworkListAllPorts(virNetworkPtr net, virNetworkPortPtr **ports, unsigned int flags)
{
    remote_network_list_all_ports_args args = {
        .need_results = ports != NULL,
        .flags = flags,
    };
    remote_network_list_all_ports_ret ret;
    u_int i;
    int count;

    remoteNetworkToWire(net, &args.network);
    memset(&ret, 0, sizeof(ret));
    if (remoteCallNetworkListAllPorts(remoteNetClient(net->conn), &args, &ret) < 0)
        return -1;
    if (ports) {
        virNetworkPortPtr *list = g_new0(virNetworkPortPtr, ret.ports.ports_len + 1);

        for (i = 0; i < ret.ports.ports_len; i++)
            list[i] = remotePortFromWire(net, &ret.ports.ports_val[i]);
        *ports = list;
    }
    count = ret.ret;
    REMOTE_FREE(xdr_remote_network_list_all_ports_ret, &ret);
    return count;
}

/*----- events -----*/

typedef struct {
    virConnectPtr conn;            /* holds a reference */
    int remoteID;
    virNetworkPtr net;
    int event;
    int detail;
} remoteNetworkEvent;

static void
remoteNetworkEventFree(gpointer data)
{
    remoteNetworkEvent *ev = data;

    mvNetworkUnref(ev->net);
    mvConnectUnref(ev->conn);
    g_free(ev);
}

static void
remoteNetworkEventDispatch(virConnectPtr conn, int eventID, GCallback cb, void *cbopaque,
                           void *event)
{
    remoteNetworkEvent *ev = event;

    switch ((virNetworkEventID)eventID) {
    case VIR_NETWORK_EVENT_ID_LIFECYCLE:
        ((virConnectNetworkEventLifecycleCallback)(void (*)(void))cb)(conn, ev->net,
                                                                      ev->event, ev->detail,
                                                                      cbopaque);
        break;
    }
}

static gboolean
remoteNetworkEventDeliver(gpointer data)
{
    remoteNetworkEvent *ev = data;
    remotePriv *priv = remoteGetPriv(ev->conn);

    if (priv && priv->networkEvents)
        mvObjectEventStateEmitRemote(priv->networkEvents, ev->remoteID,
                                     remoteNetworkEventDispatch, ev);
    return G_SOURCE_REMOVE;
}

bool
remoteIsNetworkEventProc(int proc)
{
    return proc == REMOTE_PROC_NETWORK_EVENT_LIFECYCLE;
}

void
remoteHandleNetworkEvent(remotePriv *priv, rpcMessage *msg, GMainContext *ctx)
{
    remote_network_event_lifecycle_msg m;
    remoteNetworkEvent *ev;

    if (!mvConnectTryRef(priv->conn))
        return;
    memset(&m, 0, sizeof(m));
    if (rpcMessageDecodePayload(msg, REMOTE_XDR(xdr_remote_network_event_lifecycle_msg),
                                &m) < 0) {
        MV_DEBUG("cannot decode network event: %s", virGetLastErrorMessage());
        mvErrorReset();
        mvConnectUnref(priv->conn);
        return;
    }
    ev = g_new0(remoteNetworkEvent, 1);
    ev->conn = priv->conn;
    ev->remoteID = m.callbackID;
    ev->net = remoteNetworkFromWire(priv->conn, &m.net);
    ev->event = m.event;
    ev->detail = m.detail;
    REMOTE_FREE(xdr_remote_network_event_lifecycle_msg, &m);
    g_main_context_invoke_full(ctx, G_PRIORITY_DEFAULT, remoteNetworkEventDeliver, ev,
                               remoteNetworkEventFree);
}

static int
remoteConnectNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                     virConnectNetworkEventGenericCallback cb,
                                     void *opaque, virFreeCallback freecb)
{
    remotePriv *priv = remoteGetPriv(conn);
    g_autoptr(GMutexLocker) locker = NULL;
    const unsigned char *filter = net ? net->uuid : NULL;
    int remoteID;
    int localID;

    if (!mvEventLoopContext()) {
        mvReportError(VIR_ERR_OPERATION_INVALID,
                      "no event loop is registered: call virEventRegisterDefaultImpl first");
        return -1;
    }
    locker = g_mutex_locker_new(&priv->lock);
    remoteID = mvObjectEventStateFindRemoteID(priv->networkEvents, conn, eventID, filter);
    if (remoteID < 0) {
        remote_connect_network_event_register_any_args args;
        remote_connect_network_event_register_any_ret ret;
        remote_nonnull_network wire;

        memset(&args, 0, sizeof(args));
        memset(&ret, 0, sizeof(ret));
        args.eventID = eventID;
        if (net) {
            remoteNetworkToWire(net, &wire);
            args.net = &wire;
        }
        if (remoteCallConnectNetworkEventRegisterAny(priv->client, &args, &ret) < 0)
            return -1;
        remoteID = ret.callbackID;
    }
    localID = mvObjectEventStateRegister(priv->networkEvents, conn, eventID,
                                         VIR_NETWORK_EVENT_ID_LIFECYCLE + 1, filter,
                                         G_CALLBACK(cb), opaque, freecb);
    if (localID < 0)
        return -1;
    mvObjectEventStateSetRemoteID(priv->networkEvents, localID, remoteID);
    return localID;
}

static int
remoteConnectNetworkEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    remotePriv *priv = remoteGetPriv(conn);
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&priv->lock);
    int shared = 0;
    int remoteID = mvObjectEventStateGetRemoteID(priv->networkEvents, conn, callbackID,
                                                 &shared);

    if (mvObjectEventStateDeregister(priv->networkEvents, conn, callbackID) < 0)
        return -1;
    if (remoteID >= 0 && shared == 1) {
        remote_connect_network_event_deregister_any_args args = { .callbackID = remoteID };

        if (remoteCallConnectNetworkEventDeregisterAny(priv->client, &args) < 0)
            return -1;
    }
    return 0;
}

const mvNetworkDriver mvRemoteNetworkDriver = {
    .connectNumOfNetworks = remoteConnectNumOfNetworks,
    .connectListNetworks = remoteConnectListNetworks,
    .connectNumOfDefinedNetworks = remoteConnectNumOfDefinedNetworks,
    .connectListDefinedNetworks = remoteConnectListDefinedNetworks,
    .connectListAllNetworks = remoteConnectListAllNetworks,
    .networkLookupByName = remoteNetworkLookupByName,
    .networkLookupByUUID = remoteNetworkLookupByUUID,
    .networkCreateXML = remoteNetworkCreateXML,
    .networkCreateXMLFlags = remoteNetworkCreateXMLFlags,
    .networkDefineXML = remoteNetworkDefineXML,
    .networkDefineXMLFlags = remoteNetworkDefineXMLFlags,
    .networkUndefine = remoteNetworkUndefine,
    .networkUpdate = remoteNetworkUpdate,
    .networkCreate = remoteNetworkCreate,
    .networkDestroy = remoteNetworkDestroy,
    .networkGetXMLDesc = remoteNetworkGetXMLDesc,
    .networkGetBridgeName = remoteNetworkGetBridgeName,
    .networkGetAutostart = remoteNetworkGetAutostart,
    .networkSetAutostart = remoteNetworkSetAutostart,
    .networkIsActive = remoteNetworkIsActive,
    .networkIsPersistent = remoteNetworkIsPersistent,
    .networkGetDHCPLeases = remoteNetworkGetDHCPLeases,
    .connectNetworkEventRegisterAny = remoteConnectNetworkEventRegisterAny,
    .connectNetworkEventDeregisterAny = remoteConnectNetworkEventDeregisterAny,
    .networkPortLookupByUUID = remoteNetworkPortLookupByUUID,
    .networkPortCreateXML = remoteNetworkPortCreateXML,
    .networkPortGetXMLDesc = remoteNetworkPortGetXMLDesc,
    .networkPortDelete = remoteNetworkPortDelete,
    .networkListAllPorts = remoteNetworkListAllPorts,
};
