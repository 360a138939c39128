/*
 * client_domain: the public domain API (libvirt-domain.h) and the domain
 * handle objects.
 *
 * Each entry point resets the thread's error, checks the handle and its
 * arguments the way libvirt does (invalid handle, read-only denial for
 * calls that change something, NULL/negative/zero arguments, each with
 * libvirt's wording), then calls the domain table of the connection's
 * driver; a missing table or function is VIR_ERR_NO_SUPPORT naming the API.
 * On failure the error is dispatched (copied to the connection and passed
 * to the error function).
 *
 * Handles are reference counted with atomic operations and hold a
 * reference on their connection; the only field that changes after
 * creation is the id, which the driver refreshes when it starts the domain.
 *
 * The old-style lifecycle registration (virConnectDomainEventRegister) is
 * built here on virConnectDomainEventRegisterAny: a per-process list maps
 * (connection, callback) to the callback id; an entry leaves the list when
 * the driver releases the registration (deregistration or connection
 * close), through the freecb this file passes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_error.h"
#include "mv_uuid.h"
#include "client_internal.h"
#include "client_domain.h"

#define MV_FROM_THIS VIR_FROM_DOMAIN

virDomainPtr
mvGetDomain(virConnectPtr conn, const char *name, const unsigned char *uuid, int id)
{
    virDomainPtr dom = g_new0(virDomain, 1);

    dom->refs = 1;
    dom->conn = mvConnectRefInternal(conn);
    dom->name = g_strdup(name ? name : "");
    memcpy(dom->uuid, uuid, VIR_UUID_BUFLEN);
    dom->id = id;
    return dom;
}

void
mvDomainUnref(virDomainPtr domain)
{
    if (!domain || g_atomic_int_add(&domain->refs, -1) != 1)
        return;
    mvConnectUnref(domain->conn);
    g_free(domain->name);
    g_free(domain);
}

#define DOM_FAIL(conn, retval) \
    do { \
        mvDispatchError(conn); \
        return retval; \
    } while (0)

#define DOM_CHECK_CONN(conn, retval) \
    do { \
        virResetLastError(); \
        if (!(conn)) { \
            mvReportInvalidConn(MV_FROM_THIS, __func__); \
            DOM_FAIL(NULL, retval); \
        } \
    } while (0)

/* Resets the error, checks @dom and sets the local 'conn'. */
#define DOM_CHECK_DOMAIN(dom, retval) \
    do { \
        virResetLastError(); \
        if (!(dom) || !(dom)->conn) { \
            mvReportErrorFull(VIR_FROM_DOM, VIR_ERR_INVALID_DOMAIN, __FILE__, __func__, \
                              __LINE__, "%s", __func__); \
            DOM_FAIL(NULL, retval); \
        } \
        conn = (dom)->conn; \
    } while (0)

#define DOM_CHECK_NONNULL(conn, arg, retval) \
    do { \
        if (!(arg)) { \
            mvReportNonNullArg(MV_FROM_THIS, __func__, #arg); \
            DOM_FAIL(conn, retval); \
        } \
    } while (0)

#define DOM_CHECK_NONNEGATIVE(conn, arg, retval) \
    do { \
        if ((arg) < 0) { \
            mvReportNonNegativeArg(MV_FROM_THIS, __func__, #arg); \
            DOM_FAIL(conn, retval); \
        } \
    } while (0)

#define DOM_CHECK_POSITIVE(conn, arg, retval) \
    do { \
        if ((arg) <= 0) { \
            mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, \
                                   __LINE__, "%s in %s must be greater than zero", \
                                   #arg, __func__); \
            DOM_FAIL(conn, retval); \
        } \
    } while (0)

#define DOM_CHECK_ZERO(conn, arg, retval) \
    do { \
        if ((arg) != 0) { \
            mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, \
                                   __LINE__, "%s in %s must be zero", #arg, __func__); \
            DOM_FAIL(conn, retval); \
        } \
    } while (0)

#define DOM_CHECK_READONLY(conn, retval) \
    do { \
        if ((conn)->flags & VIR_CONNECT_RO) { \
            mvReportReadOnly(MV_FROM_THIS, __func__); \
            DOM_FAIL(conn, retval); \
        } \
    } while (0)

#define DOM_CHECK_EXCLUSIVE(conn, flags, a, b, retval) \
    do { \
        if (((flags) & (a)) && ((flags) & (b))) { \
            mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, \
                                   __LINE__, "Flags '%s' and '%s' are mutually exclusive", \
                                   #a, #b); \
            DOM_FAIL(conn, retval); \
        } \
    } while (0)

/* Evaluates to the driver function @fn or reports NO_SUPPORT and returns. */
#define DOM_DRIVER_FN(conn, fn, retval) \
    ({ \
        const mvDomainDriver *_dd = (conn)->driver ? (conn)->driver->domainDriver : NULL; \
        if (!_dd || !_dd->fn) { \
            mvReportUnsupported(MV_FROM_THIS, __func__); \
            DOM_FAIL(conn, retval); \
        } \
        _dd->fn; \
    })

/* The two shapes most calls have: int result < 0 on failure, or a pointer
 * NULL on failure. */
#define DOM_RETURN_INT(conn, expr) \
    do { \
        int _r = (expr); \
        if (_r < 0) \
            DOM_FAIL(conn, -1); \
        return _r; \
    } while (0)

#define DOM_RETURN_PTR(conn, expr) \
    do { \
        __typeof__(expr) _p = (expr); \
        if (!_p) \
            DOM_FAIL(conn, NULL); \
        return _p; \
    } while (0)

/*----- The handle -----*/

const char *
virDomainGetName(virDomainPtr domain)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, NULL);
    (void)conn;
    return domain->name;
}

int
virDomainGetUUID(virDomainPtr domain, unsigned char *uuid)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_CHECK_NONNULL(conn, uuid, -1);
    memcpy(uuid, domain->uuid, VIR_UUID_BUFLEN);
    return 0;
}

int
virDomainGetUUIDString(virDomainPtr domain, char *buf)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_CHECK_NONNULL(conn, buf, -1);
    mvUUIDFormat(domain->uuid, buf);
    return 0;
}

unsigned int
virDomainGetID(virDomainPtr domain)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, (unsigned int)-1);
    (void)conn;
    return (unsigned int)domain->id;
}

virConnectPtr
virDomainGetConnect(virDomainPtr domain)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, NULL);
    return conn;
}

int
virDomainRef(virDomainPtr domain)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    (void)conn;
    g_atomic_int_inc(&domain->refs);
    return 0;
}

int
virDomainFree(virDomainPtr domain)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    (void)conn;
    mvDomainUnref(domain);
    return 0;
}

/*----- Listing and lookup -----*/

int
virConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    DOM_CHECK_CONN(conn, -1);
    DOM_CHECK_NONNULL(conn, ids, -1);
    DOM_CHECK_NONNEGATIVE(conn, maxids, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, connectListDomains, -1)(conn, ids, maxids));
}

int
virConnectNumOfDomains(virConnectPtr conn)
{
    DOM_CHECK_CONN(conn, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, connectNumOfDomains, -1)(conn));
}

int
virConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    DOM_CHECK_CONN(conn, -1);
    DOM_CHECK_NONNULL(conn, names, -1);
    DOM_CHECK_NONNEGATIVE(conn, maxnames, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, connectListDefinedDomains, -1)(conn, names,
                                                                          maxnames));
}

int
virConnectNumOfDefinedDomains(virConnectPtr conn)
{
    DOM_CHECK_CONN(conn, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, connectNumOfDefinedDomains, -1)(conn));
}

int
virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    if (domains)
        *domains = NULL;
    DOM_CHECK_CONN(conn, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, connectListAllDomains, -1)(conn, domains,
                                                                      flags));
}

virDomainPtr
virDomainLookupByID(virConnectPtr conn, int id)
{
    DOM_CHECK_CONN(conn, NULL);
    DOM_CHECK_NONNEGATIVE(conn, id, NULL);
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, domainLookupByID, NULL)(conn, id));
}

virDomainPtr
virDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    DOM_CHECK_CONN(conn, NULL);
    DOM_CHECK_NONNULL(conn, uuid, NULL);
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, domainLookupByUUID, NULL)(conn, uuid));
}

virDomainPtr
virDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    DOM_CHECK_CONN(conn, NULL);
    DOM_CHECK_NONNULL(conn, uuidstr, NULL);
    if (mvUUIDParse(uuidstr, uuid) < 0) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                               "uuidstr in %s must be a valid UUID", __func__);
        DOM_FAIL(conn, NULL);
    }
    return virDomainLookupByUUID(conn, uuid);
}

virDomainPtr
virDomainLookupByName(virConnectPtr conn, const char *name)
{
    DOM_CHECK_CONN(conn, NULL);
    DOM_CHECK_NONNULL(conn, name, NULL);
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, domainLookupByName, NULL)(conn, name));
}

/*----- Definition and lifecycle -----*/

virDomainPtr
virDomainDefineXML(virConnectPtr conn, const char *xml)
{
    DOM_CHECK_CONN(conn, NULL);
    DOM_CHECK_READONLY(conn, NULL);
    DOM_CHECK_NONNULL(conn, xml, NULL);
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, domainDefineXML, NULL)(conn, xml));
}

virDomainPtr
virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    DOM_CHECK_CONN(conn, NULL);
    DOM_CHECK_READONLY(conn, NULL);
    DOM_CHECK_NONNULL(conn, xml, NULL);
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, domainDefineXMLFlags, NULL)(conn, xml, flags));
}

virDomainPtr
virDomainCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    DOM_CHECK_CONN(conn, NULL);
    DOM_CHECK_NONNULL(conn, xmlDesc, NULL);
    DOM_CHECK_READONLY(conn, NULL);
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, domainCreateXML, NULL)(conn, xmlDesc, flags));
}

/* The many "int fn(virDomainPtr[, unsigned int flags])" calls that change
 * something: handle check, read-only denial, driver call. */
#define DOM_SIMPLE_RW(fn, ...) \
    do { \
        virConnectPtr conn; \
        DOM_CHECK_DOMAIN(domain, -1); \
        DOM_CHECK_READONLY(conn, -1); \
        if (DOM_DRIVER_FN(conn, fn, -1)(domain, ##__VA_ARGS__) < 0) \
            DOM_FAIL(conn, -1); \
        return 0; \
    } while (0)

int
virDomainUndefine(virDomainPtr domain)
{
    DOM_SIMPLE_RW(domainUndefine);
}

int
virDomainUndefineFlags(virDomainPtr domain, unsigned int flags)
{
    DOM_SIMPLE_RW(domainUndefineFlags, flags);
}

int
virDomainCreate(virDomainPtr domain)
{
    DOM_SIMPLE_RW(domainCreate);
}

int
virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags)
{
    DOM_SIMPLE_RW(domainCreateWithFlags, flags);
}

int
virDomainDestroy(virDomainPtr domain)
{
    DOM_SIMPLE_RW(domainDestroy);
}

int
virDomainDestroyFlags(virDomainPtr domain, unsigned int flags)
{
    DOM_SIMPLE_RW(domainDestroyFlags, flags);
}

int
virDomainShutdown(virDomainPtr domain)
{
    DOM_SIMPLE_RW(domainShutdown);
}

int
virDomainShutdownFlags(virDomainPtr domain, unsigned int flags)
{
    DOM_SIMPLE_RW(domainShutdownFlags, flags);
}

int
virDomainReboot(virDomainPtr domain, unsigned int flags)
{
    DOM_SIMPLE_RW(domainReboot, flags);
}

int
virDomainReset(virDomainPtr domain, unsigned int flags)
{
    DOM_SIMPLE_RW(domainReset, flags);
}

int
virDomainSuspend(virDomainPtr domain)
{
    DOM_SIMPLE_RW(domainSuspend);
}

int
virDomainResume(virDomainPtr domain)
{
    DOM_SIMPLE_RW(domainResume);
}

int
virDomainSetAutostart(virDomainPtr domain, int autostart)
{
    DOM_SIMPLE_RW(domainSetAutostart, autostart);
}

/*----- State and properties -----*/

int
virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_CHECK_NONNULL(conn, info, -1);
    memset(info, 0, sizeof(*info));
    if (DOM_DRIVER_FN(conn, domainGetInfo, -1)(domain, info) < 0)
        DOM_FAIL(conn, -1);
    return 0;
}

int
virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_CHECK_NONNULL(conn, state, -1);
    if (DOM_DRIVER_FN(conn, domainGetState, -1)(domain, state, reason, flags) < 0)
        DOM_FAIL(conn, -1);
    return 0;
}

char *
virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, NULL);
    if ((conn->flags & VIR_CONNECT_RO) &&
        (flags & (VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_MIGRATABLE))) {
        mvReportError(VIR_ERR_OPERATION_DENIED, "%s",
                      "virDomainGetXMLDesc with secure flag");
        DOM_FAIL(conn, NULL);
    }
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, domainGetXMLDesc, NULL)(domain, flags));
}

int
virDomainGetAutostart(virDomainPtr domain, int *autostart)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_CHECK_NONNULL(conn, autostart, -1);
    if (DOM_DRIVER_FN(conn, domainGetAutostart, -1)(domain, autostart) < 0)
        DOM_FAIL(conn, -1);
    return 0;
}

char *
virDomainGetOSType(virDomainPtr domain)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, NULL);
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, domainGetOSType, NULL)(domain));
}

unsigned long
virDomainGetMaxMemory(virDomainPtr domain)
{
    virConnectPtr conn;
    unsigned long ret;

    DOM_CHECK_DOMAIN(domain, 0);
    ret = DOM_DRIVER_FN(conn, domainGetMaxMemory, 0)(domain);
    if (ret == 0)
        DOM_FAIL(conn, 0);
    return ret;
}

int
virDomainGetMaxVcpus(virDomainPtr domain)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainGetMaxVcpus, -1)(domain));
}

static bool
domainMultiplyOverflows(int a, int b)
{
    return a > 0 && b > 0 && a > G_MAXINT / b;
}

int
virDomainGetVcpus(virDomainPtr domain, virVcpuInfoPtr info, int maxinfo,
                  unsigned char *cpumaps, int maplen)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_CHECK_NONNULL(conn, info, -1);
    DOM_CHECK_POSITIVE(conn, maxinfo, -1);
    /* A driver must never copy maps into a NULL buffer. */
    if (cpumaps)
        DOM_CHECK_POSITIVE(conn, maplen, -1);
    else
        DOM_CHECK_ZERO(conn, maplen, -1);
    if (cpumaps && domainMultiplyOverflows(maxinfo, maplen)) {
        mvReportError(VIR_ERR_OVERFLOW, "input too large: %d * %d", maxinfo, maplen);
        DOM_FAIL(conn, -1);
    }
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainGetVcpus, -1)(domain, info, maxinfo,
                                                                cpumaps, maplen));
}

int
virDomainGetVcpusFlags(virDomainPtr domain, unsigned int flags)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    /* Asking the guest agent needs a read-write connection. */
    if (flags & VIR_DOMAIN_VCPU_GUEST)
        DOM_CHECK_READONLY(conn, -1);
    DOM_CHECK_EXCLUSIVE(conn, flags, VIR_DOMAIN_AFFECT_LIVE, VIR_DOMAIN_AFFECT_CONFIG, -1);
    DOM_CHECK_EXCLUSIVE(conn, flags, VIR_DOMAIN_VCPU_GUEST, VIR_DOMAIN_VCPU_CONFIG, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainGetVcpusFlags, -1)(domain, flags));
}

int
virDomainGetVcpuPinInfo(virDomainPtr domain, int ncpumaps, unsigned char *cpumaps,
                        int maplen, unsigned int flags)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_CHECK_NONNULL(conn, cpumaps, -1);
    DOM_CHECK_POSITIVE(conn, ncpumaps, -1);
    DOM_CHECK_POSITIVE(conn, maplen, -1);
    if (domainMultiplyOverflows(ncpumaps, maplen)) {
        mvReportError(VIR_ERR_OVERFLOW, "input too large: %d * %d", ncpumaps, maplen);
        DOM_FAIL(conn, -1);
    }
    DOM_CHECK_EXCLUSIVE(conn, flags, VIR_DOMAIN_AFFECT_LIVE, VIR_DOMAIN_AFFECT_CONFIG, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainGetVcpuPinInfo, -1)(domain, ncpumaps,
                                                                      cpumaps, maplen,
                                                                      flags));
}

int
virDomainGetEmulatorPinInfo(virDomainPtr domain, unsigned char *cpumaps, int maplen,
                            unsigned int flags)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_CHECK_NONNULL(conn, cpumaps, -1);
    DOM_CHECK_POSITIVE(conn, maplen, -1);
    DOM_CHECK_EXCLUSIVE(conn, flags, VIR_DOMAIN_AFFECT_LIVE, VIR_DOMAIN_AFFECT_CONFIG, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainGetEmulatorPinInfo, -1)(domain, cpumaps,
                                                                          maplen, flags));
}

int
virDomainIsActive(virDomainPtr dom)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(dom, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainIsActive, -1)(dom));
}

int
virDomainIsPersistent(virDomainPtr dom)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(dom, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainIsPersistent, -1)(dom));
}

int
virDomainIsUpdated(virDomainPtr dom)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(dom, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainIsUpdated, -1)(dom));
}

int
virDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(dom, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainHasManagedSaveImage, -1)(dom, flags));
}

int
virDomainGetSecurityLabel(virDomainPtr domain, virSecurityLabelPtr seclabel)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_CHECK_NONNULL(conn, seclabel, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainGetSecurityLabel, -1)(domain, seclabel));
}

int
virDomainGetSecurityLabelList(virDomainPtr domain, virSecurityLabelPtr *seclabels)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_CHECK_NONNULL(conn, seclabels, -1);
    *seclabels = NULL;
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainGetSecurityLabelList, -1)(domain,
                                                                            seclabels));
}

int
virDomainGetMessages(virDomainPtr domain, char ***msgs, unsigned int flags)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_CHECK_NONNULL(conn, msgs, -1);
    *msgs = NULL;
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainGetMessages, -1)(domain, msgs, flags));
}

int
virDomainInterfaceAddresses(virDomainPtr dom, virDomainInterfacePtr **ifaces,
                            unsigned int source, unsigned int flags)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(dom, -1);
    if (ifaces)
        *ifaces = NULL;
    DOM_CHECK_NONNULL(conn, ifaces, -1);
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, domainInterfaceAddresses, -1)(dom, ifaces,
                                                                          source, flags));
}

void
virDomainInterfaceFree(virDomainInterfacePtr iface)
{
    if (!iface)
        return;
    for (unsigned int i = 0; i < iface->naddrs; i++)
        g_free(iface->addrs[i].addr);
    g_free(iface->addrs);
    g_free(iface->name);
    g_free(iface->hwaddr);
    g_free(iface);
}

char *
virDomainGetHostname(virDomainPtr domain, unsigned int flags)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, NULL);
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, domainGetHostname, NULL)(domain, flags));
}

int
virDomainGetControlInfo(virDomainPtr domain, virDomainControlInfoPtr info,
                        unsigned int flags)
{
    virConnectPtr conn;

    DOM_CHECK_DOMAIN(domain, -1);
    DOM_CHECK_NONNULL(conn, info, -1);
    memset(info, 0, sizeof(*info));
    if (DOM_DRIVER_FN(conn, domainGetControlInfo, -1)(domain, info, flags) < 0)
        DOM_FAIL(conn, -1);
    return 0;
}

char *
virDomainGetSchedulerType(virDomainPtr domain, int *nparams)
{
    virConnectPtr conn;
    int ignored = 0;

    DOM_CHECK_DOMAIN(domain, NULL);
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, domainGetSchedulerType, NULL)(
                             domain, nparams ? nparams : &ignored));
}

/*----- Hypervisor-level calls about domains -----*/

char *
virConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin,
                                const char *arch, const char *machine,
                                const char *virttype, unsigned int flags)
{
    DOM_CHECK_CONN(conn, NULL);
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, connectGetDomainCapabilities, NULL)(
                             conn, emulatorbin, arch, machine, virttype, flags));
}

char *
virConnectDomainXMLToNative(virConnectPtr conn, const char *nativeFormat,
                            const char *domainXml, unsigned int flags)
{
    DOM_CHECK_CONN(conn, NULL);
    DOM_CHECK_READONLY(conn, NULL);
    DOM_CHECK_NONNULL(conn, nativeFormat, NULL);
    DOM_CHECK_NONNULL(conn, domainXml, NULL);
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, connectDomainXMLToNative, NULL)(
                             conn, nativeFormat, domainXml, flags));
}

char *
virConnectDomainXMLFromNative(virConnectPtr conn, const char *nativeFormat,
                              const char *nativeConfig, unsigned int flags)
{
    DOM_CHECK_CONN(conn, NULL);
    DOM_CHECK_READONLY(conn, NULL);
    DOM_CHECK_NONNULL(conn, nativeFormat, NULL);
    DOM_CHECK_NONNULL(conn, nativeConfig, NULL);
    DOM_RETURN_PTR(conn, DOM_DRIVER_FN(conn, connectDomainXMLFromNative, NULL)(
                             conn, nativeFormat, nativeConfig, flags));
}

/*----- Event registration -----*/

int
virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                 virConnectDomainEventGenericCallback cb,
                                 void *opaque, virFreeCallback freecb)
{
    DOM_CHECK_CONN(conn, -1);
    if (dom) {
        if (!dom->conn) {
            mvReportErrorFull(VIR_FROM_DOM, VIR_ERR_INVALID_DOMAIN, __FILE__, __func__,
                              __LINE__, "%s", __func__);
            DOM_FAIL(conn, -1);
        }
        if (dom->conn != conn) {
            mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__,
                                   __LINE__, "domain '%s' in %s must match connection",
                                   dom->name, __func__);
            DOM_FAIL(conn, -1);
        }
    }
    DOM_CHECK_NONNULL(conn, cb, -1);
    DOM_CHECK_NONNEGATIVE(conn, eventID, -1);
    if (eventID > VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                               "eventID in %s must be less than %d", __func__,
                               VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1);
        DOM_FAIL(conn, -1);
    }
    DOM_RETURN_INT(conn, DOM_DRIVER_FN(conn, connectDomainEventRegisterAny, -1)(
                             conn, dom, eventID, cb, opaque, freecb));
}

int
virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    DOM_CHECK_CONN(conn, -1);
    DOM_CHECK_NONNEGATIVE(conn, callbackID, -1);
    if (DOM_DRIVER_FN(conn, connectDomainEventDeregisterAny, -1)(conn, callbackID) < 0)
        DOM_FAIL(conn, -1);
    return 0;
}

/* One old-style registration, the opaque of its RegisterAny registration. */
typedef struct {
    virConnectPtr conn;            /* no reference: only compared */
    virConnectDomainEventCallback cb;
    void *opaque;
    virFreeCallback freecb;
    int callbackID;                /* -1 until RegisterAny returned */
} domainLegacyReg;

static GMutex domainLegacyLock;
static GPtrArray *domainLegacyRegs;   /* domainLegacyReg *, not owned */

static void
domainLegacyTrampoline(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                       void *opaque)
{
    domainLegacyReg *reg = opaque;

    reg->cb(conn, dom, event, detail, reg->opaque);
}

/* The driver releases the registration: forget it, then run the
 * application's freecb. */
static void
domainLegacyRelease(void *opaque)
{
    domainLegacyReg *reg = opaque;

    g_mutex_lock(&domainLegacyLock);
    if (domainLegacyRegs)
        g_ptr_array_remove(domainLegacyRegs, reg);
    g_mutex_unlock(&domainLegacyLock);
    if (reg->freecb)
        reg->freecb(reg->opaque);
    g_free(reg);
}

static domainLegacyReg *
domainLegacyFind(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    size_t i;

    for (i = 0; domainLegacyRegs && i < domainLegacyRegs->len; i++) {
        domainLegacyReg *reg = g_ptr_array_index(domainLegacyRegs, i);
        if (reg->conn == conn && reg->cb == cb)
            return reg;
    }
    return NULL;
}

int
virConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                              void *opaque, virFreeCallback freecb)
{
    domainLegacyReg *reg;
    int id;

    DOM_CHECK_CONN(conn, -1);
    DOM_CHECK_NONNULL(conn, cb, -1);
    (void)DOM_DRIVER_FN(conn, connectDomainEventRegisterAny, -1);

    g_mutex_lock(&domainLegacyLock);
    if (domainLegacyFind(conn, cb)) {
        g_mutex_unlock(&domainLegacyLock);
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                               "this callback is already registered with %s: "
                               "deregister it first", __func__);
        DOM_FAIL(conn, -1);
    }
    if (!domainLegacyRegs)
        domainLegacyRegs = g_ptr_array_new();
    reg = g_new0(domainLegacyReg, 1);
    reg->conn = conn;
    reg->cb = cb;
    reg->opaque = opaque;
    reg->freecb = freecb;
    reg->callbackID = -1;
    g_ptr_array_add(domainLegacyRegs, reg);
    g_mutex_unlock(&domainLegacyLock);

    id = conn->driver->domainDriver->connectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        VIR_DOMAIN_EVENT_CALLBACK(domainLegacyTrampoline), reg, domainLegacyRelease);
    if (id < 0) {
        /* Never registered: the driver did not take the freecb. */
        g_mutex_lock(&domainLegacyLock);
        g_ptr_array_remove(domainLegacyRegs, reg);
        g_mutex_unlock(&domainLegacyLock);
        g_free(reg);
        DOM_FAIL(conn, -1);
    }
    g_mutex_lock(&domainLegacyLock);
    reg->callbackID = id;
    g_mutex_unlock(&domainLegacyLock);
    return 0;
}

int
virConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    domainLegacyReg *reg;
    int id;

    DOM_CHECK_CONN(conn, -1);
    DOM_CHECK_NONNULL(conn, cb, -1);
    (void)DOM_DRIVER_FN(conn, connectDomainEventDeregisterAny, -1);

    g_mutex_lock(&domainLegacyLock);
    reg = domainLegacyFind(conn, cb);
    id = reg ? reg->callbackID : -1;
    g_mutex_unlock(&domainLegacyLock);
    if (id < 0) {
        mvReportErrorPlainFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                               "could not find event callback for removal in %s: "
                               "it was not registered on this connection", __func__);
        DOM_FAIL(conn, -1);
    }
    /* The release hook forgets the entry and runs the freecb. */
    if (conn->driver->domainDriver->connectDomainEventDeregisterAny(conn, id) < 0)
        DOM_FAIL(conn, -1);
    return 0;
}
