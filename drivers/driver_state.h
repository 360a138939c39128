/*
 * driver_state: what a daemon tells its driver at start-up and asks of it
 * later.  A daemon's spec names one mvStateDriver; the daemon calls
 * initialize() once after its sockets exist and before READY=1 (slow work is
 * deferred), inhibitCount() whenever it considers idle shutdown, and
 * cleanup() on the way out.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>

typedef struct {
    bool privileged;        /* system mode (root, /system URIs) or session */
    const char *configDir;  /* /etc/libvirt           | $XDG_CONFIG_HOME/libvirt */
    const char *stateDir;   /* /var/lib/libvirt       | $XDG_DATA_HOME/libvirt */
    const char *runDir;     /* /run/libvirt           | $XDG_RUNTIME_DIR/libvirt */
    const char *cacheDir;   /* /var/cache/libvirt     | $XDG_CACHE_HOME/libvirt */
    const char *logDir;     /* /var/log/libvirt       | $XDG_CACHE_HOME/libvirt/log */
} mvDriverStateConfig;

typedef struct {
    const char *name;
    /* Registers the driver's tables with libclient (mvRegisterConnectDriver). */
    int (*registerDriver)(void);
    /* Returns 0, or -1 with an error reported (the daemon then exits 1). */
    int (*initialize)(const mvDriverStateConfig *cfg);
    /* Releases everything; safe after a failed initialize. */
    void (*cleanup)(void);
    /* Objects that keep the daemon alive (running guests); NULL = none. */
    unsigned int (*inhibitCount)(void);
} mvStateDriver;
