/*
 * qemu_capabilities_probe: asks one QEMU binary what it can do.
 *
 * The binary runs with "-machine none" and no devices; its QMP monitor is
 * one end of a socketpair handed over as fd 3, so there is no socket file to
 * create or clean up.  The whole conversation is one write: qmp_capabilities,
 * every query and a final quit, each with an id, written right after the
 * spawn (the kernel buffers it until QEMU reads).  Then the replies are read
 * in order with an incremental json-c tokener, QEMU exits on its own, and
 * its stdout+stderr (one pipe) are kept for error messages.  A single
 * deadline covers everything; on any failure the child is killed and
 * reaped before returning, so no process outlives a probe.
 *
 * Nothing here touches a main loop: it is plain blocking I/O with poll(),
 * meant for a worker thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>
#include <json-c/json.h>

#include "mv_error.h"
#include "mv_fd.h"
#include "mv_log.h"
#include "qemu_capabilities.h"

#define MV_FROM_THIS VIR_FROM_QEMU
MV_LOG_INIT("qemu.qemu_capabilities_probe");

#define PROBE_TIMEOUT_US (30 * G_USEC_PER_SEC)
#define PROBE_EXIT_WAIT_US (5 * G_USEC_PER_SEC)
#define PROBE_MAX_QMP_BYTES (64 * 1024 * 1024)
#define PROBE_MAX_OUTPUT_BYTES (16 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_tokener, json_tokener_free)

static gint probeCount;
static gint probeTimeoutMs = PROBE_TIMEOUT_US / 1000;

void
mvQemuCapsProbeSetTimeout(unsigned int ms)
{
    g_atomic_int_set(&probeTimeoutMs, ms ? (gint)ms : PROBE_TIMEOUT_US / 1000);
}

unsigned int
mvQemuCapsProbeCount(void)
{
    return (unsigned int)g_atomic_int_get(&probeCount);
}

/* ---- architecture names ---- */

typedef struct {
    const char *qemu;           /* qemu-system-<qemu> and query-target */
    const char *arch;           /* libvirt's name */
    unsigned int wordsize;
} probeArch;

/* In libvirt's arch enum order, which is the order of <guest> elements. */
static const probeArch probeArchs[] = {
    { "alpha", "alpha", 64 },
    { "arm", "armv7l", 32 },
    { "aarch64", "aarch64", 64 },
    { "i386", "i686", 32 },
    { "mips", "mips", 32 },
    { "mipsel", "mipsel", 32 },
    { "mips64", "mips64", 64 },
    { "mips64el", "mips64el", 64 },
    { "ppc", "ppc", 32 },
    { "ppc64", "ppc64", 64 },
    { "riscv32", "riscv32", 32 },
    { "riscv64", "riscv64", 64 },
    { "s390x", "s390x", 64 },
    { "sparc", "sparc", 32 },
    { "sparc64", "sparc64", 64 },
    { "x86_64", "x86_64", 64 },
    { "loongarch64", "loongarch64", 64 },
};

const char *
mvQemuCapsArchNth(unsigned int i)
{
    return i < G_N_ELEMENTS(probeArchs) ? probeArchs[i].arch : NULL;
}

const char *
mvQemuCapsArchFromQEMU(const char *qemuArch)
{
    for (size_t i = 0; qemuArch && i < G_N_ELEMENTS(probeArchs); i++) {
        if (strcmp(probeArchs[i].qemu, qemuArch) == 0)
            return probeArchs[i].arch;
    }
    return NULL;
}

const char *
mvQemuCapsArchToQEMU(const char *arch)
{
    for (size_t i = 0; arch && i < G_N_ELEMENTS(probeArchs); i++) {
        if (strcmp(probeArchs[i].arch, arch) == 0)
            return probeArchs[i].qemu;
    }
    return NULL;
}

unsigned int
mvQemuCapsArchWordSize(const char *arch)
{
    for (size_t i = 0; arch && i < G_N_ELEMENTS(probeArchs); i++) {
        if (strcmp(probeArchs[i].arch, arch) == 0)
            return probeArchs[i].wordsize;
    }
    return 0;
}

const char *
mvQemuCapsHostArch(void)
{
    static char *hostArch;

    if (g_once_init_enter(&hostArch)) {
        struct utsname u;
        const char *arch = "x86_64";

        if (uname(&u) == 0) {
            if (g_str_has_prefix(u.machine, "i") && g_str_has_suffix(u.machine, "86"))
                arch = "i686";
            else if (strcmp(u.machine, "arm64") == 0)
                arch = "aarch64";
            else if (g_str_has_prefix(u.machine, "armv7"))
                arch = "armv7l";
            else
                arch = u.machine;
        }
        g_once_init_leave(&hostArch, g_strdup(arch));
    }
    return hostArch;
}

/* ---- the child process ---- */

typedef struct {
    GPid pid;                   /* 0 once reaped */
    int mon;                    /* our end of the socketpair */
    int out;                    /* read end of QEMU's stdout+stderr */
    GString *output;            /* what QEMU printed, bounded */
    gint64 deadline;            /* monotonic, us */
} probeChild;

static void
probeChildKill(probeChild *child)
{
    if (child->pid > 0) {
        int status;
        kill(child->pid, SIGKILL);
        while (waitpid(child->pid, &status, 0) < 0 && errno == EINTR)
            ;
        child->pid = 0;
    }
}

static void
probeChildClear(probeChild *child)
{
    probeChildKill(child);
    mvFDClear(&child->mon);
    mvFDClear(&child->out);
    if (child->output)
        g_string_free(child->output, TRUE);
    child->output = NULL;
}

/* Moves whatever QEMU printed into child->output.  Returns 1 when data was
 * read, 0 at EOF (or error: the pipe is closed), -1 when nothing is
 * available right now. */
static int
probeChildDrainOutput(probeChild *child)
{
    char buf[4096];
    ssize_t n;

    if (child->out < 0)
        return 0;
    n = read(child->out, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return -1;
    if (n <= 0) {
        mvFDClear(&child->out);
        return 0;
    }
    if (child->output->len < PROBE_MAX_OUTPUT_BYTES)
        g_string_append_len(child->output, buf,
                            MIN((gsize)n, PROBE_MAX_OUTPUT_BYTES - child->output->len));
    return 1;
}

/* QEMU's output as one line for an error message. */
static char *
probeChildOutputText(probeChild *child)
{
    g_autofree char *text = NULL;

    while (probeChildDrainOutput(child) > 0)
        ;
    text = g_strdup(child->output ? child->output->str : "");
    g_strstrip(text);
    g_strdelimit(text, "\n", ' ');
    if (!*text)
        return g_strdup("no output");
    return g_steal_pointer(&text);
}

static int
probeChildSpawn(probeChild *child, const char *binary, const char *machineArg)
{
    int sv[2] = { -1, -1 };
    int pipefd[2] = { -1, -1 };
    MV_AUTOCLOSE int qemuEnd = -1;
    MV_AUTOCLOSE int outWrite = -1;
    g_autoptr(GError) gerr = NULL;
    const char *argv[] = {
        binary, "-S", "-no-user-config", "-nodefaults", "-nographic",
        "-machine", machineArg,
        "-chardev", "socket,id=mvmon,fd=3",
        "-mon", "chardev=mvmon,mode=control",
        NULL
    };
    const char *envp[] = { "LC_ALL=C", "PATH=/usr/bin:/bin", NULL };
    gint sourceFds[1];
    gint targetFds[1] = { 3 };

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        mvReportSystemError(errno, "%s", "cannot create a socket pair for the QEMU monitor");
        return -1;
    }
    child->mon = sv[0];
    qemuEnd = sv[1];
    /* glib maps source fds onto targets; keep the source off the target
     * number so the mapping is a plain dup2 */
    if (qemuEnd == 3) {
        int moved = fcntl(qemuEnd, F_DUPFD_CLOEXEC, 10);
        if (moved < 0) {
            mvReportSystemError(errno, "%s", "cannot move the QEMU monitor fd");
            return -1;
        }
        mvFDClear(&qemuEnd);
        qemuEnd = moved;
    }
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        mvReportSystemError(errno, "%s", "cannot create a pipe for QEMU's output");
        return -1;
    }
    child->out = pipefd[0];
    outWrite = pipefd[1];
    sourceFds[0] = qemuEnd;

    if (!g_spawn_async_with_pipes_and_fds(NULL, argv, envp,
                                          G_SPAWN_DO_NOT_REAP_CHILD |
                                          G_SPAWN_STDIN_FROM_DEV_NULL,
                                          NULL, NULL,
                                          -1, outWrite, outWrite,
                                          sourceFds, targetFds, 1,
                                          &child->pid, NULL, NULL, NULL, &gerr)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "cannot run QEMU binary '%s' to probe its capabilities: %s",
                      binary, gerr->message);
        child->pid = 0;
        return -1;
    }
    g_unix_set_fd_nonblocking(child->out, TRUE, NULL);
    return 0;
}

/* ---- QMP ---- */

/* The queries, in the order they are sent; replies come back in order. */
typedef enum {
    PROBE_Q_CAPABILITIES,
    PROBE_Q_VERSION,
    PROBE_Q_TARGET,
    PROBE_Q_KVM,
    PROBE_Q_MACHINES,
    PROBE_Q_CPU_DEFINITIONS,
    PROBE_Q_TYPES,
    PROBE_Q_OPTIONS,
    PROBE_Q_QUIT,
    PROBE_Q_LAST
} probeQuery;

static const char * const probeQueryNames[PROBE_Q_LAST] = {
    "qmp_capabilities",
    "query-version",
    "query-target",
    "query-kvm",
    "query-machines",
    "query-cpu-definitions",
    "qom-list-types",
    "query-command-line-options",
    "quit",
};

/* Commands whose failure is not fatal (older QEMUs or arches without them). */
static bool
probeQueryOptional(probeQuery q)
{
    return q == PROBE_Q_KVM || q == PROBE_Q_CPU_DEFINITIONS || q == PROBE_Q_OPTIONS;
}

/* Waits for QEMU to exit after "quit"; kills it at the deadline. */
static void
probeChildWait(probeChild *child)
{
    gint64 limit = g_get_monotonic_time() + PROBE_EXIT_WAIT_US;

    while (child->pid > 0) {
        int status;
        pid_t r = waitpid(child->pid, &status, WNOHANG);

        if (r == child->pid || (r < 0 && errno != EINTR)) {
            child->pid = 0;
            break;
        }
        if (g_get_monotonic_time() > limit) {
            MV_WARN("QEMU probe process %d did not exit after quit, killing it", child->pid);
            probeChildKill(child);
            break;
        }
        g_usleep(1000);
    }
}

static int
probeWriteAll(probeChild *child, const char *data, size_t len, const char *binary)
{
    while (len > 0) {
        ssize_t n = send(child->mon, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EPIPE) {
            g_autofree char *out = NULL;
            probeChildWait(child);
            out = probeChildOutputText(child);
            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "QEMU binary '%s' exited while its capabilities were probed: %s",
                          binary, out);
            return -1;
        }
        if (n < 0) {
            mvReportSystemError(errno, "cannot talk to QEMU binary '%s' while probing it",
                                binary);
            return -1;
        }
        data += n;
        len -= n;
    }
    return 0;
}

/* Reads until every reply has arrived; replies[q] gets each "return"
 * (or NULL plus an error class in errors[q]). */
static int
probeReadReplies(probeChild *child, const char *binary,
                 json_object **replies, char **errors)
{
    g_autoptr(GString) pending = g_string_new(NULL);
    g_autoptr(json_tokener) tok = json_tokener_new();
    size_t total = 0;
    unsigned int got = 0;

    while (got < PROBE_Q_LAST) {
        struct pollfd fds[2] = {
            { .fd = child->mon, .events = POLLIN },
            { .fd = child->out, .events = POLLIN },
        };
        gint64 now = g_get_monotonic_time();
        char buf[65536];
        ssize_t n;
        int rc;

        if (now >= child->deadline) {
            g_autofree char *out = probeChildOutputText(child);
            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "timed out probing QEMU binary '%s' (QEMU said: %s)", binary, out);
            return -1;
        }
        rc = poll(fds, child->out >= 0 ? 2 : 1, (child->deadline - now) / 1000 + 1);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0) {
            mvReportSystemError(errno, "%s", "poll failed while probing QEMU");
            return -1;
        }
        if (child->out >= 0 && fds[1].revents)
            probeChildDrainOutput(child);
        if (!fds[0].revents)
            continue;

        n = read(child->mon, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            g_autofree char *out = NULL;
            /* give QEMU a moment to finish printing why it stopped */
            for (int i = 0; i < 50 && child->out >= 0; i++) {
                struct pollfd pfd = { .fd = child->out, .events = POLLIN };
                if (poll(&pfd, 1, 20) > 0 && probeChildDrainOutput(child) == 0)
                    break;
            }
            out = probeChildOutputText(child);
            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "QEMU binary '%s' exited while its capabilities were probed: %s",
                          binary, out);
            return -1;
        }
        total += n;
        if (total > PROBE_MAX_QMP_BYTES) {
            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "QEMU binary '%s' sent more than %d bytes of QMP replies",
                          binary, PROBE_MAX_QMP_BYTES);
            return -1;
        }

        g_string_append_len(pending, buf, n);
        /* take every complete message out of the buffer */
        while (pending->len > 0 && got < PROBE_Q_LAST) {
            json_object *msg = json_tokener_parse_ex(tok, pending->str, pending->len);
            enum json_tokener_error jerr = json_tokener_get_error(tok);
            size_t used = json_tokener_get_parse_end(tok);
            json_object *id;
            json_object *val;

            if (!msg && jerr == json_tokener_continue) {
                g_string_truncate(pending, 0);
                break;
            }
            if (!msg) {
                mvReportError(VIR_ERR_INTERNAL_ERROR,
                              "QEMU binary '%s' sent malformed QMP data: %s",
                              binary, json_tokener_error_desc(jerr));
                return -1;
            }
            g_string_erase(pending, 0, used);
            json_tokener_reset(tok);

            if (json_object_object_get_ex(msg, "id", &id)) {
                int q = json_object_get_int(id);
                if (q >= 0 && q < PROBE_Q_LAST && !replies[q] && !errors[q]) {
                    if (json_object_object_get_ex(msg, "return", &val)) {
                        replies[q] = json_object_get(val);
                    } else {
                        json_object *e = NULL;
                        json_object *desc = NULL;
                        json_object_object_get_ex(msg, "error", &e);
                        if (e)
                            json_object_object_get_ex(e, "desc", &desc);
                        errors[q] = g_strdup(desc ? json_object_get_string(desc)
                                                  : "unknown error");
                    }
                    got++;
                }
            }
            /* the greeting and events carry no id: skipped */
            json_object_put(msg);
            /* skip the CR LF between messages */
            while (pending->len > 0 && g_ascii_isspace(pending->str[0]))
                g_string_erase(pending, 0, 1);
        }
    }
    return 0;
}

/* ---- filling the caps ---- */

static const char *
probeGetString(json_object *obj, const char *key)
{
    json_object *v;

    if (!obj || !json_object_object_get_ex(obj, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static bool
probeGetBool(json_object *obj, const char *key)
{
    json_object *v;

    return obj && json_object_object_get_ex(obj, key, &v) && json_object_get_boolean(v);
}

static gint64
probeGetInt(json_object *obj, const char *key)
{
    json_object *v;

    if (!obj || !json_object_object_get_ex(obj, key, &v))
        return 0;
    return json_object_get_int64(v);
}

static int
probeFillVersion(mvQemuCaps *caps, json_object *ret, const char *binary)
{
    json_object *qemu = NULL;
    const char *package = probeGetString(ret, "package");

    if (!json_object_object_get_ex(ret, "qemu", &qemu)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "QEMU binary '%s' gave no version in query-version", binary);
        return -1;
    }
    caps->version = probeGetInt(qemu, "major") * 1000000 +
                    probeGetInt(qemu, "minor") * 1000 +
                    probeGetInt(qemu, "micro");
    g_free(caps->package);
    caps->package = g_strstrip(g_strdup(package ? package : ""));
    return 0;
}

static void
probeFillMachines(mvQemuCaps *caps, json_object *ret)
{
    size_t n = json_object_is_type(ret, json_type_array) ? json_object_array_length(ret) : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *m = json_object_array_get_idx(ret, i);
        const char *name = probeGetString(m, "name");
        mvQemuCapsMachine *machine;

        /* "none" is the probe's own machine, never one for guests */
        if (!name || strcmp(name, "none") == 0)
            continue;
        machine = g_new0(mvQemuCapsMachine, 1);
        machine->name = g_strdup(name);
        machine->alias = g_strdup(probeGetString(m, "alias"));
        machine->isDefault = probeGetBool(m, "is-default");
        machine->maxCpus = probeGetInt(m, "cpu-max");
        machine->deprecated = probeGetBool(m, "deprecated");
        machine->defaultCPUType = g_strdup(probeGetString(m, "default-cpu-type"));
        machine->defaultRAMId = g_strdup(probeGetString(m, "default-ram-id"));
        mvQemuCapsAddMachine(caps, machine);
    }
}

static void
probeFillCPUModels(mvQemuCaps *caps, json_object *ret)
{
    size_t n = json_object_is_type(ret, json_type_array) ? json_object_array_length(ret) : 0;

    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(ret, i);
        const char *name = probeGetString(c, "name");
        json_object *unavail = NULL;
        mvQemuCapsCPUModel *model;

        if (!name)
            continue;
        model = g_new0(mvQemuCapsCPUModel, 1);
        model->name = g_strdup(name);
        model->typeName = g_strdup(probeGetString(c, "typename"));
        model->deprecated = probeGetBool(c, "deprecated");
        /* without the list QEMU cannot tell; libvirt then calls it usable */
        model->usable = !json_object_object_get_ex(c, "unavailable-features", &unavail) ||
                        json_object_array_length(unavail) == 0;
        mvQemuCapsAddCPUModel(caps, model);
    }
}

static void
probeFillTypes(mvQemuCaps *caps, json_object *ret)
{
    size_t n = json_object_is_type(ret, json_type_array) ? json_object_array_length(ret) : 0;

    for (size_t i = 0; i < n; i++) {
        const char *name = probeGetString(json_object_array_get_idx(ret, i), "name");
        if (name)
            g_hash_table_add(caps->types, g_strdup(name));
    }
}

static void
probeFillOptions(mvQemuCaps *caps, json_object *ret)
{
    size_t n = json_object_is_type(ret, json_type_array) ? json_object_array_length(ret) : 0;

    for (size_t i = 0; i < n; i++) {
        const char *name = probeGetString(json_object_array_get_idx(ret, i), "option");
        if (name && *name)
            g_hash_table_add(caps->options, g_strdup(name));
    }
}

static mvQemuCaps *
probeBuildCaps(const char *binary, json_object **replies)
{
    g_autoptr(mvQemuCaps) caps = mvQemuCapsNew();
    const char *qarch = probeGetString(replies[PROBE_Q_TARGET], "arch");
    const char *arch = mvQemuCapsArchFromQEMU(qarch);

    if (!arch) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "QEMU binary '%s' emulates architecture '%s', which is not supported",
                      binary, qarch ? qarch : "(none)");
        return NULL;
    }
    caps->binary = g_strdup(binary);
    caps->arch = g_strdup(arch);
    if (probeFillVersion(caps, replies[PROBE_Q_VERSION], binary) < 0)
        return NULL;
    caps->kvm = probeGetBool(replies[PROBE_Q_KVM], "enabled") &&
                probeGetBool(replies[PROBE_Q_KVM], "present");
    probeFillMachines(caps, replies[PROBE_Q_MACHINES]);
    probeFillCPUModels(caps, replies[PROBE_Q_CPU_DEFINITIONS]);
    probeFillTypes(caps, replies[PROBE_Q_TYPES]);
    probeFillOptions(caps, replies[PROBE_Q_OPTIONS]);
    caps->tcg = mvQemuCapsHasType(caps, "tcg-accel");
    if (caps->machines->len == 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "QEMU binary '%s' reports no machine types", binary);
        return NULL;
    }
    return g_steal_pointer(&caps);
}

/* Everything one probe holds; released by probeStateClear(). */
typedef struct {
    probeChild child;
    json_object *replies[PROBE_Q_LAST];
    char *errors[PROBE_Q_LAST];
} probeState;

static void
probeStateClear(probeState *st)
{
    probeChildClear(&st->child);
    for (int q = 0; q < PROBE_Q_LAST; q++) {
        if (st->replies[q])
            json_object_put(st->replies[q]);
        g_free(st->errors[q]);
    }
}

static mvQemuCaps *
probeRun(probeState *st, const char *binary, const char *machineArg)
{
    g_autoptr(GString) request = g_string_new(NULL);

    for (int q = 0; q < PROBE_Q_LAST; q++)
        g_string_append_printf(request, "{\"execute\":\"%s\",\"id\":%d}\r\n",
                               probeQueryNames[q], q);

    if (probeChildSpawn(&st->child, binary, machineArg) < 0 ||
        probeWriteAll(&st->child, request->str, request->len, binary) < 0 ||
        probeReadReplies(&st->child, binary, st->replies, st->errors) < 0)
        return NULL;

    for (int q = 0; q < PROBE_Q_LAST; q++) {
        if (st->errors[q] && !probeQueryOptional(q)) {
            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "QEMU binary '%s' refused '%s' while being probed: %s",
                          binary, probeQueryNames[q], st->errors[q]);
            return NULL;
        }
    }
    probeChildWait(&st->child);
    return probeBuildCaps(binary, st->replies);
}

/* A KVM that cannot offer even qemu64's CPUID features (seen in some
 * nested sandboxes: /dev/kvm opens, query-kvm says enabled, guests never
 * run) is no KVM at all for libvirt's purposes.  On such a host the probe
 * runs a second time with TCG only, so CPU usability is TCG's. */
static bool
probeKVMBroken(const mvQemuCaps *caps)
{
    const mvQemuCapsCPUModel *model;

    if (!caps->kvm || (strcmp(caps->arch, "x86_64") != 0 && strcmp(caps->arch, "i686") != 0))
        return false;
    /* the i386 target has no long mode, so its baseline is qemu32 */
    model = mvQemuCapsGetCPUModel(caps, strcmp(caps->arch, "i686") == 0 ? "qemu32" : "qemu64");
    return model && !model->usable;
}

static mvQemuCaps *
probeOnce(const char *binary, const char *machineArg)
{
    probeState st = { .child = { .mon = -1, .out = -1 } };
    mvQemuCaps *caps;

    st.child.output = g_string_new(NULL);
    st.child.deadline = g_get_monotonic_time() +
                        (gint64)g_atomic_int_get(&probeTimeoutMs) * 1000;
    caps = probeRun(&st, binary, machineArg);
    probeStateClear(&st);
    return caps;
}

mvQemuCaps *
mvQemuCapsProbe(const char *binary, const char *tmpDir G_GNUC_UNUSED)
{
    gint64 start = g_get_monotonic_time();
    mvQemuCaps *caps;

    g_atomic_int_inc(&probeCount);
    caps = probeOnce(binary, "none,accel=kvm:tcg");

    if (caps && probeKVMBroken(caps)) {
        MV_WARN("KVM on this host cannot run QEMU's baseline CPU model; "
                "treating '%s' as TCG only", binary);
        mvQemuCapsUnref(caps);
        caps = probeOnce(binary, "none,accel=tcg");
        if (caps)
            caps->kvm = false;
    }
    if (caps)
        MV_DEBUG("probed '%s' in %" G_GINT64_FORMAT " us: %u machines, %u CPU models, "
                 "%u types", binary, g_get_monotonic_time() - start,
                 caps->machines->len, caps->cpuModels->len,
                 g_hash_table_size(caps->types));
    return caps;
}
