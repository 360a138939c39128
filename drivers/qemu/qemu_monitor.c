/*
 * qemu_monitor: the QMP client of the QEMU driver (see qemu_monitor.h).
 *
 * Model.  Bytes from QEMU go through one json_tokener that is fed whatever
 * each read returns, so a message split over reads, or several messages in
 * one read, come out the same.  Each complete object is the greeting, an
 * event (queued for the main loop), or a reply that carries the "id" we gave
 * its command ("mv-N") and is handed to the waiting caller; anything else is
 * logged and dropped.  Commands are queued as text (with duplicates of any
 * fds to pass) and written straight away by the caller's thread as far as the
 * socket takes them; the rest is written by the main loop when the socket
 * becomes writable.  A message that grows past the size limit, invalid JSON
 * or a read/write error ends the monitor just like EOF does.
 *
 * Who does the reading.  Normally the GSource on the monitor's context.  A
 * waiting caller that can acquire the context (nobody is running it, or the
 * caller is the thread running it) polls the socket itself, in short rounds,
 * so a command never waits for a loop that is not turning.  Only one thread
 * does I/O at a time: everything below happens under mon->lock, and the poll
 * itself is done with the lock dropped but the context held.
 *
 * Lifetime.  The monitor is reference counted: the owner holds one until
 * Close, the GSource one, and each waiting caller and each dispatch one while
 * they run.  The socket is shut down at EOF or Close (waking any poller) and
 * closed only when the last reference goes, so its number is never reused
 * under a thread that still polls it.
 *
 * Locking: mon->lock guards every field below except refs (atomic) and the
 * immutable fd / ctx / callbacks.  Callbacks run with it dropped.  Order:
 * mon->lock may be held while taking the context's own lock
 * (g_main_context_acquire / wakeup), never the other way round.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mv_error.h"
#include "mv_fd.h"
#include "mv_log.h"
#include "qemu_monitor.h"

#define MV_FROM_THIS VIR_FROM_QEMU

MV_LOG_INIT("qemu.monitor");

/* bytes read per recv() */
#define MONITOR_READ_CHUNK 65536
/* recv() calls per I/O round before the main loop gets a turn elsewhere */
#define MONITOR_READS_PER_ROUND 16
/* longest single poll() of a caller that drives the socket itself (it then
 * looks again at the output queue and whether the loop has started) */
#define MONITOR_SYNC_SLICE_MS 100
/* longest sleep of a caller waiting for another thread to do the I/O before
 * it checks whether it should take over */
#define MONITOR_WAIT_SLICE_US (250 * G_TIME_SPAN_MILLISECOND)
/* nesting json-c accepts (QMP replies are shallow; query-qmp-schema ~6) */
#define MONITOR_JSON_DEPTH 64

static size_t monitorMessageLimit = MV_QEMU_MONITOR_MAX_MESSAGE;

/* One queued write: a command's text and the fds that go with its first
 * byte (our own duplicates, closed once sent). */
typedef struct {
    char *data;
    size_t len;
    size_t off;
    int fds[MV_QEMU_MONITOR_MAX_FDS];
    size_t nfds;
} qemuMonitorOut;

/* An event read but not yet delivered. */
typedef struct {
    char *name;
    struct json_object *data;
    gint64 seconds;
    unsigned int micros;
} qemuMonitorEvent;

/* A command waiting for its reply; lives on the waiter's stack. */
typedef struct {
    char id[32];
    const char *name;
    GCond *cond;                /* the waiter's, shared by a batch */
    bool done;
    struct json_object *reply;  /* whole reply object; NULL if the monitor closed */
} qemuMonitorPending;

typedef struct {
    GSource base;
    mvQemuMonitor *mon;         /* a reference */
    gpointer tag;
    GIOCondition events;        /* what the fd is polled for now */
} qemuMonitorSource;

struct _mvQemuMonitor {
    gint refs;
    GMutex lock;
    int fd;
    GMainContext *ctx;          /* a reference */
    mvQemuMonitorCallbacks cbs;
    void *opaque;

    GSource *src;               /* our reference; NULL until attached and after Close */
    bool greeted;               /* QEMU's greeting was read */
    bool closed;                /* Close was called */
    bool eof;                   /* the connection is over: no more I/O */
    bool eofError;
    bool eofNotified;           /* eofNotify ran, or must not run any more */
    char *eofReason;            /* why the connection is over, for error messages */

    bool inCallback;            /* a callback runs on cbThread */
    GThread *cbThread;
    GCond cbCond;               /* signalled when inCallback turns false */

    guint64 lastId;
    GHashTable *pending;        /* id -> qemuMonitorPending* (not owned) */
    GQueue outq;                /* qemuMonitorOut* */
    GQueue events;              /* qemuMonitorEvent* */

    struct json_tokener *tok;
    size_t msgBytes;            /* bytes of the message being parsed so far */
    char *rbuf;                 /* MONITOR_READ_CHUNK */
};

static mvQemuMonitor *
monitorRef(mvQemuMonitor *mon)
{
    g_atomic_int_inc(&mon->refs);
    return mon;
}

static void
monitorOutFree(qemuMonitorOut *out)
{
    for (size_t i = 0; i < out->nfds; i++)
        close(out->fds[i]);
    g_free(out->data);
    g_free(out);
}

static void
monitorEventFree(qemuMonitorEvent *ev)
{
    g_free(ev->name);
    json_object_put(ev->data);
    g_free(ev);
}

static void
monitorUnref(mvQemuMonitor *mon)
{
    if (!g_atomic_int_dec_and_test(&mon->refs))
        return;
    if (mon->fd >= 0)
        close(mon->fd);
    g_queue_clear_full(&mon->outq, (GDestroyNotify)monitorOutFree);
    g_queue_clear_full(&mon->events, (GDestroyNotify)monitorEventFree);
    g_hash_table_unref(mon->pending);
    if (mon->tok)
        json_tokener_free(mon->tok);
    g_main_context_unref(mon->ctx);
    g_free(mon->eofReason);
    g_free(mon->rbuf);
    g_cond_clear(&mon->cbCond);
    g_mutex_clear(&mon->lock);
    g_free(mon);
}

/* Wakes every waiting caller so it looks at its command (and at whether it
 * should take over the I/O). */
static void
monitorWakeWaitersLocked(mvQemuMonitor *mon)
{
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, mon->pending);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_cond_broadcast(((qemuMonitorPending *)value)->cond);
}

/* Ends the connection: records why, fails every waiting command, drops the
 * output and shuts the socket down.  The main loop then reports EOF. */
static void G_GNUC_PRINTF(3, 4)
monitorFailLocked(mvQemuMonitor *mon, bool error, const char *fmt, ...)
{
    GHashTableIter iter;
    gpointer value;
    va_list ap;

    if (mon->eof)
        return;
    mon->eof = true;
    mon->eofError = error;
    va_start(ap, fmt);
    mon->eofReason = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (error)
        MV_WARN("QEMU monitor (fd %d) failed: %s", mon->fd, mon->eofReason);
    else
        MV_DEBUG("QEMU monitor (fd %d) closed: %s", mon->fd, mon->eofReason);

    g_hash_table_iter_init(&iter, mon->pending);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        qemuMonitorPending *p = value;

        p->done = true;
        g_cond_broadcast(p->cond);
        g_hash_table_iter_remove(&iter);
    }
    g_queue_clear_full(&mon->outq, (GDestroyNotify)monitorOutFree);
    g_queue_init(&mon->outq);
    shutdown(mon->fd, SHUT_RDWR);
    if (mon->src)
        g_main_context_wakeup(mon->ctx);
}

/* ------------------------------------------------------------------ */
/* Incoming messages                                                    */

static void
monitorHandleEventLocked(mvQemuMonitor *mon, struct json_object *msg, const char *name)
{
    qemuMonitorEvent *ev = g_new0(qemuMonitorEvent, 1);
    struct json_object *data = NULL;
    struct json_object *ts = NULL;
    struct json_object *v;

    ev->name = g_strdup(name);
    if (json_object_object_get_ex(msg, "data", &data) && data)
        ev->data = json_object_get(data);
    if (json_object_object_get_ex(msg, "timestamp", &ts) &&
        json_object_is_type(ts, json_type_object)) {
        if (json_object_object_get_ex(ts, "seconds", &v))
            ev->seconds = json_object_get_int64(v);
        if (json_object_object_get_ex(ts, "microseconds", &v))
            ev->micros = (unsigned int)json_object_get_int64(v);
    }
    MV_DEBUG("QEMU monitor (fd %d) event %s", mon->fd, name);
    g_queue_push_tail(&mon->events, ev);
}

static void
monitorHandleMessageLocked(mvQemuMonitor *mon, struct json_object *msg)
{
    struct json_object *v = NULL;
    qemuMonitorPending *p;

    if (!json_object_is_type(msg, json_type_object)) {
        MV_DEBUG("QEMU monitor (fd %d): ignoring a message that is not an object", mon->fd);
        return;
    }
    if (!mon->greeted) {
        if (!json_object_object_get_ex(msg, "QMP", NULL)) {
            monitorFailLocked(mon, true, "QEMU did not start with a QMP greeting: %s",
                              json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN));
            return;
        }
        mon->greeted = true;
        return;
    }
    if (json_object_object_get_ex(msg, "event", &v) && json_object_is_type(v, json_type_string)) {
        monitorHandleEventLocked(mon, msg, json_object_get_string(v));
        return;
    }
    if (json_object_object_get_ex(msg, "id", &v) && json_object_is_type(v, json_type_string)) {
        const char *id = json_object_get_string(v);

        if ((p = g_hash_table_lookup(mon->pending, id))) {
            p->reply = json_object_get(msg);
            p->done = true;
            g_hash_table_remove(mon->pending, id);
            g_cond_broadcast(p->cond);
        } else {
            MV_DEBUG("QEMU monitor (fd %d): dropping the reply to '%s', nobody waits for it",
                     mon->fd, id);
        }
        return;
    }
    MV_DEBUG("QEMU monitor (fd %d): ignoring a message without event or id: %.200s",
             mon->fd, json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN));
}

/* Feeds @len bytes to the parser and handles every message they complete. */
static void
monitorFeedLocked(mvQemuMonitor *mon, const char *buf, size_t len)
{
    size_t limit = __atomic_load_n(&monitorMessageLimit, __ATOMIC_RELAXED);

    while (len > 0 && !mon->eof) {
        struct json_object *msg;
        enum json_tokener_error jerr;
        size_t used;
        int chunk = len > G_MAXINT ? G_MAXINT : (int)len;

        msg = json_tokener_parse_ex(mon->tok, buf, chunk);
        jerr = json_tokener_get_error(mon->tok);
        if (jerr == json_tokener_continue) {
            mon->msgBytes += (size_t)chunk;
            if (mon->msgBytes > limit)
                monitorFailLocked(mon, true,
                                  "QEMU sent a message larger than %zu bytes on the monitor",
                                  limit);
            buf += chunk;
            len -= (size_t)chunk;
            continue;
        }
        if (jerr != json_tokener_success) {
            monitorFailLocked(mon, true, "QEMU sent invalid JSON on the monitor (%s)",
                              json_tokener_error_desc(jerr));
            return;
        }
        used = json_tokener_get_parse_end(mon->tok);
        if (used == 0 || used > (size_t)chunk) {
            json_object_put(msg);
            monitorFailLocked(mon, true, "the JSON parser of the monitor lost its place");
            return;
        }
        if (mon->msgBytes + used > limit) {
            json_object_put(msg);
            monitorFailLocked(mon, true,
                              "QEMU sent a message larger than %zu bytes on the monitor", limit);
            return;
        }
        mon->msgBytes = 0;
        if (msg)
            monitorHandleMessageLocked(mon, msg);
        json_object_put(msg);
        buf += used;
        len -= used;
    }
}

static void
monitorReadLocked(mvQemuMonitor *mon)
{
    for (int i = 0; i < MONITOR_READS_PER_ROUND && !mon->eof; i++) {
        ssize_t n = recv(mon->fd, mon->rbuf, MONITOR_READ_CHUNK, MSG_DONTWAIT);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (errno != ECONNRESET) {
                monitorFailLocked(mon, true, "cannot read from the QEMU monitor: %s",
                                  g_strerror(errno));
                return;
            }
            /* QEMU exited before reading all we sent: still just an exit */
            n = 0;
        }
        if (n == 0) {
            monitorFailLocked(mon, false, "QEMU closed the monitor connection");
            return;
        }
        monitorFeedLocked(mon, mon->rbuf, (size_t)n);
        if (n < MONITOR_READ_CHUNK)
            return;
    }
}

/* ------------------------------------------------------------------ */
/* Outgoing messages                                                    */

/* Writes as much of the output queue as the socket takes now. */
static void
monitorWriteLocked(mvQemuMonitor *mon)
{
    qemuMonitorOut *out;
    int err;

    while (!mon->eof && (out = g_queue_peek_head(&mon->outq))) {
        union {
            char buf[CMSG_SPACE(sizeof(int) * MV_QEMU_MONITOR_MAX_FDS)];
            struct cmsghdr align;
        } control;
        struct iovec iov = { .iov_base = out->data + out->off, .iov_len = out->len - out->off };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
        ssize_t n;

        if (out->nfds > 0) {
            struct cmsghdr *cmsg;

            memset(&control, 0, sizeof(control));
            msg.msg_control = control.buf;
            msg.msg_controllen = CMSG_SPACE(sizeof(int) * out->nfds);
            cmsg = CMSG_FIRSTHDR(&msg);
            cmsg->cmsg_level = SOL_SOCKET;
            cmsg->cmsg_type = SCM_RIGHTS;
            cmsg->cmsg_len = CMSG_LEN(sizeof(int) * out->nfds);
            memcpy(CMSG_DATA(cmsg), out->fds, sizeof(int) * out->nfds);
        }
        n = sendmsg(mon->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            err = errno;
            if (err == EPIPE || err == ECONNRESET) {
                /* QEMU is gone; what it said before going (SHUTDOWN, ...) is
                 * still worth reading, up to its EOF */
                g_queue_clear_full(&mon->outq, (GDestroyNotify)monitorOutFree);
                g_queue_init(&mon->outq);
                monitorReadLocked(mon);
            }
            monitorFailLocked(mon, true, "cannot write to the QEMU monitor: %s",
                              g_strerror(err));
            return;
        }
        /* the fds went with the first byte */
        for (size_t i = 0; i < out->nfds; i++)
            close(out->fds[i]);
        out->nfds = 0;
        out->off += (size_t)n;
        if (out->off == out->len)
            monitorOutFree(g_queue_pop_head(&mon->outq));
    }
}

/* Does the I/O @cond says is possible. */
static void
monitorIOLocked(mvQemuMonitor *mon, GIOCondition cond)
{
    if (mon->eof)
        return;
    if (g_queue_get_length(&mon->outq) > 0 && (cond & (G_IO_OUT | G_IO_ERR)))
        monitorWriteLocked(mon);
    if (cond & (G_IO_IN | G_IO_HUP | G_IO_ERR))
        monitorReadLocked(mon);
}

/* One round of I/O driven by the calling thread: polls the socket for at most
 * MONITOR_SYNC_SLICE_MS (less if @deadline comes first) with the lock dropped,
 * then reads / writes.  Called locked; returns locked. */
static void
monitorSyncRoundLocked(mvQemuMonitor *mon, gint64 deadline)
{
    struct pollfd pfd = { .fd = mon->fd, .events = POLLIN };
    gint64 left = deadline - g_get_monotonic_time();
    int ms = (int)MIN((left + 999) / 1000, MONITOR_SYNC_SLICE_MS);
    int r;

    if (ms < 0)
        ms = 0;
    if (g_queue_get_length(&mon->outq) > 0)
        pfd.events |= POLLOUT;
    g_mutex_unlock(&mon->lock);
    r = poll(&pfd, 1, ms);
    g_mutex_lock(&mon->lock);
    if (r > 0) {
        GIOCondition cond = 0;

        if (pfd.revents & POLLIN)
            cond |= G_IO_IN;
        if (pfd.revents & POLLOUT)
            cond |= G_IO_OUT;
        if (pfd.revents & POLLHUP)
            cond |= G_IO_HUP;
        if (pfd.revents & (POLLERR | POLLNVAL))
            cond |= G_IO_ERR;
        monitorIOLocked(mon, cond);
    } else if (r < 0 && errno != EINTR) {
        monitorFailLocked(mon, true, "cannot poll the QEMU monitor: %s", g_strerror(errno));
    }
}

/* ------------------------------------------------------------------ */
/* The main-loop side                                                   */

static gboolean
monitorSourceReadyLocked(mvQemuMonitor *mon)
{
    return mon->closed || g_queue_get_length(&mon->events) > 0 ||
           (mon->eof && !mon->eofNotified);
}

static gboolean
monitorSourcePrepare(GSource *source, gint *timeout)
{
    qemuMonitorSource *s = (qemuMonitorSource *)source;
    mvQemuMonitor *mon = s->mon;
    GIOCondition want = G_IO_IN;
    gboolean ready;

    *timeout = -1;
    g_mutex_lock(&mon->lock);
    if (g_queue_get_length(&mon->outq) > 0)
        want |= G_IO_OUT;
    if (mon->eof || mon->closed)
        want = 0;
    ready = monitorSourceReadyLocked(mon);
    g_mutex_unlock(&mon->lock);
    if (want != s->events) {
        g_source_modify_unix_fd(source, s->tag, want);
        s->events = want;
    }
    return ready;
}

static gboolean
monitorSourceCheck(GSource *source)
{
    qemuMonitorSource *s = (qemuMonitorSource *)source;
    gboolean ready;

    if (g_source_query_unix_fd(source, s->tag) != 0)
        return TRUE;
    g_mutex_lock(&s->mon->lock);
    ready = monitorSourceReadyLocked(s->mon);
    g_mutex_unlock(&s->mon->lock);
    return ready;
}

static gboolean
monitorSourceDispatch(GSource *source, GSourceFunc callback, gpointer data)
{
    qemuMonitorSource *s = (qemuMonitorSource *)source;
    mvQemuMonitor *mon = monitorRef(s->mon);
    GIOCondition revents = g_source_query_unix_fd(source, s->tag);
    qemuMonitorEvent *ev;
    gboolean keep;

    g_mutex_lock(&mon->lock);
    if (!mon->closed)
        monitorIOLocked(mon, revents);

    mon->inCallback = true;
    mon->cbThread = g_thread_self();
    while (!mon->closed && (ev = g_queue_pop_head(&mon->events))) {
        void (*notify)(mvQemuMonitor *, const char *, struct json_object *,
                       gint64, unsigned int, void *) = mon->cbs.eventNotify;
        void *opaque = mon->opaque;

        g_mutex_unlock(&mon->lock);
        if (notify)
            notify(mon, ev->name, ev->data, ev->seconds, ev->micros, opaque);
        monitorEventFree(ev);
        g_mutex_lock(&mon->lock);
    }
    if (!mon->closed && mon->eof && !mon->eofNotified) {
        void (*notify)(mvQemuMonitor *, bool, void *) = mon->cbs.eofNotify;
        void *opaque = mon->opaque;
        bool error = mon->eofError;

        mon->eofNotified = true;
        g_mutex_unlock(&mon->lock);
        if (notify)
            notify(mon, error, opaque);
        g_mutex_lock(&mon->lock);
    }
    mon->inCallback = false;
    mon->cbThread = NULL;
    g_cond_broadcast(&mon->cbCond);
    keep = !mon->closed && !mon->eofNotified;
    g_mutex_unlock(&mon->lock);
    monitorUnref(mon);
    return keep ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
monitorSourceFinalize(GSource *source)
{
    monitorUnref(((qemuMonitorSource *)source)->mon);
}

static GSourceFuncs monitorSourceFuncs = {
    .prepare = monitorSourcePrepare,
    .check = monitorSourceCheck,
    .dispatch = monitorSourceDispatch,
    .finalize = monitorSourceFinalize,
};

/* ------------------------------------------------------------------ */
/* Commands                                                             */

static void
monitorReportClosedLocked(mvQemuMonitor *mon)
{
    mvReportError(VIR_ERR_OPERATION_INVALID, "QEMU monitor is closed (%s)",
                  mon->eofReason ? mon->eofReason : "no connection");
}

/* Whether the waiter of @pend is done: every command has its reply, or (in
 * order) one failed or the monitor closed before a command still missing. */
static bool
monitorPendingFinished(const qemuMonitorPending *pend, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!pend[i].done)
            return false;
        if (!pend[i].reply || json_object_object_get_ex(pend[i].reply, "error", NULL))
            return true;
    }
    return true;
}

/* Sends @wire (with @fds) for the @n commands of @pend and waits until every
 * command has its reply, one fails (the earlier ones having succeeded), the
 * monitor closes or @timeoutMs passes.  Returns 0 when the replies up to the
 * first failure (or all) are there, -1 with an error reported otherwise.
 * Replies received stay in pend[i].reply for the caller to release. */
static int
monitorTransact(mvQemuMonitor *mon, qemuMonitorPending *pend, size_t n, GString *wire,
                const int *fds, size_t nfds, int timeoutMs)
{
    qemuMonitorOut *out;
    GCond cond;
    gint64 deadline;
    bool finished;
    int ret = 0;

    if (timeoutMs <= 0)
        timeoutMs = MV_QEMU_MONITOR_DEFAULT_TIMEOUT_MS;
    deadline = g_get_monotonic_time() + (gint64)timeoutMs * G_TIME_SPAN_MILLISECOND;

    out = g_new0(qemuMonitorOut, 1);
    for (size_t i = 0; i < nfds; i++) {
        int dup = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);

        if (dup < 0) {
            mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot duplicate fd %d to pass to QEMU: %s",
                          fds[i], g_strerror(errno));
            monitorOutFree(out);
            g_string_free(wire, TRUE);
            return -1;
        }
        out->fds[out->nfds++] = dup;
    }
    out->len = wire->len;
    out->data = g_string_free(wire, FALSE);

    g_cond_init(&cond);
    g_mutex_lock(&mon->lock);
    if (mon->eof || mon->closed) {
        monitorReportClosedLocked(mon);
        g_mutex_unlock(&mon->lock);
        monitorOutFree(out);
        g_cond_clear(&cond);
        return -1;
    }
    monitorRef(mon);
    for (size_t i = 0; i < n; i++) {
        pend[i].cond = &cond;
        g_hash_table_insert(mon->pending, pend[i].id, &pend[i]);
    }
    g_queue_push_tail(&mon->outq, out);
    monitorWriteLocked(mon);
    if (mon->src && g_queue_get_length(&mon->outq) > 0)
        g_main_context_wakeup(mon->ctx);

    while (!(finished = monitorPendingFinished(pend, n)) &&
           g_get_monotonic_time() < deadline) {
        if (!mon->src) {
            /* still opening, or closed: nothing else reads */
            monitorSyncRoundLocked(mon, deadline);
        } else if (g_main_context_acquire(mon->ctx)) {
            /* nobody runs the loop, or we are its thread: read ourselves */
            monitorSyncRoundLocked(mon, deadline);
            g_main_context_release(mon->ctx);
            monitorWakeWaitersLocked(mon);
        } else {
            g_cond_wait_until(&cond, &mon->lock,
                              MIN(deadline, g_get_monotonic_time() + MONITOR_WAIT_SLICE_US));
        }
    }

    if (!finished) {
        for (size_t i = 0; i < n; i++) {
            if (!pend[i].done) {
                mvReportError(VIR_ERR_OPERATION_TIMEOUT,
                              "no reply from QEMU to command '%s' within %d ms",
                              pend[i].name, timeoutMs);
                break;
            }
        }
        ret = -1;
    } else {
        /* in order: a QMP error is the caller's to report, a hole is the close */
        for (size_t i = 0; i < n && pend[i].done; i++) {
            if (!pend[i].reply) {
                monitorReportClosedLocked(mon);
                ret = -1;
                break;
            }
            if (json_object_object_get_ex(pend[i].reply, "error", NULL))
                break;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!pend[i].done)
            g_hash_table_remove(mon->pending, pend[i].id);
    }
    g_mutex_unlock(&mon->lock);
    g_cond_clear(&cond);
    monitorUnref(mon);
    return ret;
}

/* Gives @p its id and appends its command to @wire.  Takes @args. */
static int
monitorAppendCommand(mvQemuMonitor *mon, qemuMonitorPending *p, const char *name,
                     struct json_object *args, GString *wire)
{
    struct json_object *cmd;
    guint64 id;

    if (!name || !*name) {
        json_object_put(args);
        mvReportError(VIR_ERR_INTERNAL_ERROR, "QMP command without a name");
        return -1;
    }
    if (args && !json_object_is_type(args, json_type_object)) {
        json_object_put(args);
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "the arguments of QEMU command '%s' must be a JSON object", name);
        return -1;
    }
    id = __atomic_add_fetch(&mon->lastId, 1, __ATOMIC_RELAXED);
    g_snprintf(p->id, sizeof(p->id), "mv-%" G_GUINT64_FORMAT, id);
    p->name = name;
    cmd = json_object_new_object();
    json_object_object_add(cmd, "execute", json_object_new_string(name));
    if (args)
        json_object_object_add(cmd, "arguments", args);
    json_object_object_add(cmd, "id", json_object_new_string(p->id));
    g_string_append(wire, json_object_to_json_string_ext(cmd, JSON_C_TO_STRING_PLAIN |
                                                              JSON_C_TO_STRING_NOSLASHESCAPE));
    g_string_append(wire, "\r\n");
    json_object_put(cmd);
    return 0;
}

/* The "return" of @reply (new reference), or NULL with QEMU's error. */
static struct json_object *
monitorReplyResult(const char *name, struct json_object *reply)
{
    struct json_object *ret = NULL;
    struct json_object *err = NULL;
    struct json_object *desc = NULL;

    if (json_object_object_get_ex(reply, "return", &ret))
        return ret ? json_object_get(ret) : json_object_new_object();
    if (json_object_object_get_ex(reply, "error", &err) && err) {
        if (json_object_object_get_ex(err, "desc", &desc) &&
            json_object_is_type(desc, json_type_string)) {
            mvReportError(VIR_ERR_INTERNAL_ERROR, "QEMU command '%s' failed: %s",
                          name, json_object_get_string(desc));
        } else {
            mvReportError(VIR_ERR_INTERNAL_ERROR, "QEMU command '%s' failed: %s", name,
                          json_object_to_json_string_ext(err, JSON_C_TO_STRING_PLAIN));
        }
        return NULL;
    }
    mvReportError(VIR_ERR_INTERNAL_ERROR,
                  "QEMU answered command '%s' with neither 'return' nor 'error'", name);
    return NULL;
}

static void
monitorJsonPut(gpointer obj)
{
    json_object_put(obj);
}

static bool
monitorCheckArg(mvQemuMonitor *mon)
{
    if (!mon) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "QEMU monitor is closed (no monitor)");
        return false;
    }
    return true;
}

struct json_object *
mvQemuMonitorCommandWithFDs(mvQemuMonitor *mon, const char *name, struct json_object *args,
                            const int *fds, size_t nfds, int timeoutMs)
{
    qemuMonitorPending p = { 0 };
    GString *wire;
    struct json_object *result;

    if (!monitorCheckArg(mon)) {
        json_object_put(args);
        return NULL;
    }
    if (nfds > MV_QEMU_MONITOR_MAX_FDS) {
        json_object_put(args);
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "cannot pass %zu fds with QEMU command '%s' (at most %d)",
                      nfds, name, MV_QEMU_MONITOR_MAX_FDS);
        return NULL;
    }
    wire = g_string_new(NULL);
    if (monitorAppendCommand(mon, &p, name, args, wire) < 0) {
        g_string_free(wire, TRUE);
        return NULL;
    }
    if (monitorTransact(mon, &p, 1, wire, fds, nfds, timeoutMs) < 0) {
        json_object_put(p.reply);
        return NULL;
    }
    result = monitorReplyResult(name, p.reply);
    json_object_put(p.reply);
    return result;
}

struct json_object *
mvQemuMonitorCommand(mvQemuMonitor *mon, const char *name, struct json_object *args,
                     int timeoutMs)
{
    return mvQemuMonitorCommandWithFDs(mon, name, args, NULL, 0, timeoutMs);
}

int
mvQemuMonitorCommandBatch(mvQemuMonitor *mon, size_t n, const char *const *names,
                          struct json_object **args, struct json_object **replies,
                          int timeoutMs)
{
    g_autofree qemuMonitorPending *pend = g_new0(qemuMonitorPending, n ? n : 1);
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func(
        monitorJsonPut);
    GString *wire = NULL;
    size_t i;
    int ret = -1;

    for (i = 0; i < n; i++)
        replies[i] = NULL;
    if (!monitorCheckArg(mon)) {
        for (i = 0; i < n; i++)
            g_clear_pointer(&args[i], json_object_put);
        return -1;
    }
    if (n == 0)
        return 0;
    wire = g_string_new(NULL);
    for (i = 0; i < n; i++) {
        if (monitorAppendCommand(mon, &pend[i], names[i], g_steal_pointer(&args[i]), wire) < 0) {
            for (i++; i < n; i++)
                g_clear_pointer(&args[i], json_object_put);
            g_string_free(wire, TRUE);
            return -1;
        }
    }
    if (monitorTransact(mon, pend, n, wire, NULL, 0, timeoutMs) == 0) {
        for (i = 0; i < n; i++) {
            struct json_object *r = monitorReplyResult(names[i], pend[i].reply);

            if (!r)
                break;
            g_ptr_array_add(results, r);
        }
        if (i == n) {
            for (i = 0; i < n; i++)
                replies[i] = json_object_get(g_ptr_array_index(results, i));
            ret = 0;
        }
    }
    for (i = 0; i < n; i++)
        json_object_put(pend[i].reply);
    return ret;
}

char *
mvQemuMonitorHMP(mvQemuMonitor *mon, const char *cmdline, int timeoutMs)
{
    struct json_object *args = json_object_new_object();
    struct json_object *ret;
    char *text;

    json_object_object_add(args, "command-line", json_object_new_string(cmdline ? cmdline : ""));
    if (!(ret = mvQemuMonitorCommand(mon, "human-monitor-command", args, timeoutMs)))
        return NULL;
    if (!json_object_is_type(ret, json_type_string)) {
        json_object_put(ret);
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "QEMU answered human-monitor-command with something other than text");
        return NULL;
    }
    text = g_strdup(json_object_get_string(ret));
    json_object_put(ret);
    return text;
}

char *
mvQemuMonitorRaw(mvQemuMonitor *mon, const char *json, int timeoutMs)
{
    qemuMonitorPending p = { 0 };
    struct json_object *cmd = NULL;
    struct json_object *userId = NULL;
    struct json_object *exec = NULL;
    enum json_tokener_error jerr = json_tokener_success;
    GString *wire;
    char *text;
    guint64 id;

    if (!monitorCheckArg(mon))
        return NULL;
    if (!json || !(cmd = json_tokener_parse_verbose(json, &jerr)) ||
        !json_object_is_type(cmd, json_type_object)) {
        if (json && jerr == json_tokener_success)
            json_object_put(cmd);
        mvReportError(VIR_ERR_INVALID_ARG, "the QMP command is not a JSON object%s%s",
                      jerr != json_tokener_success ? ": " : "",
                      jerr != json_tokener_success ? json_tokener_error_desc(jerr) : "");
        return NULL;
    }
    if (json_object_object_get_ex(cmd, "id", &userId))
        json_object_get(userId);
    if (!json_object_object_get_ex(cmd, "execute", &exec) &&
        !json_object_object_get_ex(cmd, "exec-oob", &exec))
        exec = NULL;
    p.name = exec && json_object_is_type(exec, json_type_string) ?
             json_object_get_string(exec) : "(raw)";
    id = __atomic_add_fetch(&mon->lastId, 1, __ATOMIC_RELAXED);
    g_snprintf(p.id, sizeof(p.id), "mv-%" G_GUINT64_FORMAT, id);
    json_object_object_add(cmd, "id", json_object_new_string(p.id));
    wire = g_string_new(json_object_to_json_string_ext(cmd, JSON_C_TO_STRING_PLAIN |
                                                            JSON_C_TO_STRING_NOSLASHESCAPE));
    g_string_append(wire, "\r\n");
    if (monitorTransact(mon, &p, 1, wire, NULL, 0, timeoutMs) < 0) {
        json_object_put(p.reply);
        json_object_put(userId);
        json_object_put(cmd);
        return NULL;
    }
    json_object_object_del(p.reply, "id");
    if (userId)
        json_object_object_add(p.reply, "id", userId);
    text = g_strdup(json_object_to_json_string_ext(p.reply, JSON_C_TO_STRING_PLAIN |
                                                            JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(p.reply);
    json_object_put(cmd);
    return text;
}

/* ------------------------------------------------------------------ */
/* Opening and closing                                                  */

mvQemuMonitor *
mvQemuMonitorOpenFD(int fd, GMainContext *ctx, int timeoutMs,
                    const mvQemuMonitorCallbacks *cbs, void *opaque)
{
    mvQemuMonitor *mon;
    qemuMonitorSource *s;
    struct json_object *caps;
    gint64 deadline;
    int flags;

    if (fd < 0) {
        mvReportError(VIR_ERR_OPERATION_FAILED, "no connection to the QEMU monitor (fd %d)", fd);
        return NULL;
    }
    if (timeoutMs <= 0)
        timeoutMs = MV_QEMU_MONITOR_DEFAULT_TIMEOUT_MS;
    deadline = g_get_monotonic_time() + (gint64)timeoutMs * G_TIME_SPAN_MILLISECOND;
    if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
        fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        mvReportError(VIR_ERR_OPERATION_FAILED, "cannot set up the QEMU monitor socket: %s",
                      g_strerror(errno));
        close(fd);
        return NULL;
    }

    mon = g_new0(mvQemuMonitor, 1);
    mon->refs = 1;
    g_mutex_init(&mon->lock);
    g_cond_init(&mon->cbCond);
    mon->fd = fd;
    mon->ctx = g_main_context_ref(ctx ? ctx : g_main_context_default());
    if (cbs)
        mon->cbs = *cbs;
    mon->opaque = opaque;
    mon->pending = g_hash_table_new(g_str_hash, g_str_equal);
    g_queue_init(&mon->outq);
    g_queue_init(&mon->events);
    mon->tok = json_tokener_new_ex(MONITOR_JSON_DEPTH);
    mon->rbuf = g_malloc(MONITOR_READ_CHUNK);

    g_mutex_lock(&mon->lock);
    while (!mon->greeted && !mon->eof && g_get_monotonic_time() < deadline)
        monitorSyncRoundLocked(mon, deadline);
    if (!mon->greeted) {
        if (mon->eof)
            mvReportError(VIR_ERR_OPERATION_FAILED,
                          "QEMU monitor failed before its QMP greeting: %s", mon->eofReason);
        else
            mvReportError(VIR_ERR_OPERATION_TIMEOUT,
                          "QEMU sent no QMP greeting on its monitor within %d ms", timeoutMs);
        g_mutex_unlock(&mon->lock);
        goto error;
    }
    g_mutex_unlock(&mon->lock);

    caps = mvQemuMonitorCommand(mon, "qmp_capabilities", NULL,
                                (int)MAX(1, (deadline - g_get_monotonic_time()) / 1000));
    if (!caps) {
        virErrorPtr err = mvErrorGetLast();

        if (!err || err->code != VIR_ERR_OPERATION_TIMEOUT) {
            g_autofree char *why = NULL;

            g_mutex_lock(&mon->lock);
            why = g_strdup(mon->eofReason);
            g_mutex_unlock(&mon->lock);
            if (!why)
                why = g_strdup(err && err->message ? err->message : "unknown error");
            mvErrorReset();
            mvReportError(VIR_ERR_OPERATION_FAILED,
                          "QMP capability negotiation with QEMU failed: %s", why);
        }
        goto error;
    }
    json_object_put(caps);

    s = (qemuMonitorSource *)g_source_new(&monitorSourceFuncs, sizeof(qemuMonitorSource));
    s->mon = monitorRef(mon);
    s->events = G_IO_IN;
    s->tag = g_source_add_unix_fd(&s->base, fd, G_IO_IN);
    g_source_set_name(&s->base, "qemu-monitor");
    g_mutex_lock(&mon->lock);
    mon->src = &s->base;
    g_mutex_unlock(&mon->lock);
    g_source_attach(&s->base, mon->ctx);
    MV_DEBUG("QEMU monitor (fd %d) open", fd);
    return mon;

 error:
    monitorUnref(mon);
    return NULL;
}

mvQemuMonitor *
mvQemuMonitorOpen(const char *path, GMainContext *ctx, int timeoutMs,
                  const mvQemuMonitorCallbacks *cbs, void *opaque)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    gint64 start = g_get_monotonic_time();
    gint64 deadline;
    gint64 left;
    gulong delay = 5000;
    int err;

    if (timeoutMs <= 0)
        timeoutMs = MV_QEMU_MONITOR_DEFAULT_TIMEOUT_MS;
    deadline = start + (gint64)timeoutMs * G_TIME_SPAN_MILLISECOND;
    if (!path || strlen(path) >= sizeof(addr.sun_path)) {
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "QEMU monitor socket path '%s' is empty or longer than %zu bytes",
                      path ? path : "", sizeof(addr.sun_path) - 1);
        return NULL;
    }
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));

    for (;;) {
        MV_AUTOCLOSE int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        if (fd < 0) {
            mvReportError(VIR_ERR_OPERATION_FAILED,
                          "cannot create a socket for the QEMU monitor: %s", g_strerror(errno));
            return NULL;
        }
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
            left = (deadline - g_get_monotonic_time()) / 1000;
            return mvQemuMonitorOpenFD(g_steal_fd(&fd), ctx, (int)MAX(left, 1), cbs, opaque);
        }
        err = errno;
        if (err != ECONNREFUSED && err != ENOENT && err != EINTR && err != EAGAIN) {
            mvReportError(VIR_ERR_OPERATION_FAILED,
                          "cannot connect to the QEMU monitor socket '%s': %s", path,
                          g_strerror(err));
            return NULL;
        }
        if (g_get_monotonic_time() + (gint64)delay >= deadline) {
            mvReportError(VIR_ERR_OPERATION_TIMEOUT,
                          "the QEMU monitor socket '%s' accepted no connection within %d ms (%s)",
                          path, timeoutMs, g_strerror(err));
            return NULL;
        }
        g_usleep(delay);
        delay = MIN(delay * 2, 100000);
    }
}

void
mvQemuMonitorSetOpaque(mvQemuMonitor *mon, void *opaque)
{
    if (!mon)
        return;
    g_mutex_lock(&mon->lock);
    mon->opaque = opaque;
    g_mutex_unlock(&mon->lock);
}

void *
mvQemuMonitorGetOpaque(mvQemuMonitor *mon)
{
    void *opaque;

    if (!mon)
        return NULL;
    g_mutex_lock(&mon->lock);
    opaque = mon->opaque;
    g_mutex_unlock(&mon->lock);
    return opaque;
}

bool
mvQemuMonitorIsOpen(mvQemuMonitor *mon)
{
    bool open;

    if (!mon)
        return false;
    g_mutex_lock(&mon->lock);
    open = !mon->closed && !mon->eof;
    g_mutex_unlock(&mon->lock);
    return open;
}

void
mvQemuMonitorClose(mvQemuMonitor *mon)
{
    GSource *src;

    if (!mon)
        return;
    g_mutex_lock(&mon->lock);
    if (mon->closed) {
        g_mutex_unlock(&mon->lock);
        return;
    }
    mon->closed = true;
    mon->eofNotified = true;
    monitorFailLocked(mon, false, "the monitor was closed by the driver");
    src = g_steal_pointer(&mon->src);
    /* a callback running elsewhere may still use the caller's opaque */
    while (mon->inCallback && mon->cbThread != g_thread_self())
        g_cond_wait(&mon->cbCond, &mon->lock);
    g_mutex_unlock(&mon->lock);
    if (src) {
        g_source_destroy(src);
        g_source_unref(src);
    }
    monitorUnref(mon);
}

void
mvQemuMonitorSetMessageLimit(size_t bytes)
{
    __atomic_store_n(&monitorMessageLimit, bytes ? bytes : MV_QEMU_MONITOR_MAX_MESSAGE,
                     __ATOMIC_RELAXED);
}
