/*
 * obj_job: see obj_job.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include "mv_error.h"
#include "obj_job.h"

#define MV_JOB_WAIT_US (60 * G_TIME_SPAN_SECOND)

void
mvObjJobInit(mvObjJob *job)
{
    g_cond_init(&job->cond);
    job->active = false;
}

void
mvObjJobClear(mvObjJob *job)
{
    g_cond_clear(&job->cond);
}

int
mvObjJobBegin(mvObjJob *job, GMutex *lock, int errDomain, const char *kind,
              const char *name)
{
    gint64 deadline = g_get_monotonic_time() + MV_JOB_WAIT_US;

    while (job->active) {
        if (!g_cond_wait_until(&job->cond, lock, deadline) && job->active) {
            mvReportErrorFull(errDomain, VIR_ERR_OPERATION_TIMEOUT, __FILE__, __func__,
                              __LINE__,
                              "cannot change %s '%s': another operation on it has been "
                              "running for 60 seconds; try again when it has finished",
                              kind, name);
            return -1;
        }
    }
    job->active = true;
    return 0;
}

void
mvObjJobEnd(mvObjJob *job)
{
    job->active = false;
    g_cond_broadcast(&job->cond);
}
