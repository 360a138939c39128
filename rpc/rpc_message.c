/*
 * rpc_message: framing of one libvirt RPC message.
 *
 * Decoding: the reader first collects the 4-byte length word
 * (rpcMessagePrepareRead), has it checked against the protocol limits before
 * any allocation (rpcMessageDecodeLength), reads the rest of the frame into
 * the grown buffer, then decodes the header, the optional fd count and the
 * body in turn, each from bufferOffset.  Bytes after the body are ignored, as
 * libvirt does.
 *
 * Encoding: rpcMessageEncodeHeader starts a frame in a buffer of
 * RPC_MESSAGE_INITIAL_BYTES; rpcMessageEncodePayload doubles it until the
 * body fits or the 32 MiB limit is reached.  Finalising writes the length
 * word, trims the buffer and leaves bufferOffset at 0 and bufferLength at the
 * frame size, ready for the writer.  While a frame is being built
 * bufferLength is the buffer's capacity.
 *
 * No locking: a message belongs to one thread at a time.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <unistd.h>

#include "mv_error.h"
#include "mv_log.h"
#include "rpc_message.h"

#define MV_FROM_THIS VIR_FROM_RPC

MV_LOG_INIT("rpc.message");

/* The largest frame, length word included. */
#define RPC_MESSAGE_FRAME_MAX (RPC_MESSAGE_MAX_BYTES + RPC_MESSAGE_LEN_BYTES)
/* The smallest frame: length word and header, empty body. */
#define RPC_MESSAGE_FRAME_MIN (RPC_MESSAGE_LEN_BYTES + RPC_MESSAGE_HEADER_BYTES)

rpcMessage *
rpcMessageNew(void)
{
    return g_new0(rpcMessage, 1);
}

static void
rpcMessageCloseFDs(rpcMessage *msg)
{
    size_t i;

    for (i = 0; i < msg->nfds; i++) {
        if (msg->fds[i] >= 0)
            (void)close(msg->fds[i]);
    }
    g_clear_pointer(&msg->fds, g_free);
    msg->nfds = 0;
    msg->donefds = 0;
}

void
rpcMessageClear(rpcMessage *msg)
{
    rpcMessage *next;

    if (!msg)
        return;
    next = msg->next;
    rpcMessageCloseFDs(msg);
    g_free(msg->buffer);
    memset(msg, 0, sizeof(*msg));
    msg->next = next;   /* the queue link belongs to the holder */
}

void
rpcMessageFree(rpcMessage *msg)
{
    if (!msg)
        return;
    rpcMessageClear(msg);
    g_free(msg);
}

void
rpcMessagePrepareRead(rpcMessage *msg)
{
    g_free(msg->buffer);
    msg->buffer = g_malloc0(RPC_MESSAGE_LEN_BYTES);
    msg->bufferLength = RPC_MESSAGE_LEN_BYTES;
    msg->bufferOffset = 0;
}

int
rpcMessageDecodeLength(rpcMessage *msg)
{
    guint32 be;
    guint32 len;

    if (!msg->buffer || msg->bufferLength < RPC_MESSAGE_LEN_BYTES) {
        mvReportError(VIR_ERR_RPC, "message length word is missing");
        return -1;
    }
    memcpy(&be, msg->buffer, sizeof(be));
    len = GUINT32_FROM_BE(be);

    if (len < RPC_MESSAGE_FRAME_MIN) {
        mvReportError(VIR_ERR_RPC,
                      "message length %u is too small: a message has at least %u bytes",
                      len, (unsigned int)RPC_MESSAGE_FRAME_MIN);
        return -1;
    }
    if (len > RPC_MESSAGE_FRAME_MAX) {
        mvReportError(VIR_ERR_RPC,
                      "message length %u is too large: the limit is %u bytes",
                      len, (unsigned int)RPC_MESSAGE_FRAME_MAX);
        return -1;
    }

    /* Checked above: at most 32 MiB + 4. */
    msg->buffer = g_realloc(msg->buffer, len);
    msg->bufferLength = len;
    msg->bufferOffset = RPC_MESSAGE_LEN_BYTES;
    return 0;
}

int
rpcMessageDecodeHeader(rpcMessage *msg)
{
    XDR xdr;
    bool ok;

    if (!msg->buffer || msg->bufferLength < RPC_MESSAGE_FRAME_MIN) {
        mvReportError(VIR_ERR_RPC, "message of %zu bytes is too short for a header",
                      msg->buffer ? msg->bufferLength : (size_t)0);
        return -1;
    }

    memset(&msg->header, 0, sizeof(msg->header));
    xdrmem_create(&xdr, msg->buffer + RPC_MESSAGE_LEN_BYTES,
                  msg->bufferLength - RPC_MESSAGE_LEN_BYTES, XDR_DECODE);
    ok = xdr_rpc_message_header(&xdr, &msg->header);
    if (ok)
        msg->bufferOffset = RPC_MESSAGE_LEN_BYTES + xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    if (!ok) {
        mvReportError(VIR_ERR_RPC, "unable to decode the message header");
        return -1;
    }
    return 0;
}

int
rpcMessageDecodeNumFDs(rpcMessage *msg)
{
    XDR xdr;
    u_int nfds = 0;
    bool ok;
    size_t i;

    if (msg->bufferOffset > msg->bufferLength) {
        mvReportError(VIR_ERR_RPC, "message offset is past its end");
        return -1;
    }
    xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                  msg->bufferLength - msg->bufferOffset, XDR_DECODE);
    ok = xdr_u_int(&xdr, &nfds);
    if (ok)
        msg->bufferOffset += xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    if (!ok) {
        mvReportError(VIR_ERR_RPC, "unable to decode the number of passed fds");
        return -1;
    }
    if (nfds > RPC_MESSAGE_FDS_MAX) {
        mvReportError(VIR_ERR_RPC, "too many fds in one message: %u (the limit is %d)",
                      nfds, RPC_MESSAGE_FDS_MAX);
        return -1;
    }

    rpcMessageCloseFDs(msg);
    msg->fds = g_new(int, nfds ? nfds : 1);
    for (i = 0; i < nfds; i++)
        msg->fds[i] = -1;
    msg->nfds = nfds;
    msg->donefds = 0;
    return 0;
}

int
rpcMessageDecodePayload(rpcMessage *msg, xdrproc_t filter, void *data)
{
    XDR xdr;
    bool ok;

    if (msg->bufferOffset > msg->bufferLength) {
        mvReportError(VIR_ERR_RPC, "message offset is past its end");
        return -1;
    }
    xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                  msg->bufferLength - msg->bufferOffset, XDR_DECODE);
    ok = filter(&xdr, data, 0);
    if (ok)
        msg->bufferOffset += xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    if (!ok) {
        xdr_free(filter, data);
        mvReportError(VIR_ERR_RPC, "unable to decode the message payload");
        return -1;
    }
    /* Bytes left after the body are ignored on purpose. */
    return 0;
}

/* Writes the length word and hands the frame to the writer. */
static void
rpcMessageFinish(rpcMessage *msg)
{
    guint32 be = GUINT32_TO_BE((guint32)msg->bufferOffset);

    memcpy(msg->buffer, &be, sizeof(be));
    msg->bufferLength = msg->bufferOffset;
    msg->buffer = g_realloc(msg->buffer, msg->bufferLength);
    msg->bufferOffset = 0;
}

int
rpcMessageEncodeHeader(rpcMessage *msg)
{
    XDR xdr;
    bool ok;

    g_free(msg->buffer);
    msg->bufferLength = RPC_MESSAGE_INITIAL_BYTES + RPC_MESSAGE_LEN_BYTES;
    msg->buffer = g_malloc0(msg->bufferLength);
    msg->bufferOffset = RPC_MESSAGE_LEN_BYTES;

    xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                  msg->bufferLength - msg->bufferOffset, XDR_ENCODE);
    ok = xdr_rpc_message_header(&xdr, &msg->header);
    if (ok)
        msg->bufferOffset += xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    if (!ok) {
        mvReportError(VIR_ERR_RPC, "unable to encode the message header");
        return -1;
    }
    return 0;
}

int
rpcMessageEncodeNumFDs(rpcMessage *msg)
{
    XDR xdr;
    u_int nfds = msg->nfds;
    bool ok;

    if (msg->nfds > RPC_MESSAGE_FDS_MAX) {
        mvReportError(VIR_ERR_RPC, "too many fds to send in one message: %zu (the limit is %d)",
                      msg->nfds, RPC_MESSAGE_FDS_MAX);
        return -1;
    }
    xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                  msg->bufferLength - msg->bufferOffset, XDR_ENCODE);
    ok = xdr_u_int(&xdr, &nfds);
    if (ok)
        msg->bufferOffset += xdr_getpos(&xdr);
    xdr_destroy(&xdr);
    if (!ok) {
        mvReportError(VIR_ERR_RPC, "unable to encode the number of passed fds");
        return -1;
    }
    return 0;
}

int
rpcMessageEncodePayload(rpcMessage *msg, xdrproc_t filter, void *data)
{
    for (;;) {
        XDR xdr;
        bool ok;

        xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                      msg->bufferLength - msg->bufferOffset, XDR_ENCODE);
        ok = filter(&xdr, data, 0);
        if (ok)
            msg->bufferOffset += xdr_getpos(&xdr);
        xdr_destroy(&xdr);
        if (ok)
            break;

        if (msg->bufferLength >= RPC_MESSAGE_FRAME_MAX) {
            /* A bound in the .x file or a NULL non-optional field also ends
             * here; at this size the payload is the likely reason. */
            mvReportError(VIR_ERR_RPC,
                          "message payload is too large or invalid: it does not fit in %u bytes",
                          (unsigned int)RPC_MESSAGE_MAX_BYTES);
            return -1;
        }
        msg->bufferLength = MIN(msg->bufferLength * 2, (size_t)RPC_MESSAGE_FRAME_MAX);
        msg->buffer = g_realloc(msg->buffer, msg->bufferLength);
        MV_DEBUG("growing message buffer to %zu bytes", msg->bufferLength);
    }
    rpcMessageFinish(msg);
    return 0;
}

int
rpcMessageEncodePayloadRaw(rpcMessage *msg, const char *data, size_t len)
{
    if (len > RPC_MESSAGE_FRAME_MAX - msg->bufferOffset) {
        mvReportError(VIR_ERR_RPC,
                      "stream data of %zu bytes is too large for one message (limit %u bytes)",
                      len, (unsigned int)RPC_MESSAGE_PAYLOAD_MAX_BYTES);
        return -1;
    }
    if (msg->bufferOffset + len > msg->bufferLength) {
        msg->bufferLength = msg->bufferOffset + len;
        msg->buffer = g_realloc(msg->buffer, msg->bufferLength);
    }
    if (len > 0)
        memcpy(msg->buffer + msg->bufferOffset, data, len);
    msg->bufferOffset += len;
    rpcMessageFinish(msg);
    return 0;
}

int
rpcMessageEncodePayloadEmpty(rpcMessage *msg)
{
    rpcMessageFinish(msg);
    return 0;
}

/* A remote string (char **) holding a copy of @s, or NULL. */
static rpc_string
rpcMessageStringNew(const char *s)
{
    rpc_string ret;

    if (!s)
        return NULL;
    ret = g_new0(char *, 1);
    *ret = g_strdup(s);
    return ret;
}

void
rpcMessageSaveError(rpc_message_error *rerr)
{
    virErrorPtr err = mvErrorGetLast();

    if (!err) {
        MV_DEBUG("BUG: an error reply was requested but no error is set");
        mvReportErrorFull(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__, __LINE__,
                          "the call failed without saying why");
        err = mvErrorGetLast();
    }
    memset(rerr, 0, sizeof(*rerr));
    rerr->code = err->code;
    rerr->domain = err->domain;
    rerr->message = rpcMessageStringNew(err->message);
    rerr->level = err->level;
    rerr->str1 = rpcMessageStringNew(err->str1);
    rerr->str2 = rpcMessageStringNew(err->str2);
    rerr->str3 = rpcMessageStringNew(err->str3);
    rerr->int1 = err->int1;
    rerr->int2 = err->int2;
    /* dom and net stay absent, as libvirt sends them. */
}

void
rpcMessageRestoreError(const rpc_message_error *rerr)
{
    mvErrorSetRaw(rerr->code, rerr->domain, rerr->level,
                  rerr->message ? *rerr->message : NULL,
                  rerr->str1 ? *rerr->str1 : NULL,
                  rerr->str2 ? *rerr->str2 : NULL,
                  rerr->str3 ? *rerr->str3 : NULL,
                  rerr->int1, rerr->int2);
}

const char *
rpcMessageTypeName(int type)
{
    switch ((rpc_message_type)type) {
    case RPC_CALL:
        return "CALL";
    case RPC_REPLY:
        return "REPLY";
    case RPC_MESSAGE:
        return "MESSAGE";
    case RPC_STREAM:
        return "STREAM";
    case RPC_CALL_WITH_FDS:
        return "CALL_WITH_FDS";
    case RPC_REPLY_WITH_FDS:
        return "REPLY_WITH_FDS";
    case RPC_STREAM_HOLE:
        return "STREAM_HOLE";
    }
    return "UNKNOWN";
}

const char *
rpcMessageStatusName(int status)
{
    switch ((rpc_message_status)status) {
    case RPC_OK:
        return "OK";
    case RPC_ERROR:
        return "ERROR";
    case RPC_CONTINUE:
        return "CONTINUE";
    }
    return "UNKNOWN";
}
