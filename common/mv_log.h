/*
 * mv_log: categorised logging with libvirt's log_filters / log_outputs
 * syntax.  Each .c file names its category once with MV_LOG_INIT("rpc.server")
 * and then logs with MV_DEBUG/MV_INFO/MV_WARN/MV_ERROR.  Priorities are
 * libvirt's: 1 debug, 2 info, 3 warning, 4 error.  A filter "3:rpc 1:secret"
 * sets the minimum priority per category prefix; outputs are
 * "N:stderr", "N:file:PATH" and "N:journald".
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef enum {
    MV_LOG_DEBUG = 1,
    MV_LOG_INFO = 2,
    MV_LOG_WARN = 3,
    MV_LOG_ERROR = 4,
} mvLogPriority;

typedef struct {
    const char *name;
} mvLogSource;

#define MV_LOG_INIT(n) static mvLogSource mvLogSelf G_GNUC_UNUSED = { .name = n }

void mvLogMessage(const mvLogSource *src, mvLogPriority prio,
                  const char *file, int line, const char *func,
                  const char *fmt, ...) G_GNUC_PRINTF(6, 7);
/* Whether a message of @prio for @src would be written anywhere. */
bool mvLogWouldLog(const mvLogSource *src, mvLogPriority prio);

#define MV_LOG(prio, ...) \
    do { \
        if (mvLogWouldLog(&mvLogSelf, prio)) \
            mvLogMessage(&mvLogSelf, prio, __FILE__, __LINE__, __func__, __VA_ARGS__); \
    } while (0)
#define MV_DEBUG(...) MV_LOG(MV_LOG_DEBUG, __VA_ARGS__)
#define MV_INFO(...) MV_LOG(MV_LOG_INFO, __VA_ARGS__)
#define MV_WARN(...) MV_LOG(MV_LOG_WARN, __VA_ARGS__)
#define MV_ERROR(...) MV_LOG(MV_LOG_ERROR, __VA_ARGS__)

/* Configuration; each returns -1 with an error reported on bad syntax and
 * leaves the previous setting in place. */
int mvLogSetDefaultPriority(int prio);
int mvLogSetFilters(const char *filters);
int mvLogSetOutputs(const char *outputs);
/* The current settings in the same syntax (caller frees). */
char *mvLogGetFilters(void);
char *mvLogGetOutputs(void);
int mvLogGetDefaultPriority(void);
/* Reads LIBVIRT_DEBUG / LIBVIRT_LOG_FILTERS / LIBVIRT_LOG_OUTPUTS. */
void mvLogSetFromEnv(void);
/* Closes file outputs and resets to the default (stderr, priority 3). */
void mvLogReset(void);
