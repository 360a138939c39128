/*
 * Unit tests of daemons/common: the daemon config keys (defaults, values,
 * every kind of bad value with file:line:key) and the system/session paths
 * with an injected environment.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "daemon_config.h"
#include "daemon_paths.h"
#include "mv_error.h"

static void
assertError(int code, const char *frag)
{
    virErrorPtr err = mvErrorGetLast();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    if (!strstr(err->message, frag))
        g_error("message '%s' lacks '%s'", err->message, frag);
    mvErrorReset();
}

static void
testDefaults(void)
{
    g_autoptr(daemonConfig) cfg = daemonConfigNew();
    g_autoptr(mvConf) conf = mvConfReadString("empty.conf", "");
    g_auto(GStrv) unknown = NULL;

    g_assert_cmpint(daemonConfigLoad(cfg, conf, &unknown), ==, 0);
    g_assert_cmpuint(g_strv_length(unknown), ==, 0);
    g_assert_null(cfg->unix_sock_group);
    g_assert_cmpuint(cfg->unix_sock_ro_perms, ==, 0777);
    g_assert_cmpuint(cfg->unix_sock_rw_perms, ==, 0700);
    g_assert_cmpuint(cfg->unix_sock_admin_perms, ==, 0700);
    g_assert_cmpint(cfg->auth_unix_rw, ==, DAEMON_AUTH_NONE);
    g_assert_cmpuint(cfg->srv.min_workers, ==, 5);
    g_assert_cmpuint(cfg->srv.max_workers, ==, 20);
    g_assert_cmpuint(cfg->srv.prio_workers, ==, 5);
    g_assert_cmpuint(cfg->srv.max_clients, ==, 5000);
    g_assert_cmpuint(cfg->srv.max_anonymous_clients, ==, 20);
    g_assert_cmpuint(cfg->srv.max_client_requests, ==, 5);
    g_assert_cmpint(cfg->srv.keepalive_interval, ==, 5);
    g_assert_cmpuint(cfg->srv.keepalive_count, ==, 5);
    g_assert_cmpuint(cfg->admin.max_clients, ==, 5);
    g_assert_cmpuint(cfg->admin.max_workers, ==, 5);
    g_assert_cmpuint(cfg->admin.min_workers, ==, 1);
    g_assert_cmpuint(cfg->log_level, ==, 0);
}

static void
testAllKeys(void)
{
    g_autoptr(daemonConfig) cfg = daemonConfigNew();
    g_autoptr(mvConf) conf = NULL;
    g_auto(GStrv) unknown = NULL;

    conf = mvConfReadString("/etc/libvirt/virtsecretd.conf",
                            "unix_sock_group = \"kvm\"\n"
                            "unix_sock_ro_perms = \"0755\"\n"
                            "unix_sock_rw_perms = \"0770\"\n"
                            "unix_sock_admin_perms = \"0700\"\n"
                            "unix_sock_dir = \"/tmp/sockets\"\n"
                            "auth_unix_ro = \"none\"\n"
                            "auth_unix_rw = \"none\"\n"
                            "access_drivers = [ \"none\" ]\n"
                            "max_clients = 100\n"
                            "max_queued_clients = 10\n"
                            "max_anonymous_clients = 7\n"
                            "min_workers = 2\n"
                            "max_workers = 8\n"
                            "prio_workers = 3\n"
                            "max_client_requests = 9\n"
                            "admin_min_workers = 1\n"
                            "admin_max_workers = 2\n"
                            "admin_max_clients = 3\n"
                            "admin_max_queued_clients = 4\n"
                            "admin_max_client_requests = 6\n"
                            "keepalive_interval = -1\n"
                            "keepalive_count = 0\n"
                            "admin_keepalive_interval = 10\n"
                            "admin_keepalive_count = 11\n"
                            "log_level = 1\n"
                            "log_filters = \"1:daemon 3:rpc\"\n"
                            "log_outputs = \"2:stderr\"\n"
                            "audit_level = 2\n"
                            "audit_logging = 1\n"
                            "host_uuid = \"00000000-0000-0000-0000-000000000001\"\n"
                            "host_uuid_source = \"machine-id\"\n"
                            "ovs_timeout = 30\n"
                            "listen_tls = 0\n");
    g_assert_nonnull(conf);
    g_assert_cmpint(daemonConfigLoad(cfg, conf, &unknown), ==, 0);
    g_assert_cmpstr(cfg->unix_sock_group, ==, "kvm");
    g_assert_cmpuint(cfg->unix_sock_ro_perms, ==, 0755);
    g_assert_cmpuint(cfg->unix_sock_rw_perms, ==, 0770);
    g_assert_cmpstr(cfg->unix_sock_dir, ==, "/tmp/sockets");
    g_assert_cmpuint(cfg->srv.max_clients, ==, 100);
    g_assert_cmpuint(cfg->srv.max_queued_clients, ==, 10);
    g_assert_cmpuint(cfg->srv.max_anonymous_clients, ==, 7);
    g_assert_cmpuint(cfg->srv.min_workers, ==, 2);
    g_assert_cmpuint(cfg->srv.max_workers, ==, 8);
    g_assert_cmpuint(cfg->srv.prio_workers, ==, 3);
    g_assert_cmpuint(cfg->srv.max_client_requests, ==, 9);
    g_assert_cmpint(cfg->srv.keepalive_interval, ==, -1);
    g_assert_cmpuint(cfg->srv.keepalive_count, ==, 0);
    g_assert_cmpuint(cfg->admin.min_workers, ==, 1);
    g_assert_cmpuint(cfg->admin.max_workers, ==, 2);
    g_assert_cmpuint(cfg->admin.max_clients, ==, 3);
    g_assert_cmpuint(cfg->admin.max_queued_clients, ==, 4);
    g_assert_cmpuint(cfg->admin.max_client_requests, ==, 6);
    g_assert_cmpint(cfg->admin.keepalive_interval, ==, 10);
    g_assert_cmpuint(cfg->admin.keepalive_count, ==, 11);
    g_assert_cmpuint(cfg->log_level, ==, 1);
    g_assert_cmpstr(cfg->log_filters, ==, "1:daemon 3:rpc");
    g_assert_cmpstr(cfg->log_outputs, ==, "2:stderr");
    g_assert_cmpuint(cfg->audit_level, ==, 2);
    g_assert_true(cfg->audit_logging);
    g_assert_cmpstr(cfg->host_uuid, ==, "00000000-0000-0000-0000-000000000001");
    g_assert_cmpstr(cfg->host_uuid_source, ==, "machine-id");
    g_assert_cmpuint(cfg->ovs_timeout, ==, 30);
    /* unknown keys are reported for a warning, not an error */
    g_assert_cmpuint(g_strv_length(unknown), ==, 1);
    g_assert_cmpstr(unknown[0], ==, "/etc/libvirt/virtsecretd.conf:33: listen_tls");
}

typedef struct {
    const char *text;
    int code;
    const char *message;
} BadCase;

static void
testBadValues(void)
{
    static const BadCase cases[] = {
        { "\n\nmax_workers = \"lots\"\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:3: max_workers: expected an unsigned integer, got \"lots\"" },
        { "unix_sock_rw_perms = \"rw\"\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: unix_sock_rw_perms: expected an octal file mode such as \"0700\", "
          "got \"rw\"" },
        { "unix_sock_ro_perms = \"0999\"\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: unix_sock_ro_perms: expected an octal" },
        { "unix_sock_admin_perms = 700\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: unix_sock_admin_perms: expected a quoted string, got 700" },
        { "auth_unix_rw = \"polkit\"\n", VIR_ERR_CONFIG_UNSUPPORTED,
          "bad.conf:1: auth_unix_rw: authentication scheme \"polkit\" is not supported" },
        { "auth_unix_ro = \"kerberos\"\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: auth_unix_ro: expected \"none\", \"polkit\" or \"sasl\", got "
          "\"kerberos\"" },
        { "min_workers = 30\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: min_workers: min_workers (30) must not be larger than max_workers (20)" },
        { "max_workers = 0\n", VIR_ERR_CONF_SYNTAX, "bad.conf:1: max_workers: must be at least 1" },
        { "admin_min_workers = 9\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: admin_min_workers: admin_min_workers (9) must not be larger" },
        { "max_clients = -3\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: max_clients: expected an unsigned integer, got -3" },
        { "max_clients = 10\nmax_anonymous_clients = 11\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:2: max_anonymous_clients: max_anonymous_clients (11) must not be larger" },
        { "keepalive_interval = -2\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: keepalive_interval: expected -1 (disabled)" },
        { "log_level = 5\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: log_level: expected 1 (debug) to 4 (error), got 5" },
        { "log_filters = [ \"1:x\" ]\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: log_filters: expected a quoted string, got a list of 1 items" },
        { "audit_logging = 2\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: audit_logging: expected 0 or 1, got 2" },
        { "audit_level = 3\n", VIR_ERR_CONF_SYNTAX, "bad.conf:1: audit_level: expected 0, 1 or 2" },
        { "host_uuid = \"nope\"\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: host_uuid: expected a UUID, got \"nope\"" },
        { "host_uuid_source = \"dmi\"\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: host_uuid_source: expected \"smbios\" or \"machine-id\"" },
        { "unix_sock_dir = \"relative\"\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: unix_sock_dir: expected an absolute directory" },
        { "access_drivers = [ \"polkit\" ]\n", VIR_ERR_CONFIG_UNSUPPORTED,
          "bad.conf:1: access_drivers: access driver \"polkit\" is not supported" },
        { "ovs_timeout = \"x\"\n", VIR_ERR_CONF_SYNTAX,
          "bad.conf:1: ovs_timeout: expected an unsigned integer" },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(daemonConfig) cfg = daemonConfigNew();
        g_autoptr(mvConf) conf = mvConfReadString("bad.conf", cases[i].text);

        g_assert_nonnull(conf);
        if (daemonConfigLoad(cfg, conf, NULL) == 0)
            g_error("case %zu accepted: %s", i, cases[i].text);
        assertError(cases[i].code, cases[i].message);
    }
}

static void
testLoadFile(void)
{
    g_autofree char *dir = g_dir_make_tmp("mvdcfg-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "virtsecretd.conf", NULL);
    g_autofree char *missing = g_build_filename(dir, "missing.conf", NULL);
    g_autoptr(daemonConfig) cfg = daemonConfigNew();
    g_auto(GStrv) unknown = NULL;

    /* a missing default file is fine, a missing --config file is not */
    g_assert_cmpint(daemonConfigLoadFile(cfg, missing, false, &unknown), ==, 0);
    g_assert_nonnull(unknown);
    g_assert_cmpint(daemonConfigLoadFile(cfg, missing, true, NULL), ==, -1);
    assertError(VIR_ERR_SYSTEM_ERROR, "missing.conf");

    g_assert_true(g_file_set_contents(path, "max_workers = 3\nmin_workers = 1\n", -1, NULL));
    g_assert_cmpint(daemonConfigLoadFile(cfg, path, true, NULL), ==, 0);
    g_assert_cmpuint(cfg->srv.max_workers, ==, 3);
    (void)g_remove(path);
    (void)g_rmdir(dir);
}

static void
testPathsSystem(void)
{
    const char *env[] = { "HOME=/home/u", "XDG_RUNTIME_DIR=/run/user/1000", NULL };
    g_autoptr(daemonPaths) p = daemonPathsNew("virtsecretd.conf", "virtsecretd", true, env);

    g_assert_true(p->privileged);
    g_assert_cmpstr(p->configDir, ==, MV_SYSCONFDIR "/libvirt");
    g_assert_cmpstr(p->configFile, ==, MV_SYSCONFDIR "/libvirt/virtsecretd.conf");
    g_assert_cmpstr(p->runDir, ==, MV_RUNSTATEDIR "/libvirt");
    g_assert_cmpstr(p->stateDir, ==, MV_LOCALSTATEDIR "/lib/libvirt");
    g_assert_cmpstr(p->sockRW, ==, MV_RUNSTATEDIR "/libvirt/virtsecretd-sock");
    g_assert_cmpstr(p->sockRO, ==, MV_RUNSTATEDIR "/libvirt/virtsecretd-sock-ro");
    g_assert_cmpstr(p->sockAdmin, ==, MV_RUNSTATEDIR "/libvirt/virtsecretd-admin-sock");

    daemonPathsSetSockDir(p, "virtsecretd", "/tmp/s");
    g_assert_cmpstr(p->sockRW, ==, "/tmp/s/virtsecretd-sock");
    g_assert_cmpstr(p->sockRO, ==, "/tmp/s/virtsecretd-sock-ro");
    g_assert_cmpstr(p->sockAdmin, ==, "/tmp/s/virtsecretd-admin-sock");
}

static void
testPathsSession(void)
{
    const char *env[] = {
        "HOME=/home/u", "XDG_RUNTIME_DIR=/run/user/1000", "XDG_CONFIG_HOME=/c",
        "XDG_CACHE_HOME=/k", "XDG_DATA_HOME=/d", NULL
    };
    g_autoptr(daemonPaths) p = daemonPathsNew("virtsecretd.conf", "virtsecretd", false, env);

    g_assert_false(p->privileged);
    g_assert_cmpstr(p->configDir, ==, "/c/libvirt");
    g_assert_cmpstr(p->configFile, ==, "/c/libvirt/virtsecretd.conf");
    g_assert_cmpstr(p->stateDir, ==, "/d/libvirt");
    g_assert_cmpstr(p->cacheDir, ==, "/k/libvirt");
    g_assert_cmpstr(p->logDir, ==, "/k/libvirt/log");
    g_assert_cmpstr(p->runDir, ==, "/run/user/1000/libvirt");
    g_assert_cmpstr(p->sockRW, ==, "/run/user/1000/libvirt/virtsecretd-sock");
    g_assert_null(p->sockRO);
    g_assert_cmpstr(p->sockAdmin, ==, "/run/user/1000/libvirt/virtsecretd-admin-sock");
}

static void
testPathsSessionFallbacks(void)
{
    const char *env[] = { "HOME=/home/u", "XDG_CONFIG_HOME=relative", NULL };
    g_autoptr(daemonPaths) p = daemonPathsNew("virtsecretd.conf", "virtsecretd", false, env);

    g_assert_cmpstr(p->configDir, ==, "/home/u/.config/libvirt");
    g_assert_cmpstr(p->stateDir, ==, "/home/u/.local/share/libvirt");
    g_assert_cmpstr(p->cacheDir, ==, "/home/u/.cache/libvirt");
    /* no XDG_RUNTIME_DIR: the sockets go to the cache dir, as in libvirt */
    g_assert_cmpstr(p->runDir, ==, "/home/u/.cache/libvirt");
    g_assert_cmpstr(p->sockRW, ==, "/home/u/.cache/libvirt/virtsecretd-sock");
}

static void
testPathsMakeDirs(void)
{
    g_autofree char *dir = g_dir_make_tmp("mvdpaths-XXXXXX", NULL);
    g_autofree char *rt = g_build_filename(dir, "rt", NULL);
    g_autofree char *home = g_strdup_printf("HOME=%s", dir);
    g_autofree char *xdg = g_strdup_printf("XDG_RUNTIME_DIR=%s", rt);
    const char *env[] = { home, xdg, NULL };
    g_autoptr(daemonPaths) p = daemonPathsNew("virtsecretd.conf", "virtsecretd", false, env);
    GStatBuf st;

    g_assert_cmpint(daemonPathsMakeDirs(p), ==, 0);
    g_assert_cmpint(g_stat(p->runDir, &st), ==, 0);
    g_assert_cmpuint(st.st_mode & 07777, ==, 0700);
    g_assert_cmpint(g_stat(p->stateDir, &st), ==, 0);
    g_assert_cmpint(g_stat(p->cacheDir, &st), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/daemons/config/defaults", testDefaults);
    g_test_add_func("/daemons/config/all-keys", testAllKeys);
    g_test_add_func("/daemons/config/bad-values", testBadValues);
    g_test_add_func("/daemons/config/load-file", testLoadFile);
    g_test_add_func("/daemons/paths/system", testPathsSystem);
    g_test_add_func("/daemons/paths/session", testPathsSession);
    g_test_add_func("/daemons/paths/session-fallbacks", testPathsSessionFallbacks);
    g_test_add_func("/daemons/paths/make-dirs", testPathsMakeDirs);
    return g_test_run();
}
