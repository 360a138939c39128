/*
 * obj_job: the "job" that serialises changes to one driver object (a
 * domain, a network): a flag plus a condition, used under the object's own
 * lock.  A change holds the job for its whole run, dropping the lock while
 * it waits on something slow; readers only take the lock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct {
    GCond cond;
    bool active;
} mvObjJob;

void mvObjJobInit(mvObjJob *job);
void mvObjJobClear(mvObjJob *job);
/* Takes the job, waiting (with @lock held, which the wait releases) up to
 * 60 s for the current one to end.  Returns 0, or -1 with
 * VIR_ERR_OPERATION_TIMEOUT naming the @kind ("domain") and @name. */
int mvObjJobBegin(mvObjJob *job, GMutex *lock, int errDomain, const char *kind,
                  const char *name);
/* Ends the job (called with the lock held) and wakes the waiters. */
void mvObjJobEnd(mvObjJob *job);
