/*
 * daemon_main: mvDaemonRun(), the start-up and shutdown sequence every
 * driver daemon shares (STYLE 4.7):
 *
 *   argv -> config file -> logging (config, then LIBVIRT_* env) -> paths
 *   (system or session) -> pid file -> sockets (systemd activation, else
 *   bind) -> mvSetInsideDaemon -> state driver register + initialize ->
 *   RPC servers (REMOTE on -sock/-sock-ro, ADMIN on -admin-sock) -> start ->
 *   READY=1 -> main loop -> on SIGTERM/SIGINT or idle timeout: stop
 *   accepting, STOPPING=1, drain handlers for at most 5 s, driver cleanup,
 *   remove the sockets we bound and the pid file, exit 0.
 *
 * Mode: root runs in system mode unless --session is given (the tests run
 * session daemons as root); everyone else runs in session mode.
 *
 * Start-up failures print one "NAME: error: MESSAGE" line on stderr and exit
 * 1.  Once running, every reported error also reaches the log through the
 * error hook: callers' mistakes and "no such object" at debug, our own
 * failures at error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib-unix.h>
#include <systemd/sd-daemon.h>

#include "admin_dispatch.h"
#include "client_driver.h"
#include "daemon_priv.h"
#include "mv_error.h"
#include "mv_fd.h"
#include "mv_log.h"
#include "remote_dispatch.h"

#define MV_FROM_THIS VIR_FROM_NONE

MV_LOG_INIT("daemon.main");

/* How long shutdown waits for running handlers. */
#define DAEMON_SHUTDOWN_GRACE_USEC (5 * G_USEC_PER_SEC)

static mvDaemon *daemonSelf;

mvDaemon *
daemonGet(void)
{
    return daemonSelf;
}

typedef struct {
    gboolean verbose;
    gboolean session;
    gboolean system;
    gboolean daemonize;
    gboolean version;
    int timeout;
    char *pidFile;
    char *configFile;
} daemonArgs;

static void
daemonArgsClear(daemonArgs *args)
{
    g_free(args->pidFile);
    g_free(args->configFile);
}

static int
daemonParseArgs(const mvDaemonSpec *spec, int argc, char **argv, daemonArgs *args)
{
    GOptionEntry entries[] = {
        { "verbose", 'v', 0, G_OPTION_ARG_NONE, &args->verbose,
          "Log informational messages to stderr", NULL },
        { "daemon", 'd', 0, G_OPTION_ARG_NONE, &args->daemonize,
          "Run in the background once ready", NULL },
        { "timeout", 't', 0, G_OPTION_ARG_INT, &args->timeout,
          "Exit after SECONDS with no clients (0: never)", "SECONDS" },
        { "pid-file", 'p', 0, G_OPTION_ARG_FILENAME, &args->pidFile,
          "Write the process id to FILE (locked while running)", "FILE" },
        { "config", 'f', 0, G_OPTION_ARG_FILENAME, &args->configFile,
          "Read the configuration from FILE instead of the default", "FILE" },
        { "session", 0, 0, G_OPTION_ARG_NONE, &args->session,
          "Run in session mode (XDG paths, no read-only socket) even as root", NULL },
        { "system", 0, 0, G_OPTION_ARG_NONE, &args->system,
          "Run in system mode (only as root; the default for root)", NULL },
        { "version", 'V', 0, G_OPTION_ARG_NONE, &args->version,
          "Print the version and exit", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL }
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
    g_autofree char *summary = g_strdup_printf(
        "modvirt %s driver daemon, serving %s:///system or %s:///session.",
        spec->uriScheme, spec->uriScheme, spec->uriScheme);
    g_autoptr(GError) gerr = NULL;

    g_option_context_set_summary(ctx, summary);
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &gerr)) {
        mvReportError(VIR_ERR_INVALID_ARG, "%s (see --help)", gerr->message);
        return -1;
    }
    if (argc > 1) {
        mvReportError(VIR_ERR_INVALID_ARG, "unexpected argument '%s' (see --help)", argv[1]);
        return -1;
    }
    if (args->timeout < 0) {
        mvReportError(VIR_ERR_INVALID_ARG, "--timeout must be 0 or more, got %d",
                      args->timeout);
        return -1;
    }
    if (args->session && args->system) {
        mvReportError(VIR_ERR_INVALID_ARG, "%s", "--session and --system exclude each other");
        return -1;
    }
    if (args->system && geteuid() != 0) {
        mvReportError(VIR_ERR_OPERATION_DENIED, "%s", "--system needs root");
        return -1;
    }
    return 0;
}

/* --- logging ------------------------------------------------------------ */

static bool
daemonErrorIsCallers(int code)
{
    switch (code) {
    case VIR_ERR_NO_SUPPORT:
    case VIR_ERR_INVALID_ARG:
    case VIR_ERR_INVALID_CONN:
    case VIR_ERR_INVALID_SECRET:
    case VIR_ERR_NO_SECRET:
    case VIR_ERR_NO_DOMAIN:
    case VIR_ERR_NO_NETWORK:
    case VIR_ERR_NO_NETWORK_PORT:
    case VIR_ERR_NETWORK_EXIST:
    case VIR_ERR_INVALID_NETWORK:
    case VIR_ERR_NO_STORAGE_POOL:
    case VIR_ERR_NO_STORAGE_VOL:
    case VIR_ERR_NO_NODE_DEVICE:
    case VIR_ERR_NO_SERVER:
    case VIR_ERR_NO_CLIENT:
    case VIR_ERR_XML_ERROR:
    case VIR_ERR_XML_DETAIL:
    case VIR_ERR_XML_INVALID_SCHEMA:
    case VIR_ERR_OPERATION_DENIED:
    case VIR_ERR_OPERATION_INVALID:
    case VIR_ERR_OPERATION_UNSUPPORTED:
    case VIR_ERR_CONFIG_UNSUPPORTED:
    case VIR_ERR_ARGUMENT_UNSUPPORTED:
    case VIR_ERR_ACCESS_DENIED:
    case VIR_ERR_AUTH_FAILED:
    case VIR_ERR_RPC:
        return true;
    default:
        return false;
    }
}

static void
daemonErrorHook(const virError *err, const char *file, const char *func, size_t line)
{
    static const mvLogSource src = { .name = "daemon.error" };
    mvLogPriority prio = daemonErrorIsCallers(err->code) ? MV_LOG_DEBUG : MV_LOG_ERROR;

    if (mvLogWouldLog(&src, prio))
        mvLogMessage(&src, prio, file, (int)line, func, "error %d (domain %d): %s",
                     err->code, err->domain, err->message ? err->message : "");
}

static int
daemonSetupLogging(const daemonConfig *cfg, bool verbose)
{
    int prio = MV_LOG_WARN;

    if (cfg->log_level)
        prio = cfg->log_level;
    if (verbose && prio > MV_LOG_INFO)
        prio = MV_LOG_INFO;
    if (mvLogSetDefaultPriority(prio) < 0)
        return -1;
    if (cfg->log_filters && mvLogSetFilters(cfg->log_filters) < 0)
        return -1;
    if (cfg->log_outputs && mvLogSetOutputs(cfg->log_outputs) < 0)
        return -1;
    /* LIBVIRT_DEBUG, LIBVIRT_LOG_FILTERS and LIBVIRT_LOG_OUTPUTS win */
    mvLogSetFromEnv();
    return 0;
}

/* Public API failures inside the daemon are sent to the client and logged
 * by the error hook; libclient must not print them to stderr as well. */
static void
daemonPublicErrorFunc(void *opaque, virErrorPtr err)
{
}

/* --- pid file ----------------------------------------------------------- */

static int
daemonPidFileAcquire(const char *path, const char *name)
{
    MV_AUTOCLOSE int fd = -1;
    struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    g_autofree char *text = NULL;
    g_autofree char *dir = g_path_get_dirname(path);

    if (g_mkdir_with_parents(dir, 0755) < 0) {
        mvReportSystemError(errno, "cannot create the directory of pid file '%s'", path);
        return -1;
    }
    if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
        mvReportSystemError(errno, "cannot open pid file '%s'", path);
        return -1;
    }
    if (fcntl(fd, F_SETLK, &lk) < 0) {
        if (errno == EAGAIN || errno == EACCES) {
            struct flock who = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

            (void)fcntl(fd, F_GETLK, &who);
            mvReportError(VIR_ERR_OPERATION_FAILED,
                          "another %s is already running (pid %d holds '%s')",
                          name, (int)who.l_pid, path);
        } else {
            mvReportSystemError(errno, "cannot lock pid file '%s'", path);
        }
        return -1;
    }
    text = g_strdup_printf("%d\n", (int)getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, text, strlen(text), 0) != (ssize_t)strlen(text)) {
        mvReportSystemError(errno, "cannot write pid file '%s'", path);
        return -1;
    }
    return g_steal_fd(&fd);
}

/* --- daemonizing ---------------------------------------------------------- */

/* Forks; the parent waits until the child reports (one byte: 0 ready, else
 * failed) and exits with a matching status.  Returns the write end of the
 * status pipe in the child, -1 on error (reported). */
static int
daemonFork(void)
{
    int fds[2];
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) < 0) {
        mvReportSystemError(errno, "%s", "cannot create a pipe");
        return -1;
    }
    if ((pid = fork()) < 0) {
        mvReportSystemError(errno, "%s", "cannot fork");
        return -1;
    }
    if (pid > 0) {
        char status = 1;

        close(fds[1]);
        if (read(fds[0], &status, 1) != 1)
            status = 1;
        _exit(status == 0 ? 0 : 1);
    }
    close(fds[0]);
    if (setsid() < 0) {
        mvReportSystemError(errno, "%s", "setsid failed");
        close(fds[1]);
        return -1;
    }
    return fds[1];
}

static void
daemonForkReport(int *statusFd, bool ok)
{
    char status = ok ? 0 : 1;
    int nullfd;

    if (*statusFd < 0)
        return;
    if (ok && (nullfd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
        (void)dup2(nullfd, STDIN_FILENO);
        (void)dup2(nullfd, STDOUT_FILENO);
        close(nullfd);
    }
    (void)!write(*statusFd, &status, 1);
    mvFDClear(statusFd);
}

/* --- servers ------------------------------------------------------------ */

static void
daemonClientCountChanged(rpcServer *srv, size_t nclients, void *opaque)
{
    daemonServer *ds = opaque;

    g_mutex_lock(&ds->daemon->lock);
    ds->nclients = nclients;
    g_mutex_unlock(&ds->daemon->lock);
    daemonIdleUpdate(ds->daemon);
}

static void
daemonLimitsToServer(const daemonServerLimits *lim, rpcServerConfig *cfg)
{
    rpcServerConfigInit(cfg);
    cfg->min_workers = lim->min_workers;
    cfg->max_workers = lim->max_workers;
    cfg->prio_workers = lim->prio_workers;
    cfg->max_clients = lim->max_clients;
    cfg->max_anonymous_clients = lim->max_anonymous_clients;
    cfg->max_client_requests = lim->max_client_requests;
    cfg->keepalive_interval = lim->keepalive_interval;
    cfg->keepalive_count = lim->keepalive_count;
}

static int
daemonServerSetup(mvDaemon *daemon, daemonServer *ds, const char *name, bool admin,
                  const daemonServerLimits *lim)
{
    rpcServerConfig cfg;

    daemonLimitsToServer(lim, &cfg);
    ds->daemon = daemon;
    ds->name = name;
    ds->admin = admin;
    ds->clients = g_ptr_array_new();
    if (!(ds->srv = rpcServerNew(name, &cfg)))
        return -1;
    if (rpcServerAddProgram(ds->srv, admin ? &adminProgram : &remoteProgram) < 0)
        return -1;
    rpcServerSetClientHooks(ds->srv, daemonClientNew, daemonClientFree, ds);
    rpcServerSetClientCountHook(ds->srv, daemonClientCountChanged, ds);
    return 0;
}

static int
daemonAddListeners(mvDaemon *daemon, daemonSockets *socks)
{
    g_autofree char *nRW = g_strdup_printf("%s-sock", daemon->spec->socketPrefix);
    g_autofree char *nRO = g_strdup_printf("%s-sock-ro", daemon->spec->socketPrefix);
    g_autofree char *nAdmin = g_strdup_printf("%s-admin-sock", daemon->spec->socketPrefix);
    int fd;

    fd = g_steal_fd(&socks->fd[DAEMON_SOCK_RW]);
    if (rpcServerAddListener(daemon->main.srv, fd, 0, nRW) < 0)
        return -1;
    if (socks->fd[DAEMON_SOCK_RO] >= 0) {
        fd = g_steal_fd(&socks->fd[DAEMON_SOCK_RO]);
        if (rpcServerAddListener(daemon->main.srv, fd, RPC_LISTENER_READONLY, nRO) < 0)
            return -1;
    }
    fd = g_steal_fd(&socks->fd[DAEMON_SOCK_ADMIN]);
    if (rpcServerAddListener(daemon->adminServer.srv, fd, 0, nAdmin) < 0)
        return -1;
    return 0;
}

/* --- signals ------------------------------------------------------------ */

static gboolean
daemonOnQuitSignal(gpointer opaque)
{
    mvDaemon *daemon = opaque;

    MV_INFO("%s", "received a termination signal, shutting down");
    daemon->quitting = true;
    g_main_loop_quit(daemon->loop);
    return G_SOURCE_CONTINUE;
}

static gboolean
daemonOnHangup(gpointer opaque)
{
    MV_INFO("%s", "SIGHUP received: nothing to reload yet, ignoring");
    return G_SOURCE_CONTINUE;
}

/* --- run ---------------------------------------------------------------- */

static void
daemonFree(mvDaemon *daemon)
{
    daemonServer *servers[] = { &daemon->main, &daemon->adminServer };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(servers); i++) {
        g_clear_pointer(&servers[i]->srv, rpcServerFree);
        g_clear_pointer(&servers[i]->clients, g_ptr_array_unref);
    }
    if (daemon->idleTimer)
        g_source_remove(daemon->idleTimer);
    g_clear_pointer(&daemon->loop, g_main_loop_unref);
    g_clear_pointer(&daemon->config, daemonConfigFree);
    g_clear_pointer(&daemon->paths, daemonPathsFree);
    g_free(daemon->defaultURI);
    g_mutex_clear(&daemon->lock);
    g_free(daemon);
}

static void
daemonReportStartupError(const mvDaemonSpec *spec)
{
    virErrorPtr err = mvErrorGetLast();

    fprintf(stderr, "%s: error: %s\n", spec->name,
            err && err->message ? err->message : "unknown failure (no error reported)");
}

/* Everything one run holds, so that a failure at any step of the start-up
 * can simply return and daemonRunFinish() undoes what was done. */
typedef struct {
    const mvDaemonSpec *spec;
    daemonArgs args;
    mvDaemon *daemon;
    daemonSockets socks;
    int pidFd;
    int statusFd;             /* --daemon: the pipe to the waiting parent */
    char *pidFile;
    bool driverStarted;
} daemonRun;

static int
daemonRunStart(daemonRun *run, int argc, char **argv)
{
    const mvDaemonSpec *spec = run->spec;
    mvDaemon *daemon = run->daemon;
    g_auto(GStrv) unknown = NULL;
    g_auto(GStrv) envp = g_get_environ();
    mvDriverStateConfig stateCfg = { 0 };
    const char *configFile;
    size_t i;

    daemon->privileged = daemon->uid == 0 && !run->args.session;
    daemon->defaultURI = g_strdup_printf("%s:///%s", spec->uriScheme,
                                         daemon->privileged ? "system" : "session");
    daemon->paths = daemonPathsNew(spec->configFile, spec->socketPrefix, daemon->privileged,
                                   (const char * const *)envp);

    /* config: errors name file, line and key */
    daemon->config = daemonConfigNew();
    configFile = run->args.configFile ? run->args.configFile : daemon->paths->configFile;
    if (daemonConfigLoadFile(daemon->config, configFile, run->args.configFile != NULL,
                             &unknown) < 0)
        return -1;
    if (daemonSetupLogging(daemon->config, run->args.verbose) < 0)
        return -1;
    for (i = 0; unknown && unknown[i]; i++)
        MV_WARN("%s: unknown setting, ignoring", unknown[i]);
    if (daemon->config->unix_sock_dir)
        daemonPathsSetSockDir(daemon->paths, spec->socketPrefix,
                              daemon->config->unix_sock_dir);
    MV_INFO("%s %s starting in %s mode (config %s)", spec->name, MV_VERSION,
            daemon->privileged ? "system" : "session", configFile);

    if (run->args.daemonize && (run->statusFd = daemonFork()) < 0)
        return -1;

    if (daemonPathsMakeDirs(daemon->paths) < 0)
        return -1;
    if (run->args.pidFile)
        run->pidFile = g_strdup(run->args.pidFile);
    else if (daemon->privileged)
        run->pidFile = g_strdup_printf("%s/%s.pid", MV_RUNSTATEDIR, spec->name);
    else
        run->pidFile = g_strdup_printf("%s/%s.pid", daemon->paths->runDir, spec->name);
    if ((run->pidFd = daemonPidFileAcquire(run->pidFile, spec->name)) < 0)
        return -1;

    if (daemonSocketsSetup(&run->socks, spec, daemon->paths, daemon->config) < 0)
        return -1;

    mvSetInsideDaemon(true);
    virSetErrorFunc(NULL, daemonPublicErrorFunc);
    if (spec->stateDriver) {
        stateCfg.privileged = daemon->privileged;
        stateCfg.configDir = daemon->paths->configDir;
        stateCfg.stateDir = daemon->paths->stateDir;
        stateCfg.runDir = daemon->paths->runDir;
        stateCfg.cacheDir = daemon->paths->cacheDir;
        stateCfg.logDir = daemon->paths->logDir;
        if (spec->stateDriver->registerDriver && spec->stateDriver->registerDriver() < 0)
            return -1;
        run->driverStarted = true;
        if (spec->stateDriver->initialize && spec->stateDriver->initialize(&stateCfg) < 0)
            return -1;
    }

    daemon->ctx = g_main_context_default();
    daemon->loop = g_main_loop_new(daemon->ctx, FALSE);
    if (daemonServerSetup(daemon, &daemon->main, spec->name, false,
                          &daemon->config->srv) < 0 ||
        daemonServerSetup(daemon, &daemon->adminServer, "admin", true,
                          &daemon->config->admin) < 0)
        return -1;
    if (daemonAddListeners(daemon, &run->socks) < 0)
        return -1;

    signal(SIGPIPE, SIG_IGN);
    g_unix_signal_add(SIGTERM, daemonOnQuitSignal, daemon);
    g_unix_signal_add(SIGINT, daemonOnQuitSignal, daemon);
    g_unix_signal_add(SIGHUP, daemonOnHangup, daemon);

    if (rpcServerStart(daemon->main.srv, daemon->ctx) < 0 ||
        rpcServerStart(daemon->adminServer.srv, daemon->ctx) < 0)
        return -1;
    daemonIdleSetup(daemon, run->args.timeout);
    return 0;
}

static void
daemonRunLoop(daemonRun *run)
{
    mvDaemon *daemon = run->daemon;
    const daemonPaths *paths = daemon->paths;
    gint64 deadline;

    mvErrorSetHook(daemonErrorHook);
    (void)sd_notify(0, "READY=1");
    daemonForkReport(&run->statusFd, true);
    MV_INFO("%s ready: %s%s%s, admin %s", run->spec->name, paths->sockRW,
            paths->sockRO ? ", " : "", paths->sockRO ? paths->sockRO : "", paths->sockAdmin);

    g_main_loop_run(daemon->loop);

    (void)sd_notify(0, "STOPPING=1");
    rpcServerStopAccepting(daemon->main.srv);
    rpcServerStopAccepting(daemon->adminServer.srv);
    deadline = g_get_monotonic_time() + DAEMON_SHUTDOWN_GRACE_USEC;
    rpcServerShutdown(daemon->main.srv, deadline);
    rpcServerShutdown(daemon->adminServer.srv, deadline);
    mvErrorSetHook(NULL);
}

static void
daemonRunFinish(daemonRun *run, bool ok)
{
    daemonForkReport(&run->statusFd, ok);
    if (run->driverStarted && run->spec->stateDriver->cleanup)
        run->spec->stateDriver->cleanup();
    daemonSocketsCleanup(&run->socks);
    if (run->pidFd >= 0) {
        (void)unlink(run->pidFile);
        mvFDClear(&run->pidFd);
    }
    g_free(run->pidFile);
    daemonArgsClear(&run->args);
    daemonSelf = NULL;
    daemonFree(run->daemon);
}

int
mvDaemonRun(const mvDaemonSpec *spec, int argc, char **argv)
{
    daemonRun run = {
        .spec = spec,
        .socks = { .fd = { -1, -1, -1 } },
        .pidFd = -1,
        .statusFd = -1,
    };
    bool ok = false;

    run.daemon = g_new0(mvDaemon, 1);
    g_mutex_init(&run.daemon->lock);
    run.daemon->spec = spec;
    run.daemon->uid = geteuid();
    daemonSelf = run.daemon;

    if (daemonParseArgs(spec, argc, argv, &run.args) < 0) {
        daemonReportStartupError(spec);
    } else if (run.args.version) {
        printf("%s (modvirt) %s\n", spec->name, MV_VERSION);
        ok = true;
    } else if (daemonRunStart(&run, argc, argv) < 0) {
        daemonReportStartupError(spec);
    } else {
        daemonRunLoop(&run);
        ok = true;
    }
    daemonRunFinish(&run, ok);
    return ok ? 0 : 1;
}
