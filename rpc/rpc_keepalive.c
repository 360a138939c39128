/*
 * rpc_keepalive: building and recognising keepalive PING/PONG messages (see
 * rpc_keepalive.h).  The timers themselves live with the server's clients
 * and the client's reader thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include "mv_error.h"
#include "rpc_keepalive.h"

#define MV_FROM_THIS VIR_FROM_RPC

rpcMessage *
rpcKeepAliveNewMessage(int proc)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();

    msg->header.prog = RPC_KEEPALIVE_PROG_NUMBER;
    msg->header.vers = RPC_KEEPALIVE_PROG_VERSION;
    msg->header.proc = proc;
    msg->header.type = RPC_MESSAGE;
    msg->header.serial = 0;
    msg->header.status = RPC_OK;
    if (rpcMessageEncodeHeader(msg) < 0 || rpcMessageEncodePayloadEmpty(msg) < 0)
        return NULL;
    msg->bufferOffset = 0;
    return g_steal_pointer(&msg);
}

bool
rpcKeepAliveIsMessage(const rpcMessage *msg)
{
    return msg->header.prog == RPC_KEEPALIVE_PROG_NUMBER;
}
