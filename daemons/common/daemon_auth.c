/*
 * daemon_auth: who may talk to the daemon at all.
 *
 * modvirt supports libvirt's auth scheme "none" only: the kernel's peer
 * credentials (SO_PEERCRED, taken by the RPC server at accept) decide.  In
 * system mode the socket files' mode and group (unix_sock_*_perms,
 * unix_sock_group) already limit who can connect, so every peer that got in
 * is accepted.  In session mode the sockets live in the user's private
 * runtime directory, and we also refuse any peer that is neither the
 * daemon's own user nor root, so a mis-set directory mode cannot hand the
 * user's secrets to someone else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include "daemon_priv.h"
#include "mv_error.h"
#include "mv_log.h"

#define MV_FROM_THIS VIR_FROM_AUTH

MV_LOG_INIT("daemon.auth");

int
daemonAuthCheckPeer(mvDaemon *daemon, uid_t uid, gid_t gid, pid_t pid)
{
    if (daemon->privileged)
        return 0;
    if (uid == daemon->uid || uid == 0)
        return 0;
    mvReportError(VIR_ERR_ACCESS_DENIED,
                  "client pid %d with uid %u may not use the session daemon of uid %u",
                  (int)pid, (unsigned int)uid, (unsigned int)daemon->uid);
    return -1;
}
