/*
 * rpc_program: the tables that describe an RPC program to the server.
 *
 * A program (REMOTE, KEEPALIVE handled internally, ADMIN, QEMU) is a list of
 * procedures sorted by number.  The tables are generated from the .x files by
 * rpc/gen/gendispatch.py; each entry names the XDR filters and sizes of the
 * argument and result structs, the flags from the .x annotations and the
 * handler, which the daemon provides.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <rpc/rpc.h>

typedef struct _rpcServer rpcServer;
typedef struct _rpcServerClient rpcServerClient;
typedef struct _rpcMessage rpcMessage;

/* A handler gets the decoded arguments and fills @ret.  It returns 0, or -1
 * with an error set on the calling thread (sent back as remote_error).
 * @msg is the CALL (for fds); the server frees args and ret afterwards. */
typedef int (*rpcDispatchFunc)(rpcServer *server, rpcServerClient *client,
                               rpcMessage *msg, void *args, void *ret);

typedef enum {
    RPC_PROC_READONLY = 1 << 0,     /* @readonly: allowed on a read-only socket */
    RPC_PROC_PRIORITY = 1 << 1,     /* @priority: high: runs on the priority pool */
    RPC_PROC_NOAUTH = 1 << 2,       /* allowed before authentication (AUTH_*) */
    RPC_PROC_STREAM_READ = 1 << 3,  /* opens a stream daemon -> client */
    RPC_PROC_STREAM_WRITE = 1 << 4, /* opens a stream client -> daemon */
    RPC_PROC_EVENT = 1 << 5,        /* a MESSAGE the server sends; never called */
    RPC_PROC_INLINE = 1 << 6,       /* @inline: answered on the I/O thread (never waits) */
} rpcProcFlags;

typedef struct {
    int proc;                 /* procedure number */
    const char *name;         /* "SECRET_DEFINE_XML" */
    const char *api;          /* "virSecretDefineXML": for errors and logs */
    int errdomain;            /* virErrorDomain of the API's area */
    xdrproc_t args_filter;    /* xdr_void when there are no arguments */
    size_t args_size;
    xdrproc_t ret_filter;     /* xdr_void when there is no result */
    size_t ret_size;
    unsigned int flags;       /* rpcProcFlags */
    rpcDispatchFunc func;     /* NULL: answered as unsupported */
} rpcProcedure;

typedef struct {
    const char *name;         /* "remote" */
    unsigned int prog;        /* 0x20008086 */
    unsigned int vers;        /* 1 */
    const rpcProcedure *procs;/* sorted by proc */
    size_t nprocs;
} rpcProgram;

/* Finds @proc in @prog, or NULL. */
const rpcProcedure *rpcProgramLookup(const rpcProgram *prog, int proc);
