/*
 * daemon_config: the settings of a driver daemon's config file
 * (/etc/libvirt/virtsecretd.conf and friends), with libvirt's key names,
 * syntax and defaults, checked once at start-up so that a mistake stops the
 * daemon with a message naming file, line and key.
 *
 * Keys libvirt knows but modvirt does not act on yet (audit_*, host_uuid*,
 * ovs_timeout, max_queued_clients, ...) are still type-checked, so a config
 * that is valid for libvirt stays valid here.  Keys nobody knows are
 * returned by daemonConfigLoad() for the caller to warn about; they never
 * stop the daemon (libvirt ignores them silently).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

#include "mv_conf.h"

typedef enum {
    DAEMON_AUTH_NONE = 0,
} daemonAuthType;

/* One RPC server's limits; copied into an rpcServerConfig at start-up. */
typedef struct {
    unsigned int min_workers;
    unsigned int max_workers;
    unsigned int prio_workers;
    unsigned int max_clients;
    unsigned int max_anonymous_clients;
    unsigned int max_queued_clients;
    unsigned int max_client_requests;
    int keepalive_interval;
    unsigned int keepalive_count;
} daemonServerLimits;

typedef struct {
    char *unix_sock_group;        /* NULL: leave the group alone */
    mode_t unix_sock_ro_perms;    /* 0777 */
    mode_t unix_sock_rw_perms;    /* 0700 */
    mode_t unix_sock_admin_perms; /* 0700 */
    char *unix_sock_dir;          /* NULL: the mode's run directory */
    daemonAuthType auth_unix_ro;
    daemonAuthType auth_unix_rw;

    daemonServerLimits srv;
    daemonServerLimits admin;

    unsigned int log_level;       /* 0: not set */
    char *log_filters;
    char *log_outputs;

    unsigned int audit_level;     /* accepted, not acted on yet */
    bool audit_logging;
    char *host_uuid;
    char *host_uuid_source;
    unsigned int ovs_timeout;
} daemonConfig;

/* A config with libvirt's defaults. */
daemonConfig *daemonConfigNew(void);
void daemonConfigFree(daemonConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(daemonConfig, daemonConfigFree);

/* Applies the settings of @conf to @cfg.  On success *@unknown (if not
 * NULL) receives "FILE:LINE: KEY" for each key that is not a daemon
 * setting.  Returns 0, or -1 with an error naming file, line and key. */
int daemonConfigLoad(daemonConfig *cfg, const mvConf *conf, char ***unknown);

/* Reads @path into @cfg.  A missing file is fine when @mustExist is false
 * (the default config file), an error otherwise (--config).  Returns 0 or
 * -1 (reported). */
int daemonConfigLoadFile(daemonConfig *cfg, const char *path, bool mustExist,
                         char ***unknown);

/* The NULL-terminated list of keys daemonConfigLoad() understands. */
const char * const *daemonConfigKnownKeys(void);
