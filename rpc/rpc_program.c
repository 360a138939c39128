/*
 * rpc_program: finding a procedure in a program's table.
 *
 * The tables are generated sorted by procedure number (rpc/gen/
 * gendispatch.py), so a lookup is a binary search.  Tables are constant; no
 * locking.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include "rpc_program.h"

const rpcProcedure *
rpcProgramLookup(const rpcProgram *prog, int proc)
{
    size_t lo = 0;
    size_t hi = prog->nprocs;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int here = prog->procs[mid].proc;

        if (here == proc)
            return &prog->procs[mid];
        if (here < proc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
