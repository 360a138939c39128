/*
 * qemu_process: starting, stopping and re-adopting QEMU processes.
 *
 * Start: the live definition is a copy of the config with an id and device
 * aliases; the driver creates the monitor's listening socket itself and
 * hands it to QEMU as fd 3, so it can connect at once, with no polling for
 * a socket to appear.  QEMU runs without a shell, in its own session, with
 * a clean environment, every other fd closed and stdout/stderr appended to
 * the domain's log.  It starts paused (-S); the driver reads the vCPU
 * threads (one QMP call) and resumes it unless asked not to.  Any failure
 * kills QEMU and removes what was created, and the error quotes QEMU's
 * own words from the log.
 *
 * Stop: SIGTERM, then SIGKILL after a grace period; waiting uses a pidfd,
 * which works for our own children (reaped by the glib child watch) and
 * for processes adopted after a daemon restart alike.
 *
 * The status file <runDir>/qemu/NAME.xml records pid, monitor socket,
 * state and the live XML so a restarted daemon can reconnect.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "mv_error.h"
#include "mv_fd.h"
#include "mv_file.h"
#include "mv_log.h"
#include "mv_uuid.h"
#include "qemu_command.h"
#include "qemu_driver_priv.h"
#include "qemu_interface.h"
#include "qemu_secrets.h"

#define MV_FROM_THIS VIR_FROM_QEMU

MV_LOG_INIT("qemu.process");

#define QEMU_MONITOR_OPEN_TIMEOUT_MS 30000
#define QEMU_STOP_GRACE_MS 10000
#define QEMU_KILL_WAIT_MS 5000
#define QEMU_LOG_TAIL_MAX (64 * 1024)
#define QEMU_STATUS_MAX (16 * 1024 * 1024)

static char *
statusPath(const char *name)
{
    g_autofree char *file = g_strdup_printf("%s.xml", name);

    return g_build_filename(qemu_driver->runDir, file, NULL);
}

/* Waits until the process behind @pidfd has exited; true if it has. */
static bool
waitPidfd(int pidfd, int timeoutMs)
{
    struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
    gint64 deadline = g_get_monotonic_time() + (gint64)timeoutMs * 1000;

    for (;;) {
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        int rc;

        if (left < 0)
            left = 0;
        rc = poll(&pfd, 1, (int)left);
        if (rc > 0)
            return true;
        if (rc == 0)
            return false;
        if (errno != EINTR)
            return false;
    }
}

/* Kills the process (SIGTERM, then SIGKILL) and waits for it to go. */
static int
killProcess(pid_t pid, int pidfd, bool graceful)
{
    if (pidfd < 0) {
        if (pid > 0 && kill(pid, SIGKILL) < 0 && errno != ESRCH)
            return -1;
        return 0;
    }
    pidfd_send_signal(pidfd, SIGTERM, NULL, 0);
    if (waitPidfd(pidfd, graceful ? QEMU_STOP_GRACE_MS : 1500))
        return 0;
    if (graceful) {
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "QEMU process %lld did not exit within %d seconds of SIGTERM; use "
                      "destroy without --graceful to kill it",
                      (long long)pid, QEMU_STOP_GRACE_MS / 1000);
        return -1;
    }
    pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
    if (!waitPidfd(pidfd, QEMU_KILL_WAIT_MS)) {
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "QEMU process %lld survived SIGKILL for %d seconds",
                      (long long)pid, QEMU_KILL_WAIT_MS / 1000);
        return -1;
    }
    return 0;
}

/* The text QEMU wrote to its log since @offset, trimmed to its last lines. */
static char *
logTail(const char *path, off_t offset)
{
    MV_AUTOCLOSE int fd = open(path, O_RDONLY | O_CLOEXEC);
    g_autofree char *buf = NULL;
    struct stat sb;
    ssize_t n;
    off_t start;
    char *text;

    if (fd < 0 || fstat(fd, &sb) < 0)
        return g_strdup("");
    start = offset;
    if (sb.st_size - start > QEMU_LOG_TAIL_MAX)
        start = sb.st_size - QEMU_LOG_TAIL_MAX;
    if (start < 0)
        start = 0;
    buf = g_malloc0(QEMU_LOG_TAIL_MAX + 1);
    n = pread(fd, buf, QEMU_LOG_TAIL_MAX, start);
    if (n <= 0)
        return g_strdup("");
    buf[n] = '\0';
    text = g_strstrip(buf);
    return g_strdup(text);
}

static void
childSetup(gpointer data)
{
    setsid();
}

/* Appends the command line to the log as libvirt does, one line. */
static void
logCommandLine(int fd, char **envp, char **argv)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");
    g_autoptr(GString) line = g_string_new(NULL);

    g_string_append_printf(line, "%s.%03d+0000: starting up\n", stamp,
                           g_date_time_get_microsecond(now) / 1000);
    for (size_t i = 0; envp[i]; i++)
        g_string_append_printf(line, "%s \\\n", envp[i]);
    for (size_t i = 0; argv[i]; i++) {
        g_autofree char *q = g_shell_quote(argv[i]);
        g_string_append(line, strchr(argv[i], ' ') || strchr(argv[i], '\'') ? q : argv[i]);
        g_string_append(line, argv[i + 1] ? " \\\n" : "\n");
    }
    if (write(fd, line->str, line->len) < 0)
        MV_DEBUG("cannot write the command line to the log: %s", g_strerror(errno));
}

static int
makeListenSocket(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "monitor socket path '%s' is too long for a UNIX socket (%zu bytes at "
                      "most); use a shorter runtime directory",
                      path, sizeof(addr.sun_path) - 1);
        return -1;
    }
    memcpy(addr.sun_path, path, strlen(path) + 1);
    unlink(path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        mvReportSystemError(errno, "cannot create the monitor socket");
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0) {
        mvReportSystemError(errno, "cannot listen on monitor socket '%s'", path);
        close(fd);
        return -1;
    }
    return fd;
}

static int
connectSocket(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    memcpy(addr.sun_path, path, strlen(path) + 1);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        mvReportSystemError(errno, "cannot create a socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        mvReportSystemError(errno, "cannot connect to monitor socket '%s'", path);
        close(fd);
        return -1;
    }
    return fd;
}

/* Files the guest needs that QEMU would only complain about obscurely. */
static int
checkHostFiles(const mvDomainDef *def)
{
    const struct { const char *what; const char *path; } files[] = {
        { "kernel", def->os.kernel },
        { "initrd", def->os.initrd },
        { "dtb", def->os.dtb },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        if (files[i].path && access(files[i].path, R_OK) < 0) {
            mvReportSystemError(errno,
                                "cannot use %s '%s' of domain '%s'; fix <os><%s> or create "
                                "the file",
                                files[i].what, files[i].path, def->name, files[i].what);
            return -1;
        }
    }
    return 0;
}

static char **
buildEnv(const mvDomainDef *def, const char *libDir)
{
    g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func(g_free);

    g_ptr_array_add(env, g_strdup("LC_ALL=C"));
    g_ptr_array_add(env, g_strdup("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"));
    g_ptr_array_add(env, g_strdup_printf("HOME=%s", libDir));
    g_ptr_array_add(env, g_strdup_printf("XDG_DATA_HOME=%s/.local/share", libDir));
    g_ptr_array_add(env, g_strdup_printf("XDG_CACHE_HOME=%s/.cache", libDir));
    g_ptr_array_add(env, g_strdup_printf("XDG_CONFIG_HOME=%s/.config", libDir));
    for (size_t i = 0; i < def->nqemuEnv; i++)
        g_ptr_array_add(env, g_strdup_printf("%s=%s", def->qemuEnv[i].name,
                                             def->qemuEnv[i].value ? def->qemuEnv[i].value : ""));
    g_ptr_array_add(env, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&env), FALSE);
}

static void
childExited(GPid pid, gint status, gpointer data)
{
    MV_DEBUG("QEMU process %d exited with status %d", pid, status);
    g_spawn_close_pid(pid);
}

/* Status file: <domstatus state= reason= pid= monitor= ...><domain .../></domstatus>. */
int
qemuProcessSaveStatus(qemuDomObj *obj)
{
    g_autofree char *path = statusPath(obj->def->name);
    g_autofree char *xml = mvDomainDefFormat(obj->def, MV_DOMAIN_DEF_FORMAT_LIVE |
                                                       MV_DOMAIN_DEF_FORMAT_SECURE);
    g_autoptr(GString) buf = g_string_new(NULL);
    g_autofree char *monEsc = NULL;

    if (!xml)
        return -1;
    monEsc = g_markup_escape_text(obj->monPath ? obj->monPath : "", -1);
    g_string_append_printf(buf,
                           "<domstatus state='%d' reason='%d' pid='%lld' monitor='%s' "
                           "persistent='%d' autodestroy='%d'>\n",
                           obj->state, obj->reason, (long long)obj->pid, monEsc,
                           obj->persistent, obj->autodestroy);
    if (obj->vcpuTids) {
        g_string_append(buf, "  <vcpus>");
        for (guint i = 0; i < obj->vcpuTids->len; i++)
            g_string_append_printf(buf, "%s%d", i ? " " : "",
                                   g_array_index(obj->vcpuTids, pid_t, i));
        g_string_append(buf, "</vcpus>\n");
    }
    g_string_append(buf, xml);
    g_string_append(buf, "</domstatus>\n");
    return mvFileWriteAtomicFlags(path, buf->str, buf->len, 0600, MV_FILE_WRITE_NO_SYNC);
}

/* Removes @dir and what QEMU may have left inside (its HOME: caches and
 * the like), without following symbolic links. */
static void
removeTree(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    if (!d)
        return;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);
        struct stat sb;

        if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            removeTree(path);
        else
            unlink(path);
    }
    rmdir(dir);
}

static void
removeRunFiles(qemuDomObj *obj)
{
    g_autofree char *path = statusPath(obj->def->name);

    if (obj->monPath)
        unlink(obj->monPath);
    if (obj->domRunDir)
        removeTree(obj->domRunDir);
    if (obj->domLibDir)
        removeTree(obj->domLibDir);
    unlink(path);
}

/* The host thread of each vCPU, from QEMU (one QMP call). */
static GArray *
queryVcpus(mvQemuMonitor *mon)
{
    struct json_object *reply = mvQemuMonitorCommand(mon, "query-cpus-fast", NULL, 0);
    GArray *tids;
    size_t n;

    if (!reply)
        return NULL;
    n = json_object_is_type(reply, json_type_array) ? json_object_array_length(reply) : 0;
    tids = g_array_sized_new(FALSE, TRUE, sizeof(pid_t), n);
    for (size_t i = 0; i < n; i++) {
        struct json_object *cpu = json_object_array_get_idx(reply, i);
        struct json_object *tid;
        pid_t t = 0;

        if (json_object_object_get_ex(cpu, "thread-id", &tid))
            t = json_object_get_int(tid);
        g_array_append_val(tids, t);
    }
    json_object_put(reply);
    return tids;
}

/* Undoes a failed start.  Called locked. */
static void
startCleanup(qemuDomObj *obj)
{
    mvQemuMonitor *mon = g_steal_pointer(&obj->mon);

    obj->stopping = true;
    if (mon) {
        g_mutex_unlock(&obj->lock);
        mvQemuMonitorClose(mon);
        g_mutex_lock(&obj->lock);
    }
    if (obj->pid > 0) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();

        g_mutex_unlock(&obj->lock);
        killProcess(obj->pid, obj->pidfd, false);
        g_mutex_lock(&obj->lock);
        mvErrorRestore(&saved);
    }
    removeRunFiles(obj);
    if (obj->pidfd >= 0)
        close(obj->pidfd);
    obj->pidfd = -1;
    obj->pid = 0;
    g_clear_pointer(&obj->monPath, g_free);
    g_clear_pointer(&obj->domRunDir, g_free);
    g_clear_pointer(&obj->domLibDir, g_free);
    g_clear_pointer(&obj->vcpuTids, g_array_unref);
    if (obj->caps)
        g_clear_pointer(&obj->caps, mvQemuCapsUnref);
    obj->stopping = false;
    obj->state = VIR_DOMAIN_SHUTOFF;
    obj->reason = VIR_DOMAIN_SHUTOFF_FAILED;
}

static int
allocID(void)
{
    int id;

    g_mutex_lock(&qemu_driver->idLock);
    id = qemu_driver->nextID++;
    g_mutex_unlock(&qemu_driver->idLock);
    return id;
}

int
qemuProcessStart(qemuDomObj *obj, virConnectPtr conn, unsigned int flags, int startedDetail)
{
    g_autoptr(mvQemuCaps) caps = NULL;
    g_autoptr(mvDomainDef) live = NULL;
    g_autoptr(GArray) tids = NULL;
    g_autofree char *dirName = NULL;
    const char *libDir;
    g_autofree char *logName = NULL;
    g_auto(GStrv) argv = NULL;
    g_auto(GStrv) envp = NULL;
    g_autoptr(GError) gerr = NULL;
    MV_AUTOCLOSE int listenFD = -1;
    MV_AUTOCLOSE int logFD = -1;
    mvQemuCommandOptions opts = { 0 };
    GPtrArray *secretFiles = NULL;
    GArray *tapfds = NULL;              /* ours, one per NIC (-1: none) */
    g_autoptr(GArray) childTaps = NULL; /* the same, as numbered in QEMU */
    g_autoptr(GArray) srcFDs = g_array_new(FALSE, FALSE, sizeof(int));
    g_autoptr(GArray) dstFDs = g_array_new(FALSE, FALSE, sizeof(int));
    bool ifacesReady = false;
    mvQemuMonitor *mon;
    struct json_object *reply;
    off_t logStart = 0;
    GPid pid = 0;
    int monFD;
    int id;

    if (qemuDomObjIsActive(obj)) {
        mvReportError(VIR_ERR_OPERATION_INVALID, "domain is already running");
        return -1;
    }
    if (!obj->def->emulator) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' has no emulator", obj->def->name);
        return -1;
    }
    if (!(live = qemuDomainDefCopy(obj->def)))
        goto error;

    /* The job keeps other changes out; readers only look at what an active
     * domain has, and the domain becomes active under the lock at the end.
     * So the slow part (a first capability probe, spawning, waiting for
     * QMP) runs unlocked and never stalls a reader. */
    g_mutex_unlock(&obj->lock);
    if (!(caps = mvQemuCapsCacheLookup(qemu_driver->capsCache, live->emulator)) ||
        checkHostFiles(live) < 0)
        goto error_unlocked;
    id = allocID();
    live->id = id;
    if (mvQemuAssignAliases(live) < 0)
        goto error_unlocked;

    dirName = g_strdup_printf("domain-%d-%.20s", id, live->name);
    obj->domRunDir = g_build_filename(qemu_driver->runDir, dirName, NULL);
    obj->domLibDir = g_build_filename(qemu_driver->stateDir, dirName, NULL);
    libDir = obj->domLibDir;
    if (g_mkdir_with_parents(obj->domRunDir, 0700) < 0 ||
        g_mkdir_with_parents(libDir, 0700) < 0) {
        mvReportSystemError(errno, "cannot create the directories of domain '%s' ('%s', '%s')",
                            live->name, obj->domRunDir, libDir);
        goto error_unlocked;
    }
    obj->monPath = g_build_filename(obj->domRunDir, "monitor.sock", NULL);
    if ((listenFD = makeListenSocket(obj->monPath)) < 0)
        goto error_unlocked;

    /* taps (and virtnetworkd ports) for the NICs: QEMU gets them as fds
     * 4, 5, ... after the monitor's 3 */
    if (qemuInterfacesPrepare(live, qemu_driver->networkURI, &tapfds) < 0)
        goto error_unlocked;
    ifacesReady = true;
    childTaps = g_array_new(FALSE, FALSE, sizeof(int));
    g_array_append_val(srcFDs, listenFD);
    g_array_append_val(dstFDs, (int){ 3 });
    for (guint i = 0; i < tapfds->len; i++) {
        int fd = g_array_index(tapfds, int, i);
        int child = fd >= 0 ? 3 + (int)srcFDs->len : -1;

        if (fd >= 0) {
            g_array_append_val(srcFDs, fd);
            g_array_append_val(dstFDs, child);
        }
        g_array_append_val(childTaps, child);
    }
    opts.tapFDs = (const int *)childTaps->data;
    opts.ntapFDs = childTaps->len;

    opts.monitorFD = 3;
    opts.libDir = libDir;
    opts.runDir = obj->domRunDir;
    opts.secretDir = libDir;
    if (!(argv = mvQemuBuildCommandLine(live, caps, &opts)))
        goto error_unlocked;
    /* after the argv, which checks the definition: a guest that cannot
     * start anyway never asks virtsecretd for anything */
    if (qemuSecretsPrepare(live, qemu_driver->secretURI, libDir, &secretFiles) < 0)
        goto error_unlocked;
    envp = buildEnv(live, libDir);

    logName = g_strdup_printf("%s.log", live->name);
    g_free(obj->logPath);
    obj->logPath = g_build_filename(qemu_driver->logDir, logName, NULL);
    if (g_mkdir_with_parents(qemu_driver->logDir, 0700) < 0 ||
        (logFD = open(obj->logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) < 0) {
        mvReportSystemError(errno, "cannot open log file '%s' of domain '%s'",
                            obj->logPath, live->name);
        goto error_unlocked;
    }
    logCommandLine(logFD, envp, argv);
    logStart = lseek(logFD, 0, SEEK_END);

    if (!g_spawn_async_with_pipes_and_fds("/", (const char * const *)argv,
                                          (const char * const *)envp,
                                          G_SPAWN_DO_NOT_REAP_CHILD |
                                          G_SPAWN_STDIN_FROM_DEV_NULL,
                                          childSetup, NULL, -1, logFD, logFD,
                                          (const int *)srcFDs->data,
                                          (const int *)dstFDs->data, srcFDs->len, &pid,
                                          NULL, NULL, NULL, &gerr)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot run QEMU '%s': %s", argv[0],
                      gerr->message);
        goto error_unlocked;
    }
    obj->pid = pid;
    obj->pidfd = pidfd_open(pid, 0);
    obj->childWatch = g_child_watch_add(pid, childExited, NULL);
    /* QEMU holds the taps now; they vanish when it exits */
    qemuInterfacesCloseFDs(g_steal_pointer(&tapfds));

    monFD = connectSocket(obj->monPath);
    close(listenFD);
    listenFD = -1;
    if (monFD < 0)
        goto error_unlocked;
    mon = mvQemuMonitorOpenFD(monFD, NULL, QEMU_MONITOR_OPEN_TIMEOUT_MS,
                              &qemuMonitorCallbacks, obj);
    if (!mon) {
        g_autofree char *tail = NULL;

        /* QEMU usually exited: let it finish writing its complaint */
        if (obj->pidfd >= 0)
            waitPidfd(obj->pidfd, 3000);
        tail = logTail(obj->logPath, logStart);
        if (*tail) {
            mvErrorReset();
            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "QEMU failed to start domain '%s': %s", live->name, tail);
        }
        goto error_unlocked;
    }
    /* QEMU read the secret files while creating its objects, before it
     * answered on the monitor */
    qemuSecretsCleanup(g_steal_pointer(&secretFiles));
    g_mutex_lock(&obj->lock);
    obj->mon = mon;
    g_mutex_unlock(&obj->lock);
    if (!(tids = queryVcpus(mon)))
        goto error_unlocked;

    g_mutex_lock(&obj->lock);
    /* the live definition becomes current; the config waits as newDef */
    if (obj->persistent && !obj->newDef)
        obj->newDef = g_steal_pointer(&obj->def);
    else
        mvDomainDefFree(g_steal_pointer(&obj->def));
    obj->def = g_steal_pointer(&live);
    qemuDomObjSetActiveID(obj, obj->def->id);
    obj->caps = g_steal_pointer(&caps);
    obj->vcpuTids = g_steal_pointer(&tids);
    obj->autodestroy = (flags & QEMU_START_AUTODESTROY) != 0;
    obj->autodestroyConn = obj->autodestroy ? conn : NULL;
    g_atomic_int_inc(&qemu_driver->nactive);

    if (flags & QEMU_START_PAUSED) {
        obj->state = VIR_DOMAIN_PAUSED;
        obj->reason = VIR_DOMAIN_PAUSED_USER;
    } else {
        /* set first, so the RESUME event of our own cont is no news */
        obj->state = VIR_DOMAIN_RUNNING;
        obj->reason = startedDetail == VIR_DOMAIN_EVENT_STARTED_RESTORED ?
                      VIR_DOMAIN_RUNNING_RESTORED : VIR_DOMAIN_RUNNING_BOOTED;
        g_mutex_unlock(&obj->lock);
        reply = mvQemuMonitorCommand(mon, "cont", NULL, 0);
        g_mutex_lock(&obj->lock);
        if (!reply) {
            g_autoptr(mvErrorSaved) saved = mvErrorSave();

            qemuProcessStop(obj, VIR_DOMAIN_SHUTOFF_FAILED, false);
            mvErrorRestore(&saved);
            return -1;
        }
        json_object_put(reply);
    }
    if (qemuProcessSaveStatus(obj) < 0) {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();

        qemuProcessStop(obj, VIR_DOMAIN_SHUTOFF_FAILED, false);
        mvErrorRestore(&saved);
        return -1;
    }
    MV_INFO("started domain '%s' (id %d, pid %d)", obj->def->name, id, pid);
    return 0;

 error_unlocked:
    g_mutex_lock(&obj->lock);
 error:
    {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();

        qemuSecretsCleanup(g_steal_pointer(&secretFiles));
        qemuInterfacesCloseFDs(g_steal_pointer(&tapfds));
        startCleanup(obj);
        if (ifacesReady)
            qemuInterfacesRelease(live, qemu_driver->networkURI);
        mvErrorRestore(&saved);
    }
    return -1;
}

int
qemuProcessStop(qemuDomObj *obj, int reason, bool graceful)
{
    mvQemuMonitor *mon;

    if (!qemuDomObjIsActive(obj))
        return 0;
    obj->stopping = true;
    if (obj->pid > 0) {
        pid_t pid = obj->pid;
        int pidfd = obj->pidfd;
        int rc;

        /* the job keeps pid and pidfd; readers need not wait for QEMU to die */
        g_mutex_unlock(&obj->lock);
        rc = killProcess(pid, pidfd, graceful);
        if (rc == 0 || !graceful)
            qemuInterfacesRelease(obj->def, qemu_driver->networkURI);
        g_mutex_lock(&obj->lock);
        if (rc < 0 && graceful) {
            obj->stopping = false;
            return -1;
        }
    }
    mon = g_steal_pointer(&obj->mon);
    if (mon) {
        g_mutex_unlock(&obj->lock);
        mvQemuMonitorClose(mon);
        g_mutex_lock(&obj->lock);
    }
    removeRunFiles(obj);
    if (obj->pidfd >= 0)
        close(obj->pidfd);
    obj->pidfd = -1;
    obj->pid = 0;
    obj->childWatch = 0;
    g_clear_pointer(&obj->monPath, g_free);
    g_clear_pointer(&obj->domRunDir, g_free);
    g_clear_pointer(&obj->domLibDir, g_free);
    g_clear_pointer(&obj->vcpuTids, g_array_unref);
    if (obj->caps)
        g_clear_pointer(&obj->caps, mvQemuCapsUnref);
    obj->autodestroy = false;
    obj->autodestroyConn = NULL;
    obj->fakeReboot = false;
    obj->monEOF = false;
    obj->stopping = false;

    if (obj->newDef) {
        mvDomainDefFree(obj->def);
        obj->def = g_steal_pointer(&obj->newDef);
    }
    obj->def->id = -1;
    qemuDomObjSetActiveID(obj, -1);
    obj->state = VIR_DOMAIN_SHUTOFF;
    obj->reason = reason;
    g_atomic_int_add(&qemu_driver->nactive, -1);
    return 0;
}

unsigned long long
qemuProcessCPUTime(pid_t pid, pid_t tid)
{
    g_autofree char *path = tid > 0 ?
        g_strdup_printf("/proc/%d/task/%d/stat", pid, tid) :
        g_strdup_printf("/proc/%d/stat", pid);
    g_autofree char *data = NULL;
    unsigned long long utime = 0, stime = 0;
    char *p;
    long ticks = sysconf(_SC_CLK_TCK);

    if (!g_file_get_contents(path, &data, NULL, NULL))
        return 0;
    /* fields after the command name, which is in parentheses */
    if (!(p = strrchr(data, ')')))
        return 0;
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
               &utime, &stime) != 2)
        return 0;
    if (ticks <= 0)
        ticks = 100;
    return (utime + stime) * (1000000000ULL / (unsigned long long)ticks);
}

/* --- re-adoption after a daemon restart ----------------------------------- */

/* Whether @pid is the QEMU of domain @name (guards against a reused pid). */
static bool
processIsGuest(pid_t pid, const char *name)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", pid);
    g_autofree char *data = NULL;
    g_autofree char *want = g_strdup_printf("guest=%s,", name);
    g_autofree char *want2 = g_strdup_printf("guest=%s", name);
    gsize len = 0;

    if (!g_file_get_contents(path, &data, &len, NULL))
        return false;
    for (gsize off = 0; off < len; off += strlen(data + off) + 1) {
        const char *arg = data + off;

        if (g_str_has_prefix(arg, want) || strcmp(arg, want2) == 0)
            return true;
    }
    return false;
}

static int
xmlIntProp(xmlNodePtr node, const char *name, long long *value)
{
    g_autofree char *s = (char *)xmlGetProp(node, (const xmlChar *)name);

    if (!s)
        return -1;
    *value = g_ascii_strtoll(s, NULL, 10);
    return 0;
}

/* The per-domain directories of a re-adopted domain, from its monitor path. */
static void
setDomainDirs(qemuDomObj *obj)
{
    g_autofree char *base = NULL;

    g_free(obj->domRunDir);
    g_free(obj->domLibDir);
    obj->domRunDir = g_path_get_dirname(obj->monPath);
    base = g_path_get_basename(obj->domRunDir);
    obj->domLibDir = g_build_filename(qemu_driver->stateDir, base, NULL);
}

/* Reads one status file into a running object.  Returns the object (ref)
 * or NULL with the file handled (removed when stale). */
static void
reconnectOne(const char *path)
{
    g_autofree char *data = NULL;
    size_t len = 0;
    xmlDocPtr doc = NULL;
    xmlNodePtr root, node;
    g_autoptr(mvDomainDef) live = NULL;
    g_autoptr(qemuDomObj) obj = NULL;
    g_autofree char *monPath = NULL;
    long long state = 0, reason = 0, pid = 0, persistent = 0, autodestroy = 0;
    xmlBufferPtr xbuf = NULL;
    GArray *tids = NULL;
    mvQemuMonitor *mon = NULL;
    struct json_object *st = NULL;
    int pidfd = -1;
    bool alive;

    if (mvFileReadAll(path, QEMU_STATUS_MAX, &data, &len) < 0)
        goto bad;
    if (!(doc = xmlReadMemory(data, (int)len, path, NULL, XML_PARSE_NONET)))
        goto bad;
    root = xmlDocGetRootElement(doc);
    if (!root || !xmlStrEqual(root->name, (const xmlChar *)"domstatus"))
        goto bad;
    xmlIntProp(root, "state", &state);
    xmlIntProp(root, "reason", &reason);
    xmlIntProp(root, "pid", &pid);
    xmlIntProp(root, "persistent", &persistent);
    xmlIntProp(root, "autodestroy", &autodestroy);
    monPath = (char *)xmlGetProp(root, (const xmlChar *)"monitor");
    for (node = root->children; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(node->name, (const xmlChar *)"vcpus")) {
            g_autofree char *text = (char *)xmlNodeGetContent(node);
            g_auto(GStrv) parts = g_strsplit(text ? text : "", " ", -1);

            tids = g_array_new(FALSE, TRUE, sizeof(pid_t));
            for (size_t i = 0; parts[i]; i++) {
                pid_t t = (pid_t)g_ascii_strtoll(parts[i], NULL, 10);
                if (*parts[i])
                    g_array_append_val(tids, t);
            }
        } else if (xmlStrEqual(node->name, (const xmlChar *)"domain")) {
            xbuf = xmlBufferCreate();
            xmlNodeDump(xbuf, doc, node, 0, 0);
            live = mvDomainDefParse((const char *)xmlBufferContent(xbuf),
                                    MV_DOMAIN_DEF_PARSE_LIVE);
            xmlBufferFree(xbuf);
            if (!live)
                goto bad;
        }
    }
    if (!live || pid <= 0 || !monPath)
        goto bad;

    alive = (pidfd = pidfd_open((pid_t)pid, 0)) >= 0 && processIsGuest((pid_t)pid, live->name);

    obj = qemuDomListFindByUUID(qemu_driver->domains, live->uuid);
    if (!obj) {
        g_autoptr(mvDomainDef) cfg = qemuDomainDefCopy(live);

        if (!cfg || !(obj = qemuDomListAdd(qemu_driver->domains, g_steal_pointer(&cfg))))
            goto bad;
        obj->persistent = false;
    }
    if (alive &&
        !(mon = mvQemuMonitorOpen(monPath, NULL, 5000, &qemuMonitorCallbacks, obj))) {
        MV_WARN("cannot reconnect to the monitor of domain '%s': %s; killing it",
                live->name, mvErrorGetLast() ? mvErrorGetLast()->message : "?");
        mvErrorReset();
        killProcess((pid_t)pid, pidfd, false);
        alive = false;
    }
    g_mutex_lock(&obj->lock);
    if (!alive) {
        g_autofree char *name = g_strdup(live->name);

        MV_WARN("domain '%s' (pid %lld) died while the daemon was down", name, pid);
        qemuInterfacesRelease(live, qemu_driver->networkURI);
        obj->monPath = g_steal_pointer(&monPath);
        setDomainDirs(obj);
        removeRunFiles(obj);
        g_clear_pointer(&obj->monPath, g_free);
        g_clear_pointer(&obj->domRunDir, g_free);
        g_clear_pointer(&obj->domLibDir, g_free);
        obj->state = VIR_DOMAIN_SHUTOFF;
        obj->reason = VIR_DOMAIN_SHUTOFF_CRASHED;
        unlink(path);
        g_mutex_unlock(&obj->lock);
        qemuEventLifecycle(live, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_CRASHED);
        g_mutex_lock(&obj->lock);
        qemuDomainRemoveInactive(obj);
        g_mutex_unlock(&obj->lock);
        if (pidfd >= 0)
            close(pidfd);
        xmlFreeDoc(doc);
        if (tids)
            g_array_unref(tids);
        return;
    }
    if (obj->persistent) {
        mvDomainDefFree(obj->newDef);
        obj->newDef = g_steal_pointer(&obj->def);
    } else {
        mvDomainDefFree(obj->def);
    }
    obj->def = g_steal_pointer(&live);
    qemuDomObjSetActiveID(obj, obj->def->id);
    obj->pid = (pid_t)pid;
    obj->pidfd = pidfd;
    obj->monPath = g_steal_pointer(&monPath);
    setDomainDirs(obj);
    obj->vcpuTids = tids;
    obj->autodestroy = false;   /* the connection that asked for it is gone */
    obj->state = (int)state;
    obj->reason = (int)reason;
    {
        g_autofree char *logName = g_strdup_printf("%s.log", obj->def->name);

        g_free(obj->logPath);
        obj->logPath = g_build_filename(qemu_driver->logDir, logName, NULL);
    }
    g_atomic_int_inc(&qemu_driver->nactive);
    obj->mon = mon;
    g_mutex_lock(&qemu_driver->idLock);
    if (obj->def->id >= qemu_driver->nextID)
        qemu_driver->nextID = obj->def->id + 1;
    g_mutex_unlock(&qemu_driver->idLock);

    /* QEMU may have paused or resumed meanwhile */
    g_mutex_unlock(&obj->lock);
    st = mvQemuMonitorCommand(mon, "query-status", NULL, 5000);
    g_mutex_lock(&obj->lock);
    if (st) {
        struct json_object *running;

        if (json_object_object_get_ex(st, "running", &running)) {
            bool isRunning = json_object_get_boolean(running);

            if (isRunning && obj->state != VIR_DOMAIN_RUNNING) {
                obj->state = VIR_DOMAIN_RUNNING;
                obj->reason = VIR_DOMAIN_RUNNING_UNPAUSED;
            } else if (!isRunning && obj->state == VIR_DOMAIN_RUNNING) {
                obj->state = VIR_DOMAIN_PAUSED;
                obj->reason = VIR_DOMAIN_PAUSED_UNKNOWN;
            }
        }
        json_object_put(st);
    }
    qemuProcessSaveStatus(obj);
    MV_INFO("reconnected to domain '%s' (pid %lld)", obj->def->name, pid);
    g_mutex_unlock(&obj->lock);
    xmlFreeDoc(doc);
    return;

 bad:
    MV_WARN("ignoring status file '%s': %s", path,
            mvErrorGetLast() ? mvErrorGetLast()->message : "not a domain status");
    mvErrorReset();
    if (pidfd >= 0)
        close(pidfd);
    if (tids)
        g_array_unref(tids);
    if (doc)
        xmlFreeDoc(doc);
}

void
qemuProcessReconnectAll(void)
{
    g_autoptr(GDir) dir = g_dir_open(qemu_driver->runDir, 0, NULL);
    const char *name;

    if (!dir)
        return;
    while ((name = g_dir_read_name(dir))) {
        g_autofree char *path = NULL;

        if (!g_str_has_suffix(name, ".xml"))
            continue;
        path = g_build_filename(qemu_driver->runDir, name, NULL);
        reconnectOne(path);
    }
}
