/*
 * test_client: rpcClient against a scripted peer.
 *
 * The client gets one end of a socketpair; the test thread plays the server
 * on the other end byte by byte, so every reply can be wrong on purpose
 * (bad serial, oversized length, too many fds, silence, EOF).  Calls run on
 * helper threads because they block.
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
#include <libvirt/libvirt.h>

#include "mv_error.h"
#include "mv_fd.h"
#include "rpc_client.h"
#include "rpc_keepalive.h"
#include "rpc_socket.h"

#define MV_FROM_THIS VIR_FROM_RPC

#define XI ((xdrproc_t)xdr_int)
#define PROG 0x11223344

typedef struct {
    rpcClient *client;
    int peer;                 /* the test's end */
    GMutex lock;
    int closeReason;
    int closeCount;
} testConn;

typedef struct {
    testConn *conn;
    int proc;
    int in;
    int out;
    int rc;
    int errcode;
    int errdomain;
    char *errmsg;
} testCall;

static void
testCloseHook(rpcClient *client, int reason, void *opaque)
{
    testConn *c = opaque;

    g_mutex_lock(&c->lock);
    c->closeReason = reason;
    c->closeCount++;
    g_mutex_unlock(&c->lock);
}

static void
testConnOpen(testConn *c)
{
    int sv[2];

    memset(c, 0, sizeof(*c));
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    g_mutex_init(&c->lock);
    c->closeReason = -1;
    c->peer = sv[1];
    c->client = rpcClientNewFD(sv[0]);
    g_assert_nonnull(c->client);
    rpcClientSetCloseHandler(c->client, testCloseHook, c);
}

/* Frees the client and checks the close hook ran exactly once. */
static void
testConnClose(testConn *c)
{
    rpcClientFree(c->client);
    g_assert_cmpint(c->closeCount, ==, 1);
    mvFDClear(&c->peer);
    g_mutex_clear(&c->lock);
}

static int
testConnCloseCount(testConn *c, int *reason)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&c->lock);

    if (reason)
        *reason = c->closeReason;
    return c->closeCount;
}

static gpointer
testCallThread(gpointer opaque)
{
    testCall *call = opaque;

    call->rc = rpcClientCall(call->conn->client, PROG, 1, call->proc, XI, &call->in, XI,
                             &call->out);
    if (call->rc < 0) {
        virErrorPtr err = mvErrorGetLast();

        g_assert_nonnull(err);
        call->errcode = err->code;
        call->errdomain = err->domain;
        call->errmsg = g_strdup(err->message);
    }
    return NULL;
}

/* Reads one message from the peer end within 2 s. */
static rpcMessage *
peerRead(int fd, int ms)
{
    rpcSocketReader rd = { 0 };
    gint64 end = g_get_monotonic_time() + ms * 1000;
    bool eof;

    g_assert_cmpint(rpcSocketSetBlocking(fd, false), ==, 0);
    rpcSocketReaderReset(&rd);
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        gint64 left = (end - g_get_monotonic_time()) / 1000;
        int rc = rpcSocketReaderRead(fd, &rd, &eof);

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

static void
peerWrite(int fd, rpcMessage *msg)
{
    msg->bufferOffset = 0;
    msg->donefds = 0;
    g_assert_cmpint(rpcSocketSetBlocking(fd, true), ==, 0);
    g_assert_cmpint(rpcSocketWriteMessage(fd, msg), ==, 1);
}

static rpcMessage *
peerReply(const rpcMessage *call, int type, int status)
{
    rpcMessage *msg = rpcMessageNew();

    msg->header = call->header;
    msg->header.type = type;
    msg->header.status = status;
    g_assert_cmpint(rpcMessageEncodeHeader(msg), ==, 0);
    return msg;
}

static void
peerReplyInt(int fd, const rpcMessage *call, int value)
{
    g_autoptr(rpcMessage) reply = peerReply(call, RPC_REPLY, RPC_OK);

    g_assert_cmpint(rpcMessageEncodePayload(reply, XI, &value), ==, 0);
    peerWrite(fd, reply);
}

/* Waits up to @ms for @cond to hold. */
#define WAIT_FOR(cond, ms) \
    do { \
        gint64 _end = g_get_monotonic_time() + (ms) * 1000; \
        while (!(cond) && g_get_monotonic_time() < _end) \
            g_usleep(5000); \
    } while (0)

static GThread *
startCall(testCall *call, testConn *c, int proc, int in)
{
    memset(call, 0, sizeof(*call));
    call->conn = c;
    call->proc = proc;
    call->in = in;
    call->rc = 1;
    return g_thread_new("call", testCallThread, call);
}

static void
assertClosedCallFails(testConn *c)
{
    testCall a = { .conn = c, .proc = 3, .in = 1 };
    gint64 start = g_get_monotonic_time();

    testCallThread(&a);
    g_assert_cmpint(a.rc, ==, -1);
    g_assert_cmpint(a.errcode, ==, VIR_ERR_RPC);
    g_assert_cmpstr(a.errmsg, ==, "client socket is closed");
    g_assert_cmpint(g_get_monotonic_time() - start, <, 100 * 1000);
    mvErrorReset();
    g_free(a.errmsg);
}

/* --- tests ---------------------------------------------------------------- */

static void
testSerialsAndReplies(void)
{
    testConn c;
    testCall a;
    testCall b;
    GThread *ta;
    GThread *tb;
    g_autoptr(rpcMessage) ca = NULL;
    g_autoptr(rpcMessage) cb = NULL;
    int in = 0;

    testConnOpen(&c);
    ta = startCall(&a, &c, 5, 100);
    ca = peerRead(c.peer, 2000);
    g_assert_nonnull(ca);
    tb = startCall(&b, &c, 6, 200);
    cb = peerRead(c.peer, 2000);
    g_assert_nonnull(cb);

    /* Serials count from 0 per connection. */
    g_assert_cmpuint(ca->header.serial, ==, 0);
    g_assert_cmpuint(cb->header.serial, ==, 1);
    g_assert_cmpint(ca->header.type, ==, RPC_CALL);
    g_assert_cmpint(ca->header.status, ==, RPC_OK);
    g_assert_cmpuint(ca->header.prog, ==, PROG);
    g_assert_cmpint(ca->header.proc, ==, 5);
    g_assert_cmpint(rpcMessageDecodePayload(cb, XI, &in), ==, 0);
    g_assert_cmpint(in, ==, 200);

    /* Replies out of order reach the right caller. */
    peerReplyInt(c.peer, cb, 2);
    g_thread_join(tb);
    g_assert_cmpint(b.rc, ==, 0);
    g_assert_cmpint(b.out, ==, 2);
    peerReplyInt(c.peer, ca, 1);
    g_thread_join(ta);
    g_assert_cmpint(a.rc, ==, 0);
    g_assert_cmpint(a.out, ==, 1);
    g_assert_true(rpcClientIsOpen(c.client));
    g_assert_cmpint(testConnCloseCount(&c, NULL), ==, 0);
    testConnClose(&c);
}

static void
testRemoteError(void)
{
    testConn c;
    testCall a;
    GThread *t;
    g_autoptr(rpcMessage) call = NULL;
    g_autoptr(rpcMessage) reply = NULL;
    rpc_message_error rerr;
    char *msgtext = g_strdup("Secret not found: no secret with matching uuid 'x'");
    char *str1 = g_strdup("Secret not found: %s");
    char *str2 = g_strdup("no secret with matching uuid 'x'");

    testConnOpen(&c);
    t = startCall(&a, &c, 9, 1);
    call = peerRead(c.peer, 2000);
    g_assert_nonnull(call);
    memset(&rerr, 0, sizeof(rerr));
    rerr.code = VIR_ERR_NO_SECRET;
    rerr.domain = VIR_FROM_SECRET;
    rerr.message = &msgtext;
    rerr.level = VIR_ERR_ERROR;
    rerr.str1 = &str1;
    rerr.str2 = &str2;
    rerr.int1 = -1;
    rerr.int2 = -1;
    reply = peerReply(call, RPC_REPLY, RPC_ERROR);
    g_assert_cmpint(rpcMessageEncodePayload(reply, (xdrproc_t)xdr_rpc_message_error, &rerr),
                    ==, 0);
    peerWrite(c.peer, reply);
    g_thread_join(t);
    g_assert_cmpint(a.rc, ==, -1);
    g_assert_cmpint(a.errcode, ==, VIR_ERR_NO_SECRET);
    g_assert_cmpint(a.errdomain, ==, VIR_FROM_SECRET);
    g_assert_cmpstr(a.errmsg, ==, "Secret not found: no secret with matching uuid 'x'");
    /* The error went to the calling thread only. */
    g_assert_false(mvErrorIsSet());
    g_assert_true(rpcClientIsOpen(c.client));
    g_free(a.errmsg);
    g_free(msgtext);
    g_free(str1);
    g_free(str2);
    testConnClose(&c);
}

/* Replies the peer must not send: each kills the connection. */
static void
runBadReply(int variant, const char *expect, int expectReason)
{
    testConn c;
    testCall a;
    GThread *t;
    g_autoptr(rpcMessage) call = NULL;
    int reason = -1;

    testConnOpen(&c);
    t = startCall(&a, &c, 3, 1);
    call = peerRead(c.peer, 2000);
    g_assert_nonnull(call);

    switch (variant) {
    case 0: { /* wrong serial */
        g_autoptr(rpcMessage) r = peerReply(call, RPC_REPLY, RPC_OK);
        int v = 0;

        r->header.serial = call->header.serial + 5;
        g_assert_cmpint(rpcMessageEncodeHeader(r), ==, 0);
        g_assert_cmpint(rpcMessageEncodePayload(r, XI, &v), ==, 0);
        peerWrite(c.peer, r);
        break;
    }
    case 1: { /* right serial, wrong proc */
        g_autoptr(rpcMessage) r = peerReply(call, RPC_REPLY, RPC_OK);
        int v = 0;

        r->header.proc = 4;
        g_assert_cmpint(rpcMessageEncodeHeader(r), ==, 0);
        g_assert_cmpint(rpcMessageEncodePayload(r, XI, &v), ==, 0);
        peerWrite(c.peer, r);
        break;
    }
    case 2: { /* length over the limit */
        const unsigned char len[4] = { 0x02, 0x00, 0x00, 0x05 };

        g_assert_cmpint(write(c.peer, len, 4), ==, 4);
        break;
    }
    case 3: { /* REPLY_WITH_FDS claiming 33 fds */
        g_autoptr(rpcMessage) r = peerReply(call, RPC_REPLY_WITH_FDS, RPC_OK);
        u_int n = 33;

        /* The count written by hand: the encoder refuses it. */
        g_assert_cmpint(rpcMessageEncodePayload(r, (xdrproc_t)xdr_u_int, &n), ==, 0);
        peerWrite(c.peer, r);
        break;
    }
    case 4: /* EOF */
        shutdown(c.peer, SHUT_RDWR);
        break;
    }

    g_thread_join(t);
    g_assert_cmpint(a.rc, ==, -1);
    g_assert_cmpint(a.errcode, ==, VIR_ERR_RPC);
    g_assert_cmpint(a.errdomain, ==, VIR_FROM_RPC);
    g_assert_true(g_str_has_prefix(a.errmsg, expect));
    g_free(a.errmsg);
    g_assert_false(rpcClientIsOpen(c.client));
    WAIT_FOR(testConnCloseCount(&c, NULL) == 1, 2000);
    g_assert_cmpint(testConnCloseCount(&c, &reason), ==, 1);
    g_assert_cmpint(reason, ==, expectReason);

    /* Later calls fail at once. */
    assertClosedCallFails(&c);
    testConnClose(&c);
}

static void
testBadSerial(void)
{
    runBadReply(0, "Unexpected message serial/proc 5/3", VIR_CONNECT_CLOSE_REASON_ERROR);
}

static void
testBadProc(void)
{
    runBadReply(1, "Unexpected message serial/proc 0/4", VIR_CONNECT_CLOSE_REASON_ERROR);
}

static void
testTooLarge(void)
{
    runBadReply(2, "message length 33554437 is too large", VIR_CONNECT_CLOSE_REASON_ERROR);
}

static void
testTooManyFds(void)
{
    runBadReply(3, "too many fds in one message", VIR_CONNECT_CLOSE_REASON_ERROR);
}

static void
testEOF(void)
{
    runBadReply(4, "End of file while reading data: Input/output error",
                VIR_CONNECT_CLOSE_REASON_EOF);
}

static void
testCloseWhileWaiting(void)
{
    testConn c;
    testCall a;
    GThread *t;
    g_autoptr(rpcMessage) call = NULL;
    int reason = -1;

    testConnOpen(&c);
    t = startCall(&a, &c, 3, 1);
    call = peerRead(c.peer, 2000);
    g_assert_nonnull(call);
    rpcClientClose(c.client);
    g_thread_join(t);
    g_assert_cmpint(a.rc, ==, -1);
    g_assert_cmpint(a.errcode, ==, VIR_ERR_RPC);
    g_assert_cmpstr(a.errmsg, ==, "client socket is closed");
    g_free(a.errmsg);
    g_assert_cmpint(testConnCloseCount(&c, &reason), ==, 1);
    g_assert_cmpint(reason, ==, VIR_CONNECT_CLOSE_REASON_CLIENT);
    /* A second close is a no-op. */
    rpcClientClose(c.client);
    assertClosedCallFails(&c);
    testConnClose(&c);
}

static void
testAnswersPing(void)
{
    testConn c;
    g_autoptr(rpcMessage) ping = rpcKeepAliveNewMessage(RPC_KEEPALIVE_PROC_PING);
    g_autoptr(rpcMessage) pong = NULL;

    testConnOpen(&c);
    peerWrite(c.peer, ping);
    pong = peerRead(c.peer, 2000);
    g_assert_nonnull(pong);
    g_assert_cmpuint(pong->header.prog, ==, RPC_KEEPALIVE_PROG_NUMBER);
    g_assert_cmpuint(pong->header.vers, ==, RPC_KEEPALIVE_PROG_VERSION);
    g_assert_cmpint(pong->header.proc, ==, RPC_KEEPALIVE_PROC_PONG);
    g_assert_cmpint(pong->header.type, ==, RPC_MESSAGE);
    g_assert_cmpint(pong->header.status, ==, RPC_OK);
    g_assert_cmpuint(pong->header.serial, ==, 0);
    g_assert_cmpuint(pong->bufferLength, ==, 28);
    g_assert_true(rpcClientIsOpen(c.client));
    testConnClose(&c);
}

static void
testKeepAliveTimeout(void)
{
    testConn c;
    g_autoptr(rpcMessage) ping = NULL;
    gint64 start;
    int reason = -1;

    testConnOpen(&c);
    start = g_get_monotonic_time();
    g_assert_cmpint(rpcClientSetKeepAlive(c.client, 1, 1), ==, 0);
    /* A silent peer gets a PING after a second ... */
    ping = peerRead(c.peer, 2500);
    g_assert_nonnull(ping);
    g_assert_cmpint(ping->header.proc, ==, RPC_KEEPALIVE_PROC_PING);
    g_assert_cmpint(g_get_monotonic_time() - start, >=, 900 * 1000);
    /* ... and the connection is dropped a second later. */
    WAIT_FOR(!rpcClientIsOpen(c.client), 2500);
    g_assert_false(rpcClientIsOpen(c.client));
    g_assert_cmpint(g_get_monotonic_time() - start, >=, 1900 * 1000);
    WAIT_FOR(testConnCloseCount(&c, NULL) == 1, 1000);
    g_assert_cmpint(testConnCloseCount(&c, &reason), ==, 1);
    g_assert_cmpint(reason, ==, VIR_CONNECT_CLOSE_REASON_KEEPALIVE);
    testConnClose(&c);
}

static void
testKeepAliveAnswered(void)
{
    testConn c;
    int i;

    testConnOpen(&c);
    g_assert_cmpint(rpcClientSetKeepAlive(c.client, 1, 1), ==, 0);
    /* Answering each PING with a PONG keeps the connection up. */
    for (i = 0; i < 2; i++) {
        g_autoptr(rpcMessage) ping = peerRead(c.peer, 2500);
        g_autoptr(rpcMessage) pong = rpcKeepAliveNewMessage(RPC_KEEPALIVE_PROC_PONG);

        g_assert_nonnull(ping);
        g_assert_cmpint(ping->header.proc, ==, RPC_KEEPALIVE_PROC_PING);
        peerWrite(c.peer, pong);
    }
    g_assert_true(rpcClientIsOpen(c.client));
    testConnClose(&c);
}

typedef struct {
    GMutex lock;
    int proc;
    int value;
    int count;
} testEventData;

static void
testEventHook(rpcClient *client, rpcMessage *msg, void *opaque)
{
    testEventData *d = opaque;
    int v = 0;

    g_assert_cmpint(rpcMessageDecodePayload(msg, XI, &v), ==, 0);
    g_mutex_lock(&d->lock);
    d->proc = msg->header.proc;
    d->value = v;
    d->count++;
    g_mutex_unlock(&d->lock);
}

static int
testEventCount(testEventData *d)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&d->lock);

    return d->count;
}

static void
testEvents(void)
{
    testConn c;
    testEventData d = { 0 };
    g_autoptr(rpcMessage) ev = rpcMessageNew();
    int v = 99;

    g_mutex_init(&d.lock);
    testConnOpen(&c);
    rpcClientSetEventHandler(c.client, testEventHook, &d);
    ev->header.prog = PROG;
    ev->header.vers = 1;
    ev->header.proc = 318;
    ev->header.type = RPC_MESSAGE;
    ev->header.serial = 1;
    ev->header.status = RPC_OK;
    g_assert_cmpint(rpcMessageEncodeHeader(ev), ==, 0);
    g_assert_cmpint(rpcMessageEncodePayload(ev, XI, &v), ==, 0);
    peerWrite(c.peer, ev);
    WAIT_FOR(testEventCount(&d) == 1, 2000);
    g_assert_cmpint(testEventCount(&d), ==, 1);
    g_assert_cmpint(d.proc, ==, 318);
    g_assert_cmpint(d.value, ==, 99);
    g_assert_true(rpcClientIsOpen(c.client));
    testConnClose(&c);
    g_mutex_clear(&d.lock);
}

typedef struct {
    testConn *conn;
    int infd;
    int rc;
    int out;
    int *outfds;
    size_t noutfds;
} testFdCall;

static gpointer
testFdCallThread(gpointer opaque)
{
    testFdCall *f = opaque;
    int in = 5;

    f->rc = rpcClientCallWithFDs(f->conn->client, PROG, 1, 7, &f->infd, 1, &f->outfds,
                                 &f->noutfds, XI, &in, XI, &f->out);
    return NULL;
}

static void
testFdPassing(void)
{
    testConn c;
    testFdCall f = { 0 };
    int p[2];
    int q[2];
    GThread *t;
    g_autoptr(rpcMessage) call = NULL;
    g_autoptr(rpcMessage) reply = NULL;
    char buf[8] = { 0 };
    int nfds = 2;
    int value = 11;

    testConnOpen(&c);
    g_assert_cmpint(pipe2(p, O_CLOEXEC), ==, 0);
    g_assert_cmpint(pipe2(q, O_CLOEXEC), ==, 0);
    f.conn = &c;
    f.infd = p[1];
    t = g_thread_new("fdcall", testFdCallThread, &f);

    call = peerRead(c.peer, 2000);
    g_assert_nonnull(call);
    g_assert_cmpint(call->header.type, ==, RPC_CALL_WITH_FDS);
    g_assert_cmpuint(call->nfds, ==, 1);
    /* The fd arrived: writing into it reaches our pipe. */
    g_assert_cmpint(write(call->fds[0], "hi", 2), ==, 2);
    g_assert_cmpint(read(p[0], buf, sizeof(buf)), ==, 2);
    g_assert_cmpstr(buf, ==, "hi");

    /* Reply with two fds: q[0] twice. */
    reply = peerReply(call, RPC_REPLY_WITH_FDS, RPC_OK);
    reply->nfds = nfds;
    reply->fds = g_new(int, 2);
    reply->fds[0] = dup(q[0]);
    reply->fds[1] = dup(q[0]);
    g_assert_cmpint(rpcMessageEncodeNumFDs(reply), ==, 0);
    g_assert_cmpint(rpcMessageEncodePayload(reply, XI, &value), ==, 0);
    peerWrite(c.peer, reply);
    g_thread_join(t);
    g_assert_cmpint(f.rc, ==, 0);
    g_assert_cmpint(f.out, ==, 11);
    g_assert_cmpuint(f.noutfds, ==, 2);
    g_assert_cmpint(write(q[1], "ok", 2), ==, 2);
    memset(buf, 0, sizeof(buf));
    g_assert_cmpint(read(f.outfds[1], buf, sizeof(buf)), ==, 2);
    g_assert_cmpstr(buf, ==, "ok");
    close(f.outfds[0]);
    close(f.outfds[1]);
    g_free(f.outfds);
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
    testConnClose(&c);
}

static void
testConnectFailure(void)
{
    g_autofree char *dir = g_dir_make_tmp("mv-rpcc-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "nosock", NULL);
    g_autofree char *expect = g_strdup_printf("Failed to connect socket to '%s': %s", path,
                                              g_strerror(ENOENT));

    g_assert_null(rpcClientNewUnix(path));
    g_assert_nonnull(mvErrorGetLast());
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpstr(mvErrorGetLast()->message, ==, expect);
    mvErrorReset();
    rmdir(dir);
}

static void
testAbstractSocket(void)
{
    g_autofree char *name = g_strdup_printf("@mv-rpc-test-%d", (int)getpid());
    MV_AUTOCLOSE int lfd = rpcSocketListenUnix(name, 0600, (uid_t)-1, (gid_t)-1);
    MV_AUTOCLOSE int cfd = -1;
    MV_AUTOCLOSE int afd = -1;
    uid_t uid;
    gid_t gid;
    pid_t pid;

    g_assert_cmpint(lfd, >=, 0);
    cfd = rpcSocketConnectUnix(name);
    g_assert_cmpint(cfd, >=, 0);
    afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    g_assert_cmpint(afd, >=, 0);
    g_assert_cmpint(rpcSocketGetPeerCred(afd, &uid, &gid, &pid), ==, 0);
    g_assert_cmpint(pid, ==, getpid());
    g_assert_cmpint(uid, ==, getuid());
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/rpc/client/serials-replies", testSerialsAndReplies);
    g_test_add_func("/rpc/client/remote-error", testRemoteError);
    g_test_add_func("/rpc/client/bad-serial", testBadSerial);
    g_test_add_func("/rpc/client/bad-proc", testBadProc);
    g_test_add_func("/rpc/client/too-large", testTooLarge);
    g_test_add_func("/rpc/client/too-many-fds", testTooManyFds);
    g_test_add_func("/rpc/client/eof", testEOF);
    g_test_add_func("/rpc/client/close-while-waiting", testCloseWhileWaiting);
    g_test_add_func("/rpc/client/answers-ping", testAnswersPing);
    g_test_add_func("/rpc/client/keepalive-timeout", testKeepAliveTimeout);
    g_test_add_func("/rpc/client/keepalive-answered", testKeepAliveAnswered);
    g_test_add_func("/rpc/client/events", testEvents);
    g_test_add_func("/rpc/client/fd-passing", testFdPassing);
    g_test_add_func("/rpc/client/connect-failure", testConnectFailure);
    g_test_add_func("/rpc/client/abstract-socket", testAbstractSocket);

    return g_test_run();
}
