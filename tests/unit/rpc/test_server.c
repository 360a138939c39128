/*
 * test_server: rpcServer driven over real UNIX sockets.
 *
 * One server (a hand-built test program, prog 0x11223344) runs on its own
 * main-loop thread for the whole program; tests talk to it with rpcClient
 * from several threads and with raw sockets for the hostile cases
 * (oversized, truncated, garbage, vanished peers, keepalive).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mv_error.h"
#include "mv_fd.h"
#include "rpc_client.h"
#include "rpc_keepalive.h"
#include "rpc_server.h"
#include "rpc_socket.h"

#define MV_FROM_THIS VIR_FROM_RPC

#define TEST_PROG 0x11223344
#define TEST_VERS 1

enum {
    TEST_PROC_ECHO = 1,
    TEST_PROC_SLOW = 2,
    TEST_PROC_FAIL = 3,
    TEST_PROC_WRITE = 4,
    TEST_PROC_UNSUPPORTED = 5,
    TEST_PROC_PRIO = 6,
    TEST_PROC_EVENT = 7,
    TEST_PROC_FDS = 8,
    TEST_PROC_SEND_EVENT = 9,
    TEST_PROC_BUGGY = 10,
    TEST_PROC_KEEPALIVE = 11,
    TEST_PROC_FLOOD = 12,
};

#define FLOOD_CHUNK (1024 * 1024)
#define FLOOD_COUNT 80

static struct {
    char *dir;
    char *rwPath;
    char *roPath;
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *thread;
    rpcServer *srv;
    gint privFreed;
    gint privCreated;
    gint slowDone;
    gint slowRunning;
    gint slowMaxRunning;
    gint floodSent;
} T;

/* --- the test program ----------------------------------------------------- */

static int
testEcho(rpcServer *srv, rpcServerClient *client, rpcMessage *msg, void *args, void *ret)
{
    *(int *)ret = *(int *)args;
    return 0;
}

static int
testSlow(rpcServer *srv, rpcServerClient *client, rpcMessage *msg, void *args, void *ret)
{
    gint running = g_atomic_int_add(&T.slowRunning, 1) + 1;
    gint max;

    while ((max = g_atomic_int_get(&T.slowMaxRunning)) < running &&
           !g_atomic_int_compare_and_exchange(&T.slowMaxRunning, max, running))
        ;
    g_usleep(500 * 1000);
    g_atomic_int_add(&T.slowRunning, -1);
    *(int *)ret = *(int *)args;
    g_atomic_int_inc(&T.slowDone);
    return 0;
}

static int
testFail(rpcServer *srv, rpcServerClient *client, rpcMessage *msg, void *args, void *ret)
{
    mvReportErrorFull(VIR_FROM_SECRET, VIR_ERR_NO_SECRET, __FILE__, __func__, __LINE__,
                      "no secret with matching uuid '%d'", *(int *)args);
    return -1;
}

static int
testBuggy(rpcServer *srv, rpcServerClient *client, rpcMessage *msg, void *args, void *ret)
{
    return -1;
}

static int
testSendEvent(rpcServer *srv, rpcServerClient *client, rpcMessage *msg, void *args, void *ret)
{
    if (rpcServerClientSendEvent(client, TEST_PROG, TEST_PROC_EVENT, (xdrproc_t)xdr_int,
                                 args) < 0)
        return -1;
    *(int *)ret = 0;
    return 0;
}

static int
testKeepAlive(rpcServer *srv, rpcServerClient *client, rpcMessage *msg, void *args,
              void *ret)
{
    rpcServerClientStartKeepAlive(client);
    return 0;
}

static bool_t
testXdrBlob(XDR *xdrs, void *data, ...)
{
    return xdr_opaque(xdrs, data, FLOOD_CHUNK);
}

/* Queues FLOOD_COUNT 1 MiB events, more than a client may have pending. */
static int
testFlood(rpcServer *srv, rpcServerClient *client, rpcMessage *msg, void *args, void *ret)
{
    g_autofree char *blob = g_malloc0(FLOOD_CHUNK);
    int i;

    for (i = 0; i < FLOOD_COUNT; i++) {
        if (rpcServerClientSendEvent(client, TEST_PROG, TEST_PROC_EVENT,
                                     (xdrproc_t)testXdrBlob, blob) < 0)
            return -1;
        g_atomic_int_inc(&T.floodSent);
    }
    return 0;
}

/* Takes the caller's fd, writes the int argument into it, and returns the
 * read end of a new pipe holding "pong". */
static int
testFds(rpcServer *srv, rpcServerClient *client, rpcMessage *msg, void *args, void *ret)
{
    int fds[2];
    g_autofree char *text = g_strdup_printf("%d", *(int *)args);

    if (msg->nfds != 1 || msg->fds[0] < 0) {
        mvReportError(VIR_ERR_INVALID_ARG, "expected one fd, got %zu", msg->nfds);
        return -1;
    }
    if (write(msg->fds[0], text, strlen(text)) < 0 || pipe2(fds, O_CLOEXEC) < 0) {
        mvReportSystemError(errno, "pipe trouble");
        return -1;
    }
    if (write(fds[1], "pong", 4) != 4) {
        mvReportSystemError(errno, "pipe write");
        return -1;
    }
    close(fds[1]);
    *(int *)ret = 1;
    return rpcServerCallAddReplyFD(msg, fds[0]);
}

#define XI ((xdrproc_t)xdr_int)
#define XV ((xdrproc_t)(void (*)(void))xdr_void)

static const rpcProcedure testProcs[] = {
    { TEST_PROC_ECHO, "ECHO", "testEcho", VIR_FROM_RPC, XI, sizeof(int), XI, sizeof(int),
      RPC_PROC_READONLY, testEcho },
    { TEST_PROC_SLOW, "SLOW", "testSlow", VIR_FROM_RPC, XI, sizeof(int), XI, sizeof(int),
      RPC_PROC_READONLY, testSlow },
    { TEST_PROC_FAIL, "FAIL", "virSecretLookupByUUID", VIR_FROM_SECRET, XI, sizeof(int),
      XI, sizeof(int), RPC_PROC_READONLY, testFail },
    { TEST_PROC_WRITE, "WRITE", "virSecretSetValue", VIR_FROM_SECRET, XI, sizeof(int),
      XI, sizeof(int), 0, testEcho },
    { TEST_PROC_UNSUPPORTED, "UNSUPPORTED", "virSecretFoo", VIR_FROM_SECRET, XI, sizeof(int),
      XI, sizeof(int), RPC_PROC_READONLY, NULL },
    { TEST_PROC_PRIO, "PRIO", "testPrio", VIR_FROM_RPC, XI, sizeof(int), XI, sizeof(int),
      RPC_PROC_READONLY | RPC_PROC_PRIORITY, testEcho },
    { TEST_PROC_EVENT, "EVENT", "testEvent", VIR_FROM_RPC, XI, sizeof(int), XV, 0,
      RPC_PROC_READONLY | RPC_PROC_EVENT, testEcho },
    { TEST_PROC_FDS, "FDS", "testFds", VIR_FROM_RPC, XI, sizeof(int), XI, sizeof(int),
      RPC_PROC_READONLY, testFds },
    { TEST_PROC_SEND_EVENT, "SEND_EVENT", "testSendEvent", VIR_FROM_RPC, XI, sizeof(int),
      XI, sizeof(int), RPC_PROC_READONLY, testSendEvent },
    { TEST_PROC_BUGGY, "BUGGY", "testBuggy", VIR_FROM_RPC, XI, sizeof(int), XI, sizeof(int),
      RPC_PROC_READONLY, testBuggy },
    { TEST_PROC_KEEPALIVE, "KEEPALIVE", "testKeepAlive", VIR_FROM_RPC, XV, 0, XV, 0,
      RPC_PROC_READONLY, testKeepAlive },
    { TEST_PROC_FLOOD, "FLOOD", "testFlood", VIR_FROM_RPC, XI, sizeof(int), XI, sizeof(int),
      RPC_PROC_READONLY, testFlood },
};

static const rpcProgram testProgram = {
    "test", TEST_PROG, TEST_VERS, testProcs, G_N_ELEMENTS(testProcs),
};

static void *
testPrivNew(rpcServerClient *client, void *opaque)
{
    g_atomic_int_inc(&T.privCreated);
    return g_strdup("priv");
}

static void
testPrivFree(void *priv)
{
    g_assert_cmpstr(priv, ==, "priv");
    g_free(priv);
    g_atomic_int_inc(&T.privFreed);
}

/* --- helpers -------------------------------------------------------------- */

/* Waits up to @ms for @cond to hold. */
#define WAIT_FOR(cond, ms) \
    do { \
        gint64 _end = g_get_monotonic_time() + (ms) * 1000; \
        while (!(cond) && g_get_monotonic_time() < _end) \
            g_usleep(5000); \
    } while (0)

static rpcClient *
testConnect(const char *path)
{
    rpcClient *client = rpcClientNewUnix(path);

    if (!client)
        g_error("connect: %s", mvErrorGetLast()->message);
    return client;
}

static int
testCallInt(rpcClient *client, unsigned int prog, int proc, int in, int *out)
{
    int ret = 0;
    int rc = rpcClientCall(client, prog, TEST_VERS, proc, XI, &in, XI, &ret);

    if (rc == 0 && out)
        *out = ret;
    return rc;
}

static void
assertError(int code, int domain, const char *message)
{
    virErrorPtr err = mvErrorGetLast();

    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, message);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(err->domain, ==, domain);
    mvErrorReset();
}

static int
rawConnect(void)
{
    int fd = rpcSocketConnectUnix(T.rwPath);

    g_assert_cmpint(fd, >=, 0);
    return fd;
}

static void
rawWrite(int fd, const void *buf, size_t len)
{
    g_assert_cmpint(send(fd, buf, len, MSG_NOSIGNAL), ==, (ssize_t)len);
}

/* Reads one message within @ms; NULL on EOF or timeout (*@eof tells). */
static rpcMessage *
rawRead(int fd, int ms, bool *eof)
{
    rpcSocketReader rd = { 0 };
    gint64 end = g_get_monotonic_time() + ms * 1000;

    *eof = false;
    g_assert_cmpint(rpcSocketSetBlocking(fd, false), ==, 0);
    rpcSocketReaderReset(&rd);
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        gint64 left = (end - g_get_monotonic_time()) / 1000;
        int rc = rpcSocketReaderRead(fd, &rd, eof);

        if (rc == 1)
            return g_steal_pointer(&rd.msg);
        if (rc < 0) {
            mvErrorReset();
            rpcSocketReaderClear(&rd);
            return NULL;
        }
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
            rpcSocketReaderClear(&rd);
            return NULL;
        }
    }
}

static rpcMessage *
rawNewMessage(unsigned int prog, int proc, int type, int status, unsigned int serial)
{
    rpcMessage *msg = rpcMessageNew();

    msg->header.prog = prog;
    msg->header.vers = TEST_VERS;
    msg->header.proc = proc;
    msg->header.type = type;
    msg->header.serial = serial;
    msg->header.status = status;
    g_assert_cmpint(rpcMessageEncodeHeader(msg), ==, 0);
    return msg;
}

static void
rawSendCall(int fd, int proc, int status, unsigned int serial, int arg)
{
    g_autoptr(rpcMessage) msg = rawNewMessage(TEST_PROG, proc, RPC_CALL, status, serial);

    g_assert_cmpint(rpcMessageEncodePayload(msg, XI, &arg), ==, 0);
    rawWrite(fd, msg->buffer, msg->bufferLength);
}

/* Reads an error REPLY for @serial and checks it. */
static void
rawExpectError(int fd, unsigned int serial, int code, const char *message)
{
    bool eof;
    g_autoptr(rpcMessage) reply = rawRead(fd, 2000, &eof);
    rpc_message_error rerr;

    g_assert_nonnull(reply);
    g_assert_cmpint(reply->header.type, ==, RPC_REPLY);
    g_assert_cmpint(reply->header.status, ==, RPC_ERROR);
    g_assert_cmpuint(reply->header.serial, ==, serial);
    memset(&rerr, 0, sizeof(rerr));
    g_assert_cmpint(rpcMessageDecodePayload(reply, (xdrproc_t)xdr_rpc_message_error, &rerr),
                    ==, 0);
    g_assert_cmpint(rerr.code, ==, code);
    g_assert_nonnull(rerr.message);
    g_assert_cmpstr(*rerr.message, ==, message);
    xdr_free((xdrproc_t)xdr_rpc_message_error, (char *)&rerr);
}

/* Checks that the server closes @fd within @ms. */
static void
rawExpectClosed(int fd, int ms)
{
    bool eof = false;
    g_autoptr(rpcMessage) msg = rawRead(fd, ms, &eof);

    g_assert_null(msg);
    g_assert_true(eof);
}

static void
assertServerServes(void)
{
    g_autoptr(rpcClient) client = testConnect(T.rwPath);
    int out = 0;

    g_assert_cmpint(testCallInt(client, TEST_PROG, TEST_PROC_ECHO, 4242, &out), ==, 0);
    g_assert_cmpint(out, ==, 4242);
}

/* --- tests ---------------------------------------------------------------- */

static void
testCallReply(void)
{
    g_autoptr(rpcClient) client = testConnect(T.rwPath);
    int out = 0;
    int i;

    for (i = 0; i < 20; i++) {
        g_assert_cmpint(testCallInt(client, TEST_PROG, TEST_PROC_ECHO, i * 7, &out), ==, 0);
        g_assert_cmpint(out, ==, i * 7);
    }
    g_assert_true(rpcClientIsOpen(client));
}

static void
testErrors(void)
{
    g_autoptr(rpcClient) client = testConnect(T.rwPath);
    g_autoptr(rpcClient) ro = testConnect(T.roPath);
    int out = 0;

    g_assert_cmpint(testCallInt(client, TEST_PROG, TEST_PROC_FAIL, 12, NULL), ==, -1);
    assertError(VIR_ERR_NO_SECRET, VIR_FROM_SECRET,
                "Secret not found: no secret with matching uuid '12'");

    g_assert_cmpint(testCallInt(client, TEST_PROG, 999, 1, NULL), ==, -1);
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_RPC,
                "this function is not supported by the connection driver: procedure 999");

    g_assert_cmpint(testCallInt(client, TEST_PROG, TEST_PROC_UNSUPPORTED, 1, NULL), ==, -1);
    assertError(VIR_ERR_NO_SUPPORT, VIR_FROM_SECRET,
                "this function is not supported by the connection driver: virSecretFoo");

    g_assert_cmpint(testCallInt(client, 0x12345678, TEST_PROC_ECHO, 1, NULL), ==, -1);
    assertError(VIR_ERR_RPC, VIR_FROM_RPC, "Cannot find program 305419896 version 1");

    g_assert_cmpint(testCallInt(client, TEST_PROG, TEST_PROC_EVENT, 1, NULL), ==, -1);
    assertError(VIR_ERR_RPC, VIR_FROM_RPC,
                "procedure 7 of program 287454020 is an event and cannot be called");

    g_assert_cmpint(testCallInt(client, TEST_PROG, TEST_PROC_BUGGY, 1, NULL), ==, -1);
    assertError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                "internal error: testBuggy failed without reporting an error");

    /* Read-only socket. */
    g_assert_cmpint(testCallInt(ro, TEST_PROG, TEST_PROC_WRITE, 1, NULL), ==, -1);
    assertError(VIR_ERR_OPERATION_DENIED, VIR_FROM_SECRET,
                "operation forbidden: read only access prevents virSecretSetValue");
    g_assert_cmpint(testCallInt(ro, TEST_PROG, TEST_PROC_ECHO, 5, &out), ==, 0);
    g_assert_cmpint(out, ==, 5);
    g_assert_cmpint(testCallInt(client, TEST_PROG, TEST_PROC_WRITE, 6, &out), ==, 0);
    g_assert_cmpint(out, ==, 6);

    /* The connections survive all of it. */
    g_assert_true(rpcClientIsOpen(client));
    g_assert_cmpint(testCallInt(client, TEST_PROG, TEST_PROC_ECHO, 9, &out), ==, 0);
    g_assert_cmpint(out, ==, 9);
}

static void
testRawProtocolErrors(void)
{
    MV_AUTOCLOSE int fd = rawConnect();
    g_autoptr(rpcMessage) empty = rawNewMessage(TEST_PROG, TEST_PROC_ECHO, RPC_CALL, RPC_OK, 41);
    g_autoptr(rpcMessage) reply = NULL;
    bool eof;
    int out = 0;

    rawSendCall(fd, TEST_PROC_ECHO, RPC_ERROR, 40, 1);
    rawExpectError(fd, 40, VIR_ERR_RPC, "Unexpected message status 1");

    /* A CALL whose body does not decode. */
    g_assert_cmpint(rpcMessageEncodePayloadEmpty(empty), ==, 0);
    rawWrite(fd, empty->buffer, empty->bufferLength);
    rawExpectError(fd, 41, VIR_ERR_RPC, "unable to decode the message payload");

    /* A stream packet is dropped; the connection still answers. */
    {
        g_autoptr(rpcMessage) st = rawNewMessage(TEST_PROG, TEST_PROC_ECHO, RPC_STREAM,
                                                 RPC_CONTINUE, 42);

        g_assert_cmpint(rpcMessageEncodePayloadRaw(st, "data", 4), ==, 0);
        rawWrite(fd, st->buffer, st->bufferLength);
    }
    rawSendCall(fd, TEST_PROC_ECHO, RPC_OK, 0xfffffff0, 77);
    reply = rawRead(fd, 2000, &eof);
    g_assert_nonnull(reply);
    g_assert_cmpint(reply->header.status, ==, RPC_OK);
    g_assert_cmpuint(reply->header.serial, ==, 0xfffffff0);
    g_assert_cmpint(reply->header.proc, ==, TEST_PROC_ECHO);
    g_assert_cmpint(rpcMessageDecodePayload(reply, XI, &out), ==, 0);
    g_assert_cmpint(out, ==, 77);
}

static void
testTooLarge(void)
{
    MV_AUTOCLOSE int fd = rawConnect();
    MV_AUTOCLOSE int ok = rawConnect();
    const unsigned char len[4] = { 0x02, 0x00, 0x00, 0x05 }; /* 33554437 */
    const unsigned char maxlen[4] = { 0x02, 0x00, 0x00, 0x04 }; /* 33554436 */
    bool eof;
    g_autoptr(rpcMessage) none = NULL;

    rawWrite(fd, len, sizeof(len));
    rawExpectClosed(fd, 2000);

    /* The largest legal length is accepted: the server waits for more. */
    rawWrite(ok, maxlen, sizeof(maxlen));
    none = rawRead(ok, 200, &eof);
    g_assert_null(none);
    g_assert_false(eof);

    assertServerServes();
}

static void
testTruncatedAndGarbage(void)
{
    size_t before;
    const unsigned char head[] = { 0x00, 0x00, 0x00, 0x64, 0x11, 0x22, 0x33, 0x44, 0, 0, 0 };
    const char garbage[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    const unsigned char tiny[4] = { 0x00, 0x00, 0x00, 0x03 };

    WAIT_FOR(rpcServerNClients(T.srv) == 0, 2000);
    before = rpcServerNClients(T.srv);
    {
        MV_AUTOCLOSE int fd = rawConnect();

        rawWrite(fd, head, sizeof(head));
        WAIT_FOR(rpcServerNClients(T.srv) == before + 1, 2000);
        g_assert_cmpuint(rpcServerNClients(T.srv), ==, before + 1);
    }
    WAIT_FOR(rpcServerNClients(T.srv) == before, 2000);
    g_assert_cmpuint(rpcServerNClients(T.srv), ==, before);

    {
        MV_AUTOCLOSE int fd = rawConnect();

        rawWrite(fd, garbage, sizeof(garbage) - 1);
        rawExpectClosed(fd, 2000);
    }
    {
        MV_AUTOCLOSE int fd = rawConnect();

        rawWrite(fd, tiny, sizeof(tiny));
        rawExpectClosed(fd, 2000);
    }
    WAIT_FOR(rpcServerNClients(T.srv) == before, 2000);
    g_assert_cmpuint(rpcServerNClients(T.srv), ==, before);
    assertServerServes();
}

static void
testDisconnectMidCall(void)
{
    gint freed;
    gint done = g_atomic_int_get(&T.slowDone);

    /* clients of earlier tests are released asynchronously: let them go first */
    WAIT_FOR(g_atomic_int_get(&T.privFreed) == g_atomic_int_get(&T.privCreated), 2000);
    freed = g_atomic_int_get(&T.privFreed);

    {
        MV_AUTOCLOSE int fd = rawConnect();

        rawSendCall(fd, TEST_PROC_SLOW, RPC_OK, 0, 1);
        WAIT_FOR(g_atomic_int_get(&T.slowRunning) > 0, 2000);
        g_assert_cmpint(g_atomic_int_get(&T.slowRunning), >, 0);
    }
    /* The handler is still running: the client cannot be freed yet. */
    g_usleep(100 * 1000);
    g_assert_cmpint(g_atomic_int_get(&T.privFreed), ==, freed);
    WAIT_FOR(g_atomic_int_get(&T.privFreed) == freed + 1, 2000);
    g_assert_cmpint(g_atomic_int_get(&T.slowDone), ==, done + 1);
    g_assert_cmpint(g_atomic_int_get(&T.privFreed), ==, freed + 1);
    assertServerServes();
}

#define MANY 200

typedef struct {
    rpcClient *client;
    int n;
    int rc;
    int out;
} testManyCall;

static gpointer
testManyThread(gpointer opaque)
{
    testManyCall *c = opaque;

    c->rc = testCallInt(c->client, TEST_PROG, TEST_PROC_ECHO, c->n, &c->out);
    return NULL;
}

static void
testManyClients(void)
{
    testManyCall *calls = g_new0(testManyCall, MANY);
    GThread **threads = g_new0(GThread *, MANY);
    size_t i;

    for (i = 0; i < MANY; i++) {
        calls[i].client = testConnect(T.rwPath);
        calls[i].n = (int)i * 3 + 1;
    }
    for (i = 0; i < MANY; i++)
        threads[i] = g_thread_new("many", testManyThread, &calls[i]);
    for (i = 0; i < MANY; i++) {
        g_thread_join(threads[i]);
        g_assert_cmpint(calls[i].rc, ==, 0);
        g_assert_cmpint(calls[i].out, ==, calls[i].n);
    }
    g_assert_cmpuint(rpcServerNClients(T.srv), >=, MANY);
    for (i = 0; i < MANY; i++)
        rpcClientFree(calls[i].client);
    WAIT_FOR(rpcServerNClients(T.srv) == 0, 3000);
    g_assert_cmpuint(rpcServerNClients(T.srv), ==, 0);
    g_free(calls);
    g_free(threads);
}

static void
testKeepAlivePong(void)
{
    MV_AUTOCLOSE int fd = rawConnect();
    static const unsigned char pong[28] = {
        0, 0, 0, 0x1c, 0x6b, 0x65, 0x65, 0x70, 0, 0, 0, 1, 0, 0, 0, 2,
        0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
    };
    g_autoptr(rpcMessage) ping = rpcKeepAliveNewMessage(RPC_KEEPALIVE_PROC_PING);
    g_autoptr(rpcMessage) reply = NULL;
    bool eof;

    g_assert_nonnull(ping);
    rawWrite(fd, ping->buffer, ping->bufferLength);
    reply = rawRead(fd, 2000, &eof);
    g_assert_nonnull(reply);
    g_assert_cmpuint(reply->bufferLength, ==, sizeof(pong));
    g_assert_cmpmem(reply->buffer, reply->bufferLength, pong, sizeof(pong));
}

static void
testKeepAliveTimeout(void)
{
    MV_AUTOCLOSE int fd = rawConnect();
    g_autoptr(rpcMessage) call = rawNewMessage(TEST_PROG, TEST_PROC_KEEPALIVE, RPC_CALL,
                                               RPC_OK, 3);
    g_autoptr(rpcMessage) reply = NULL;
    g_autoptr(rpcMessage) ping = NULL;
    gint64 start;
    bool eof;

    g_assert_cmpint(rpcMessageEncodePayloadEmpty(call), ==, 0);
    rawWrite(fd, call->buffer, call->bufferLength);
    reply = rawRead(fd, 2000, &eof);
    g_assert_nonnull(reply);
    g_assert_cmpint(reply->header.status, ==, RPC_OK);
    start = g_get_monotonic_time();

    /* interval 1 s, count 1: a PING after a silent second ... */
    ping = rawRead(fd, 2500, &eof);
    g_assert_nonnull(ping);
    g_assert_cmpuint(ping->header.prog, ==, RPC_KEEPALIVE_PROG_NUMBER);
    g_assert_cmpint(ping->header.proc, ==, RPC_KEEPALIVE_PROC_PING);
    g_assert_cmpint(ping->header.type, ==, RPC_MESSAGE);
    g_assert_cmpint(g_get_monotonic_time() - start, >=, 800 * 1000);
    /* ... and, unanswered, a close one interval later. */
    rawExpectClosed(fd, 3000);
    g_assert_cmpint(g_get_monotonic_time() - start, >=, 1800 * 1000);
}

typedef struct {
    rpcClient *client;
    int proc;
    int rc;
    gint64 elapsed;
} testTimedCall;

static gpointer
testTimedThread(gpointer opaque)
{
    testTimedCall *c = opaque;
    gint64 start = g_get_monotonic_time();

    c->rc = testCallInt(c->client, TEST_PROG, c->proc, 1, NULL);
    c->elapsed = g_get_monotonic_time() - start;
    return NULL;
}

static void
testPriorityPool(void)
{
    /* max_workers is 4: four slow calls on four clients fill the pool. */
    testTimedCall slow[4];
    testTimedCall prio = { 0 };
    testTimedCall normal = { 0 };
    GThread *threads[4];
    GThread *nt;
    size_t i;

    for (i = 0; i < 4; i++) {
        slow[i] = (testTimedCall){ testConnect(T.rwPath), TEST_PROC_SLOW, -1, 0 };
        threads[i] = g_thread_new("slow", testTimedThread, &slow[i]);
    }
    WAIT_FOR(g_atomic_int_get(&T.slowRunning) == 4, 2000);
    g_assert_cmpint(g_atomic_int_get(&T.slowRunning), ==, 4);

    normal = (testTimedCall){ testConnect(T.rwPath), TEST_PROC_ECHO, -1, 0 };
    nt = g_thread_new("normal", testTimedThread, &normal);
    prio = (testTimedCall){ testConnect(T.rwPath), TEST_PROC_PRIO, -1, 0 };
    testTimedThread(&prio);
    g_assert_cmpint(prio.rc, ==, 0);
    g_assert_cmpint(prio.elapsed, <, 250 * 1000);
    g_assert_cmpint(g_atomic_int_get(&T.slowRunning), >, 0);

    g_thread_join(nt);
    g_assert_cmpint(normal.rc, ==, 0);
    /* The normal call had to wait for a worker. */
    g_assert_cmpint(normal.elapsed, >=, 200 * 1000);
    for (i = 0; i < 4; i++) {
        g_thread_join(threads[i]);
        g_assert_cmpint(slow[i].rc, ==, 0);
        rpcClientFree(slow[i].client);
    }
    rpcClientFree(normal.client);
    rpcClientFree(prio.client);
}

static void
testMaxClientRequests(void)
{
    /* One client, six concurrent slow calls, max_client_requests 2. */
    g_autoptr(rpcClient) client = testConnect(T.rwPath);
    testTimedCall calls[6];
    GThread *threads[6];
    size_t i;

    g_atomic_int_set(&T.slowMaxRunning, 0);
    for (i = 0; i < 6; i++) {
        calls[i] = (testTimedCall){ client, TEST_PROC_SLOW, -1, 0 };
        threads[i] = g_thread_new("req", testTimedThread, &calls[i]);
    }
    for (i = 0; i < 6; i++) {
        g_thread_join(threads[i]);
        g_assert_cmpint(calls[i].rc, ==, 0);
    }
    g_assert_cmpint(g_atomic_int_get(&T.slowMaxRunning), ==, 2);
}

typedef struct {
    GMutex lock;
    GCond cond;
    int value;
    int proc;
    unsigned int serial;
    int type;
    bool got;
} testEventData;

static void
testEventHook(rpcClient *client, rpcMessage *msg, void *opaque)
{
    testEventData *d = opaque;
    int value = 0;

    g_assert_cmpint(rpcMessageDecodePayload(msg, XI, &value), ==, 0);
    g_mutex_lock(&d->lock);
    d->value = value;
    d->proc = msg->header.proc;
    d->serial = msg->header.serial;
    d->type = msg->header.type;
    d->got = true;
    g_cond_signal(&d->cond);
    g_mutex_unlock(&d->lock);
}

static void
testEvents(void)
{
    g_autoptr(rpcClient) client = testConnect(T.rwPath);
    testEventData d = { 0 };
    gint64 end = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;

    g_mutex_init(&d.lock);
    g_cond_init(&d.cond);
    rpcClientSetEventHandler(client, testEventHook, &d);
    g_assert_cmpint(testCallInt(client, TEST_PROG, TEST_PROC_SEND_EVENT, 31337, NULL), ==, 0);
    g_mutex_lock(&d.lock);
    while (!d.got && g_cond_wait_until(&d.cond, &d.lock, end))
        ;
    g_mutex_unlock(&d.lock);
    g_assert_true(d.got);
    g_assert_cmpint(d.value, ==, 31337);
    g_assert_cmpint(d.proc, ==, TEST_PROC_EVENT);
    g_assert_cmpint(d.type, ==, RPC_MESSAGE);
    g_assert_cmpuint(d.serial, ==, 1);
    rpcClientSetEventHandler(client, NULL, NULL);
    g_mutex_clear(&d.lock);
    g_cond_clear(&d.cond);
}

static void
testFdPassing(void)
{
    g_autoptr(rpcClient) client = testConnect(T.rwPath);
    int mine[2];
    int arg = 4711;
    int ret = 0;
    g_autofree int *outfds = NULL;
    size_t noutfds = 0;
    char buf[16] = { 0 };

    g_assert_cmpint(pipe2(mine, O_CLOEXEC), ==, 0);
    g_assert_cmpint(rpcClientCallWithFDs(client, TEST_PROG, TEST_VERS, TEST_PROC_FDS,
                                         &mine[1], 1, &outfds, &noutfds,
                                         XI, &arg, XI, &ret), ==, 0);
    close(mine[1]);
    g_assert_cmpint(ret, ==, 1);
    g_assert_cmpuint(noutfds, ==, 1);
    g_assert_cmpint(read(mine[0], buf, sizeof(buf) - 1), ==, 4);
    g_assert_cmpstr(buf, ==, "4711");
    memset(buf, 0, sizeof(buf));
    g_assert_cmpint(read(outfds[0], buf, sizeof(buf) - 1), ==, 4);
    g_assert_cmpstr(buf, ==, "pong");
    g_assert_cmpint(fcntl(outfds[0], F_GETFD) & FD_CLOEXEC, ==, FD_CLOEXEC);
    close(outfds[0]);
    close(mine[0]);

    /* Without an fd the handler refuses, with its own message. */
    g_assert_cmpint(testCallInt(client, TEST_PROG, TEST_PROC_FDS, 1, NULL), ==, -1);
    assertError(VIR_ERR_INVALID_ARG, VIR_FROM_RPC, "invalid argument: expected one fd, got 0");
}

static void
testSlowReader(void)
{
    MV_AUTOCLOSE int fd = rawConnect();
    struct pollfd pfd = { .fd = fd, .events = POLLRDHUP };
    gint64 end = g_get_monotonic_time() + 3 * G_USEC_PER_SEC;

    /* The peer never reads: its queue passes the bound and it is dropped,
     * while everyone else is served. */
    g_atomic_int_set(&T.floodSent, 0);
    rawSendCall(fd, TEST_PROC_FLOOD, RPC_OK, 0, 1);
    assertServerServes();
    while (g_get_monotonic_time() < end) {
        if (poll(&pfd, 1, 50) > 0 && (pfd.revents & POLLHUP))
            break;
    }
    g_assert_true(pfd.revents & POLLHUP);
    g_assert_cmpint(g_atomic_int_get(&T.floodSent), >=,
                    RPC_SERVER_CLIENT_TX_MAX / FLOOD_CHUNK - 1);
    g_assert_cmpint(g_atomic_int_get(&T.floodSent), <, FLOOD_COUNT);
    assertServerServes();
}

static void
testMaxClients(void)
{
    rpcServerConfig cfg;
    g_autoptr(rpcServer) srv = NULL;
    g_autofree char *path = g_build_filename(T.dir, "small-sock", NULL);
    rpcClient *clients[2];
    int lfd;
    size_t i;

    rpcServerConfigInit(&cfg);
    cfg.max_clients = 2;
    cfg.max_workers = 1;
    cfg.prio_workers = 0;
    srv = rpcServerNew("small", &cfg);
    g_assert_cmpint(rpcServerAddProgram(srv, &testProgram), ==, 0);
    lfd = rpcSocketListenUnix(path, 0600, (uid_t)-1, (gid_t)-1);
    g_assert_cmpint(lfd, >=, 0);
    g_assert_cmpint(rpcServerAddListener(srv, lfd, 0, "small"), ==, 0);
    g_assert_cmpint(rpcServerStart(srv, T.ctx), ==, 0);

    for (i = 0; i < 2; i++) {
        clients[i] = testConnect(path);
        g_assert_cmpint(testCallInt(clients[i], TEST_PROG, TEST_PROC_ECHO, 1, NULL), ==, 0);
    }
    {
        /* Accepted and closed at once: the client sees EOF. */
        g_autoptr(rpcClient) third = testConnect(path);

        WAIT_FOR(!rpcClientIsOpen(third), 2000);
        g_assert_false(rpcClientIsOpen(third));
        g_assert_cmpint(testCallInt(third, TEST_PROG, TEST_PROC_ECHO, 1, NULL), ==, -1);
        assertError(VIR_ERR_RPC, VIR_FROM_RPC, "client socket is closed");
    }
    g_assert_cmpuint(rpcServerNClients(srv), ==, 2);
    for (i = 0; i < 2; i++)
        rpcClientFree(clients[i]);
    rpcServerShutdown(srv, g_get_monotonic_time() + G_USEC_PER_SEC);
    g_assert_cmpuint(rpcServerNClients(srv), ==, 0);
}

/* --- main ----------------------------------------------------------------- */

static gpointer
testLoopThread(gpointer opaque)
{
    g_main_context_push_thread_default(T.ctx);
    g_main_loop_run(T.loop);
    g_main_context_pop_thread_default(T.ctx);
    return NULL;
}

static void
testServerSetUp(void)
{
    rpcServerConfig cfg;
    int fd;

    T.dir = g_dir_make_tmp("mv-rpc-XXXXXX", NULL);
    g_assert_nonnull(T.dir);
    T.rwPath = g_build_filename(T.dir, "sock", NULL);
    T.roPath = g_build_filename(T.dir, "sock-ro", NULL);

    rpcServerConfigInit(&cfg);
    cfg.max_workers = 4;
    cfg.prio_workers = 1;
    cfg.max_clients = 300;
    cfg.max_client_requests = 2;
    cfg.keepalive_interval = 1;
    cfg.keepalive_count = 1;
    T.srv = rpcServerNew("test", &cfg);
    g_assert_cmpint(rpcServerAddProgram(T.srv, &testProgram), ==, 0);
    rpcServerSetClientHooks(T.srv, testPrivNew, testPrivFree, NULL);

    fd = rpcSocketListenUnix(T.rwPath, 0600, (uid_t)-1, (gid_t)-1);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(rpcServerAddListener(T.srv, fd, 0, "rw"), ==, 0);
    fd = rpcSocketListenUnix(T.roPath, 0666, (uid_t)-1, (gid_t)-1);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(rpcServerAddListener(T.srv, fd, RPC_LISTENER_READONLY, "ro"), ==, 0);

    T.ctx = g_main_context_new();
    T.loop = g_main_loop_new(T.ctx, FALSE);
    g_assert_cmpint(rpcServerStart(T.srv, T.ctx), ==, 0);
    T.thread = g_thread_new("loop", testLoopThread, NULL);
}

static void
testServerTearDown(void)
{
    rpcServerShutdown(T.srv, g_get_monotonic_time() + 2 * G_USEC_PER_SEC);
    g_assert_cmpuint(rpcServerNClients(T.srv), ==, 0);
    g_main_loop_quit(T.loop);
    g_thread_join(T.thread);
    rpcServerFree(T.srv);
    g_main_loop_unref(T.loop);
    g_main_context_unref(T.ctx);
    unlink(T.rwPath);
    unlink(T.roPath);
    rmdir(T.dir);
    g_free(T.rwPath);
    g_free(T.roPath);
    g_free(T.dir);
}

int
main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    testServerSetUp();

    g_test_add_func("/rpc/server/call-reply", testCallReply);
    g_test_add_func("/rpc/server/errors", testErrors);
    g_test_add_func("/rpc/server/raw-protocol-errors", testRawProtocolErrors);
    g_test_add_func("/rpc/server/too-large", testTooLarge);
    g_test_add_func("/rpc/server/truncated-garbage", testTruncatedAndGarbage);
    g_test_add_func("/rpc/server/disconnect-mid-call", testDisconnectMidCall);
    g_test_add_func("/rpc/server/many-clients", testManyClients);
    g_test_add_func("/rpc/server/keepalive-pong", testKeepAlivePong);
    g_test_add_func("/rpc/server/keepalive-timeout", testKeepAliveTimeout);
    g_test_add_func("/rpc/server/priority-pool", testPriorityPool);
    g_test_add_func("/rpc/server/max-client-requests", testMaxClientRequests);
    g_test_add_func("/rpc/server/events", testEvents);
    g_test_add_func("/rpc/server/fd-passing", testFdPassing);
    g_test_add_func("/rpc/server/slow-reader", testSlowReader);
    g_test_add_func("/rpc/server/max-clients", testMaxClients);

    ret = g_test_run();
    testServerTearDown();
    return ret;
}
