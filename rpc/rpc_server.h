/*
 * rpc_server: the daemon side of the RPC protocol.
 *
 * One GMainContext (the daemon's main loop) does all socket I/O: accepting,
 * reading whole frames and writing queued replies and events.  Complete CALLs
 * go to a worker pool (max_workers) or, for @priority: high procedures, to a
 * priority pool (prio_workers); the worker decodes the arguments, runs the
 * handler and queues the reply back to the loop.  Keepalive PING/PONG is
 * handled in the loop.  A client with max_client_requests calls in flight is
 * not read until one finishes; a client whose peer stops reading is only a
 * growing (bounded) queue for itself, never a blocked loop.
 *
 * Locking: rpcServer has one mutex for its client list and counters; each
 * client has its own mutex for its queues and state.  Handlers run without
 * any server lock held.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "rpc_message.h"
#include "rpc_program.h"

typedef struct {
    unsigned int min_workers;          /* default 5 */
    unsigned int max_workers;          /* default 20 */
    unsigned int prio_workers;         /* default 5 */
    unsigned int max_clients;          /* default 5000 */
    unsigned int max_anonymous_clients;/* default 20: clients not yet authenticated */
    unsigned int max_client_requests;  /* default 5 */
    int keepalive_interval;            /* default 5; -1 disables */
    unsigned int keepalive_count;      /* default 5 */
} rpcServerConfig;

/* Fills @cfg with libvirt's defaults. */
void rpcServerConfigInit(rpcServerConfig *cfg);

typedef enum {
    RPC_LISTENER_READONLY = 1 << 0,    /* every client of it is read-only */
} rpcListenerFlags;

/* Per-client hooks.  @newPriv runs in the loop when a client is accepted and
 * may refuse it by returning NULL (then it must report why); @freePriv runs
 * once the client is closed and no handler uses it any more. */
typedef void *(*rpcClientPrivNew)(rpcServerClient *client, void *opaque);
typedef void (*rpcClientPrivFree)(void *priv);
/* Called in the loop whenever the number of clients changes. */
typedef void (*rpcServerClientCountFunc)(rpcServer *srv, size_t nclients, void *opaque);

rpcServer *rpcServerNew(const char *name, const rpcServerConfig *cfg);
void rpcServerFree(rpcServer *srv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rpcServer, rpcServerFree);
const char *rpcServerGetName(rpcServer *srv);

/* Programs served; the server keeps the pointer (tables are static). */
int rpcServerAddProgram(rpcServer *srv, const rpcProgram *prog);
void rpcServerSetClientHooks(rpcServer *srv, rpcClientPrivNew newPriv,
                             rpcClientPrivFree freePriv, void *opaque);
void rpcServerSetClientCountHook(rpcServer *srv, rpcServerClientCountFunc cb,
                                 void *opaque);
/* Adds a listening socket (bound and listening, CLOEXEC); the server owns
 * it from now on.  Returns 0 or -1 (reported). */
int rpcServerAddListener(rpcServer *srv, int fd, unsigned int flags, const char *name);
/* Starts the pools and attaches the listeners to @ctx.  Returns 0 or -1. */
int rpcServerStart(rpcServer *srv, GMainContext *ctx);
/* Stops accepting new clients (existing ones go on). */
void rpcServerStopAccepting(rpcServer *srv);
/* Closes every client, waits for running handlers until @deadline
 * (g_get_monotonic_time() scale) and stops the pools.  Call it from the
 * thread running the loop, or when no thread runs it (the clients are then
 * closed here); from another thread while the loop runs, the closing is
 * handed to the loop. */
void rpcServerShutdown(rpcServer *srv, gint64 deadline);
size_t rpcServerNClients(rpcServer *srv);
/* Current limits and counters, for the admin interface. */
void rpcServerGetConfig(rpcServer *srv, rpcServerConfig *cfg);
/* Changes worker pool sizes at run time.  Returns 0 or -1 (reported). */
int rpcServerSetWorkers(rpcServer *srv, unsigned int minWorkers,
                        unsigned int maxWorkers, unsigned int prioWorkers);

/* --- per client (handlers use these) ------------------------------------- */
rpcServerClient *rpcServerClientRef(rpcServerClient *client);
void rpcServerClientUnref(rpcServerClient *client);
void *rpcServerClientGetPrivate(rpcServerClient *client);
bool rpcServerClientIsReadonly(rpcServerClient *client);
/* Peer credentials taken at accept(). */
void rpcServerClientGetIdentity(rpcServerClient *client, uid_t *uid, gid_t *gid,
                                pid_t *pid);
guint64 rpcServerClientGetID(rpcServerClient *client);
/* Seconds since the epoch when the client connected. */
gint64 rpcServerClientGetTimestamp(rpcServerClient *client);
/* Queues an event MESSAGE (serial 1, status OK) for the client; any thread.
 * Returns 0 or -1 (reported; e.g. the client is gone). */
int rpcServerClientSendEvent(rpcServerClient *client, unsigned int prog,
                             int proc, xdrproc_t filter, void *data);
/* Starts the server-side keepalive timer (the client asked for feature 10). */
void rpcServerClientStartKeepAlive(rpcServerClient *client);
/* Closes the connection from any thread (queued replies are dropped). */
void rpcServerClientClose(rpcServerClient *client);

/* From inside a handler: adds @fd (ownership taken, even on failure) to
 * the fds sent back with the reply to @call, which then goes out as
 * REPLY_WITH_FDS.  Incoming fds of a CALL_WITH_FDS are call->fds[0 ..
 * call->nfds-1]; a handler keeps one by setting its slot to -1, the rest are
 * closed after the call.  Returns 0 or -1 (reported: called outside a
 * handler, or more than RPC_MESSAGE_FDS_MAX fds). */
int rpcServerCallAddReplyFD(rpcMessage *call, int fd);

/* Bytes of replies and events queued for one client beyond which the
 * client (whose peer is not reading) is disconnected. */
#define RPC_SERVER_CLIENT_TX_MAX (64 * 1024 * 1024)
