/*
 * Tests of the network API plumbing: the public entry points and handles
 * (client_network.c) against the in-process fake driver, then the same
 * calls through the remote driver (client_remote_network.c) to netstandind,
 * a stand-in virtnetworkd running the real daemon framework and network
 * handlers (daemon_dispatch_network.c), including lifecycle events.
 *
 * usage: test_network PATH/TO/virtnetworkd-standin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client_driver.h"
#include "fake_network.h"
#include "mv_error.h"

static const char *standinPath;

#define NET_XML \
    "<network>\n" \
    "  <name>%s</name>\n" \
    "  <uuid>%s</uuid>\n" \
    "  <bridge name='%s'/>\n" \
    "</network>\n"

#define UUID_A "8c1f4a1e-2b3d-4e5f-9a0b-1c2d3e4f5a61"
#define UUID_B "8c1f4a1e-2b3d-4e5f-9a0b-1c2d3e4f5a62"

static char *
netXML(const char *name, const char *uuid, const char *bridge)
{
    return g_strdup_printf(NET_XML, name, uuid, bridge);
}

static void
assertError(int code)
{
    virErrorPtr err = virGetLastError();

    g_assert_nonnull(err);
    if (err->code != code)
        g_error("expected error code %d, got %d: %s", code, err->code,
                err->message ? err->message : "(none)");
}

static void
freeNets(virNetworkPtr *nets)
{
    size_t i;

    for (i = 0; nets && nets[i]; i++)
        virNetworkFree(nets[i]);
    g_free(nets);
}

/* --- events --------------------------------------------------------------- */

typedef struct {
    GMutex lock;
    GString *log;
    int count;
} eventLog;

static eventLog events;

static void
recordLifecycle(virConnectPtr conn, virNetworkPtr net, int event, int detail, void *opaque)
{
    g_mutex_lock(&events.lock);
    g_string_append_printf(events.log, "%s:%d:%d;", virNetworkGetName(net), event, detail);
    events.count++;
    g_mutex_unlock(&events.lock);
}

static int eventFreed;

static void
countFree(void *opaque)
{
    g_atomic_int_inc(&eventFreed);
}

static void
eventsReset(void)
{
    g_mutex_lock(&events.lock);
    g_string_truncate(events.log, 0);
    events.count = 0;
    g_mutex_unlock(&events.lock);
}

/* Waits (running the default event loop when @loop) until @n events came. */
static void
eventsWait(int n, bool loop)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    for (;;) {
        int have;

        g_mutex_lock(&events.lock);
        have = events.count;
        g_mutex_unlock(&events.lock);
        if (have >= n)
            return;
        if (g_get_monotonic_time() > deadline)
            g_error("timed out waiting for %d events (have %d: %s)", n, have, events.log->str);
        if (loop)
            g_main_context_iteration(NULL, FALSE);
        g_usleep(2000);
    }
}

/* --- the scenario, run on a local and a remote connection ------------------- */

static void
runScenario(virConnectPtr conn, bool remote)
{
    g_autofree char *xmlA = netXML("netA", UUID_A, "mvbrA");
    g_autofree char *xmlB = netXML("netB", UUID_B, "mvbrB");
    virNetworkPtr a;
    virNetworkPtr b;
    virNetworkPtr *nets = NULL;
    virNetworkPortPtr port;
    virNetworkPortPtr *ports = NULL;
    virNetworkDHCPLeasePtr *leases = NULL;
    unsigned char uuid[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    char *names[4] = { NULL };
    char *s;
    int autostart = -1;
    int cb;
    int n;
    int i;

    eventsReset();
    cb = virConnectNetworkEventRegisterAny(conn, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                           VIR_NETWORK_EVENT_CALLBACK(recordLifecycle),
                                           NULL, countFree);
    g_assert_cmpint(cb, >=, 0);

    /* define and look up */
    a = virNetworkDefineXML(conn, xmlA);
    g_assert_nonnull(a);
    g_assert_cmpstr(virNetworkGetName(a), ==, "netA");
    g_assert_cmpint(virNetworkGetUUIDString(a, uuidstr), ==, 0);
    g_assert_cmpstr(uuidstr, ==, UUID_A);
    g_assert_true(virNetworkGetConnect(a) == conn);
    b = virNetworkDefineXMLFlags(conn, xmlB, VIR_NETWORK_DEFINE_VALIDATE);
    g_assert_nonnull(b);
    g_assert_null(virNetworkDefineXMLFlags(conn, xmlB, 0x100));
    assertError(VIR_ERR_INVALID_ARG);

    g_assert_cmpint(virConnectNumOfNetworks(conn), ==, 0);
    g_assert_cmpint(virConnectNumOfDefinedNetworks(conn), ==, 2);
    n = virConnectListDefinedNetworks(conn, names, 4);
    g_assert_cmpint(n, ==, 2);
    for (i = 0; i < n; i++)
        g_free(names[i]);
    g_assert_cmpint(virConnectListAllNetworks(conn, &nets, VIR_CONNECT_LIST_NETWORKS_ACTIVE),
                    ==, 0);
    g_assert_nonnull(nets);
    g_assert_null(nets[0]);
    freeNets(nets);
    g_assert_cmpint(virConnectListAllNetworks(conn, NULL, 0), ==, 2);

    {
        virNetworkPtr x = virNetworkLookupByName(conn, "netB");

        g_assert_nonnull(x);
        g_assert_cmpint(virNetworkGetUUIDString(x, uuidstr), ==, 0);
        g_assert_cmpstr(uuidstr, ==, UUID_B);
        virNetworkFree(x);
        x = virNetworkLookupByUUIDString(conn, UUID_A);
        g_assert_nonnull(x);
        g_assert_cmpstr(virNetworkGetName(x), ==, "netA");
        virNetworkFree(x);
    }
    g_assert_null(virNetworkLookupByName(conn, "nosuch"));
    assertError(VIR_ERR_NO_NETWORK);
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_NETWORK);
    g_assert_null(virNetworkLookupByUUIDString(conn, "not-a-uuid"));
    assertError(VIR_ERR_INVALID_ARG);

    /* lifecycle and properties */
    g_assert_cmpint(virNetworkIsActive(a), ==, 0);
    g_assert_cmpint(virNetworkIsPersistent(a), ==, 1);
    g_assert_cmpint(virNetworkCreate(a), ==, 0);
    g_assert_cmpint(virNetworkIsActive(a), ==, 1);
    g_assert_cmpint(virNetworkCreate(a), ==, -1);
    assertError(VIR_ERR_OPERATION_INVALID);
    g_assert_cmpint(virConnectNumOfNetworks(conn), ==, 1);
    n = virConnectListNetworks(conn, names, 4);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr(names[0], ==, "netA");
    g_free(names[0]);
    g_assert_cmpint(virConnectListAllNetworks(conn, &nets, VIR_CONNECT_LIST_NETWORKS_ACTIVE |
                                                           VIR_CONNECT_LIST_NETWORKS_PERSISTENT),
                    ==, 1);
    g_assert_cmpstr(virNetworkGetName(nets[0]), ==, "netA");
    freeNets(nets);

    s = virNetworkGetBridgeName(a);
    g_assert_cmpstr(s, ==, "mvbrA");
    g_free(s);
    g_assert_cmpint(virNetworkGetAutostart(a, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 0);
    g_assert_cmpint(virNetworkSetAutostart(a, 1), ==, 0);
    g_assert_cmpint(virNetworkGetAutostart(a, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 1);
    g_assert_cmpint(virConnectListAllNetworks(conn, NULL,
                                              VIR_CONNECT_LIST_NETWORKS_AUTOSTART), ==, 1);

    s = virNetworkGetXMLDesc(a, 0);
    g_assert_nonnull(s);
    g_assert_nonnull(strstr(s, "<name>netA</name>"));
    g_free(s);
    g_assert_cmpint(virNetworkUpdate(a, VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
                                     VIR_NETWORK_SECTION_IP_DHCP_HOST, -1,
                                     "<host mac='52:54:00:00:00:01' ip='192.168.122.5'/>",
                                     VIR_NETWORK_UPDATE_AFFECT_LIVE), ==, 0);
    s = virNetworkGetXMLDesc(a, 0);
    /* command, section and parent index arrive in that order */
    g_assert_nonnull(strstr(s, "cmd=3 section=4 parent=-1 flags=1"));
    g_free(s);
    s = virNetworkGetXMLDesc(a, VIR_NETWORK_XML_INACTIVE);
    g_assert_null(strstr(s, "cmd=3"));
    g_free(s);

    /* leases */
    n = virNetworkGetDHCPLeases(a, NULL, &leases, 0);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpstr(leases[0]->iface, ==, "mvbrA");
    g_assert_cmpstr(leases[0]->mac, ==, "52:54:00:aa:bb:01");
    g_assert_cmpstr(leases[0]->ipaddr, ==, "192.168.122.10");
    g_assert_cmpint(leases[0]->prefix, ==, 24);
    g_assert_cmpint(leases[0]->type, ==, VIR_IP_ADDR_TYPE_IPV4);
    g_assert_cmpint(leases[0]->expirytime, ==, 1700000000);
    g_assert_cmpstr(leases[0]->hostname, ==, "guest1");
    g_assert_cmpstr(leases[0]->clientid, ==, "01:52:54:00:aa:bb:01");
    g_assert_null(leases[0]->iaid);
    g_assert_null(leases[1]->hostname);
    g_assert_cmpstr(leases[1]->iaid, ==, "1234");
    g_assert_cmpint(leases[1]->type, ==, VIR_IP_ADDR_TYPE_IPV6);
    for (i = 0; i < n; i++)
        virNetworkDHCPLeaseFree(leases[i]);
    g_free(leases);
    g_assert_cmpint(virNetworkGetDHCPLeases(a, "52:54:00:AA:BB:02", NULL, 0), ==, 1);
    g_assert_cmpint(virNetworkGetDHCPLeases(b, NULL, NULL, 0), ==, 0);

    /* ports */
    port = virNetworkPortCreateXML(a, "<networkport><uuid>" UUID_B "</uuid>"
                                      "<owner><name>g</name></owner></networkport>", 0);
    g_assert_nonnull(port);
    g_assert_true(virNetworkPortGetNetwork(port) == a);
    g_assert_cmpint(virNetworkPortGetUUID(port, uuid), ==, 0);
    g_assert_cmpint(virNetworkPortGetUUIDString(port, uuidstr), ==, 0);
    g_assert_cmpstr(uuidstr, ==, UUID_B);
    s = virNetworkPortGetXMLDesc(port, 0);
    g_assert_nonnull(strstr(s, "<owner>"));
    g_free(s);
    g_assert_cmpint(virNetworkListAllPorts(a, &ports, 0), ==, 1);
    g_assert_cmpint(virNetworkPortGetUUIDString(ports[0], uuidstr), ==, 0);
    g_assert_cmpstr(uuidstr, ==, UUID_B);
    virNetworkPortFree(ports[0]);
    g_free(ports);
    {
        virNetworkPortPtr again = virNetworkPortLookupByUUIDString(a, UUID_B);

        g_assert_nonnull(again);
        virNetworkPortFree(again);
    }
    g_assert_null(virNetworkPortCreateXML(b, "<networkport/>", 0));
    assertError(VIR_ERR_OPERATION_INVALID);
    g_assert_cmpint(virNetworkPortDelete(port, 0), ==, 0);
    g_assert_cmpint(virNetworkPortDelete(port, 0), ==, -1);
    assertError(VIR_ERR_NO_NETWORK_PORT);
    g_assert_null(virNetworkPortLookupByUUID(a, uuid));
    assertError(VIR_ERR_NO_NETWORK_PORT);
    g_assert_cmpint(virNetworkListAllPorts(a, NULL, 0), ==, 0);
    virNetworkPortFree(port);

    /* transient network, destroy, undefine */
    {
        g_autofree char *xmlC = netXML("netC", "8c1f4a1e-2b3d-4e5f-9a0b-1c2d3e4f5a63", "mvbrC");
        virNetworkPtr c = virNetworkCreateXMLFlags(conn, xmlC, 0);

        g_assert_nonnull(c);
        g_assert_cmpint(virNetworkIsPersistent(c), ==, 0);
        g_assert_cmpint(virConnectListAllNetworks(conn, NULL,
                                                  VIR_CONNECT_LIST_NETWORKS_TRANSIENT), ==, 1);
        g_assert_cmpint(virNetworkDestroy(c), ==, 0);
        g_assert_cmpint(virNetworkIsActive(c), ==, -1);
        assertError(VIR_ERR_NO_NETWORK);
        virNetworkFree(c);
    }
    g_assert_cmpint(virNetworkDestroy(a), ==, 0);
    g_assert_cmpint(virNetworkUndefine(a), ==, 0);
    g_assert_cmpint(virNetworkUndefine(b), ==, 0);
    g_assert_cmpint(virConnectListAllNetworks(conn, NULL, 0), ==, 0);
    g_assert_cmpint(virNetworkGetAutostart(a, &autostart), ==, -1);
    assertError(VIR_ERR_NO_NETWORK);

    /* defined A, defined B, started A, started C, stopped C, stopped A,
     * undefined A, undefined B */
    eventsWait(8, remote);
    g_mutex_lock(&events.lock);
    g_assert_cmpstr(events.log->str, ==,
                    "netA:0:0;netB:0:0;netA:2:0;netC:2:0;netC:3:0;netA:3:0;netA:1:0;netB:1:0;");
    g_mutex_unlock(&events.lock);
    g_assert_cmpint(virConnectNetworkEventDeregisterAny(conn, cb), ==, 0);
    g_assert_cmpint(virConnectNetworkEventDeregisterAny(conn, cb), ==, -1);
    assertError(VIR_ERR_INVALID_ARG);

    virNetworkFree(a);
    virNetworkFree(b);
}

/* --- local: the public layer over the fake ------------------------------- */

static void
testLocal(void)
{
    virConnectPtr conn = virConnectOpen("fakenet:///system");

    g_assert_nonnull(conn);
    fakeNetworkReset();
    eventFreed = 0;
    runScenario(conn, false);
    g_assert_cmpint(eventFreed, ==, 1);
    g_assert_cmpint(fakeNetworkEventCount(), ==, 0);
    virConnectClose(conn);
}

static void
testChecks(void)
{
    virConnectPtr conn = virConnectOpen("fakenet:///system");
    virConnectPtr ro = virConnectOpenReadOnly("fakenet:///system");
    g_autofree char *xml = netXML("ro", UUID_A, "mvbrR");
    virNetworkPtr net;
    virNetworkPtr *nets = (virNetworkPtr *)&nets;

    g_assert_nonnull(conn);
    g_assert_nonnull(ro);
    fakeNetworkReset();

    g_assert_cmpint(virConnectNumOfNetworks(NULL), ==, -1);
    assertError(VIR_ERR_INVALID_CONN);
    g_assert_cmpint(virConnectListAllNetworks(NULL, &nets, 0), ==, -1);
    g_assert_null(nets);
    g_assert_null(virNetworkGetName(NULL));
    assertError(VIR_ERR_INVALID_NETWORK);
    g_assert_cmpint(virNetworkFree(NULL), ==, -1);
    assertError(VIR_ERR_INVALID_NETWORK);
    g_assert_cmpint(virNetworkPortFree(NULL), ==, -1);
    assertError(VIR_ERR_INVALID_NETWORK_PORT);
    g_assert_null(virNetworkDefineXML(conn, NULL));
    assertError(VIR_ERR_INVALID_ARG);
    g_assert_cmpint(virConnectListNetworks(conn, NULL, 1), ==, -1);
    assertError(VIR_ERR_INVALID_ARG);
    {
        char *names[1];

        g_assert_cmpint(virConnectListNetworks(conn, names, -1), ==, -1);
        assertError(VIR_ERR_INVALID_ARG);
    }

    /* read-only connections read but do not change */
    g_assert_null(virNetworkDefineXML(ro, xml));
    assertError(VIR_ERR_OPERATION_DENIED);
    g_assert_null(virNetworkCreateXML(ro, xml));
    assertError(VIR_ERR_OPERATION_DENIED);
    net = virNetworkDefineXML(conn, xml);
    g_assert_nonnull(net);
    virNetworkFree(net);
    net = virNetworkLookupByName(ro, "ro");
    g_assert_nonnull(net);
    g_assert_cmpint(virNetworkCreate(net), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED);
    g_assert_cmpint(virNetworkSetAutostart(net, 1), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED);
    g_assert_cmpint(virNetworkUndefine(net), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED);
    g_assert_cmpint(virNetworkUpdate(net, 1, 4, -1, "<host/>", 0), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED);
    g_assert_null(virNetworkPortCreateXML(net, "<networkport/>", 0));
    assertError(VIR_ERR_OPERATION_DENIED);
    g_assert_cmpint(virNetworkIsActive(net), ==, 0);

    /* event arguments */
    g_assert_cmpint(virConnectNetworkEventRegisterAny(conn, NULL, 1,
                                                      VIR_NETWORK_EVENT_CALLBACK(recordLifecycle),
                                                      NULL, NULL), ==, -1);
    assertError(VIR_ERR_INVALID_ARG);
    g_assert_cmpint(virConnectNetworkEventRegisterAny(conn, net, 0,
                                                      VIR_NETWORK_EVENT_CALLBACK(recordLifecycle),
                                                      NULL, NULL), ==, -1);
    assertError(VIR_ERR_INVALID_ARG);   /* net belongs to the other connection */
    g_assert_cmpint(virConnectNetworkEventRegisterAny(conn, NULL, 0, NULL, NULL, NULL), ==, -1);
    assertError(VIR_ERR_INVALID_ARG);
    g_assert_cmpint(virConnectNetworkEventDeregisterAny(conn, -1), ==, -1);
    assertError(VIR_ERR_INVALID_ARG);

    /* handles keep their connection alive */
    g_assert_cmpint(virNetworkRef(net), ==, 0);
    g_assert_cmpint(virNetworkFree(net), ==, 0);
    g_assert_cmpint(virConnectClose(ro), ==, 1);
    g_assert_cmpstr(virNetworkGetName(net), ==, "ro");
    g_assert_cmpint(virNetworkFree(net), ==, 0);
    virConnectClose(conn);
}

/* --- remote: our client library against the stand-in daemon --------------- */

static gpointer
eventLoopThread(gpointer data)
{
    for (;;) {
        if (virEventRunDefaultImpl() < 0)
            return NULL;
    }
    return NULL;
}

static void
testRemote(void)
{
    g_autofree char *root = g_dir_make_tmp("mv-net-XXXXXX", NULL);
    g_autofree char *run = g_build_filename(root, "run", NULL);
    g_autofree char *sock = g_build_filename(run, "libvirt", "virtnetworkd-sock", NULL);
    g_autofree char *uri = g_strdup_printf("network:///session?socket=%s", sock);
    g_auto(GStrv) env = g_get_environ();
    const char *argv[] = { standinPath, "--session", "--timeout", "60", NULL };
    GPid pid;
    int status = 0;
    int i;
    virConnectPtr conn = NULL;
    virConnectPtr ro;
    virNetworkPtr net;
    g_autofree char *xml = netXML("ronet", UUID_A, "mvbrR");

    env = g_environ_setenv(env, "XDG_RUNTIME_DIR", run, TRUE);
    env = g_environ_setenv(env, "HOME", root, TRUE);
    env = g_environ_setenv(env, "XDG_CONFIG_HOME", root, TRUE);
    env = g_environ_setenv(env, "XDG_CACHE_HOME", root, TRUE);
    env = g_environ_setenv(env, "XDG_DATA_HOME", root, TRUE);
    g_assert_cmpint(g_mkdir_with_parents(run, 0700), ==, 0);
    g_assert_true(g_spawn_async(NULL, (char **)argv, env, G_SPAWN_DO_NOT_REAP_CHILD |
                                G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid, NULL));
    for (i = 0; i < 200 && !g_file_test(sock, G_FILE_TEST_EXISTS); i++)
        g_usleep(50000);
    g_assert_true(g_file_test(sock, G_FILE_TEST_EXISTS));

    g_assert_cmpint(virEventRegisterDefaultImpl(), ==, 0);
    g_thread_unref(g_thread_new("events", eventLoopThread, NULL));

    conn = virConnectOpen(uri);
    if (!conn)
        g_error("cannot open %s: %s", uri, virGetLastErrorMessage());
    g_assert_cmpstr(virConnectGetType(conn), ==, "network");
    eventFreed = 0;
    runScenario(conn, false);
    g_assert_cmpint(eventFreed, ==, 1);

    /* a read-only connection (session daemons have no -ro socket) */
    ro = virConnectOpenReadOnly(uri);
    g_assert_nonnull(ro);
    g_assert_null(virNetworkDefineXML(ro, xml));
    assertError(VIR_ERR_OPERATION_DENIED);
    net = virNetworkDefineXML(conn, xml);
    g_assert_nonnull(net);
    virNetworkFree(net);
    net = virNetworkLookupByName(ro, "ronet");
    g_assert_nonnull(net);
    g_assert_cmpint(virNetworkIsActive(net), ==, 0);
    g_assert_cmpint(virNetworkUndefine(net), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED);
    virNetworkFree(net);
    virConnectClose(ro);

    /* a handle of an object that vanished: the daemon's NO_NETWORK */
    net = virNetworkLookupByName(conn, "ronet");
    g_assert_cmpint(virNetworkUndefine(net), ==, 0);
    g_assert_null(virNetworkGetXMLDesc(net, 0));
    assertError(VIR_ERR_NO_NETWORK);
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_NETWORK);
    virNetworkFree(net);
    virConnectClose(conn);

    kill(pid, SIGTERM);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_spawn_close_pid(pid);
    {
        const char *rm[] = { "rm", "-rf", root, NULL };

        g_assert_true(g_spawn_sync(NULL, (char **)rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                   NULL, NULL, NULL, NULL));
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (argc < 2) {
        g_printerr("usage: test_network PATH/TO/virtnetworkd-standin\n");
        return 2;
    }
    standinPath = argv[1];
    events.log = g_string_new(NULL);
    g_mutex_init(&events.lock);
    g_assert_cmpint(fakeNetworkRegister("fakenet"), ==, 0);

    g_test_add_func("/libclient/network/local", testLocal);
    g_test_add_func("/libclient/network/checks", testChecks);
    g_test_add_func("/libclient/network/remote", testRemote);
    return g_test_run();
}
