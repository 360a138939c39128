/*
 * net_host: see net_host.h.
 *
 * Link changes are sent as plain RTM_NEWLINK / RTM_DELLINK messages built
 * with libnl's message helpers (one request, one ACK), because libnl's link
 * objects cannot carry a bridge's IFLA_INFO_DATA (STP, forward delay);
 * addresses and routes use libnl's rtnl_addr / rtnl_route objects, and the
 * collision check walks libnl's route and address caches.  sysfs is avoided
 * on purpose: /sys/class/net shows the namespace sysfs was mounted in, not
 * the caller's, whereas netlink and /proc/sys/net follow the caller.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/route/link.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>

#include "net_host.h"
#include "mv_error.h"
#include "mv_fd.h"
#include "mv_file.h"

#define MV_FROM_THIS VIR_FROM_NETWORK

/* The kernel's unit for a bridge's forward delay over netlink (USER_HZ). */
#define NET_USER_HZ 100
/* Largest /proc/sys file we read. */
#define NET_SYSCTL_MAX 64

/* libnl's types under names g_autoptr can use */
typedef struct nl_sock netNlSock;
typedef struct nl_msg netNlMsg;
typedef struct nl_addr netNlAddr;
typedef struct nl_cache netNlCache;
typedef struct rtnl_addr netRtAddr;
typedef struct rtnl_route netRtRoute;
typedef struct rtnl_link netRtLink;

G_DEFINE_AUTOPTR_CLEANUP_FUNC(netNlSock, nl_socket_free);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(netNlMsg, nlmsg_free);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(netNlAddr, nl_addr_put);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(netNlCache, nl_cache_free);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(netRtAddr, rtnl_addr_put);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(netRtRoute, rtnl_route_put);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(netRtLink, rtnl_link_put);

/* A connected NETLINK_ROUTE socket, or NULL (reported). */
static struct nl_sock *
netSockOpen(void)
{
    g_autoptr(netNlSock) sk = nl_socket_alloc();
    int err;

    if (!sk) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "cannot allocate a netlink socket");
        return NULL;
    }
    if ((err = nl_connect(sk, NETLINK_ROUTE)) < 0) {
        mvReportError(VIR_ERR_SYSTEM_ERROR, "cannot open a netlink socket: %s",
                      nl_geterror(err));
        return NULL;
    }
    return g_steal_pointer(&sk);
}

/* Checks an interface name from a caller.  Returns 0, or -1 (reported). */
static int
netCheckName(const char *name)
{
    if (!name || !*name || strlen(name) > MV_NET_IFNAME_MAX || strchr(name, '/') ||
        strchr(name, ' ') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        mvReportError(VIR_ERR_INVALID_ARG,
                      "invalid interface name '%s': use 1 to %d characters without '/' or "
                      "spaces", name ? name : "", MV_NET_IFNAME_MAX);
        return -1;
    }
    return 0;
}

/* The ifindex of @name, 0 when there is no such link (not reported). */
static int
netIndex(const char *name)
{
    return (int)if_nametoindex(name);
}

/* The ifindex of @name, or -1 with an error naming the missing interface. */
static int
netIndexLookup(const char *name)
{
    int idx;

    if (netCheckName(name) < 0)
        return -1;
    if ((idx = netIndex(name)) <= 0) {
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "host interface '%s' does not exist in this network namespace", name);
        return -1;
    }
    return idx;
}

/* A link request: RTM_NEWLINK/RTM_DELLINK with an ifinfomsg header. */
static struct nl_msg *
netLinkMsg(int type, int flags, int ifindex, unsigned int ifflags, unsigned int ifchange)
{
    struct nl_msg *msg = nlmsg_alloc_simple(type, NLM_F_REQUEST | NLM_F_ACK | flags);
    struct ifinfomsg ifi = {
        .ifi_family = AF_UNSPEC,
        .ifi_index = ifindex,
        .ifi_flags = ifflags,
        .ifi_change = ifchange,
    };

    if (!msg)
        g_error("out of memory allocating a netlink message");
    if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0)
        g_error("netlink message too small for its header");
    return msg;
}

/* Sends @msg and waits for the kernel's answer.  Returns 0, or a negative
 * libnl error code (not reported: callers word the message). */
static int
netTalk(struct nl_msg *msg)
{
    g_autoptr(netNlSock) sk = NULL;
    int err;

    if (!(sk = nl_socket_alloc()))
        return -NLE_NOMEM;
    if ((err = nl_connect(sk, NETLINK_ROUTE)) < 0)
        return err;
    if ((err = nl_send_auto(sk, msg)) < 0)
        return err;
    return nl_wait_for_ack(sk);
}

/* Sends a prepared message and reports a failure as "cannot WHAT 'NAME'". */
static int
netTalkReport(struct nl_msg *msg, const char *what, const char *name)
{
    int err = netTalk(msg);

    if (err < 0) {
        mvReportError(VIR_ERR_SYSTEM_ERROR, "cannot %s '%s': %s", what, name,
                      nl_geterror(err));
        return -1;
    }
    return 0;
}

int
mvNetBridgeCreate(const char *name, const unsigned char *mac, unsigned int mtu,
                  bool stp, unsigned int delayMs)
{
    g_autoptr(netNlMsg) msg = NULL;
    struct nlattr *info;
    struct nlattr *data;
    int err;

    if (netCheckName(name) < 0)
        return -1;
    if (netIndex(name) > 0) {
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "cannot create bridge '%s': an interface of that name exists already; "
                      "choose another bridge name", name);
        return -1;
    }

    msg = netLinkMsg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, 0, 0);
    if (nla_put_string(msg, IFLA_IFNAME, name) < 0 ||
        (mac && nla_put(msg, IFLA_ADDRESS, 6, mac) < 0) ||
        (mtu && nla_put_u32(msg, IFLA_MTU, mtu) < 0) ||
        !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
        nla_put_string(msg, IFLA_INFO_KIND, "bridge") < 0 ||
        !(data = nla_nest_start(msg, IFLA_INFO_DATA)) ||
        /* the delay first: the kernel range-checks it only while STP is on */
        nla_put_u32(msg, IFLA_BR_FORWARD_DELAY, delayMs / (1000 / NET_USER_HZ)) < 0 ||
        nla_put_u32(msg, IFLA_BR_STP_STATE, stp ? 1 : 0) < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "netlink message too large");
        return -1;
    }
    nla_nest_end(msg, data);
    nla_nest_end(msg, info);

    if ((err = netTalk(msg)) < 0) {
        if (err == -NLE_RANGE && stp)
            mvReportError(VIR_ERR_OPERATION_FAILED,
                          "cannot create bridge '%s': the kernel refused forward delay %u ms "
                          "with STP on; use a delay of 2000 to 30000 ms or turn STP off",
                          name, delayMs);
        else
            mvReportError(VIR_ERR_SYSTEM_ERROR, "cannot create bridge '%s': %s", name,
                          nl_geterror(err));
        return -1;
    }
    return 0;
}

int
mvNetLinkDelete(const char *ifname)
{
    g_autoptr(netNlMsg) msg = NULL;
    int idx;
    int err;

    if (netCheckName(ifname) < 0)
        return -1;
    if ((idx = netIndex(ifname)) <= 0)
        return 0;
    msg = netLinkMsg(RTM_DELLINK, 0, idx, 0, 0);
    err = netTalk(msg);
    if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND)
        return 0;
    if (err < 0) {
        mvReportError(VIR_ERR_SYSTEM_ERROR, "cannot delete interface '%s': %s", ifname,
                      nl_geterror(err));
        return -1;
    }
    return 0;
}

int
mvNetBridgeDelete(const char *name)
{
    return mvNetLinkDelete(name);
}

/* Writes @value to the /proc/sys file @path.  Returns 0 or -1 (reported). */
static int
netSysctlWrite(const char *path, const char *value)
{
    MV_AUTOCLOSE int fd = -1;
    size_t len = strlen(value);

    if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0) {
        mvReportSystemError(errno, "cannot open '%s'", path);
        return -1;
    }
    if (write(fd, value, len) != (ssize_t)len) {
        mvReportSystemError(errno, "cannot write '%s' to '%s'", value, path);
        return -1;
    }
    return 0;
}

/* Reads the integer in the /proc/sys file @path.  Returns 0 or -1. */
static int
netSysctlRead(const char *path, long *value)
{
    g_autofree char *data = NULL;
    size_t len = 0;
    char *end = NULL;

    if (mvFileReadAll(path, NET_SYSCTL_MAX, &data, &len) < 0)
        return -1;
    errno = 0;
    *value = strtol(data, &end, 10);
    if (errno || end == data) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "unexpected content '%s' in '%s'",
                      g_strstrip(data), path);
        return -1;
    }
    return 0;
}

int
mvNetBridgeSetIPv6(const char *name, bool enable)
{
    g_autofree char *dir = NULL;
    g_autofree char *disable = NULL;
    g_autofree char *acceptRa = NULL;
    g_autofree char *autoconf = NULL;

    if (netIndexLookup(name) < 0)
        return -1;
    dir = g_strdup_printf("/proc/sys/net/ipv6/conf/%s", name);
    disable = g_strdup_printf("%s/disable_ipv6", dir);
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        if (!enable)
            return 0;
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "cannot turn IPv6 on for '%s': the kernel has no IPv6 settings for it "
                      "(is IPv6 disabled on this host?)", name);
        return -1;
    }
    if (!enable)
        return netSysctlWrite(disable, "1");
    acceptRa = g_strdup_printf("%s/accept_ra", dir);
    autoconf = g_strdup_printf("%s/autoconf", dir);
    if (netSysctlWrite(disable, "0") < 0 ||
        netSysctlWrite(acceptRa, "0") < 0 ||
        netSysctlWrite(autoconf, "0") < 0)
        return -1;
    return 0;
}

bool
mvNetLinkExists(const char *name)
{
    if (!name || !*name || strlen(name) > MV_NET_IFNAME_MAX)
        return false;
    return netIndex(name) > 0;
}

/* The kernel's view of the link @name, or NULL (reported). */
static struct rtnl_link *
netLinkGet(const char *name)
{
    g_autoptr(netNlSock) sk = NULL;
    struct rtnl_link *link = NULL;
    int err;

    if (netCheckName(name) < 0 || !(sk = netSockOpen()))
        return NULL;
    if ((err = rtnl_link_get_kernel(sk, 0, name, &link)) < 0) {
        if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND)
            mvReportError(VIR_ERR_OPERATION_FAILED,
                          "host interface '%s' does not exist in this network namespace", name);
        else
            mvReportError(VIR_ERR_SYSTEM_ERROR, "cannot read interface '%s': %s", name,
                          nl_geterror(err));
        return NULL;
    }
    return link;
}

int
mvNetLinkSetUp(const char *name, bool up)
{
    g_autoptr(netNlMsg) msg = NULL;
    int idx;

    if ((idx = netIndexLookup(name)) < 0)
        return -1;
    msg = netLinkMsg(RTM_NEWLINK, 0, idx, up ? IFF_UP : 0, IFF_UP);
    return netTalkReport(msg, up ? "bring up interface" : "bring down interface", name);
}

int
mvNetLinkIsUp(const char *name)
{
    g_autoptr(netRtLink) link = netLinkGet(name);

    if (!link)
        return -1;
    return (rtnl_link_get_flags(link) & IFF_UP) ? 1 : 0;
}

int
mvNetLinkSetMaster(const char *ifname, const char *bridge)
{
    g_autoptr(netNlMsg) msg = NULL;
    g_autofree char *what = NULL;
    int idx;
    int master = 0;

    if ((idx = netIndexLookup(ifname)) < 0)
        return -1;
    if (bridge && (master = netIndexLookup(bridge)) < 0)
        return -1;
    msg = netLinkMsg(RTM_NEWLINK, 0, idx, 0, 0);
    if (nla_put_u32(msg, IFLA_MASTER, master) < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "netlink message too large");
        return -1;
    }
    if (bridge)
        what = g_strdup_printf("attach to bridge '%s' the interface", bridge);
    else
        what = g_strdup("release from its bridge the interface");
    return netTalkReport(msg, what, ifname);
}

int
mvNetLinkGetMaster(const char *ifname, char **master)
{
    g_autoptr(netRtLink) link = netLinkGet(ifname);
    char buf[IF_NAMESIZE] = { 0 };
    int idx;

    if (!link)
        return -1;
    idx = rtnl_link_get_master(link);
    if (idx > 0 && !if_indextoname(idx, buf)) {
        mvReportSystemError(errno, "cannot find the bridge of '%s'", ifname);
        return -1;
    }
    *master = idx > 0 ? g_strdup(buf) : NULL;
    return 0;
}

int
mvNetLinkSetMTU(const char *ifname, unsigned int mtu)
{
    g_autoptr(netNlMsg) msg = NULL;
    g_autofree char *what = NULL;
    int idx;

    if ((idx = netIndexLookup(ifname)) < 0)
        return -1;
    msg = netLinkMsg(RTM_NEWLINK, 0, idx, 0, 0);
    if (nla_put_u32(msg, IFLA_MTU, mtu) < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "netlink message too large");
        return -1;
    }
    what = g_strdup_printf("set MTU %u on", mtu);
    return netTalkReport(msg, what, ifname);
}

int
mvNetLinkGetMTU(const char *ifname, unsigned int *mtu)
{
    g_autoptr(netRtLink) link = netLinkGet(ifname);

    if (!link)
        return -1;
    *mtu = rtnl_link_get_mtu(link);
    return 0;
}

int
mvNetLinkSetMAC(const char *ifname, const unsigned char *mac)
{
    g_autoptr(netNlMsg) msg = NULL;
    int idx;

    if ((idx = netIndexLookup(ifname)) < 0)
        return -1;
    msg = netLinkMsg(RTM_NEWLINK, 0, idx, 0, 0);
    if (nla_put(msg, IFLA_ADDRESS, 6, mac) < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", "netlink message too large");
        return -1;
    }
    return netTalkReport(msg, "set the MAC address of", ifname);
}

int
mvNetLinkGetMAC(const char *ifname, unsigned char *mac)
{
    g_autoptr(netRtLink) link = netLinkGet(ifname);
    struct nl_addr *addr;

    if (!link)
        return -1;
    addr = rtnl_link_get_addr(link);
    if (!addr || nl_addr_get_len(addr) != 6) {
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "interface '%s' has no Ethernet MAC address", ifname);
        return -1;
    }
    memcpy(mac, nl_addr_get_binary_addr(addr), 6);
    return 0;
}

/* Parses the numeric address @str of @family with the prefix @prefix.
 * Returns it, or NULL (reported). */
static struct nl_addr *
netAddrParse(int family, const char *str, unsigned int prefix)
{
    unsigned char buf[16];
    struct nl_addr *addr;
    unsigned int max = family == AF_INET6 ? 128 : 32;

    if ((family != AF_INET && family != AF_INET6) || !str ||
        inet_pton(family, str, buf) != 1) {
        mvReportError(VIR_ERR_INVALID_ARG, "'%s' is not a valid %s address",
                      str ? str : "", family == AF_INET6 ? "IPv6" : "IPv4");
        return NULL;
    }
    if (prefix > max) {
        mvReportError(VIR_ERR_INVALID_ARG, "prefix %u of '%s' is larger than %u",
                      prefix, str, max);
        return NULL;
    }
    addr = nl_addr_build(family, buf, family == AF_INET6 ? 16 : 4);
    if (!addr)
        g_error("out of memory building a netlink address");
    nl_addr_set_prefixlen(addr, prefix);
    return addr;
}

/* An rtnl_addr for @ifname @addr/@prefix, or NULL (reported). */
static struct rtnl_addr *
netAddrObject(const char *ifname, int family, const char *addr, unsigned int prefix)
{
    g_autoptr(netRtAddr) obj = NULL;
    g_autoptr(netNlAddr) local = NULL;
    int idx;

    if ((idx = netIndexLookup(ifname)) < 0)
        return NULL;
    if (!(local = netAddrParse(family, addr, prefix)))
        return NULL;
    if (!(obj = rtnl_addr_alloc()))
        g_error("out of memory allocating an address object");
    rtnl_addr_set_ifindex(obj, idx);
    rtnl_addr_set_family(obj, family);
    if (rtnl_addr_set_local(obj, local) < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot use address '%s'", addr);
        return NULL;
    }
    rtnl_addr_set_prefixlen(obj, prefix);
    return g_steal_pointer(&obj);
}

int
mvNetAddrAdd(const char *ifname, int family, const char *addr, unsigned int prefix,
             bool nodad)
{
    g_autoptr(netRtAddr) obj = NULL;
    g_autoptr(netNlSock) sk = NULL;
    int err;

    if (!(obj = netAddrObject(ifname, family, addr, prefix)))
        return -1;
    if (family == AF_INET && prefix < 31) {
        struct in_addr a;
        g_autoptr(netNlAddr) bcast = NULL;
        uint32_t mask = prefix ? htonl(~((1u << (32 - prefix)) - 1)) : 0;

        inet_pton(AF_INET, addr, &a);
        a.s_addr |= ~mask;
        bcast = nl_addr_build(AF_INET, &a, 4);
        rtnl_addr_set_broadcast(obj, bcast);
    }
    if (family == AF_INET6 && nodad)
        rtnl_addr_set_flags(obj, IFA_F_NODAD);
    if (!(sk = netSockOpen()))
        return -1;
    err = rtnl_addr_add(sk, obj, NLM_F_EXCL);
    if (err == -NLE_EXIST)
        return 0;
    if (err < 0) {
        mvReportError(VIR_ERR_SYSTEM_ERROR, "cannot add address %s/%u to '%s': %s",
                      addr, prefix, ifname, nl_geterror(err));
        return -1;
    }
    return 0;
}

int
mvNetAddrDel(const char *ifname, int family, const char *addr, unsigned int prefix)
{
    g_autoptr(netRtAddr) obj = NULL;
    g_autoptr(netNlSock) sk = NULL;
    int err;

    if (!(obj = netAddrObject(ifname, family, addr, prefix)))
        return -1;
    if (!(sk = netSockOpen()))
        return -1;
    err = rtnl_addr_delete(sk, obj, 0);
    if (err == -NLE_NOADDR || err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV)
        return 0;
    if (err < 0) {
        mvReportError(VIR_ERR_SYSTEM_ERROR, "cannot remove address %s/%u from '%s': %s",
                      addr, prefix, ifname, nl_geterror(err));
        return -1;
    }
    return 0;
}

/* Fills a cache of all addresses (or routes, with @routes) of the caller's
 * namespace.  Returns 0 or -1 (reported). */
static int
netCacheGet(bool routes, int family, struct nl_cache **cache)
{
    g_autoptr(netNlSock) sk = netSockOpen();
    int err;

    if (!sk)
        return -1;
    if (routes)
        err = rtnl_route_alloc_cache(sk, family, 0, cache);
    else
        err = rtnl_addr_alloc_cache(sk, cache);
    if (err < 0) {
        mvReportError(VIR_ERR_SYSTEM_ERROR, "cannot list the host's %s: %s",
                      routes ? "routes" : "addresses", nl_geterror(err));
        return -1;
    }
    return 0;
}

int
mvNetAddrHas(const char *ifname, int family, const char *addr)
{
    g_autoptr(netNlCache) cache = NULL;
    g_autoptr(netNlAddr) want = NULL;
    struct nl_object *obj;
    int idx;

    if ((idx = netIndexLookup(ifname)) < 0)
        return -1;
    if (!(want = netAddrParse(family, addr, family == AF_INET6 ? 128 : 32)))
        return -1;
    if (netCacheGet(false, family, &cache) < 0)
        return -1;
    for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
        struct rtnl_addr *a = (struct rtnl_addr *)obj;
        struct nl_addr *local = rtnl_addr_get_local(a);

        if (rtnl_addr_get_ifindex(a) != idx || rtnl_addr_get_family(a) != family || !local)
            continue;
        if (nl_addr_get_len(local) == nl_addr_get_len(want) &&
            memcmp(nl_addr_get_binary_addr(local), nl_addr_get_binary_addr(want),
                   nl_addr_get_len(want)) == 0)
            return 1;
    }
    return 0;
}

/* A route object for mvNetRouteAdd/Del, or NULL (reported). */
static struct rtnl_route *
netRouteObject(const char *ifname, int family, const char *net, unsigned int prefix,
               const char *gateway, unsigned int metric)
{
    g_autoptr(netRtRoute) route = NULL;
    g_autoptr(netNlAddr) dst = NULL;
    g_autoptr(netNlAddr) gw = NULL;
    struct rtnl_nexthop *nh;
    int idx = 0;

    if (ifname && (idx = netIndexLookup(ifname)) < 0)
        return NULL;
    if (!ifname && !gateway) {
        mvReportError(VIR_ERR_INVALID_ARG, "route to %s/%u needs a gateway or an interface",
                      net ? net : "", prefix);
        return NULL;
    }
    if (!(dst = netAddrParse(family, net, prefix)))
        return NULL;
    if (gateway && !(gw = netAddrParse(family, gateway, family == AF_INET6 ? 128 : 32)))
        return NULL;
    if (!(route = rtnl_route_alloc()) || !(nh = rtnl_route_nh_alloc()))
        g_error("out of memory allocating a route object");
    rtnl_route_set_family(route, family);
    rtnl_route_set_table(route, RT_TABLE_MAIN);
    rtnl_route_set_protocol(route, RTPROT_STATIC);
    rtnl_route_set_type(route, RTN_UNICAST);
    rtnl_route_set_scope(route, gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
    if (metric)
        rtnl_route_set_priority(route, metric);
    if (rtnl_route_set_dst(route, dst) < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot use route destination '%s'", net);
        rtnl_route_nh_free(nh);
        return NULL;
    }
    if (idx)
        rtnl_route_nh_set_ifindex(nh, idx);
    if (gw)
        rtnl_route_nh_set_gateway(nh, gw);
    rtnl_route_add_nexthop(route, nh);
    return g_steal_pointer(&route);
}

int
mvNetRouteAdd(const char *ifname, int family, const char *net, unsigned int prefix,
              const char *gateway, unsigned int metric)
{
    g_autoptr(netRtRoute) route = NULL;
    g_autoptr(netNlSock) sk = NULL;
    int err;

    if (!(route = netRouteObject(ifname, family, net, prefix, gateway, metric)) ||
        !(sk = netSockOpen()))
        return -1;
    err = rtnl_route_add(sk, route, NLM_F_EXCL);
    if (err == -NLE_EXIST)
        return 0;
    if (err < 0) {
        mvReportError(VIR_ERR_SYSTEM_ERROR, "cannot add route to %s/%u%s%s%s%s: %s",
                      net, prefix, gateway ? " via " : "", gateway ? gateway : "",
                      ifname ? " dev " : "", ifname ? ifname : "", nl_geterror(err));
        return -1;
    }
    return 0;
}

int
mvNetRouteDel(const char *ifname, int family, const char *net, unsigned int prefix,
              const char *gateway, unsigned int metric)
{
    g_autoptr(netRtRoute) route = NULL;
    g_autoptr(netNlSock) sk = NULL;
    int err;

    if (ifname && !mvNetLinkExists(ifname))
        return 0;
    if (!(route = netRouteObject(ifname, family, net, prefix, gateway, metric)) ||
        !(sk = netSockOpen()))
        return -1;
    err = rtnl_route_delete(sk, route, 0);
    if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV || err == -NLE_NOADDR)
        return 0;
    if (err < 0) {
        mvReportError(VIR_ERR_SYSTEM_ERROR, "cannot remove route to %s/%u: %s",
                      net, prefix, nl_geterror(err));
        return -1;
    }
    return 0;
}

/* Whether @a/@alen and @b/@blen (bytes of one family) overlap: the shorter
 * prefix's network contains the other address. */
static bool
netPrefixOverlap(const unsigned char *a, unsigned int alen, const unsigned char *b,
                 unsigned int blen)
{
    unsigned int len = MIN(alen, blen);
    unsigned int bytes = len / 8;
    unsigned int bits = len % 8;

    if (memcmp(a, b, bytes) != 0)
        return false;
    if (bits) {
        unsigned char mask = (unsigned char)(0xff << (8 - bits));
        if ((a[bytes] & mask) != (b[bytes] & mask))
            return false;
    }
    return true;
}

static char *
netIndexName(int idx)
{
    char buf[IF_NAMESIZE] = { 0 };

    if (idx <= 0 || !if_indextoname(idx, buf))
        return NULL;
    return g_strdup(buf);
}

int
mvNetRouteConflict(int family, const char *net, unsigned int prefix, char **dev)
{
    g_autoptr(netNlAddr) want = NULL;
    g_autoptr(netNlCache) routes = NULL;
    g_autoptr(netNlCache) addrs = NULL;
    const unsigned char *wbytes;
    struct nl_object *obj;

    if (!(want = netAddrParse(family, net, prefix)))
        return -1;
    wbytes = nl_addr_get_binary_addr(want);
    if (netCacheGet(true, family, &routes) < 0 || netCacheGet(false, family, &addrs) < 0)
        return -1;

    for (obj = nl_cache_get_first(routes); obj; obj = nl_cache_get_next(obj)) {
        struct rtnl_route *r = (struct rtnl_route *)obj;
        struct nl_addr *dst = rtnl_route_get_dst(r);
        struct rtnl_nexthop *nh;

        if (rtnl_route_get_table(r) != RT_TABLE_MAIN || rtnl_route_get_family(r) != family ||
            rtnl_route_get_type(r) != RTN_UNICAST || !dst ||
            nl_addr_get_prefixlen(dst) == 0 ||
            nl_addr_get_len(dst) != nl_addr_get_len(want))
            continue;
        if (!netPrefixOverlap(nl_addr_get_binary_addr(dst), nl_addr_get_prefixlen(dst),
                              wbytes, prefix))
            continue;
        nh = rtnl_route_nexthop_n(r, 0);
        *dev = nh ? netIndexName(rtnl_route_nh_get_ifindex(nh)) : NULL;
        return 1;
    }

    for (obj = nl_cache_get_first(addrs); obj; obj = nl_cache_get_next(obj)) {
        struct rtnl_addr *a = (struct rtnl_addr *)obj;
        struct nl_addr *local = rtnl_addr_get_local(a);
        unsigned int plen = rtnl_addr_get_prefixlen(a);

        if (rtnl_addr_get_family(a) != family || !local || plen == 0 ||
            nl_addr_get_len(local) != nl_addr_get_len(want))
            continue;
        /* link-local IPv6 (fe80::/10) exists on every link and says nothing */
        if (family == AF_INET6 && ((const unsigned char *)nl_addr_get_binary_addr(local))[0]
            == 0xfe && (((const unsigned char *)nl_addr_get_binary_addr(local))[1] & 0xc0)
            == 0x80)
            continue;
        /* 127/8 lives on lo in the local table only; it still must not be
         * reused for a network */
        if (!netPrefixOverlap(nl_addr_get_binary_addr(local), plen, wbytes, prefix))
            continue;
        *dev = netIndexName(rtnl_addr_get_ifindex(a));
        return 1;
    }
    return 0;
}

int
mvNetTapCreate(const char *ifnameOrTemplate, char **ifname, int *tapfd, unsigned int flags)
{
    MV_AUTOCLOSE int fd = -1;
    struct ifreq ifr;
    const char *tmpl = ifnameOrTemplate ? ifnameOrTemplate : "vnet%d";

    mvCheckFlags(flags, MV_NET_TAP_VNET_HDR | MV_NET_TAP_PERSIST | MV_NET_TAP_MULTIQUEUE, -1);
    if (strlen(tmpl) > MV_NET_IFNAME_MAX || !*tmpl || strchr(tmpl, '/')) {
        mvReportError(VIR_ERR_INVALID_ARG,
                      "invalid tap device name '%s': use 1 to %d characters without '/'",
                      tmpl, MV_NET_IFNAME_MAX);
        return -1;
    }
    if (!tapfd && !(flags & MV_NET_TAP_PERSIST)) {
        mvReportError(VIR_ERR_INVALID_ARG, "%s",
                      "a tap device that is not persistent needs its fd kept");
        return -1;
    }
    if ((fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)) < 0) {
        mvReportSystemError(errno, "%s",
                            "cannot open /dev/net/tun (is the tun driver available and are we "
                            "allowed to use it?)");
        return -1;
    }
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (flags & MV_NET_TAP_VNET_HDR)
        ifr.ifr_flags |= IFF_VNET_HDR;
    if (flags & MV_NET_TAP_MULTIQUEUE)
        ifr.ifr_flags |= IFF_MULTI_QUEUE;
    g_strlcpy(ifr.ifr_name, tmpl, sizeof(ifr.ifr_name));
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        mvReportSystemError(errno, "cannot create tap device '%s'", tmpl);
        return -1;
    }
    if ((flags & MV_NET_TAP_PERSIST) && ioctl(fd, TUNSETPERSIST, 1) < 0) {
        mvReportSystemError(errno, "cannot make tap device '%s' persistent", ifr.ifr_name);
        return -1;
    }
    *ifname = g_strndup(ifr.ifr_name, sizeof(ifr.ifr_name));
    if (tapfd)
        *tapfd = g_steal_fd(&fd);
    return 0;
}

int
mvNetTapDelete(const char *ifname)
{
    return mvNetLinkDelete(ifname);
}

static const char *
netForwardPath(int family)
{
    switch (family) {
    case AF_INET:
        return "/proc/sys/net/ipv4/ip_forward";
    case AF_INET6:
        return "/proc/sys/net/ipv6/conf/all/forwarding";
    }
    return NULL;
}

int
mvNetIsForwardingEnabled(int family)
{
    const char *path = netForwardPath(family);
    long v = 0;

    if (!path) {
        mvReportError(VIR_ERR_INVALID_ARG, "unknown address family %d", family);
        return -1;
    }
    if (netSysctlRead(path, &v) < 0)
        return -1;
    return v ? 1 : 0;
}

int
mvNetEnableForwarding(int family)
{
    const char *path = netForwardPath(family);

    if (!path) {
        mvReportError(VIR_ERR_INVALID_ARG, "unknown address family %d", family);
        return -1;
    }
    return netSysctlWrite(path, "1\n");
}
