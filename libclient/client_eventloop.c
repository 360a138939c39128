/*
 * client_eventloop: the default event loop an application registers with
 * virEventRegisterDefaultImpl() and drives with virEventRunDefaultImpl().
 *
 * It is a GMainContext private to the library.  Timers are GSources
 * attached to it; the remote driver queues event deliveries and close
 * notifications onto it from its RPC reader thread (g_main_context_invoke),
 * so applications see callbacks on the thread that runs the loop, as with
 * libvirt.  Whether a loop is registered also decides whether the remote
 * driver offers keepalive and accepts event registrations.
 *
 * The context pointer is set once and never freed; the timer table is
 * guarded by clientLoopLock, which is never held while calling out.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include "mv_error.h"
#include "client_internal.h"

#define MV_FROM_THIS VIR_FROM_EVENT

typedef struct {
    int id;
    int frequency;
    GSource *source;
    virEventTimeoutCallback cb;
    void *opaque;
    virFreeCallback ff;
} clientTimer;

static GMutex clientLoopLock;
static GMainContext *clientLoopContext;
static GHashTable *clientTimers;      /* id -> clientTimer */
static int clientNextTimer = 1;

GMainContext *
mvEventLoopContext(void)
{
    return g_atomic_pointer_get(&clientLoopContext);
}

int
virEventRegisterDefaultImpl(void)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&clientLoopLock);

    virResetLastError();
    if (!clientLoopContext) {
        clientTimers = g_hash_table_new(g_direct_hash, g_direct_equal);
        g_atomic_pointer_set(&clientLoopContext, g_main_context_new());
    }
    return 0;
}

int
virEventRunDefaultImpl(void)
{
    GMainContext *ctx = mvEventLoopContext();

    virResetLastError();
    if (!ctx) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "no event loop is registered: call virEventRegisterDefaultImpl first");
        mvDispatchError(NULL);
        return -1;
    }
    g_main_context_iteration(ctx, TRUE);
    return 0;
}

static gboolean
clientTimerFire(gpointer data)
{
    int id = GPOINTER_TO_INT(data);
    virEventTimeoutCallback cb = NULL;
    void *opaque = NULL;
    clientTimer *t;

    g_mutex_lock(&clientLoopLock);
    t = g_hash_table_lookup(clientTimers, GINT_TO_POINTER(id));
    if (t) {
        cb = t->cb;
        opaque = t->opaque;
    }
    g_mutex_unlock(&clientLoopLock);
    if (cb)
        cb(id, opaque);
    return G_SOURCE_CONTINUE;
}

/* Lock held.  Replaces the timer's source according to its frequency. */
static void
clientTimerArm(clientTimer *t)
{
    if (t->source) {
        g_source_destroy(t->source);
        g_source_unref(t->source);
        t->source = NULL;
    }
    if (t->frequency < 0)
        return;
    if (t->frequency == 0)
        t->source = g_idle_source_new();
    else
        t->source = g_timeout_source_new(t->frequency);
    g_source_set_callback(t->source, clientTimerFire, GINT_TO_POINTER(t->id), NULL);
    g_source_attach(t->source, clientLoopContext);
}

int
virEventAddTimeout(int frequency, virEventTimeoutCallback cb, void *opaque,
                   virFreeCallback ff)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&clientLoopLock);
    clientTimer *t;

    if (!clientLoopContext || !cb)
        return -1;
    t = g_new0(clientTimer, 1);
    t->id = clientNextTimer++;
    t->frequency = frequency;
    t->cb = cb;
    t->opaque = opaque;
    t->ff = ff;
    g_hash_table_insert(clientTimers, GINT_TO_POINTER(t->id), t);
    clientTimerArm(t);
    return t->id;
}

void
virEventUpdateTimeout(int timer, int frequency)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&clientLoopLock);
    clientTimer *t;

    if (!clientLoopContext)
        return;
    if (!(t = g_hash_table_lookup(clientTimers, GINT_TO_POINTER(timer))))
        return;
    t->frequency = frequency;
    clientTimerArm(t);
}

int
virEventRemoveTimeout(int timer)
{
    clientTimer *t = NULL;

    g_mutex_lock(&clientLoopLock);
    if (clientLoopContext &&
        g_hash_table_steal_extended(clientTimers, GINT_TO_POINTER(timer), NULL,
                                    (gpointer *)&t)) {
        t->frequency = -1;
        clientTimerArm(t);
    }
    g_mutex_unlock(&clientLoopLock);
    if (!t)
        return -1;
    if (t->ff)
        t->ff(t->opaque);
    g_free(t);
    return 0;
}
