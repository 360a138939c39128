/*
 * rpc_client: the client side of the RPC protocol.
 *
 * An rpcClient owns one connected socket and one reader thread.  Any thread
 * may make a synchronous call: it takes the write lock, sends the whole CALL,
 * and sleeps until the reader thread hands it the REPLY with its serial.  The
 * reader also answers keepalive PINGs, sends PINGs when the peer has been
 * silent for the keepalive interval (closing the connection after count
 * unanswered ones), and passes MESSAGE frames (events) to the event hook.
 * When the connection dies every waiting call fails with VIR_ERR_RPC and the
 * close hook runs once with the reason (virConnectCloseReason numbers).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "rpc_message.h"

typedef struct _rpcClient rpcClient;

/* Runs on the reader thread for each MESSAGE of a program other than
 * keepalive.  Decode the body with rpcMessageDecodePayload; do not call
 * back into the client from here. */
typedef void (*rpcClientEventFunc)(rpcClient *client, rpcMessage *msg, void *opaque);
/* Runs once, on the thread that saw the connection die (the reader, or the
 * caller of rpcClientClose / a failed write).  It must not free the client. */
typedef void (*rpcClientCloseFunc)(rpcClient *client, int reason, void *opaque);

/* Connects to the UNIX socket @path (a leading '@' means the abstract
 * namespace).  Returns NULL with an error reported (VIR_ERR_SYSTEM_ERROR
 * "Failed to connect socket to '...': ..." as libvirt words it). */
rpcClient *rpcClientNewUnix(const char *path);
/* Wraps an already connected stream socket; the client owns it. */
rpcClient *rpcClientNewFD(int fd);
/* Closes (if open), joins the reader thread and frees.  NULL-safe.  Not
 * from the event or close hooks. */
void rpcClientFree(rpcClient *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rpcClient, rpcClientFree);

void rpcClientSetEventHandler(rpcClient *client, rpcClientEventFunc func, void *opaque);
void rpcClientSetCloseHandler(rpcClient *client, rpcClientCloseFunc func, void *opaque);

/* One synchronous call.  @args is encoded with @args_filter; on success the
 * reply body is decoded into @ret (zeroed by the caller, freed with xdr_free
 * by the caller).  Returns 0, or -1 with the remote error (or a local RPC
 * error) set on the calling thread. */
int rpcClientCall(rpcClient *client, unsigned int prog, unsigned int vers, int proc,
                  xdrproc_t args_filter, void *args,
                  xdrproc_t ret_filter, void *ret);
/* The same with fds passed (CALL_WITH_FDS) and received (REPLY_WITH_FDS);
 * *@outfds is g_malloc'd. */
int rpcClientCallWithFDs(rpcClient *client, unsigned int prog, unsigned int vers,
                         int proc, const int *infds, size_t ninfds,
                         int **outfds, size_t *noutfds,
                         xdrproc_t args_filter, void *args,
                         xdrproc_t ret_filter, void *ret);

/* Starts keepalive: PING after @interval silent seconds, close after @count
 * unanswered.  @interval <= 0 stops it.  Returns 0 or -1. */
int rpcClientSetKeepAlive(rpcClient *client, int interval, unsigned int count);
bool rpcClientIsOpen(rpcClient *client);
/* Closes the socket; pending calls fail, the close hook runs with
 * VIR_CONNECT_CLOSE_REASON_CLIENT. */
void rpcClientClose(rpcClient *client);
