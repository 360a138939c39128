/*
 * daemon_config: see daemon_config.h.  Each key is read with the typed
 * getters of mv_conf (which already name file, line and key on a type
 * error); values that parse but make no sense (a mode that is not octal, an
 * auth scheme we lack, min above max) are reported here in the same form.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "daemon_config.h"
#include "mv_error.h"
#include "mv_log.h"
#include "mv_uuid.h"

#define MV_FROM_THIS VIR_FROM_CONF

MV_LOG_INIT("daemon.config");

static const char * const daemonConfigKeys[] = {
    "unix_sock_group", "unix_sock_ro_perms", "unix_sock_rw_perms",
    "unix_sock_admin_perms", "unix_sock_dir",
    "auth_unix_ro", "auth_unix_rw", "access_drivers",
    "max_clients", "max_queued_clients", "max_anonymous_clients",
    "min_workers", "max_workers", "prio_workers", "max_client_requests",
    "admin_min_workers", "admin_max_workers", "admin_max_clients",
    "admin_max_queued_clients", "admin_max_client_requests",
    "keepalive_interval", "keepalive_count",
    "admin_keepalive_interval", "admin_keepalive_count",
    "log_level", "log_filters", "log_outputs",
    "audit_level", "audit_logging", "host_uuid", "host_uuid_source",
    "ovs_timeout",
    NULL
};

const char * const *
daemonConfigKnownKeys(void)
{
    return daemonConfigKeys;
}

daemonConfig *
daemonConfigNew(void)
{
    daemonConfig *cfg = g_new0(daemonConfig, 1);

    cfg->unix_sock_ro_perms = 0777;
    cfg->unix_sock_rw_perms = 0700;
    cfg->unix_sock_admin_perms = 0700;
    cfg->auth_unix_ro = DAEMON_AUTH_NONE;
    cfg->auth_unix_rw = DAEMON_AUTH_NONE;

    cfg->srv.min_workers = 5;
    cfg->srv.max_workers = 20;
    cfg->srv.prio_workers = 5;
    cfg->srv.max_clients = 5000;
    cfg->srv.max_anonymous_clients = 20;
    cfg->srv.max_queued_clients = 1000;
    cfg->srv.max_client_requests = 5;
    cfg->srv.keepalive_interval = 5;
    cfg->srv.keepalive_count = 5;

    cfg->admin.min_workers = 1;
    cfg->admin.max_workers = 5;
    cfg->admin.prio_workers = 0;
    cfg->admin.max_clients = 5;
    cfg->admin.max_anonymous_clients = 5;
    cfg->admin.max_queued_clients = 5;
    cfg->admin.max_client_requests = 5;
    cfg->admin.keepalive_interval = 5;
    cfg->admin.keepalive_count = 5;

    cfg->audit_level = 1;
    cfg->audit_logging = false;
    cfg->host_uuid_source = g_strdup("smbios");
    cfg->ovs_timeout = 5;
    return cfg;
}

void
daemonConfigFree(daemonConfig *cfg)
{
    if (!cfg)
        return;
    g_free(cfg->unix_sock_group);
    g_free(cfg->unix_sock_dir);
    g_free(cfg->log_filters);
    g_free(cfg->log_outputs);
    g_free(cfg->host_uuid);
    g_free(cfg->host_uuid_source);
    g_free(cfg);
}

/* Reports a bad value of @key in the usual "FILE:LINE: KEY: ..." form. */
#define daemonConfigBad(conf, key, code, fmt, ...) \
    mvReportError(code, "%s:%d: %s: " fmt, mvConfGetName(conf), \
                  mvConfGetLine(conf, key), key, __VA_ARGS__)

static int
daemonConfigGetPerms(const mvConf *conf, const char *key, mode_t *perms)
{
    g_autofree char *text = NULL;
    guint64 v;
    int rc;

    if ((rc = mvConfGetString(conf, key, &text)) <= 0)
        return rc;
    if (!*text || !g_ascii_string_to_unsigned(text, 8, 0, 07777, &v, NULL)) {
        daemonConfigBad(conf, key, VIR_ERR_CONF_SYNTAX,
                        "expected an octal file mode such as \"0700\", got \"%s\"", text);
        return -1;
    }
    *perms = (mode_t)v;
    return 1;
}

static int
daemonConfigGetAuth(const mvConf *conf, const char *key, daemonAuthType *auth)
{
    g_autofree char *text = NULL;
    int rc;

    if ((rc = mvConfGetString(conf, key, &text)) <= 0)
        return rc;
    if (g_str_equal(text, "none")) {
        *auth = DAEMON_AUTH_NONE;
        return 1;
    }
    if (g_str_equal(text, "polkit") || g_str_equal(text, "sasl")) {
        daemonConfigBad(conf, key, VIR_ERR_CONFIG_UNSUPPORTED,
                        "authentication scheme \"%s\" is not supported by modvirt yet; "
                        "use \"none\" and restrict access with unix_sock_group and "
                        "unix_sock_rw_perms", text);
        return -1;
    }
    daemonConfigBad(conf, key, VIR_ERR_CONF_SYNTAX,
                    "expected \"none\", \"polkit\" or \"sasl\", got \"%s\"", text);
    return -1;
}

static int
daemonConfigGetLimits(const mvConf *conf, bool admin, daemonServerLimits *lim)
{
    const char *p = admin ? "admin_" : "";
    g_autofree char *kMin = g_strdup_printf("%smin_workers", p);
    g_autofree char *kMax = g_strdup_printf("%smax_workers", p);
    g_autofree char *kClients = g_strdup_printf("%smax_clients", p);
    g_autofree char *kQueued = g_strdup_printf("%smax_queued_clients", p);
    g_autofree char *kReq = g_strdup_printf("%smax_client_requests", p);
    g_autofree char *kKaInt = g_strdup_printf("%skeepalive_interval", p);
    g_autofree char *kKaCount = g_strdup_printf("%skeepalive_count", p);

    if (mvConfGetUInt(conf, kMin, &lim->min_workers) < 0 ||
        mvConfGetUInt(conf, kMax, &lim->max_workers) < 0 ||
        mvConfGetUInt(conf, kClients, &lim->max_clients) < 0 ||
        mvConfGetUInt(conf, kQueued, &lim->max_queued_clients) < 0 ||
        mvConfGetUInt(conf, kReq, &lim->max_client_requests) < 0 ||
        mvConfGetInt(conf, kKaInt, &lim->keepalive_interval) < 0 ||
        mvConfGetUInt(conf, kKaCount, &lim->keepalive_count) < 0)
        return -1;
    if (!admin) {
        if (mvConfGetUInt(conf, "prio_workers", &lim->prio_workers) < 0 ||
            mvConfGetUInt(conf, "max_anonymous_clients", &lim->max_anonymous_clients) < 0)
            return -1;
    }

    if (lim->max_workers == 0) {
        daemonConfigBad(conf, kMax, VIR_ERR_CONF_SYNTAX, "%s",
                        "must be at least 1");
        return -1;
    }
    if (lim->min_workers > lim->max_workers) {
        const char *key = mvConfHasKey(conf, kMin) ? kMin : kMax;
        daemonConfigBad(conf, key, VIR_ERR_CONF_SYNTAX,
                        "%s (%u) must not be larger than %s (%u)",
                        kMin, lim->min_workers, kMax, lim->max_workers);
        return -1;
    }
    if (lim->max_clients == 0) {
        daemonConfigBad(conf, kClients, VIR_ERR_CONF_SYNTAX, "%s", "must be at least 1");
        return -1;
    }
    if (lim->max_client_requests == 0) {
        daemonConfigBad(conf, kReq, VIR_ERR_CONF_SYNTAX, "%s", "must be at least 1");
        return -1;
    }
    if (lim->keepalive_interval < -1) {
        daemonConfigBad(conf, kKaInt, VIR_ERR_CONF_SYNTAX,
                        "expected -1 (disabled) or a number of seconds, got %d",
                        lim->keepalive_interval);
        return -1;
    }
    if (!admin && lim->max_anonymous_clients > lim->max_clients) {
        const char *key = mvConfHasKey(conf, "max_anonymous_clients") ?
                          "max_anonymous_clients" : kClients;
        daemonConfigBad(conf, key, VIR_ERR_CONF_SYNTAX,
                        "max_anonymous_clients (%u) must not be larger than max_clients (%u)",
                        lim->max_anonymous_clients, lim->max_clients);
        return -1;
    }
    return 0;
}

int
daemonConfigLoad(daemonConfig *cfg, const mvConf *conf, char ***unknown)
{
    g_auto(GStrv) access = NULL;
    int rc;

    if (mvConfGetString(conf, "unix_sock_group", &cfg->unix_sock_group) < 0 ||
        daemonConfigGetPerms(conf, "unix_sock_ro_perms", &cfg->unix_sock_ro_perms) < 0 ||
        daemonConfigGetPerms(conf, "unix_sock_rw_perms", &cfg->unix_sock_rw_perms) < 0 ||
        daemonConfigGetPerms(conf, "unix_sock_admin_perms", &cfg->unix_sock_admin_perms) < 0 ||
        mvConfGetString(conf, "unix_sock_dir", &cfg->unix_sock_dir) < 0 ||
        daemonConfigGetAuth(conf, "auth_unix_ro", &cfg->auth_unix_ro) < 0 ||
        daemonConfigGetAuth(conf, "auth_unix_rw", &cfg->auth_unix_rw) < 0)
        return -1;

    if (cfg->unix_sock_group && !*cfg->unix_sock_group)
        g_clear_pointer(&cfg->unix_sock_group, g_free);
    if (cfg->unix_sock_dir && !g_path_is_absolute(cfg->unix_sock_dir)) {
        daemonConfigBad(conf, "unix_sock_dir", VIR_ERR_CONF_SYNTAX,
                        "expected an absolute directory, got \"%s\"", cfg->unix_sock_dir);
        return -1;
    }

    if ((rc = mvConfGetStringList(conf, "access_drivers", &access)) < 0)
        return -1;
    if (rc == 1 && access[0]) {
        size_t i;
        for (i = 0; access[i]; i++) {
            if (!g_str_equal(access[i], "none")) {
                daemonConfigBad(conf, "access_drivers", VIR_ERR_CONFIG_UNSUPPORTED,
                                "access driver \"%s\" is not supported by modvirt yet",
                                access[i]);
                return -1;
            }
        }
    }

    if (daemonConfigGetLimits(conf, false, &cfg->srv) < 0 ||
        daemonConfigGetLimits(conf, true, &cfg->admin) < 0)
        return -1;

    if ((rc = mvConfGetUInt(conf, "log_level", &cfg->log_level)) < 0)
        return -1;
    if (rc == 1 && (cfg->log_level < 1 || cfg->log_level > 4)) {
        daemonConfigBad(conf, "log_level", VIR_ERR_CONF_SYNTAX,
                        "expected 1 (debug) to 4 (error), got %u", cfg->log_level);
        return -1;
    }
    if (mvConfGetString(conf, "log_filters", &cfg->log_filters) < 0 ||
        mvConfGetString(conf, "log_outputs", &cfg->log_outputs) < 0)
        return -1;

    if ((rc = mvConfGetUInt(conf, "audit_level", &cfg->audit_level)) < 0)
        return -1;
    if (rc == 1 && cfg->audit_level > 2) {
        daemonConfigBad(conf, "audit_level", VIR_ERR_CONF_SYNTAX,
                        "expected 0, 1 or 2, got %u", cfg->audit_level);
        return -1;
    }
    if (mvConfGetBool(conf, "audit_logging", &cfg->audit_logging) < 0)
        return -1;

    if ((rc = mvConfGetString(conf, "host_uuid", &cfg->host_uuid)) < 0)
        return -1;
    if (rc == 1 && !mvUUIDIsValidString(cfg->host_uuid)) {
        daemonConfigBad(conf, "host_uuid", VIR_ERR_CONF_SYNTAX,
                        "expected a UUID, got \"%s\"", cfg->host_uuid);
        return -1;
    }
    if ((rc = mvConfGetString(conf, "host_uuid_source", &cfg->host_uuid_source)) < 0)
        return -1;
    if (rc == 1 && !g_str_equal(cfg->host_uuid_source, "smbios") &&
        !g_str_equal(cfg->host_uuid_source, "machine-id")) {
        daemonConfigBad(conf, "host_uuid_source", VIR_ERR_CONF_SYNTAX,
                        "expected \"smbios\" or \"machine-id\", got \"%s\"",
                        cfg->host_uuid_source);
        return -1;
    }
    if ((rc = mvConfGetUInt(conf, "ovs_timeout", &cfg->ovs_timeout)) < 0)
        return -1;
    if (rc == 1)
        MV_DEBUG("ovs_timeout = %u accepted and ignored (no Open vSwitch support)",
                 cfg->ovs_timeout);

    if (unknown)
        *unknown = mvConfListUnknownKeys(conf, daemonConfigKeys);
    return 0;
}

int
daemonConfigLoadFile(daemonConfig *cfg, const char *path, bool mustExist,
                     char ***unknown)
{
    g_autoptr(mvConf) conf = NULL;

    if (!mustExist && access(path, F_OK) < 0 && errno == ENOENT) {
        MV_DEBUG("no config file %s, using defaults", path);
        if (unknown)
            *unknown = g_new0(char *, 1);
        return 0;
    }
    if (!(conf = mvConfReadFile(path)))
        return -1;
    return daemonConfigLoad(cfg, conf, unknown);
}
