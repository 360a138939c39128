/*
 * rpc_client: the client side of the RPC protocol (see rpc_client.h).
 *
 * Model.  The socket is non-blocking; one reader thread polls it together
 * with an eventfd (rung by Close and by keepalive changes), reads whole
 * messages and routes them: a REPLY to the call waiting on its serial (which
 * must also match the procedure, or the connection is dropped), a MESSAGE to
 * the event hook, a keepalive PING to an immediate PONG.  Callers encode
 * their CALL, register it under a fresh serial, write it under the write
 * lock (polling for POLLOUT when the socket is full) and sleep on their own
 * condition until the reader hands them the reply or the connection dies.
 * Remote errors are decoded and set on the caller's thread.
 *
 * The reader never blocks on the write lock: a PING or PONG it cannot send
 * at once is left as a flag for the thread that holds the lock.
 *
 * Locking: client->lock guards the call table, the closed state, the hooks
 * and the keepalive state; client->writeLock serialises writes to the
 * socket.  Take writeLock before lock when both are needed.  The fd stays
 * open until rpcClientFree has joined the reader, so it is never reused
 * under a running thread; closing the connection only shuts it down.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

#include "mv_error.h"
#include "mv_fd.h"
#include "mv_log.h"
#include "rpc_client.h"
#include "rpc_keepalive.h"
#include "rpc_socket.h"

#define MV_FROM_THIS VIR_FROM_RPC
MV_LOG_INIT("rpc.client");

/* A NULL filter means an empty body. */
#define RPC_CLIENT_XDR_VOID ((xdrproc_t)(void (*)(void))xdr_void)

typedef struct {
    unsigned int serial;
    int proc;
    GCond cond;
    bool done;
    rpcMessage *reply;        /* set by the reader */
    char *failure;            /* set when the connection died first */
} rpcClientPending;

struct _rpcClient {
    int fd;                   /* open until rpcClientFree */
    int wakefd;               /* eventfd waking the reader */
    GThread *reader;

    GMutex writeLock;

    GMutex lock;
    unsigned int nextSerial;
    GHashTable *calls;        /* serial -> rpcClientPending * (owned by its caller) */
    bool closed;
    char *closeWhy;           /* the error later calls report */
    rpcClientEventFunc eventFunc;
    void *eventOpaque;
    rpcClientCloseFunc closeFunc;
    void *closeOpaque;
    bool pendingPing;
    bool pendingPong;
    int kaInterval;           /* seconds; <= 0: off */
    unsigned int kaCount;
    unsigned int kaMissed;
    gint64 kaDeadline;        /* monotonic time of the next check */
};

static void
rpcClientWake(rpcClient *client)
{
    uint64_t one = 1;

    if (write(client->wakefd, &one, sizeof(one)) < 0 && errno != EAGAIN)
        MV_DEBUG("cannot wake the reader: %s", g_strerror(errno));
}

/* Marks the connection dead: every waiting call fails with @why, the socket
 * is shut down and the reader woken.  Then runs the close hook on this
 * thread.  Only the first call does anything. */
static void
rpcClientMarkClosed(rpcClient *client, int reason, const char *why)
{
    rpcClientCloseFunc func;
    void *opaque;
    GHashTableIter iter;
    gpointer value;

    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        return;
    }
    MV_DEBUG("client %p closed (reason %d): %s", client, reason, why);
    client->closed = true;
    client->closeWhy = g_strdup(why);
    g_hash_table_iter_init(&iter, client->calls);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        rpcClientPending *call = value;

        if (!call->done) {
            call->done = true;
            call->failure = g_strdup(why);
            g_cond_signal(&call->cond);
        }
    }
    func = client->closeFunc;
    opaque = client->closeOpaque;
    g_mutex_unlock(&client->lock);

    shutdown(client->fd, SHUT_RDWR);
    rpcClientWake(client);
    if (func)
        func(client, reason, opaque);
}

/* Closes because of the error set on this thread (cleared). */
static void
rpcClientMarkClosedByError(rpcClient *client, int reason)
{
    virErrorPtr err = mvErrorGetLast();
    g_autofree char *why = g_strdup(err && err->message ? err->message : "connection failed");

    mvErrorReset();
    rpcClientMarkClosed(client, reason, why);
}

/* Writes @msg completely; writeLock held.  Returns 0 or -1 (reported). */
static int
rpcClientWriteLocked(rpcClient *client, rpcMessage *msg)
{
    msg->bufferOffset = 0;
    msg->donefds = 0;
    for (;;) {
        struct pollfd pfd = { .fd = client->fd, .events = POLLOUT };
        int rc = rpcSocketWriteMessage(client->fd, msg);

        if (rc < 0)
            return -1;
        if (rc == 1)
            return 0;
        if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
            mvReportSystemError(errno, "Cannot wait for the socket");
            return -1;
        }
    }
}

/* Sends PINGs/PONGs the reader left for us; writeLock held. */
static int
rpcClientFlushKeepAliveLocked(rpcClient *client)
{
    for (;;) {
        g_autoptr(rpcMessage) msg = NULL;
        int proc = 0;

        g_mutex_lock(&client->lock);
        if (client->pendingPong) {
            client->pendingPong = false;
            proc = RPC_KEEPALIVE_PROC_PONG;
        } else if (client->pendingPing) {
            client->pendingPing = false;
            proc = RPC_KEEPALIVE_PROC_PING;
        }
        g_mutex_unlock(&client->lock);
        if (!proc)
            return 0;
        if (!(msg = rpcKeepAliveNewMessage(proc)))
            return -1;
        if (rpcClientWriteLocked(client, msg) < 0)
            return -1;
    }
}

/* From the reader: sends a PING or PONG now if nobody is writing, else
 * leaves it to the writer. */
static void
rpcClientSendKeepAlive(rpcClient *client, int proc)
{
    g_mutex_lock(&client->lock);
    if (proc == RPC_KEEPALIVE_PROC_PONG)
        client->pendingPong = true;
    else
        client->pendingPing = true;
    g_mutex_unlock(&client->lock);

    if (!g_mutex_trylock(&client->writeLock))
        return;
    if (rpcClientFlushKeepAliveLocked(client) < 0) {
        g_mutex_unlock(&client->writeLock);
        rpcClientMarkClosedByError(client, VIR_CONNECT_CLOSE_REASON_ERROR);
        return;
    }
    g_mutex_unlock(&client->writeLock);
}

/* --- reader thread -------------------------------------------------------- */

/* Routes one complete message (taken).  Returns 0, or -1 when the
 * connection must be dropped (error reported). */
static int
rpcClientHandleMessage(rpcClient *client, rpcMessage *msg)
{
    const rpc_message_header *hdr = &msg->header;
    rpcClientPending *call;

    g_mutex_lock(&client->lock);
    client->kaMissed = 0;
    if (client->kaInterval > 0)
        client->kaDeadline = g_get_monotonic_time() + client->kaInterval * G_USEC_PER_SEC;
    g_mutex_unlock(&client->lock);

    if (rpcKeepAliveIsMessage(msg)) {
        if (hdr->type == RPC_MESSAGE && hdr->proc == RPC_KEEPALIVE_PROC_PING)
            rpcClientSendKeepAlive(client, RPC_KEEPALIVE_PROC_PONG);
        rpcMessageFree(msg);
        return 0;
    }

    switch ((int)hdr->type) {
    case RPC_REPLY:
    case RPC_REPLY_WITH_FDS:
        g_mutex_lock(&client->lock);
        call = g_hash_table_lookup(client->calls, GUINT_TO_POINTER(hdr->serial));
        if (!call || call->done || call->proc != hdr->proc) {
            g_mutex_unlock(&client->lock);
            mvReportError(VIR_ERR_RPC, "Unexpected message serial/proc %u/%d",
                          hdr->serial, (int)hdr->proc);
            rpcMessageFree(msg);
            return -1;
        }
        call->reply = msg;
        call->done = true;
        g_cond_signal(&call->cond);
        g_mutex_unlock(&client->lock);
        return 0;

    case RPC_MESSAGE: {
        rpcClientEventFunc func;
        void *opaque;

        g_mutex_lock(&client->lock);
        func = client->eventFunc;
        opaque = client->eventOpaque;
        g_mutex_unlock(&client->lock);
        if (func)
            func(client, msg, opaque);
        else
            MV_DEBUG("event prog=%u proc=%d with no handler; dropped", hdr->prog,
                     (int)hdr->proc);
        rpcMessageFree(msg);
        return 0;
    }

    default:
        MV_DEBUG("unexpected %s message prog=%u proc=%d; dropped",
                 rpcMessageTypeName(hdr->type), hdr->prog, (int)hdr->proc);
        rpcMessageFree(msg);
        return 0;
    }
}

/* Keepalive bookkeeping on a poll timeout.  Returns false when the
 * connection was closed for it. */
static bool
rpcClientKeepAliveTick(rpcClient *client)
{
    gint64 now = g_get_monotonic_time();
    bool ping = false;
    bool dead = false;

    g_mutex_lock(&client->lock);
    if (client->kaInterval > 0 && now >= client->kaDeadline) {
        if (client->kaMissed >= client->kaCount) {
            dead = true;
        } else {
            client->kaMissed++;
            client->kaDeadline = now + client->kaInterval * G_USEC_PER_SEC;
            ping = true;
        }
    }
    g_mutex_unlock(&client->lock);

    if (dead) {
        rpcClientMarkClosed(client, VIR_CONNECT_CLOSE_REASON_KEEPALIVE,
                            "connection closed due to keepalive timeout");
        return false;
    }
    if (ping)
        rpcClientSendKeepAlive(client, RPC_KEEPALIVE_PROC_PING);
    return true;
}

static int
rpcClientPollTimeout(rpcClient *client)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&client->lock);
    gint64 left;

    if (client->kaInterval <= 0)
        return -1;
    left = client->kaDeadline - g_get_monotonic_time();
    if (left <= 0)
        return 0;
    return (int)MIN((left + 999) / 1000, G_MAXINT);
}

static gpointer
rpcClientReaderThread(gpointer opaque)
{
    rpcClient *client = opaque;
    rpcSocketReader rd = { 0 };

    for (;;) {
        struct pollfd pfd[2] = {
            { .fd = client->fd, .events = POLLIN },
            { .fd = client->wakefd, .events = POLLIN },
        };
        bool closed;
        int rc;

        g_mutex_lock(&client->lock);
        closed = client->closed;
        g_mutex_unlock(&client->lock);
        if (closed)
            break;

        rc = poll(pfd, 2, rpcClientPollTimeout(client));
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            mvReportSystemError(errno, "Cannot poll the client socket");
            rpcClientMarkClosedByError(client, VIR_CONNECT_CLOSE_REASON_ERROR);
            break;
        }
        if (pfd[1].revents) {
            uint64_t v;

            if (read(client->wakefd, &v, sizeof(v)) < 0 && errno != EAGAIN)
                MV_DEBUG("cannot drain the wakeup fd: %s", g_strerror(errno));
        }
        if (!rpcClientKeepAliveTick(client))
            break;
        if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;

        for (;;) {
            bool eof = false;

            if (!rd.msg)
                rpcSocketReaderReset(&rd);
            rc = rpcSocketReaderRead(client->fd, &rd, &eof);
            if (rc == 0)
                break;
            if (rc < 0) {
                rpcClientMarkClosedByError(client, eof ? VIR_CONNECT_CLOSE_REASON_EOF :
                                           VIR_CONNECT_CLOSE_REASON_ERROR);
                break;
            }
            rc = rpcClientHandleMessage(client, g_steal_pointer(&rd.msg));
            rpcSocketReaderClear(&rd);
            if (rc < 0) {
                rpcClientMarkClosedByError(client, VIR_CONNECT_CLOSE_REASON_ERROR);
                break;
            }
        }
    }
    rpcSocketReaderClear(&rd);
    mvErrorReset();
    return NULL;
}

/* --- public --------------------------------------------------------------- */

rpcClient *
rpcClientNewFD(int fd)
{
    rpcClient *client;
    g_autoptr(GError) gerr = NULL;
    int wakefd;

    if (rpcSocketSetBlocking(fd, false) < 0) {
        close(fd);
        return NULL;
    }
    if ((wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
        mvReportSystemError(errno, "Unable to create an eventfd");
        close(fd);
        return NULL;
    }
    client = g_new0(rpcClient, 1);
    client->fd = fd;
    client->wakefd = wakefd;
    g_mutex_init(&client->lock);
    g_mutex_init(&client->writeLock);
    client->calls = g_hash_table_new(g_direct_hash, g_direct_equal);
    client->reader = g_thread_try_new("rpc-client-reader", rpcClientReaderThread, client,
                                      &gerr);
    if (!client->reader) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "Unable to start the reader thread: %s",
                      gerr->message);
        client->closed = true;
        rpcClientFree(client);
        return NULL;
    }
    return client;
}

rpcClient *
rpcClientNewUnix(const char *path)
{
    int fd = rpcSocketConnectUnix(path);

    if (fd < 0)
        return NULL;
    return rpcClientNewFD(fd);
}

void
rpcClientFree(rpcClient *client)
{
    if (!client)
        return;
    rpcClientClose(client);
    if (client->reader)
        g_thread_join(client->reader);
    mvFDClear(&client->fd);
    mvFDClear(&client->wakefd);
    g_hash_table_unref(client->calls);
    g_free(client->closeWhy);
    g_mutex_clear(&client->lock);
    g_mutex_clear(&client->writeLock);
    g_free(client);
}

void
rpcClientSetEventHandler(rpcClient *client, rpcClientEventFunc func, void *opaque)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&client->lock);

    client->eventFunc = func;
    client->eventOpaque = opaque;
}

void
rpcClientSetCloseHandler(rpcClient *client, rpcClientCloseFunc func, void *opaque)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&client->lock);

    client->closeFunc = func;
    client->closeOpaque = opaque;
}

int
rpcClientSetKeepAlive(rpcClient *client, int interval, unsigned int count)
{
    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        mvReportError(VIR_ERR_RPC, "client socket is closed");
        return -1;
    }
    client->kaInterval = interval > 0 ? interval : 0;
    client->kaCount = count;
    client->kaMissed = 0;
    client->kaDeadline = g_get_monotonic_time() + (gint64)client->kaInterval * G_USEC_PER_SEC;
    g_mutex_unlock(&client->lock);
    rpcClientWake(client);
    return 0;
}

bool
rpcClientIsOpen(rpcClient *client)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&client->lock);

    return !client->closed;
}

void
rpcClientClose(rpcClient *client)
{
    rpcClientMarkClosed(client, VIR_CONNECT_CLOSE_REASON_CLIENT, "client socket is closed");
}

/* Builds the CALL for a registered serial.  Returns NULL (reported) on
 * failure. */
static rpcMessage *
rpcClientNewCall(unsigned int prog, unsigned int vers, int proc, unsigned int serial,
                 const int *infds, size_t ninfds, xdrproc_t args_filter, void *args)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    size_t i;

    if (ninfds > RPC_MESSAGE_FDS_MAX) {
        mvReportError(VIR_ERR_RPC, "too many fds to send (%zu, max %d)", ninfds,
                      RPC_MESSAGE_FDS_MAX);
        return NULL;
    }
    msg->header.prog = prog;
    msg->header.vers = vers;
    msg->header.proc = proc;
    msg->header.type = ninfds ? RPC_CALL_WITH_FDS : RPC_CALL;
    msg->header.serial = serial;
    msg->header.status = RPC_OK;
    if (ninfds) {
        msg->fds = g_new(int, ninfds);
        for (i = 0; i < ninfds; i++)
            msg->fds[i] = -1;
        msg->nfds = ninfds;
        for (i = 0; i < ninfds; i++) {
            if ((msg->fds[i] = fcntl(infds[i], F_DUPFD_CLOEXEC, 3)) < 0) {
                mvReportSystemError(errno, "Unable to duplicate fd %d", infds[i]);
                return NULL;
            }
        }
    }
    if (rpcMessageEncodeHeader(msg) < 0)
        return NULL;
    if (ninfds && rpcMessageEncodeNumFDs(msg) < 0)
        return NULL;
    if (rpcMessageEncodePayload(msg, args_filter ? args_filter : RPC_CLIENT_XDR_VOID,
                                args) < 0)
        return NULL;
    return g_steal_pointer(&msg);
}

/* Turns the reply of a finished call into the caller's result. */
static int
rpcClientFinishCall(rpcMessage *reply, int **outfds, size_t *noutfds,
                    xdrproc_t ret_filter, void *ret)
{
    size_t i;

    if (reply->header.status == RPC_ERROR) {
        rpc_message_error rerr;

        memset(&rerr, 0, sizeof(rerr));
        if (rpcMessageDecodePayload(reply, (xdrproc_t)xdr_rpc_message_error, &rerr) < 0)
            return -1;
        rpcMessageRestoreError(&rerr);
        xdr_free((xdrproc_t)xdr_rpc_message_error, (char *)&rerr);
        return -1;
    }
    if (reply->header.status != RPC_OK) {
        mvReportError(VIR_ERR_RPC, "Unexpected message status %d", (int)reply->header.status);
        return -1;
    }
    if (rpcMessageDecodePayload(reply, ret_filter ? ret_filter : RPC_CLIENT_XDR_VOID,
                                ret) < 0)
        return -1;
    if (outfds) {
        *outfds = g_new(int, MAX(reply->nfds, 1));
        for (i = 0; i < reply->nfds; i++) {
            (*outfds)[i] = reply->fds[i];
            reply->fds[i] = -1;
        }
        *noutfds = reply->nfds;
    }
    return 0;
}

int
rpcClientCallWithFDs(rpcClient *client, unsigned int prog, unsigned int vers, int proc,
                     const int *infds, size_t ninfds, int **outfds, size_t *noutfds,
                     xdrproc_t args_filter, void *args, xdrproc_t ret_filter, void *ret)
{
    g_autoptr(rpcMessage) msg = NULL;
    g_autoptr(rpcMessage) reply = NULL;
    g_autofree char *failure = NULL;
    rpcClientPending call = { 0 };
    int rc;

    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        mvReportError(VIR_ERR_RPC, "client socket is closed");
        return -1;
    }
    call.serial = client->nextSerial++;
    g_mutex_unlock(&client->lock);

    if (!(msg = rpcClientNewCall(prog, vers, proc, call.serial, infds, ninfds,
                                 args_filter, args)))
        return -1;

    call.proc = proc;
    g_cond_init(&call.cond);
    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        g_cond_clear(&call.cond);
        mvReportError(VIR_ERR_RPC, "client socket is closed");
        return -1;
    }
    g_hash_table_insert(client->calls, GUINT_TO_POINTER(call.serial), &call);
    g_mutex_unlock(&client->lock);

    g_mutex_lock(&client->writeLock);
    rc = rpcClientWriteLocked(client, msg);
    if (rc == 0)
        rc = rpcClientFlushKeepAliveLocked(client);
    g_mutex_unlock(&client->writeLock);
    if (rc < 0)
        rpcClientMarkClosedByError(client, VIR_CONNECT_CLOSE_REASON_ERROR);

    g_mutex_lock(&client->lock);
    while (!call.done)
        g_cond_wait(&call.cond, &client->lock);
    g_hash_table_remove(client->calls, GUINT_TO_POINTER(call.serial));
    reply = g_steal_pointer(&call.reply);
    failure = g_steal_pointer(&call.failure);
    g_mutex_unlock(&client->lock);
    g_cond_clear(&call.cond);

    if (!reply) {
        mvReportError(VIR_ERR_RPC, "%s", failure ? failure : "client socket is closed");
        return -1;
    }
    return rpcClientFinishCall(reply, outfds, noutfds, ret_filter, ret);
}

int
rpcClientCall(rpcClient *client, unsigned int prog, unsigned int vers, int proc,
              xdrproc_t args_filter, void *args, xdrproc_t ret_filter, void *ret)
{
    return rpcClientCallWithFDs(client, prog, vers, proc, NULL, 0, NULL, NULL,
                                args_filter, args, ret_filter, ret);
}
