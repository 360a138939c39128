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
