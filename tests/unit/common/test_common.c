/*
 * Unit tests of common/: the error object (message composition, prefixes,
 * save/restore, thread locality), UUIDs, atomic files and logging settings.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mv_error.h"
#include "mv_file.h"
#include "mv_log.h"
#include "mv_uuid.h"

#define MV_FROM_THIS VIR_FROM_SECRET

static void
test_error_detail(void)
{
    virErrorPtr err;

    mvErrorReset();
    g_assert_null(mvErrorGetLast());
    mvReportError(VIR_ERR_NO_SECRET, "no secret with matching uuid '%s'", "abc");
    err = mvErrorGetLast();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_NO_SECRET);
    g_assert_cmpint(err->domain, ==, VIR_FROM_SECRET);
    g_assert_cmpint(err->level, ==, VIR_ERR_ERROR);
    g_assert_cmpstr(err->message, ==, "Secret not found: no secret with matching uuid 'abc'");
    g_assert_cmpstr(err->str1, ==, "Secret not found: %s");
    g_assert_cmpstr(err->str2, ==, "no secret with matching uuid 'abc'");
    g_assert_null(err->str3);
    g_assert_cmpint(err->int1, ==, -1);
    g_assert_cmpint(err->int2, ==, -1);
}

static void
test_error_bare(void)
{
    virErrorPtr err;

    mvReportError(VIR_ERR_NO_DOMAIN, NULL);
    err = mvErrorGetLast();
    g_assert_cmpstr(err->message, ==, "Domain not found");
    g_assert_cmpstr(err->str1, ==, "Domain not found");
    g_assert_null(err->str2);
}

static void
test_error_noprefix(void)
{
    virErrorPtr err;

    mvReportError(VIR_ERR_RPC, "unknown procedure: %d", 9999);
    err = mvErrorGetLast();
    g_assert_cmpstr(err->message, ==, "unknown procedure: 9999");
    g_assert_cmpstr(err->str1, ==, "%s");

    mvReportSystemError(ENOENT, "cannot open '%s'", "/nope");
    err = mvErrorGetLast();
    g_assert_cmpint(err->code, ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpstr(err->message, ==, "cannot open '/nope': No such file or directory");
}

static void
test_error_denied(void)
{
    mvReportError(VIR_ERR_OPERATION_DENIED, "read only access prevents %s", "virSecretSetValue");
    g_assert_cmpstr(mvErrorGetLast()->message, ==,
                    "operation forbidden: read only access prevents virSecretSetValue");
}

static void
test_error_save_restore(void)
{
    g_autoptr(mvErrorSaved) saved = NULL;

    mvReportError(VIR_ERR_INVALID_ARG, "first");
    saved = mvErrorSave();
    mvReportError(VIR_ERR_INTERNAL_ERROR, "second");
    mvErrorRestore(&saved);
    g_assert_null(saved);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpstr(mvErrorGetLast()->message, ==, "invalid argument: first");
    mvErrorReset();
    g_assert_false(mvErrorIsSet());
}

static gpointer
error_thread(gpointer data)
{
    g_assert_null(mvErrorGetLast());
    mvReportError(VIR_ERR_INTERNAL_ERROR, "in the thread");
    return NULL;
}

static void
test_error_thread_local(void)
{
    GThread *t;

    mvReportError(VIR_ERR_NO_SECRET, "main");
    t = g_thread_new("err", error_thread, NULL);
    g_thread_join(t);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_NO_SECRET);
}

static int
check_flags(unsigned int flags)
{
    mvCheckFlags(flags, 0x3, -1);
    return 0;
}

static void
test_error_flags(void)
{
    g_assert_cmpint(check_flags(0x1), ==, 0);
    g_assert_cmpint(check_flags(0x10), ==, -1);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INVALID_ARG);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "unsupported flags (0x10)"));
}

static void
test_uuid(void)
{
    unsigned char u[MV_UUID_BUFLEN], v[MV_UUID_BUFLEN];
    char buf[MV_UUID_STRING_BUFLEN];

    mvUUIDGenerate(u);
    g_assert_cmpint(u[6] >> 4, ==, 4);
    g_assert_cmpint(mvUUIDParse(mvUUIDFormat(u, buf), v), ==, 0);
    g_assert_cmpmem(u, 16, v, 16);
    g_assert_cmpint(strlen(buf), ==, 36);
    g_assert_cmpint(mvUUIDParse("0A7D64A5-3C0B-4A4E-9A53-6D1C2F6B8E01", v), ==, 0);
    g_assert_cmpstr(mvUUIDFormat(v, buf), ==, "0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e01");
    g_assert_cmpint(mvUUIDParse("0a7d64a53c0b4a4e9a536d1c2f6b8e01", v), ==, 0);
    g_assert_cmpint(mvUUIDParse("0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e0", v), ==, -1);
    g_assert_cmpint(mvUUIDParse("0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e011", v), ==, -1);
    g_assert_cmpint(mvUUIDParse("not-a-uuid", v), ==, -1);
    g_assert_cmpint(mvUUIDParse("", v), ==, -1);
    g_assert_false(mvUUIDIsValidString("zz7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e01"));
}

static void
test_file(void)
{
    g_autofree char *dir = g_dir_make_tmp("mvtest-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "a", "b", "f.txt", NULL);
    g_autofree char *parent = g_path_get_dirname(path);
    g_autofree char *data = NULL;
    size_t len = 0;
    struct stat st;

    g_assert_cmpint(mvFileMakePath(parent, 0700), ==, 0);
    g_assert_cmpint(mvFileWriteAtomic(path, "hello", 5, 0600), ==, 0);
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_assert_cmpint(mvFileReadAll(path, 100, &data, &len), ==, 0);
    g_assert_cmpstr(data, ==, "hello");
    g_assert_cmpint(len, ==, 5);
    g_clear_pointer(&data, g_free);
    g_assert_cmpint(mvFileWriteAtomic(path, "replaced!", 9, 0600), ==, 0);
    g_assert_cmpint(mvFileReadAll(path, 4, &data, &len), ==, -1);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "larger than the limit"));
    g_assert_cmpint(mvFileReadAll("/nonexistent/x", 4, &data, &len), ==, -1);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpint(mvFileUnlink(path), ==, 0);
    g_assert_cmpint(mvFileUnlink(path), ==, 0);
    g_rmdir(parent);
    g_autofree char *ab = g_build_filename(dir, "a", NULL);
    g_rmdir(ab);
    g_rmdir(dir);
}

static void
test_log_settings(void)
{
    g_autofree char *f = NULL;
    g_autofree char *o = NULL;

    g_assert_cmpint(mvLogSetFilters("3:rpc 1:secret.driver"), ==, 0);
    f = mvLogGetFilters();
    g_assert_cmpstr(f, ==, "3:rpc 1:secret.driver");
    g_assert_cmpint(mvLogSetFilters("9:rpc"), ==, -1);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_CONF_SYNTAX);
    g_assert_cmpint(mvLogSetOutputs("2:stderr"), ==, 0);
    o = mvLogGetOutputs();
    g_assert_cmpstr(o, ==, "2:stderr");
    g_assert_cmpint(mvLogSetOutputs("2:file:relative/path"), ==, -1);
    g_assert_cmpint(mvLogSetOutputs("1:carrier-pigeon"), ==, -1);
    g_assert_cmpint(mvLogSetDefaultPriority(0), ==, -1);
    mvLogReset();
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/common/error/detail", test_error_detail);
    g_test_add_func("/common/error/bare", test_error_bare);
    g_test_add_func("/common/error/no-prefix", test_error_noprefix);
    g_test_add_func("/common/error/denied", test_error_denied);
    g_test_add_func("/common/error/save-restore", test_error_save_restore);
    g_test_add_func("/common/error/thread-local", test_error_thread_local);
    g_test_add_func("/common/error/flags", test_error_flags);
    g_test_add_func("/common/uuid", test_uuid);
    g_test_add_func("/common/file", test_file);
    g_test_add_func("/common/log/settings", test_log_settings);
    return g_test_run();
}
