/*
 * qemu_monitor: the asynchronous QMP client that talks to one running QEMU.
 *
 * A monitor owns a connected stream socket to QEMU's QMP chardev.  Opening it
 * reads QEMU's greeting and negotiates capabilities on the calling thread;
 * afterwards the socket is watched by a GSource on a GMainContext, which reads
 * replies and events as they come.  Worker threads send commands and sleep on
 * a condition variable until the main loop hands them their reply (matched by
 * the "id" member, so replies may come back in any order).  Events and EOF are
 * reported through callbacks on the main-loop thread, in arrival order, with
 * no monitor lock held.
 *
 * When nobody is running the context (a daemon reconnecting to its guests
 * before its main loop starts) or the caller is the main-loop thread itself,
 * a waiting command drives the socket directly with poll() instead; events
 * read that way are queued and still delivered on the main loop.
 *
 * Thread safety: every function may be called from any thread.
 * mvQemuMonitorClose must not be called while holding a lock that a callback
 * of this monitor takes: it waits for a callback in progress on another
 * thread to return.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

typedef struct _mvQemuMonitor mvQemuMonitor;

/* The default wait for a reply when a caller passes a timeout <= 0. */
#define MV_QEMU_MONITOR_DEFAULT_TIMEOUT_MS 30000
/* The largest single message QEMU may send before the monitor gives up. */
#define MV_QEMU_MONITOR_MAX_MESSAGE (64u * 1024 * 1024)
/* The most fds one command may carry. */
#define MV_QEMU_MONITOR_MAX_FDS 16

typedef struct {
    /* The monitor hit EOF or an I/O error (QEMU exited or crashed, or sent
     * something that is not QMP).  Called once, on the main-loop thread, with
     * no monitor lock held; not called once mvQemuMonitorClose has run. */
    void (*eofNotify)(mvQemuMonitor *mon, bool error, void *opaque);
    /* A QMP event: @name ("SHUTDOWN"), @data (may be NULL; borrowed for the
     * call), QEMU's timestamp.  Called on the main-loop thread in arrival
     * order, no monitor lock held. */
    void (*eventNotify)(mvQemuMonitor *mon, const char *name, struct json_object *data,
                        gint64 seconds, unsigned int micros, void *opaque);
} mvQemuMonitorCallbacks;

/* Takes ownership of @fd, a connected stream socket to QEMU's QMP chardev
 * (closed on failure too).  Reads the greeting and negotiates capabilities
 * (qmp_capabilities) on the calling thread within @timeoutMs (<= 0: the
 * default), then attaches the socket to @ctx (NULL: the default context) for
 * asynchronous I/O.  @cbs is copied; @opaque is passed to the callbacks.
 * Returns the monitor, or NULL with VIR_ERR_OPERATION_FAILED (QEMU went away
 * or is not speaking QMP) or VIR_ERR_OPERATION_TIMEOUT reported. */
mvQemuMonitor *mvQemuMonitorOpenFD(int fd, GMainContext *ctx, int timeoutMs,
                                   const mvQemuMonitorCallbacks *cbs, void *opaque);

/* Connects to the UNIX socket at @path, retrying while it is missing or
 * refuses connections, then continues as mvQemuMonitorOpenFD; @timeoutMs
 * covers both.  Returns the monitor, or NULL with an error reported. */
mvQemuMonitor *mvQemuMonitorOpen(const char *path, GMainContext *ctx, int timeoutMs,
                                 const mvQemuMonitorCallbacks *cbs, void *opaque);

/* Replaces the opaque pointer the callbacks receive (e.g. once the object
 * that owns the monitor exists). */
void mvQemuMonitorSetOpaque(mvQemuMonitor *mon, void *opaque);
void *mvQemuMonitorGetOpaque(mvQemuMonitor *mon);

/* Sends command @name with @args (an object, or NULL; consumed in every case)
 * and waits at most @timeoutMs (<= 0: the default) for its reply.  Returns
 * the reply's "return" member (a new reference the caller puts; an empty
 * object when QEMU returned null), or NULL with an error reported:
 * VIR_ERR_INTERNAL_ERROR "QEMU command 'NAME' failed: DESC" quoting QEMU,
 * VIR_ERR_OPERATION_TIMEOUT, or VIR_ERR_OPERATION_INVALID "QEMU monitor is
 * closed (...)". */
struct json_object *mvQemuMonitorCommand(mvQemuMonitor *mon, const char *name,
                                         struct json_object *args, int timeoutMs);

/* As mvQemuMonitorCommand, passing @nfds descriptors (SCM_RIGHTS) with the
 * command's first byte (getfd, add-fd).  The caller keeps @fds: the monitor
 * sends duplicates and closes those itself. */
struct json_object *mvQemuMonitorCommandWithFDs(mvQemuMonitor *mon, const char *name,
                                                struct json_object *args,
                                                const int *fds, size_t nfds, int timeoutMs);

/* Sends @n commands (@names[i] with @args[i], which may be NULL and are all
 * consumed) in one write and waits for every reply within @timeoutMs in all.
 * Returns 0 with @replies[i] filled (new references), or -1 with the error of
 * the first command (in order) that failed, and @replies left all NULL. */
int mvQemuMonitorCommandBatch(mvQemuMonitor *mon, size_t n, const char *const *names,
                              struct json_object **args, struct json_object **replies,
                              int timeoutMs);

/* Runs @cmdline through human-monitor-command.  Returns QEMU's text (caller
 * frees), or NULL with an error reported. */
char *mvQemuMonitorHMP(mvQemuMonitor *mon, const char *cmdline, int timeoutMs);

/* Passes @json, one whole QMP command object as text, through unchanged
 * (apart from the id used to match the reply, which is restored).  Returns the
 * whole reply object as text, {"return":...} or {"error":...} (caller frees),
 * or NULL with an error reported (invalid JSON, timeout, closed monitor). */
char *mvQemuMonitorRaw(mvQemuMonitor *mon, const char *json, int timeoutMs);

/* Detaches the monitor from the main loop, shuts the socket down and frees
 * the monitor; waiting callers fail with "closed".  No callback runs after it
 * returns (a callback in progress on another thread is waited for; called
 * from inside a callback, the release is deferred until it returns).
 * NULL is ignored. */
void mvQemuMonitorClose(mvQemuMonitor *mon);

/* Whether the monitor can still carry commands (no EOF, error or Close). */
bool mvQemuMonitorIsOpen(mvQemuMonitor *mon);

/* For tests: the size above which a message from QEMU is refused (0 restores
 * MV_QEMU_MONITOR_MAX_MESSAGE).  Applies to every monitor of the process. */
void mvQemuMonitorSetMessageLimit(size_t bytes);
