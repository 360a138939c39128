/*
 * daemon_dispatch_network: the REMOTE program's network procedures (36-52,
 * 152-153, 283, 291, 341), network ports (404-410 except the parameter
 * calls) and network events (313-315).
 *
 * Every handler calls the public API on the connection serving networks
 * for the client: its own on virtnetworkd, a connection to virtnetworkd on
 * other daemons (daemon_forward.c).  The public API checks arguments and
 * read-only access before the driver sees the call; the server core has
 * already refused state changes on a read-only socket from the @readonly
 * annotations.  Handles arrive as remote_nonnull_network(_port) and become
 * virNetwork / virNetworkPort objects without a lookup: the driver finds
 * the network by UUID and reports VIR_ERR_NO_NETWORK itself.
 *
 * Events: a client registration becomes a registration on that same
 * connection; its callback sends each event as a MESSAGE carrying the
 * callback id returned to the client.  The registrations of all clients
 * live in one list here (guarded by daemonNetEventLock, taken after a
 * client's priv->lock); each entry holds a reference on the connection it
 * lives on, so a forwarded connection replaced after its daemon restarted
 * stays valid until the entry goes.  Entries go on deregistration, when the
 * client closes (daemonClientDropNetworkEvents), or, for a client already
 * gone, at the next registration of anyone.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "client_driver.h"
#include "daemon_priv.h"
#include "mv_error.h"
#include "mv_log.h"
#include "remote_dispatch.h"

#define MV_FROM_THIS VIR_FROM_RPC

MV_LOG_INIT("daemon.dispatch.network");

/* Called from daemon_dispatch_connect.c next to the secret and domain
 * variants (declared here until daemon_priv.h lists it). */
void daemonClientDropNetworkEvents(daemonClient *priv);

static void
daemonNetworkRelease(virNetworkPtr *net)
{
    if (*net) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();
        virNetworkFree(*net);
        mvErrorRestore(&saved);
        *net = NULL;
    }
}

#define DAEMON_AUTONET __attribute__((cleanup(daemonNetworkRelease)))

static void
daemonNetworkPortRelease(virNetworkPortPtr *port)
{
    if (*port) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();
        virNetworkPortFree(*port);
        mvErrorRestore(&saved);
        *port = NULL;
    }
}

#define DAEMON_AUTOPORT __attribute__((cleanup(daemonNetworkPortRelease)))

#define DAEMON_NET_CONN(client) daemonClientGetConnFor((client), MV_DAEMON_AREA_NETWORK)

/* A handle for the network the client named (no lookup). */
static virNetworkPtr
daemonNetworkFromWire(virConnectPtr conn, const remote_nonnull_network *n)
{
    return mvGetNetwork(conn, n->name, (const unsigned char *)n->uuid);
}

static void
daemonNetworkToWire(virNetworkPtr net, remote_nonnull_network *n)
{
    n->name = g_strdup(net->name);
    memcpy(n->uuid, net->uuid, VIR_UUID_BUFLEN);
}

static virNetworkPortPtr
daemonPortFromWire(virConnectPtr conn, const remote_nonnull_network_port *p)
{
    DAEMON_AUTONET virNetworkPtr net = daemonNetworkFromWire(conn, &p->net);

    return mvGetNetworkPort(net, (const unsigned char *)p->uuid);
}

static void
daemonPortToWire(virNetworkPortPtr port, remote_nonnull_network_port *p)
{
    daemonNetworkToWire(port->net, &p->net);
    memcpy(p->uuid, port->uuid, VIR_UUID_BUFLEN);
}

/* --- listing ------------------------------------------------------------ */

int
remoteDispatchConnectNumOfNetworks(rpcServer *server, rpcServerClient *client,
                                   rpcMessage *msg, void *args,
                                   remote_connect_num_of_networks_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    int n;

    if (!conn || (n = virConnectNumOfNetworks(conn)) < 0)
        return -1;
    ret->num = n;
    return 0;
}

int
remoteDispatchConnectNumOfDefinedNetworks(rpcServer *server, rpcServerClient *client,
                                          rpcMessage *msg, void *args,
                                          remote_connect_num_of_defined_networks_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    int n;

    if (!conn || (n = virConnectNumOfDefinedNetworks(conn)) < 0)
        return -1;
    ret->num = n;
    return 0;
}

/* Shared by the two name-list calls: @defined picks the inactive list. */
static int
daemonListNetworkNames(rpcServerClient *client, int maxnames, bool defined,
                       u_int *len, char ***vals)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    char **names;
    int n;

    if (!conn)
        return -1;
    if (maxnames < 0 || maxnames > REMOTE_NETWORK_LIST_MAX) {
        mvReportError(VIR_ERR_RPC, "maxnames %d is outside 0 to REMOTE_NETWORK_LIST_MAX (%d)",
                      maxnames, REMOTE_NETWORK_LIST_MAX);
        return -1;
    }
    names = g_new0(char *, maxnames + 1);
    n = defined ? virConnectListDefinedNetworks(conn, names, maxnames) :
                  virConnectListNetworks(conn, names, maxnames);
    if (n < 0) {
        g_free(names);
        return -1;
    }
    *len = n;
    *vals = names;
    return 0;
}

int
remoteDispatchConnectListNetworks(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, remote_connect_list_networks_args *args,
                                  remote_connect_list_networks_ret *ret)
{
    return daemonListNetworkNames(client, args->maxnames, false, &ret->names.names_len,
                                  &ret->names.names_val);
}

int
remoteDispatchConnectListDefinedNetworks(rpcServer *server, rpcServerClient *client,
                                         rpcMessage *msg,
                                         remote_connect_list_defined_networks_args *args,
                                         remote_connect_list_defined_networks_ret *ret)
{
    return daemonListNetworkNames(client, args->maxnames, true, &ret->names.names_len,
                                  &ret->names.names_val);
}

int
remoteDispatchConnectListAllNetworks(rpcServer *server, rpcServerClient *client,
                                     rpcMessage *msg,
                                     remote_connect_list_all_networks_args *args,
                                     remote_connect_list_all_networks_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    virNetworkPtr *nets = NULL;
    int n;
    int i;

    if (!conn)
        return -1;
    if ((n = virConnectListAllNetworks(conn, args->need_results ? &nets : NULL,
                                       args->flags)) < 0)
        return -1;
    if (n > REMOTE_NETWORK_LIST_MAX) {
        for (i = 0; nets && i < n; i++)
            virNetworkFree(nets[i]);
        g_free(nets);
        mvReportError(VIR_ERR_RPC, "too many networks %d for the wire (the limit is %d)",
                      n, REMOTE_NETWORK_LIST_MAX);
        return -1;
    }
    if (nets) {
        ret->nets.nets_len = n;
        ret->nets.nets_val = g_new0(remote_nonnull_network, n > 0 ? n : 1);
        for (i = 0; i < n; i++) {
            daemonNetworkToWire(nets[i], &ret->nets.nets_val[i]);
            virNetworkFree(nets[i]);
        }
        g_free(nets);
    }
    ret->ret = n;
    return 0;
}

/* --- lookups, definition and lifecycle -------------------------------- */

int
remoteDispatchNetworkLookupByName(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, remote_network_lookup_by_name_args *args,
                                  remote_network_lookup_by_name_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;

    if (!conn || !(net = virNetworkLookupByName(conn, args->name)))
        return -1;
    daemonNetworkToWire(net, &ret->net);
    return 0;
}

int
remoteDispatchNetworkLookupByUUID(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, remote_network_lookup_by_uuid_args *args,
                                  remote_network_lookup_by_uuid_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;

    if (!conn || !(net = virNetworkLookupByUUID(conn, (unsigned char *)args->uuid)))
        return -1;
    daemonNetworkToWire(net, &ret->net);
    return 0;
}

int
remoteDispatchNetworkCreateXML(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                               remote_network_create_xml_args *args,
                               remote_network_create_xml_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;

    if (!conn || !(net = virNetworkCreateXML(conn, args->xml)))
        return -1;
    daemonNetworkToWire(net, &ret->net);
    return 0;
}

int
remoteDispatchNetworkCreateXMLFlags(rpcServer *server, rpcServerClient *client,
                                    rpcMessage *msg, remote_network_create_xml_flags_args *args,
                                    remote_network_create_xml_flags_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;

    if (!conn || !(net = virNetworkCreateXMLFlags(conn, args->xml, args->flags)))
        return -1;
    daemonNetworkToWire(net, &ret->net);
    return 0;
}

int
remoteDispatchNetworkDefineXML(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                               remote_network_define_xml_args *args,
                               remote_network_define_xml_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;

    if (!conn || !(net = virNetworkDefineXML(conn, args->xml)))
        return -1;
    daemonNetworkToWire(net, &ret->net);
    return 0;
}

int
remoteDispatchNetworkDefineXMLFlags(rpcServer *server, rpcServerClient *client,
                                    rpcMessage *msg, remote_network_define_xml_flags_args *args,
                                    remote_network_define_xml_flags_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;

    if (!conn || !(net = virNetworkDefineXMLFlags(conn, args->xml, args->flags)))
        return -1;
    daemonNetworkToWire(net, &ret->net);
    return 0;
}

/* The body of the calls that take only a network and answer nothing. */
#define DAEMON_NET_SIMPLE(client, wire, call) \
    do { \
        DAEMON_AUTOCONN virConnectPtr _conn = DAEMON_NET_CONN(client); \
        DAEMON_AUTONET virNetworkPtr _net = NULL; \
        if (!_conn) \
            return -1; \
        _net = daemonNetworkFromWire(_conn, (wire)); \
        return call(_net) < 0 ? -1 : 0; \
    } while (0)

int
remoteDispatchNetworkUndefine(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                              remote_network_undefine_args *args, void *ret)
{
    DAEMON_NET_SIMPLE(client, &args->net, virNetworkUndefine);
}

int
remoteDispatchNetworkCreate(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                            remote_network_create_args *args, void *ret)
{
    DAEMON_NET_SIMPLE(client, &args->net, virNetworkCreate);
}

int
remoteDispatchNetworkDestroy(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                             remote_network_destroy_args *args, void *ret)
{
    DAEMON_NET_SIMPLE(client, &args->net, virNetworkDestroy);
}

int
remoteDispatchNetworkUpdate(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                            remote_network_update_args *args, void *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;

    if (!conn)
        return -1;
    net = daemonNetworkFromWire(conn, &args->net);
    return virNetworkUpdate(net, args->command, args->section, args->parentIndex, args->xml,
                            args->flags) < 0 ? -1 : 0;
}

/* --- properties ------------------------------------------------------- */

int
remoteDispatchNetworkGetXMLDesc(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                remote_network_get_xml_desc_args *args,
                                remote_network_get_xml_desc_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;
    char *xml;

    if (!conn)
        return -1;
    net = daemonNetworkFromWire(conn, &args->net);
    if (!(xml = virNetworkGetXMLDesc(net, args->flags)))
        return -1;
    ret->xml = xml;
    return 0;
}

int
remoteDispatchNetworkGetBridgeName(rpcServer *server, rpcServerClient *client,
                                   rpcMessage *msg, remote_network_get_bridge_name_args *args,
                                   remote_network_get_bridge_name_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;
    char *name;

    if (!conn)
        return -1;
    net = daemonNetworkFromWire(conn, &args->net);
    if (!(name = virNetworkGetBridgeName(net)))
        return -1;
    ret->name = name;
    return 0;
}

int
remoteDispatchNetworkGetAutostart(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, remote_network_get_autostart_args *args,
                                  remote_network_get_autostart_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;
    int autostart = 0;

    if (!conn)
        return -1;
    net = daemonNetworkFromWire(conn, &args->net);
    if (virNetworkGetAutostart(net, &autostart) < 0)
        return -1;
    ret->autostart = autostart;
    return 0;
}

int
remoteDispatchNetworkSetAutostart(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, remote_network_set_autostart_args *args,
                                  void *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;

    if (!conn)
        return -1;
    net = daemonNetworkFromWire(conn, &args->net);
    return virNetworkSetAutostart(net, args->autostart) < 0 ? -1 : 0;
}

int
remoteDispatchNetworkIsActive(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                              remote_network_is_active_args *args,
                              remote_network_is_active_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;
    int active;

    if (!conn)
        return -1;
    net = daemonNetworkFromWire(conn, &args->net);
    if ((active = virNetworkIsActive(net)) < 0)
        return -1;
    ret->active = active;
    return 0;
}

int
remoteDispatchNetworkIsPersistent(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, remote_network_is_persistent_args *args,
                                  remote_network_is_persistent_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;
    int persistent;

    if (!conn)
        return -1;
    net = daemonNetworkFromWire(conn, &args->net);
    if ((persistent = virNetworkIsPersistent(net)) < 0)
        return -1;
    ret->persistent = persistent;
    return 0;
}

static remote_string
daemonOptString(const char *s)
{
    remote_string r;

    if (!s)
        return NULL;
    r = g_new0(char *, 1);
    *r = g_strdup(s);
    return r;
}

int
remoteDispatchNetworkGetDHCPLeases(rpcServer *server, rpcServerClient *client,
                                   rpcMessage *msg, remote_network_get_dhcp_leases_args *args,
                                   remote_network_get_dhcp_leases_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;
    virNetworkDHCPLeasePtr *leases = NULL;
    int n;
    int i;

    if (!conn)
        return -1;
    net = daemonNetworkFromWire(conn, &args->net);
    if ((n = virNetworkGetDHCPLeases(net, args->mac ? *args->mac : NULL,
                                     args->need_results ? &leases : NULL, args->flags)) < 0)
        return -1;
    if (n > REMOTE_NETWORK_DHCP_LEASES_MAX) {
        for (i = 0; leases && i < n; i++)
            virNetworkDHCPLeaseFree(leases[i]);
        g_free(leases);
        mvReportError(VIR_ERR_RPC, "too many leases %d for the wire (the limit is %d)",
                      n, REMOTE_NETWORK_DHCP_LEASES_MAX);
        return -1;
    }
    if (leases) {
        ret->leases.leases_len = n;
        ret->leases.leases_val = g_new0(remote_network_dhcp_lease, n > 0 ? n : 1);
        for (i = 0; i < n; i++) {
            remote_network_dhcp_lease *w = &ret->leases.leases_val[i];
            virNetworkDHCPLeasePtr l = leases[i];

            w->iface = g_strdup(l->iface ? l->iface : "");
            w->expirytime = l->expirytime;
            w->type = l->type;
            w->mac = daemonOptString(l->mac);
            w->iaid = daemonOptString(l->iaid);
            w->ipaddr = g_strdup(l->ipaddr ? l->ipaddr : "");
            w->prefix = l->prefix;
            w->hostname = daemonOptString(l->hostname);
            w->clientid = daemonOptString(l->clientid);
            virNetworkDHCPLeaseFree(l);
        }
        g_free(leases);
    }
    ret->ret = n;
    return 0;
}

/* --- ports ------------------------------------------------------------ */

int
remoteDispatchNetworkListAllPorts(rpcServer *server, rpcServerClient *client,
                                  rpcMessage *msg, remote_network_list_all_ports_args *args,
                                  remote_network_list_all_ports_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;
    virNetworkPortPtr *ports = NULL;
    int n;
    int i;

    if (!conn)
        return -1;
    net = daemonNetworkFromWire(conn, &args->network);
    if ((n = virNetworkListAllPorts(net, args->need_results ? &ports : NULL,
                                    args->flags)) < 0)
        return -1;
    if (n > REMOTE_NETWORK_PORT_LIST_MAX) {
        for (i = 0; ports && i < n; i++)
            virNetworkPortFree(ports[i]);
        g_free(ports);
        mvReportError(VIR_ERR_RPC, "too many ports %d for the wire (the limit is %d)",
                      n, REMOTE_NETWORK_PORT_LIST_MAX);
        return -1;
    }
    if (ports) {
        ret->ports.ports_len = n;
        ret->ports.ports_val = g_new0(remote_nonnull_network_port, n > 0 ? n : 1);
        for (i = 0; i < n; i++) {
            daemonPortToWire(ports[i], &ret->ports.ports_val[i]);
            virNetworkPortFree(ports[i]);
        }
        g_free(ports);
    }
    ret->ret = n;
    return 0;
}

int
remoteDispatchNetworkPortLookupByUUID(rpcServer *server, rpcServerClient *client,
                                      rpcMessage *msg,
                                      remote_network_port_lookup_by_uuid_args *args,
                                      remote_network_port_lookup_by_uuid_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;
    DAEMON_AUTOPORT virNetworkPortPtr port = NULL;

    if (!conn)
        return -1;
    net = daemonNetworkFromWire(conn, &args->network);
    if (!(port = virNetworkPortLookupByUUID(net, (unsigned char *)args->uuid)))
        return -1;
    daemonPortToWire(port, &ret->port);
    return 0;
}

int
remoteDispatchNetworkPortCreateXML(rpcServer *server, rpcServerClient *client,
                                   rpcMessage *msg, remote_network_port_create_xml_args *args,
                                   remote_network_port_create_xml_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;
    DAEMON_AUTOPORT virNetworkPortPtr port = NULL;

    if (!conn)
        return -1;
    net = daemonNetworkFromWire(conn, &args->network);
    if (!(port = virNetworkPortCreateXML(net, args->xml, args->flags)))
        return -1;
    daemonPortToWire(port, &ret->port);
    return 0;
}

int
remoteDispatchNetworkPortGetXMLDesc(rpcServer *server, rpcServerClient *client,
                                    rpcMessage *msg, remote_network_port_get_xml_desc_args *args,
                                    remote_network_port_get_xml_desc_ret *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTOPORT virNetworkPortPtr port = NULL;
    char *xml;

    if (!conn)
        return -1;
    port = daemonPortFromWire(conn, &args->port);
    if (!(xml = virNetworkPortGetXMLDesc(port, args->flags)))
        return -1;
    ret->xml = xml;
    return 0;
}

int
remoteDispatchNetworkPortDelete(rpcServer *server, rpcServerClient *client, rpcMessage *msg,
                                remote_network_port_delete_args *args, void *ret)
{
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTOPORT virNetworkPortPtr port = NULL;

    if (!conn)
        return -1;
    port = daemonPortFromWire(conn, &args->port);
    return virNetworkPortDelete(port, args->flags) < 0 ? -1 : 0;
}

/* --- events ------------------------------------------------------------- */

/* One registration in the process-wide list. */
typedef struct {
    daemonClient *priv;         /* identity only; never dereferenced */
    daemonClientLink *link;     /* referenced: tells whether the client is gone */
    virConnectPtr conn;         /* referenced: where the registration lives */
    int callbackID;
} daemonNetEventReg;

static GMutex daemonNetEventLock;
static GPtrArray *daemonNetEventRegs;   /* of daemonNetEventReg, guarded by the lock */

static void
daemonNetEventRegFree(gpointer p)
{
    daemonNetEventReg *reg = p;

    daemonClientLinkUnref(reg->link);
    daemonConnRelease(&reg->conn);
    g_free(reg);
}

/* Deregisters and frees the entries of @regs (no lock held but possibly the
 * owning client's). */
static void
daemonNetEventRegsDrop(GPtrArray *regs)
{
    guint i;

    for (i = 0; i < regs->len; i++) {
        daemonNetEventReg *reg = g_ptr_array_index(regs, i);

        if (virConnectNetworkEventDeregisterAny(reg->conn, reg->callbackID) < 0) {
            MV_DEBUG("dropping network event callback %d failed, ignoring", reg->callbackID);
            mvErrorReset();
        }
    }
    g_ptr_array_unref(regs);
}

/* Moves the entries matching @priv (or, with @priv NULL, those whose client
 * is gone) out of the list. */
static GPtrArray *
daemonNetEventRegsTake(daemonClient *priv)
{
    GPtrArray *taken = g_ptr_array_new_with_free_func(daemonNetEventRegFree);
    guint i = 0;

    g_mutex_lock(&daemonNetEventLock);
    while (daemonNetEventRegs && i < daemonNetEventRegs->len) {
        daemonNetEventReg *reg = g_ptr_array_index(daemonNetEventRegs, i);
        bool take;

        if (priv) {
            take = reg->priv == priv;
        } else {
            g_mutex_lock(&reg->link->lock);
            take = reg->link->client == NULL;
            g_mutex_unlock(&reg->link->lock);
        }
        if (take)
            g_ptr_array_add(taken, g_ptr_array_steal_index_fast(daemonNetEventRegs, i));
        else
            i++;
    }
    g_mutex_unlock(&daemonNetEventLock);
    return taken;
}

void
daemonClientDropNetworkEvents(daemonClient *priv)
{
    daemonNetEventRegsDrop(daemonNetEventRegsTake(priv));
}

static void
daemonNetEventLifecycle(virConnectPtr conn, virNetworkPtr net, int event, int detail,
                        void *opaque)
{
    daemonEventData *data = opaque;
    remote_network_event_lifecycle_msg m = { 0 };
    int id = g_atomic_int_get(&data->callbackID);

    if (id < 0)
        return;
    m.callbackID = id;
    daemonNetworkToWire(net, &m.net);
    m.event = event;
    m.detail = detail;
    daemonEventSend(data, REMOTE_PROC_NETWORK_EVENT_LIFECYCLE,
                    (xdrproc_t)(void (*)(void))xdr_remote_network_event_lifecycle_msg, &m);
    g_free(m.net.name);
}

int
remoteDispatchConnectNetworkEventRegisterAny(rpcServer *server, rpcServerClient *client,
                                             rpcMessage *msg,
                                             remote_connect_network_event_register_any_args *args,
                                             remote_connect_network_event_register_any_ret *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    DAEMON_AUTONET virNetworkPtr net = NULL;
    daemonEventData *data;
    daemonNetEventReg *reg;
    int id;

    if (!conn)
        return -1;
    if (args->eventID != VIR_NETWORK_EVENT_ID_LIFECYCLE) {
        mvReportError(VIR_ERR_INVALID_ARG, "unsupported network event ID %d", args->eventID);
        return -1;
    }
    /* registrations of clients that left without the close hook */
    daemonNetEventRegsDrop(daemonNetEventRegsTake(NULL));

    if (args->net)
        net = daemonNetworkFromWire(conn, args->net);
    data = daemonEventDataNew(priv->link);

    g_mutex_lock(&priv->lock);
    if (priv->conn != conn && priv->fwd[MV_DAEMON_AREA_NETWORK] != conn) {
        /* closed (and maybe reopened) while we were getting here */
        g_mutex_unlock(&priv->lock);
        daemonEventDataFree(data);
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "hypervisor connection not open");
        return -1;
    }
    id = virConnectNetworkEventRegisterAny(conn, net, args->eventID,
                                           VIR_NETWORK_EVENT_CALLBACK(daemonNetEventLifecycle),
                                           data, daemonEventDataFree);
    if (id < 0) {
        g_mutex_unlock(&priv->lock);
        return -1;
    }
    g_atomic_int_set(&data->callbackID, id);
    reg = g_new0(daemonNetEventReg, 1);
    reg->priv = priv;
    reg->link = daemonClientLinkRef(priv->link);
    reg->conn = conn;
    virConnectRef(conn);
    reg->callbackID = id;
    g_mutex_lock(&daemonNetEventLock);
    if (!daemonNetEventRegs)
        daemonNetEventRegs = g_ptr_array_new_with_free_func(daemonNetEventRegFree);
    g_ptr_array_add(daemonNetEventRegs, reg);
    g_mutex_unlock(&daemonNetEventLock);
    g_mutex_unlock(&priv->lock);

    ret->callbackID = id;
    return 0;
}

int
remoteDispatchConnectNetworkEventDeregisterAny(rpcServer *server, rpcServerClient *client,
                                               rpcMessage *msg,
                                               remote_connect_network_event_deregister_any_args *args,
                                               void *ret)
{
    daemonClient *priv = rpcServerClientGetPrivate(client);
    DAEMON_AUTOCONN virConnectPtr conn = DAEMON_NET_CONN(client);
    daemonNetEventReg *found = NULL;
    guint i;
    int rc;

    if (!conn)
        return -1;
    g_mutex_lock(&priv->lock);
    g_mutex_lock(&daemonNetEventLock);
    for (i = 0; daemonNetEventRegs && i < daemonNetEventRegs->len; i++) {
        daemonNetEventReg *reg = g_ptr_array_index(daemonNetEventRegs, i);

        if (reg->priv == priv && reg->callbackID == args->callbackID && reg->conn == conn) {
            found = g_ptr_array_steal_index_fast(daemonNetEventRegs, i);
            break;
        }
    }
    g_mutex_unlock(&daemonNetEventLock);
    if (!found) {
        g_mutex_unlock(&priv->lock);
        mvReportError(VIR_ERR_INVALID_ARG, "no network event callback with ID %d",
                      args->callbackID);
        return -1;
    }
    rc = virConnectNetworkEventDeregisterAny(conn, args->callbackID);
    g_mutex_unlock(&priv->lock);
    daemonNetEventRegFree(found);
    return rc < 0 ? -1 : 0;
}
