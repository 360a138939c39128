/*
 * rpc_message: one libvirt RPC message and its framing.
 *
 * On the wire a message is a 4-byte big-endian length (counting itself), a
 * 24-byte XDR header and an XDR body.  An rpcMessage owns one buffer that
 * holds the whole frame; encoding appends to it, decoding walks it with
 * bufferOffset.  Every length is checked against the limits below before
 * anything is allocated.  The XDR types (rpc_message_header, the message
 * type/status enums, rpc_message_error, rpc_stream_hole) come from
 * rpc/protocol/rpc_header.x via rpcgen.
 *
 * Messages are not shared between threads; the queue link @next belongs to
 * whoever holds the message.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <rpc/rpc.h>

#include "rpc_header.h"

/* libvirt's limits (virnetprotocol.x), fixed by the protocol. */
#define RPC_MESSAGE_LEN_BYTES 4
#define RPC_MESSAGE_HEADER_BYTES 24
#define RPC_MESSAGE_INITIAL_BYTES 65536
#define RPC_MESSAGE_MAX_BYTES 33554432            /* header + body */
#define RPC_MESSAGE_PAYLOAD_MAX_BYTES (RPC_MESSAGE_MAX_BYTES - RPC_MESSAGE_HEADER_BYTES)
#define RPC_MESSAGE_FDS_MAX 32
#define RPC_STREAM_CHUNK_BYTES 262120
#define RPC_STRING_MAX 4194304

typedef struct _rpcMessage rpcMessage;
struct _rpcMessage {
    rpc_message_header header;

    char *buffer;             /* the whole frame, length word included */
    size_t bufferLength;      /* bytes valid (encode) or expected (decode) */
    size_t bufferOffset;      /* encode: write position; decode: read position */

    int *fds;                 /* owned; closed by rpcMessageFree/Clear */
    size_t nfds;
    size_t donefds;           /* fds already sent/received */

    rpcMessage *next;         /* queue link for the holder */
};

rpcMessage *rpcMessageNew(void);
/* Frees the message, closing any fds it still owns. NULL-safe. */
void rpcMessageFree(rpcMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rpcMessage, rpcMessageFree);
/* Empties the message for reuse (buffer released, fds closed). */
void rpcMessageClear(rpcMessage *msg);

/* Prepares to receive: buffer of RPC_MESSAGE_LEN_BYTES to read the length. */
void rpcMessagePrepareRead(rpcMessage *msg);
/* After the 4 length bytes are in: checks the length (>= 28 and
 * <= RPC_MESSAGE_MAX_BYTES + 4) and grows the buffer to hold the frame.
 * Returns 0, or -1 with VIR_ERR_RPC reported. */
int rpcMessageDecodeLength(rpcMessage *msg);
/* Decodes the header from a complete frame; offset moves to the body.
 * Returns 0 or -1 (reported). */
int rpcMessageDecodeHeader(rpcMessage *msg);
/* For *_WITH_FDS messages: reads the fd count (<= RPC_MESSAGE_FDS_MAX) and
 * sizes msg->fds (filled with -1).  Returns 0 or -1 (reported). */
int rpcMessageDecodeNumFDs(rpcMessage *msg);
/* Decodes the body at the current offset with @filter into @data (zeroed
 * by the caller).  Trailing bytes are ignored.  Returns 0 or -1 (reported;
 * @data is freed with xdr_free on failure). */
int rpcMessageDecodePayload(rpcMessage *msg, xdrproc_t filter, void *data);

/* Starts a frame: writes a placeholder length and msg->header.  Returns 0 or
 * -1 (reported). */
int rpcMessageEncodeHeader(rpcMessage *msg);
/* Writes the fd count (msg->nfds) after the header. */
int rpcMessageEncodeNumFDs(rpcMessage *msg);
/* Appends @data encoded with @filter, doubling the buffer as needed up to
 * the limit, and finalises the length word.  Returns 0 or -1 (reported,
 * e.g. VIR_ERR_RPC "message payload is too large"). */
int rpcMessageEncodePayload(rpcMessage *msg, xdrproc_t filter, void *data);
/* Appends raw bytes (stream data) and finalises the length word. */
int rpcMessageEncodePayloadRaw(rpcMessage *msg, const char *data, size_t len);
/* Finalises a frame with an empty body. */
int rpcMessageEncodePayloadEmpty(rpcMessage *msg);

/* Fills @rerr from this thread's last error (or a generic internal error if
 * none is set, which is logged as a bug).  Free with xdr_free. */
void rpcMessageSaveError(rpc_message_error *rerr);
/* Sets this thread's error from a decoded remote error. */
void rpcMessageRestoreError(const rpc_message_error *rerr);

/* Short names for logs: "CALL", "REPLY", ... and "OK", "ERROR", ... */
const char *rpcMessageTypeName(int type);
const char *rpcMessageStatusName(int status);
