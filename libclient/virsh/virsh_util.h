/*
 * virsh_util: the state of one virsh run and the services every command
 * file uses: printing (stdout, "error: " lines on stderr), reporting the
 * library's errors the way virsh does, the connection and its automatic
 * reconnection, running parsed commands, waiting for events, reading input
 * files and filtering XML with --xpath.
 *
 * Library errors are captured with virSetErrorFunc() as they are raised (the
 * handler also keeps the library from printing them itself) and printed after
 * the failing command's own "error: ..." line, so a failure reads
 * "error: failed to get secret 'X'" then "error: <library message>".
 *
 * Threads: commands run on the main thread; a second thread runs the libvirt
 * event loop (virEventRunDefaultImpl) so keepalive and event callbacks are
 * served.  Event callbacks signal the main thread through a pipe.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "virsh_parse.h"

struct _virshControl {
    const virshCmdGroup *groups;
    virConnectPtr conn;
    char *connname;             /* -c, VIRSH_DEFAULT_CONNECT_URI or `connect URI` */
    bool readonly;
    bool quiet;
    bool timing;
    bool imode;                 /* interactive */
    int debug;
    int keepaliveInterval;      /* -k; 0 disables keepalive */
    unsigned int keepaliveCount;
    bool disconnected;          /* last command hit a dead connection */

    GMutex errLock;
    bool errSet;                /* a library error waits to be printed */
    char *errMessage;
    int errCode;
    int errDomain;

    int eventPipe[2];           /* event callbacks and SIGINT write here */
    int eventTimeoutMs;
    int eventLoopQuit;         /* atomic */
    GThread *eventThread;
};

typedef enum {
    VIRSH_EVENT_DONE,
    VIRSH_EVENT_TIMEOUT,
    VIRSH_EVENT_INTERRUPT,
} virshEventResult;

/* Prints to stdout. */
void virshPrint(virshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Prints to stdout unless --quiet. */
void virshPrintExtra(virshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Prints "error: MESSAGE\n" to stderr. */
void virshError(virshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Installs the error capture; call once before any API call. */
void virshErrorInit(virshControl *ctl);
/* Prints the captured library error, if any, and forgets it. */
void virshReportError(virshControl *ctl);
/* Forgets the captured library error without printing it. */
void virshResetLibvirtError(virshControl *ctl);

/* Closes any open connection and opens @name (or ctl->connname).  @force
 * suppresses the "Reconnected" notice (the `connect` command).  Returns 0,
 * or -1 after printing why. */
int virshReconnect(virshControl *ctl, const char *name, bool readonly, bool force);
/* Closes the connection, if any. */
void virshDisconnect(virshControl *ctl);

/* Runs a list of parsed commands; returns the result of the last one. */
bool virshCommandRun(virshControl *ctl, const virshCmd *cmds);

/* Starts the event loop thread (after virEventRegisterDefaultImpl). */
int virshEventLoopStart(virshControl *ctl);
/* Stops and joins it. */
void virshEventLoopStop(virshControl *ctl);
/* Prepares to wait for an event: @timeoutMs 0 waits forever; SIGINT ends
 * the wait.  Returns 0 or -1 after printing why. */
int virshEventStart(virshControl *ctl, int timeoutMs);
/* Called from an event callback: ends the wait. */
void virshEventDone(virshControl *ctl);
/* Waits; returns a virshEventResult, or -1 on failure. */
int virshEventWait(virshControl *ctl);
/* Undoes virshEventStart. */
void virshEventCleanup(virshControl *ctl);

/* Reads @path whole (at most @maxlen bytes).  Returns the length, or -1
 * after printing "Failed to open/read file ..." (via the library error slot
 * so it comes out like virsh's). */
gssize virshFileReadAll(virshControl *ctl, const char *path, gsize maxlen, char **buf);

/* Parses the --timeout option into milliseconds (0 when absent).  Returns 0,
 * or -1 after printing the error. */
int virshCommandOptTimeoutToMs(virshControl *ctl, const virshCmd *cmd, int *timeoutMs);

/* Prints @xml, or with @xpath the matching nodes (wrapped in <nodes> when
 * @wrap).  Returns false after printing the error. */
bool virshDumpXML(virshControl *ctl, const char *xml, const char *url,
                  const char *xpath, bool wrap);

/* The version number libvirt style (1000000*major + 1000*minor + micro) as
 * "major.minor.micro". */
char *virshFormatVersion(unsigned long version);

/* The command tables of each area (virsh_host.c, virsh_secret.c). */
extern const virshCmdDef virshHostCmds[];
extern const virshCmdDef virshSecretCmds[];
/* `connect` is listed in the "Virsh itself" group by virsh.c. */
extern const virshOptDef virshConnectOpts[];
bool cmdHostConnect(virshControl *ctl, const virshCmd *cmd);
