/*
 * test_qemu_argv: golden tests of the QEMU driver's post-parse step,
 * address assignment and command-line builder.
 *
 * Every tests/data/qemuxml2argv/NAME.xml is parsed, completed with
 * mvQemuDomainPostParse against capabilities loaded from
 * caps-x86_64-7.2.txt (recorded once from the real QEMU 7.2 by
 * gen-caps.py, so results do not depend on the QEMU installed here), and
 * compared with NAME.postparse.xml; completing that output again must
 * change nothing; the argv built from it, one argument per line, is
 * compared with NAME.args.  invalid-NAME.xml must fail, in parse or
 * post-parse or the build, with the message in invalid-NAME.err.
 * MODVIRT_REGENERATE=1 (or MODVIRT_TEST_REGENERATE=1) rewrites the
 * expected files instead.  A data file no case uses fails the run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain_conf.h"
#include "mv_error.h"
#include "mv_file.h"
#include "qemu_caps.h"
#include "qemu_command.h"
#include "qemu_postparse.h"

#define TEST_MAX_FILE (4 * 1024 * 1024)

static mvQemuCaps *testCaps;
static bool regenerate;

/* Reads the recorded capabilities (see gen-caps.py for the format). */
static mvQemuCaps *
testLoadCaps(const char *path)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    mvQemuCaps *caps = mvQemuCapsNew();
    size_t len;

    g_assert_cmpint(mvFileReadAll(path, TEST_MAX_FILE, &text, &len), ==, 0);
    lines = g_strsplit(text, "\n", -1);
    caps->binary = g_strdup("/usr/bin/qemu-system-x86_64");
    /* the goldens describe a KVM host; the acceptance test swaps in TCG */
    caps->kvm = caps->tcg = true;
    for (size_t i = 0; lines[i]; i++) {
        g_auto(GStrv) f = g_strsplit(lines[i], " ", -1);
        guint n = g_strv_length(f);

        if (n < 2 || lines[i][0] == '#')
            continue;
        if (strcmp(f[0], "arch") == 0) {
            caps->arch = g_strdup(f[1]);
        } else if (strcmp(f[0], "version") == 0) {
            unsigned int a = 0, b = 0, c = 0;

            g_assert_cmpint(sscanf(f[1], "%u.%u.%u", &a, &b, &c), ==, 3);
            caps->version = a * 1000000 + b * 1000 + c;
        } else if (strcmp(f[0], "machine") == 0) {
            mvQemuCapsMachine *m = g_new0(mvQemuCapsMachine, 1);

            m->name = g_strdup(f[1]);
            for (guint k = 2; k < n; k++) {
                const char *v = strchr(f[k], '=') + 1;

                if (g_str_has_prefix(f[k], "alias=") && strcmp(v, "-") != 0)
                    m->alias = g_strdup(v);
                else if (g_str_has_prefix(f[k], "default="))
                    m->isDefault = strcmp(v, "1") == 0;
                else if (g_str_has_prefix(f[k], "maxcpus="))
                    m->maxCpus = (unsigned int)atoi(v);
                else if (g_str_has_prefix(f[k], "deprecated="))
                    m->deprecated = strcmp(v, "1") == 0;
                else if (g_str_has_prefix(f[k], "cputype=") && strcmp(v, "-") != 0)
                    m->defaultCPUType = g_strdup(v);
                else if (g_str_has_prefix(f[k], "ram=") && strcmp(v, "-") != 0)
                    m->defaultRAMId = g_strdup(v);
            }
            mvQemuCapsAddMachine(caps, m);
        } else if (strcmp(f[0], "cpu") == 0) {
            mvQemuCapsCPUModel *m = g_new0(mvQemuCapsCPUModel, 1);

            m->name = g_strdup(f[1]);
            m->usable = n > 3 && strcmp(f[3], "usable=1") == 0;
            mvQemuCapsAddCPUModel(caps, m);
        } else if (strcmp(f[0], "type") == 0) {
            g_hash_table_add(caps->types, g_strdup(f[1]));
        } else if (strcmp(f[0], "option") == 0) {
            g_hash_table_add(caps->options, g_strdup(f[1]));
        }
    }
    return caps;
}

static char *
testRead(const char *path)
{
    char *text = NULL;
    size_t len;

    if (mvFileReadAll(path, TEST_MAX_FILE, &text, &len) < 0) {
        mvErrorReset();
        return NULL;
    }
    return text;
}

/* Compares @actual with the file @path, or rewrites it when regenerating. */
static void
testCompare(const char *path, const char *actual)
{
    g_autofree char *expected = NULL;

    if (regenerate) {
        g_assert_true(g_file_set_contents(path, actual, -1, NULL));
        return;
    }
    expected = testRead(path);
    if (!expected)
        g_error("missing expected file %s (run with MODVIRT_REGENERATE=1)", path);
    if (strcmp(expected, actual) != 0) {
        g_printerr("--- %s\n+++ actual\n%s", path, actual);
        g_error("%s differs", path);
    }
}

static const mvQemuCommandOptions testOpts = {
    .monitorFD = -1,
    .monitorPath = "/var/lib/modvirt-test/run/monitor.sock",
    .libDir = "/var/lib/modvirt-test/lib",
    .runDir = "/var/lib/modvirt-test/run",
};

static char *
testArgvText(char **argv)
{
    g_autoptr(GString) s = g_string_new(NULL);

    for (size_t i = 0; argv[i]; i++)
        g_string_append_printf(s, "%s\n", argv[i]);
    return g_string_free(g_steal_pointer(&s), FALSE);
}

static void
testGolden(gconstpointer data)
{
    const char *name = data;
    g_autofree char *xmlPath = g_strdup_printf("%s/%s.xml", MV_TEST_DATADIR, name);
    g_autofree char *ppPath = g_strdup_printf("%s/%s.postparse.xml", MV_TEST_DATADIR, name);
    g_autofree char *argsPath = g_strdup_printf("%s/%s.args", MV_TEST_DATADIR, name);
    g_autoptr(mvDomainDef) def = mvDomainDefParseFile(xmlPath, 0);
    g_autoptr(mvDomainDef) again = NULL;
    g_autofree char *pp = NULL;
    g_autofree char *pp2 = NULL;
    g_autofree char *args = NULL;
    g_auto(GStrv) argv = NULL;

    if (!def)
        g_error("%s: %s", xmlPath, mvErrorGetLast()->message);
    if (mvQemuDomainPostParse(def, testCaps) < 0)
        g_error("%s: post-parse: %s", xmlPath, mvErrorGetLast()->message);
    pp = mvDomainDefFormat(def, 0);
    testCompare(ppPath, pp);

    /* idempotent: the completed definition, parsed and completed again */
    again = mvDomainDefParse(pp, 0);
    if (!again)
        g_error("%s: output does not parse: %s", name, mvErrorGetLast()->message);
    if (mvQemuDomainPostParse(again, testCaps) < 0)
        g_error("%s: second post-parse: %s", name, mvErrorGetLast()->message);
    pp2 = mvDomainDefFormat(again, 0);
    g_assert_cmpstr(pp, ==, pp2);

    g_assert_cmpint(mvQemuAssignAliases(def), ==, 0);
    if (!(argv = mvQemuBuildCommandLine(def, testCaps, &testOpts)))
        g_error("%s: argv: %s", xmlPath, mvErrorGetLast()->message);
    args = testArgvText(argv);
    testCompare(argsPath, args);
}

static void
testInvalid(gconstpointer data)
{
    const char *name = data;
    g_autofree char *xmlPath = g_strdup_printf("%s/%s.xml", MV_TEST_DATADIR, name);
    g_autofree char *errPath = g_strdup_printf("%s/%s.err", MV_TEST_DATADIR, name);
    g_autoptr(mvDomainDef) def = NULL;
    g_auto(GStrv) argv = NULL;
    g_autofree char *msg = NULL;
    bool failed = false;

    mvErrorReset();
    def = mvDomainDefParseFile(xmlPath, 0);
    if (!def || mvQemuDomainPostParse(def, testCaps) < 0)
        failed = true;
    else if (mvQemuAssignAliases(def) < 0 ||
             !(argv = mvQemuBuildCommandLine(def, testCaps, &testOpts)))
        failed = true;
    if (!failed)
        g_error("%s: accepted, but it should fail", xmlPath);
    g_assert_true(mvErrorIsSet());
    msg = g_strdup_printf("%s\n", mvErrorGetLast()->message);
    testCompare(errPath, msg);
}

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GHashTable) used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char *capsPath = g_build_filename(MV_TEST_DATADIR, "caps-x86_64-7.2.txt", NULL);
    const char *f;
    int ret;

    g_test_init(&argc, &argv, NULL);
    regenerate = g_getenv("MODVIRT_REGENERATE") || g_getenv("MODVIRT_TEST_REGENERATE");
    testCaps = testLoadCaps(capsPath);
    g_hash_table_add(used, g_strdup("caps-x86_64-7.2.txt"));
    g_hash_table_add(used, g_strdup("gen-caps.py"));
    g_hash_table_add(used, g_strdup("gen-cases.py"));
    g_hash_table_add(used, g_strdup("README"));

    dir = g_dir_open(MV_TEST_DATADIR, 0, NULL);
    g_assert_nonnull(dir);
    while ((f = g_dir_read_name(dir))) {
        if (g_str_has_suffix(f, ".xml") && !g_str_has_suffix(f, ".postparse.xml"))
            g_ptr_array_add(names, g_strndup(f, strlen(f) - 4));
    }
    /* sorted, so the cases run in a stable order */
    for (guint i = 0; i + 1 < names->len; i++)
        for (guint k = i + 1; k < names->len; k++)
            if (strcmp(g_ptr_array_index(names, i), g_ptr_array_index(names, k)) > 0) {
                gpointer t = names->pdata[i];

                names->pdata[i] = names->pdata[k];
                names->pdata[k] = t;
            }
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_strdup_printf("/qemu/argv/%s", name);

        g_hash_table_add(used, g_strdup_printf("%s.xml", name));
        if (g_str_has_prefix(name, "invalid-")) {
            g_hash_table_add(used, g_strdup_printf("%s.err", name));
            g_test_add_data_func(path, name, testInvalid);
        } else {
            g_hash_table_add(used, g_strdup_printf("%s.postparse.xml", name));
            g_hash_table_add(used, g_strdup_printf("%s.args", name));
            g_test_add_data_func(path, name, testGolden);
        }
    }
    ret = g_test_run();
    if (!regenerate) {
        g_dir_rewind(dir);
        while ((f = g_dir_read_name(dir))) {
            if (!g_hash_table_contains(used, f)) {
                g_printerr("data file %s/%s is used by no test case\n", MV_TEST_DATADIR, f);
                ret = 1;
            }
        }
    }
    mvQemuCapsUnref(testCaps);
    return ret;
}
