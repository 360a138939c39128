/*
 * daemon_event: what every event registration of a client (domain, network,
 * secret) needs to reach it: a link to the client, which outlives it, and
 * the callback id the client was given.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include "daemon_priv.h"
#include "mv_error.h"
#include "mv_log.h"
#include "remote_protocol.h"

MV_LOG_INIT("daemon.event");

daemonEventData *
daemonEventDataNew(daemonClientLink *link)
{
    daemonEventData *data = g_new0(daemonEventData, 1);

    data->link = daemonClientLinkRef(link);
    data->callbackID = -1;
    return data;
}

void
daemonEventDataFree(void *opaque)
{
    daemonEventData *data = opaque;

    if (!data)
        return;
    daemonClientLinkUnref(data->link);
    g_free(data);
}

void
daemonEventSend(daemonEventData *data, int proc, xdrproc_t filter, void *msg)
{
    int rc = 0;

    g_mutex_lock(&data->link->lock);
    if (data->link->client)
        rc = rpcServerClientSendEvent(data->link->client, REMOTE_PROGRAM, proc, filter, msg);
    g_mutex_unlock(&data->link->lock);
    if (rc < 0) {
        MV_DEBUG("event %d for callback %d not sent", proc,
                 g_atomic_int_get(&data->callbackID));
        mvErrorReset();
    }
}
