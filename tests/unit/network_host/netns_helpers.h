/*
 * netns_helpers: what the host-backend tests share.  Every test program
 * moves itself into a fresh network namespace before anything else runs
 * (unshare(CLONE_NEWNET) while still single-threaded), so bridges, nft
 * tables, sysctls and dnsmasq only ever exist there and vanish with the
 * process.  Without root (or without namespaces) the program skips.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <glib.h>

#include "mv_error.h"

/* Exit status meson reads as "skipped". */
#define NETNS_TEST_SKIP 77

/* Moves the process into a new network namespace, or exits with the skip
 * status when that is impossible.  Call first thing in main(). */
static inline void
netnsTestEnter(void)
{
    if (geteuid() != 0) {
        fprintf(stderr, "skipped: needs root to create network namespaces\n");
        exit(NETNS_TEST_SKIP);
    }
    if (unshare(CLONE_NEWNET) < 0) {
        fprintf(stderr, "skipped: unshare(CLONE_NEWNET) failed: %s\n", g_strerror(errno));
        exit(NETNS_TEST_SKIP);
    }
}

/* Creates one more network namespace and returns an fd that keeps it alive
 * (the calling thread stays where it was).  Aborts the test on failure. */
static inline int
netnsTestNewNamespace(void)
{
    int orig = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    int other;

    g_assert_cmpint(orig, >=, 0);
    g_assert_cmpint(unshare(CLONE_NEWNET), ==, 0);
    other = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    g_assert_cmpint(other, >=, 0);
    g_assert_cmpint(setns(orig, CLONE_NEWNET), ==, 0);
    close(orig);
    return other;
}

/* Runs the next calls in the namespace @nsfd; returns the fd to come back
 * with (netnsTestLeave). */
static inline int
netnsTestSwitch(int nsfd)
{
    int orig = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

    g_assert_cmpint(orig, >=, 0);
    g_assert_cmpint(setns(nsfd, CLONE_NEWNET), ==, 0);
    return orig;
}

static inline void
netnsTestLeave(int orig)
{
    g_assert_cmpint(setns(orig, CLONE_NEWNET), ==, 0);
    close(orig);
}

/* Asserts that an error is set and mentions @needle, then clears it. */
#define netnsAssertError(needle) \
    do { \
        g_assert_true(mvErrorIsSet()); \
        g_assert_nonnull(strstr(mvErrorGetLast()->message, (needle))); \
        mvErrorReset(); \
    } while (0)

/* Runs @argv (no shell) and returns its stdout; asserts it exits 0. */
static inline char *
netnsTestRun(const char * const *argv)
{
    g_autoptr(GError) err = NULL;
    char *out = NULL;
    g_autofree char *errout = NULL;
    int status = 0;

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                      &out, &errout, &status, &err))
        g_error("cannot run %s: %s", argv[0], err->message);
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("%s failed: %s", argv[0], errout);
    return out;
}

/* Milliseconds since some fixed point. */
static inline double
netnsTestNowMs(void)
{
    return g_get_monotonic_time() / 1000.0;
}
