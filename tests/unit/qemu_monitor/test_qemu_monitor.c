/*
 * Unit tests of drivers/qemu/qemu_monitor: the QMP client against a fake QMP
 * server that runs in a thread on the other end of a socketpair.  The server
 * sends a greeting, answers qmp_capabilities, and hands every other command
 * to the test's handler, which may answer late, out of order, split into
 * single bytes, interleaved with events, with garbage, or not at all.
 *
 * The main loop runs in the test's main thread on a private context while a
 * worker thread issues the commands, as in the daemon.  Every test checks
 * that no fd is left open afterwards.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mv_error.h"
#include "qemu_monitor.h"

typedef struct _Fake Fake;
typedef void (*FakeHandler)(Fake *f, const char *name, const char *id,
                            struct json_object *cmd);

typedef enum {
    GREET_NORMAL,
    GREET_NONE,         /* say nothing */
    GREET_HANGUP,       /* close at once */
    GREET_WRONG,        /* a reply instead of a greeting */
    GREET_CAPS_ERROR,   /* greeting, then refuse qmp_capabilities */
} GreetMode;

struct _Fake {
    int fd;
    GThread *thread;
    GreetMode greet;
    FakeHandler handler;
    gint ncommands;         /* commands seen (not counting qmp_capabilities) */
    gint stop;
    int passedFd;           /* first fd received with a command, or -1 */
    GPtrArray *held;        /* ids a handler keeps to answer later */
    void *data;
};

/* ------------------------------------------------------------------ */
/* helpers                                                              */

static int
countFds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    g_assert_nonnull(d);
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n - 1;   /* the DIR's own */
}

static void
fakeSendRaw(Fake *f, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(f->fd, data, len, MSG_NOSIGNAL);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return;     /* the client went away: fine for these tests */
        }
        data += n;
        len -= (size_t)n;
    }
}

static void G_GNUC_PRINTF(2, 3)
fakeSendf(Fake *f, const char *fmt, ...)
{
    g_autofree char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fakeSendRaw(f, text, strlen(text));
}

static void
fakeHandleObject(Fake *f, struct json_object *obj)
{
    struct json_object *v;
    const char *name = NULL;
    const char *id = NULL;

    if (json_object_object_get_ex(obj, "execute", &v))
        name = json_object_get_string(v);
    if (json_object_object_get_ex(obj, "id", &v))
        id = json_object_get_string(v);
    if (g_strcmp0(name, "qmp_capabilities") == 0) {
        if (f->greet == GREET_CAPS_ERROR)
            fakeSendf(f, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                      "\"Capabilities negotiation is already complete\"}, \"id\": \"%s\"}\r\n",
                      id);
        else
            fakeSendf(f, "{\"return\": {}, \"id\": \"%s\"}\r\n", id);
        return;
    }
    g_atomic_int_inc(&f->ncommands);
    if (f->handler)
        f->handler(f, name, id, obj);
}

static gpointer
fakeMain(gpointer opaque)
{
    Fake *f = opaque;
    struct json_tokener *tok = json_tokener_new();
    char buf[4096];

    switch (f->greet) {
    case GREET_NORMAL:
    case GREET_CAPS_ERROR:
        fakeSendf(f, "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "
                  "\"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7\"}, "
                  "\"capabilities\": [\"oob\"]}}\r\n");
        break;
    case GREET_WRONG:
        fakeSendf(f, "{\"return\": {}}\r\n");
        break;
    case GREET_HANGUP:
        shutdown(f->fd, SHUT_RDWR);
        break;
    case GREET_NONE:
        break;
    }

    while (!g_atomic_int_get(&f->stop)) {
        union {
            char buf[CMSG_SPACE(sizeof(int) * 16)];
            struct cmsghdr align;
        } control;
        struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
        struct msghdr msg = {
            .msg_iov = &iov, .msg_iovlen = 1,
            .msg_control = control.buf, .msg_controllen = sizeof(control.buf),
        };
        struct cmsghdr *cmsg;
        const char *p = buf;
        ssize_t n = recvmsg(f->fd, &msg, MSG_CMSG_CLOEXEC);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
            if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
                size_t nfds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                int fds[16];

                memcpy(fds, CMSG_DATA(cmsg), nfds * sizeof(int));
                for (size_t i = 0; i < nfds; i++) {
                    if (f->passedFd < 0)
                        f->passedFd = fds[i];
                    else
                        close(fds[i]);
                }
            }
        }
        while (n > 0) {
            struct json_object *obj = json_tokener_parse_ex(tok, p, (int)n);
            enum json_tokener_error jerr = json_tokener_get_error(tok);
            size_t used;

            if (jerr == json_tokener_continue)
                break;
            g_assert_cmpint(jerr, ==, json_tokener_success);
            used = json_tokener_get_parse_end(tok);
            fakeHandleObject(f, obj);
            json_object_put(obj);
            p += used;
            n -= (ssize_t)used;
        }
    }
    json_tokener_free(tok);
    return NULL;
}

/* Starts a fake server; *clientFd gets the monitor's end. */
static Fake *
fakeNew(GreetMode greet, FakeHandler handler, int *clientFd)
{
    Fake *f = g_new0(Fake, 1);
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
    f->fd = sv[1];
    f->greet = greet;
    f->handler = handler;
    f->passedFd = -1;
    f->held = g_ptr_array_new_with_free_func(g_free);
    f->thread = g_thread_new("fake-qmp", fakeMain, f);
    *clientFd = sv[0];
    return f;
}

/* Stops the server (as QEMU exiting would) and frees it. */
static void
fakeFree(Fake *f)
{
    g_atomic_int_set(&f->stop, 1);
    shutdown(f->fd, SHUT_RDWR);
    g_thread_join(f->thread);
    close(f->fd);
    if (f->passedFd >= 0)
        close(f->passedFd);
    g_ptr_array_unref(f->held);
    g_free(f);
}

/* Callback recorder shared by the tests. */
typedef struct {
    GMutex lock;
    GPtrArray *events;      /* "NAME:seq" */
    gint nevents;
    gint neof;
    gint eofError;
    GThread *mainThread;
    gint wrongThread;
    gint closeOnEvent;      /* Close the monitor inside the first event callback */
    gint commandInEvent;    /* run a command inside the first event callback */
    gint commandInEventOK;
} Recorder;

static Recorder rec;

static void
recorderReset(void)
{
    if (rec.events)
        g_ptr_array_unref(rec.events);
    memset(&rec, 0, sizeof(rec));
    g_mutex_init(&rec.lock);
    rec.events = g_ptr_array_new_with_free_func(g_free);
    rec.mainThread = g_thread_self();
}

static void
onEvent(mvQemuMonitor *mon, const char *name, struct json_object *data,
        gint64 seconds, unsigned int micros, void *opaque)
{
    struct json_object *seq = NULL;

    g_assert_true(opaque == &rec);
    if (g_thread_self() != rec.mainThread)
        g_atomic_int_inc(&rec.wrongThread);
    if (data)
        json_object_object_get_ex(data, "seq", &seq);
    g_mutex_lock(&rec.lock);
    g_ptr_array_add(rec.events, g_strdup_printf("%s:%d:%" G_GINT64_FORMAT ".%u", name,
                                                seq ? json_object_get_int(seq) : -1,
                                                seconds, micros));
    g_mutex_unlock(&rec.lock);
    if (g_atomic_int_get(&rec.closeOnEvent) && g_atomic_int_get(&rec.nevents) == 0)
        mvQemuMonitorClose(mon);
    if (g_atomic_int_get(&rec.commandInEvent) && g_atomic_int_get(&rec.nevents) == 0) {
        struct json_object *r = mvQemuMonitorCommand(mon, "query-status", NULL, 5000);

        if (r)
            g_atomic_int_inc(&rec.commandInEventOK);
        json_object_put(r);
    }
    g_atomic_int_inc(&rec.nevents);
}

static void
onEOF(mvQemuMonitor *mon, bool error, void *opaque)
{
    g_assert_true(opaque == &rec);
    if (g_thread_self() != rec.mainThread)
        g_atomic_int_inc(&rec.wrongThread);
    g_atomic_int_set(&rec.eofError, error);
    g_atomic_int_inc(&rec.neof);
}

static const mvQemuMonitorCallbacks callbacks = { .eofNotify = onEOF, .eventNotify = onEvent };

/* A test in progress: server, monitor, context, and the worker. */
typedef struct {
    int fdsBefore;
    Fake *fake;
    GMainContext *ctx;
    GMainLoop *loop;
    mvQemuMonitor *mon;
    void (*work)(void *t);
    gint done;
} T;

static T *
testStart(GreetMode greet, FakeHandler handler)
{
    T *t = g_new0(T, 1);
    int fd;

    recorderReset();
    mvErrorReset();
    t->fdsBefore = countFds();
    t->ctx = g_main_context_new();
    t->loop = g_main_loop_new(t->ctx, FALSE);
    t->fake = fakeNew(greet, handler, &fd);
    t->mon = mvQemuMonitorOpenFD(fd, t->ctx, 5000, &callbacks, &rec);
    g_assert_nonnull(t->mon);
    return t;
}

static void
testEnd(T *t)
{
    mvQemuMonitorClose(t->mon);
    fakeFree(t->fake);
    /* let finished sources go */
    while (g_main_context_iteration(t->ctx, FALSE))
        ;
    g_main_loop_unref(t->loop);
    g_main_context_unref(t->ctx);
    g_assert_cmpint(countFds(), ==, t->fdsBefore);
    g_assert_cmpint(g_atomic_int_get(&rec.wrongThread), ==, 0);
    g_free(t);
    mvQemuMonitorSetMessageLimit(0);
}

static gboolean
quitLoop(gpointer opaque)
{
    g_main_loop_quit(opaque);
    return G_SOURCE_REMOVE;
}

static gboolean
watchdog(gpointer opaque)
{
    g_error("test did not finish within 30 s");
    return G_SOURCE_REMOVE;
}

static gpointer
workerMain(gpointer opaque)
{
    T *t = opaque;
    GSource *idle = g_idle_source_new();

    t->work(t);
    g_atomic_int_set(&t->done, 1);
    g_source_set_callback(idle, quitLoop, t->loop, NULL);
    g_source_attach(idle, t->ctx);
    g_source_unref(idle);
    return NULL;
}

/* Runs @work on a worker thread while the main thread runs the loop. */
static void
runWorker(T *t, void (*work)(void *t))
{
    GSource *dog = g_timeout_source_new_seconds(30);
    GThread *th;

    g_source_set_callback(dog, watchdog, NULL, NULL);
    g_source_attach(dog, t->ctx);
    t->work = work;
    th = g_thread_new("worker", workerMain, t);
    g_main_loop_run(t->loop);
    g_thread_join(th);
    g_source_destroy(dog);
    g_source_unref(dog);
}

/* Waits (on a worker) until @cond holds, up to 10 s. */
#define WAIT_FOR(cond) \
    do { \
        gint64 _end = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND; \
        while (!(cond)) { \
            g_assert_cmpint(g_get_monotonic_time(), <, _end); \
            g_usleep(1000); \
        } \
    } while (0)

static void
assertError(int code, const char *substring)
{
    virErrorPtr err = mvErrorGetLast();

    g_assert_nonnull(err);
    if (err->code != code || !strstr(err->message, substring))
        g_error("expected error %d containing '%s', got %d '%s'",
                code, substring, err->code, err->message);
    g_assert_cmpint(err->domain, ==, VIR_FROM_QEMU);
    mvErrorReset();
}

/* ------------------------------------------------------------------ */
/* handlers                                                             */

/* The common answers. */
static void
handleBasic(Fake *f, const char *name, const char *id, struct json_object *cmd)
{
    struct json_object *args = NULL;

    json_object_object_get_ex(cmd, "arguments", &args);
    if (g_str_equal(name, "query-status")) {
        fakeSendf(f, "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, "
                  "\"running\": false}, \"id\": \"%s\"}\r\n", id);
    } else if (g_str_equal(name, "query-cpus-fast")) {
        fakeSendf(f, "{\"return\": [{\"cpu-index\": 0, \"thread-id\": 4242}, "
                  "{\"cpu-index\": 1, \"thread-id\": 4243}], \"id\": \"%s\"}\r\n", id);
    } else if (g_str_equal(name, "stop")) {
        fakeSendf(f, "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 12}, "
                  "\"event\": \"STOP\"}\r\n{\"return\": {}, \"id\": \"%s\"}\r\n", id);
    } else if (g_str_equal(name, "echo")) {
        fakeSendf(f, "{\"return\": %s, \"id\": \"%s\"}\r\n",
                  args ? json_object_to_json_string_ext(args, JSON_C_TO_STRING_PLAIN) : "{}",
                  id);
    } else if (g_str_equal(name, "null-return")) {
        fakeSendf(f, "{\"return\": null, \"id\": \"%s\"}\r\n", id);
    } else if (g_str_equal(name, "device_del")) {
        fakeSendf(f, "{\"error\": {\"class\": \"DeviceNotFound\", "
                  "\"desc\": \"Device 'net7' not found\"}, \"id\": \"%s\"}\r\n", id);
    } else if (g_str_equal(name, "human-monitor-command")) {
        struct json_object *line = NULL;

        json_object_object_get_ex(args, "command-line", &line);
        fakeSendf(f, "{\"return\": \"you said: %s\\r\\n\", \"id\": \"%s\"}\r\n",
                  json_object_get_string(line), id);
    } else if (g_str_equal(name, "query-version")) {
        fakeSendf(f, "{\"return\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "
                  "\"package\": \"\"}, \"id\": \"%s\"}\r\n", id);
    } else if (g_str_equal(name, "no-such-command")) {
        fakeSendf(f, "{\"error\": {\"class\": \"CommandNotFound\", "
                  "\"desc\": \"The command no-such-command has not been found\"}, "
                  "\"id\": \"%s\"}\r\n", id);
    } else if (g_str_equal(name, "neither")) {
        fakeSendf(f, "{\"id\": \"%s\"}\r\n", id);
    } else if (g_str_equal(name, "slow")) {
        g_ptr_array_add(f->held, g_strdup(id));     /* answered by "late" */
    } else if (g_str_equal(name, "late")) {
        for (guint i = 0; i < f->held->len; i++)
            fakeSendf(f, "{\"return\": {\"stale\": true}, \"id\": \"%s\"}\r\n",
                      (char *)f->held->pdata[i]);
        g_ptr_array_set_size(f->held, 0);
        fakeSendf(f, "{\"return\": {\"fresh\": true}, \"id\": \"%s\"}\r\n", id);
    } else if (g_str_equal(name, "die")) {
        shutdown(f->fd, SHUT_RDWR);
    } else if (g_str_equal(name, "emit")) {
        /* events around the reply, in three writes, the reply split mid-way */
        int count = 0;
        g_autoptr(GString) s = g_string_new(NULL);
        struct json_object *v = NULL;

        if (json_object_object_get_ex(args, "count", &v))
            count = json_object_get_int(v);
        for (int i = 0; i < count; i++) {
            g_string_append_printf(s, "{\"timestamp\": {\"seconds\": %d, \"microseconds\": %d}, "
                                   "\"event\": \"TICK\", \"data\": {\"seq\": %d}}\r\n",
                                   1000 + i, i, i);
            if (i == count / 2)
                g_string_append_printf(s, "{\"return\": {\"emitted\": %d}, \"id\": \"%s\"}\r\n",
                                       count, id);
        }
        if (count == 0)
            g_string_append_printf(s, "{\"return\": {}, \"id\": \"%s\"}\r\n", id);
        fakeSendRaw(f, s->str, s->len / 3);
        g_usleep(2000);
        fakeSendRaw(f, s->str + s->len / 3, s->len / 3);
        g_usleep(2000);
        fakeSendRaw(f, s->str + 2 * (s->len / 3), s->len - 2 * (s->len / 3));
    } else {
        fakeSendf(f, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                  "\"The command %s has not been found\"}, \"id\": \"%s\"}\r\n", name, id);
    }
}

/* ------------------------------------------------------------------ */
/* tests                                                                */

static void
workRoundTrip(void *opaque)
{
    T *t = opaque;
    struct json_object *r;
    struct json_object *v;
    struct json_object *args;

    r = mvQemuMonitorCommand(t->mon, "query-status", NULL, 0);
    g_assert_nonnull(r);
    g_assert_true(json_object_object_get_ex(r, "status", &v));
    g_assert_cmpstr(json_object_get_string(v), ==, "prelaunch");
    json_object_put(r);

    r = mvQemuMonitorCommand(t->mon, "query-cpus-fast", NULL, 0);
    g_assert_nonnull(r);
    g_assert_true(json_object_is_type(r, json_type_array));
    g_assert_cmpint(json_object_array_length(r), ==, 2);
    json_object_put(r);

    r = mvQemuMonitorCommand(t->mon, "stop", NULL, 0);
    g_assert_nonnull(r);
    g_assert_true(json_object_is_type(r, json_type_object));
    g_assert_cmpint(json_object_object_length(r), ==, 0);
    json_object_put(r);

    r = mvQemuMonitorCommand(t->mon, "null-return", NULL, 0);
    g_assert_nonnull(r);
    json_object_put(r);

    args = json_object_new_object();
    json_object_object_add(args, "path", json_object_new_string("/machine/unattached/x\"y"));
    json_object_object_add(args, "n", json_object_new_int(3));
    r = mvQemuMonitorCommand(t->mon, "echo", args, 0);
    g_assert_nonnull(r);
    g_assert_true(json_object_object_get_ex(r, "path", &v));
    g_assert_cmpstr(json_object_get_string(v), ==, "/machine/unattached/x\"y");
    json_object_put(r);

    /* arguments that are not an object are refused (and consumed) */
    r = mvQemuMonitorCommand(t->mon, "echo", json_object_new_int(1), 0);
    g_assert_null(r);
    assertError(VIR_ERR_INTERNAL_ERROR, "must be a JSON object");

    /* a reply with neither return nor error */
    r = mvQemuMonitorCommand(t->mon, "neither", NULL, 0);
    g_assert_null(r);
    assertError(VIR_ERR_INTERNAL_ERROR, "neither 'return' nor 'error'");

    WAIT_FOR(g_atomic_int_get(&rec.nevents) == 1);
    g_assert_true(mvQemuMonitorIsOpen(t->mon));
}

static void
test_roundtrip(void)
{
    T *t = testStart(GREET_NORMAL, handleBasic);

    runWorker(t, workRoundTrip);
    g_assert_cmpuint(rec.events->len, ==, 1);
    g_assert_cmpstr(rec.events->pdata[0], ==, "STOP:-1:1700000000.12");
    testEnd(t);
}

static void
workQMPError(void *opaque)
{
    T *t = opaque;

    g_assert_null(mvQemuMonitorCommand(t->mon, "device_del", NULL, 0));
    assertError(VIR_ERR_INTERNAL_ERROR,
                "QEMU command 'device_del' failed: Device 'net7' not found");
    g_assert_null(mvQemuMonitorCommand(t->mon, "no-such-command", NULL, 0));
    assertError(VIR_ERR_INTERNAL_ERROR,
                "QEMU command 'no-such-command' failed: The command no-such-command has not "
                "been found");
    /* the monitor carries on */
    json_object_put(mvQemuMonitorCommand(t->mon, "query-status", NULL, 0));
    g_assert_false(mvErrorIsSet());
}

static void
test_qmp_error(void)
{
    T *t = testStart(GREET_NORMAL, handleBasic);

    runWorker(t, workQMPError);
    testEnd(t);
}

static void
workTimeout(void *opaque)
{
    T *t = opaque;
    struct json_object *r;
    struct json_object *v;
    gint64 start = g_get_monotonic_time();

    g_assert_null(mvQemuMonitorCommand(t->mon, "slow", NULL, 200));
    assertError(VIR_ERR_OPERATION_TIMEOUT, "no reply from QEMU to command 'slow' within 200 ms");
    g_assert_cmpint(g_get_monotonic_time() - start, >=, 190 * 1000);
    g_assert_cmpint(g_get_monotonic_time() - start, <, 2 * G_TIME_SPAN_SECOND);

    /* the stale reply to "slow" arrives first and must not be taken for this one */
    r = mvQemuMonitorCommand(t->mon, "late", NULL, 0);
    g_assert_nonnull(r);
    g_assert_true(json_object_object_get_ex(r, "fresh", &v));
    json_object_put(r);
    g_assert_true(mvQemuMonitorIsOpen(t->mon));
}

static void
test_timeout(void)
{
    T *t = testStart(GREET_NORMAL, handleBasic);

    runWorker(t, workTimeout);
    testEnd(t);
}

/* Holds the first three commands and answers them together, last first, in
 * one write; answers the next three one byte per write. */
static void
handleReorder(Fake *f, const char *name, const char *id, struct json_object *cmd)
{
    g_autoptr(GString) s = NULL;

    if (g_str_equal(name, "fail")) {
        fakeSendf(f, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"no way\"}, "
                  "\"id\": \"%s\"}\r\n", id);
        return;
    }
    g_ptr_array_add(f->held, g_strdup_printf("{\"return\": {\"name\": \"%s\"}, \"id\": \"%s\"}"
                                             "\r\n", name, id));
    if (f->held->len < 3)
        return;
    s = g_string_new(NULL);
    for (guint i = f->held->len; i > 0; i--)
        g_string_append(s, f->held->pdata[i - 1]);
    g_ptr_array_set_size(f->held, 0);
    if (!f->data) {
        fakeSendRaw(f, s->str, s->len);
        f->data = f;
    } else {
        for (size_t i = 0; i < s->len; i++)
            fakeSendRaw(f, s->str + i, 1);
    }
}

static void
workBatch(void *opaque)
{
    T *t = opaque;
    const char *names[3] = { "query-a", "query-b", "query-c" };
    const char *failing[3] = { "fail", "query-b", "query-c" };
    gint64 start;
    struct json_object *args[3];
    struct json_object *replies[3];

    for (int round = 0; round < 2; round++) {
        args[0] = NULL;
        args[1] = json_object_new_object();
        args[2] = NULL;
        g_assert_cmpint(mvQemuMonitorCommandBatch(t->mon, 3, names, args, replies, 0), ==, 0);
        for (int i = 0; i < 3; i++) {
            struct json_object *v;

            g_assert_null(args[i]);
            g_assert_nonnull(replies[i]);
            g_assert_true(json_object_object_get_ex(replies[i], "name", &v));
            g_assert_cmpstr(json_object_get_string(v), ==, names[i]);
            json_object_put(replies[i]);
        }
    }

    /* a failing member: -1 with its error at once (the server holds the two
     * others for good), no replies left behind */
    args[0] = args[1] = NULL;
    args[2] = json_object_new_object();
    start = g_get_monotonic_time();
    g_assert_cmpint(mvQemuMonitorCommandBatch(t->mon, 3, failing, args, replies, 5000), ==, -1);
    g_assert_cmpint(g_get_monotonic_time() - start, <, 2 * G_TIME_SPAN_SECOND);
    g_assert_null(replies[0]);
    g_assert_null(replies[1]);
    g_assert_null(replies[2]);
    assertError(VIR_ERR_INTERNAL_ERROR, "QEMU command 'fail' failed: no way");

    /* the server now holds the stale two, so "query-a" completes its set of
     * three and is answered (after two replies nobody waits for) while
     * "query-b" is held: the timeout names the one missing */
    args[0] = args[1] = args[2] = NULL;
    g_assert_cmpint(mvQemuMonitorCommandBatch(t->mon, 2, names, args, replies, 300), ==, -1);
    assertError(VIR_ERR_OPERATION_TIMEOUT, "no reply from QEMU to command 'query-b' within 300");
    g_assert_null(replies[0]);
    g_assert_null(replies[1]);

    g_assert_cmpint(mvQemuMonitorCommandBatch(t->mon, 0, NULL, NULL, NULL, 0), ==, 0);
}

static void
test_batch(void)
{
    T *t = testStart(GREET_NORMAL, handleReorder);

    runWorker(t, workBatch);
    testEnd(t);
}

static void
workEvents(void *opaque)
{
    T *t = opaque;
    struct json_object *args = json_object_new_object();
    struct json_object *r;

    json_object_object_add(args, "count", json_object_new_int(200));
    r = mvQemuMonitorCommand(t->mon, "emit", args, 0);
    g_assert_nonnull(r);
    json_object_put(r);
    WAIT_FOR(g_atomic_int_get(&rec.nevents) == 200);
}

static void
test_events(void)
{
    T *t = testStart(GREET_NORMAL, handleBasic);

    runWorker(t, workEvents);
    g_assert_cmpuint(rec.events->len, ==, 200);
    for (guint i = 0; i < 200; i++) {
        g_autofree char *want = g_strdup_printf("TICK:%u:%u.%u", i, 1000 + i, i);

        g_assert_cmpstr(rec.events->pdata[i], ==, want);
    }
    testEnd(t);
}

typedef struct {
    T *t;
    gint failures;
} Stress;

static gpointer
stressMain(gpointer opaque)
{
    Stress *s = opaque;

    for (int i = 0; i < 50; i++) {
        struct json_object *args = json_object_new_object();
        struct json_object *r;
        struct json_object *v = NULL;
        long tag = (long)g_thread_self() ^ i;

        json_object_object_add(args, "tag", json_object_new_int64(tag));
        r = mvQemuMonitorCommand(s->t->mon, "echo", args, 0);
        if (!r || !json_object_object_get_ex(r, "tag", &v) || json_object_get_int64(v) != tag)
            g_atomic_int_inc(&s->failures);
        json_object_put(r);
    }
    return NULL;
}

static void
workConcurrent(void *opaque)
{
    Stress s = { .t = opaque };
    GThread *th[4];

    for (int i = 0; i < 4; i++)
        th[i] = g_thread_new("stress", stressMain, &s);
    for (int i = 0; i < 4; i++)
        g_thread_join(th[i]);
    g_assert_cmpint(s.failures, ==, 0);
}

static void
test_concurrent(void)
{
    T *t = testStart(GREET_NORMAL, handleBasic);

    runWorker(t, workConcurrent);
    g_assert_cmpint(t->fake->ncommands, ==, 200);
    testEnd(t);
}

static void
workEOF(void *opaque)
{
    T *t = opaque;

    g_assert_null(mvQemuMonitorCommand(t->mon, "die", NULL, 5000));
    assertError(VIR_ERR_OPERATION_INVALID,
                "QEMU monitor is closed (QEMU closed the monitor connection)");
    WAIT_FOR(g_atomic_int_get(&rec.neof) == 1);
    g_assert_false(mvQemuMonitorIsOpen(t->mon));
    g_assert_null(mvQemuMonitorCommand(t->mon, "query-status", NULL, 0));
    assertError(VIR_ERR_OPERATION_INVALID, "QEMU monitor is closed");
}

static void
test_eof(void)
{
    T *t = testStart(GREET_NORMAL, handleBasic);

    runWorker(t, workEOF);
    /* once only */
    for (int i = 0; i < 5; i++)
        g_main_context_iteration(t->ctx, FALSE);
    g_assert_cmpint(rec.neof, ==, 1);
    g_assert_false(rec.eofError);
    testEnd(t);
}

typedef struct {
    T *t;
    gint closed;
} CloseWait;

static gboolean
closeWhenWaiting(gpointer opaque)
{
    CloseWait *cw = opaque;

    if (g_atomic_int_get(&cw->t->fake->ncommands) < 1)
        return G_SOURCE_CONTINUE;
    g_usleep(20000);
    mvQemuMonitorClose(cw->t->mon);
    cw->t->mon = NULL;
    g_atomic_int_set(&cw->closed, 1);
    return G_SOURCE_REMOVE;
}

static gpointer
closeWaiter(gpointer opaque)
{
    CloseWait *cw = opaque;
    gint64 start = g_get_monotonic_time();

    g_assert_null(mvQemuMonitorCommand(cw->t->mon, "slow", NULL, 10000));
    assertError(VIR_ERR_OPERATION_INVALID,
                "QEMU monitor is closed (the monitor was closed by the driver)");
    g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_TIME_SPAN_SECOND);
    g_main_loop_quit(cw->t->loop);
    return NULL;
}

static void
test_close_while_waiting(void)
{
    T *t = testStart(GREET_NORMAL, handleBasic);
    CloseWait cw = { .t = t };
    GSource *poll = g_timeout_source_new(5);
    GThread *th;

    g_source_set_callback(poll, closeWhenWaiting, &cw, NULL);
    g_source_attach(poll, t->ctx);
    g_source_unref(poll);
    th = g_thread_new("waiter", closeWaiter, &cw);
    g_main_loop_run(t->loop);
    g_thread_join(th);
    g_assert_true(cw.closed);
    g_assert_cmpint(rec.neof, ==, 0);
    testEnd(t);
}

static void
handleBig(Fake *f, const char *name, const char *id, struct json_object *cmd)
{
    size_t size = 2 * 1024 * 1024;
    g_autofree char *big = g_malloc(size);

    memset(big, 'x', size);
    fakeSendf(f, "{\"return\": \"");
    fakeSendRaw(f, big, size);
    fakeSendf(f, "\", \"id\": \"%s\"}\r\n", id);
}

static void
workOversized(void *opaque)
{
    T *t = opaque;

    g_assert_null(mvQemuMonitorCommand(t->mon, "big", NULL, 10000));
    assertError(VIR_ERR_OPERATION_INVALID, "larger than 1048576 bytes");
    WAIT_FOR(g_atomic_int_get(&rec.neof) == 1);
}

static void
test_oversized(void)
{
    T *t;

    mvQemuMonitorSetMessageLimit(1024 * 1024);
    t = testStart(GREET_NORMAL, handleBig);
    runWorker(t, workOversized);
    g_assert_true(rec.eofError);
    testEnd(t);
}

static void
handleGarbage(Fake *f, const char *name, const char *id, struct json_object *cmd)
{
    fakeSendf(f, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"RESUME\"}"
              "\r\n{\"return\": ]]] not json\r\n");
}

static void
workGarbage(void *opaque)
{
    T *t = opaque;

    g_assert_null(mvQemuMonitorCommand(t->mon, "cont", NULL, 5000));
    assertError(VIR_ERR_OPERATION_INVALID, "QEMU sent invalid JSON on the monitor");
    WAIT_FOR(g_atomic_int_get(&rec.neof) == 1);
}

static void
test_garbage(void)
{
    T *t = testStart(GREET_NORMAL, handleGarbage);

    runWorker(t, workGarbage);
    g_assert_true(rec.eofError);
    /* the event before the garbage still arrived, before EOF */
    g_assert_cmpuint(rec.events->len, ==, 1);
    g_assert_cmpstr(rec.events->pdata[0], ==, "RESUME:-1:1.2");
    testEnd(t);
}

static void
handleGetfd(Fake *f, const char *name, const char *id, struct json_object *cmd)
{
    if (f->passedFd < 0) {
        fakeSendf(f, "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                  "\"No file descriptor supplied via SCM_RIGHTS\"}, \"id\": \"%s\"}\r\n", id);
        return;
    }
    g_assert_cmpint(write(f->passedFd, "hello", 5), ==, 5);
    close(f->passedFd);
    f->passedFd = -1;
    fakeSendf(f, "{\"return\": {}, \"id\": \"%s\"}\r\n", id);
}

static void
workFdPassing(void *opaque)
{
    T *t = opaque;
    int pipefd[2];
    char buf[8] = { 0 };
    struct json_object *args = json_object_new_object();
    struct json_object *r;

    g_assert_cmpint(pipe2(pipefd, O_CLOEXEC), ==, 0);
    json_object_object_add(args, "fdname", json_object_new_string("tap0"));
    r = mvQemuMonitorCommandWithFDs(t->mon, "getfd", args, &pipefd[1], 1, 0);
    g_assert_nonnull(r);
    json_object_put(r);
    g_assert_cmpint(read(pipefd[0], buf, sizeof(buf)), ==, 5);
    g_assert_cmpstr(buf, ==, "hello");
    /* the caller still owns its fd */
    g_assert_cmpint(fcntl(pipefd[1], F_GETFD), >=, 0);
    close(pipefd[0]);
    close(pipefd[1]);

    /* without an fd the server complains, and we quote it */
    g_assert_null(mvQemuMonitorCommand(t->mon, "getfd", NULL, 0));
    assertError(VIR_ERR_INTERNAL_ERROR, "No file descriptor supplied via SCM_RIGHTS");
}

static void
test_fd_passing(void)
{
    T *t = testStart(GREET_NORMAL, handleGetfd);

    runWorker(t, workFdPassing);
    testEnd(t);
}

static void
workHMPRaw(void *opaque)
{
    T *t = opaque;
    g_autofree char *hmp = NULL;
    g_autofree char *raw = NULL;
    g_autofree char *rawErr = NULL;
    g_autofree char *rawId = NULL;

    hmp = mvQemuMonitorHMP(t->mon, "info status", 0);
    g_assert_cmpstr(hmp, ==, "you said: info status\r\n");

    raw = mvQemuMonitorRaw(t->mon, "{\"execute\": \"query-version\"}", 0);
    g_assert_cmpstr(raw, ==, "{\"return\":{\"qemu\":{\"micro\":0,\"minor\":2,\"major\":7},"
                    "\"package\":\"\"}}");
    rawErr = mvQemuMonitorRaw(t->mon, "{\"execute\": \"no-such-command\"}", 0);
    g_assert_nonnull(strstr(rawErr, "\"error\":{\"class\":\"CommandNotFound\""));
    rawId = mvQemuMonitorRaw(t->mon, "{\"execute\": \"query-version\", \"id\": 7}", 0);
    g_assert_nonnull(strstr(rawId, "\"id\":7"));

    g_assert_null(mvQemuMonitorRaw(t->mon, "{\"execute\": ", 0));
    assertError(VIR_ERR_INVALID_ARG, "not a JSON object");
    g_assert_null(mvQemuMonitorRaw(t->mon, "[1, 2]", 0));
    assertError(VIR_ERR_INVALID_ARG, "not a JSON object");
}

static void
test_hmp_raw(void)
{
    T *t = testStart(GREET_NORMAL, handleBasic);

    runWorker(t, workHMPRaw);
    testEnd(t);
}

static void
test_open_errors(void)
{
    struct {
        GreetMode mode;
        int code;
        const char *text;
    } cases[] = {
        { GREET_NONE, VIR_ERR_OPERATION_TIMEOUT, "no QMP greeting on its monitor within 300 ms" },
        { GREET_HANGUP, VIR_ERR_OPERATION_FAILED,
          "failed before its QMP greeting: QEMU closed the monitor connection" },
        { GREET_WRONG, VIR_ERR_OPERATION_FAILED, "did not start with a QMP greeting" },
        { GREET_CAPS_ERROR, VIR_ERR_OPERATION_FAILED,
          "capability negotiation with QEMU failed" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        int before = countFds();
        int fd;
        Fake *f = fakeNew(cases[i].mode, handleBasic, &fd);

        mvErrorReset();
        g_assert_null(mvQemuMonitorOpenFD(fd, NULL, 300, &callbacks, NULL));
        assertError(cases[i].code, cases[i].text);
        fakeFree(f);
        g_assert_cmpint(countFds(), ==, before);
    }
    g_assert_null(mvQemuMonitorOpenFD(-1, NULL, 300, &callbacks, NULL));
    assertError(VIR_ERR_OPERATION_FAILED, "no connection");
    g_assert_null(mvQemuMonitorCommand(NULL, "query-status", json_object_new_object(), 0));
    assertError(VIR_ERR_OPERATION_INVALID, "QEMU monitor is closed");
    mvQemuMonitorClose(NULL);
    g_assert_false(mvQemuMonitorIsOpen(NULL));
}

/* No loop runs: commands from the main thread drive the socket themselves;
 * the events they read wait for the loop and arrive in order. */
static void
test_sync_fallback(void)
{
    T *t = testStart(GREET_NORMAL, handleBasic);
    struct json_object *args = json_object_new_object();
    struct json_object *r;
    gint64 end;

    json_object_object_add(args, "count", json_object_new_int(10));
    r = mvQemuMonitorCommand(t->mon, "emit", args, 0);
    g_assert_nonnull(r);
    json_object_put(r);
    g_assert_cmpint(rec.nevents, ==, 0);

    /* a command from inside an event callback (the main-loop thread) works too */
    g_atomic_int_set(&rec.commandInEvent, 1);
    end = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
    while (g_atomic_int_get(&rec.nevents) < 10 && g_get_monotonic_time() < end)
        g_main_context_iteration(t->ctx, TRUE);
    g_assert_cmpint(rec.nevents, ==, 10);
    g_assert_cmpint(rec.commandInEventOK, ==, 1);
    for (guint i = 0; i < 10; i++) {
        g_autofree char *want = g_strdup_printf("TICK:%u:%u.%u", i, 1000 + i, i);

        g_assert_cmpstr(rec.events->pdata[i], ==, want);
    }
    testEnd(t);
}

static void
workCloseInCallback(void *opaque)
{
    T *t = opaque;
    struct json_object *args = json_object_new_object();

    json_object_object_add(args, "count", json_object_new_int(6));
    /* the reply or the Close may come first; both are fine */
    json_object_put(mvQemuMonitorCommand(t->mon, "emit", args, 5000));
    mvErrorReset();
    WAIT_FOR(g_atomic_int_get(&rec.nevents) >= 1);
}

static void
test_close_in_callback(void)
{
    T *t = testStart(GREET_NORMAL, handleBasic);

    g_atomic_int_set(&rec.closeOnEvent, 1);
    runWorker(t, workCloseInCallback);
    for (int i = 0; i < 5; i++)
        g_main_context_iteration(t->ctx, FALSE);
    g_assert_cmpint(rec.nevents, ==, 1);
    g_assert_cmpint(rec.neof, ==, 0);
    t->mon = NULL;  /* closed by the callback */
    testEnd(t);
}

typedef struct {
    char *path;
    Fake *fake;
} LateListener;

static gpointer
lateListen(gpointer opaque)
{
    LateListener *l = opaque;
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int cfd;

    g_usleep(150000);
    g_strlcpy(addr.sun_path, l->path, sizeof(addr.sun_path));
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    g_assert_cmpint(cfd, >=, 0);
    close(lfd);
    l->fake = g_new0(Fake, 1);
    l->fake->fd = cfd;
    l->fake->passedFd = -1;
    l->fake->handler = handleBasic;
    l->fake->held = g_ptr_array_new_with_free_func(g_free);
    fakeMain(l->fake);
    return NULL;
}

static void
test_open_path(void)
{
    g_autofree char *dir = g_dir_make_tmp("mvqmp-XXXXXX", NULL);
    LateListener l = { .path = g_build_filename(dir, "monitor.sock", NULL) };
    g_autofree char *missing = g_build_filename(dir, "missing.sock", NULL);
    int before;
    GThread *th;
    mvQemuMonitor *mon;
    struct json_object *r;

    recorderReset();
    before = countFds();
    th = g_thread_new("late", lateListen, &l);
    mon = mvQemuMonitorOpen(l.path, NULL, 5000, &callbacks, NULL);
    g_assert_nonnull(mon);
    g_assert_null(mvQemuMonitorGetOpaque(mon));
    mvQemuMonitorSetOpaque(mon, &rec);
    g_assert_true(mvQemuMonitorGetOpaque(mon) == &rec);
    r = mvQemuMonitorCommand(mon, "query-status", NULL, 0);
    g_assert_nonnull(r);
    json_object_put(r);
    mvQemuMonitorClose(mon);
    g_thread_join(th);
    close(l.fake->fd);
    g_ptr_array_unref(l.fake->held);
    g_free(l.fake);
    while (g_main_context_iteration(NULL, FALSE))
        ;
    g_assert_cmpint(countFds(), ==, before);

    g_assert_null(mvQemuMonitorOpen(missing, NULL, 200, &callbacks, NULL));
    assertError(VIR_ERR_OPERATION_TIMEOUT, "accepted no connection within 200 ms");
    g_assert_cmpint(countFds(), ==, before);

    unlink(l.path);
    rmdir(dir);
    g_free(l.path);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* the default context's wakeup fd exists from here on, not a leak */
    g_main_context_default();
    g_test_add_func("/qemu-monitor/roundtrip", test_roundtrip);
    g_test_add_func("/qemu-monitor/qmp-error", test_qmp_error);
    g_test_add_func("/qemu-monitor/timeout", test_timeout);
    g_test_add_func("/qemu-monitor/batch", test_batch);
    g_test_add_func("/qemu-monitor/events-in-order", test_events);
    g_test_add_func("/qemu-monitor/concurrent", test_concurrent);
    g_test_add_func("/qemu-monitor/eof", test_eof);
    g_test_add_func("/qemu-monitor/close-while-waiting", test_close_while_waiting);
    g_test_add_func("/qemu-monitor/oversized", test_oversized);
    g_test_add_func("/qemu-monitor/garbage", test_garbage);
    g_test_add_func("/qemu-monitor/fd-passing", test_fd_passing);
    g_test_add_func("/qemu-monitor/hmp-raw", test_hmp_raw);
    g_test_add_func("/qemu-monitor/open-errors", test_open_errors);
    g_test_add_func("/qemu-monitor/sync-fallback", test_sync_fallback);
    g_test_add_func("/qemu-monitor/close-in-callback", test_close_in_callback);
    g_test_add_func("/qemu-monitor/open-path", test_open_path);
    return g_test_run();
}
