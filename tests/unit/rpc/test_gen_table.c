/*
 * Unit tests of the generated dispatch tables (remote_dispatch.c,
 * admin_dispatch.c) and rpcProgramLookup: order, flags from the
 * annotations, error domains, API names, XDR sizes, and weak handlers that
 * resolve to NULL unless the daemon defines them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <libvirt/virterror.h>

#include "remote_dispatch.h"
#include "admin_dispatch.h"

/* The one handler this "daemon" implements. */
int
remoteDispatchConnectGetType(rpcServer *server G_GNUC_UNUSED,
                             rpcServerClient *client G_GNUC_UNUSED,
                             rpcMessage *msg G_GNUC_UNUSED,
                             void *args G_GNUC_UNUSED,
                             remote_connect_get_type_ret *ret)
{
    ret->type = g_strdup("secret");
    return 0;
}

static void
testSorted(void)
{
    const rpcProgram *progs[] = { &remoteProgram, &adminProgram };
    size_t p, i;

    for (p = 0; p < G_N_ELEMENTS(progs); p++) {
        g_assert_cmpuint(progs[p]->nprocs, >, 0);
        for (i = 1; i < progs[p]->nprocs; i++)
            g_assert_cmpint(progs[p]->procs[i - 1].proc, <, progs[p]->procs[i].proc);
        for (i = 0; i < progs[p]->nprocs; i++) {
            const rpcProcedure *proc = &progs[p]->procs[i];

            g_assert_true(rpcProgramLookup(progs[p], proc->proc) == proc);
            g_assert_nonnull(proc->args_filter);
            g_assert_nonnull(proc->ret_filter);
        }
    }
    g_assert_cmpuint(remoteProgram.prog, ==, 0x20008086);
    g_assert_cmpuint(remoteProgram.vers, ==, 1);
    g_assert_cmpstr(remoteProgram.name, ==, "remote");
    g_assert_cmpuint(adminProgram.prog, ==, 0x06900690);
    g_assert_cmpuint(adminProgram.nprocs, ==, 19);
}

static void
testLookupMissing(void)
{
    g_assert_null(rpcProgramLookup(&remoteProgram, 0));
    g_assert_null(rpcProgramLookup(&remoteProgram, 8));
    g_assert_null(rpcProgramLookup(&remoteProgram, 9999));
    g_assert_null(rpcProgramLookup(&remoteProgram, -1));
}

static void
testEntries(void)
{
    const rpcProcedure *p;

    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_SECRET_DEFINE_XML);
    g_assert_nonnull(p);
    g_assert_cmpstr(p->name, ==, "SECRET_DEFINE_XML");
    g_assert_cmpstr(p->api, ==, "virSecretDefineXML");
    g_assert_cmpint(p->errdomain, ==, VIR_FROM_SECRET);
    g_assert_cmpuint(p->flags, ==, 0);
    g_assert_cmpuint(p->args_size, ==, sizeof(remote_secret_define_xml_args));
    g_assert_cmpuint(p->ret_size, ==, sizeof(remote_secret_define_xml_ret));
    g_assert_null(p->func);

    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_SECRET_GET_XML_DESC);
    g_assert_cmpstr(p->api, ==, "virSecretGetXMLDesc");
    g_assert_cmpuint(p->flags, ==, RPC_PROC_READONLY | RPC_PROC_PRIORITY);

    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_SECRET_LOOKUP_BY_UUID);
    g_assert_cmpstr(p->api, ==, "virSecretLookupByUUID");

    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_CONNECT_LIST_ALL_SECRETS);
    g_assert_cmpstr(p->api, ==, "virConnectListAllSecrets");
    g_assert_cmpint(p->errdomain, ==, VIR_FROM_SECRET);

    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS);
    g_assert_cmpint(p->errdomain, ==, VIR_FROM_DOMAIN);
    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_DOMAIN_GET_STATE);
    g_assert_cmpint(p->errdomain, ==, VIR_FROM_DOMAIN);

    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_CONNECT_GET_URI);
    g_assert_cmpstr(p->api, ==, "virConnectGetURI");
    g_assert_cmpint(p->errdomain, ==, VIR_FROM_NONE);

    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_AUTH_LIST);
    g_assert_cmpuint(p->flags, ==, RPC_PROC_READONLY | RPC_PROC_PRIORITY | RPC_PROC_NOAUTH);
    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_AUTH_POLKIT);
    g_assert_true(p->flags & RPC_PROC_NOAUTH);

    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_SECRET_SET_VALUE);
    g_assert_false(p->flags & RPC_PROC_READONLY);
    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_SECRET_GET_VALUE);
    g_assert_false(p->flags & RPC_PROC_READONLY);
    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_SECRET_UNDEFINE);
    g_assert_false(p->flags & RPC_PROC_READONLY);

    /* an event: no handler, the ret slot describes the _msg body */
    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_SECRET_EVENT_LIFECYCLE);
    g_assert_cmpuint(p->flags, ==, RPC_PROC_EVENT);
    g_assert_null(p->func);
    g_assert_cmpuint(p->args_size, ==, 0);
    g_assert_cmpuint(p->ret_size, ==, sizeof(remote_secret_event_lifecycle_msg));

    /* connect close has neither args nor ret */
    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_CONNECT_CLOSE);
    g_assert_cmpuint(p->args_size, ==, 0);
    g_assert_cmpuint(p->ret_size, ==, 0);

    p = rpcProgramLookup(&adminProgram, ADMIN_PROC_SERVER_GET_THREADPOOL_PARAMETERS);
    g_assert_cmpstr(p->api, ==, "virAdmServerGetThreadPoolParameters");
    g_assert_cmpint(p->errdomain, ==, VIR_FROM_ADMIN);
    p = rpcProgramLookup(&adminProgram, ADMIN_PROC_CONNECT_SET_DAEMON_TIMEOUT);
    g_assert_cmpstr(p->api, ==, "virAdmConnectSetDaemonTimeout");
}

static void
testWeakHandlers(void)
{
    const rpcProcedure *p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_CONNECT_GET_TYPE);
    remote_connect_get_type_ret ret = { 0 };

    g_assert_nonnull(p->func);
    g_assert_cmpint(p->func(NULL, NULL, NULL, NULL, &ret), ==, 0);
    g_assert_cmpstr(ret.type, ==, "secret");
    xdr_free((xdrproc_t)xdr_remote_connect_get_type_ret, (char *)&ret);

    p = rpcProgramLookup(&remoteProgram, REMOTE_PROC_CONNECT_GET_VERSION);
    g_assert_null(p->func);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rpc/gen/table-sorted", testSorted);
    g_test_add_func("/rpc/gen/lookup-missing", testLookupMissing);
    g_test_add_func("/rpc/gen/entries", testEntries);
    g_test_add_func("/rpc/gen/weak-handlers", testWeakHandlers);
    return g_test_run();
}
