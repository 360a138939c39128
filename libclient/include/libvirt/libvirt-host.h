/*
 * libvirt-host.h: opening connections and asking about the host (node
 * facts, capabilities, security model).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef LIBVIRT_HOST_H
#define LIBVIRT_HOST_H

#include <libvirt/libvirt-common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    VIR_CONNECT_RO = (1 << 0),
    VIR_CONNECT_NO_ALIASES = (1 << 1),
} virConnectFlags;

typedef enum {
    VIR_CONNECT_CLOSE_REASON_ERROR = 0,
    VIR_CONNECT_CLOSE_REASON_EOF = 1,
    VIR_CONNECT_CLOSE_REASON_KEEPALIVE = 2,
    VIR_CONNECT_CLOSE_REASON_CLIENT = 3,
} virConnectCloseReason;

/* Authentication callbacks (virConnectOpenAuth); modvirt's UNIX transport
 * needs none, the types exist for source compatibility. */
typedef enum {
    VIR_CRED_USERNAME = 1,
    VIR_CRED_AUTHNAME = 2,
    VIR_CRED_LANGUAGE = 3,
    VIR_CRED_CNONCE = 4,
    VIR_CRED_PASSPHRASE = 5,
    VIR_CRED_ECHOPROMPT = 6,
    VIR_CRED_NOECHOPROMPT = 7,
    VIR_CRED_REALM = 8,
    VIR_CRED_EXTERNAL = 9,
} virConnectCredentialType;

typedef struct _virConnectCredential virConnectCredential;
struct _virConnectCredential {
    int type;
    const char *prompt;
    const char *challenge;
    const char *defresult;
    char *result;
    unsigned int resultlen;
};
typedef virConnectCredential *virConnectCredentialPtr;
typedef int (*virConnectAuthCallbackPtr)(virConnectCredentialPtr cred,
                                         unsigned int ncred, void *cbdata);
typedef struct _virConnectAuth virConnectAuth;
struct _virConnectAuth {
    int *credtype;
    unsigned int ncredtype;
    virConnectAuthCallbackPtr cb;
    void *cbdata;
};
typedef virConnectAuth *virConnectAuthPtr;

/*----- Host facts -----*/

#define VIR_SECURITY_LABEL_BUFLEN (4096 + 1)
#define VIR_SECURITY_MODEL_BUFLEN (256 + 1)
#define VIR_SECURITY_DOI_BUFLEN (256 + 1)

typedef struct _virSecurityLabel virSecurityLabel;
struct _virSecurityLabel {
    char label[VIR_SECURITY_LABEL_BUFLEN];
    int enforcing;                  /* 1 when the policy is enforced */
};
typedef virSecurityLabel *virSecurityLabelPtr;

typedef struct _virSecurityModel virSecurityModel;
struct _virSecurityModel {
    char model[VIR_SECURITY_MODEL_BUFLEN];
    char doi[VIR_SECURITY_DOI_BUFLEN];  /* domain of interpretation */
};
typedef virSecurityModel *virSecurityModelPtr;

typedef struct _virNodeInfo virNodeInfo;
struct _virNodeInfo {
    char model[32];                 /* CPU architecture, e.g. "x86_64" */
    unsigned long memory;           /* KiB */
    unsigned int cpus;              /* active CPUs */
    unsigned int mhz;               /* 0 when unknown */
    unsigned int nodes;             /* NUMA cells (1 when the layout is unusual) */
    unsigned int sockets;           /* per node */
    unsigned int cores;             /* per socket */
    unsigned int threads;           /* per core */
};
typedef virNodeInfo *virNodeInfoPtr;

#define VIR_NODEINFO_MAXCPUS(nodeinfo) \
    ((nodeinfo).nodes * (nodeinfo).sockets * (nodeinfo).cores * (nodeinfo).threads)

#define VIR_NODE_CPU_STATS_FIELD_LENGTH 80
typedef enum {
    VIR_NODE_CPU_STATS_ALL_CPUS = -1,
} virNodeGetCPUStatsAllCPUs;

#define VIR_NODE_CPU_STATS_KERNEL "kernel"
#define VIR_NODE_CPU_STATS_USER "user"
#define VIR_NODE_CPU_STATS_IDLE "idle"
#define VIR_NODE_CPU_STATS_IOWAIT "iowait"
#define VIR_NODE_CPU_STATS_INTR "intr"
#define VIR_NODE_CPU_STATS_UTILIZATION "utilization"

typedef struct _virNodeCPUStats virNodeCPUStats;
struct _virNodeCPUStats {
    char field[VIR_NODE_CPU_STATS_FIELD_LENGTH];
    unsigned long long value;
};
typedef virNodeCPUStats *virNodeCPUStatsPtr;

#define VIR_NODE_MEMORY_STATS_FIELD_LENGTH 80
typedef enum {
    VIR_NODE_MEMORY_STATS_ALL_CELLS = -1,
} virNodeGetMemoryStatsAllCells;

#define VIR_NODE_MEMORY_STATS_TOTAL "total"
#define VIR_NODE_MEMORY_STATS_FREE "free"
#define VIR_NODE_MEMORY_STATS_BUFFERS "buffers"
#define VIR_NODE_MEMORY_STATS_CACHED "cached"

typedef struct _virNodeMemoryStats virNodeMemoryStats;
struct _virNodeMemoryStats {
    char field[VIR_NODE_MEMORY_STATS_FIELD_LENGTH];
    unsigned long long value;
};
typedef virNodeMemoryStats *virNodeMemoryStatsPtr;

typedef void (*virConnectCloseFunc)(virConnectPtr conn, int reason, void *opaque);

int virInitialize(void);
int virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer);

virConnectPtr virConnectOpen(const char *name);
virConnectPtr virConnectOpenReadOnly(const char *name);
virConnectPtr virConnectOpenAuth(const char *name, virConnectAuthPtr auth,
                                 unsigned int flags);
int virConnectClose(virConnectPtr conn);
int virConnectRef(virConnectPtr conn);

const char *virConnectGetType(virConnectPtr conn);
int virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer);
int virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer);
char *virConnectGetHostname(virConnectPtr conn);
char *virConnectGetURI(virConnectPtr conn);
int virConnectIsAlive(virConnectPtr conn);
int virConnectIsSecure(virConnectPtr conn);
int virConnectIsEncrypted(virConnectPtr conn);
int virConnectSetKeepAlive(virConnectPtr conn, int interval, unsigned int count);
int virConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb,
                                    void *opaque, virFreeCallback freecb);
int virConnectUnregisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb);

char *virConnectGetCapabilities(virConnectPtr conn);
char *virConnectGetSysinfo(virConnectPtr conn, unsigned int flags);
int virConnectGetMaxVcpus(virConnectPtr conn, const char *type);
int virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info);
int virNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems,
                              int startCell, int maxCells);
unsigned long long virNodeGetFreeMemory(virConnectPtr conn);
int virNodeGetCPUStats(virConnectPtr conn, int cpuNum, virNodeCPUStatsPtr params,
                       int *nparams, unsigned int flags);
int virNodeGetMemoryStats(virConnectPtr conn, int cellNum, virNodeMemoryStatsPtr params,
                          int *nparams, unsigned int flags);
int virNodeGetCPUMap(virConnectPtr conn, unsigned char **cpumap, unsigned int *online,
                     unsigned int flags);
int virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel);

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_HOST_H */
