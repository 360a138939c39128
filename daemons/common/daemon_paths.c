/*
 * daemon_paths: see daemon_paths.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <sys/stat.h>

#include "daemon_paths.h"
#include "mv_error.h"
#include "mv_file.h"

#define MV_FROM_THIS VIR_FROM_NONE

/* An XDG directory: the variable when set to an absolute path, else
 * $HOME/@fallback. */
static char *
daemonPathsXDG(const char * const *envp, const char *var, const char *fallback)
{
    const char *v = g_environ_getenv((char **)envp, var);
    const char *home;

    if (v && g_path_is_absolute(v))
        return g_strdup(v);
    home = g_environ_getenv((char **)envp, "HOME");
    if (!home || !*home)
        home = g_get_home_dir();
    return g_build_filename(home, fallback, NULL);
}

void
daemonPathsSetSockDir(daemonPaths *paths, const char *sockPrefix, const char *dir)
{
    g_free(paths->sockDir);
    g_free(paths->sockRW);
    g_free(paths->sockRO);
    g_free(paths->sockAdmin);
    paths->sockDir = g_strdup(dir);
    paths->sockRW = g_strdup_printf("%s/%s-sock", dir, sockPrefix);
    paths->sockRO = paths->privileged ? g_strdup_printf("%s/%s-sock-ro", dir, sockPrefix) :
                    NULL;
    paths->sockAdmin = g_strdup_printf("%s/%s-admin-sock", dir, sockPrefix);
}

daemonPaths *
daemonPathsNew(const char *confFile, const char *sockPrefix, bool privileged,
               const char * const *envp)
{
    g_autoptr(daemonPaths) paths = g_new0(daemonPaths, 1);

    paths->privileged = privileged;
    if (privileged) {
        paths->configDir = g_build_filename(MV_SYSCONFDIR, "libvirt", NULL);
        paths->stateDir = g_build_filename(MV_LOCALSTATEDIR, "lib", "libvirt", NULL);
        paths->runDir = g_build_filename(MV_RUNSTATEDIR, "libvirt", NULL);
        paths->cacheDir = g_build_filename(MV_LOCALSTATEDIR, "cache", "libvirt", NULL);
        paths->logDir = g_build_filename(MV_LOCALSTATEDIR, "log", "libvirt", NULL);
    } else {
        g_autofree char *config = daemonPathsXDG(envp, "XDG_CONFIG_HOME", ".config");
        g_autofree char *data = daemonPathsXDG(envp, "XDG_DATA_HOME", ".local/share");
        g_autofree char *cache = daemonPathsXDG(envp, "XDG_CACHE_HOME", ".cache");
        const char *runtime = g_environ_getenv((char **)envp, "XDG_RUNTIME_DIR");

        paths->configDir = g_build_filename(config, "libvirt", NULL);
        paths->stateDir = g_build_filename(data, "libvirt", NULL);
        paths->cacheDir = g_build_filename(cache, "libvirt", NULL);
        paths->logDir = g_build_filename(cache, "libvirt", "log", NULL);
        /* Like libvirt: without a runtime dir the sockets live in the cache dir. */
        if (runtime && g_path_is_absolute(runtime))
            paths->runDir = g_build_filename(runtime, "libvirt", NULL);
        else
            paths->runDir = g_build_filename(cache, "libvirt", NULL);
    }
    paths->configFile = g_build_filename(paths->configDir, confFile, NULL);
    daemonPathsSetSockDir(paths, sockPrefix, paths->runDir);
    return g_steal_pointer(&paths);
}

void
daemonPathsFree(daemonPaths *paths)
{
    if (!paths)
        return;
    g_free(paths->configDir);
    g_free(paths->stateDir);
    g_free(paths->runDir);
    g_free(paths->cacheDir);
    g_free(paths->logDir);
    g_free(paths->configFile);
    g_free(paths->sockDir);
    g_free(paths->sockRW);
    g_free(paths->sockRO);
    g_free(paths->sockAdmin);
    g_free(paths);
}

/* Creates @dir with @mode; an existing directory keeps its mode. */
static int
daemonPathsMakeDir(const char *dir, mode_t mode)
{
    if (mvFileMakePath(dir, mode) < 0)
        return -1;
    return 0;
}

int
daemonPathsMakeDirs(const daemonPaths *paths)
{
    mode_t runMode = paths->privileged ? 0755 : 0700;

    if (daemonPathsMakeDir(paths->runDir, runMode) < 0 ||
        daemonPathsMakeDir(paths->sockDir, runMode) < 0 ||
        daemonPathsMakeDir(paths->stateDir, paths->privileged ? 0755 : 0700) < 0 ||
        daemonPathsMakeDir(paths->cacheDir, paths->privileged ? 0711 : 0700) < 0)
        return -1;
    return 0;
}
