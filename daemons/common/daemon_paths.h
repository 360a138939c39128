/*
 * daemon_paths: where a daemon keeps its config, state and sockets.
 *
 * System mode (the default for root): /etc/libvirt, /var/lib/libvirt,
 * /run/libvirt, /var/cache/libvirt, /var/log/libvirt (from the build's
 * sysconfdir, localstatedir and runstatedir) and three sockets
 * <prefix>-sock, <prefix>-sock-ro and <prefix>-admin-sock.
 *
 * Session mode (any other user, or root with --session, which the tests
 * use): $XDG_CONFIG_HOME/libvirt, $XDG_DATA_HOME/libvirt,
 * $XDG_RUNTIME_DIR/libvirt, $XDG_CACHE_HOME/libvirt with the usual
 * fallbacks ($HOME/.config, $HOME/.local/share, $XDG_CACHE_HOME,
 * $HOME/.cache) and only <prefix>-sock and <prefix>-admin-sock, as
 * libvirt's session daemons have no read-only socket.
 *
 * The environment is passed in (an envp-style vector) so tests can check
 * both modes without touching the process environment.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct {
    bool privileged;
    char *configDir;
    char *stateDir;
    char *runDir;
    char *cacheDir;
    char *logDir;
    char *configFile;     /* <configDir>/<confFile> */
    char *sockDir;        /* runDir, or unix_sock_dir from the config */
    char *sockRW;
    char *sockRO;         /* NULL in session mode */
    char *sockAdmin;
} daemonPaths;

/* Works out every path for a daemon whose config file is called @confFile
 * ("virtsecretd.conf") and whose sockets are named after @sockPrefix, in
 * system mode when @privileged.  @envp is the environment
 * to read XDG_* and HOME from.  Never fails. */
daemonPaths *daemonPathsNew(const char *confFile, const char *sockPrefix,
                            bool privileged, const char * const *envp);
/* Moves the sockets into @dir (unix_sock_dir). */
void daemonPathsSetSockDir(daemonPaths *paths, const char *sockPrefix, const char *dir);
void daemonPathsFree(daemonPaths *paths);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(daemonPaths, daemonPathsFree);

/* Creates the run and socket directories (0755 in system mode, 0700 in
 * session mode) and the state, cache and config directories.  Returns 0
 * or -1 (reported). */
int daemonPathsMakeDirs(const daemonPaths *paths);
