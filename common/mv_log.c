/*
 * mv_log: see mv_log.h.  The settings live in one structure guarded by a
 * mutex; a message is formatted once and handed to each output whose
 * priority it meets.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <systemd/sd-journal.h>

#include "mv_error.h"
#include "mv_log.h"

#define MV_FROM_THIS VIR_FROM_LOGGING

typedef enum {
    MV_LOG_TO_STDERR,
    MV_LOG_TO_FILE,
    MV_LOG_TO_JOURNALD,
} mvLogDest;

typedef struct {
    int prio;
    mvLogDest dest;
    char *path;
    int fd;
} mvLogOutput;

typedef struct {
    int prio;
    char *match;
} mvLogFilter;

static GMutex mvLogLock;
static int mvLogDefaultPrio = MV_LOG_WARN;
static GArray *mvLogFilters;   /* of mvLogFilter */
static GArray *mvLogOutputs;   /* of mvLogOutput; NULL = stderr at default prio */
static int mvLogMinPrio = MV_LOG_WARN; /* cheapest test in mvLogWouldLog */

static void
mvLogOutputClear(gpointer p)
{
    mvLogOutput *o = p;

    if (o->fd >= 0 && o->dest == MV_LOG_TO_FILE)
        close(o->fd);
    g_free(o->path);
}

static void
mvLogFilterClear(gpointer p)
{
    mvLogFilter *f = p;

    g_free(f->match);
}

/* Must hold mvLogLock. */
static void
mvLogRecomputeMin(void)
{
    int min = mvLogDefaultPrio;
    guint i;

    if (mvLogFilters) {
        for (i = 0; i < mvLogFilters->len; i++)
            min = MIN(min, g_array_index(mvLogFilters, mvLogFilter, i).prio);
    }
    mvLogMinPrio = min;
}

static int
mvLogParsePrio(const char *s, const char **end)
{
    if (s[0] < '1' || s[0] > '4' || s[1] != ':')
        return -1;
    *end = s + 2;
    return s[0] - '0';
}

int
mvLogSetDefaultPriority(int prio)
{
    if (prio < MV_LOG_DEBUG || prio > MV_LOG_ERROR) {
        mvReportError(VIR_ERR_INVALID_ARG,
                      "log level %d is out of range: use 1 (debug) to 4 (error)", prio);
        return -1;
    }
    g_mutex_lock(&mvLogLock);
    mvLogDefaultPrio = prio;
    mvLogRecomputeMin();
    g_mutex_unlock(&mvLogLock);
    return 0;
}

int
mvLogGetDefaultPriority(void)
{
    return mvLogDefaultPrio;
}

int
mvLogSetFilters(const char *filters)
{
    g_autoptr(GArray) list = g_array_new(FALSE, TRUE, sizeof(mvLogFilter));
    g_auto(GStrv) words = NULL;
    size_t i;

    g_array_set_clear_func(list, mvLogFilterClear);
    words = g_strsplit_set(filters ? filters : "", " \t\n", -1);
    for (i = 0; words[i]; i++) {
        const char *rest;
        mvLogFilter f = { 0 };
        int prio;

        if (!*words[i])
            continue;
        if ((prio = mvLogParsePrio(words[i], &rest)) < 0 || !*rest) {
            mvReportError(VIR_ERR_CONF_SYNTAX,
                          "log filter '%s' is not of the form LEVEL:NAME with LEVEL 1-4",
                          words[i]);
            return -1;
        }
        if (*rest == '+')
            rest++;
        f.prio = prio;
        f.match = g_strdup(rest);
        g_array_append_val(list, f);
    }
    g_mutex_lock(&mvLogLock);
    g_clear_pointer(&mvLogFilters, g_array_unref);
    mvLogFilters = g_steal_pointer(&list);
    mvLogRecomputeMin();
    g_mutex_unlock(&mvLogLock);
    return 0;
}

int
mvLogSetOutputs(const char *outputs)
{
    g_autoptr(GArray) list = g_array_new(FALSE, TRUE, sizeof(mvLogOutput));
    g_auto(GStrv) words = NULL;
    size_t i;

    g_array_set_clear_func(list, mvLogOutputClear);
    words = g_strsplit_set(outputs ? outputs : "", " \t\n", -1);
    for (i = 0; words[i]; i++) {
        const char *rest;
        mvLogOutput o = { .fd = -1 };
        int prio;

        if (!*words[i])
            continue;
        if ((prio = mvLogParsePrio(words[i], &rest)) < 0)
            goto bad;
        o.prio = prio;
        if (g_str_equal(rest, "stderr")) {
            o.dest = MV_LOG_TO_STDERR;
            o.fd = STDERR_FILENO;
        } else if (g_str_equal(rest, "journald")) {
            o.dest = MV_LOG_TO_JOURNALD;
        } else if (g_str_has_prefix(rest, "file:") && rest[5] == '/') {
            o.dest = MV_LOG_TO_FILE;
            o.path = g_strdup(rest + 5);
            o.fd = open(o.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
            if (o.fd < 0) {
                mvReportSystemError(errno, "cannot open log file '%s'", o.path);
                g_free(o.path);
                return -1;
            }
        } else if (g_str_has_prefix(rest, "syslog:")) {
            /* syslog is served through the journal on systemd hosts */
            o.dest = MV_LOG_TO_JOURNALD;
        } else {
            goto bad;
        }
        g_array_append_val(list, o);
        continue;
 bad:
        mvReportError(VIR_ERR_CONF_SYNTAX,
                      "log output '%s' is not one of LEVEL:stderr, LEVEL:file:/ABS/PATH, "
                      "LEVEL:journald with LEVEL 1-4", words[i]);
        return -1;
    }
    g_mutex_lock(&mvLogLock);
    g_clear_pointer(&mvLogOutputs, g_array_unref);
    if (list->len)
        mvLogOutputs = g_steal_pointer(&list);
    g_mutex_unlock(&mvLogLock);
    return 0;
}

char *
mvLogGetFilters(void)
{
    GString *s = g_string_new(NULL);
    guint i;

    g_mutex_lock(&mvLogLock);
    for (i = 0; mvLogFilters && i < mvLogFilters->len; i++) {
        mvLogFilter *f = &g_array_index(mvLogFilters, mvLogFilter, i);
        g_string_append_printf(s, "%s%d:%s", i ? " " : "", f->prio, f->match);
    }
    g_mutex_unlock(&mvLogLock);
    return g_string_free(s, FALSE);
}

char *
mvLogGetOutputs(void)
{
    GString *s = g_string_new(NULL);
    guint i;

    g_mutex_lock(&mvLogLock);
    if (!mvLogOutputs) {
        g_string_append_printf(s, "%d:stderr", mvLogDefaultPrio);
    } else {
        for (i = 0; i < mvLogOutputs->len; i++) {
            mvLogOutput *o = &g_array_index(mvLogOutputs, mvLogOutput, i);
            const char *what = o->dest == MV_LOG_TO_STDERR ? "stderr" :
                               o->dest == MV_LOG_TO_JOURNALD ? "journald" : "file:";
            g_string_append_printf(s, "%s%d:%s%s", i ? " " : "", o->prio, what,
                                   o->path ? o->path : "");
        }
    }
    g_mutex_unlock(&mvLogLock);
    return g_string_free(s, FALSE);
}

/* Must hold mvLogLock: the priority that applies to @name. */
static int
mvLogPrioFor(const char *name)
{
    guint i;

    for (i = 0; mvLogFilters && i < mvLogFilters->len; i++) {
        mvLogFilter *f = &g_array_index(mvLogFilters, mvLogFilter, i);
        if (strstr(name, f->match))
            return f->prio;
    }
    return mvLogDefaultPrio;
}

bool
mvLogWouldLog(const mvLogSource *src, mvLogPriority prio)
{
    return (int)prio >= mvLogMinPrio;
}

static const char *
mvLogPrioName(mvLogPriority prio)
{
    switch (prio) {
    case MV_LOG_DEBUG: return "debug";
    case MV_LOG_INFO: return "info";
    case MV_LOG_WARN: return "warning";
    case MV_LOG_ERROR: return "error";
    }
    return "?";
}

void
mvLogMessage(const mvLogSource *src, mvLogPriority prio, const char *file,
             int line, const char *func, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    g_autofree char *full = NULL;
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *stamp = g_date_time_format(now, "%F %T");
    int saved = errno;
    va_list ap;
    guint i;

    g_mutex_lock(&mvLogLock);
    if ((int)prio < mvLogPrioFor(src->name)) {
        g_mutex_unlock(&mvLogLock);
        errno = saved;
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    full = g_strdup_printf("%s.%03d+0000: %d: %s : %s : %s:%d : %s\n", stamp,
                           g_date_time_get_microsecond(now) / 1000, (int)gettid(),
                           mvLogPrioName(prio), src->name, func, line, msg);
    if (!mvLogOutputs) {
        if ((int)prio >= mvLogDefaultPrio)
            (void)!write(STDERR_FILENO, full, strlen(full));
    } else {
        for (i = 0; i < mvLogOutputs->len; i++) {
            mvLogOutput *o = &g_array_index(mvLogOutputs, mvLogOutput, i);
            if ((int)prio < o->prio)
                continue;
            switch (o->dest) {
            case MV_LOG_TO_STDERR:
            case MV_LOG_TO_FILE:
                (void)!write(o->fd, full, strlen(full));
                break;
            case MV_LOG_TO_JOURNALD: {
                int jp = prio == MV_LOG_ERROR ? 3 : prio == MV_LOG_WARN ? 4 :
                         prio == MV_LOG_INFO ? 6 : 7;
                (void)sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", jp,
                                      "MODVIRT_SOURCE=%s", src->name,
                                      "CODE_FILE=%s", file, "CODE_LINE=%d", line,
                                      "CODE_FUNC=%s", func, NULL);
                break;
            }
            }
        }
    }
    g_mutex_unlock(&mvLogLock);
    errno = saved;
}

void
mvLogSetFromEnv(void)
{
    const char *v;

    if ((v = g_getenv("LIBVIRT_DEBUG")) && *v) {
        int p = atoi(v);
        if (p >= 1 && p <= 4)
            (void)mvLogSetDefaultPriority(p);
        else
            (void)mvLogSetDefaultPriority(MV_LOG_DEBUG);
    }
    if ((v = g_getenv("LIBVIRT_LOG_FILTERS")) && *v)
        (void)mvLogSetFilters(v);
    if ((v = g_getenv("LIBVIRT_LOG_OUTPUTS")) && *v)
        (void)mvLogSetOutputs(v);
    mvErrorReset();
}

void
mvLogReset(void)
{
    g_mutex_lock(&mvLogLock);
    g_clear_pointer(&mvLogOutputs, g_array_unref);
    g_clear_pointer(&mvLogFilters, g_array_unref);
    mvLogDefaultPrio = MV_LOG_WARN;
    mvLogRecomputeMin();
    g_mutex_unlock(&mvLogLock);
}
