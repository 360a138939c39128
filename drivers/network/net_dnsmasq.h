/*
 * net_dnsmasq: dnsmasq for a virtual network — its files, its process and
 * its leases.
 *
 * Files (libvirt's layout, in the driver's dnsmasq state directory, e.g.
 * /var/lib/libvirt/dnsmasq/):
 *   NAME.conf        the configuration, generated from the network XML
 *   NAME.hostsfile   <dhcp><host> entries (dhcp-hostsfile, re-read on SIGHUP)
 *   NAME.addnhosts   <dns><host> entries (addn-hosts, re-read on SIGHUP)
 *   BRIDGE.leases    dnsmasq's own lease file (dhcp-leasefile)
 * and NAME.pid in the driver's pid directory (the run dir).
 *
 * Process: dnsmasq daemonizes itself and writes its pid file, as under
 * libvirt, so it keeps running across a restart of virtnetworkd; the driver
 * re-adopts it with mvNetDnsmasqFind, which only believes a pid whose
 * /proc/PID/cmdline is dnsmasq with our --conf-file.  Host changes
 * (hostsfile, addn-hosts) are applied with SIGHUP.
 *
 * Errors are reported in the VIR_FROM_NETWORK domain.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "network_conf.h"

/* Largest lease file read (bytes). */
#define MV_NET_DNSMASQ_LEASES_MAX (16 * 1024 * 1024)

/* The paths of one network's dnsmasq instance. */
typedef struct {
    char *confFile;         /* <stateDir>/NAME.conf */
    char *hostsFile;        /* <stateDir>/NAME.hostsfile */
    char *addnHostsFile;    /* <stateDir>/NAME.addnhosts */
    char *leaseFile;        /* <stateDir>/BRIDGE.leases */
    char *pidFile;          /* <pidDir>/NAME.pid */
} mvNetDnsmasqFiles;

/* The paths for @def (whose name and bridge must be set).  Never fails. */
mvNetDnsmasqFiles *mvNetDnsmasqFilesNew(const mvNetworkDef *def, const char *stateDir,
                                        const char *pidDir);
void mvNetDnsmasqFilesFree(mvNetDnsmasqFiles *files);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvNetDnsmasqFiles, mvNetDnsmasqFilesFree);

/* Whether @def needs a dnsmasq: its own bridge (mvNetworkDefHasOwnBridge) and
 * DNS not disabled, or any DHCP range/host, or an IPv6 address (router
 * advertisements).  Never reports. */
bool mvNetDnsmasqNeeded(const mvNetworkDef *def);

/* The configuration file text for @def (caller frees), libvirt-style:
 * strict-order, (domain-needed/local=// unless forwardPlainNames),
 * domain=/expand-hosts, local=/DOMAIN/ for localOnly, except-interface=lo,
 * bind-dynamic, interface=BRIDGE, server= forwarders, srv-host=, txt-record=,
 * port=0 when DNS is disabled, one dhcp-range per range (IPv4 with netmask
 * and lease time, IPv6 with prefix), dhcp-no-override, dhcp-authoritative,
 * dhcp-lease-max, dhcp-hostsfile, addn-hosts, dhcp-leasefile, pid-file,
 * enable-ra (and dhcp-range=ADDR,ra-only for IPv6 subnets without DHCP),
 * dhcp-boot / enable-tftp / tftp-root, no-ping.  Returns NULL with an error
 * reported when the definition cannot be expressed. */
char *mvNetDnsmasqConfig(const mvNetworkDef *def, const mvNetDnsmasqFiles *files);

/* The dhcp-hostsfile text of @def ("MAC,IP,NAME" / "id:DUID,[IPv6],NAME"
 * lines, plus ",LEASE" when the host has one).  Never fails. */
char *mvNetDnsmasqHostsfile(const mvNetworkDef *def);

/* The addn-hosts text of @def ("IP NAME..." lines).  Never fails. */
char *mvNetDnsmasqAddnHosts(const mvNetworkDef *def);

/* Writes the configuration, hostsfile and addn-hosts files of @def
 * (creating their directories).  Returns 0, or -1 with an error reported. */
int mvNetDnsmasqWriteFiles(const mvNetworkDef *def, const mvNetDnsmasqFiles *files);

/* Rewrites only the hostsfile and addn-hosts (after net-update) without
 * touching the configuration.  Returns 0, or -1 with an error reported. */
int mvNetDnsmasqWriteHosts(const mvNetworkDef *def, const mvNetDnsmasqFiles *files);

/* Starts dnsmasq on files->confFile (written already) and waits until it
 * has daemonized and written its pid file; its pid is returned in *@pid.  A
 * dnsmasq that refuses its configuration fails this call with its own
 * message.  Returns 0, or -1 with an error reported. */
int mvNetDnsmasqStart(const mvNetDnsmasqFiles *files, pid_t *pid);

/* Looks for the running dnsmasq of these files (pid file + /proc check).
 * Returns 1 with its pid in *@pid, 0 when none runs (a stale pid file is
 * removed), -1 with an error reported. */
int mvNetDnsmasqFind(const mvNetDnsmasqFiles *files, pid_t *pid);

/* Stops the dnsmasq of these files (SIGTERM, then SIGKILL after a grace
 * period) and removes its pid file; none running is not an error.  Returns
 * 0, or -1 with an error reported. */
int mvNetDnsmasqStop(const mvNetDnsmasqFiles *files);

/* Makes the running dnsmasq re-read its hostsfile and addn-hosts (SIGHUP).
 * Returns 0, or -1 with an error reported (VIR_ERR_OPERATION_INVALID when it
 * is not running). */
int mvNetDnsmasqReload(const mvNetDnsmasqFiles *files);

/* Removes the generated files and the lease file (undefine).  Returns 0, or
 * -1 with an error reported. */
int mvNetDnsmasqRemoveFiles(const mvNetDnsmasqFiles *files);

/* One lease of dnsmasq's lease file. */
typedef struct {
    long long expiry;       /* seconds since the epoch; 0: never expires */
    int family;             /* AF_INET or AF_INET6 */
    char *mac;              /* "52:54:00:..."; NULL for IPv6 (not recorded) */
    char *iaid;             /* IPv6: the IAID as text; NULL for IPv4 */
    char *ipaddr;           /* the leased address */
    char *hostname;         /* NULL when the client sent none */
    char *clientid;         /* IPv4 client id / IPv6 DUID; NULL when none */
} mvNetDnsmasqLease;

void mvNetDnsmasqLeaseFree(mvNetDnsmasqLease *lease);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvNetDnsmasqLease, mvNetDnsmasqLeaseFree);

/* Parses dnsmasq's lease file @leaseFile: IPv4 lines "EXPIRY MAC IP HOSTNAME
 * CLIENTID", then after a "duid SERVERDUID" line IPv6 lines "EXPIRY IAID IP
 * HOSTNAME CLIENTDUID" ('*' meaning none).  Expired leases are kept (the
 * caller filters with the current time).  A missing file gives an empty
 * array; a malformed line is skipped.  Returns a GPtrArray of
 * mvNetDnsmasqLease (it frees its elements), or NULL with an error reported. */
GPtrArray *mvNetDnsmasqReadLeases(const char *leaseFile);

/* The same, from the text @data (for tests).  Never fails. */
GPtrArray *mvNetDnsmasqParseLeases(const char *data);
