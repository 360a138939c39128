/*
 * Unit tests of libclient's public API layer: the error API, driver
 * selection (local drivers, declining, the remote driver inside a daemon),
 * argument / read-only / unsupported checks with libvirt's wording, handle
 * reference counts, the event registry and the default event loop.  A fake
 * local driver ("fake:///...") stands in for a real one.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mv_error.h"
#include "client_driver.h"
#include "client_event.h"
#include "client_internal.h"

/*----- the fake driver -----*/

static int fakeCloses;
static unsigned int fakeLastInternalFlags = 0xdead;
static const unsigned char fakeUUID[VIR_UUID_BUFLEN] = {
    0x0a, 0x81, 0xf5, 0xb2, 0x84, 0x03, 0x7b, 0x23, 0xc8, 0xd6, 0x21, 0xcc, 0xc2, 0xf8, 0x0d, 0x6f,
};

#define MV_FROM_THIS VIR_FROM_TEST

static int
fakeOpen(virConnectPtr conn, unsigned int flags)
{
    if (g_strcmp0(conn->uri->path, "/decline") == 0)
        return MV_DRV_OPEN_DECLINED;
    if (g_strcmp0(conn->uri->path, "/fail") == 0) {
        mvReportError(VIR_ERR_OPERATION_FAILED, "fake refuses '%s'", conn->uri->path);
        return MV_DRV_OPEN_ERROR;
    }
    return MV_DRV_OPEN_SUCCESS;
}

static int
fakeClose(virConnectPtr conn)
{
    fakeCloses++;
    return 0;
}

static int
fakeIsAlive(virConnectPtr conn)
{
    return 1;
}

static virSecretPtr
fakeDefine(virConnectPtr conn, const char *xml, unsigned int flags)
{
    return mvGetSecret(conn, fakeUUID, VIR_SECRET_USAGE_TYPE_VOLUME, "/vol");
}

static virSecretPtr
fakeLookup(virConnectPtr conn, const unsigned char *uuid)
{
    if (memcmp(uuid, fakeUUID, VIR_UUID_BUFLEN) != 0) {
        mvReportErrorFull(VIR_FROM_SECRET, VIR_ERR_NO_SECRET, __FILE__, __func__, __LINE__,
                          "no secret with matching uuid");
        return NULL;
    }
    return mvGetSecret(conn, fakeUUID, VIR_SECRET_USAGE_TYPE_VOLUME, "/vol");
}

static unsigned char *
fakeGetValue(virSecretPtr secret, size_t *size, unsigned int flags,
             unsigned int internalFlags)
{
    fakeLastInternalFlags = internalFlags;
    *size = 3;
    return (unsigned char *)g_strdup("abc");
}

static const mvHypervisorDriver fakeHV = {
    .name = "fake",
    .connectOpen = fakeOpen,
    .connectClose = fakeClose,
    .connectIsAlive = fakeIsAlive,
};

static const mvSecretDriver fakeSecret = {
    .secretDefineXML = fakeDefine,
    .secretLookupByUUID = fakeLookup,
    .secretGetValue = fakeGetValue,
};

static const char *const fakeSchemes[] = { "fake", NULL };

static const mvConnectDriver fakeDriver = {
    .name = "fake",
    .uriSchemes = fakeSchemes,
    .hypervisorDriver = &fakeHV,
    .secretDriver = &fakeSecret,
};

static int errorFuncCalls;

static void
countingErrorFunc(void *userData, virErrorPtr err)
{
    errorFuncCalls++;
}

#define ASSERT_ERROR(code_, msg_) \
    do { \
        g_assert_nonnull(virGetLastError()); \
        g_assert_cmpint(virGetLastErrorCode(), ==, (code_)); \
        g_assert_cmpstr(virGetLastErrorMessage(), ==, (msg_)); \
    } while (0)

/*----- error API -----*/

static void
testErrorAPI(void)
{
    virError copy;
    virErrorPtr saved;
    int before = errorFuncCalls;

    virResetLastError();
    g_assert_null(virGetLastError());
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "no error");
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OK);
    saved = virSaveLastError();
    g_assert_nonnull(saved);
    g_assert_cmpint(saved->code, ==, VIR_ERR_OK);
    virFreeError(saved);

    g_assert_null(virConnectGetType(NULL));
    ASSERT_ERROR(VIR_ERR_INVALID_CONN, "invalid connection pointer in virConnectGetType");
    g_assert_cmpint(errorFuncCalls, ==, before + 1);

    memset(&copy, 0, sizeof(copy));
    g_assert_cmpint(virCopyLastError(&copy), ==, VIR_ERR_INVALID_CONN);
    g_assert_cmpstr(copy.message, ==, "invalid connection pointer in virConnectGetType");
    virResetError(&copy);
    g_assert_null(copy.message);

    saved = virSaveLastError();
    virResetLastError();
    g_assert_null(virGetLastError());
    g_assert_cmpint(saved->code, ==, VIR_ERR_INVALID_CONN);
    virFreeError(saved);

    /* Every entry point resets the previous error on success. */
    g_assert_null(virConnectGetType(NULL));
    g_assert_cmpint(virGetVersion(&(unsigned long){0}, NULL, NULL), ==, 0);
    g_assert_null(virGetLastError());
}

static void
testErrorDefaultFunc(void)
{
    if (g_test_subprocess()) {
        mvErrorSetRaw(VIR_ERR_NO_SECRET, VIR_FROM_SECRET, VIR_ERR_ERROR,
                      "Secret not found: nope", NULL, NULL, NULL, -1, -1);
        virDefaultErrorFunc(virGetLastError());
        virSetErrorFunc(NULL, NULL);
        g_assert_null(virConnectOpen("fake+bad:///x?"));   /* default handler prints */
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("libvirt: Secret Storage error : Secret not found: nope\n"
                              "libvirt: *error : *transport in URL not recognised*");
}

static void
testVersion(void)
{
    unsigned long lib = 0, typ = 0;

    g_assert_cmpint(virGetVersion(&lib, "QEMU", &typ), ==, 0);
    g_assert_cmpuint(lib, ==, 9000000);
    g_assert_cmpint(virGetVersion(NULL, NULL, NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG, "libVer in virGetVersion must not be NULL");
}

/*----- connections -----*/

static void
testOpenLocal(void)
{
    virConnectPtr conn = virConnectOpen("fake:///system");
    unsigned long ver = 0;
    char *uri;
    int closes = fakeCloses;

    g_assert_nonnull(conn);
    g_assert_cmpstr(virConnectGetType(conn), ==, "fake");
    uri = virConnectGetURI(conn);
    g_assert_cmpstr(uri, ==, "fake:///system");
    g_free(uri);
    g_assert_cmpint(virConnectGetLibVersion(conn, &ver), ==, 0);
    g_assert_cmpuint(ver, ==, 9000000);
    g_assert_cmpint(virConnectIsAlive(conn), ==, 1);

    g_assert_null(virConnectGetHostname(conn));
    ASSERT_ERROR(VIR_ERR_NO_SUPPORT, "this function is not supported by the connection "
                 "driver: virConnectGetHostname");
    g_assert_nonnull(virConnGetLastError(conn));
    g_assert_cmpint(virConnGetLastError(conn)->code, ==, VIR_ERR_NO_SUPPORT);
    g_assert_cmpint(virConnectGetVersion(conn, &ver), ==, -1);
    ASSERT_ERROR(VIR_ERR_NO_SUPPORT, "this function is not supported by the connection "
                 "driver: virConnectGetVersion");
    g_assert_cmpint(virConnectIsSecure(conn), ==, -1);
    g_assert_cmpint(virConnectGetVersion(conn, NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "hvVer in virConnectGetVersion must not be NULL");
    virConnResetLastError(conn);
    g_assert_null(virConnGetLastError(conn));

    g_assert_cmpint(virConnectRef(conn), ==, 0);
    g_assert_cmpint(virConnectClose(conn), ==, 1);
    g_assert_cmpint(fakeCloses, ==, closes);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
    g_assert_cmpint(fakeCloses, ==, closes + 1);

    g_assert_cmpint(virConnectClose(NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_CONN, "invalid connection pointer in virConnectClose");
    g_assert_cmpint(virConnectIsAlive(NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_CONN, "invalid connection pointer in virConnectIsAlive");
}

static void
testOpenFailures(void)
{
    g_assert_null(virConnectOpen("fake:///fail"));
    ASSERT_ERROR(VIR_ERR_OPERATION_FAILED, "operation failed: fake refuses '/fail'");

    g_assert_null(virConnectOpen("not a uri"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);

    /* Declined locally and no daemon socket: the remote driver fails to connect. */
    g_assert_null(virConnectOpen("fake+unix:///x?socket=/nonexistent/modvirt-test-sock"));
    g_assert_nonnull(virGetLastError());
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_SYSTEM_ERROR);

    g_assert_null(virConnectOpen("qemu+tcp://example.org/system"));
    ASSERT_ERROR(VIR_ERR_OPERATION_UNSUPPORTED, "Operation not supported: transport 'tcp' is "
                 "not supported yet by modvirt's client");

    /* Inside a daemon the remote driver declines primary connections. */
    mvSetInsideDaemon(true);
    g_assert_null(virConnectOpen("fake:///decline"));
    ASSERT_ERROR(VIR_ERR_NO_CONNECT, "no connection driver available for fake:///decline");
    g_assert_null(virConnectOpen("secret:///system"));
    ASSERT_ERROR(VIR_ERR_NO_CONNECT, "no connection driver available for secret:///system");
    /* ...but a secondary connection still uses it (and fails to connect here). */
    mvErrorReset();
    g_assert_null(mvConnectOpenSecondary("secret:///system?socket=/nonexistent/x", 0));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_SYSTEM_ERROR);
    mvSetInsideDaemon(false);
}

static void
testDefaultURI(void)
{
    g_autofree char *dir = g_dir_make_tmp("mvconf-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "libvirt.conf", NULL);
    g_autofree char *v = NULL;
    g_autofree char *m = NULL;
    virConnectPtr conn;
    char *uri;

    g_assert_true(g_file_set_contents(path,
                                      "# comment\nuri_default = \"fake:///fromconf\"\n"
                                      "remote_mode='legacy'\n", -1, NULL));
    v = mvClientConfigGetStringFromFile(path, "uri_default");
    m = mvClientConfigGetStringFromFile(path, "remote_mode");
    g_assert_cmpstr(v, ==, "fake:///fromconf");
    g_assert_cmpstr(m, ==, "legacy");
    g_assert_null(mvClientConfigGetStringFromFile(path, "missing"));
    /* a broken file counts as unset and leaves no error behind */
    g_assert_true(g_file_set_contents(path, "uri_default = \"unterminated\n", -1, NULL));
    g_assert_null(mvClientConfigGetStringFromFile(path, "uri_default"));
    g_assert_null(virGetLastError());
    g_unlink(path);
    g_assert_null(mvClientConfigGetStringFromFile(path, "uri_default"));
    g_assert_null(virGetLastError());
    g_rmdir(dir);

    g_setenv("LIBVIRT_DEFAULT_URI", "fake:///fromenv", TRUE);
    conn = virConnectOpen(NULL);
    g_assert_nonnull(conn);
    uri = virConnectGetURI(conn);
    g_assert_cmpstr(uri, ==, "fake:///fromenv");
    g_free(uri);
    virConnectClose(conn);
    conn = virConnectOpen("");
    g_assert_nonnull(conn);
    virConnectClose(conn);
    g_unsetenv("LIBVIRT_DEFAULT_URI");
}

static void
closeCb(virConnectPtr conn, int reason, void *opaque)
{
    *(int *)opaque = reason;
}

static void
testCloseCallback(void)
{
    virConnectPtr conn = virConnectOpen("fake:///x");
    int got = -1;

    /* The fake driver has no close-callback support. */
    g_assert_cmpint(virConnectRegisterCloseCallback(conn, closeCb, &got, NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_NO_SUPPORT, "this function is not supported by the connection "
                 "driver: virConnectRegisterCloseCallback");
    g_assert_cmpint(virConnectRegisterCloseCallback(conn, NULL, NULL, NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG, "cb in "
                 "virConnectRegisterCloseCallback must not be NULL");
    /* Direct notification still reaches a registered callback. */
    conn->closeCallback = closeCb;
    conn->closeOpaque = &got;
    mvConnectNotifyClosed(conn, VIR_CONNECT_CLOSE_REASON_EOF);
    g_assert_cmpint(got, ==, VIR_CONNECT_CLOSE_REASON_EOF);
    conn->closeCallback = NULL;
    virConnectClose(conn);
}

/*----- secrets -----*/

static void
secretCb(virConnectPtr conn, virSecretPtr secret, void *opaque)
{
}

static void
testSecretChecks(void)
{
    virConnectPtr rw = virConnectOpen("fake:///rw");
    virConnectPtr ro = virConnectOpenReadOnly("fake:///ro");
    virSecretPtr s;
    virSecretPtr sro;
    size_t size = 0;
    unsigned char *val;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    unsigned char uuid[VIR_UUID_BUFLEN];

    g_assert_nonnull(rw);
    g_assert_nonnull(ro);

    g_assert_null(virSecretDefineXML(NULL, "<secret/>", 0));
    ASSERT_ERROR(VIR_ERR_INVALID_CONN, "invalid connection pointer in virSecretDefineXML");
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_SECRET);
    g_assert_null(virSecretDefineXML(rw, NULL, 0));
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "xml in virSecretDefineXML must not be NULL");
    g_assert_null(virSecretDefineXML(ro, "<secret/>", 0));
    ASSERT_ERROR(VIR_ERR_OPERATION_DENIED,
                 "operation forbidden: read only access prevents virSecretDefineXML");
    g_assert_cmpint(virConnGetLastError(ro)->code, ==, VIR_ERR_OPERATION_DENIED);

    s = virSecretDefineXML(rw, "<secret/>", 0);
    g_assert_nonnull(s);
    g_assert_true(virSecretGetConnect(s) == rw);
    g_assert_cmpint(virSecretGetUUIDString(s, uuidstr), ==, 0);
    g_assert_cmpstr(uuidstr, ==, "0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f");
    g_assert_cmpint(virSecretGetUUID(s, uuid), ==, 0);
    g_assert_cmpmem(uuid, 16, fakeUUID, 16);
    g_assert_cmpint(virSecretGetUsageType(s), ==, VIR_SECRET_USAGE_TYPE_VOLUME);
    g_assert_cmpstr(virSecretGetUsageID(s), ==, "/vol");
    g_assert_cmpint(virSecretGetUUIDString(s, NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "buf in virSecretGetUUIDString must not be NULL");

    val = virSecretGetValue(s, &size, 0);
    g_assert_nonnull(val);
    g_assert_cmpuint(size, ==, 3);
    g_assert_cmpuint(fakeLastInternalFlags, ==, 0);
    g_free(val);
    val = mvSecretGetValueInternal(s, &size);
    g_assert_nonnull(val);
    g_assert_cmpuint(fakeLastInternalFlags, ==, MV_SECRET_GET_VALUE_INTERNAL_CALL);
    g_free(val);
    g_assert_null(virSecretGetValue(s, NULL, 0));
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "value_size in virSecretGetValue must not be NULL");

    /* Unsupported by the fake driver. */
    g_assert_null(virSecretGetXMLDesc(s, 0));
    ASSERT_ERROR(VIR_ERR_NO_SUPPORT, "this function is not supported by the connection "
                 "driver: virSecretGetXMLDesc");
    g_assert_cmpint(virSecretSetValue(s, (const unsigned char *)"x", 1, 0), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);
    g_assert_cmpint(virConnectNumOfSecrets(rw), ==, -1);
    ASSERT_ERROR(VIR_ERR_NO_SUPPORT, "this function is not supported by the connection "
                 "driver: virConnectNumOfSecrets");
    g_assert_cmpint(virSecretSetValue(s, NULL, 1, 0), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "value in virSecretSetValue must not be NULL");

    /* Lookups. */
    g_assert_null(virSecretLookupByUUIDString(rw, "not-a-uuid"));
    ASSERT_ERROR(VIR_ERR_INVALID_ARG, "uuidstr in "
                 "virSecretLookupByUUIDString must be a valid UUID");
    g_assert_null(virSecretLookupByUUIDString(rw, NULL));
    ASSERT_ERROR(VIR_ERR_INVALID_ARG, "uuidstr in "
                 "virSecretLookupByUUIDString must not be NULL");
    sro = virSecretLookupByUUIDString(ro, "0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f");
    g_assert_nonnull(sro);
    g_assert_null(virSecretLookupByUUIDString(ro, "0a81f5b2-8403-7b23-c8d6-21ccc2f80d60"));
    ASSERT_ERROR(VIR_ERR_NO_SECRET, "Secret not found: no secret with matching uuid");
    g_assert_null(virSecretLookupByUsage(rw, 1, NULL));
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "usageID in virSecretLookupByUsage must not be NULL");

    /* Read-only denials on a handle of a read-only connection. */
    g_assert_cmpint(virSecretSetValue(sro, (const unsigned char *)"x", 1, 0), ==, -1);
    ASSERT_ERROR(VIR_ERR_OPERATION_DENIED,
                 "operation forbidden: read only access prevents virSecretSetValue");
    g_assert_null(virSecretGetValue(sro, &size, 0));
    ASSERT_ERROR(VIR_ERR_OPERATION_DENIED,
                 "operation forbidden: read only access prevents virSecretGetValue");
    g_assert_cmpint(virSecretUndefine(sro), ==, -1);
    ASSERT_ERROR(VIR_ERR_OPERATION_DENIED,
                 "operation forbidden: read only access prevents virSecretUndefine");

    g_assert_cmpint(virSecretUndefine(NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_SECRET, "Invalid secret: virSecretUndefine");
    g_assert_cmpint(virConnectListSecrets(rw, NULL, 1), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "uuids in virConnectListSecrets must not be NULL");
    {
        char *uuids[1];
        g_assert_cmpint(virConnectListSecrets(rw, uuids, -1), ==, -1);
        ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                     "maxuuids in virConnectListSecrets must be zero or greater");
    }
    {
        virSecretPtr *list = (virSecretPtr *)0x1;
        g_assert_cmpint(virConnectListAllSecrets(rw, &list, 0), ==, -1);
        g_assert_null(list);
    }

    /* Events: argument checks before the driver. */
    g_assert_cmpint(virConnectSecretEventRegisterAny(rw, NULL, 5, secretCb, NULL, NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "eventID in virConnectSecretEventRegisterAny must be less than 2");
    g_assert_cmpint(virConnectSecretEventRegisterAny(rw, sro, 0, secretCb, NULL, NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(virConnectSecretEventRegisterAny(rw, NULL, 0, NULL, NULL, NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_ARG,
                 "cb in virConnectSecretEventRegisterAny must not be NULL");
    g_assert_cmpint(virConnectSecretEventDeregisterAny(rw, -1), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);

    /* Handles keep their connection alive. */
    g_assert_cmpint(virSecretRef(s), ==, 0);
    g_assert_cmpint(virSecretFree(s), ==, 0);
    g_assert_cmpint(virConnectClose(rw), ==, 1);
    g_assert_cmpint(virSecretFree(s), ==, 0);
    g_assert_cmpint(virConnectClose(ro), ==, 1);
    g_assert_cmpint(virSecretFree(sro), ==, 0);
    g_assert_cmpint(virSecretFree(NULL), ==, -1);
    ASSERT_ERROR(VIR_ERR_INVALID_SECRET, "Invalid secret: virSecretFree");
}

/*----- event registry -----*/

typedef struct {
    int calls;
    int freed;
    mvObjectEventState *state;
    int selfID;
    bool deregisterSelf;
} evCounter;

static void
evFree(void *opaque)
{
    ((evCounter *)opaque)->freed++;
}

static void
evCallback(void)
{
}

static void
evDispatch(virConnectPtr conn, int eventID, GCallback cb, void *cbopaque, void *event)
{
    evCounter *c = cbopaque;

    c->calls++;
    g_assert_true(event == (void *)0x1234);
    if (c->deregisterSelf)
        g_assert_cmpint(mvObjectEventStateDeregister(c->state, conn, c->selfID), ==, 0);
}

static void
testEventRegistry(void)
{
    g_autoptr(mvObjectEventState) state = mvObjectEventStateNew();
    virConnectPtr conn = virConnectOpen("fake:///events");
    virConnectPtr other = virConnectOpen("fake:///events2");
    unsigned char u1[16] = { 1 };
    unsigned char u2[16] = { 2 };
    evCounter all = { 0 }, f1 = { 0 }, ev1 = { 0 }, self = { 0 }, oth = { 0 };
    int idAll, idF1, idEv1, idSelf, idOth;

    idAll = mvObjectEventStateRegister(state, conn, 0, 2, NULL, G_CALLBACK(evCallback),
                                       &all, evFree);
    idF1 = mvObjectEventStateRegister(state, conn, 0, 2, u1, G_CALLBACK(evCallback),
                                      &f1, evFree);
    idEv1 = mvObjectEventStateRegister(state, conn, 1, 2, NULL, G_CALLBACK(evCallback),
                                       &ev1, evFree);
    self.state = state;
    self.deregisterSelf = true;
    idSelf = mvObjectEventStateRegister(state, conn, 0, 2, NULL, G_CALLBACK(evCallback),
                                        &self, evFree);
    self.selfID = idSelf;
    idOth = mvObjectEventStateRegister(state, other, 0, 2, NULL, G_CALLBACK(evCallback),
                                       &oth, evFree);
    g_assert_cmpint(idAll, >=, 0);
    g_assert_cmpint(idAll, !=, idF1);
    g_assert_cmpint(idF1, !=, idEv1);
    g_assert_cmpint(idEv1, !=, idSelf);
    g_assert_cmpint(idSelf, !=, idOth);
    g_assert_cmpuint(mvObjectEventStateCount(state), ==, 5);

    mvErrorReset();
    g_assert_cmpint(mvObjectEventStateRegister(state, conn, 2, 2, NULL,
                                               G_CALLBACK(evCallback), NULL, NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);

    mvObjectEventStateEmit(state, 0, u2, evDispatch, (void *)0x1234);
    g_assert_cmpint(all.calls, ==, 1);
    g_assert_cmpint(f1.calls, ==, 0);
    g_assert_cmpint(ev1.calls, ==, 0);
    g_assert_cmpint(self.calls, ==, 1);
    g_assert_cmpint(self.freed, ==, 1);       /* deregistered itself in its callback */
    g_assert_cmpint(oth.calls, ==, 1);

    mvObjectEventStateEmit(state, 0, u1, evDispatch, (void *)0x1234);
    g_assert_cmpint(all.calls, ==, 2);
    g_assert_cmpint(f1.calls, ==, 1);
    g_assert_cmpint(self.calls, ==, 1);
    mvObjectEventStateEmit(state, 1, u1, evDispatch, (void *)0x1234);
    g_assert_cmpint(ev1.calls, ==, 1);

    /* Deregistration: wrong connection, unknown id, then the real thing. */
    mvErrorReset();
    g_assert_cmpint(mvObjectEventStateDeregister(state, other, idAll), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(mvObjectEventStateDeregister(state, conn, 9999), ==, -1);
    g_assert_cmpint(mvObjectEventStateDeregister(state, conn, idAll), ==, 0);
    g_assert_cmpint(all.freed, ==, 1);
    g_assert_cmpint(mvObjectEventStateDeregister(state, conn, idAll), ==, -1);

    /* Remote ids: shared registrations and delivery by remote id. */
    mvObjectEventStateSetRemoteID(state, idF1, 7);
    mvObjectEventStateSetRemoteID(state, idEv1, 8);
    g_assert_cmpint(mvObjectEventStateFindRemoteID(state, conn, 0, u1), ==, 7);
    g_assert_cmpint(mvObjectEventStateFindRemoteID(state, conn, 0, NULL), ==, -1);
    g_assert_cmpint(mvObjectEventStateFindRemoteID(state, conn, 1, NULL), ==, 8);
    {
        int shared = 0;
        g_assert_cmpint(mvObjectEventStateGetRemoteID(state, conn, idF1, &shared), ==, 7);
        g_assert_cmpint(shared, ==, 1);
    }
    mvObjectEventStateEmitRemote(state, 8, evDispatch, (void *)0x1234);
    g_assert_cmpint(ev1.calls, ==, 2);
    g_assert_cmpint(f1.calls, ==, 1);

    /* Dropping a connection's registrations calls their freecbs. */
    mvObjectEventStateDeregisterConn(state, conn);
    g_assert_cmpint(f1.freed, ==, 1);
    g_assert_cmpint(ev1.freed, ==, 1);
    g_assert_cmpint(oth.freed, ==, 0);
    g_assert_cmpuint(mvObjectEventStateCount(state), ==, 1);

    /* Ids stay unique after deletions. */
    g_assert_cmpint(mvObjectEventStateRegister(state, conn, 0, 2, NULL,
                                               G_CALLBACK(evCallback), NULL, NULL), >, idOth);
    mvObjectEventStateDeregisterConn(state, conn);
    g_clear_pointer(&state, mvObjectEventStateFree);
    g_assert_cmpint(oth.freed, ==, 1);
    virConnectClose(conn);
    virConnectClose(other);
}

/*----- event loop -----*/

static int timerFired;
static int timerFreed;

static void
timerCb(int timer, void *opaque)
{
    timerFired++;
}

static void
timerFree(void *opaque)
{
    timerFreed++;
}

static void
testEventLoop(void)
{
    int t;
    int i;

    /* Before registration: clear errors. */
    g_assert_cmpint(virEventAddTimeout(10, timerCb, NULL, NULL), ==, -1);
    g_assert_cmpint(virEventRunDefaultImpl(), ==, -1);
    ASSERT_ERROR(VIR_ERR_INTERNAL_ERROR, "internal error: no event loop is registered: "
                 "call virEventRegisterDefaultImpl first");

    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_assert_nonnull(mvEventLoopContext());
    t = virEventAddTimeout(5, timerCb, NULL, timerFree);
    g_assert_cmpint(t, >, 0);
    for (i = 0; i < 100 && timerFired < 2; i++)
        g_assert_cmpint(virEventRunDefaultImpl(), ==, 0);
    g_assert_cmpint(timerFired, >=, 2);
    virEventUpdateTimeout(t, -1);
    timerFired = 0;
    virEventUpdateTimeout(t, 0);
    g_assert_cmpint(virEventRunDefaultImpl(), ==, 0);
    g_assert_cmpint(timerFired, >=, 1);
    g_assert_cmpint(virEventRemoveTimeout(t), ==, 0);
    g_assert_cmpint(timerFreed, ==, 1);
    g_assert_cmpint(virEventRemoveTimeout(t), ==, -1);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_assert_cmpint(mvRegisterConnectDriver(&fakeDriver), ==, 0);
    virSetErrorFunc(NULL, countingErrorFunc);

    g_test_add_func("/libclient/error/api", testErrorAPI);
    g_test_add_func("/libclient/error/default-func", testErrorDefaultFunc);
    g_test_add_func("/libclient/connect/version", testVersion);
    g_test_add_func("/libclient/connect/open-local", testOpenLocal);
    g_test_add_func("/libclient/connect/open-failures", testOpenFailures);
    g_test_add_func("/libclient/connect/default-uri", testDefaultURI);
    g_test_add_func("/libclient/connect/close-callback", testCloseCallback);
    g_test_add_func("/libclient/secret/checks", testSecretChecks);
    g_test_add_func("/libclient/event/registry", testEventRegistry);
    g_test_add_func("/libclient/eventloop/timers", testEventLoop);
    return g_test_run();
}
