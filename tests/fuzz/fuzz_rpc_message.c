/*
 * Fuzz target: the RPC frame decoder and the argument decoder of every
 * procedure of the REMOTE program, exactly as the server runs them on bytes
 * from a client: length word, header, then (for a known procedure) the
 * arguments with the procedure's XDR filter, which must reject or accept
 * without crashing, leaking or reading out of bounds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdint.h>
#include <string.h>

#include "mv_error.h"
#include "remote_dispatch.h"
#include "rpc_message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(rpcMessage) msg = rpcMessageNew();
    const rpcProcedure *proc;
    g_autofree char *args = NULL;

    if (size < RPC_MESSAGE_LEN_BYTES)
        return 0;
    rpcMessagePrepareRead(msg);
    memcpy(msg->buffer, data, RPC_MESSAGE_LEN_BYTES);
    msg->bufferOffset = RPC_MESSAGE_LEN_BYTES;
    if (rpcMessageDecodeLength(msg) < 0)
        goto out;
    /* feed what we have; a short input is a truncated message */
    if (size < msg->bufferLength)
        goto out;
    memcpy(msg->buffer, data, msg->bufferLength);
    msg->bufferOffset = 0;
    if (rpcMessageDecodeHeader(msg) < 0)
        goto out;
    if (msg->header.prog != remoteProgram.prog)
        goto out;
    if (msg->header.type == RPC_CALL_WITH_FDS && rpcMessageDecodeNumFDs(msg) < 0)
        goto out;
    if (!(proc = rpcProgramLookup(&remoteProgram, msg->header.proc)))
        goto out;
    args = g_malloc0(MAX(proc->args_size, 1));
    if (rpcMessageDecodePayload(msg, proc->args_filter, args) == 0)
        xdr_free(proc->args_filter, args);
 out:
    mvErrorReset();
    return 0;
}
