/*
 * Unit tests of common/mv_conf: libvirt's configuration syntax, the typed
 * getters and the messages (file, line, key) of every kind of error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <glib/gstdio.h>
#include <limits.h>

#include "mv_conf.h"
#include "mv_error.h"

/* Asserts the current error is CONF_SYNTAX and its message contains @frag. */
static void
assertConfError(const char *frag)
{
    virErrorPtr err = mvErrorGetLast();

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_CONF_SYNTAX);
    g_assert_cmpint(err->domain, ==, VIR_FROM_CONF);
    if (!strstr(err->message, frag))
        g_error("message '%s' lacks '%s'", err->message, frag);
    mvErrorReset();
}

static void
testBasic(void)
{
    g_autoptr(mvConf) conf = NULL;
    g_autofree char *s1 = NULL;
    g_autofree char *s2 = NULL;
    g_autofree char *s3 = NULL;
    unsigned int u = 0;
    int i = 0;
    bool b = false;

    conf = mvConfReadString("t.conf",
                            "# a comment\n"
                            "\n"
                            "   \t\n"
                            "unix_sock_group = \"libvirt\"   # trailing comment\n"
                            "unix_sock_ro_perms='0777'\n"
                            "max_workers = 20\n"
                            "neg=-5\n"
                            "plus = +7\n"
                            "audit_logging = 1\n"
                            "a = 1; b = \"x\"\n"
                            "path = \"C:\\dir\\n\"\n");
    g_assert_nonnull(conf);
    g_assert_cmpint(mvConfGetString(conf, "unix_sock_group", &s1), ==, 1);
    g_assert_cmpstr(s1, ==, "libvirt");
    g_assert_cmpint(mvConfGetString(conf, "unix_sock_ro_perms", &s2), ==, 1);
    g_assert_cmpstr(s2, ==, "0777");
    g_assert_cmpint(mvConfGetUInt(conf, "max_workers", &u), ==, 1);
    g_assert_cmpuint(u, ==, 20);
    g_assert_cmpint(mvConfGetInt(conf, "neg", &i), ==, 1);
    g_assert_cmpint(i, ==, -5);
    g_assert_cmpint(mvConfGetInt(conf, "plus", &i), ==, 1);
    g_assert_cmpint(i, ==, 7);
    g_assert_cmpint(mvConfGetBool(conf, "audit_logging", &b), ==, 1);
    g_assert_true(b);
    g_assert_cmpint(mvConfGetInt(conf, "a", &i), ==, 1);
    g_assert_cmpint(i, ==, 1);
    g_assert_true(mvConfHasKey(conf, "b"));
    /* backslashes are literal, as in libvirt */
    g_assert_cmpint(mvConfGetString(conf, "path", &s3), ==, 1);
    g_assert_cmpstr(s3, ==, "C:\\dir\\n");
    g_assert_cmpint(mvConfGetLine(conf, "max_workers"), ==, 6);
    g_assert_cmpint(mvConfGetLine(conf, "nope"), ==, 0);
    g_assert_false(mvErrorIsSet());
}

static void
testAbsentKeepsDefault(void)
{
    g_autoptr(mvConf) conf = mvConfReadString("t.conf", "x = 1\n");
    g_autofree char *s = g_strdup("default");
    g_auto(GStrv) l = NULL;
    unsigned int u = 42;
    int i = -3;
    bool b = true;

    g_assert_cmpint(mvConfGetString(conf, "nope", &s), ==, 0);
    g_assert_cmpstr(s, ==, "default");
    g_assert_cmpint(mvConfGetUInt(conf, "nope", &u), ==, 0);
    g_assert_cmpuint(u, ==, 42);
    g_assert_cmpint(mvConfGetInt(conf, "nope", &i), ==, 0);
    g_assert_cmpint(i, ==, -3);
    g_assert_cmpint(mvConfGetBool(conf, "nope", &b), ==, 0);
    g_assert_true(b);
    g_assert_cmpint(mvConfGetStringList(conf, "nope", &l), ==, 0);
    g_assert_null(l);
}

static void
testEmpty(void)
{
    g_autoptr(mvConf) c1 = mvConfReadString("e.conf", "");
    g_autoptr(mvConf) c2 = mvConfReadString("e.conf", "# only a comment");
    g_autoptr(mvConf) c3 = mvConfReadString("e.conf", "\n\n;\n");
    g_auto(GStrv) unknown = NULL;

    g_assert_nonnull(c1);
    g_assert_nonnull(c2);
    g_assert_nonnull(c3);
    unknown = mvConfListUnknownKeys(c1, NULL);
    g_assert_cmpuint(g_strv_length(unknown), ==, 0);
}

static void
testLists(void)
{
    g_autoptr(mvConf) conf = NULL;
    g_auto(GStrv) l1 = NULL;
    g_auto(GStrv) l2 = NULL;
    g_auto(GStrv) l3 = NULL;
    g_auto(GStrv) l4 = NULL;

    conf = mvConfReadString("l.conf",
                            "one = [ \"a\", \"b\" ]\n"
                            "multi = [\n"
                            "   \"x\",   # first\n"
                            "   # a comment line inside\n"
                            "\n"
                            "   'y',\n"
                            "]\n"
                            "empty = []\n"
                            "single = \"only\"\n"
                            "after = 3\n");
    g_assert_nonnull(conf);
    g_assert_cmpint(mvConfGetStringList(conf, "one", &l1), ==, 1);
    g_assert_cmpuint(g_strv_length(l1), ==, 2);
    g_assert_cmpstr(l1[0], ==, "a");
    g_assert_cmpstr(l1[1], ==, "b");
    g_assert_cmpint(mvConfGetStringList(conf, "multi", &l2), ==, 1);
    g_assert_cmpuint(g_strv_length(l2), ==, 2);
    g_assert_cmpstr(l2[1], ==, "y");
    g_assert_cmpint(mvConfGetStringList(conf, "empty", &l3), ==, 1);
    g_assert_nonnull(l3);
    g_assert_cmpuint(g_strv_length(l3), ==, 0);
    g_assert_cmpint(mvConfGetStringList(conf, "single", &l4), ==, 1);
    g_assert_cmpstr(l4[0], ==, "only");
    /* line counting continues correctly after a multi-line list */
    g_assert_cmpint(mvConfGetLine(conf, "after"), ==, 10);
    g_assert_cmpint(mvConfGetLine(conf, "multi"), ==, 2);
}

static void
testTripleQuoted(void)
{
    g_autoptr(mvConf) conf = NULL;
    g_autofree char *s = NULL;

    conf = mvConfReadString("t.conf", "x = \"\"\"line1\nline \"2\"\n\"\"\"\ny = 1\n");
    g_assert_nonnull(conf);
    g_assert_cmpint(mvConfGetString(conf, "x", &s), ==, 1);
    g_assert_cmpstr(s, ==, "line1\nline \"2\"\n");
    g_assert_cmpint(mvConfGetLine(conf, "y"), ==, 4);
}

static void
testLastWins(void)
{
    g_autoptr(mvConf) conf = mvConfReadString("t.conf", "k = 1\nk = 2\n");
    int i = 0;

    g_assert_cmpint(mvConfGetInt(conf, "k", &i), ==, 1);
    g_assert_cmpint(i, ==, 2);
    g_assert_cmpint(mvConfGetLine(conf, "k"), ==, 2);
}

typedef struct {
    const char *text;
    const char *message;
} SyntaxCase;

static void
testSyntaxErrors(void)
{
    static const SyntaxCase cases[] = {
        { "a = \"unterminated\n", "bad.conf:1: a: unterminated string (missing closing double" },
        { "\n\nb = 'x\n", "bad.conf:3: b: unterminated string (missing closing single" },
        { "c 1\n", "bad.conf:1: c: expected '=' after the setting name, got '1'" },
        { "d =\n", "bad.conf:1: d: expected a value (a quoted string, a number or a list), "
                   "got end of line" },
        { "e = yes\n", "bad.conf:1: e: expected a value" },
        { "f = 12abc\n", "bad.conf:1: f: invalid number '12a...' (strings must be quoted)" },
        { "g = \"x\" \"y\"\n", "bad.conf:1: g: expected end of line after the value, got '\"'" },
        { "# ok\nh = [ \"a\" \"b\" ]\n", "bad.conf:2: h: expected ',' or ']' in list, got '\"'" },
        { "i = [ \"a\",\n\"b\"\n", "bad.conf:1: i: list is not closed with ']'" },
        { "j = [ [ \"a\" ] ]\n", "bad.conf:1: j: lists cannot be nested" },
        { "= 3\n", "bad.conf:1: expected a setting name, got '='" },
        { "1abc = 3\n", "bad.conf:1: expected a setting name, got '1'" },
        { "k = -\n", "bad.conf:1: k: expected digits after the sign, got end of line" },
        { "l = \"\"\"never closed\n\n", "bad.conf:1: l: unterminated triple-quoted string" },
        { "ok = 1\n\n\n\n\nm = [\n \"a\",\n 5 6 ]\n", "bad.conf:8: m: expected ',' or ']'" },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(mvConf) conf = mvConfReadString("bad.conf", cases[i].text);

        if (conf)
            g_error("case %zu parsed: %s", i, cases[i].text);
        assertConfError(cases[i].message);
    }
}

static void
testTypeErrors(void)
{
    g_autoptr(mvConf) conf = NULL;
    g_autofree char *s = NULL;
    g_auto(GStrv) l = NULL;
    unsigned int u = 9;
    int i = 9;
    bool b = false;
    long long ll = 0;
    unsigned long long ull = 0;

    conf = mvConfReadString("/etc/libvirt/virtsecretd.conf",
                            "max_workers = \"lots\"\n"
                            "neg = -1\n"
                            "big = 4294967296\n"
                            "hugeint = 2147483648\n"
                            "str = 5\n"
                            "flag = 2\n"
                            "flagstr = \"yes\"\n"
                            "lst = [ \"a\", 3 ]\n"
                            "lst2 = 7\n"
                            "ll = 99999999999999999999\n"
                            "ok = 18446744073709551615\n"
                            "okneg = -9223372036854775808\n"
                            "negzero = -0\n");
    g_assert_nonnull(conf);

    g_assert_cmpint(mvConfGetUInt(conf, "max_workers", &u), ==, -1);
    assertConfError("/etc/libvirt/virtsecretd.conf:1: max_workers: expected an unsigned "
                    "integer, got \"lots\"");
    g_assert_cmpuint(u, ==, 9);
    g_assert_cmpint(mvConfGetUInt(conf, "neg", &u), ==, -1);
    assertConfError("virtsecretd.conf:2: neg: expected an unsigned integer, got -1");
    g_assert_cmpint(mvConfGetUInt(conf, "big", &u), ==, -1);
    assertConfError("virtsecretd.conf:3: big: value 4294967296 is out of range");
    g_assert_cmpint(mvConfGetInt(conf, "hugeint", &i), ==, -1);
    assertConfError("virtsecretd.conf:4: hugeint: value 2147483648 is out of range");
    g_assert_cmpint(i, ==, 9);
    g_assert_cmpint(mvConfGetString(conf, "str", &s), ==, -1);
    assertConfError("virtsecretd.conf:5: str: expected a quoted string, got 5");
    g_assert_null(s);
    g_assert_cmpint(mvConfGetBool(conf, "flag", &b), ==, -1);
    assertConfError("virtsecretd.conf:6: flag: expected 0 or 1, got 2");
    g_assert_cmpint(mvConfGetBool(conf, "flagstr", &b), ==, -1);
    assertConfError("virtsecretd.conf:7: flagstr: expected 0 or 1, got \"yes\"");
    g_assert_cmpint(mvConfGetStringList(conf, "lst", &l), ==, -1);
    assertConfError("virtsecretd.conf:8: lst: item 2 of the list: expected a quoted string, "
                    "got 3");
    g_assert_null(l);
    g_assert_cmpint(mvConfGetStringList(conf, "lst2", &l), ==, -1);
    assertConfError("virtsecretd.conf:9: lst2: expected a list of quoted strings, got 7");
    g_assert_cmpint(mvConfGetLLong(conf, "ll", &ll), ==, -1);
    assertConfError("virtsecretd.conf:10: ll: value 99999999999999999999 is out of range");
    g_assert_cmpint(mvConfGetString(conf, "lst", &s), ==, -1);
    assertConfError("virtsecretd.conf:8: lst: expected a quoted string, got a list of 2 items");

    g_assert_cmpint(mvConfGetULLong(conf, "ok", &ull), ==, 1);
    g_assert_cmpuint(ull, ==, G_MAXUINT64);
    g_assert_cmpint(mvConfGetLLong(conf, "okneg", &ll), ==, 1);
    g_assert_cmpint(ll, ==, G_MININT64);
    g_assert_cmpint(mvConfGetUInt(conf, "negzero", &u), ==, 1);
    g_assert_cmpuint(u, ==, 0);
    g_assert_cmpint(mvConfGetInt(conf, "neg", &i), ==, 1);
    g_assert_cmpint(i, ==, -1);
}

static void
testUnknownKeys(void)
{
    static const char * const known[] = { "max_workers", "log_level", NULL };
    g_autoptr(mvConf) conf = mvConfReadString("k.conf",
                                              "max_workers = 3\n"
                                              "typo_key = 1\n"
                                              "log_level = 2\n"
                                              "other = \"x\"\n");
    g_auto(GStrv) unknown = mvConfListUnknownKeys(conf, known);

    g_assert_cmpuint(g_strv_length(unknown), ==, 2);
    g_assert_cmpstr(unknown[0], ==, "k.conf:2: typo_key");
    g_assert_cmpstr(unknown[1], ==, "k.conf:4: other");
}

static void
testFile(void)
{
    g_autofree char *dir = g_dir_make_tmp("mvconf-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "x.conf", NULL);
    g_autofree char *missing = g_build_filename(dir, "missing.conf", NULL);
    g_autoptr(mvConf) conf = NULL;
    g_autoptr(mvConf) bad = NULL;
    g_autoptr(mvConf) none = NULL;
    virErrorPtr err;
    unsigned int u = 0;

    g_assert_true(g_file_set_contents(path, "# hdr\nmax_clients = 10\n", -1, NULL));
    conf = mvConfReadFile(path);
    g_assert_nonnull(conf);
    g_assert_cmpstr(mvConfGetName(conf), ==, path);
    g_assert_cmpint(mvConfGetUInt(conf, "max_clients", &u), ==, 1);
    g_assert_cmpuint(u, ==, 10);

    g_assert_true(g_file_set_contents(path, "\nmax_clients = ten\n", -1, NULL));
    bad = mvConfReadFile(path);
    g_assert_null(bad);
    err = mvErrorGetLast();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_CONF_SYNTAX);
    g_assert_nonnull(strstr(err->message, path));
    g_assert_nonnull(strstr(err->message, ":2: max_clients:"));
    mvErrorReset();

    none = mvConfReadFile(missing);
    g_assert_null(none);
    g_assert_true(mvErrorIsSet());
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "missing.conf"));
    mvErrorReset();

    g_unlink(path);
    g_rmdir(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/common/conf/basic", testBasic);
    g_test_add_func("/common/conf/absent-keeps-default", testAbsentKeepsDefault);
    g_test_add_func("/common/conf/empty", testEmpty);
    g_test_add_func("/common/conf/lists", testLists);
    g_test_add_func("/common/conf/triple-quoted", testTripleQuoted);
    g_test_add_func("/common/conf/last-wins", testLastWins);
    g_test_add_func("/common/conf/syntax-errors", testSyntaxErrors);
    g_test_add_func("/common/conf/type-errors", testTypeErrors);
    g_test_add_func("/common/conf/unknown-keys", testUnknownKeys);
    g_test_add_func("/common/conf/file", testFile);
    return g_test_run();
}
