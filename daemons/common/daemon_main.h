/*
 * daemon_main: the one main() behind every modvirt driver daemon.
 *
 * A daemon's own main.c fills in an mvDaemonSpec (its name, socket prefix,
 * URI scheme, config file and state driver) and calls mvDaemonRun(), which
 * parses the command line, reads the config file, sets up logging, works
 * out system or session paths, takes its sockets from systemd or binds them,
 * starts the driver and the RPC servers, tells systemd it is ready and runs
 * the main loop until SIGTERM/SIGINT or idle timeout.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "drivers/driver_state.h"

typedef struct {
    const char *name;           /* "virtsecretd": process, unit and server name */
    const char *socketPrefix;   /* "virtsecretd" -> virtsecretd-sock, ... */
    const char *uriScheme;      /* "secret" -> secret:///system */
    const char *configFile;     /* "virtsecretd.conf" */
    const mvStateDriver *stateDriver;
} mvDaemonSpec;

/* Runs the daemon; returns the process exit status (0 after a clean
 * shutdown, 1 on a start-up failure, which is logged to stderr). */
int mvDaemonRun(const mvDaemonSpec *spec, int argc, char **argv);
