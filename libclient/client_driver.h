/*
 * client_driver: the internal driver tables behind the public API.
 *
 * Every public call (libclient/client_<area>.c) checks its arguments, flags
 * and read-only access, then calls the function of the driver that serves
 * the connection.  A connect driver bundles per-area tables: the hypervisor
 * table (connection-level calls) and one table per object area.  Drivers
 * register themselves; virConnectOpen offers a URI to each local driver in
 * turn (a daemon registers its own driver) and falls back to the remote
 * driver, which forwards every call over RPC.
 *
 * A daemon's dispatch code calls the public API on the connection it opened
 * for its client, so local and remote drivers look the same from above.
 *
 * Objects (virConnect, virDomain, virSecret, ...) are reference counted; a
 * handle holds a reference on its connection.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "client_uri.h"

/* Results of connectOpen. */
typedef enum {
    MV_DRV_OPEN_SUCCESS = 0,
    MV_DRV_OPEN_DECLINED = -2,   /* not mine: try the next driver */
    MV_DRV_OPEN_ERROR = -1,      /* mine, but it failed (error reported) */
} mvDrvOpenStatus;

/* Internal flag: asks a driver for a private secret's value on behalf of
 * another daemon; never accepted from a remote client. */
#define MV_SECRET_GET_VALUE_INTERNAL_CALL (1 << 0)
/* The same request on the wire (SECRET_GET_VALUE flags): virtsecretd honours
 * it only from a peer that is one of modvirt's own daemons (checked from
 * the socket's credentials and the peer's executable), never from a client. */
#define MV_SECRET_GET_VALUE_WIRE_INTERNAL (1U << 31)

/* virDrvFeature numbers (wire-facts 3.2). */
typedef enum {
    MV_DRV_FEATURE_MIGRATION_V1 = 1,
    MV_DRV_FEATURE_REMOTE = 2,
    MV_DRV_FEATURE_MIGRATION_V2 = 3,
    MV_DRV_FEATURE_MIGRATION_P2P = 4,
    MV_DRV_FEATURE_MIGRATION_DIRECT = 5,
    MV_DRV_FEATURE_MIGRATION_V3 = 6,
    MV_DRV_FEATURE_MIGRATE_CHANGE_PROTECTION = 7,
    MV_DRV_FEATURE_FD_PASSING = 8,
    MV_DRV_FEATURE_TYPED_PARAM_STRING = 9,
    MV_DRV_FEATURE_PROGRAM_KEEPALIVE = 10,
    MV_DRV_FEATURE_XML_MIGRATABLE = 11,
    MV_DRV_FEATURE_MIGRATION_OFFLINE = 12,
    MV_DRV_FEATURE_MIGRATION_PARAMS = 13,
    MV_DRV_FEATURE_REMOTE_EVENT_CALLBACK = 14,
    MV_DRV_FEATURE_REMOTE_CLOSE_CALLBACK = 15,
    MV_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER = 16,
} mvDrvFeature;

typedef struct {
    const char *name;  /* "secret", "remote" */
    /* Claims the connection or declines it.  conn->uri is parsed (never NULL
     * for local drivers; the remote driver may see a NULL uri = probe). */
    int (*connectOpen)(virConnectPtr conn, unsigned int flags);
    int (*connectClose)(virConnectPtr conn);
    const char *(*connectGetType)(virConnectPtr conn);
    int (*connectGetVersion)(virConnectPtr conn, unsigned long *hvVer);
    int (*connectGetLibVersion)(virConnectPtr conn, unsigned long *libVer);
    char *(*connectGetHostname)(virConnectPtr conn);
    char *(*connectGetURI)(virConnectPtr conn);
    int (*connectIsAlive)(virConnectPtr conn);
    int (*connectIsSecure)(virConnectPtr conn);
    int (*connectIsEncrypted)(virConnectPtr conn);
    /* 1 supported, 0 not; -1 with error */
    int (*connectSupportsFeature)(virConnectPtr conn, int feature);
    int (*connectSetKeepAlive)(virConnectPtr conn, int interval, unsigned int count);
    int (*connectRegisterCloseCallback)(virConnectPtr conn, virConnectCloseFunc cb,
                                        void *opaque, virFreeCallback freecb);
    int (*connectUnregisterCloseCallback)(virConnectPtr conn, virConnectCloseFunc cb);
} mvHypervisorDriver;

typedef struct {
    int (*connectNumOfSecrets)(virConnectPtr conn);
    int (*connectListSecrets)(virConnectPtr conn, char **uuids, int maxuuids);
    int (*connectListAllSecrets)(virConnectPtr conn, virSecretPtr **secrets,
                                 unsigned int flags);
    virSecretPtr (*secretLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);
    virSecretPtr (*secretLookupByUsage)(virConnectPtr conn, int usageType,
                                        const char *usageID);
    virSecretPtr (*secretDefineXML)(virConnectPtr conn, const char *xml,
                                    unsigned int flags);
    char *(*secretGetXMLDesc)(virSecretPtr secret, unsigned int flags);
    int (*secretSetValue)(virSecretPtr secret, const unsigned char *value,
                          size_t size, unsigned int flags);
    unsigned char *(*secretGetValue)(virSecretPtr secret, size_t *size,
                                     unsigned int flags, unsigned int internalFlags);
    int (*secretUndefine)(virSecretPtr secret);
    int (*connectSecretEventRegisterAny)(virConnectPtr conn, virSecretPtr secret,
                                         int eventID,
                                         virConnectSecretEventGenericCallback cb,
                                         void *opaque, virFreeCallback freecb);
    int (*connectSecretEventDeregisterAny)(virConnectPtr conn, int callbackID);
} mvSecretDriver;

/* Domain, node and capability calls of a hypervisor driver.  Every member
 * is the public function's name without "vir" and with a lower-case first
 * letter, with exactly the public signature, except the two event calls
 * noted below.  A NULL member makes the public call fail with
 * VIR_ERR_NO_SUPPORT naming the API.  The public layer has already checked
 * the handle, read-only access and NULL/negative arguments. */
typedef struct {
    /* host */
    char *(*connectGetCapabilities)(virConnectPtr conn);
    char *(*connectGetSysinfo)(virConnectPtr conn, unsigned int flags);
    int (*connectGetMaxVcpus)(virConnectPtr conn, const char *type);
    char *(*connectGetDomainCapabilities)(virConnectPtr conn, const char *emulatorbin,
                                          const char *arch, const char *machine,
                                          const char *virttype, unsigned int flags);
    int (*nodeGetInfo)(virConnectPtr conn, virNodeInfoPtr info);
    int (*nodeGetCellsFreeMemory)(virConnectPtr conn, unsigned long long *freeMems,
                                  int startCell, int maxCells);
    unsigned long long (*nodeGetFreeMemory)(virConnectPtr conn);
    int (*nodeGetCPUStats)(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                           int *nparams, unsigned int flags);
    int (*nodeGetMemoryStats)(virConnectPtr conn, int cellNum, virNodeMemoryStatsPtr params,
                              int *nparams, unsigned int flags);
    int (*nodeGetCPUMap)(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                         unsigned int flags);
    int (*nodeGetSecurityModel)(virConnectPtr conn, virSecurityModelPtr secmodel);
    char *(*connectDomainXMLToNative)(virConnectPtr conn, const char *nativeFormat,
                                      const char *domainXml, unsigned int flags);
    char *(*connectDomainXMLFromNative)(virConnectPtr conn, const char *nativeFormat,
                                        const char *nativeConfig, unsigned int flags);

    /* listing and lookup */
    int (*connectListDomains)(virConnectPtr conn, int *ids, int maxids);
    int (*connectNumOfDomains)(virConnectPtr conn);
    int (*connectListDefinedDomains)(virConnectPtr conn, char **const names, int maxnames);
    int (*connectNumOfDefinedDomains)(virConnectPtr conn);
    int (*connectListAllDomains)(virConnectPtr conn, virDomainPtr **domains,
                                 unsigned int flags);
    virDomainPtr (*domainLookupByID)(virConnectPtr conn, int id);
    virDomainPtr (*domainLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);
    virDomainPtr (*domainLookupByName)(virConnectPtr conn, const char *name);

    /* definition and lifecycle */
    virDomainPtr (*domainDefineXML)(virConnectPtr conn, const char *xml);
    virDomainPtr (*domainDefineXMLFlags)(virConnectPtr conn, const char *xml,
                                         unsigned int flags);
    int (*domainUndefine)(virDomainPtr domain);
    int (*domainUndefineFlags)(virDomainPtr domain, unsigned int flags);
    int (*domainCreate)(virDomainPtr domain);
    /* On success also stores the new id in domain->id. */
    int (*domainCreateWithFlags)(virDomainPtr domain, unsigned int flags);
    virDomainPtr (*domainCreateXML)(virConnectPtr conn, const char *xmlDesc,
                                    unsigned int flags);
    int (*domainDestroy)(virDomainPtr domain);
    int (*domainDestroyFlags)(virDomainPtr domain, unsigned int flags);
    int (*domainShutdown)(virDomainPtr domain);
    int (*domainShutdownFlags)(virDomainPtr domain, unsigned int flags);
    int (*domainReboot)(virDomainPtr domain, unsigned int flags);
    int (*domainReset)(virDomainPtr domain, unsigned int flags);
    int (*domainSuspend)(virDomainPtr domain);
    int (*domainResume)(virDomainPtr domain);
    int (*domainSetAutostart)(virDomainPtr domain, int autostart);

    /* state and properties */
    int (*domainGetInfo)(virDomainPtr domain, virDomainInfoPtr info);
    int (*domainGetState)(virDomainPtr domain, int *state, int *reason, unsigned int flags);
    char *(*domainGetXMLDesc)(virDomainPtr domain, unsigned int flags);
    int (*domainGetAutostart)(virDomainPtr domain, int *autostart);
    char *(*domainGetOSType)(virDomainPtr domain);
    unsigned long (*domainGetMaxMemory)(virDomainPtr domain);
    int (*domainGetMaxVcpus)(virDomainPtr domain);
    int (*domainGetVcpus)(virDomainPtr domain, virVcpuInfoPtr info, int maxinfo,
                          unsigned char *cpumaps, int maplen);
    int (*domainGetVcpusFlags)(virDomainPtr domain, unsigned int flags);
    int (*domainGetVcpuPinInfo)(virDomainPtr domain, int ncpumaps, unsigned char *cpumaps,
                                int maplen, unsigned int flags);
    int (*domainGetEmulatorPinInfo)(virDomainPtr domain, unsigned char *cpumaps,
                                    int maplen, unsigned int flags);
    int (*domainIsActive)(virDomainPtr dom);
    int (*domainIsPersistent)(virDomainPtr dom);
    int (*domainIsUpdated)(virDomainPtr dom);
    int (*domainHasManagedSaveImage)(virDomainPtr dom, unsigned int flags);
    int (*domainGetSecurityLabel)(virDomainPtr domain, virSecurityLabelPtr seclabel);
    int (*domainGetSecurityLabelList)(virDomainPtr domain, virSecurityLabelPtr *seclabels);
    int (*domainGetMessages)(virDomainPtr domain, char ***msgs, unsigned int flags);
    int (*domainInterfaceAddresses)(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                                    unsigned int source, unsigned int flags);
    char *(*domainGetHostname)(virDomainPtr domain, unsigned int flags);
    int (*domainGetControlInfo)(virDomainPtr domain, virDomainControlInfoPtr info,
                                unsigned int flags);
    char *(*domainGetSchedulerType)(virDomainPtr domain, int *nparams);

    /* events: the domain filter comes before the event id (as in the public
     * call); returns the callback id.  The old-style lifecycle-only
     * virConnectDomainEventRegister/Deregister are built on these by the
     * public layer. */
    int (*connectDomainEventRegisterAny)(virConnectPtr conn, virDomainPtr dom, int eventID,
                                         virConnectDomainEventGenericCallback cb,
                                         void *opaque, virFreeCallback freecb);
    int (*connectDomainEventDeregisterAny)(virConnectPtr conn, int callbackID);
} mvDomainDriver;

/* Network and network-port calls (virtnetworkd's driver, and the remote
 * driver).  Members are the public functions' names without "vir", first
 * letter lower-case, with exactly the public signatures.  A NULL member
 * makes the public call fail with VIR_ERR_NO_SUPPORT naming the API.  The
 * public layer has already checked handles, read-only access and NULL or
 * negative arguments; drivers check flags themselves.  Network and port
 * handles are made with mvGetNetwork() / mvGetNetworkPort(). */
typedef struct {
    int (*connectNumOfNetworks)(virConnectPtr conn);
    int (*connectListNetworks)(virConnectPtr conn, char **const names, int maxnames);
    int (*connectNumOfDefinedNetworks)(virConnectPtr conn);
    int (*connectListDefinedNetworks)(virConnectPtr conn, char **const names, int maxnames);
    /* @nets may be NULL (count only); otherwise a NULL-terminated array. */
    int (*connectListAllNetworks)(virConnectPtr conn, virNetworkPtr **nets,
                                  unsigned int flags);
    virNetworkPtr (*networkLookupByName)(virConnectPtr conn, const char *name);
    virNetworkPtr (*networkLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);
    virNetworkPtr (*networkCreateXML)(virConnectPtr conn, const char *xmlDesc);
    virNetworkPtr (*networkCreateXMLFlags)(virConnectPtr conn, const char *xmlDesc,
                                           unsigned int flags);
    virNetworkPtr (*networkDefineXML)(virConnectPtr conn, const char *xml);
    virNetworkPtr (*networkDefineXMLFlags)(virConnectPtr conn, const char *xml,
                                           unsigned int flags);
    int (*networkUndefine)(virNetworkPtr network);
    int (*networkUpdate)(virNetworkPtr network, unsigned int command, unsigned int section,
                         int parentIndex, const char *xml, unsigned int flags);
    int (*networkCreate)(virNetworkPtr network);
    int (*networkDestroy)(virNetworkPtr network);
    char *(*networkGetXMLDesc)(virNetworkPtr network, unsigned int flags);
    char *(*networkGetBridgeName)(virNetworkPtr network);
    int (*networkGetAutostart)(virNetworkPtr network, int *autostart);
    int (*networkSetAutostart)(virNetworkPtr network, int autostart);
    int (*networkIsActive)(virNetworkPtr net);
    int (*networkIsPersistent)(virNetworkPtr net);
    /* @mac NULL = all; @leases may be NULL (count only). */
    int (*networkGetDHCPLeases)(virNetworkPtr network, const char *mac,
                                virNetworkDHCPLeasePtr **leases, unsigned int flags);
    /* @net is an optional filter; returns the callback id. */
    int (*connectNetworkEventRegisterAny)(virConnectPtr conn, virNetworkPtr net, int eventID,
                                          virConnectNetworkEventGenericCallback cb,
                                          void *opaque, virFreeCallback freecb);
    int (*connectNetworkEventDeregisterAny)(virConnectPtr conn, int callbackID);

    /* ports */
    virNetworkPortPtr (*networkPortLookupByUUID)(virNetworkPtr net,
                                                 const unsigned char *uuid);
    virNetworkPortPtr (*networkPortCreateXML)(virNetworkPtr net, const char *xmldesc,
                                              unsigned int flags);
    char *(*networkPortGetXMLDesc)(virNetworkPortPtr port, unsigned int flags);
    int (*networkPortDelete)(virNetworkPortPtr port, unsigned int flags);
    /* @ports may be NULL (count only); otherwise a NULL-terminated array. */
    int (*networkListAllPorts)(virNetworkPtr network, virNetworkPortPtr **ports,
                               unsigned int flags);
} mvNetworkDriver;

typedef struct {
    const char *name;
    /* URI schemes (driver part) this driver claims when local; NULL-terminated.
     * NULL for the remote driver, which is tried last for every URI. */
    const char * const *uriSchemes;
    const mvHypervisorDriver *hypervisorDriver;
    const mvDomainDriver *domainDriver;
    const mvSecretDriver *secretDriver;
    const mvNetworkDriver *networkDriver;
    /* later: storage, nodedev, interface, nwfilter */
} mvConnectDriver;

/* Registers a driver; local drivers are tried in registration order, the
 * remote driver (registered by libclient itself) last.  Returns 0 or -1. */
int mvRegisterConnectDriver(const mvConnectDriver *driver);
/* Set by daemons: the remote driver must not be used for the daemon's own
 * scheme (a daemon never connects to itself). */
void mvSetInsideDaemon(bool inside);
bool mvIsInsideDaemon(void);

/* refs of virConnect, virDomain and virSecret are plain positive counts
 * changed with g_atomic_int_* (not g_ref_count_*); use virConnectRef,
 * virDomainRef, virSecretRef. */
struct _virConnect {
    grefcount refs;
    GMutex lock;
    mvURI *uri;                         /* parsed URI (NULL only during probing) */
    unsigned int flags;                 /* VIR_CONNECT_RO */
    const mvConnectDriver *driver;
    void *privateData;                  /* the driver's, for every area */
    /* close callback (public API state) */
    virConnectCloseFunc closeCallback;
    void *closeOpaque;
    virFreeCallback closeFreeCb;
    /* per-connection last error (virConnGetLastError) */
    virError lastError;
};

struct _virSecret {
    grefcount refs;
    virConnectPtr conn;                 /* holds a reference */
    unsigned char uuid[VIR_UUID_BUFLEN];
    int usageType;
    char *usageID;
};

/* Creates a handle (taking a reference on @conn).  Never fails. */
virSecretPtr mvGetSecret(virConnectPtr conn, const unsigned char *uuid,
                         int usageType, const char *usageID);

struct _virDomain {
    grefcount refs;                     /* like _virSecret */
    virConnectPtr conn;                 /* holds a reference */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;                             /* -1 when inactive */
};

/* Creates a handle (taking a reference on @conn).  Never fails. */
virDomainPtr mvGetDomain(virConnectPtr conn, const char *name, const unsigned char *uuid,
                         int id);

struct _virNetwork {
    grefcount refs;                     /* like _virSecret */
    virConnectPtr conn;                 /* holds a reference */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
};

/* Creates a handle (taking a reference on @conn).  Never fails. */
virNetworkPtr mvGetNetwork(virConnectPtr conn, const char *name,
                           const unsigned char *uuid);

struct _virNetworkPort {
    grefcount refs;                     /* like _virSecret */
    virNetworkPtr net;                  /* holds a reference */
    unsigned char uuid[VIR_UUID_BUFLEN];
};

/* Creates a handle (taking a reference on @net).  Never fails. */
virNetworkPortPtr mvGetNetworkPort(virNetworkPtr net, const unsigned char *uuid);

/* Runs @conn's close callback (if any) with @reason; any thread. */
void mvConnectNotifyClosed(virConnectPtr conn, int reason);

/* Opens @uri with the remote driver even inside a daemon (daemons that call
 * each other).  Returns NULL with the error set on the calling thread (it
 * is not passed to any error function). */
virConnectPtr mvConnectOpenSecondary(const char *uri, unsigned int flags);

/* A secret's value for another daemon: calls the driver with
 * MV_SECRET_GET_VALUE_INTERNAL_CALL.  Returns the value (*@size bytes; the
 * caller wipes and frees it) or NULL with the error set. */
unsigned char *mvSecretGetValueInternal(virSecretPtr secret, size_t *size);
