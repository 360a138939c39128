/*
 * driver_files: see driver_files.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "driver_files.h"
#include "mv_log.h"

MV_LOG_INIT("util.driver_files");

char *
mvDriverConfigPath(const char *dir, const char *name)
{
    g_autofree char *file = g_strdup_printf("%s.xml", name);

    return g_build_filename(dir, file, NULL);
}

bool
mvDriverAutostartOnce(const char *runDir, const char *what)
{
    g_autofree char *marker = g_build_filename(runDir, "autostarted", NULL);
    int fd;

    if (access(marker, F_OK) == 0)
        return false;
    if ((fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0) {
        MV_WARN("cannot create '%s' (%s): %s may be autostarted again by a later daemon "
                "start", marker, g_strerror(errno), what);
        return true;
    }
    close(fd);
    return true;
}

void
mvDriverForEachConfig(const char *dir, mvDriverConfigLoadFunc load, void *opaque)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    if (!d)
        return;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = NULL;

        if (!g_str_has_suffix(name, ".xml"))
            continue;
        path = g_build_filename(dir, name, NULL);
        load(path, name, opaque);
    }
}

bool
mvDriverConfigNameMatches(const char *fileName, const char *name)
{
    size_t n = strlen(name);

    return strncmp(fileName, name, n) == 0 && strcmp(fileName + n, ".xml") == 0;
}
