/*
 * daemon_priv: what the files of daemons/common share with each other (never
 * used outside this directory and its tests).
 *
 * One mvDaemon exists per process.  It owns the config, the paths, the main
 * loop and two RPC servers: the main one (named after the daemon, serving
 * the REMOTE program on -sock and -sock-ro) and "admin" (the ADMIN program
 * on -admin-sock).  Each accepted client gets a daemonClient as its private
 * data: the connection opened by CONNECT_OPEN, the connections to other
 * daemons its calls were forwarded to, the event registrations and the
 * facts the admin interface lists.
 *
 * Locking: daemon->lock guards the client registries and the idle timeout
 * value; each daemonClient has its own lock for its connections and event
 * lists, and fwdLock (taken before lock) serialises opening forwarded
 * connections.  The idle timer itself is only touched in the main loop.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>
#include <libvirt/libvirt.h>

#include "daemon_config.h"
#include "daemon_main.h"
#include "daemon_paths.h"
#include "rpc_server.h"

typedef struct _mvDaemon mvDaemon;
typedef struct _daemonServer daemonServer;
typedef struct _daemonClient daemonClient;

/* One of the daemon's RPC servers and the clients it has. */
struct _daemonServer {
    mvDaemon *daemon;
    rpcServer *srv;
    const char *name;          /* "virtsecretd" or "admin" */
    bool admin;
    GPtrArray *clients;        /* of daemonClient, guarded by daemon->lock */
    size_t nclients;           /* last count reported by the server */
};

/* A weak link to a client for event callbacks: they must not keep the client
 * alive (that would be a reference cycle through its connection), so they
 * hold this instead; daemonClientFree clears @client under @lock before the
 * client goes away. */
typedef struct {
    GMutex lock;
    gatomicrefcount refs;
    rpcServerClient *client;   /* NULL once the client is gone */
} daemonClientLink;

daemonClientLink *daemonClientLinkRef(daemonClientLink *link);
void daemonClientLinkUnref(daemonClientLink *link);

/* daemon_event.c: what an event registration needs to reach its client. */
typedef struct {
    daemonClientLink *link;     /* referenced; never the client itself */
    gint callbackID;            /* -1 until registration returned */
    bool legacy;                /* domain events of the old style (no id on the wire) */
} daemonEventData;
daemonEventData *daemonEventDataNew(daemonClientLink *link);
void daemonEventDataFree(void *opaque);
/* Sends one event MESSAGE to the client behind @data, if it is still there. */
void daemonEventSend(daemonEventData *data, int proc, xdrproc_t filter, void *msg);

/* A remote event registration of one client. */
typedef struct {
    int callbackID;            /* the id given to the client (= the local one) */
    virConnectPtr conn;        /* where it is registered: the client's own or a
                                * forwarded connection (owned by the client) */
    bool legacy;               /* domain events: the old-style registration
                                * (105/106, MESSAGE 107 without callback id) */
} daemonEventReg;

/* The API areas a daemon may serve itself or forward to the daemon owning
 * them (DESIGN 2). */
typedef enum {
    MV_DAEMON_AREA_SECRET,
    MV_DAEMON_AREA_NETWORK,
    MV_DAEMON_AREA_STORAGE,
    MV_DAEMON_AREA_NODEDEV,
    MV_DAEMON_AREA_INTERFACE,
    MV_DAEMON_AREA_NWFILTER,
    MV_DAEMON_AREA_LAST,
} mvDaemonArea;

struct _daemonClient {
    daemonServer *server;
    rpcServerClient *client;   /* not referenced: the client outlives us */
    daemonClientLink *link;    /* for event callbacks */
    guint64 id;
    gint64 timestamp;
    uid_t uid;
    gid_t gid;
    pid_t pid;
    bool readonly;

    GMutex lock;
    virConnectPtr conn;        /* NULL until CONNECT_OPEN */
    GMutex fwdLock;
    virConnectPtr fwd[MV_DAEMON_AREA_LAST];  /* opened on first use, or NULL */
    GArray *secretEvents;      /* of daemonEventReg */
    GArray *domainEvents;      /* of daemonEventReg */
    bool closeCallback;        /* the client did CONNECT_REGISTER_CLOSE_CALLBACK */
    bool adminOpen;            /* admin clients: ADMIN CONNECT_OPEN done */
};

struct _mvDaemon {
    const mvDaemonSpec *spec;
    daemonConfig *config;
    daemonPaths *paths;
    bool privileged;
    uid_t uid;                 /* the daemon's euid */
    char *defaultURI;          /* "secret:///system" or "secret:///session" */

    GMainContext *ctx;
    GMainLoop *loop;
    daemonServer main;
    daemonServer adminServer;

    GMutex lock;
    int idleTimeout;           /* seconds; 0 = never exit when idle */
    guint idleTimer;           /* main loop only */
    bool quitting;
    int exitStatus;
};

/* The process's daemon (set by mvDaemonRun; handlers use it). */
mvDaemon *daemonGet(void);

/* daemon_auth.c: whether the peer may use the daemon at all; reports
 * VIR_ERR_ACCESS_DENIED and returns -1 when it may not. */
int daemonAuthCheckPeer(mvDaemon *daemon, uid_t uid, gid_t gid, pid_t pid);

/* daemon_idle.c */
void daemonIdleSetup(mvDaemon *daemon, int timeout);
void daemonIdleUpdate(mvDaemon *daemon);
/* Changes the timeout from any thread (admin CONNECT_SET_DAEMON_TIMEOUT). */
void daemonIdleSetTimeout(mvDaemon *daemon, int timeout);

/* daemon_sockets.c: listeners for the three roles. */
typedef enum {
    DAEMON_SOCK_RW,
    DAEMON_SOCK_RO,
    DAEMON_SOCK_ADMIN,
    DAEMON_SOCK_LAST,
} daemonSockRole;

typedef struct {
    int fd[DAEMON_SOCK_LAST];          /* -1 when not used */
    bool activated[DAEMON_SOCK_LAST];  /* came from systemd */
    char *bound[DAEMON_SOCK_LAST];     /* paths we bound (and remove on exit) */
} daemonSockets;

/* Takes the activated sockets (sd_listen_fds_with_names) and binds the
 * missing ones.  Returns 0 or -1 (reported). */
int daemonSocketsSetup(daemonSockets *socks, const mvDaemonSpec *spec,
                       const daemonPaths *paths, const daemonConfig *cfg);
/* Removes the socket files this process bound and closes unused fds. */
void daemonSocketsCleanup(daemonSockets *socks);

/* daemon_dispatch_connect.c: client private data hooks for both servers. */
void *daemonClientNew(rpcServerClient *client, void *opaque);
void daemonClientFree(void *priv);
/* The client's connection with a reference taken (release with
 * virConnectClose), or NULL with "hypervisor connection not open"
 * reported. */
virConnectPtr daemonClientGetConn(rpcServerClient *client);
/* Closes *conn (keeping the thread's error) and clears it; for
 * DAEMON_AUTOCONN, which releases what daemonClientGetConn returned. */
void daemonConnRelease(virConnectPtr *conn);
#define DAEMON_AUTOCONN __attribute__((cleanup(daemonConnRelease)))

/* daemon_dispatch_secret.c: drops every secret event registration of
 * @priv's connections (called with priv->lock held, before closing). */
void daemonClientDropSecretEvents(daemonClient *priv);

/* daemon_dispatch_domain.c: the same for domain event registrations. */
void daemonClientDropDomainEvents(daemonClient *priv);
/* daemon_dispatch_network.c: the same for network event registrations. */
void daemonClientDropNetworkEvents(daemonClient *priv);

/* daemon_forward.c: the connection that serves @area for @client, with a
 * reference taken (release with virConnectClose / DAEMON_AUTOCONN): the
 * client's own connection when its driver has that area, else a connection
 * to the owning daemon ("secret:///session" etc.), opened on first use and
 * kept until the client closes.  NULL with the error reported when the
 * client has no connection or the owning daemon cannot be reached. */
virConnectPtr daemonClientGetConnFor(rpcServerClient *client, mvDaemonArea area);
/* Whether @conn's driver serves @area itself. */
bool daemonConnServesArea(virConnectPtr conn, mvDaemonArea area);
/* Takes every forwarded connection out of @priv (with priv->lock held) into
 * @conns (MV_DAEMON_AREA_LAST slots); close them with
 * daemonForwardCloseAll after dropping the lock. */
void daemonClientStealForwards(daemonClient *priv, virConnectPtr *conns);
void daemonForwardCloseAll(virConnectPtr *conns);
