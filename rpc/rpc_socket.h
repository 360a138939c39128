/*
 * rpc_socket: the UNIX stream sockets the RPC layer talks over.
 *
 * Listening (stale socket removed, mode and owner set), connecting (a
 * leading '@' names the abstract namespace), accepting (CLOEXEC and
 * non-blocking), peer credentials, and moving whole rpcMessages in and out
 * of a socket step by step so that a non-blocking caller can resume where it
 * left off.  Fds travel the way libvirt sends them: after the last byte of
 * the message, one sendmsg() per fd carrying a single 0x00 byte and one
 * SCM_RIGHTS fd; the receiver reads exactly the message's length and then
 * one recvmsg() per fd, so plain reads never swallow an fd's carrier byte.
 *
 * No locking: an fd and the messages passed in belong to the caller.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "rpc_message.h"

/* Creates a listening socket on the UNIX @path: a stale socket there is
 * removed, the socket is chmod'ed to @mode and, unless @uid/@gid are
 * (uid_t)-1/(gid_t)-1, chown'ed.  Returns the fd (CLOEXEC) or -1
 * (reported). */
int rpcSocketListenUnix(const char *path, mode_t mode, uid_t uid, gid_t gid);

/* Connects a CLOEXEC, blocking stream socket to @path ('@' prefix =
 * abstract).  Returns the fd, or -1 with VIR_ERR_SYSTEM_ERROR reported. */
int rpcSocketConnectUnix(const char *path);

/* Accepts one client from the listening @fd with CLOEXEC|NONBLOCK.
 * Returns the fd, -2 when nothing is pending (or the peer already left),
 * -1 on error (reported). */
int rpcSocketAccept(int fd);

/* SO_PEERCRED of @fd.  Returns 0 or -1 (reported). */
int rpcSocketGetPeerCred(int fd, uid_t *uid, gid_t *gid, pid_t *pid);

/* Sets or clears O_NONBLOCK.  Returns 0 or -1 (reported). */
int rpcSocketSetBlocking(int fd, bool blocking);

/* Sends one fd with its 0x00 carrier byte.  Returns 1 sent, 0 would block,
 * -1 error (reported). */
int rpcSocketSendFD(int fd, int passfd);
/* Receives one fd with its carrier byte into *@passfd (CLOEXEC).  Returns
 * 1 received, 0 would block, -1 error (reported; EOF included). */
int rpcSocketRecvFD(int fd, int *passfd);

/* Incremental reading of one message. */
typedef struct {
    rpcMessage *msg;   /* being received; owned */
    size_t done;       /* bytes of the frame read so far */
    bool framed;       /* whole frame in and header decoded; fds pending */
} rpcSocketReader;

/* Starts a new message in @rd (freeing any previous one). */
void rpcSocketReaderReset(rpcSocketReader *rd);
/* Releases the message held. */
void rpcSocketReaderClear(rpcSocketReader *rd);
/* Reads as much of the current message as is available.  The length word
 * is checked before the frame buffer is allocated, the header is decoded
 * once the frame is in, and for *_WITH_FDS messages the fd count is checked
 * and the fds received.  Returns 1 when the message is complete (take it
 * with g_steal_pointer(&rd->msg)), 0 when more is needed and the socket
 * would block, -1 on error (reported; *@eof is set when the cause was the
 * peer closing the connection). */
int rpcSocketReaderRead(int fd, rpcSocketReader *rd, bool *eof);

/* Writes what it can of @msg from msg->bufferOffset on, then its fds from
 * msg->donefds on.  Returns 1 when all is sent, 0 when the socket would
 * block, -1 on error (reported). */
int rpcSocketWriteMessage(int fd, rpcMessage *msg);
