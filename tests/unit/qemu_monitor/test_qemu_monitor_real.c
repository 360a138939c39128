/*
 * The QMP client against a real QEMU: qemu-system-x86_64 is started paused
 * with no machine and its monitor on a listening UNIX socket we create and
 * pass in (fd=3), the way the driver starts guests.  We talk to it on a
 * worker thread while the main loop runs here, then make it quit and expect
 * the SHUTDOWN event followed by EOF.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mv_error.h"
#include "qemu_monitor.h"

typedef struct {
    GMainLoop *loop;
    mvQemuMonitor *mon;
    GThread *mainThread;
    gint nshutdown;
    gint neof;
    gint eofError;
    gint shutdownBeforeEOF;
    gint wrongThread;
} Ctx;

static void
onEvent(mvQemuMonitor *mon, const char *name, struct json_object *data,
        gint64 seconds, unsigned int micros, void *opaque)
{
    Ctx *c = opaque;

    if (g_thread_self() != c->mainThread)
        g_atomic_int_inc(&c->wrongThread);
    g_assert_cmpint(seconds, >, 1600000000);
    if (g_str_equal(name, "SHUTDOWN"))
        g_atomic_int_inc(&c->nshutdown);
}

static void
onEOF(mvQemuMonitor *mon, bool error, void *opaque)
{
    Ctx *c = opaque;

    if (g_thread_self() != c->mainThread)
        g_atomic_int_inc(&c->wrongThread);
    g_atomic_int_set(&c->shutdownBeforeEOF, g_atomic_int_get(&c->nshutdown) == 1);
    g_atomic_int_set(&c->eofError, error);
    g_atomic_int_inc(&c->neof);
    g_main_loop_quit(c->loop);
}

static const mvQemuMonitorCallbacks callbacks = { .eofNotify = onEOF, .eventNotify = onEvent };

static void
checkNoError(void *obj)
{
    if (!obj)
        g_error("unexpected failure: %s",
                mvErrorGetLast() ? mvErrorGetLast()->message : "(no error set)");
}

static gpointer
worker(gpointer opaque)
{
    Ctx *c = opaque;
    struct json_object *r;
    struct json_object *v;
    struct json_object *args;
    const char *names[3] = { "query-version", "query-status", "query-machines" };
    struct json_object *bargs[3] = { NULL, NULL, NULL };
    struct json_object *replies[3];
    g_autofree char *hmp = NULL;
    g_autofree char *raw = NULL;
    int pipefd[2];

    r = mvQemuMonitorCommand(c->mon, "query-version", NULL, 0);
    checkNoError(r);
    g_assert_true(json_object_object_get_ex(r, "qemu", &v));
    g_assert_true(json_object_object_get_ex(v, "major", &v));
    g_assert_cmpint(json_object_get_int(v), >=, 7);
    json_object_put(r);

    r = mvQemuMonitorCommand(c->mon, "query-status", NULL, 0);
    checkNoError(r);
    g_assert_true(json_object_object_get_ex(r, "status", &v));
    g_assert_cmpstr(json_object_get_string(v), ==, "prelaunch");
    g_assert_true(json_object_object_get_ex(r, "running", &v));
    g_assert_false(json_object_get_boolean(v));
    json_object_put(r);

    /* a big reply spread over many reads */
    r = mvQemuMonitorCommand(c->mon, "query-qmp-schema", NULL, 0);
    checkNoError(r);
    g_assert_true(json_object_is_type(r, json_type_array));
    g_assert_cmpint(json_object_array_length(r), >, 500);
    json_object_put(r);

    g_assert_cmpint(mvQemuMonitorCommandBatch(c->mon, 3, names, bargs, replies, 0), ==, 0);
    g_assert_true(json_object_is_type(replies[0], json_type_object));
    g_assert_true(json_object_is_type(replies[1], json_type_object));
    g_assert_true(json_object_is_type(replies[2], json_type_array));
    for (int i = 0; i < 3; i++)
        json_object_put(replies[i]);

    /* QEMU's own error text is quoted */
    args = json_object_new_object();
    json_object_object_add(args, "id", json_object_new_string("nosuchdev"));
    g_assert_null(mvQemuMonitorCommand(c->mon, "device_del", args, 0));
    g_assert_nonnull(strstr(mvErrorGetLast()->message,
                            "QEMU command 'device_del' failed: Device 'nosuchdev' not found"));
    mvErrorReset();

    /* fd passing: QEMU takes a pipe's end under a name, then lets it go */
    g_assert_cmpint(pipe2(pipefd, O_CLOEXEC), ==, 0);
    args = json_object_new_object();
    json_object_object_add(args, "fdname", json_object_new_string("testfd"));
    r = mvQemuMonitorCommandWithFDs(c->mon, "getfd", args, &pipefd[0], 1, 0);
    checkNoError(r);
    json_object_put(r);
    args = json_object_new_object();
    json_object_object_add(args, "fdname", json_object_new_string("testfd"));
    r = mvQemuMonitorCommand(c->mon, "closefd", args, 0);
    checkNoError(r);
    json_object_put(r);
    close(pipefd[0]);
    close(pipefd[1]);

    hmp = mvQemuMonitorHMP(c->mon, "info status", 0);
    checkNoError(hmp);
    g_assert_nonnull(strstr(hmp, "paused (prelaunch)"));
    raw = mvQemuMonitorRaw(c->mon, "{\"execute\":\"query-name\"}", 0);
    checkNoError(raw);
    g_assert_cmpstr(raw, ==, "{\"return\":{}}");

    /* quit: the reply may or may not beat the EOF */
    json_object_put(mvQemuMonitorCommand(c->mon, "quit", NULL, 5000));
    mvErrorReset();
    return NULL;
}

static gboolean
watchdog(gpointer opaque)
{
    g_error("QEMU did not exit within 60 s of 'quit'");
    return G_SOURCE_REMOVE;
}

static void
test_real_qemu(void)
{
    g_autofree char *qemu = g_find_program_in_path("qemu-system-x86_64");
    g_autofree char *dir = g_dir_make_tmp("mvqmp-real-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "monitor.sock", NULL);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    g_autoptr(GError) gerr = NULL;
    Ctx c = { .mainThread = g_thread_self() };
    int lfd;
    int cfd;
    int status = 0;
    GPid pid = 0;
    GThread *th;
    guint dog;

    if (!qemu) {
        g_test_message("qemu-system-x86_64 is not installed: install Debian package "
                       "qemu-system-x86 (apt-get install qemu-system-x86) to run this test");
        g_test_fail();
        return;
    }
    lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(lfd, >=, 0);
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);

    {
        const char *argv[] = {
            qemu, "-S", "-nodefaults", "-machine", "none", "-display", "none",
            "-chardev", "socket,id=mon,fd=3,server=on,wait=off",
            "-mon", "chardev=mon,mode=control", NULL,
        };
        int source[1] = { lfd };
        int target[1] = { 3 };

        if (!g_spawn_async_with_pipes_and_fds(dir, argv, NULL,
                                              G_SPAWN_DO_NOT_REAP_CHILD |
                                              G_SPAWN_STDIN_FROM_DEV_NULL,
                                              NULL, NULL, -1, -1, -1, source, target, 1,
                                              &pid, NULL, NULL, NULL, &gerr))
            g_error("cannot run %s: %s", qemu, gerr->message);
    }
    close(lfd);

    cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(connect(cfd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    c.loop = g_main_loop_new(NULL, FALSE);
    c.mon = mvQemuMonitorOpenFD(cfd, NULL, 30000, &callbacks, &c);
    checkNoError(c.mon);
    g_assert_true(mvQemuMonitorIsOpen(c.mon));

    dog = g_timeout_add_seconds(60, watchdog, NULL);
    th = g_thread_new("worker", worker, &c);
    g_main_loop_run(c.loop);
    g_thread_join(th);
    g_source_remove(dog);

    g_assert_cmpint(c.neof, ==, 1);
    g_assert_false(c.eofError);
    g_assert_true(c.shutdownBeforeEOF);
    g_assert_cmpint(c.wrongThread, ==, 0);
    g_assert_false(mvQemuMonitorIsOpen(c.mon));
    mvQemuMonitorClose(c.mon);

    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    g_main_loop_unref(c.loop);
    unlink(path);
    rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu-monitor/real-qemu", test_real_qemu);
    return g_test_run();
}
