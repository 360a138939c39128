/*
 * net_host: the host side of virtual networks, over rtnetlink
 * (libnl-route-3): bridges, links, addresses, routes, tap devices and the
 * forwarding sysctls.  No `ip` or `brctl` is run.
 *
 * Every call works in the network namespace of the calling thread, opens
 * its own netlink socket and closes it before returning, so the functions
 * are safe from any worker thread and hold no state.  Names are kernel
 * interface names (at most 15 bytes); anything longer is refused.  Errors
 * are reported in the VIR_FROM_NETWORK domain; every function returns -1
 * (or NULL / false where documented) after reporting.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

/* Longest interface name the kernel accepts (IFNAMSIZ - 1). */
#define MV_NET_IFNAME_MAX 15

/* Creates the bridge @name (it must not exist yet), with the MAC @mac (6
 * bytes; NULL lets the kernel pick one), the MTU @mtu (0 keeps the default),
 * spanning tree on or off and a forward delay of @delayMs milliseconds.
 * With STP on, the kernel raises a delay below 2 s to 2 s, so a new port
 * forwards only after about 4 s (listening + learning), exactly as with
 * libvirt's stp='on' delay='0' default; with STP off ports forward at once.
 * The bridge is left down; see mvNetLinkSetUp.  If anything after the creation
 * fails the bridge is removed again.  Returns 0, or -1 with an error
 * reported (VIR_ERR_OPERATION_FAILED when @name is in use). */
int mvNetBridgeCreate(const char *name, const unsigned char *mac, unsigned int mtu,
                      bool stp, unsigned int delayMs);

/* Removes the bridge (or any link) @name.  A missing link is not an error.
 * Returns 0, or -1 with an error reported. */
int mvNetBridgeDelete(const char *name);

/* Turns IPv6 on the bridge @name on (@enable: disable_ipv6=0, accept_ra=0,
 * autoconf=0 — the host must not autoconfigure from its own RAs) or off
 * (disable_ipv6=1), through /proc/sys/net/ipv6/conf/NAME/.  Returns 0, or -1
 * with an error reported. */
int mvNetBridgeSetIPv6(const char *name, bool enable);

/* Whether a link called @name exists.  Never reports. */
bool mvNetLinkExists(const char *name);

/* Sets the link @name administratively up or down.  Returns 0, or -1 with an
 * error reported. */
int mvNetLinkSetUp(const char *name, bool up);

/* Whether the link @name is administratively up: 1 up, 0 down, -1 with an
 * error reported (e.g. no such link). */
int mvNetLinkIsUp(const char *name);

/* Enslaves @ifname to the bridge @bridge, or releases it from its master
 * when @bridge is NULL.  Returns 0, or -1 with an error reported. */
int mvNetLinkSetMaster(const char *ifname, const char *bridge);

/* The name of @ifname's master (its bridge) in *@master, NULL when it has
 * none.  Returns 0, or -1 with an error reported. */
int mvNetLinkGetMaster(const char *ifname, char **master);

/* Sets / reads the MTU of @ifname.  Return 0, or -1 with an error reported. */
int mvNetLinkSetMTU(const char *ifname, unsigned int mtu);
int mvNetLinkGetMTU(const char *ifname, unsigned int *mtu);

/* Sets / reads the MAC of @ifname (6 bytes).  Return 0, or -1 with an error
 * reported. */
int mvNetLinkSetMAC(const char *ifname, const unsigned char *mac);
int mvNetLinkGetMAC(const char *ifname, unsigned char *mac);

/* Removes any link @ifname (veth, tap, bridge).  A missing link is not an
 * error.  Returns 0, or -1 with an error reported. */
int mvNetLinkDelete(const char *ifname);

/* Adds the address @addr/@prefix (numeric text of @family AF_INET or
 * AF_INET6) to @ifname; IPv4 gets the subnet's broadcast address.  @nodad
 * skips IPv6 duplicate address detection, so the address is usable at once
 * (dnsmasq cannot bind a tentative address).  An address that is already
 * there is not an error.  Returns 0, or -1 with an error reported. */
int mvNetAddrAdd(const char *ifname, int family, const char *addr, unsigned int prefix,
                 bool nodad);

/* Removes the address @addr/@prefix from @ifname; a missing one is not an
 * error.  Returns 0, or -1 with an error reported. */
int mvNetAddrDel(const char *ifname, int family, const char *addr, unsigned int prefix);

/* Whether @ifname carries @addr (any prefix): 1 yes, 0 no, -1 with an error
 * reported. */
int mvNetAddrHas(const char *ifname, int family, const char *addr);

/* Adds a static route to @net/@prefix via the gateway @gateway (NULL: a
 * directly connected route) out of @ifname (NULL: the kernel chooses from the
 * gateway), with @metric (0: none).  This is what a network's <route>
 * element asks for.  An identical route that exists already is not an error.
 * Returns 0, or -1 with an error reported. */
int mvNetRouteAdd(const char *ifname, int family, const char *net, unsigned int prefix,
                  const char *gateway, unsigned int metric);

/* Removes that route again; a missing one is not an error.  Returns 0, or -1
 * with an error reported. */
int mvNetRouteDel(const char *ifname, int family, const char *net, unsigned int prefix,
                  const char *gateway, unsigned int metric);

/* Whether the subnet @net/@prefix (@family AF_INET or AF_INET6) collides
 * with the host: an existing route of the main table (the default route
 * excluded) or an address of some interface whose subnet overlaps it.  This
 * is libvirt's "Network is already in use by interface X" check, and what the
 * default network uses to find a free 192.168.N.0/24.  Returns 1 with the
 * interface's name in *@dev (caller frees; may be NULL when a route has no
 * device), 0 when the subnet is free, -1 with an error reported. */
int mvNetRouteConflict(int family, const char *net, unsigned int prefix, char **dev);

typedef enum {
    /* ask for the virtio-net header (IFF_VNET_HDR), as QEMU's virtio NICs
     * want */
    MV_NET_TAP_VNET_HDR = 1 << 0,
    /* the device outlives its fd (TUNSETPERSIST); @tapfd may then be NULL.
     * Delete it with mvNetTapDelete. */
    MV_NET_TAP_PERSIST = 1 << 1,
    /* IFF_MULTI_QUEUE, for several queues opened on the same name */
    MV_NET_TAP_MULTIQUEUE = 1 << 2,
} mvNetTapFlags;

/* Creates a tap device through /dev/net/tun.  @ifnameOrTemplate is a name,
 * or a template with one "%d" ("vnet%d") that the kernel fills with the first
 * free number.  The name it got is returned in *@ifname (caller frees) and
 * the open fd (O_CLOEXEC, blocking) in *@tapfd; without MV_NET_TAP_PERSIST
 * the device goes away when that fd is closed.  Returns 0, or -1 with an
 * error reported. */
int mvNetTapCreate(const char *ifnameOrTemplate, char **ifname, int *tapfd,
                   unsigned int flags);

/* Removes the (persistent) tap device @ifname; a missing one is not an
 * error.  Returns 0, or -1 with an error reported. */
int mvNetTapDelete(const char *ifname);

/* Whether the kernel forwards packets of @family (AF_INET: ip_forward,
 * AF_INET6: conf/all/forwarding) in the caller's network namespace: 1 yes,
 * 0 no, -1 with an error reported. */
int mvNetIsForwardingEnabled(int family);

/* Turns forwarding of @family on in the caller's network namespace.  Returns
 * 0, or -1 with an error reported. */
int mvNetEnableForwarding(int family);
