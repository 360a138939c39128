/*
 * network_driver_priv: the network driver's state, shared by its source
 * files (network_driver.c: API tables and state driver; network_ports.c:
 * the port API and DHCP leases; network_start.c: host checks, start, stop
 * and re-adoption; network_update.c: net-update).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "client_driver.h"
#include "client_event.h"
#include "net_dnsmasq.h"
#include "network_obj.h"

typedef struct {
    bool privileged;
    char *uri;                  /* network:///system or network:///session */
    char *configDir;            /* <configDir>/qemu/networks: persistent definitions */
    char *autostartDir;         /* <configDir>/qemu/networks/autostart */
    char *statusDir;            /* <runDir>/network: status files, dnsmasq pid files */
    char *dnsmasqDir;           /* <stateDir>/dnsmasq: dnsmasq config, hosts, leases */

    netObjList *networks;
    mvObjectEventState *events;
    /* serialises define / create: name, UUID, bridge and subnet checks plus
     * the insertion into the list happen as one step.  Never taken while an
     * object lock or job is held. */
    GMutex defineLock;
    gint nactive;               /* active networks (for the logs) */
} netDriver;

extern netDriver *net_driver;

/* --- network_driver.c: handles to objects --- */

/* The object behind a handle, referenced and locked; NULL with
 * VIR_ERR_NO_NETWORK. */
netObj *netObjFromNet(virNetworkPtr net);
/* Unlocks and unreferences. */
void netObjEnd(netObj *obj);
/* netObjFromNet and the job; NULL on failure (nothing held). */
netObj *netObjJobFromNet(virNetworkPtr net);
/* Ends the job, unlocks and unreferences. */
void netObjEndJobUnlock(netObj *obj);
/* 0 when @obj (locked) is active, else -1 with VIR_ERR_OPERATION_INVALID. */
int netCheckActive(netObj *obj);

/* --- network_ports.c: API calls (signatures of mvNetworkDriver) --- */
int netNetworkGetDHCPLeases(virNetworkPtr net, const char *mac,
                            virNetworkDHCPLeasePtr **leases, unsigned int flags);
virNetworkPortPtr netNetworkPortCreateXML(virNetworkPtr net, const char *xml,
                                          unsigned int flags);
virNetworkPortPtr netNetworkPortLookupByUUID(virNetworkPtr net, const unsigned char *uuid);
char *netNetworkPortGetXMLDesc(virNetworkPortPtr port, unsigned int flags);
int netNetworkPortDelete(virNetworkPortPtr port, unsigned int flags);
int netNetworkListAllPorts(virNetworkPtr net, virNetworkPortPtr **ports, unsigned int flags);

/* --- network_start.c --- */

/* Completes and checks a new definition against the other networks and the
 * host before it is defined or created (defineLock held, no object lock):
 * name/UUID conflicts, bridge name (assigned as virbrN when absent or a
 * template; refused when another network or a host interface has it),
 * bridge MAC (generated, or kept from @old), overlapping subnets (other
 * networks, host routes), forward devices that do not exist.  @old is the
 * existing definition of the same network (or NULL), @oldActiveBridge its
 * live bridge when active (or NULL).  Returns 0 or -1 with an error. */
int netPrepareDefinition(mvNetworkDef *def, const mvNetworkDef *old,
                         const char *oldActiveBridge);

/* Starts @obj (locked, job held): host checks, then bridge, addresses,
 * routes, firewall, dnsmasq, status file.  On failure everything done is
 * undone and the error says what failed. */
int netStart(netObj *obj);
/* Stops @obj (locked, job held) in reverse order and removes its status
 * file.  Best effort: problems are logged, never fatal. */
void netStop(netObj *obj);
/* Writes @obj's status file (locked). */
int netSaveStatus(netObj *obj);
/* Re-adopts the networks found in status files at start-up. */
void netReadoptAll(void);
/* The dnsmasq paths of @def (its bridge set). */
mvNetDnsmasqFiles *netDnsmasqFiles(const mvNetworkDef *def);
/* Writes @def as its persistent config file. */
int netSaveConfig(const mvNetworkDef *def);
/* Removes the config file and autostart link of @name. */
int netDeleteConfig(const char *name);

/* --- network_update.c --- */

/* Applies one virNetworkUpdate command to @def (a private copy).  Sets
 * *@hostsOnly when the change only touches dnsmasq's host files (a SIGHUP
 * applies it live), false when dnsmasq must be restarted.  Returns 0, or -1
 * with an error (@def possibly half-changed: discard it). */
int netUpdateDef(mvNetworkDef *def, unsigned int command, unsigned int section,
                 int parentIndex, const char *xml, bool *hostsOnly);
