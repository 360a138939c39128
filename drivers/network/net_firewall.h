/*
 * net_firewall: the nftables rules of a virtual network.
 *
 * Each network gets one nftables table of its own, family inet (IPv4 and
 * IPv6 together), named "modvirt-NAME" (NAME made safe for nft, see
 * mvNetFirewallTableName) and carrying the comment "modvirt network NAME
 * bridge BRIDGE".  Adding replaces that table in a single nft transaction,
 * so applying twice leaves one copy and a half-applied ruleset never exists;
 * removing deletes the table.  After a daemon restart mvNetFirewallHas tells
 * whether a running network's rules are still in place.
 *
 * The table holds, per forward mode (libvirt 9.0's iptables rules, written
 * for nft):
 *   input/output   DHCP, DNS and DHCPv6 between guests and the host's
 *                  dnsmasq on the bridge (accepted);
 *   forward        nat: replies into the subnet (ct established,related),
 *                  anything from the subnet out, traffic between guests;
 *                  everything else to or from the bridge rejected.
 *                  route: the subnet both ways, the rest rejected.
 *                  none (isolated): only guest to guest, the rest rejected.
 *                  open / bridge / macvtap modes: no rules, no table.
 *   postrouting    nat only: masquerade (or SNAT to <nat><address>) of the
 *                  subnet to anything outside it, tcp/udp onto ports
 *                  1024-65535 (or <nat><port>), multicast and broadcast
 *                  left alone; IPv6 only with <nat ipv6='yes'>.
 * All base chains have policy accept and only match the network's bridge, so
 * tables of several networks and the host's own rules coexist.
 *
 * nft is run as `nft -f -` with the script on stdin (argv, no shell).
 * Errors are reported in the VIR_FROM_NETWORK domain.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "network_conf.h"

/* Name of the nft table of the network @netName (caller frees): "modvirt-"
 * followed by the name when it only has letters, digits, '_', '-' and '.',
 * otherwise by the name with every other byte replaced by '_' and a short
 * hash of the real name.  Never fails. */
char *mvNetFirewallTableName(const char *netName);

/* Whether the forward mode of @def gets firewall rules at all (none, nat,
 * route).  Never reports. */
bool mvNetFirewallNeeded(const mvNetworkDef *def);

/* The nft script that mvNetFirewallAdd feeds to nft for @def (caller
 * frees): an atomic replacement of the network's table; "" when the forward
 * mode needs no rules.  @def must name its bridge.  Returns NULL with an
 * error reported
 * (VIR_ERR_INTERNAL_ERROR) for a definition without a bridge, or one the
 * rules cannot express. */
char *mvNetFirewallRuleset(const mvNetworkDef *def);

/* Installs (or replaces) the rules of @def.  A network whose forward mode
 * needs no rules is a no-op.  Returns 0, or -1 with an error reported
 * (VIR_ERR_OPERATION_FAILED with nft's own message, or VIR_ERR_INTERNAL_ERROR
 * when nft is not installed). */
int mvNetFirewallAdd(const mvNetworkDef *def);

/* Removes the rules of the network @netName; none is not an error.
 * Returns 0, or -1 with an error reported. */
int mvNetFirewallRemove(const char *netName);

/* Whether the rules of the network @netName are installed: 1 yes, 0 no, -1
 * with an error reported. */
int mvNetFirewallHas(const char *netName);
