/*
 * rpc_keepalive: the keepalive program (0x6b656570, "keep"), which both ends
 * of a connection handle below their dispatchers.  PING and PONG are empty
 * MESSAGEs with status OK and serial 0; whoever has heard nothing for the
 * keepalive interval sends a PING, the peer answers PONG, and any message
 * received counts as a sign of life.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>

#include "rpc_message.h"

#define RPC_KEEPALIVE_PROG_NUMBER 0x6b656570
#define RPC_KEEPALIVE_PROG_VERSION 1
#define RPC_KEEPALIVE_PROC_PING 1
#define RPC_KEEPALIVE_PROC_PONG 2

/* Builds a PING or PONG (@proc) ready to send (bufferOffset 0).  Never
 * fails for these fixed empty messages; returns NULL only if encoding did,
 * with the error reported. */
rpcMessage *rpcKeepAliveNewMessage(int proc);

/* Whether @msg belongs to the keepalive program. */
bool rpcKeepAliveIsMessage(const rpcMessage *msg);
