/*
 * rpc_server: the daemon side of the RPC protocol (see rpc_server.h).
 *
 * Model.  Everything that touches a socket runs on the GMainContext given to
 * rpcServerStart: the listeners' accept sources, one fd source per client
 * (whose events are switched between IN and IN|OUT as its outgoing queue
 * fills and empties, and IN is dropped while the client has
 * max_client_requests calls in flight), and one keepalive timer per client.
 * A complete CALL is checked in the loop (program, procedure, read-only) and
 * handed as a job to a GThreadPool; the worker decodes the arguments, runs
 * the handler, encodes the reply and appends it to the client's queue, then
 * schedules a wakeup idle on the loop, which re-computes the client's events.
 *
 * References.  The server's client table holds one reference per open
 * client; each job, each GSource callback and each scheduled wakeup holds
 * one more.  A client holds a reference on the server, so the server lives
 * until its last client is freed.  Closing a client (loop thread only)
 * removes it from the table, destroys its sources and closes its fd; the
 * client itself, and its private data, go when the last reference drops.
 *
 * Locking.  srv->lock guards the client table, the counters, the pools and
 * the hooks; client->lock guards the client's outgoing queue, in-flight
 * count and the requests other threads leave for the loop (close, start
 * keepalive).  Reader state, the fd and the sources are loop-thread only.
 * Never take srv->lock while holding client->lock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib-unix.h>

#include "mv_error.h"
#include "mv_fd.h"
#include "mv_log.h"
#include "rpc_keepalive.h"
#include "rpc_server.h"
#include "rpc_socket.h"

#define MV_FROM_THIS VIR_FROM_RPC
MV_LOG_INIT("rpc.server");

typedef struct {
    rpcServer *srv;           /* not a reference: the server owns listeners */
    int fd;
    bool readonly;
    char *name;
    GSource *source;          /* accept watch, while accepting */
} rpcServerListener;

struct _rpcServer {
    gatomicrefcount refs;     /* the owner's, plus one per client */
    char *name;

    GMutex lock;
    GCond cond;               /* inflight reaching 0; loop-side close done */
    rpcServerConfig cfg;
    GPtrArray *programs;      /* const rpcProgram * */
    GPtrArray *listeners;     /* rpcServerListener * */
    GHashTable *clients;      /* id -> rpcServerClient * (a reference) */
    guint64 nextClientID;
    GMainContext *ctx;
    GThreadPool *workers;
    GThreadPool *prioWorkers;
    unsigned int inflight;    /* jobs queued or running */
    bool started;
    bool accepting;
    bool shutdown;

    rpcClientPrivNew newPriv;
    rpcClientPrivFree freePriv;
    void *privOpaque;
    rpcServerClientCountFunc countCb;
    void *countOpaque;
};

struct _rpcServerClient {
    gatomicrefcount refs;
    rpcServer *srv;           /* a reference */
    guint64 id;
    bool readonly;
    uid_t uid;
    gid_t gid;
    pid_t pid;
    gint64 timestamp;
    void *priv;
    rpcClientPrivFree freePriv;

    /* Loop thread only. */
    int fd;
    GSource *source;
    gpointer fdTag;
    rpcSocketReader rd;
    GSource *kaTimer;
    bool kaHeard;             /* something arrived since the last tick */
    unsigned int kaMissed;    /* silent ticks in a row */

    GMutex lock;
    GMutex writeLock;         /* held by whoever writes to fd (loop or a worker) */
    GQueue txq;               /* rpcMessage *, head being written */
    size_t txBytes;
    unsigned int nrequests;   /* calls queued or running */
    bool closed;
    bool wantClose;
    bool wantKeepAlive;
    bool wakeupPending;
};

typedef struct {
    rpcServerClient *client;  /* a reference */
    rpcMessage *msg;          /* the CALL */
    const rpcProcedure *proc;
    GArray *replyFDs;         /* int, owned */
} rpcServerJob;

/* The job whose handler runs on this worker thread. */
static GPrivate rpcServerCurrentJob;

static void rpcServerClientCloseNow(rpcServerClient *client);
static void rpcServerClientUpdateEvents(rpcServerClient *client);
static void rpcServerClientWakeup(rpcServerClient *client);
static void rpcServerClientArmKeepAlive(rpcServerClient *client);

void
rpcServerConfigInit(rpcServerConfig *cfg)
{
    cfg->min_workers = 5;
    cfg->max_workers = 20;
    cfg->prio_workers = 5;
    cfg->max_clients = 5000;
    cfg->max_anonymous_clients = 20;
    cfg->max_client_requests = 5;
    cfg->keepalive_interval = 5;
    cfg->keepalive_count = 5;
}

/* --- server lifetime ------------------------------------------------------ */

static rpcServer *
rpcServerRef(rpcServer *srv)
{
    g_atomic_ref_count_inc(&srv->refs);
    return srv;
}

static void
rpcServerListenerFree(rpcServerListener *l)
{
    if (!l)
        return;
    if (l->source) {
        g_source_destroy(l->source);
        g_source_unref(l->source);
    }
    mvFDClear(&l->fd);
    g_free(l->name);
    g_free(l);
}

static void
rpcServerUnref(rpcServer *srv)
{
    if (!g_atomic_ref_count_dec(&srv->refs))
        return;
    g_ptr_array_unref(srv->listeners);
    g_ptr_array_unref(srv->programs);
    g_hash_table_unref(srv->clients);
    if (srv->ctx)
        g_main_context_unref(srv->ctx);
    g_mutex_clear(&srv->lock);
    g_cond_clear(&srv->cond);
    g_free(srv->name);
    g_free(srv);
}

rpcServer *
rpcServerNew(const char *name, const rpcServerConfig *cfg)
{
    rpcServer *srv = g_new0(rpcServer, 1);

    g_atomic_ref_count_init(&srv->refs);
    srv->name = g_strdup(name);
    g_mutex_init(&srv->lock);
    g_cond_init(&srv->cond);
    if (cfg)
        srv->cfg = *cfg;
    else
        rpcServerConfigInit(&srv->cfg);
    if (srv->cfg.max_workers == 0)
        srv->cfg.max_workers = 1;
    if (srv->cfg.max_client_requests == 0)
        srv->cfg.max_client_requests = 1;
    srv->programs = g_ptr_array_new();
    srv->listeners = g_ptr_array_new_with_free_func((GDestroyNotify)rpcServerListenerFree);
    srv->clients = g_hash_table_new(g_int64_hash, g_int64_equal);
    srv->nextClientID = 1;
    srv->accepting = true;
    return srv;
}

void
rpcServerFree(rpcServer *srv)
{
    bool running;

    if (!srv)
        return;
    g_mutex_lock(&srv->lock);
    running = srv->started && !srv->shutdown;
    g_mutex_unlock(&srv->lock);
    if (running)
        rpcServerShutdown(srv, g_get_monotonic_time());
    rpcServerStopAccepting(srv);
    rpcServerUnref(srv);
}

const char *
rpcServerGetName(rpcServer *srv)
{
    return srv->name;
}

int
rpcServerAddProgram(rpcServer *srv, const rpcProgram *prog)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&srv->lock);
    size_t i;

    for (i = 0; i < srv->programs->len; i++) {
        const rpcProgram *p = g_ptr_array_index(srv->programs, i);

        if (p->prog == prog->prog && p->vers == prog->vers) {
            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "program %u version %u is already registered", prog->prog,
                          prog->vers);
            return -1;
        }
    }
    g_ptr_array_add(srv->programs, (gpointer)prog);
    return 0;
}

void
rpcServerSetClientHooks(rpcServer *srv, rpcClientPrivNew newPriv,
                        rpcClientPrivFree freePriv, void *opaque)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&srv->lock);

    srv->newPriv = newPriv;
    srv->freePriv = freePriv;
    srv->privOpaque = opaque;
}

void
rpcServerSetClientCountHook(rpcServer *srv, rpcServerClientCountFunc cb, void *opaque)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&srv->lock);

    srv->countCb = cb;
    srv->countOpaque = opaque;
}

size_t
rpcServerNClients(rpcServer *srv)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&srv->lock);

    return g_hash_table_size(srv->clients);
}

void
rpcServerGetConfig(rpcServer *srv, rpcServerConfig *cfg)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&srv->lock);

    *cfg = srv->cfg;
}

int
rpcServerSetWorkers(rpcServer *srv, unsigned int minWorkers, unsigned int maxWorkers,
                    unsigned int prioWorkers)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&srv->lock);
    g_autoptr(GError) gerr = NULL;

    if (maxWorkers == 0 || minWorkers > maxWorkers) {
        mvReportError(VIR_ERR_INVALID_ARG,
                      "worker limits must satisfy 0 <= min (%u) <= max (%u) and max > 0",
                      minWorkers, maxWorkers);
        return -1;
    }
    if (srv->workers &&
        !g_thread_pool_set_max_threads(srv->workers, maxWorkers, &gerr)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot resize the worker pool: %s",
                      gerr->message);
        return -1;
    }
    if (srv->prioWorkers && prioWorkers > 0 &&
        !g_thread_pool_set_max_threads(srv->prioWorkers, prioWorkers, &gerr)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot resize the priority pool: %s",
                      gerr->message);
        return -1;
    }
    srv->cfg.min_workers = minWorkers;
    srv->cfg.max_workers = maxWorkers;
    if (srv->prioWorkers && prioWorkers > 0)
        srv->cfg.prio_workers = prioWorkers;
    return 0;
}

/* --- clients: references, queue, wakeups ---------------------------------- */

rpcServerClient *
rpcServerClientRef(rpcServerClient *client)
{
    g_atomic_ref_count_inc(&client->refs);
    return client;
}

void
rpcServerClientUnref(rpcServerClient *client)
{
    rpcMessage *msg;

    if (!client || !g_atomic_ref_count_dec(&client->refs))
        return;
    MV_DEBUG("freeing client %" G_GUINT64_FORMAT, client->id);
    if (client->priv && client->freePriv)
        client->freePriv(client->priv);
    while ((msg = g_queue_pop_head(&client->txq)))
        rpcMessageFree(msg);
    rpcSocketReaderClear(&client->rd);
    mvFDClear(&client->fd);
    g_mutex_clear(&client->lock);
    g_mutex_clear(&client->writeLock);
    rpcServerUnref(client->srv);
    g_free(client);
}

void *
rpcServerClientGetPrivate(rpcServerClient *client)
{
    return client->priv;
}

bool
rpcServerClientIsReadonly(rpcServerClient *client)
{
    return client->readonly;
}

void
rpcServerClientGetIdentity(rpcServerClient *client, uid_t *uid, gid_t *gid, pid_t *pid)
{
    if (uid)
        *uid = client->uid;
    if (gid)
        *gid = client->gid;
    if (pid)
        *pid = client->pid;
}

guint64
rpcServerClientGetID(rpcServerClient *client)
{
    return client->id;
}

gint64
rpcServerClientGetTimestamp(rpcServerClient *client)
{
    return client->timestamp;
}

static gboolean
rpcServerClientWakeupIdle(gpointer opaque)
{
    rpcServerClient *client = opaque;
    bool wantClose;
    bool wantKeepAlive;

    g_mutex_lock(&client->lock);
    client->wakeupPending = false;
    wantClose = client->wantClose && !client->closed;
    wantKeepAlive = client->wantKeepAlive;
    client->wantKeepAlive = false;
    g_mutex_unlock(&client->lock);

    if (wantClose) {
        rpcServerClientCloseNow(client);
        return G_SOURCE_REMOVE;
    }
    if (wantKeepAlive)
        rpcServerClientArmKeepAlive(client);
    rpcServerClientUpdateEvents(client);
    return G_SOURCE_REMOVE;
}

/* Asks the loop to look at @client again (new output, a finished call, a
 * close or keepalive request).  Any thread. */
static void
rpcServerClientWakeup(rpcServerClient *client)
{
    GSource *idle;

    g_mutex_lock(&client->lock);
    if (client->closed || client->wakeupPending || !client->srv->ctx) {
        g_mutex_unlock(&client->lock);
        return;
    }
    client->wakeupPending = true;
    g_mutex_unlock(&client->lock);

    idle = g_idle_source_new();
    g_source_set_priority(idle, G_PRIORITY_DEFAULT);
    g_source_set_callback(idle, rpcServerClientWakeupIdle, rpcServerClientRef(client),
                          (GDestroyNotify)rpcServerClientUnref);
    g_source_attach(idle, client->srv->ctx);
    g_source_unref(idle);
}

/* Appends @msg (ready to send) to the client's queue; any thread.  The
 * message is dropped if the client is closed; a queue over the bound closes
 * the client. */
static void
rpcServerClientQueue(rpcServerClient *client, rpcMessage *msg)
{
    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        MV_DEBUG("client %" G_GUINT64_FORMAT " is closed, dropping a %s",
                 client->id, rpcMessageTypeName(msg->header.type));
        rpcMessageFree(msg);
        return;
    }
    msg->bufferOffset = 0;
    msg->donefds = 0;
    if (g_queue_is_empty(&client->txq) && !client->wantClose &&
        g_mutex_trylock(&client->writeLock)) {
        /* Nothing queued and nobody writing: send it from this thread,
         * sparing the loop a wakeup per reply.  What the socket does not
         * take now goes to the head of the queue for the loop to finish. */
        int rc;

        g_mutex_unlock(&client->lock);
        rc = rpcSocketWriteMessage(client->fd, msg);
        if (rc == 1) {
            g_mutex_unlock(&client->writeLock);
            rpcMessageFree(msg);
            return;
        }
        g_mutex_lock(&client->lock);
        if (rc < 0) {
            MV_DEBUG("client %" G_GUINT64_FORMAT ": %s; closing", client->id,
                     mvErrorGetLast() ? mvErrorGetLast()->message : "write failed");
            mvErrorReset();
            client->wantClose = true;
            rpcMessageFree(msg);
        } else {
            client->txBytes += msg->bufferLength - msg->bufferOffset;
            g_queue_push_head(&client->txq, msg);
        }
        g_mutex_unlock(&client->lock);
        g_mutex_unlock(&client->writeLock);
        rpcServerClientWakeup(client);
        return;
    }
    client->txBytes += msg->bufferLength;
    g_queue_push_tail(&client->txq, msg);
    if (client->txBytes > RPC_SERVER_CLIENT_TX_MAX) {
        MV_DEBUG("client %" G_GUINT64_FORMAT " has %zu bytes queued and is not reading; "
                 "closing it", client->id, client->txBytes);
        client->wantClose = true;
    }
    g_mutex_unlock(&client->lock);
    rpcServerClientWakeup(client);
}

/* Builds a REPLY with status ERROR echoing @call from this thread's error,
 * and clears it. */
static rpcMessage *
rpcServerNewErrorReply(const rpc_message_header *call)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    rpc_message_error rerr;
    int rc;

    memset(&rerr, 0, sizeof(rerr));
    rpcMessageSaveError(&rerr);
    MV_DEBUG("error reply to prog=%u proc=%d serial=%u: %s", call->prog, call->proc,
             call->serial, rerr.message ? *rerr.message : "(none)");
    mvErrorReset();

    msg->header.prog = call->prog;
    msg->header.vers = call->vers;
    msg->header.proc = call->proc;
    msg->header.serial = call->serial;
    msg->header.type = RPC_REPLY;
    msg->header.status = RPC_ERROR;
    rc = rpcMessageEncodeHeader(msg);
    if (rc == 0)
        rc = rpcMessageEncodePayload(msg, (xdrproc_t)xdr_rpc_message_error, &rerr);
    xdr_free((xdrproc_t)xdr_rpc_message_error, (char *)&rerr);
    if (rc < 0) {
        MV_DEBUG("cannot encode an error reply");
        mvErrorReset();
        return NULL;
    }
    return g_steal_pointer(&msg);
}

static void
rpcServerClientQueueError(rpcServerClient *client, const rpc_message_header *call)
{
    rpcMessage *reply = rpcServerNewErrorReply(call);

    if (reply)
        rpcServerClientQueue(client, reply);
}

int
rpcServerClientSendEvent(rpcServerClient *client, unsigned int prog, int proc,
                         xdrproc_t filter, void *data)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    unsigned int vers = 1;
    rpcServer *srv = client->srv;
    bool closed;
    size_t i;

    g_mutex_lock(&srv->lock);
    for (i = 0; i < srv->programs->len; i++) {
        const rpcProgram *p = g_ptr_array_index(srv->programs, i);

        if (p->prog == prog) {
            vers = p->vers;
            break;
        }
    }
    g_mutex_unlock(&srv->lock);

    g_mutex_lock(&client->lock);
    closed = client->closed || client->wantClose;
    g_mutex_unlock(&client->lock);
    if (closed) {
        mvReportError(VIR_ERR_RPC, "client %" G_GUINT64_FORMAT " is closed", client->id);
        return -1;
    }

    msg->header.prog = prog;
    msg->header.vers = vers;
    msg->header.proc = proc;
    msg->header.type = RPC_MESSAGE;
    msg->header.serial = 1;
    msg->header.status = RPC_OK;
    if (rpcMessageEncodeHeader(msg) < 0 ||
        rpcMessageEncodePayload(msg, filter, data) < 0)
        return -1;
    rpcServerClientQueue(client, g_steal_pointer(&msg));
    return 0;
}

void
rpcServerClientClose(rpcServerClient *client)
{
    g_mutex_lock(&client->lock);
    client->wantClose = true;
    g_mutex_unlock(&client->lock);
    rpcServerClientWakeup(client);
}

/* --- keepalive (loop thread) ---------------------------------------------- */

static gboolean
rpcServerClientKeepAliveTick(gpointer opaque)
{
    rpcServerClient *client = opaque;
    rpcMessage *ping;

    if (client->kaHeard) {
        client->kaHeard = false;
        client->kaMissed = 0;
        return G_SOURCE_CONTINUE;
    }
    if (client->kaMissed >= client->srv->cfg.keepalive_count) {
        MV_DEBUG("client %" G_GUINT64_FORMAT " silent for %u keepalive intervals; closing",
                 client->id, client->kaMissed + 1);
        rpcServerClientCloseNow(client);
        return G_SOURCE_REMOVE;
    }
    client->kaMissed++;
    if ((ping = rpcKeepAliveNewMessage(RPC_KEEPALIVE_PROC_PING)))
        rpcServerClientQueue(client, ping);
    else
        mvErrorReset();
    return G_SOURCE_CONTINUE;
}

static void
rpcServerClientArmKeepAlive(rpcServerClient *client)
{
    int interval = client->srv->cfg.keepalive_interval;

    if (client->kaTimer || interval <= 0)
        return;
    client->kaHeard = false;
    client->kaMissed = 0;
    client->kaTimer = g_timeout_source_new((guint)interval * 1000);
    g_source_set_callback(client->kaTimer, rpcServerClientKeepAliveTick,
                          rpcServerClientRef(client), (GDestroyNotify)rpcServerClientUnref);
    g_source_attach(client->kaTimer, client->srv->ctx);
}

void
rpcServerClientStartKeepAlive(rpcServerClient *client)
{
    g_mutex_lock(&client->lock);
    client->wantKeepAlive = true;
    g_mutex_unlock(&client->lock);
    rpcServerClientWakeup(client);
}

/* --- dispatch (workers) --------------------------------------------------- */

static void
rpcServerJobFree(rpcServerJob *job)
{
    size_t i;

    if (!job)
        return;
    if (job->replyFDs) {
        for (i = 0; i < job->replyFDs->len; i++) {
            int fd = g_array_index(job->replyFDs, int, i);

            mvFDClear(&fd);
        }
        g_array_unref(job->replyFDs);
    }
    rpcMessageFree(job->msg);
    rpcServerClientUnref(job->client);
    g_free(job);
}

int
rpcServerCallAddReplyFD(rpcMessage *call, int fd)
{
    rpcServerJob *job = g_private_get(&rpcServerCurrentJob);

    if (!job || job->msg != call) {
        mvFDClear(&fd);
        mvReportError(VIR_ERR_INTERNAL_ERROR, "reply fds can only be added by a handler");
        return -1;
    }
    if (!job->replyFDs)
        job->replyFDs = g_array_new(FALSE, FALSE, sizeof(int));
    if (job->replyFDs->len >= RPC_MESSAGE_FDS_MAX) {
        mvFDClear(&fd);
        mvReportError(VIR_ERR_RPC, "too many fds in a reply (max %d)", RPC_MESSAGE_FDS_MAX);
        return -1;
    }
    g_array_append_val(job->replyFDs, fd);
    return 0;
}

/* Encodes a successful reply.  Returns NULL with an error set on failure. */
static rpcMessage *
rpcServerNewReply(rpcServerJob *job, void *ret)
{
    g_autoptr(rpcMessage) reply = rpcMessageNew();
    const rpc_message_header *call = &job->msg->header;
    size_t nfds = job->replyFDs ? job->replyFDs->len : 0;

    reply->header.prog = call->prog;
    reply->header.vers = call->vers;
    reply->header.proc = call->proc;
    reply->header.serial = call->serial;
    reply->header.type = nfds ? RPC_REPLY_WITH_FDS : RPC_REPLY;
    reply->header.status = RPC_OK;
    if (nfds) {
        reply->nfds = nfds;
        reply->fds = (int *)g_array_free(g_steal_pointer(&job->replyFDs), FALSE);
    }
    if (rpcMessageEncodeHeader(reply) < 0)
        return NULL;
    if (nfds && rpcMessageEncodeNumFDs(reply) < 0)
        return NULL;
    if (rpcMessageEncodePayload(reply, job->proc->ret_filter, ret) < 0)
        return NULL;
    return g_steal_pointer(&reply);
}

static rpcMessage *
rpcServerRunJob(rpcServer *srv, rpcServerJob *job)
{
    const rpcProcedure *proc = job->proc;
    g_autofree void *args = g_malloc0(MAX(proc->args_size, sizeof(gint64)));
    g_autofree void *ret = g_malloc0(MAX(proc->ret_size, sizeof(gint64)));
    rpcMessage *reply = NULL;
    int rv;

    mvErrorReset();
    if (rpcMessageDecodePayload(job->msg, proc->args_filter, args) < 0) {
        if (!mvErrorIsSet())
            mvReportError(VIR_ERR_RPC, "Unable to decode message payload");
        return rpcServerNewErrorReply(&job->msg->header);
    }

    g_private_set(&rpcServerCurrentJob, job);
    rv = proc->func(srv, job->client, job->msg, args, ret);
    g_private_set(&rpcServerCurrentJob, NULL);
    xdr_free(proc->args_filter, args);

    if (rv < 0) {
        if (!mvErrorIsSet()) {
            MV_ERROR("BUG: handler of %s failed without reporting an error",
                     proc->api ? proc->api : proc->name);
            mvReportError(VIR_ERR_INTERNAL_ERROR, "%s failed without reporting an error",
                          proc->api ? proc->api : proc->name);
        }
    } else {
        reply = rpcServerNewReply(job, ret);
    }
    xdr_free(proc->ret_filter, ret);
    if (!reply)
        reply = rpcServerNewErrorReply(&job->msg->header);
    return reply;
}

static void
rpcServerWorker(gpointer data, gpointer opaque)
{
    rpcServerJob *job = data;
    rpcServer *srv = opaque;
    rpcServerClient *client = job->client;
    bool closed;
    bool wake;

    g_mutex_lock(&client->lock);
    closed = client->closed || client->wantClose;
    g_mutex_unlock(&client->lock);

    if (closed) {
        MV_DEBUG("client %" G_GUINT64_FORMAT " gone; skipping %s serial=%u", client->id,
                 job->proc->name, job->msg->header.serial);
    } else {
        rpcMessage *reply = rpcServerRunJob(srv, job);

        if (reply)
            rpcServerClientQueue(client, reply);
    }

    g_mutex_lock(&client->lock);
    /* the loop must look again only if it stopped reading for this client
     * or has output or a close to handle */
    wake = client->nrequests-- >= srv->cfg.max_client_requests ||
           !g_queue_is_empty(&client->txq) || client->wantClose;
    g_mutex_unlock(&client->lock);
    if (wake)
        rpcServerClientWakeup(client);
    rpcServerJobFree(job);

    g_mutex_lock(&srv->lock);
    if (--srv->inflight == 0)
        g_cond_broadcast(&srv->cond);
    g_mutex_unlock(&srv->lock);
}

/* Drops a job that a pool discarded without running it. */
static void
rpcServerJobDiscard(gpointer data)
{
    rpcServerJob *job = data;
    rpcServer *srv = job->client->srv;

    g_mutex_lock(&job->client->lock);
    job->client->nrequests--;
    g_mutex_unlock(&job->client->lock);
    rpcServerJobFree(job);
    g_mutex_lock(&srv->lock);
    if (--srv->inflight == 0)
        g_cond_broadcast(&srv->cond);
    g_mutex_unlock(&srv->lock);
}

/* --- incoming messages (loop thread) -------------------------------------- */

static const rpcProgram *
rpcServerFindProgram(rpcServer *srv, unsigned int prog, unsigned int vers)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&srv->lock);
    size_t i;

    for (i = 0; i < srv->programs->len; i++) {
        const rpcProgram *p = g_ptr_array_index(srv->programs, i);

        if (p->prog == prog && p->vers == vers)
            return p;
    }
    return NULL;
}

/* Finds the procedure a CALL names and checks that this client may call
 * it.  Returns it, or NULL with the error to send back reported. */
static const rpcProcedure *
rpcServerClientCheckCall(rpcServerClient *client, const rpc_message_header *hdr)
{
    const rpcProgram *prog;
    const rpcProcedure *proc;

    if (hdr->status != RPC_OK) {
        mvReportError(VIR_ERR_RPC, "Unexpected message status %d", (int)hdr->status);
        return NULL;
    }
    if (!(prog = rpcServerFindProgram(client->srv, hdr->prog, hdr->vers))) {
        mvReportError(VIR_ERR_RPC, "Cannot find program %u version %u", hdr->prog, hdr->vers);
        return NULL;
    }
    proc = rpcProgramLookup(prog, hdr->proc);
    if (!proc || !proc->func) {
        g_autofree char *what = NULL;

        if (proc && proc->api)
            what = g_strdup(proc->api);
        else
            what = g_strdup_printf("procedure %d", (int)hdr->proc);
        mvReportErrorFull(proc ? proc->errdomain : VIR_FROM_RPC, VIR_ERR_NO_SUPPORT,
                          __FILE__, __func__, __LINE__, "%s", what);
        return NULL;
    }
    if (proc->flags & RPC_PROC_EVENT) {
        mvReportError(VIR_ERR_RPC, "procedure %d of program %u is an event and cannot be called",
                      (int)hdr->proc, hdr->prog);
        return NULL;
    }
    if (client->readonly && !(proc->flags & RPC_PROC_READONLY)) {
        mvReportErrorFull(proc->errdomain, VIR_ERR_OPERATION_DENIED, __FILE__, __func__,
                          __LINE__, "read only access prevents %s",
                          proc->api ? proc->api : proc->name);
        return NULL;
    }
    return proc;
}

/* Checks a CALL (taken) and either queues an error reply or hands it to a
 * pool. */
static void
rpcServerClientHandleCall(rpcServerClient *client, rpcMessage *msg)
{
    rpcServer *srv = client->srv;
    const rpcProcedure *proc;
    rpcServerJob *job;
    GThreadPool *pool;
    g_autoptr(GError) gerr = NULL;

    if (!(proc = rpcServerClientCheckCall(client, &msg->header))) {
        rpcServerClientQueueError(client, &msg->header);
        rpcMessageFree(msg);
        return;
    }

    job = g_new0(rpcServerJob, 1);
    job->client = rpcServerClientRef(client);
    job->msg = msg;
    job->proc = proc;

    if (proc->flags & RPC_PROC_INLINE) {
        /* a quick in-memory answer: no trip through a worker thread */
        rpcMessage *reply = rpcServerRunJob(srv, job);

        if (reply)
            rpcServerClientQueue(client, reply);
        rpcServerJobFree(job);
        return;
    }

    g_mutex_lock(&client->lock);
    client->nrequests++;
    g_mutex_unlock(&client->lock);

    g_mutex_lock(&srv->lock);
    srv->inflight++;
    pool = (proc->flags & RPC_PROC_PRIORITY) && srv->prioWorkers ?
        srv->prioWorkers : srv->workers;
    g_mutex_unlock(&srv->lock);
    MV_DEBUG("client %" G_GUINT64_FORMAT " call %s serial=%u to the %s pool", client->id,
             proc->name, msg->header.serial, pool == srv->workers ? "normal" : "priority");
    if (!pool || !g_thread_pool_push(pool, job, &gerr)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot queue the call: %s",
                      gerr ? gerr->message : "server is shutting down");
        rpcServerClientQueueError(client, &msg->header);
        rpcServerJobDiscard(job);
    }
}

/* Takes @msg. */
static void
rpcServerClientHandleMessage(rpcServerClient *client, rpcMessage *msg)
{
    const rpc_message_header *hdr = &msg->header;

    client->kaHeard = true;
    client->kaMissed = 0;

    if (rpcKeepAliveIsMessage(msg)) {
        if (hdr->type == RPC_MESSAGE && hdr->proc == RPC_KEEPALIVE_PROC_PING) {
            rpcMessage *pong = rpcKeepAliveNewMessage(RPC_KEEPALIVE_PROC_PONG);

            if (pong)
                rpcServerClientQueue(client, pong);
            else
                mvErrorReset();
        } else {
            MV_DEBUG("client %" G_GUINT64_FORMAT " keepalive %s proc=%d", client->id,
                     rpcMessageTypeName(hdr->type), (int)hdr->proc);
        }
        rpcMessageFree(msg);
        return;
    }

    switch ((int)hdr->type) {
    case RPC_CALL:
    case RPC_CALL_WITH_FDS:
        rpcServerClientHandleCall(client, msg);
        return;
    case RPC_STREAM:
    case RPC_STREAM_HOLE:
        MV_DEBUG("client %" G_GUINT64_FORMAT " sent %s for proc=%d serial=%u; no streams, "
                 "dropped", client->id, rpcMessageTypeName(hdr->type), (int)hdr->proc,
                 hdr->serial);
        break;
    default:
        MV_DEBUG("client %" G_GUINT64_FORMAT " sent unexpected message type %d; dropped",
                 client->id, (int)hdr->type);
        break;
    }
    rpcMessageFree(msg);
}

/* --- client socket I/O (loop thread) -------------------------------------- */

static bool
rpcServerClientWantsInput(rpcServerClient *client)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&client->lock);

    return !client->closed &&
        client->nrequests < client->srv->cfg.max_client_requests;
}

static void
rpcServerClientUpdateEvents(rpcServerClient *client)
{
    GIOCondition events = 0;

    if (!client->source)
        return;
    g_mutex_lock(&client->lock);
    if (!client->closed) {
        if (client->nrequests < client->srv->cfg.max_client_requests)
            events |= G_IO_IN;
        if (!g_queue_is_empty(&client->txq))
            events |= G_IO_OUT;
    }
    g_mutex_unlock(&client->lock);
    g_source_modify_unix_fd(client->source, client->fdTag, events);
}

/* Writes queued messages.  Returns 0, or -1 when the client was closed. */
static int
rpcServerClientFlush(rpcServerClient *client)
{
    for (;;) {
        rpcMessage *msg;
        int rc;

        g_mutex_lock(&client->writeLock);
        g_mutex_lock(&client->lock);
        msg = g_queue_peek_head(&client->txq);
        g_mutex_unlock(&client->lock);
        if (!msg) {
            g_mutex_unlock(&client->writeLock);
            return 0;
        }

        rc = rpcSocketWriteMessage(client->fd, msg);
        g_mutex_unlock(&client->writeLock);
        if (rc < 0) {
            MV_DEBUG("client %" G_GUINT64_FORMAT ": %s", client->id,
                     mvErrorGetLast() ? mvErrorGetLast()->message : "write failed");
            mvErrorReset();
            rpcServerClientCloseNow(client);
            return -1;
        }
        if (rc == 0)
            return 0;

        g_mutex_lock(&client->lock);
        g_queue_pop_head(&client->txq);
        client->txBytes -= msg->bufferLength;
        g_mutex_unlock(&client->lock);
        rpcMessageFree(msg);
    }
}

/* Reads and handles whole messages while input is wanted.  Returns 0, or
 * -1 when the client was closed. */
static int
rpcServerClientReadAll(rpcServerClient *client)
{
    while (rpcServerClientWantsInput(client)) {
        bool eof = false;
        int rc;

        if (!client->rd.msg)
            rpcSocketReaderReset(&client->rd);
        rc = rpcSocketReaderRead(client->fd, &client->rd, &eof);
        if (rc < 0) {
            MV_DEBUG("client %" G_GUINT64_FORMAT ": %s; closing", client->id,
                     eof ? "peer closed the connection" :
                     (mvErrorGetLast() ? mvErrorGetLast()->message : "read failed"));
            mvErrorReset();
            rpcServerClientCloseNow(client);
            return -1;
        }
        if (rc == 0)
            return 0;
        rpcServerClientHandleMessage(client, g_steal_pointer(&client->rd.msg));
        rpcSocketReaderClear(&client->rd);
    }
    return 0;
}

static gboolean
rpcServerClientIOReady(gpointer opaque)
{
    rpcServerClient *client = opaque;
    GIOCondition revents;
    bool reading;

    if (!client->source)
        return G_SOURCE_REMOVE;
    revents = g_source_query_unix_fd(client->source, client->fdTag);

    if (revents & G_IO_OUT) {
        if (rpcServerClientFlush(client) < 0)
            return G_SOURCE_REMOVE;
    }
    reading = rpcServerClientWantsInput(client);
    if (reading && (revents & (G_IO_IN | G_IO_HUP | G_IO_ERR))) {
        if (rpcServerClientReadAll(client) < 0)
            return G_SOURCE_REMOVE;
    } else if (revents & (G_IO_HUP | G_IO_ERR)) {
        /* Not reading (too many calls in flight) and the peer is gone. */
        MV_DEBUG("client %" G_GUINT64_FORMAT " hung up", client->id);
        rpcServerClientCloseNow(client);
        return G_SOURCE_REMOVE;
    }
    /* Opportunistic write of replies queued while handling input. */
    if (rpcServerClientFlush(client) < 0)
        return G_SOURCE_REMOVE;
    rpcServerClientUpdateEvents(client);
    return G_SOURCE_CONTINUE;
}

static gboolean
rpcServerClientSourceDispatch(GSource *source, GSourceFunc callback, gpointer data)
{
    return callback(data);
}

static GSourceFuncs rpcServerClientSourceFuncs = {
    .dispatch = rpcServerClientSourceDispatch,
};

static void
rpcServerNotifyCount(rpcServer *srv)
{
    rpcServerClientCountFunc cb;
    void *opaque;
    size_t n;

    g_mutex_lock(&srv->lock);
    cb = srv->countCb;
    opaque = srv->countOpaque;
    n = g_hash_table_size(srv->clients);
    g_mutex_unlock(&srv->lock);
    if (cb)
        cb(srv, n, opaque);
}

/* Closes the connection now (loop thread, or no loop running). */
static void
rpcServerClientCloseNow(rpcServerClient *client)
{
    rpcServer *srv = client->srv;
    rpcMessage *msg;
    bool removed;

    g_mutex_lock(&client->lock);
    if (client->closed) {
        g_mutex_unlock(&client->lock);
        return;
    }
    client->closed = true;
    while ((msg = g_queue_pop_head(&client->txq)))
        rpcMessageFree(msg);
    client->txBytes = 0;
    g_mutex_unlock(&client->lock);

    MV_DEBUG("closing client %" G_GUINT64_FORMAT, client->id);
    if (client->source) {
        g_source_destroy(client->source);
        g_clear_pointer(&client->source, g_source_unref);
    }
    if (client->kaTimer) {
        g_source_destroy(client->kaTimer);
        g_clear_pointer(&client->kaTimer, g_source_unref);
    }
    g_mutex_lock(&client->writeLock);
    mvFDClear(&client->fd);
    g_mutex_unlock(&client->writeLock);
    rpcSocketReaderClear(&client->rd);

    g_mutex_lock(&srv->lock);
    removed = g_hash_table_remove(srv->clients, &client->id);
    g_mutex_unlock(&srv->lock);
    if (removed) {
        rpcServerNotifyCount(srv);
        rpcServerClientUnref(client);
    }
}

/* --- accepting (loop thread) ---------------------------------------------- */

static void
rpcServerAddClient(rpcServerListener *l, int fd)
{
    rpcServer *srv = l->srv;
    rpcServerClient *client;
    rpcClientPrivNew newPriv;
    void *opaque;
    size_t n;

    g_mutex_lock(&srv->lock);
    n = g_hash_table_size(srv->clients);
    if (n >= srv->cfg.max_clients) {
        g_mutex_unlock(&srv->lock);
        MV_DEBUG("server '%s' has %zu clients (max_clients); refusing a new one on '%s'",
                 srv->name, n, l->name);
        close(fd);
        return;
    }
    client = g_new0(rpcServerClient, 1);
    g_atomic_ref_count_init(&client->refs);
    client->srv = rpcServerRef(srv);
    client->id = srv->nextClientID++;
    newPriv = srv->newPriv;
    opaque = srv->privOpaque;
    client->freePriv = srv->freePriv;
    g_mutex_unlock(&srv->lock);

    g_mutex_init(&client->lock);
    g_mutex_init(&client->writeLock);
    g_queue_init(&client->txq);
    client->fd = fd;
    client->readonly = l->readonly;
    client->timestamp = g_get_real_time() / G_USEC_PER_SEC;
    client->uid = (uid_t)-1;
    client->gid = (gid_t)-1;
    client->pid = 0;
    if (rpcSocketGetPeerCred(fd, &client->uid, &client->gid, &client->pid) < 0) {
        MV_DEBUG("client on '%s': %s", l->name, mvErrorGetLast()->message);
        mvErrorReset();
        rpcServerClientUnref(client);
        return;
    }
    if (newPriv) {
        client->priv = newPriv(client, opaque);
        if (!client->priv) {
            MV_DEBUG("client %" G_GUINT64_FORMAT " (pid %d uid %d) refused: %s", client->id,
                     (int)client->pid, (int)client->uid,
                     mvErrorGetLast() ? mvErrorGetLast()->message : "no reason given");
            mvErrorReset();
            rpcServerClientUnref(client);
            return;
        }
    }

    client->source = g_source_new(&rpcServerClientSourceFuncs, sizeof(GSource));
    client->fdTag = g_source_add_unix_fd(client->source, fd, G_IO_IN);
    g_source_set_callback(client->source, rpcServerClientIOReady, rpcServerClientRef(client),
                          (GDestroyNotify)rpcServerClientUnref);

    g_mutex_lock(&srv->lock);
    g_hash_table_insert(srv->clients, &client->id, client); /* takes the first ref */
    g_mutex_unlock(&srv->lock);
    MV_DEBUG("client %" G_GUINT64_FORMAT " connected on '%s' (pid %d uid %d%s)", client->id,
             l->name, (int)client->pid, (int)client->uid, client->readonly ? ", read-only" : "");
    g_source_attach(client->source, srv->ctx);
    rpcServerNotifyCount(srv);
}

static gboolean
rpcServerListenerReady(gint fd, GIOCondition cond, gpointer opaque)
{
    rpcServerListener *l = opaque;
    int i;

    /* A bounded batch per wakeup keeps the loop fair to existing clients. */
    for (i = 0; i < 64; i++) {
        int cfd = rpcSocketAccept(fd);

        if (cfd == -2)
            break;
        if (cfd < 0) {
            MV_DEBUG("accept on '%s': %s", l->name, mvErrorGetLast()->message);
            mvErrorReset();
            break;
        }
        rpcServerAddClient(l, cfd);
    }
    return G_SOURCE_CONTINUE;
}

static void
rpcServerListenerAttach(rpcServer *srv, rpcServerListener *l)
{
    if (l->source)
        return;
    l->source = g_unix_fd_source_new(l->fd, G_IO_IN);
    g_source_set_callback(l->source, G_SOURCE_FUNC(rpcServerListenerReady),
                          l, NULL);
    g_source_attach(l->source, srv->ctx);
}

int
rpcServerAddListener(rpcServer *srv, int fd, unsigned int flags, const char *name)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&srv->lock);
    rpcServerListener *l;

    if (rpcSocketSetBlocking(fd, false) < 0) {
        close(fd);
        return -1;
    }
    l = g_new0(rpcServerListener, 1);
    l->srv = srv;
    l->fd = fd;
    l->readonly = flags & RPC_LISTENER_READONLY;
    l->name = g_strdup(name ? name : "unnamed");
    g_ptr_array_add(srv->listeners, l);
    if (srv->started && srv->accepting)
        rpcServerListenerAttach(srv, l);
    return 0;
}

int
rpcServerStart(rpcServer *srv, GMainContext *ctx)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&srv->lock);
    g_autoptr(GError) gerr = NULL;
    size_t i;

    if (srv->started) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "server '%s' is already started", srv->name);
        return -1;
    }
    srv->workers = g_thread_pool_new_full(rpcServerWorker, srv, rpcServerJobDiscard,
                                          (gint)srv->cfg.max_workers, FALSE, &gerr);
    if (!srv->workers) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot create the worker pool: %s",
                      gerr->message);
        return -1;
    }
    if (srv->cfg.prio_workers > 0) {
        srv->prioWorkers = g_thread_pool_new_full(rpcServerWorker, srv, rpcServerJobDiscard,
                                                  (gint)srv->cfg.prio_workers, FALSE, &gerr);
        if (!srv->prioWorkers) {
            mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot create the priority pool: %s",
                          gerr->message);
            g_thread_pool_free(g_steal_pointer(&srv->workers), TRUE, FALSE);
            return -1;
        }
    }
    srv->ctx = g_main_context_ref(ctx ? ctx : g_main_context_default());
    srv->started = true;
    if (srv->accepting) {
        for (i = 0; i < srv->listeners->len; i++)
            rpcServerListenerAttach(srv, g_ptr_array_index(srv->listeners, i));
    }
    return 0;
}

void
rpcServerStopAccepting(rpcServer *srv)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&srv->lock);
    size_t i;

    srv->accepting = false;
    for (i = 0; i < srv->listeners->len; i++) {
        rpcServerListener *l = g_ptr_array_index(srv->listeners, i);

        if (l->source) {
            g_source_destroy(l->source);
            g_clear_pointer(&l->source, g_source_unref);
        }
    }
}

/* Closes every client; loop thread (or no loop running). */
static void
rpcServerCloseAll(rpcServer *srv)
{
    g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(
        (GDestroyNotify)rpcServerClientUnref);
    GHashTableIter iter;
    gpointer value;
    size_t i;

    g_mutex_lock(&srv->lock);
    g_hash_table_iter_init(&iter, srv->clients);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_ptr_array_add(all, rpcServerClientRef(value));
    g_mutex_unlock(&srv->lock);
    for (i = 0; i < all->len; i++)
        rpcServerClientCloseNow(g_ptr_array_index(all, i));
}

typedef struct {
    rpcServer *srv;
    bool done;
} rpcServerCloseAllData;

static gboolean
rpcServerCloseAllIdle(gpointer opaque)
{
    rpcServerCloseAllData *d = opaque;

    rpcServerCloseAll(d->srv);
    g_mutex_lock(&d->srv->lock);
    d->done = true;
    g_cond_broadcast(&d->srv->cond);
    g_mutex_unlock(&d->srv->lock);
    return G_SOURCE_REMOVE;
}

void
rpcServerShutdown(rpcServer *srv, gint64 deadline)
{
    GThreadPool *workers;
    GThreadPool *prio;
    bool drained;

    rpcServerStopAccepting(srv);
    g_mutex_lock(&srv->lock);
    if (srv->shutdown || !srv->started) {
        srv->shutdown = true;
        g_mutex_unlock(&srv->lock);
        return;
    }
    srv->shutdown = true;
    g_mutex_unlock(&srv->lock);

    if (g_main_context_acquire(srv->ctx)) {
        rpcServerCloseAll(srv);
        g_main_context_release(srv->ctx);
    } else {
        /* Another thread runs the loop: let it close the sockets. */
        rpcServerCloseAllData *d = g_new0(rpcServerCloseAllData, 1);
        bool done;

        d->srv = rpcServerRef(srv);
        g_main_context_invoke(srv->ctx, rpcServerCloseAllIdle, d);
        g_mutex_lock(&srv->lock);
        while (!d->done && g_cond_wait_until(&srv->cond, &srv->lock, deadline))
            ;
        done = d->done;
        g_mutex_unlock(&srv->lock);
        if (done) {
            rpcServerUnref(d->srv);
            g_free(d);
        } else {
            MV_DEBUG("the loop did not close the clients before the deadline");
            /* d is leaked on purpose: the idle may still run and use it. */
        }
    }

    g_mutex_lock(&srv->lock);
    while (srv->inflight > 0 && g_cond_wait_until(&srv->cond, &srv->lock, deadline))
        ;
    drained = srv->inflight == 0;
    workers = g_steal_pointer(&srv->workers);
    prio = g_steal_pointer(&srv->prioWorkers);
    g_mutex_unlock(&srv->lock);

    if (!drained)
        MV_DEBUG("server '%s': handlers still running at the shutdown deadline", srv->name);
    /* Queued jobs are discarded; running ones finish on their own (they
     * hold references on their client and, through it, the server). */
    if (workers)
        g_thread_pool_free(workers, TRUE, drained);
    if (prio)
        g_thread_pool_free(prio, TRUE, drained);
}
