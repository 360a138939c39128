/*
 * daemon_idle: libvirt's `--timeout N` auto-shutdown.
 *
 * The daemon exits N seconds after it became idle: no client on any of its
 * servers and nothing the state driver counts as keeping it alive
 * (inhibitCount(), e.g. running guests).  The timer is (re)started whenever
 * the client count drops to zero and cancelled when a client arrives; when
 * it fires with the driver still inhibiting, it simply starts again.
 *
 * Everything here runs in the main loop; the admin interface changes the
 * timeout through daemonIdleSetTimeout(), which hops into the loop.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include "daemon_priv.h"
#include "mv_log.h"

MV_LOG_INIT("daemon.idle");

static size_t
daemonIdleClients(mvDaemon *daemon)
{
    size_t n;

    g_mutex_lock(&daemon->lock);
    n = daemon->main.nclients + daemon->adminServer.nclients;
    g_mutex_unlock(&daemon->lock);
    return n;
}

static unsigned int
daemonIdleInhibitors(mvDaemon *daemon)
{
    const mvStateDriver *drv = daemon->spec->stateDriver;

    return drv && drv->inhibitCount ? drv->inhibitCount() : 0;
}

static gboolean
daemonIdleFire(gpointer opaque)
{
    mvDaemon *daemon = opaque;
    unsigned int inhibit = daemonIdleInhibitors(daemon);

    if (daemonIdleClients(daemon) > 0) {
        daemon->idleTimer = 0;
        return G_SOURCE_REMOVE;
    }
    if (inhibit > 0) {
        MV_DEBUG("idle timeout reached but the driver holds %u inhibitors; waiting again",
                 inhibit);
        return G_SOURCE_CONTINUE;
    }
    MV_INFO("no clients for %d seconds, shutting down", daemon->idleTimeout);
    daemon->idleTimer = 0;
    daemon->quitting = true;
    g_main_loop_quit(daemon->loop);
    return G_SOURCE_REMOVE;
}

void
daemonIdleUpdate(mvDaemon *daemon)
{
    int timeout;

    g_mutex_lock(&daemon->lock);
    timeout = daemon->idleTimeout;
    g_mutex_unlock(&daemon->lock);

    if (daemonIdleClients(daemon) > 0 || timeout <= 0 || daemon->quitting) {
        if (daemon->idleTimer) {
            MV_DEBUG("idle timer stopped");
            g_source_remove(daemon->idleTimer);
            daemon->idleTimer = 0;
        }
        return;
    }
    if (daemon->idleTimer)
        return;
    MV_DEBUG("idle: exiting in %d seconds unless a client arrives", timeout);
    {
        /* a precise timer: the seconds variant may fire up to a second early */
        GSource *src = g_timeout_source_new((guint)timeout * 1000);

        g_source_set_callback(src, daemonIdleFire, daemon, NULL);
        daemon->idleTimer = g_source_attach(src, daemon->ctx);
        g_source_unref(src);
    }
}

void
daemonIdleSetup(mvDaemon *daemon, int timeout)
{
    g_mutex_lock(&daemon->lock);
    daemon->idleTimeout = timeout;
    g_mutex_unlock(&daemon->lock);
    daemonIdleUpdate(daemon);
}

static gboolean
daemonIdleRestart(gpointer opaque)
{
    mvDaemon *daemon = opaque;

    if (daemon->idleTimer) {
        g_source_remove(daemon->idleTimer);
        daemon->idleTimer = 0;
    }
    daemonIdleUpdate(daemon);
    return G_SOURCE_REMOVE;
}

void
daemonIdleSetTimeout(mvDaemon *daemon, int timeout)
{
    g_mutex_lock(&daemon->lock);
    daemon->idleTimeout = timeout;
    g_mutex_unlock(&daemon->lock);
    g_main_context_invoke(daemon->ctx, daemonIdleRestart, daemon);
}
