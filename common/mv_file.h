/*
 * mv_file: bounded reads and crash-safe writes of whole files.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

/* Reads all of @path, refusing files larger than @maxlen bytes.  The data is
 * NUL-terminated.  Returns 0, or -1 with an error reported. */
int mvFileReadAll(const char *path, size_t maxlen, char **data, size_t *len);
/* Replaces @path with @data atomically: a temporary file in the same
 * directory is written with @mode, fsynced and renamed over @path, then the
 * directory is fsynced.  Returns 0, or -1 with an error reported. */
int mvFileWriteAtomic(const char *path, const void *data, size_t len, mode_t mode);

typedef enum {
    /* skip the directory fsync: after a crash the file is either the old
     * or the new version, but a rename just before the crash may be lost
     * (what libvirt guarantees for its config files) */
    MV_FILE_WRITE_NO_DIR_SYNC = 1 << 0,
    /* no fsync at all, only the atomic rename: for files on a tmpfs that a
     * reboot clears anyway (status files in the run directory) */
    MV_FILE_WRITE_NO_SYNC = 1 << 1,
} mvFileWriteFlags;
/* mvFileWriteAtomic with @flags (mvFileWriteFlags). */
int mvFileWriteAtomicFlags(const char *path, const void *data, size_t len, mode_t mode,
                           unsigned int flags);
/* Creates @path and its parents with @mode.  Returns 0 or -1 (reported). */
int mvFileMakePath(const char *path, mode_t mode);
/* Removes @path; a missing file is not an error.  Returns 0 or -1 (reported). */
int mvFileUnlink(const char *path);
