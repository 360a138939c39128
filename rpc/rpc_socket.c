/*
 * rpc_socket: UNIX sockets, fd passing and incremental message I/O for the
 * RPC server and client (see rpc_socket.h for the model).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "mv_error.h"
#include "mv_fd.h"
#include "mv_log.h"
#include "rpc_socket.h"

#define MV_FROM_THIS VIR_FROM_RPC
MV_LOG_INIT("rpc.socket");

/* Backlog of a listening socket: enough for a burst of simultaneous
 * connects (the kernel caps it at net.core.somaxconn). */
#define RPC_SOCKET_BACKLOG 512

static int
rpcSocketFillAddr(const char *path, struct sockaddr_un *addr, socklen_t *addrlen)
{
    bool abstract = path[0] == '@';
    const char *name = abstract ? path + 1 : path;
    size_t len = strlen(name);

    memset(addr, 0, sizeof(*addr));
    addr->sun_family = AF_UNIX;
    if (len == 0 || len + (abstract ? 1 : 0) >= sizeof(addr->sun_path)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "UNIX socket path '%s' is empty or too long",
                      path);
        return -1;
    }
    if (abstract) {
        addr->sun_path[0] = '\0';
        memcpy(addr->sun_path + 1, name, len);
        *addrlen = offsetof(struct sockaddr_un, sun_path) + 1 + len;
    } else {
        memcpy(addr->sun_path, name, len);
        *addrlen = sizeof(*addr);
    }
    return 0;
}

int
rpcSocketListenUnix(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
    MV_AUTOCLOSE int fd = -1;
    struct sockaddr_un addr;
    socklen_t addrlen;
    bool abstract = path[0] == '@';
    struct stat st;

    if (rpcSocketFillAddr(path, &addr, &addrlen) < 0)
        return -1;

    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        mvReportSystemError(errno, "Failed to create socket");
        return -1;
    }

    if (!abstract && lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            mvReportError(VIR_ERR_OPERATION_FAILED,
                          "'%s' exists and is not a socket", path);
            return -1;
        }
        if (unlink(path) < 0 && errno != ENOENT) {
            mvReportSystemError(errno, "Failed to remove stale socket '%s'", path);
            return -1;
        }
    }

    if (bind(fd, (struct sockaddr *)&addr, addrlen) < 0) {
        mvReportSystemError(errno, "Failed to bind socket to '%s'", path);
        return -1;
    }
    if (!abstract) {
        if (chmod(path, mode) < 0) {
            mvReportSystemError(errno, "Failed to set mode %o on socket '%s'",
                                (unsigned int)mode, path);
            return -1;
        }
        if ((uid != (uid_t)-1 || gid != (gid_t)-1) && chown(path, uid, gid) < 0) {
            mvReportSystemError(errno, "Failed to change owner of socket '%s' to %d:%d",
                                path, (int)uid, (int)gid);
            return -1;
        }
    }
    if (listen(fd, RPC_SOCKET_BACKLOG) < 0) {
        mvReportSystemError(errno, "Failed to listen on socket '%s'", path);
        return -1;
    }
    MV_DEBUG("listening on '%s' fd=%d", path, fd);
    return g_steal_fd(&fd);
}

int
rpcSocketConnectUnix(const char *path)
{
    MV_AUTOCLOSE int fd = -1;
    struct sockaddr_un addr;
    socklen_t addrlen;
    int rc;

    if (rpcSocketFillAddr(path, &addr, &addrlen) < 0)
        return -1;
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        mvReportSystemError(errno, "Failed to create socket");
        return -1;
    }
    do {
        rc = connect(fd, (struct sockaddr *)&addr, addrlen);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) {
        mvReportSystemError(errno, "Failed to connect socket to '%s'", path);
        return -1;
    }
    return g_steal_fd(&fd);
}

int
rpcSocketAccept(int fd)
{
    int cfd;

    do {
        cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    } while (cfd < 0 && errno == EINTR);
    if (cfd < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED ||
            errno == EPROTO)
            return -2;
        mvReportSystemError(errno, "Unable to accept client");
        return -1;
    }
    return cfd;
}

int
rpcSocketGetPeerCred(int fd, uid_t *uid, gid_t *gid, pid_t *pid)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);

    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
        mvReportSystemError(errno, "Failed to get client socket identity");
        return -1;
    }
    *uid = cred.uid;
    *gid = cred.gid;
    *pid = cred.pid;
    return 0;
}

int
rpcSocketSetBlocking(int fd, bool blocking)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0) {
        mvReportSystemError(errno, "Failed to get socket flags");
        return -1;
    }
    flags = blocking ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK);
    if (fcntl(fd, F_SETFL, flags) < 0) {
        mvReportSystemError(errno, "Failed to set socket flags");
        return -1;
    }
    return 0;
}

int
rpcSocketSendFD(int fd, int passfd)
{
    char byte = 0;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct msghdr mh = { 0 };
    struct cmsghdr *cmsg;
    ssize_t n;

    memset(&ctl, 0, sizeof(ctl));
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = ctl.buf;
    mh.msg_controllen = sizeof(ctl.buf);
    cmsg = CMSG_FIRSTHDR(&mh);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &passfd, sizeof(int));

    do {
        n = sendmsg(fd, &mh, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        mvReportSystemError(errno, "Failed to send file descriptor");
        return -1;
    }
    return 1;
}

int
rpcSocketRecvFD(int fd, int *passfd)
{
    char byte;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct msghdr mh = { 0 };
    struct cmsghdr *cmsg;
    ssize_t n;
    int got = -1;

    memset(&ctl, 0, sizeof(ctl));
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = ctl.buf;
    mh.msg_controllen = sizeof(ctl.buf);

    do {
        n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        mvReportSystemError(errno, "Failed to receive file descriptor");
        return -1;
    }
    for (cmsg = CMSG_FIRSTHDR(&mh); cmsg; cmsg = CMSG_NXTHDR(&mh, cmsg)) {
        if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS &&
            cmsg->cmsg_len == CMSG_LEN(sizeof(int))) {
            memcpy(&got, CMSG_DATA(cmsg), sizeof(int));
            break;
        }
    }
    if (n == 0) {
        mvFDClear(&got);
        mvReportError(VIR_ERR_RPC, "End of file while receiving a file descriptor");
        return -1;
    }
    if (got < 0 || (mh.msg_flags & MSG_CTRUNC)) {
        mvFDClear(&got);
        mvReportError(VIR_ERR_RPC, "Expected a file descriptor from the peer, got none");
        return -1;
    }
    *passfd = got;
    return 1;
}

void
rpcSocketReaderReset(rpcSocketReader *rd)
{
    rpcSocketReaderClear(rd);
    rd->msg = rpcMessageNew();
    rpcMessagePrepareRead(rd->msg);
    rd->done = 0;
    rd->framed = false;
}

void
rpcSocketReaderClear(rpcSocketReader *rd)
{
    g_clear_pointer(&rd->msg, rpcMessageFree);
    rd->done = 0;
    rd->framed = false;
}

/* Reads bytes until the buffer holds bufferLength bytes.  Returns 1 full,
 * 0 would block, -1 error. */
static int
rpcSocketReaderFill(int fd, rpcSocketReader *rd, bool *eof)
{
    rpcMessage *msg = rd->msg;

    while (rd->done < msg->bufferLength) {
        ssize_t n = read(fd, msg->buffer + rd->done, msg->bufferLength - rd->done);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            if (errno == ECONNRESET)
                *eof = true;
            mvReportSystemError(errno, "Cannot recv data");
            return -1;
        }
        if (n == 0) {
            *eof = true;
            mvReportError(VIR_ERR_RPC, "End of file while reading data: %s",
                          g_strerror(EIO));
            return -1;
        }
        rd->done += n;
    }
    return 1;
}

int
rpcSocketReaderRead(int fd, rpcSocketReader *rd, bool *eof)
{
    rpcMessage *msg = rd->msg;
    int rc;

    *eof = false;
    if (!rd->framed) {
        if (rd->done < RPC_MESSAGE_LEN_BYTES) {
            if ((rc = rpcSocketReaderFill(fd, rd, eof)) <= 0)
                return rc;
            /* Checked before the frame buffer grows. */
            if (rpcMessageDecodeLength(msg) < 0)
                return -1;
            msg->bufferOffset = RPC_MESSAGE_LEN_BYTES;
        }
        if ((rc = rpcSocketReaderFill(fd, rd, eof)) <= 0)
            return rc;
        msg->bufferOffset = RPC_MESSAGE_LEN_BYTES;
        if (rpcMessageDecodeHeader(msg) < 0)
            return -1;
        if (msg->header.type == RPC_CALL_WITH_FDS ||
            msg->header.type == RPC_REPLY_WITH_FDS) {
            if (rpcMessageDecodeNumFDs(msg) < 0)
                return -1;
            msg->donefds = 0;
        }
        rd->framed = true;
    }

    while (msg->donefds < msg->nfds) {
        int passfd = -1;

        if ((rc = rpcSocketRecvFD(fd, &passfd)) <= 0)
            return rc;
        msg->fds[msg->donefds++] = passfd;
    }
    return 1;
}

int
rpcSocketWriteMessage(int fd, rpcMessage *msg)
{
    while (msg->bufferOffset < msg->bufferLength) {
        ssize_t n = send(fd, msg->buffer + msg->bufferOffset,
                         msg->bufferLength - msg->bufferOffset, MSG_NOSIGNAL);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            mvReportSystemError(errno, "Cannot write data");
            return -1;
        }
        msg->bufferOffset += n;
    }
    while (msg->donefds < msg->nfds) {
        int rc = rpcSocketSendFD(fd, msg->fds[msg->donefds]);

        if (rc <= 0)
            return rc;
        msg->donefds++;
    }
    return 1;
}
