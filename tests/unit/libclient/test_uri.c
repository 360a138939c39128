/*
 * Unit tests of libclient's URI module: parsing, formatting, the name sent
 * in CONNECT_OPEN and the choice of UNIX socket (with injected euid and
 * directories, against a temporary directory tree).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mv_error.h"
#include "client_uri.h"

typedef struct {
    const char *in;
    const char *scheme;
    const char *driver;
    const char *transport;
    const char *user;
    const char *server;
    int port;
    const char *path;
    const char *formatted;
    const char *forServer;
} uriCase;

static const uriCase uriCases[] = {
    { "qemu:///system", "qemu", "qemu", NULL, NULL, NULL, 0, "/system",
      "qemu:///system", "qemu:///system" },
    { "secret:///session", "secret", "secret", NULL, NULL, NULL, 0, "/session",
      "secret:///session", "secret:///session" },
    { "test:///default", "test", "test", NULL, NULL, NULL, 0, "/default",
      "test:///default", "test:///default" },
    { "qemu+unix:///system?socket=/run/x/sock", "qemu+unix", "qemu", "unix", NULL, NULL, 0,
      "/system", "qemu+unix:///system?socket=/run/x/sock", "qemu:///system" },
    { "qemu+tcp://host.example:16509/system", "qemu+tcp", "qemu", "tcp", NULL,
      "host.example", 16509, "/system", "qemu+tcp://host.example:16509/system",
      "qemu:///system" },
    { "qemu+ssh://root@host/system?keyfile=/k&no_verify=1", "qemu+ssh", "qemu", "ssh",
      "root", "host", 0, "/system", "qemu+ssh://root@host/system?keyfile=/k&no_verify=1",
      "qemu:///system" },
    { "qemu+tls://[::1]:16514/system", "qemu+tls", "qemu", "tls", NULL, "::1", 16514,
      "/system", "qemu+tls://[::1]:16514/system", "qemu:///system" },
    { "qemu+tcp://[fe80::1]/system", "qemu+tcp", "qemu", "tcp", NULL, "fe80::1", 0,
      "/system", "qemu+tcp://[fe80::1]/system", "qemu:///system" },
    { "qemu:///system?foo=bar&mode=direct&socket=/s", "qemu", "qemu", NULL, NULL, NULL, 0,
      "/system", "qemu:///system?foo=bar&mode=direct&socket=/s", "qemu:///system?foo=bar" },
    { "qemu:///embed?root=/tmp/my%20root", "qemu", "qemu", NULL, NULL, NULL, 0, "/embed",
      "qemu:///embed?root=/tmp/my%20root", "qemu:///embed?root=/tmp/my%20root" },
    { "network://", "network", "network", NULL, NULL, NULL, 0, NULL, "network://",
      "network://" },
    { "qemu+:///system", "qemu+", "qemu", NULL, NULL, NULL, 0, "/system", "qemu+:///system",
      "qemu:///system" },
};

static void
testURIParseCase(gconstpointer data)
{
    const uriCase *c = data;
    g_autoptr(mvURI) uri = mvURIParse(c->in);
    g_autofree char *fmt = NULL;
    g_autofree char *srv = NULL;

    g_assert_nonnull(uri);
    g_assert_cmpstr(uri->scheme, ==, c->scheme);
    g_assert_cmpstr(uri->driver, ==, c->driver);
    g_assert_cmpstr(uri->transport, ==, c->transport);
    g_assert_cmpstr(uri->user, ==, c->user);
    g_assert_cmpstr(uri->server, ==, c->server);
    g_assert_cmpint(uri->port, ==, c->port);
    g_assert_cmpstr(uri->path, ==, c->path);
    fmt = mvURIFormat(uri);
    g_assert_cmpstr(fmt, ==, c->formatted);
    srv = mvURIFormatForServer(uri);
    g_assert_cmpstr(srv, ==, c->forServer);
}

static void
testURIParams(void)
{
    g_autoptr(mvURI) uri = mvURIParse("qemu:///system?a=1&b=x%2Fy&a=2&flag&c=");

    g_assert_nonnull(uri);
    g_assert_cmpuint(uri->nparams, ==, 5);
    g_assert_cmpstr(mvURIGetParam(uri, "a"), ==, "2");   /* last one wins */
    g_assert_cmpstr(mvURIGetParam(uri, "b"), ==, "x/y");
    g_assert_cmpstr(mvURIGetParam(uri, "flag"), ==, "");
    g_assert_cmpstr(mvURIGetParam(uri, "c"), ==, "");
    g_assert_null(mvURIGetParam(uri, "missing"));
    g_assert_cmpstr(uri->params[0].name, ==, "a");
    g_assert_cmpstr(uri->params[0].value, ==, "1");
}

static void
testURIBad(void)
{
    const char *bad[] = { "", "qemu", "/system", "://x", "qemu+tcp://[::1/system",
                          "qemu://host:notaport/system" };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        mvErrorReset();
        g_assert_null(mvURIParse(bad[i]));
        g_assert_true(mvErrorIsSet());
        g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INTERNAL_ERROR);
        g_assert_cmpint(mvErrorGetLast()->domain, ==, VIR_FROM_URI);
        g_assert_true(g_str_has_prefix(mvErrorGetLast()->message,
                                       "internal error: Unable to parse URI"));
    }
}

static void
testURIDaemonMap(void)
{
    g_assert_cmpstr(mvURIDaemonForDriver("qemu"), ==, "virtqemud");
    g_assert_cmpstr(mvURIDaemonForDriver("network"), ==, "virtnetworkd");
    g_assert_cmpstr(mvURIDaemonForDriver("storage"), ==, "virtstoraged");
    g_assert_cmpstr(mvURIDaemonForDriver("secret"), ==, "virtsecretd");
    g_assert_cmpstr(mvURIDaemonForDriver("nodedev"), ==, "virtnodedevd");
    g_assert_cmpstr(mvURIDaemonForDriver("interface"), ==, "virtinterfaced");
    g_assert_cmpstr(mvURIDaemonForDriver("nwfilter"), ==, "virtnwfilterd");
    g_assert_cmpstr(mvURIDaemonForDriver("lxc"), ==, "virtlxcd");
    g_assert_null(mvURIDaemonForDriver("test"));
    g_assert_null(mvURIDaemonForDriver(NULL));
}

/* A fixture: a system and a user run directory under a temp dir. */
typedef struct {
    char *tmp;
    char *sys;
    char *user;
} sockFixture;

static void
sockFixtureSetup(sockFixture *f, gconstpointer data)
{
    f->tmp = g_dir_make_tmp("mvuri-XXXXXX", NULL);
    g_assert_nonnull(f->tmp);
    f->sys = g_build_filename(f->tmp, "run", NULL);
    f->user = g_build_filename(f->tmp, "user", NULL);
    g_assert_cmpint(g_mkdir(f->sys, 0700), ==, 0);
    g_assert_cmpint(g_mkdir(f->user, 0700), ==, 0);
}

static void
sockTouch(const char *dir, const char *name)
{
    g_autofree char *p = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(p, "", 0, NULL));
}

static void
sockRemove(const char *dir, const char *name)
{
    g_autofree char *p = g_build_filename(dir, name, NULL);
    g_remove(p);
}

static void
sockFixtureTeardown(sockFixture *f, gconstpointer data)
{
    const char *names[] = { "virtsecretd-sock", "virtsecretd-sock-ro", "libvirt-sock",
                            "libvirt-sock-ro", "virtqemud-sock" };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        sockRemove(f->sys, names[i]);
        sockRemove(f->user, names[i]);
    }
    g_rmdir(f->sys);
    g_rmdir(f->user);
    g_rmdir(f->tmp);
    g_free(f->sys);
    g_free(f->user);
    g_free(f->tmp);
}

/* Resolves @uristr (NULL = no URI) and checks the result relative to the
 * fixture: @expectDir is "sys" or "user", @expectName the socket name. */
static void
sockCheck(sockFixture *f, const char *uristr, bool ro, uid_t euid, const char *mode,
          bool inside, const char *expectDir, const char *expectName, bool expectUser)
{
    g_autoptr(mvURI) uri = uristr ? mvURIParse(uristr) : NULL;
    mvURISocketEnv env = {
        .euid = euid, .systemRunDir = f->sys, .userRunDir = f->user,
        .remoteMode = mode, .insideDaemon = inside,
    };
    bool user = !expectUser;
    g_autofree char *path = mvURIResolveSocketFull(uri, ro, &env, &user);
    g_autofree char *expect = NULL;

    expect = g_build_filename(g_str_equal(expectDir, "sys") ? f->sys : f->user,
                              expectName, NULL);
    g_assert_cmpstr(path, ==, expect);
    g_assert_cmpint(user, ==, expectUser);
}

static void
testSocketRoot(sockFixture *f, gconstpointer data)
{
    /* Nothing exists: direct for known drivers, legacy for unknown ones. */
    sockCheck(f, "secret:///system", false, 0, NULL, false, "sys", "virtsecretd-sock", false);
    sockCheck(f, "secret:///system", true, 0, NULL, false, "sys", "virtsecretd-sock-ro", false);
    sockCheck(f, "test:///default", false, 0, NULL, false, "sys", "libvirt-sock", false);
    /* Root never uses user paths, even for /session. */
    sockCheck(f, "qemu:///session", false, 0, NULL, false, "sys", "virtqemud-sock", false);
    /* Legacy exists, direct does not: legacy. */
    sockTouch(f->sys, "libvirt-sock");
    sockTouch(f->sys, "libvirt-sock-ro");
    sockCheck(f, "secret:///system", false, 0, NULL, false, "sys", "libvirt-sock", false);
    sockCheck(f, "secret:///system", true, 0, NULL, false, "sys", "libvirt-sock-ro", false);
    /* Both exist: direct wins. */
    sockTouch(f->sys, "virtsecretd-sock");
    sockCheck(f, "secret:///system", false, 0, NULL, false, "sys", "virtsecretd-sock", false);
    /* Explicit modes. */
    sockCheck(f, "secret:///system?mode=legacy", false, 0, NULL, false, "sys",
              "libvirt-sock", false);
    sockCheck(f, "secret:///system", false, 0, "legacy", false, "sys", "libvirt-sock", false);
    sockCheck(f, "secret:///system?mode=direct", false, 0, "legacy", false, "sys",
              "virtsecretd-sock", false);
    /* Inside a daemon: always direct. */
    sockRemove(f->sys, "virtsecretd-sock");
    sockCheck(f, "secret:///system", false, 0, "legacy", true, "sys", "virtsecretd-sock",
              false);
    /* No URI: legacy socket. */
    sockCheck(f, NULL, false, 0, NULL, false, "sys", "libvirt-sock", false);
}

static void
testSocketUser(sockFixture *f, gconstpointer data)
{
    sockCheck(f, "secret:///session", false, 1000, NULL, false, "user", "virtsecretd-sock",
              true);
    /* Session daemons have no -ro socket. */
    sockCheck(f, "secret:///session", true, 1000, NULL, false, "user", "virtsecretd-sock",
              true);
    /* A non-root user asking for /system gets the system socket. */
    sockCheck(f, "secret:///system", false, 1000, NULL, false, "sys", "virtsecretd-sock",
              false);
    sockCheck(f, NULL, false, 1000, NULL, false, "user", "libvirt-sock", true);
    sockCheck(f, "test+unix:///default", false, 1000, NULL, false, "user", "libvirt-sock",
              true);
    sockTouch(f->user, "libvirt-sock");
    sockCheck(f, "secret:///session", false, 1000, NULL, false, "user", "libvirt-sock", true);
    sockTouch(f->user, "virtsecretd-sock");
    sockCheck(f, "secret:///session", false, 1000, NULL, false, "user", "virtsecretd-sock",
              true);
}

static void
testSocketExplicit(sockFixture *f, gconstpointer data)
{
    g_autoptr(mvURI) uri = mvURIParse("secret+unix:///session?socket=/x/y.sock");
    mvURISocketEnv env = { .euid = 1000, .systemRunDir = f->sys, .userRunDir = f->user };
    bool user = false;
    g_autofree char *path = mvURIResolveSocketFull(uri, true, &env, &user);

    g_assert_cmpstr(path, ==, "/x/y.sock");
    g_assert_true(user);
    g_clear_pointer(&path, g_free);
    env.euid = 0;
    path = mvURIResolveSocketFull(uri, false, &env, &user);
    g_assert_cmpstr(path, ==, "/x/y.sock");
    g_assert_false(user);
}

static void
testSocketErrors(sockFixture *f, gconstpointer data)
{
    const struct {
        const char *uri;
        int code;
        const char *msg;
    } cases[] = {
        { "qemu+tcp://host/system", VIR_ERR_OPERATION_UNSUPPORTED,
          "Operation not supported: transport 'tcp' is not supported yet by modvirt's client" },
        { "qemu://host/system", VIR_ERR_OPERATION_UNSUPPORTED,
          "Operation not supported: transport 'tls' is not supported yet by modvirt's client" },
        { "qemu+ssh://host/system", VIR_ERR_OPERATION_UNSUPPORTED,
          "Operation not supported: transport 'ssh' is not supported yet by modvirt's client" },
        { "qemu+bogus:///system", VIR_ERR_INVALID_ARG,
          "invalid argument: transport in URL not recognised (should be "
          "tls|unix|ssh|ext|tcp|libssh2|libssh)" },
        { "qemu:///system?mode=weird", VIR_ERR_INVALID_ARG,
          "invalid argument: Unknown remote mode 'weird'" },
        { "test:///default?mode=direct", VIR_ERR_OPERATION_UNSUPPORTED, NULL },
    };
    mvURISocketEnv env = { .euid = 0, .systemRunDir = f->sys, .userRunDir = f->user };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(mvURI) uri = mvURIParse(cases[i].uri);
        g_assert_nonnull(uri);
        mvErrorReset();
        g_assert_null(mvURIResolveSocketFull(uri, false, &env, NULL));
        g_assert_true(mvErrorIsSet());
        g_assert_cmpint(mvErrorGetLast()->code, ==, cases[i].code);
        if (cases[i].msg)
            g_assert_cmpstr(mvErrorGetLast()->message, ==, cases[i].msg);
    }
}

static void
testUserConnection(void)
{
    g_autoptr(mvURI) sess = mvURIParse("qemu:///session");
    g_autoptr(mvURI) sys = mvURIParse("qemu:///system");
    g_autoptr(mvURI) remote = mvURIParse("qemu+tcp://h/session");
    g_autoptr(mvURI) test = mvURIParse("test+unix:///default");
    g_autoptr(mvURI) plaintest = mvURIParse("test:///default");

    g_assert_true(mvURIIsUserConnection(sess, 1000));
    g_assert_false(mvURIIsUserConnection(sess, 0));
    g_assert_false(mvURIIsUserConnection(sys, 1000));
    g_assert_false(mvURIIsUserConnection(remote, 1000));
    g_assert_true(mvURIIsUserConnection(test, 1000));
    g_assert_false(mvURIIsUserConnection(plaintest, 1000));
    g_assert_true(mvURIIsUserConnection(NULL, 1000));
    g_assert_false(mvURIIsUserConnection(NULL, 0));
}

int
main(int argc, char **argv)
{
    size_t i;

    g_test_init(&argc, &argv, NULL);
    for (i = 0; i < G_N_ELEMENTS(uriCases); i++) {
        g_autofree char *name = g_strdup_printf("/libclient/uri/parse/%zu", i);
        g_test_add_data_func(name, &uriCases[i], testURIParseCase);
    }
    g_test_add_func("/libclient/uri/params", testURIParams);
    g_test_add_func("/libclient/uri/bad", testURIBad);
    g_test_add_func("/libclient/uri/daemon-map", testURIDaemonMap);
    g_test_add_func("/libclient/uri/user-connection", testUserConnection);
    g_test_add("/libclient/uri/socket/root", sockFixture, NULL, sockFixtureSetup,
               testSocketRoot, sockFixtureTeardown);
    g_test_add("/libclient/uri/socket/user", sockFixture, NULL, sockFixtureSetup,
               testSocketUser, sockFixtureTeardown);
    g_test_add("/libclient/uri/socket/explicit", sockFixture, NULL, sockFixtureSetup,
               testSocketExplicit, sockFixtureTeardown);
    g_test_add("/libclient/uri/socket/errors", sockFixture, NULL, sockFixtureSetup,
               testSocketErrors, sockFixtureTeardown);
    return g_test_run();
}
