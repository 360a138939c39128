/*
 * client_internal: glue shared by the files of libclient only (never by
 * drivers or daemons, which use client_driver.h).
 *
 * It covers the reference counts of the public objects, the error handling
 * every public entry point follows (reset the thread's error on entry; on
 * failure copy it to the connection and hand it to the application's error
 * function), the remote driver's table, and the library's event loop
 * context.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "client_driver.h"

/* Internal connectOpen flag: the remote driver must serve this connection
 * even inside a daemon (mvConnectOpenSecondary). */
#define MV_CONNECT_OPEN_SECONDARY (1U << 30)

/* The remote driver, tried after every local driver. */
extern const mvConnectDriver mvRemoteConnectDriver;

/* Drops one reference of @conn without touching the thread's error; frees it
 * (closing the driver) on the last.  Returns the references left. */
int mvConnectUnref(virConnectPtr conn);
/* Takes a reference unless the last one is already gone (the connection is
 * being freed).  Returns whether a reference was taken. */
bool mvConnectTryRef(virConnectPtr conn);
/* Drops one reference of a secret handle (no error handling). */
void mvSecretUnref(virSecretPtr secret);
/* Takes a reference.  Returns @conn. */
virConnectPtr mvConnectRefInternal(virConnectPtr conn);

/* Called by a public entry point that is about to fail: copies the thread's
 * error into @conn->lastError (when @conn is not NULL) and passes it to the
 * registered error function (the connection's, else the global one, else
 * virDefaultErrorFunc). */
void mvDispatchError(virConnectPtr conn);

/* Forgets @conn's error function; called when the connection is freed. */
void mvErrorForgetConn(virConnectPtr conn);

/* Argument-check reports worded as libvirt's clients see them. */
void mvReportInvalidConn(int domain, const char *func);
void mvReportNonNullArg(int domain, const char *func, const char *arg);
void mvReportNonNegativeArg(int domain, const char *func, const char *arg);
void mvReportUnsupported(int domain, const char *func);
void mvReportReadOnly(int domain, const char *func);

/* The library's event loop context once virEventRegisterDefaultImpl ran,
 * else NULL.  Not referenced for the caller. */
GMainContext *mvEventLoopContext(void);

/* The value of @key ("uri_default", "remote_mode") in the client
 * configuration file: $XDG_CONFIG_HOME/libvirt/libvirt.conf for non-root,
 * MV_SYSCONFDIR/libvirt/libvirt.conf for root.  NULL when unset or the file
 * is missing.  Caller frees. */
char *mvClientConfigGetString(const char *key);
/* The same from the file @path (for tests). */
char *mvClientConfigGetStringFromFile(const char *path, const char *key);

/* Whether @conn looks like a live connection object (not NULL). */
#define mvConnectIsValid(conn) ((conn) != NULL)
