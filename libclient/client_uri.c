/*
 * client_uri: parsing and formatting of connection URIs, and the choice of
 * the UNIX socket a URI leads to.
 *
 * A URI is "DRIVER[+TRANSPORT]://[USER@][SERVER][:PORT][/PATH][?QUERY]".
 * GLib's GUri does the RFC 3986 work; we split the scheme, keep the query
 * parameters in order (names may repeat, order matters when formatting) and
 * treat an empty host as "local" (server NULL), as libvirt does.
 *
 * The socket rules are those of libvirt 9.0 clients (wire-facts 3.3) with
 * modvirt's preference for the per-daemon socket: ?socket= wins; root never
 * uses user paths; the direct socket (virt<drv>d-sock) is taken when it
 * exists, else the legacy libvirt-sock when that exists, else the direct
 * one.  The process inputs (euid, directories, remote_mode) come in an
 * mvURISocketEnv so that tests can inject them.  No state, no locking.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <unistd.h>

#include "mv_error.h"
#include "client_uri.h"
#include "client_internal.h"

#define MV_FROM_THIS VIR_FROM_URI

/* Parameters only the client looks at; never sent to the daemon. */
static const char *const clientOnlyParams[] = {
    "socket", "mode", "proxy", "name", "command", "auth", "sshauth", "netcat",
    "keyfile", "pkipath", "known_hosts", "known_hosts_verify", "tls_priority",
    "no_sanity", "no_verify", "no_tty", "authfile",
};

static const struct {
    const char *driver;
    const char *daemon;
} clientDriverDaemons[] = {
    { "qemu", "virtqemud" },
    { "network", "virtnetworkd" },
    { "storage", "virtstoraged" },
    { "secret", "virtsecretd" },
    { "nodedev", "virtnodedevd" },
    { "interface", "virtinterfaced" },
    { "nwfilter", "virtnwfilterd" },
    { "lxc", "virtlxcd" },
};

static const char *const clientKnownTransports[] = {
    "unix", "tcp", "tls", "ssh", "ext", "libssh", "libssh2",
};

void
mvURIFree(mvURI *uri)
{
    size_t i;

    if (!uri)
        return;
    g_free(uri->scheme);
    g_free(uri->driver);
    g_free(uri->transport);
    g_free(uri->user);
    g_free(uri->server);
    g_free(uri->path);
    for (i = 0; i < uri->nparams; i++) {
        g_free(uri->params[i].name);
        g_free(uri->params[i].value);
    }
    g_free(uri->params);
    g_free(uri);
}

static void
clientURIParseQuery(mvURI *uri, const char *query)
{
    g_auto(GStrv) parts = NULL;
    size_t i;

    if (!query || !*query)
        return;
    parts = g_strsplit_set(query, "&;", -1);
    for (i = 0; parts[i]; i++) {
        const char *eq;
        g_autofree char *rawName = NULL;
        const char *rawValue;
        char *name;
        char *value;

        if (!*parts[i])
            continue;
        eq = strchr(parts[i], '=');
        if (eq) {
            rawName = g_strndup(parts[i], eq - parts[i]);
            rawValue = eq + 1;
        } else {
            rawName = g_strdup(parts[i]);
            rawValue = "";
        }
        /* '+' is a space in form-encoded queries, as libvirt decodes it. */
        g_strdelimit(rawName, "+", ' ');
        name = g_uri_unescape_string(rawName, NULL);
        {
            g_autofree char *v = g_strdup(rawValue);
            g_strdelimit(v, "+", ' ');
            value = g_uri_unescape_string(v, NULL);
        }
        if (!name)
            name = g_strdup(rawName);
        if (!value)
            value = g_strdup(rawValue);
        uri->params = g_renew(mvURIParam, uri->params, uri->nparams + 1);
        uri->params[uri->nparams].name = name;
        uri->params[uri->nparams].value = value;
        uri->nparams++;
    }
}

mvURI *
mvURIParse(const char *str)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GUri) guri = NULL;
    g_autoptr(mvURI) uri = NULL;
    const char *plus;
    const char *host;
    const char *path;

    if (!str) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse URI (null)");
        return NULL;
    }
    guri = g_uri_parse(str, G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_NON_DNS, &gerr);
    if (!guri) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse URI %s", str);
        return NULL;
    }

    uri = g_new0(mvURI, 1);
    uri->scheme = g_strdup(g_uri_get_scheme(guri));
    plus = strchr(uri->scheme, '+');
    if (plus) {
        uri->driver = g_strndup(uri->scheme, plus - uri->scheme);
        if (plus[1])
            uri->transport = g_strdup(plus + 1);
    } else {
        uri->driver = g_strdup(uri->scheme);
    }
    if (!*uri->driver) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "Unable to parse URI %s", str);
        return NULL;
    }
    uri->user = g_strdup(g_uri_get_userinfo(guri));
    host = g_uri_get_host(guri);
    if (host && *host)
        uri->server = g_strdup(host);
    uri->port = g_uri_get_port(guri) > 0 ? g_uri_get_port(guri) : 0;
    path = g_uri_get_path(guri);
    if (path && *path)
        uri->path = g_strdup(path);
    clientURIParseQuery(uri, g_uri_get_query(guri));
    return g_steal_pointer(&uri);
}

const char *
mvURIGetParam(const mvURI *uri, const char *name)
{
    size_t i;
    const char *found = NULL;

    if (!uri)
        return NULL;
    /* The last setting wins, as for libvirt's client. */
    for (i = 0; i < uri->nparams; i++) {
        if (g_str_equal(uri->params[i].name, name))
            found = uri->params[i].value;
    }
    return found;
}

static bool
clientParamIsClientOnly(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(clientOnlyParams); i++) {
        if (g_ascii_strcasecmp(clientOnlyParams[i], name) == 0)
            return true;
    }
    return false;
}

static void
clientURIFormatParams(GString *out, const mvURI *uri, bool forServer)
{
    size_t i;
    bool first = true;

    for (i = 0; i < uri->nparams; i++) {
        g_autofree char *n = NULL;
        g_autofree char *v = NULL;

        if (forServer && clientParamIsClientOnly(uri->params[i].name))
            continue;
        n = g_uri_escape_string(uri->params[i].name, "/:@!$'()*,", FALSE);
        v = g_uri_escape_string(uri->params[i].value, "/:@!$'()*,", FALSE);
        g_string_append_c(out, first ? '?' : '&');
        g_string_append_printf(out, "%s=%s", n, v);
        first = false;
    }
}

char *
mvURIFormat(const mvURI *uri)
{
    GString *out = g_string_new(uri->scheme);

    g_string_append(out, "://");
    if (uri->server) {
        if (uri->user) {
            g_autofree char *u = g_uri_escape_string(uri->user, "!$&'()*+,;=:", FALSE);
            g_string_append_printf(out, "%s@", u);
        }
        if (strchr(uri->server, ':'))
            g_string_append_printf(out, "[%s]", uri->server);
        else
            g_string_append(out, uri->server);
        if (uri->port > 0)
            g_string_append_printf(out, ":%d", uri->port);
    }
    if (uri->path) {
        g_autofree char *p = g_uri_escape_string(uri->path, "/!$&'()*+,;=:@", FALSE);
        g_string_append(out, p);
    }
    clientURIFormatParams(out, uri, false);
    return g_string_free(out, FALSE);
}

char *
mvURIFormatForServer(const mvURI *uri)
{
    GString *out = g_string_new(uri->driver);

    /* The daemon sees the URI as if it were local to it: no transport, no
     * host, no user, no port, no client-only parameters. */
    g_string_append(out, "://");
    if (uri->path) {
        g_autofree char *p = g_uri_escape_string(uri->path, "/!$&'()*+,;=:@", FALSE);
        g_string_append(out, p);
    }
    clientURIFormatParams(out, uri, true);
    return g_string_free(out, FALSE);
}

const char *
mvURIDaemonForDriver(const char *driver)
{
    size_t i;

    if (!driver)
        return NULL;
    for (i = 0; i < G_N_ELEMENTS(clientDriverDaemons); i++) {
        if (g_str_equal(clientDriverDaemons[i].driver, driver))
            return clientDriverDaemons[i].daemon;
    }
    return NULL;
}

bool
mvURIIsUserConnection(const mvURI *uri, uid_t euid)
{
    if (euid == 0)
        return false;
    if (!uri)
        return true;
    if (uri->server)
        return false;
    if (g_strcmp0(uri->path, "/session") == 0)
        return true;
    return g_str_has_prefix(uri->scheme, "test+");
}

char *
mvURIUserRunDir(void)
{
    const char *xdg = g_getenv("XDG_RUNTIME_DIR");

    if (xdg && *xdg)
        return g_build_filename(xdg, "libvirt", NULL);
    return g_build_filename(g_get_home_dir(), ".cache", "libvirt", NULL);
}

typedef enum {
    CLIENT_MODE_AUTO,
    CLIENT_MODE_LEGACY,
    CLIENT_MODE_DIRECT,
} clientSocketMode;

static int
clientSocketModeParse(const char *str, clientSocketMode *mode)
{
    if (g_str_equal(str, "auto"))
        *mode = CLIENT_MODE_AUTO;
    else if (g_str_equal(str, "legacy"))
        *mode = CLIENT_MODE_LEGACY;
    else if (g_str_equal(str, "direct"))
        *mode = CLIENT_MODE_DIRECT;
    else
        return -1;
    return 0;
}

static int
clientCheckTransport(const mvURI *uri)
{
    const char *transport = uri->transport;
    size_t i;

    if (!transport)
        transport = uri->server ? "tls" : "unix";
    for (i = 0; i < G_N_ELEMENTS(clientKnownTransports); i++) {
        if (g_str_equal(clientKnownTransports[i], transport))
            break;
    }
    if (i == G_N_ELEMENTS(clientKnownTransports)) {
        mvReportError(VIR_ERR_INVALID_ARG,
                      "transport in URL not recognised (should be "
                      "tls|unix|ssh|ext|tcp|libssh2|libssh)");
        return -1;
    }
    if (!g_str_equal(transport, "unix")) {
        mvReportErrorFull(VIR_FROM_REMOTE, VIR_ERR_OPERATION_UNSUPPORTED, __FILE__,
                          __func__, __LINE__,
                          "transport '%s' is not supported yet by modvirt's client",
                          transport);
        return -1;
    }
    return 0;
}

char *
mvURIResolveSocketFull(const mvURI *uri, bool readonly,
                       const mvURISocketEnv *env, bool *userSocket)
{
    clientSocketMode mode = CLIENT_MODE_AUTO;
    bool user = mvURIIsUserConnection(uri, env->euid);
    const char *daemon = uri ? mvURIDaemonForDriver(uri->driver) : NULL;
    const char *dir = user ? env->userRunDir : env->systemRunDir;
    const char *modeStr = NULL;
    const char *sock;
    bool ro = readonly && !user;   /* session daemons have no -ro socket */
    g_autofree char *direct = NULL;
    g_autofree char *legacy = NULL;

    if (uri) {
        if (clientCheckTransport(uri) < 0)
            return NULL;
        if ((sock = mvURIGetParam(uri, "socket")) && *sock) {
            if (userSocket)
                *userSocket = user;
            return g_strdup(sock);
        }
        modeStr = mvURIGetParam(uri, "mode");
    }
    if (!modeStr)
        modeStr = env->remoteMode;
    if (modeStr && clientSocketModeParse(modeStr, &mode) < 0) {
        mvReportError(VIR_ERR_INVALID_ARG, "Unknown remote mode '%s'", modeStr);
        return NULL;
    }
    if (env->insideDaemon)
        mode = CLIENT_MODE_DIRECT;

    if (daemon)
        direct = g_strdup_printf("%s/%s-sock%s", dir, daemon, ro ? "-ro" : "");
    legacy = g_strdup_printf("%s/libvirt-sock%s", dir, ro ? "-ro" : "");

    switch (mode) {
    case CLIENT_MODE_DIRECT:
        if (!direct) {
            mvReportError(VIR_ERR_OPERATION_UNSUPPORTED,
                          "Cannot use direct socket mode for URI '%s': no daemon "
                          "serves driver '%s'",
                          uri ? uri->scheme : "", uri ? uri->driver : "");
            return NULL;
        }
        break;
    case CLIENT_MODE_LEGACY:
        g_clear_pointer(&direct, g_free);
        break;
    case CLIENT_MODE_AUTO:
        if (direct && !g_file_test(direct, G_FILE_TEST_EXISTS) &&
            g_file_test(legacy, G_FILE_TEST_EXISTS))
            g_clear_pointer(&direct, g_free);
        break;
    }

    if (userSocket)
        *userSocket = user;
    if (direct)
        return g_steal_pointer(&direct);
    return g_steal_pointer(&legacy);
}

char *
mvURIResolveSocket(const mvURI *uri, bool readonly)
{
    g_autofree char *userDir = mvURIUserRunDir();
    g_autofree char *remoteMode = mvClientConfigGetString("remote_mode");
    mvURISocketEnv env = {
        .euid = geteuid(),
        .systemRunDir = MV_RUNSTATEDIR "/libvirt",
        .userRunDir = userDir,
        .remoteMode = remoteMode,
        .insideDaemon = mvIsInsideDaemon(),
    };

    return mvURIResolveSocketFull(uri, readonly, &env, NULL);
}
