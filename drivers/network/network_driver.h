/*
 * network_driver: the network driver (virtnetworkd's): virtual networks —
 * bridges with NAT, routing, isolation or an existing host bridge, DHCP and
 * DNS by dnsmasq, nftables rules — and the ports guest NICs hold on them.
 *
 * Files: persistent definitions <configDir>/qemu/networks/NAME.xml (and
 * autostart/NAME.xml links), live status <runDir>/network/NAME.xml, dnsmasq
 * files under <stateDir>/dnsmasq/.  A system-mode daemon started for the
 * first time (no networks directory yet) defines the autostarted NAT
 * network "default".
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "client_driver.h"
#include "drivers/driver_state.h"

/* The driver tables (registered by networkStateDriver.registerDriver). */
extern const mvConnectDriver networkConnectDriver;
/* What virtnetworkd's spec names. */
extern const mvStateDriver networkStateDriver;
