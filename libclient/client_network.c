/*
 * client_network: the public network API (libvirt-network.h) and the
 * network and network-port handle objects.
 *
 * Each entry point resets the thread's error, checks the handle and its
 * arguments the way libvirt does (invalid handle, read-only denial for
 * calls that change something, NULL or negative arguments, each with
 * libvirt's wording), then calls the network table of the connection's
 * driver; a missing table or function is VIR_ERR_NO_SUPPORT naming the
 * API.  On failure the error is dispatched (copied to the connection and
 * passed to the error function).  Flags are the driver's to check.
 *
 * Handles are immutable and reference counted with atomic operations: a
 * network holds a reference on its connection, a port on its network.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_error.h"
#include "mv_uuid.h"
#include "client_internal.h"
#include "client_network.h"

#define MV_FROM_THIS VIR_FROM_NETWORK

/* --- handles ------------------------------------------------------------ */

virNetworkPtr
mvGetNetwork(virConnectPtr conn, const char *name, const unsigned char *uuid)
{
    virNetworkPtr net = g_new0(virNetwork, 1);

    net->refs = 1;
    net->conn = mvConnectRefInternal(conn);
    net->name = g_strdup(name ? name : "");
    memcpy(net->uuid, uuid, VIR_UUID_BUFLEN);
    return net;
}

void
mvNetworkUnref(virNetworkPtr net)
{
    if (!net || g_atomic_int_add(&net->refs, -1) != 1)
        return;
    mvConnectUnref(net->conn);
    g_free(net->name);
    g_free(net);
}

virNetworkPortPtr
mvGetNetworkPort(virNetworkPtr net, const unsigned char *uuid)
{
    virNetworkPortPtr port = g_new0(virNetworkPort, 1);

    port->refs = 1;
    g_atomic_int_inc(&net->refs);
    port->net = net;
    memcpy(port->uuid, uuid, VIR_UUID_BUFLEN);
    return port;
}

void
mvNetworkPortUnref(virNetworkPortPtr port)
{
    if (!port || g_atomic_int_add(&port->refs, -1) != 1)
        return;
    mvNetworkUnref(port->net);
    g_free(port);
}

/* --- argument checks ---------------------------------------------------- */

#define NET_FAIL(conn, retval) \
    do { \
        mvDispatchError(conn); \
        return retval; \
    } while (0)

#define NET_CHECK_CONN(conn, retval) \
    do { \
        virResetLastError(); \
        if (!(conn)) { \
            mvReportInvalidConn(MV_FROM_THIS, __func__); \
            NET_FAIL(NULL, retval); \
        } \
    } while (0)

/* Resets the error, checks @net and sets the local 'conn'. */
#define NET_CHECK_NETWORK(net, retval) \
    do { \
        virResetLastError(); \
        if (!(net) || !(net)->conn) { \
            mvReportError(VIR_ERR_INVALID_NETWORK, "%s", __func__); \
            NET_FAIL(NULL, retval); \
        } \
        conn = (net)->conn; \
    } while (0)

/* Resets the error, checks @port and sets the local 'conn'. */
#define NET_CHECK_PORT(port, retval) \
    do { \
        virResetLastError(); \
        if (!(port) || !(port)->net || !(port)->net->conn) { \
            mvReportError(VIR_ERR_INVALID_NETWORK_PORT, "%s", __func__); \
            NET_FAIL(NULL, retval); \
        } \
        conn = (port)->net->conn; \
    } while (0)

#define NET_CHECK_NONNULL(conn, arg, retval) \
    do { \
        if (!(arg)) { \
            mvReportNonNullArg(MV_FROM_THIS, __func__, #arg); \
            NET_FAIL(conn, retval); \
        } \
    } while (0)

#define NET_CHECK_NONNEGATIVE(conn, arg, retval) \
    do { \
        if ((arg) < 0) { \
            mvReportNonNegativeArg(MV_FROM_THIS, __func__, #arg); \
            NET_FAIL(conn, retval); \
        } \
    } while (0)

#define NET_CHECK_READONLY(conn, retval) \
    do { \
        if ((conn)->flags & VIR_CONNECT_RO) { \
            mvReportReadOnly(MV_FROM_THIS, __func__); \
            NET_FAIL(conn, retval); \
        } \
    } while (0)

/* Evaluates to the driver function @fn or reports NO_SUPPORT and returns. */
#define NET_DRIVER_FN(conn, fn, retval) \
    ({ \
        const mvNetworkDriver *_nd = (conn)->driver ? (conn)->driver->networkDriver : NULL; \
        if (!_nd || !_nd->fn) { \
            mvReportUnsupported(MV_FROM_THIS, __func__); \
            NET_FAIL(conn, retval); \
        } \
        _nd->fn; \
    })

/* --- connection-level calls ----------------------------------------------- */

int
virConnectNumOfNetworks(virConnectPtr conn)
{
    int ret;

    NET_CHECK_CONN(conn, -1);
    if ((ret = NET_DRIVER_FN(conn, connectNumOfNetworks, -1)(conn)) < 0)
        NET_FAIL(conn, -1);
    return ret;
}

int
virConnectListNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    int ret;

    NET_CHECK_CONN(conn, -1);
    NET_CHECK_NONNULL(conn, names, -1);
    NET_CHECK_NONNEGATIVE(conn, maxnames, -1);
    if ((ret = NET_DRIVER_FN(conn, connectListNetworks, -1)(conn, names, maxnames)) < 0)
        NET_FAIL(conn, -1);
    return ret;
}

int
virConnectNumOfDefinedNetworks(virConnectPtr conn)
{
    int ret;

    NET_CHECK_CONN(conn, -1);
    if ((ret = NET_DRIVER_FN(conn, connectNumOfDefinedNetworks, -1)(conn)) < 0)
        NET_FAIL(conn, -1);
    return ret;
}

int
virConnectListDefinedNetworks(virConnectPtr conn, char **const names, int maxnames)
{
    int ret;

    NET_CHECK_CONN(conn, -1);
    NET_CHECK_NONNULL(conn, names, -1);
    NET_CHECK_NONNEGATIVE(conn, maxnames, -1);
    ret = NET_DRIVER_FN(conn, connectListDefinedNetworks, -1)(conn, names, maxnames);
    if (ret < 0)
        NET_FAIL(conn, -1);
    return ret;
}

int
virConnectListAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags)
{
    int ret;

    if (nets)
        *nets = NULL;
    NET_CHECK_CONN(conn, -1);
    if ((ret = NET_DRIVER_FN(conn, connectListAllNetworks, -1)(conn, nets, flags)) < 0)
        NET_FAIL(conn, -1);
    return ret;
}

virNetworkPtr
virNetworkLookupByName(virConnectPtr conn, const char *name)
{
    virNetworkPtr ret;

    NET_CHECK_CONN(conn, NULL);
    NET_CHECK_NONNULL(conn, name, NULL);
    if (!(ret = NET_DRIVER_FN(conn, networkLookupByName, NULL)(conn, name)))
        NET_FAIL(conn, NULL);
    return ret;
}

virNetworkPtr
virNetworkLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virNetworkPtr ret;

    NET_CHECK_CONN(conn, NULL);
    NET_CHECK_NONNULL(conn, uuid, NULL);
    if (!(ret = NET_DRIVER_FN(conn, networkLookupByUUID, NULL)(conn, uuid)))
        NET_FAIL(conn, NULL);
    return ret;
}

virNetworkPtr
virNetworkLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    NET_CHECK_CONN(conn, NULL);
    NET_CHECK_NONNULL(conn, uuidstr, NULL);
    if (mvUUIDParse(uuidstr, uuid) < 0) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                               "uuidstr in %s must be a valid UUID", __func__);
        NET_FAIL(conn, NULL);
    }
    return virNetworkLookupByUUID(conn, uuid);
}

virNetworkPtr
virNetworkCreateXML(virConnectPtr conn, const char *xmlDesc)
{
    virNetworkPtr ret;

    NET_CHECK_CONN(conn, NULL);
    NET_CHECK_NONNULL(conn, xmlDesc, NULL);
    NET_CHECK_READONLY(conn, NULL);
    if (!(ret = NET_DRIVER_FN(conn, networkCreateXML, NULL)(conn, xmlDesc)))
        NET_FAIL(conn, NULL);
    return ret;
}

virNetworkPtr
virNetworkCreateXMLFlags(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    virNetworkPtr ret;

    NET_CHECK_CONN(conn, NULL);
    NET_CHECK_NONNULL(conn, xmlDesc, NULL);
    NET_CHECK_READONLY(conn, NULL);
    if (!(ret = NET_DRIVER_FN(conn, networkCreateXMLFlags, NULL)(conn, xmlDesc, flags)))
        NET_FAIL(conn, NULL);
    return ret;
}

virNetworkPtr
virNetworkDefineXML(virConnectPtr conn, const char *xml)
{
    virNetworkPtr ret;

    NET_CHECK_CONN(conn, NULL);
    NET_CHECK_READONLY(conn, NULL);
    NET_CHECK_NONNULL(conn, xml, NULL);
    if (!(ret = NET_DRIVER_FN(conn, networkDefineXML, NULL)(conn, xml)))
        NET_FAIL(conn, NULL);
    return ret;
}

virNetworkPtr
virNetworkDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    virNetworkPtr ret;

    NET_CHECK_CONN(conn, NULL);
    NET_CHECK_READONLY(conn, NULL);
    NET_CHECK_NONNULL(conn, xml, NULL);
    if (!(ret = NET_DRIVER_FN(conn, networkDefineXMLFlags, NULL)(conn, xml, flags)))
        NET_FAIL(conn, NULL);
    return ret;
}

/* --- per-network calls ------------------------------------------------- */

virConnectPtr
virNetworkGetConnect(virNetworkPtr net)
{
    virConnectPtr conn;

    NET_CHECK_NETWORK(net, NULL);
    return conn;
}

int
virNetworkUndefine(virNetworkPtr network)
{
    virConnectPtr conn;

    NET_CHECK_NETWORK(network, -1);
    NET_CHECK_READONLY(conn, -1);
    if (NET_DRIVER_FN(conn, networkUndefine, -1)(network) < 0)
        NET_FAIL(conn, -1);
    return 0;
}

int
virNetworkUpdate(virNetworkPtr network, unsigned int command, unsigned int section,
                 int parentIndex, const char *xml, unsigned int flags)
{
    virConnectPtr conn;

    NET_CHECK_NETWORK(network, -1);
    NET_CHECK_READONLY(conn, -1);
    NET_CHECK_NONNULL(conn, xml, -1);
    if (NET_DRIVER_FN(conn, networkUpdate, -1)(network, command, section, parentIndex,
                                               xml, flags) < 0)
        NET_FAIL(conn, -1);
    return 0;
}

int
virNetworkCreate(virNetworkPtr network)
{
    virConnectPtr conn;

    NET_CHECK_NETWORK(network, -1);
    NET_CHECK_READONLY(conn, -1);
    if (NET_DRIVER_FN(conn, networkCreate, -1)(network) < 0)
        NET_FAIL(conn, -1);
    return 0;
}

int
virNetworkDestroy(virNetworkPtr network)
{
    virConnectPtr conn;

    NET_CHECK_NETWORK(network, -1);
    NET_CHECK_READONLY(conn, -1);
    if (NET_DRIVER_FN(conn, networkDestroy, -1)(network) < 0)
        NET_FAIL(conn, -1);
    return 0;
}

int
virNetworkRef(virNetworkPtr network)
{
    virConnectPtr conn;

    NET_CHECK_NETWORK(network, -1);
    (void)conn;
    g_atomic_int_inc(&network->refs);
    return 0;
}

int
virNetworkFree(virNetworkPtr network)
{
    virConnectPtr conn;

    NET_CHECK_NETWORK(network, -1);
    (void)conn;
    mvNetworkUnref(network);
    return 0;
}

const char *
virNetworkGetName(virNetworkPtr network)
{
    virConnectPtr conn;

    NET_CHECK_NETWORK(network, NULL);
    (void)conn;
    return network->name;
}

int
virNetworkGetUUID(virNetworkPtr network, unsigned char *uuid)
{
    virConnectPtr conn;

    NET_CHECK_NETWORK(network, -1);
    NET_CHECK_NONNULL(conn, uuid, -1);
    memcpy(uuid, network->uuid, VIR_UUID_BUFLEN);
    return 0;
}

int
virNetworkGetUUIDString(virNetworkPtr network, char *buf)
{
    virConnectPtr conn;

    NET_CHECK_NETWORK(network, -1);
    NET_CHECK_NONNULL(conn, buf, -1);
    mvUUIDFormat(network->uuid, buf);
    return 0;
}

char *
virNetworkGetXMLDesc(virNetworkPtr network, unsigned int flags)
{
    virConnectPtr conn;
    char *ret;

    NET_CHECK_NETWORK(network, NULL);
    if (!(ret = NET_DRIVER_FN(conn, networkGetXMLDesc, NULL)(network, flags)))
        NET_FAIL(conn, NULL);
    return ret;
}

char *
virNetworkGetBridgeName(virNetworkPtr network)
{
    virConnectPtr conn;
    char *ret;

    NET_CHECK_NETWORK(network, NULL);
    if (!(ret = NET_DRIVER_FN(conn, networkGetBridgeName, NULL)(network)))
        NET_FAIL(conn, NULL);
    return ret;
}

int
virNetworkGetAutostart(virNetworkPtr network, int *autostart)
{
    virConnectPtr conn;

    NET_CHECK_NETWORK(network, -1);
    NET_CHECK_NONNULL(conn, autostart, -1);
    if (NET_DRIVER_FN(conn, networkGetAutostart, -1)(network, autostart) < 0)
        NET_FAIL(conn, -1);
    return 0;
}

int
virNetworkSetAutostart(virNetworkPtr network, int autostart)
{
    virConnectPtr conn;

    NET_CHECK_NETWORK(network, -1);
    NET_CHECK_READONLY(conn, -1);
    if (NET_DRIVER_FN(conn, networkSetAutostart, -1)(network, autostart) < 0)
        NET_FAIL(conn, -1);
    return 0;
}

int
virNetworkIsActive(virNetworkPtr net)
{
    virConnectPtr conn;
    int ret;

    NET_CHECK_NETWORK(net, -1);
    if ((ret = NET_DRIVER_FN(conn, networkIsActive, -1)(net)) < 0)
        NET_FAIL(conn, -1);
    return ret;
}

int
virNetworkIsPersistent(virNetworkPtr net)
{
    virConnectPtr conn;
    int ret;

    NET_CHECK_NETWORK(net, -1);
    if ((ret = NET_DRIVER_FN(conn, networkIsPersistent, -1)(net)) < 0)
        NET_FAIL(conn, -1);
    return ret;
}

void
virNetworkDHCPLeaseFree(virNetworkDHCPLeasePtr lease)
{
    if (!lease)
        return;
    g_free(lease->iface);
    g_free(lease->mac);
    g_free(lease->iaid);
    g_free(lease->ipaddr);
    g_free(lease->hostname);
    g_free(lease->clientid);
    g_free(lease);
}

int
virNetworkGetDHCPLeases(virNetworkPtr network, const char *mac,
                        virNetworkDHCPLeasePtr **leases, unsigned int flags)
{
    virConnectPtr conn;
    int ret;

    if (leases)
        *leases = NULL;
    NET_CHECK_NETWORK(network, -1);
    ret = NET_DRIVER_FN(conn, networkGetDHCPLeases, -1)(network, mac, leases, flags);
    if (ret < 0)
        NET_FAIL(conn, -1);
    return ret;
}

/* --- events ----------------------------------------------------------- */

int
virConnectNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                  virConnectNetworkEventGenericCallback cb,
                                  void *opaque, virFreeCallback freecb)
{
    int ret;

    NET_CHECK_CONN(conn, -1);
    if (net) {
        if (!net->conn) {
            mvReportError(VIR_ERR_INVALID_NETWORK, "%s", __func__);
            NET_FAIL(conn, -1);
        }
        if (net->conn != conn) {
            mvReportError(VIR_ERR_INVALID_ARG, "network '%s' in %s must match connection",
                          net->name, __func__);
            NET_FAIL(conn, -1);
        }
    }
    NET_CHECK_NONNULL(conn, cb, -1);
    NET_CHECK_NONNEGATIVE(conn, eventID, -1);
    if (eventID >= VIR_NETWORK_EVENT_ID_LIFECYCLE + 1) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                               "eventID in %s must be less than %d",
                               __func__, VIR_NETWORK_EVENT_ID_LIFECYCLE + 1);
        NET_FAIL(conn, -1);
    }
    ret = NET_DRIVER_FN(conn, connectNetworkEventRegisterAny, -1)(conn, net, eventID, cb,
                                                                 opaque, freecb);
    if (ret < 0)
        NET_FAIL(conn, -1);
    return ret;
}

int
virConnectNetworkEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    NET_CHECK_CONN(conn, -1);
    NET_CHECK_NONNEGATIVE(conn, callbackID, -1);
    if (NET_DRIVER_FN(conn, connectNetworkEventDeregisterAny, -1)(conn, callbackID) < 0)
        NET_FAIL(conn, -1);
    return 0;
}

/* --- ports ------------------------------------------------------------ */

virNetworkPortPtr
virNetworkPortLookupByUUID(virNetworkPtr net, const unsigned char *uuid)
{
    virConnectPtr conn;
    virNetworkPortPtr ret;

    NET_CHECK_NETWORK(net, NULL);
    NET_CHECK_NONNULL(conn, uuid, NULL);
    if (!(ret = NET_DRIVER_FN(conn, networkPortLookupByUUID, NULL)(net, uuid)))
        NET_FAIL(conn, NULL);
    return ret;
}

virNetworkPortPtr
virNetworkPortLookupByUUIDString(virNetworkPtr net, const char *uuidstr)
{
    virConnectPtr conn;
    unsigned char uuid[VIR_UUID_BUFLEN];

    NET_CHECK_NETWORK(net, NULL);
    NET_CHECK_NONNULL(conn, uuidstr, NULL);
    if (mvUUIDParse(uuidstr, uuid) < 0) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                               "uuidstr in %s must be a valid UUID", __func__);
        NET_FAIL(conn, NULL);
    }
    return virNetworkPortLookupByUUID(net, uuid);
}

virNetworkPortPtr
virNetworkPortCreateXML(virNetworkPtr net, const char *xmldesc, unsigned int flags)
{
    virConnectPtr conn;
    virNetworkPortPtr ret;

    NET_CHECK_NETWORK(net, NULL);
    NET_CHECK_NONNULL(conn, xmldesc, NULL);
    NET_CHECK_READONLY(conn, NULL);
    if (!(ret = NET_DRIVER_FN(conn, networkPortCreateXML, NULL)(net, xmldesc, flags)))
        NET_FAIL(conn, NULL);
    return ret;
}

virNetworkPtr
virNetworkPortGetNetwork(virNetworkPortPtr port)
{
    virConnectPtr conn;

    NET_CHECK_PORT(port, NULL);
    (void)conn;
    return port->net;
}

char *
virNetworkPortGetXMLDesc(virNetworkPortPtr port, unsigned int flags)
{
    virConnectPtr conn;
    char *ret;

    NET_CHECK_PORT(port, NULL);
    if (!(ret = NET_DRIVER_FN(conn, networkPortGetXMLDesc, NULL)(port, flags)))
        NET_FAIL(conn, NULL);
    return ret;
}

int
virNetworkPortGetUUID(virNetworkPortPtr port, unsigned char *uuid)
{
    virConnectPtr conn;

    NET_CHECK_PORT(port, -1);
    NET_CHECK_NONNULL(conn, uuid, -1);
    memcpy(uuid, port->uuid, VIR_UUID_BUFLEN);
    return 0;
}

int
virNetworkPortGetUUIDString(virNetworkPortPtr port, char *buf)
{
    virConnectPtr conn;

    NET_CHECK_PORT(port, -1);
    NET_CHECK_NONNULL(conn, buf, -1);
    mvUUIDFormat(port->uuid, buf);
    return 0;
}

int
virNetworkPortDelete(virNetworkPortPtr port, unsigned int flags)
{
    virConnectPtr conn;

    NET_CHECK_PORT(port, -1);
    NET_CHECK_READONLY(conn, -1);
    if (NET_DRIVER_FN(conn, networkPortDelete, -1)(port, flags) < 0)
        NET_FAIL(conn, -1);
    return 0;
}

int
virNetworkListAllPorts(virNetworkPtr network, virNetworkPortPtr **ports, unsigned int flags)
{
    virConnectPtr conn;
    int ret;

    if (ports)
        *ports = NULL;
    NET_CHECK_NETWORK(network, -1);
    if ((ret = NET_DRIVER_FN(conn, networkListAllPorts, -1)(network, ports, flags)) < 0)
        NET_FAIL(conn, -1);
    return ret;
}

int
virNetworkPortFree(virNetworkPortPtr port)
{
    virConnectPtr conn;

    NET_CHECK_PORT(port, -1);
    (void)conn;
    mvNetworkPortUnref(port);
    return 0;
}

int
virNetworkPortRef(virNetworkPortPtr port)
{
    virConnectPtr conn;

    NET_CHECK_PORT(port, -1);
    (void)conn;
    g_atomic_int_inc(&port->refs);
    return 0;
}
