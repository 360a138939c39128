/*
 * mv_file: see mv_file.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mv_error.h"
#include "mv_fd.h"
#include "mv_file.h"

#define MV_FROM_THIS VIR_FROM_NONE

int
mvFileReadAll(const char *path, size_t maxlen, char **data, size_t *len)
{
    MV_AUTOCLOSE int fd = -1;
    g_autofree char *buf = NULL;
    size_t have = 0, cap = 0;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        mvReportSystemError(errno, "cannot open '%s'", path);
        return -1;
    }
    for (;;) {
        ssize_t n;

        if (cap - have < 4096 + 1) {
            cap = MAX(cap * 2, 8192);
            buf = g_realloc(buf, cap);
        }
        n = read(fd, buf + have, cap - have - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            mvReportSystemError(errno, "cannot read '%s'", path);
            return -1;
        }
        if (n == 0)
            break;
        have += n;
        if (have > maxlen) {
            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "file '%s' is larger than the limit of %zu bytes", path, maxlen);
            return -1;
        }
    }
    if (!buf)
        buf = g_malloc(1);
    buf[have] = '\0';
    *data = g_steal_pointer(&buf);
    if (len)
        *len = have;
    return 0;
}

int
mvFileWriteAtomic(const char *path, const void *data, size_t len, mode_t mode)
{
    return mvFileWriteAtomicFlags(path, data, len, mode, 0);
}

int
mvFileWriteAtomicFlags(const char *path, const void *data, size_t len, mode_t mode,
                       unsigned int flags)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *tmp = g_strdup_printf("%s.new.XXXXXX", path);
    MV_AUTOCLOSE int fd = -1;
    MV_AUTOCLOSE int dfd = -1;
    const char *p = data;
    size_t done = 0;

    if ((fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, mode)) < 0) {
        mvReportSystemError(errno, "cannot create temporary file for '%s'", path);
        return -1;
    }
    if (fchmod(fd, mode) < 0) {
        mvReportSystemError(errno, "cannot set mode of '%s'", tmp);
        goto error;
    }
    while (done < len) {
        ssize_t n = write(fd, p + done, len - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            mvReportSystemError(errno, "cannot write '%s'", tmp);
            goto error;
        }
        done += n;
    }
    if (!(flags & MV_FILE_WRITE_NO_SYNC) && fsync(fd) < 0) {
        mvReportSystemError(errno, "cannot sync '%s'", tmp);
        goto error;
    }
    if (close(fd) < 0) {
        fd = -1;
        mvReportSystemError(errno, "cannot close '%s'", tmp);
        goto error;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        mvReportSystemError(errno, "cannot rename '%s' to '%s'", tmp, path);
        goto error;
    }
    if (!(flags & (MV_FILE_WRITE_NO_SYNC | MV_FILE_WRITE_NO_DIR_SYNC)) &&
        (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
        (void)fsync(dfd);
    return 0;

 error:
    unlink(tmp);
    return -1;
}

int
mvFileMakePath(const char *path, mode_t mode)
{
    if (g_mkdir_with_parents(path, mode) < 0) {
        mvReportSystemError(errno, "cannot create directory '%s'", path);
        return -1;
    }
    return 0;
}

int
mvFileUnlink(const char *path)
{
    if (unlink(path) < 0 && errno != ENOENT) {
        mvReportSystemError(errno, "cannot remove '%s'", path);
        return -1;
    }
    return 0;
}
