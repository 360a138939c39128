/*
 * client_uri: connection URIs ("secret:///system", "qemu+unix:///session?
 * socket=/x", "qemu+tcp://host:16509/system") and the choice of UNIX socket
 * a URI leads to (DESIGN.md section 2, wire-facts.md section 3.3).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

typedef struct {
    char *name;
    char *value;
} mvURIParam;

typedef struct {
    char *scheme;       /* as written: "qemu+unix" */
    char *driver;       /* "qemu" */
    char *transport;    /* "unix", "tcp", "tls", "ssh" or NULL */
    char *user;
    char *server;       /* NULL for local URIs */
    int port;           /* 0 when absent */
    char *path;         /* "/system", "/session", or NULL */
    mvURIParam *params;
    size_t nparams;
} mvURI;

/* Parses @str.  Returns NULL with VIR_ERR_INTERNAL_ERROR reported ("Unable
 * to parse URI ...") when it is not a URI. */
mvURI *mvURIParse(const char *str);
void mvURIFree(mvURI *uri);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvURI, mvURIFree);
/* Formats back to text. */
char *mvURIFormat(const mvURI *uri);
/* The value of parameter @name or NULL. */
const char *mvURIGetParam(const mvURI *uri, const char *name);
/* The name a client sends in CONNECT_OPEN: transport removed from the
 * scheme and the client-only parameters (socket, mode, ...) dropped. */
char *mvURIFormatForServer(const mvURI *uri);
/* The daemon that owns @driver ("qemu" -> "virtqemud"), or NULL. */
const char *mvURIDaemonForDriver(const char *driver);
/* The UNIX socket path for @uri (wire-facts 3.3 rules, modvirt's direct
 * mode preferred; ?socket= wins).  @readonly picks the -ro socket.
 * Returns NULL with an error reported. */
char *mvURIResolveSocket(const mvURI *uri, bool readonly);

/* What socket resolution looks at in the process, made explicit so tests can
 * inject it.  mvURIResolveSocket() fills it from the real process. */
typedef struct {
    uid_t euid;
    const char *systemRunDir;   /* MV_RUNSTATEDIR "/libvirt" */
    const char *userRunDir;     /* $XDG_RUNTIME_DIR/libvirt, else ~/.cache/libvirt */
    const char *remoteMode;     /* remote_mode of the client config, or NULL */
    bool insideDaemon;          /* a daemon always uses direct mode */
} mvURISocketEnv;

/* The socket resolution of mvURIResolveSocket() with explicit inputs.
 * @uri may be NULL (no URI: the legacy socket, then CONNECT_GET_URI).
 * Sets *@userSocket (if not NULL) to whether the connection is a user
 * (session) connection, the CONNECT_OPEN flag bit 1.  Returns the path, or
 * NULL with an error reported (unsupported transport, bad mode). */
char *mvURIResolveSocketFull(const mvURI *uri, bool readonly,
                             const mvURISocketEnv *env, bool *userSocket);
/* Whether a connection for @uri by @euid is a user (session) connection:
 * euid != 0, no server, and path /session, a "test+" scheme or no URI. */
bool mvURIIsUserConnection(const mvURI *uri, uid_t euid);
/* The user runtime directory libvirt clients use: $XDG_RUNTIME_DIR/libvirt,
 * else ~/.cache/libvirt.  Caller frees. */
char *mvURIUserRunDir(void);
