/*
 * qemu_interface: the host side of a guest's NICs.
 *
 * Before QEMU starts, every tap-backed <interface> gets a tap device the
 * driver creates and passes to QEMU as an open fd (QEMU needs no network
 * privilege):
 *   - bridge: the tap joins the named host bridge;
 *   - ethernet: a bare tap (named by <target dev> or vnetN), left alone;
 *   - network: virtnetworkd is asked over RPC for a port on the network
 *     (virNetworkPortCreateXML, libvirt's port model); the port says which
 *     bridge to join, and its id is kept in the live XML
 *     (<source network= portid= bridge=>) so that it can be released when
 *     the guest stops, even after a daemon restart.
 * Taps are not persistent: they vanish with the last fd, i.e. when QEMU
 * exits.  Ports are released with qemuInterfacesRelease().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include <libvirt/libvirt.h>

#include "domain_conf.h"

/* Creates the taps (and ports) of @live's NICs and records their names,
 * port ids and bridges in @live.  *@tapfds gets one fd per NIC in NIC order
 * (-1 for NICs without a tap: user networking); the caller closes them
 * once QEMU has them.  @networkURI reaches virtnetworkd.  On failure
 * everything done is undone and -1 returned with an error naming the NIC. */
int qemuInterfacesPrepare(mvDomainDef *live, const char *networkURI, GArray **tapfds);

/* Gives back the ports of @live's type='network' NICs (best effort: a
 * virtnetworkd that is down is logged, not fatal). */
void qemuInterfacesRelease(const mvDomainDef *live, const char *networkURI);

/* virDomainInterfaceAddresses for a running domain's NICs (a copy of its
 * live definition): SRC_LEASE asks virtnetworkd for the DHCP leases of
 * type='network' NICs, SRC_ARP reads this host's neighbour table.  Returns
 * the number of interfaces (filling *@ifaces) or -1. */
int qemuInterfacesAddresses(const mvDomainDef *live, const char *networkURI,
                            unsigned int source, virDomainInterfacePtr **ifaces);

/* Closes every fd in @tapfds and frees it; NULL is fine. */
void qemuInterfacesCloseFDs(GArray *tapfds);
