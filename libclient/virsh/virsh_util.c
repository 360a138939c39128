/*
 * virsh_util: printing, error reporting, the connection, the command runner,
 * event waiting and small helpers shared by the virsh command files.  See
 * virsh_util.h for the model.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "virsh_util.h"

void
virshPrint(virshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

void
virshPrintExtra(virshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    if (ctl && ctl->quiet)
        return;
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

void
virshError(virshControl *ctl, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);

    /* keep stdout and stderr in the order they were written */
    fflush(stdout);
    fprintf(stderr, "error: %s\n", msg);
    fflush(stderr);
}

/* Remembers an error to be printed after the failing command; used for the
 * library's errors and for failures virsh reports the same way. */
static void
virshErrorStore(virshControl *ctl, int code, int domain, const char *message)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&ctl->errLock);

    g_free(ctl->errMessage);
    ctl->errMessage = g_strdup(message);
    ctl->errCode = code;
    ctl->errDomain = domain;
    ctl->errSet = true;
}

static void
virshErrorHandler(void *opaque, virErrorPtr err)
{
    virshControl *ctl = opaque;

    if (!err || err->code == VIR_ERR_OK)
        return;
    virshErrorStore(ctl, err->code, err->domain, err->message);
}

void
virshErrorInit(virshControl *ctl)
{
    virSetErrorFunc(ctl, virshErrorHandler);
}

static bool
virshErrorCodeIsDisconnect(int code, int domain)
{
    return code == VIR_ERR_RPC || code == VIR_ERR_NO_CONNECT || code == VIR_ERR_INVALID_CONN ||
           (code == VIR_ERR_SYSTEM_ERROR && domain == VIR_FROM_REMOTE);
}

/* Whether the pending error says the connection is gone. */
static bool
virshErrorIsDisconnect(virshControl *ctl)
{
    virErrorPtr err;
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&ctl->errLock);

    if (ctl->errSet)
        return virshErrorCodeIsDisconnect(ctl->errCode, ctl->errDomain);
    err = virGetLastError();
    return err && virshErrorCodeIsDisconnect(err->code, err->domain);
}

void
virshReportError(virshControl *ctl)
{
    g_autofree char *msg = NULL;
    bool have = false;

    g_mutex_lock(&ctl->errLock);
    if (ctl->errSet) {
        have = true;
        msg = g_steal_pointer(&ctl->errMessage);
        ctl->errSet = false;
    }
    g_mutex_unlock(&ctl->errLock);

    if (!have) {
        /* a library that does not call the error handler still leaves the
         * thread's last error behind */
        virErrorPtr err = virGetLastError();

        if (err && err->code != VIR_ERR_OK) {
            have = true;
            msg = g_strdup(err->message);
        }
    }

    if (have)
        virshError(ctl, "%s", msg ? msg : "unknown error");
    virResetLastError();
}

void
virshResetLibvirtError(virshControl *ctl)
{
    g_mutex_lock(&ctl->errLock);
    g_clear_pointer(&ctl->errMessage, g_free);
    ctl->errSet = false;
    g_mutex_unlock(&ctl->errLock);
    virResetLastError();
}

static void
virshCatchDisconnect(virConnectPtr conn, int reason, void *opaque)
{
    virshControl *ctl = opaque;
    const char *why;

    switch ((virConnectCloseReason) reason) {
    case VIR_CONNECT_CLOSE_REASON_ERROR:
        why = "I/O error";
        break;
    case VIR_CONNECT_CLOSE_REASON_EOF:
        why = "end of file";
        break;
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
        why = "keepalive timeout";
        break;
    case VIR_CONNECT_CLOSE_REASON_CLIENT:
        return;
    default:
        why = "unknown reason";
        break;
    }
    virshError(ctl, "Disconnected from %s due to %s",
               ctl->connname ? ctl->connname : "the hypervisor", why);
    ctl->disconnected = true;
    virshEventDone(ctl);
}

void
virshDisconnect(virshControl *ctl)
{
    if (!ctl->conn)
        return;
    virConnectUnregisterCloseCallback(ctl->conn, virshCatchDisconnect);
    if (virConnectClose(ctl->conn) < 0)
        virshError(ctl, "%s", "Failed to disconnect from the hypervisor");
    ctl->conn = NULL;
}

int
virshReconnect(virshControl *ctl, const char *name, bool readonly, bool force)
{
    bool connected = ctl->conn != NULL;
    const char *uri = name ? name : ctl->connname;

    /* without an explicit URI, keep the mode of the current connection */
    if (!readonly && !name)
        readonly = ctl->readonly;

    virshDisconnect(ctl);

    if (!uri) {
        const char *env = getenv("LIBVIRT_DEFAULT_URI");

        if (env && *env)
            uri = env;
    }

    ctl->conn = readonly ? virConnectOpenReadOnly(uri) : virConnectOpen(uri);
    if (!ctl->conn) {
        if (ctl->disconnected)
            virshError(ctl, "%s", "Failed to reconnect to the hypervisor");
        else
            virshError(ctl, "%s", "failed to connect to the hypervisor");
        return -1;
    }

    if (name) {
        g_free(ctl->connname);
        ctl->connname = g_strdup(name);
    }
    ctl->readonly = readonly;

    /* neither failure stops virsh: the connection works without them */
    if (virConnectRegisterCloseCallback(ctl->conn, virshCatchDisconnect, ctl, NULL) < 0)
        virshResetLibvirtError(ctl);
    if (ctl->keepaliveInterval > 0 &&
        virConnectSetKeepAlive(ctl->conn, ctl->keepaliveInterval, ctl->keepaliveCount) < 0)
        virshResetLibvirtError(ctl);

    if (connected && !force)
        virshError(ctl, "%s", "Reconnected to the hypervisor");
    ctl->disconnected = false;
    return 0;
}

/* Makes sure a usable connection exists before a command that needs one. */
static bool
virshConnectionHandler(virshControl *ctl)
{
    if (!ctl->conn || ctl->disconnected)
        return virshReconnect(ctl, NULL, false, false) == 0;
    return true;
}

bool
virshCommandRun(virshControl *ctl, const virshCmd *cmds)
{
    bool ret = true;

    for (const virshCmd *cmd = cmds; cmd; cmd = cmd->next) {
        gint64 before;
        gint64 after;

        virshResetLibvirtError(ctl);
        before = g_get_real_time();
        if ((cmd->def->flags & VIRSH_CMD_FLAG_NOCONNECT) || virshConnectionHandler(ctl))
            ret = cmd->def->handler(ctl, cmd);
        else
            ret = false;
        after = g_get_real_time();

        if (!ret && virshErrorIsDisconnect(ctl))
            ctl->disconnected = true;
        if (!ret)
            virshReportError(ctl);

        if (strcmp(cmd->def->name, "quit") == 0 || strcmp(cmd->def->name, "exit") == 0)
            return ret;

        if (ctl->timing)
            virshPrint(ctl, "\n(Time: %.3f ms)\n\n", (after - before) / 1000.0);
        else
            virshPrintExtra(ctl, "\n");
        fflush(stdout);
    }
    return ret;
}

static gpointer
virshEventLoopThread(gpointer opaque)
{
    virshControl *ctl = opaque;

    while (!g_atomic_int_get(&ctl->eventLoopQuit)) {
        if (virEventRunDefaultImpl() < 0) {
            virshReportError(ctl);
            break;
        }
    }
    return NULL;
}

int
virshEventLoopStart(virshControl *ctl)
{
    ctl->eventThread = g_thread_new("virsh-event", virshEventLoopThread, ctl);
    return 0;
}

static void
virshEventLoopWake(int timer, void *opaque)
{
    virEventRemoveTimeout(timer);
}

void
virshEventLoopStop(virshControl *ctl)
{
    if (!ctl->eventThread)
        return;
    g_atomic_int_set(&ctl->eventLoopQuit, 1);
    if (virEventAddTimeout(0, virshEventLoopWake, NULL, NULL) >= 0) {
        g_thread_join(ctl->eventThread);
    } else {
        virResetLastError();
        g_thread_unref(ctl->eventThread);
    }
    ctl->eventThread = NULL;
}

/* SIGINT while waiting for events writes here (async-signal-safe). */
static volatile int virshEventSignalFd = -1;

static void
virshEventSigint(int sig)
{
    int saved = errno;
    int fd = virshEventSignalFd;

    if (fd >= 0 && write(fd, "i", 1) < 0) {
        /* nothing to do in a signal handler */
    }
    errno = saved;
}

static struct sigaction virshEventOldSigint;

int
virshEventStart(virshControl *ctl, int timeoutMs)
{
    struct sigaction sa = { 0 };

    virshEventCleanup(ctl);
    if (pipe2(ctl->eventPipe, O_CLOEXEC | O_NONBLOCK) < 0) {
        virshError(ctl, "failed to create pipe: %s", g_strerror(errno));
        ctl->eventPipe[0] = ctl->eventPipe[1] = -1;
        return -1;
    }
    ctl->eventTimeoutMs = timeoutMs;

    virshEventSignalFd = ctl->eventPipe[1];
    sa.sa_handler = virshEventSigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &virshEventOldSigint);
    return 0;
}

void
virshEventDone(virshControl *ctl)
{
    int fd = g_atomic_int_get(&ctl->eventPipe[1]);

    if (fd >= 0 && write(fd, "d", 1) < 0) {
        /* the pipe is non-blocking; a full pipe already wakes the waiter */
    }
}

int
virshEventWait(virshControl *ctl)
{
    struct pollfd pfd = { .fd = ctl->eventPipe[0], .events = POLLIN };
    gint64 deadline = 0;
    char c;

    if (pfd.fd < 0)
        return -1;
    if (ctl->eventTimeoutMs > 0)
        deadline = g_get_monotonic_time() + (gint64) ctl->eventTimeoutMs * 1000;

    for (;;) {
        int wait = -1;
        int r;

        if (deadline) {
            gint64 left = deadline - g_get_monotonic_time();

            if (left <= 0)
                return VIRSH_EVENT_TIMEOUT;
            wait = (int) MIN((left + 999) / 1000, (gint64) INT_MAX);
        }
        r = poll(&pfd, 1, wait);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            virshError(ctl, "failed to wait for events: %s", g_strerror(errno));
            return -1;
        }
        if (r == 0)
            continue;
        if (read(pfd.fd, &c, 1) != 1)
            continue;
        return c == 'i' ? VIRSH_EVENT_INTERRUPT : VIRSH_EVENT_DONE;
    }
}

void
virshEventCleanup(virshControl *ctl)
{
    if (virshEventSignalFd >= 0) {
        sigaction(SIGINT, &virshEventOldSigint, NULL);
        virshEventSignalFd = -1;
    }
    for (size_t i = 0; i < 2; i++) {
        int fd = g_atomic_int_get(&ctl->eventPipe[i]);

        g_atomic_int_set(&ctl->eventPipe[i], -1);
        if (fd >= 0)
            close(fd);
    }
}

gssize
virshFileReadAll(virshControl *ctl, const char *path, gsize maxlen, char **buf)
{
    int fd;
    g_autoptr(GString) data = g_string_new(NULL);
    char chunk[4096];

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        g_autofree char *msg = g_strdup_printf("Failed to open file '%s': %s",
                                               path, g_strerror(errno));
        virshErrorStore(ctl, VIR_ERR_SYSTEM_ERROR, VIR_FROM_NONE, msg);
        return -1;
    }

    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        int err = errno;

        if (n < 0 && err == EINTR)
            continue;
        if (n > 0 && data->len + n > maxlen) {
            n = -1;
            err = EOVERFLOW;
        }
        if (n < 0) {
            g_autofree char *msg = g_strdup_printf("Failed to read file '%s': %s",
                                                   path, g_strerror(err));
            close(fd);
            virshErrorStore(ctl, VIR_ERR_SYSTEM_ERROR, VIR_FROM_NONE, msg);
            return -1;
        }
        if (n == 0)
            break;
        g_string_append_len(data, chunk, n);
    }
    close(fd);

    {
        gssize len = data->len;

        *buf = g_string_free(g_steal_pointer(&data), FALSE);
        return len;
    }
}

int
virshCommandOptTimeoutToMs(virshControl *ctl, const virshCmd *cmd, int *timeoutMs)
{
    const char *str = virshCmdOptString(cmd, "timeout");
    char *end = NULL;
    long val;

    *timeoutMs = 0;
    if (!str)
        return 0;

    errno = 0;
    val = strtol(str, &end, 10);
    if (errno || end == str || *end || val <= 0 || val > INT_MAX) {
        virshError(ctl, "Numeric value '%s' for <timeout> option is malformed or out of range",
                   str);
        return -1;
    }
    if (val > INT_MAX / 1000) {
        virshError(ctl, "%s", "timeout is too big");
        return -1;
    }
    *timeoutMs = (int) val * 1000;
    return 0;
}

static void
virshXMLDocFree(xmlDocPtr doc)
{
    if (doc)
        xmlFreeDoc(doc);
}

static void
virshXPathContextFree(xmlXPathContextPtr ctxt)
{
    if (ctxt)
        xmlXPathFreeContext(ctxt);
}

static void
virshXPathObjectFree(xmlXPathObjectPtr obj)
{
    if (obj)
        xmlXPathFreeObject(obj);
}

static void
virshXMLBufferFree(xmlBufferPtr buf)
{
    if (buf)
        xmlBufferFree(buf);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, virshXMLDocFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathContext, virshXPathContextFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathObject, virshXPathObjectFree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlBuffer, virshXMLBufferFree);

/* Prints one node serialised (formatted) and a newline. */
static void
virshDumpXMLNode(virshControl *ctl, xmlDocPtr doc, xmlNodePtr node)
{
    g_autoptr(xmlBuffer) buf = xmlBufferCreate();

    xmlNodeDump(buf, doc, node, 0, 1);
    virshPrint(ctl, "%s\n", (const char *) xmlBufferContent(buf));
}

bool
virshDumpXML(virshControl *ctl, const char *xml, const char *url,
             const char *xpath, bool wrap)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) xctxt = NULL;
    g_autoptr(xmlXPathObject) obj = NULL;
    xmlNodeSetPtr nodes;
    int n;

    if (!xpath) {
        virshPrint(ctl, "%s", xml);
        return true;
    }

    doc = xmlReadMemory(xml, strlen(xml), url, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    if (!doc) {
        virshError(ctl, "%s", "failed to parse the XML document");
        return false;
    }
    xctxt = xmlXPathNewContext(doc);
    if (!(obj = xmlXPathEval(BAD_CAST xpath, xctxt))) {
        /* libxml2 has printed why; virsh treats it as an empty result */
        return true;
    }
    if (obj->type != XPATH_NODESET) {
        g_autofree char *msg = g_strdup_printf("internal error: Incorrect xpath '%s'", xpath);

        virshErrorStore(ctl, VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE, msg);
        return false;
    }
    nodes = obj->nodesetval;
    n = nodes ? nodes->nodeNr : 0;

    if (wrap) {
        g_autoptr(xmlDoc) out = xmlNewDoc(BAD_CAST "1.0");
        xmlNodePtr root = xmlNewDocNode(out, NULL, BAD_CAST "nodes", NULL);

        xmlDocSetRootElement(out, root);
        for (int i = 0; i < n; i++) {
            xmlNodePtr copy = xmlDocCopyNode(nodes->nodeTab[i], out, 1);

            if (copy)
                xmlAddChild(root, copy);
        }
        virshDumpXMLNode(ctl, out, root);
        return true;
    }

    for (int i = 0; i < n; i++)
        virshDumpXMLNode(ctl, doc, nodes->nodeTab[i]);
    return true;
}

char *
virshFormatVersion(unsigned long version)
{
    return g_strdup_printf("%lu.%lu.%lu", version / 1000000,
                           (version / 1000) % 1000, version % 1000);
}
