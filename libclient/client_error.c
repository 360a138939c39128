/*
 * client_error: the public error API of virterror.h on top of common's
 * thread-local error (mv_error.h), plus the per-connection copy of the last
 * error and the error functions an application may install.
 *
 * Every public entry point resets the calling thread's error first and, on
 * failure, calls mvDispatchError(), which copies the error into the
 * connection (virConnGetLastError) and hands it to the error function: the
 * connection's own (virConnSetErrorFunc), else the global one
 * (virSetErrorFunc), else virDefaultErrorFunc, which prints it to stderr as
 * libvirt does.  The global handler is guarded by a mutex; a connection's
 * lastError and handler by the connection's lock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdio.h>
#include <string.h>

#include "mv_error.h"
#include "client_internal.h"

#define MV_FROM_THIS VIR_FROM_NONE

static GMutex clientErrorLock;
static virErrorFunc clientErrorHandler;
static void *clientErrorUserData;

/* Per-connection error functions live outside struct _virConnect (whose
 * layout is a shared contract): a small table keyed by the connection. */
typedef struct {
    virErrorFunc handler;
    void *userData;
} clientConnErrorFunc;
static GHashTable *clientConnHandlers;  /* virConnectPtr -> clientConnErrorFunc */

/* Names libvirt prints for each error domain (virErrorDomain). */
static const char *const clientErrorDomainNames[] = {
    [VIR_FROM_NONE] = "",
    [VIR_FROM_XEN] = "Xen Driver",
    [VIR_FROM_XEND] = "Xen Daemon",
    [VIR_FROM_XENSTORE] = "Xen Store",
    [VIR_FROM_SEXPR] = "S-Expression",
    [VIR_FROM_XML] = "XML Util",
    [VIR_FROM_DOM] = "Domain",
    [VIR_FROM_RPC] = "XML-RPC",
    [VIR_FROM_PROXY] = "Proxy Daemon",
    [VIR_FROM_CONF] = "Config File",
    [VIR_FROM_QEMU] = "QEMU Driver",
    [VIR_FROM_NET] = "Network",
    [VIR_FROM_TEST] = "Test Driver",
    [VIR_FROM_REMOTE] = "Remote Driver",
    [VIR_FROM_OPENVZ] = "OpenVZ Driver",
    [VIR_FROM_XENXM] = "Xen XM Driver",
    [VIR_FROM_STATS_LINUX] = "Linux Stats",
    [VIR_FROM_LXC] = "LXC Driver",
    [VIR_FROM_STORAGE] = "Storage Driver",
    [VIR_FROM_NETWORK] = "Network Driver",
    [VIR_FROM_DOMAIN] = "Domain Config",
    [VIR_FROM_UML] = "UML Driver",
    [VIR_FROM_NODEDEV] = "Node Device Driver",
    [VIR_FROM_XEN_INOTIFY] = "Xen Inotify Driver",
    [VIR_FROM_SECURITY] = "Security Driver",
    [VIR_FROM_VBOX] = "VBOX Driver",
    [VIR_FROM_INTERFACE] = "Interface Driver",
    [VIR_FROM_ONE] = "OpenNebula Driver",
    [VIR_FROM_ESX] = "ESX Driver",
    [VIR_FROM_PHYP] = "Power Hypervisor Driver",
    [VIR_FROM_SECRET] = "Secret Storage",
    [VIR_FROM_CPU] = "CPU Driver",
    [VIR_FROM_XENAPI] = "XenAPI Driver",
    [VIR_FROM_NWFILTER] = "Network Filter Driver",
    [VIR_FROM_HOOK] = "Sync Hook",
    [VIR_FROM_DOMAIN_SNAPSHOT] = "Domain Snapshot",
    [VIR_FROM_AUDIT] = "Audit Utils",
    [VIR_FROM_SYSINFO] = "Sysinfo Utils",
    [VIR_FROM_STREAMS] = "I/O Stream Utils",
    [VIR_FROM_VMWARE] = "VMware Driver",
    [VIR_FROM_EVENT] = "Events",
    [VIR_FROM_LIBXL] = "libxenlight Driver",
    [VIR_FROM_LOCKING] = "Lock Driver",
    [VIR_FROM_HYPERV] = "Hyper-V Driver",
    [VIR_FROM_CAPABILITIES] = "Capabilities Utils",
    [VIR_FROM_URI] = "URI Utils",
    [VIR_FROM_AUTH] = "Authentication Utils",
    [VIR_FROM_DBUS] = "DBus Utils",
    [VIR_FROM_PARALLELS] = "Parallels Cloud Server",
    [VIR_FROM_DEVICE] = "Device Config",
    [VIR_FROM_SSH] = "SSH transport layer",
    [VIR_FROM_LOCKSPACE] = "Lock Space",
    [VIR_FROM_INITCTL] = "Init control",
    [VIR_FROM_IDENTITY] = "Identity",
    [VIR_FROM_CGROUP] = "Cgroup",
    [VIR_FROM_ACCESS] = "Access Manager",
    [VIR_FROM_SYSTEMD] = "Systemd",
    [VIR_FROM_BHYVE] = "Bhyve",
    [VIR_FROM_CRYPTO] = "Crypto",
    [VIR_FROM_FIREWALL] = "Firewall",
    [VIR_FROM_POLKIT] = "Polkit",
    [VIR_FROM_THREAD] = "Thread jobs",
    [VIR_FROM_ADMIN] = "Admin Interface",
    [VIR_FROM_LOGGING] = "Log Manager",
    [VIR_FROM_XENXL] = "Xen XL Config",
    [VIR_FROM_PERF] = "Perf Events",
    [VIR_FROM_LIBSSH] = "libssh transport layer",
    [VIR_FROM_RESCTRL] = "Resource control",
    [VIR_FROM_FIREWALLD] = "FirewallD",
    [VIR_FROM_DOMAIN_CHECKPOINT] = "Domain Checkpoint",
    [VIR_FROM_TPM] = "TPM",
    [VIR_FROM_BPF] = "BPF",
    [VIR_FROM_CH] = "Cloud-Hypervisor Driver",
};

static const char *
clientErrorDomainName(int domain)
{
    if (domain < 0 || (size_t)domain >= G_N_ELEMENTS(clientErrorDomainNames) ||
        !clientErrorDomainNames[domain])
        return "";
    return clientErrorDomainNames[domain];
}

/* Public API */

virErrorPtr
virGetLastError(void)
{
    return mvErrorGetLast();
}

int
virCopyLastError(virErrorPtr to)
{
    virErrorPtr err = mvErrorGetLast();

    if (!to)
        return -1;
    if (err)
        mvErrorCopy(err, to);
    else
        mvErrorClear(to);
    return to->code;
}

virErrorPtr
virSaveLastError(void)
{
    virErrorPtr to = g_new0(virError, 1);

    virCopyLastError(to);
    return to;
}

void
virResetLastError(void)
{
    mvErrorReset();
}

void
virResetError(virErrorPtr err)
{
    mvErrorClear(err);
}

void
virFreeError(virErrorPtr err)
{
    if (!err)
        return;
    mvErrorClear(err);
    g_free(err);
}

const char *
virGetLastErrorMessage(void)
{
    virErrorPtr err = mvErrorGetLast();

    if (!err)
        return "no error";
    if (!err->message)
        return "unknown error";
    return err->message;
}

int
virGetLastErrorCode(void)
{
    virErrorPtr err = mvErrorGetLast();

    return err ? err->code : VIR_ERR_OK;
}

int
virGetLastErrorDomain(void)
{
    virErrorPtr err = mvErrorGetLast();

    return err ? err->domain : VIR_FROM_NONE;
}

virErrorPtr
virConnGetLastError(virConnectPtr conn)
{
    if (!conn)
        return NULL;
    if (conn->lastError.code == VIR_ERR_OK)
        return NULL;
    return &conn->lastError;
}

void
virConnResetLastError(virConnectPtr conn)
{
    if (!conn)
        return;
    g_mutex_lock(&conn->lock);
    mvErrorClear(&conn->lastError);
    g_mutex_unlock(&conn->lock);
}

int
virConnCopyLastError(virConnectPtr conn, virErrorPtr to)
{
    if (!conn || !to)
        return -1;
    g_mutex_lock(&conn->lock);
    if (conn->lastError.code == VIR_ERR_OK)
        mvErrorClear(to);
    else
        mvErrorCopy(&conn->lastError, to);
    g_mutex_unlock(&conn->lock);
    return to->code;
}

void
virDefaultErrorFunc(virErrorPtr err)
{
    const char *dom;
    const char *lvl;

    if (!err || err->code == VIR_ERR_OK)
        return;
    dom = clientErrorDomainName(err->domain);
    lvl = err->level == VIR_ERR_WARNING ? "warning" : "error";
    if (*dom)
        fprintf(stderr, "libvirt: %s %s : %s\n", dom, lvl,
                err->message ? err->message : "unknown error");
    else
        fprintf(stderr, "libvirt: %s : %s\n", lvl,
                err->message ? err->message : "unknown error");
}

void
virSetErrorFunc(void *userData, virErrorFunc handler)
{
    g_mutex_lock(&clientErrorLock);
    clientErrorHandler = handler;
    clientErrorUserData = userData;
    g_mutex_unlock(&clientErrorLock);
}

void
virConnSetErrorFunc(virConnectPtr conn, void *userData, virErrorFunc handler)
{
    clientConnErrorFunc *f;

    if (!conn)
        return;
    g_mutex_lock(&clientErrorLock);
    if (!clientConnHandlers)
        clientConnHandlers = g_hash_table_new_full(g_direct_hash, g_direct_equal,
                                                   NULL, g_free);
    if (!handler) {
        g_hash_table_remove(clientConnHandlers, conn);
    } else {
        f = g_new0(clientConnErrorFunc, 1);
        f->handler = handler;
        f->userData = userData;
        g_hash_table_insert(clientConnHandlers, conn, f);
    }
    g_mutex_unlock(&clientErrorLock);
}

/* Internal */

void
mvErrorForgetConn(virConnectPtr conn)
{
    g_mutex_lock(&clientErrorLock);
    if (clientConnHandlers)
        g_hash_table_remove(clientConnHandlers, conn);
    g_mutex_unlock(&clientErrorLock);
}

void
mvDispatchError(virConnectPtr conn)
{
    virErrorPtr err = mvErrorGetLast();
    virErrorFunc handler = NULL;
    void *userData = NULL;
    clientConnErrorFunc *f = NULL;

    if (!err) {
        /* A failure without a reported error is a bug; give callers something. */
        mvErrorSetRaw(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE, VIR_ERR_ERROR,
                      "An error occurred, but the cause is unknown",
                      "%s", NULL, NULL, -1, -1);
        err = mvErrorGetLast();
    }

    if (conn) {
        g_mutex_lock(&conn->lock);
        mvErrorCopy(err, &conn->lastError);
        g_mutex_unlock(&conn->lock);
    }

    g_mutex_lock(&clientErrorLock);
    if (conn && clientConnHandlers)
        f = g_hash_table_lookup(clientConnHandlers, conn);
    if (f) {
        handler = f->handler;
        userData = f->userData;
    } else {
        handler = clientErrorHandler;
        userData = clientErrorUserData;
    }
    g_mutex_unlock(&clientErrorLock);

    if (handler)
        handler(userData, err);
    else
        virDefaultErrorFunc(err);
}

void
mvReportInvalidConn(int domain, const char *func)
{
    mvReportErrorFull(domain, VIR_ERR_INVALID_CONN, __FILE__, func, __LINE__, "%s", func);
}

void
mvReportNonNullArg(int domain, const char *func, const char *arg)
{
    mvReportErrorPlainFull(domain, VIR_ERR_INVALID_ARG, __FILE__, func, __LINE__,
                           "%s in %s must not be NULL", arg, func);
}

void
mvReportNonNegativeArg(int domain, const char *func, const char *arg)
{
    mvReportErrorPlainFull(domain, VIR_ERR_INVALID_ARG, __FILE__, func, __LINE__,
                           "%s in %s must be zero or greater", arg, func);
}

void
mvReportUnsupported(int domain, const char *func)
{
    mvReportErrorFull(domain, VIR_ERR_NO_SUPPORT, __FILE__, func, __LINE__, "%s", func);
}

void
mvReportReadOnly(int domain, const char *func)
{
    mvReportErrorFull(domain, VIR_ERR_OPERATION_DENIED, __FILE__, func, __LINE__,
                      "read only access prevents %s", func);
}
