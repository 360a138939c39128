/*
 * daemon_sockets: the daemon's listening sockets.
 *
 * Under systemd the sockets arrive already bound (sd_listen_fds_with_names).
 * They are matched to their role by the FileDescriptorName= of our socket
 * units: "<name>.socket" (read-write), "<name>-ro.socket" and
 * "<name>-admin.socket".  Sockets without a name ("unknown", e.g. from
 * `systemd-socket-activate` without --fdname) are taken in the order
 * read-write, read-only, admin (read-write, admin in session mode).  Any role
 * not provided is bound here, at the path of daemon_paths, with the mode
 * from the config and the unix_sock_group; those files, and only those, are
 * removed again on exit.  A path on which another daemon still answers is
 * never taken over.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

#include "daemon_priv.h"
#include "mv_error.h"
#include "mv_fd.h"
#include "mv_log.h"
#include "rpc_socket.h"

#define MV_FROM_THIS VIR_FROM_RPC

MV_LOG_INIT("daemon.sockets");

static const char * const daemonSockRoleNames[DAEMON_SOCK_LAST] = {
    [DAEMON_SOCK_RW] = "read-write",
    [DAEMON_SOCK_RO] = "read-only",
    [DAEMON_SOCK_ADMIN] = "admin",
};

/* Fails when a live daemon answers on @path. */
static int
daemonSocketsCheckFree(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    MV_AUTOCLOSE int fd = -1;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "socket path '%s' is too long", path);
        return -1;
    }
    if (access(path, F_OK) < 0)
        return 0;
    strcpy(addr.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        mvReportSystemError(errno, "%s", "cannot create a UNIX socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "another daemon is already listening on '%s'", path);
        return -1;
    }
    return 0;
}

static int
daemonSocketsTakeActivated(daemonSockets *socks, const mvDaemonSpec *spec,
                           const daemonPaths *paths)
{
    g_auto(GStrv) names = NULL;
    g_autofree char *nRW = g_strdup_printf("%s.socket", spec->name);
    g_autofree char *nRO = g_strdup_printf("%s-ro.socket", spec->name);
    g_autofree char *nAdmin = g_strdup_printf("%s-admin.socket", spec->name);
    daemonSockRole order[DAEMON_SOCK_LAST];
    size_t norder = 0;
    size_t nextUnnamed = 0;
    int n;
    int i;

    order[norder++] = DAEMON_SOCK_RW;
    if (paths->sockRO)
        order[norder++] = DAEMON_SOCK_RO;
    order[norder++] = DAEMON_SOCK_ADMIN;

    n = sd_listen_fds_with_names(1, &names);
    if (n < 0) {
        mvReportSystemError(-n, "%s", "cannot get the sockets passed by systemd");
        return -1;
    }
    for (i = 0; i < n; i++) {
        int fd = SD_LISTEN_FDS_START + i;
        const char *name = names && names[i] ? names[i] : "unknown";
        int role = -1;

        if (g_str_equal(name, nRW))
            role = DAEMON_SOCK_RW;
        else if (g_str_equal(name, nRO))
            role = DAEMON_SOCK_RO;
        else if (g_str_equal(name, nAdmin))
            role = DAEMON_SOCK_ADMIN;
        else if (nextUnnamed < norder)
            role = order[nextUnnamed++];

        if (role < 0 || socks->fd[role] >= 0) {
            MV_WARN("ignoring activated socket %d named '%s': no role left for it", fd, name);
            close(fd);
            continue;
        }
        if (sd_is_socket_unix(fd, SOCK_STREAM, 1, NULL, 0) <= 0) {
            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "activated socket %d ('%s') is not a listening UNIX stream socket",
                          fd, name);
            return -1;
        }
        if (role == DAEMON_SOCK_RO && !paths->sockRO)
            MV_WARN("%s", "serving a read-only socket passed by systemd in session mode");
        socks->fd[role] = fd;
        socks->activated[role] = true;
        MV_DEBUG("activated socket %d ('%s') is the %s socket", fd, name,
                 daemonSockRoleNames[role]);
    }
    return 0;
}

static int
daemonSocketsBind(daemonSockets *socks, daemonSockRole role, const char *path,
                  mode_t mode, gid_t gid)
{
    int fd;

    if (daemonSocketsCheckFree(path) < 0)
        return -1;
    if ((fd = rpcSocketListenUnix(path, mode, (uid_t)-1, gid)) < 0)
        return -1;
    socks->fd[role] = fd;
    socks->bound[role] = g_strdup(path);
    MV_DEBUG("bound the %s socket %s (mode %04o)", daemonSockRoleNames[role], path,
             (unsigned int)mode);
    return 0;
}

int
daemonSocketsSetup(daemonSockets *socks, const mvDaemonSpec *spec,
                   const daemonPaths *paths, const daemonConfig *cfg)
{
    gid_t gid = (gid_t)-1;
    size_t i;

    for (i = 0; i < DAEMON_SOCK_LAST; i++) {
        socks->fd[i] = -1;
        socks->activated[i] = false;
        socks->bound[i] = NULL;
    }
    if (daemonSocketsTakeActivated(socks, spec, paths) < 0)
        return -1;

    if (cfg->unix_sock_group) {
        struct group *gr = getgrnam(cfg->unix_sock_group);
        guint64 v;

        if (gr) {
            gid = gr->gr_gid;
        } else if (g_ascii_string_to_unsigned(cfg->unix_sock_group, 10, 0, G_MAXUINT32 - 1,
                                              &v, NULL)) {
            gid = (gid_t)v;
        } else {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "unix_sock_group: there is no group named '%s'",
                          cfg->unix_sock_group);
            return -1;
        }
    }

    if (socks->fd[DAEMON_SOCK_RW] < 0 &&
        daemonSocketsBind(socks, DAEMON_SOCK_RW, paths->sockRW, cfg->unix_sock_rw_perms,
                          gid) < 0)
        return -1;
    if (paths->sockRO && socks->fd[DAEMON_SOCK_RO] < 0 &&
        daemonSocketsBind(socks, DAEMON_SOCK_RO, paths->sockRO, cfg->unix_sock_ro_perms,
                          gid) < 0)
        return -1;
    if (socks->fd[DAEMON_SOCK_ADMIN] < 0 &&
        daemonSocketsBind(socks, DAEMON_SOCK_ADMIN, paths->sockAdmin,
                          cfg->unix_sock_admin_perms, (gid_t)-1) < 0)
        return -1;
    return 0;
}

void
daemonSocketsCleanup(daemonSockets *socks)
{
    size_t i;

    for (i = 0; i < DAEMON_SOCK_LAST; i++) {
        if (socks->bound[i]) {
            if (unlink(socks->bound[i]) < 0 && errno != ENOENT)
                MV_WARN("cannot remove socket %s: %s, ignoring", socks->bound[i],
                        g_strerror(errno));
            g_clear_pointer(&socks->bound[i], g_free);
        }
        mvFDClear(&socks->fd[i]);
    }
}
