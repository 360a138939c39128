/*
 * mv_fd: file descriptors that close themselves.  Debian 12's GLib (2.74)
 * lacks g_autofd, so MV_AUTOCLOSE gives the same with a cleanup attribute.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <errno.h>
#include <unistd.h>

static inline void
mvFDCloseP(int *fd)
{
    if (fd && *fd >= 0) {
        int saved = errno;
        close(*fd);
        *fd = -1;
        errno = saved;
    }
}

#define MV_AUTOCLOSE __attribute__((cleanup(mvFDCloseP)))

/* Closes *fd if open and sets it to -1. */
#define mvFDClear(fdp) mvFDCloseP(fdp)
