/*
 * Shared machinery of the XML object model unit tests: data files, golden
 * comparison with MODVIRT_TEST_REGENERATE, the invalid.txt index and the
 * "every data file is used" check.  See conf_testutil.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdlib.h>
#include <string.h>

#include "conf_testutil.h"
#include "mv_error.h"
#include "mv_file.h"

static char *dataDir;

void
confTestSetDataDir(const char *dir)
{
    g_free(dataDir);
    dataDir = g_strdup(dir);
}

char *
confTestDataPath(const char *name)
{
    g_assert_nonnull(dataDir);
    return g_build_filename(dataDir, name, NULL);
}

char *
confTestReadData(const char *name)
{
    g_autofree char *path = confTestDataPath(name);
    char *data = NULL;

    if (mvFileReadAll(path, 1 << 20, &data, NULL) < 0)
        g_error("cannot read %s: %s", path, mvErrorGetLast()->message);
    return data;
}

char *
confTestExpect(const char *outName, const char *got)
{
    char *expected;

    if (g_getenv("MODVIRT_TEST_REGENERATE")) {
        g_autofree char *path = confTestDataPath(outName);

        g_assert_cmpint(mvFileWriteAtomic(path, got, strlen(got), 0644), ==, 0);
    }
    expected = confTestReadData(outName);
    g_assert_cmpstr(got, ==, expected);
    return expected;
}

void
confTestFixedPoint(const char *name, confTestParseFormatFunc fn, unsigned int validateFlags)
{
    g_autofree char *xml = confTestReadData(name);
    g_autofree char *got = fn(name, xml, 0);
    g_autofree char *validated = NULL;

    g_assert_cmpstr(got, ==, xml);
    validated = fn(name, xml, validateFlags);
    g_assert_cmpstr(validated, ==, xml);
}

void
confTestGoldenPair(const char *base, confTestParseFormatFunc fn, unsigned int validateFlags)
{
    g_autofree char *inName = g_strdup_printf("%s-in.xml", base);
    g_autofree char *outName = g_strdup_printf("%s-out.xml", base);
    g_autofree char *in = confTestReadData(inName);
    g_autofree char *got = fn(inName, in, 0);
    g_autofree char *expected = confTestExpect(outName, got);
    g_autofree char *again = fn(outName, expected, validateFlags);

    g_assert_cmpstr(again, ==, expected);
}

static void
invalidCaseFree(gpointer p)
{
    confTestInvalidCase *c = p;

    g_free(c->file);
    g_free(c->substring);
    g_free(c);
}

/* Unescapes "\n" in the index file's substrings. */
static char *
unescape(const char *s)
{
    GString *out = g_string_new(NULL);

    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'n') {
            g_string_append_c(out, '\n');
            s++;
        } else {
            g_string_append_c(out, *s);
        }
    }
    return g_string_free(out, FALSE);
}

GPtrArray *
confTestLoadInvalid(unsigned int flags)
{
    g_autofree char *index = confTestReadData("invalid.txt");
    g_auto(GStrv) lines = g_strsplit(index, "\n", -1);
    GPtrArray *cases = g_ptr_array_new_with_free_func(invalidCaseFree);
    size_t i;

    for (i = 0; lines[i]; i++) {
        g_auto(GStrv) f = NULL;
        confTestInvalidCase *c;

        if (!*lines[i] || lines[i][0] == '#')
            continue;
        f = g_strsplit(lines[i], "|", 4);
        g_assert_cmpuint(g_strv_length(f), ==, 4);
        c = g_new0(confTestInvalidCase, 1);
        c->file = g_strdup(f[0]);
        c->code = atoi(f[1]);
        c->domain = atoi(f[2]);
        c->substring = (flags & CONF_TEST_INDEX_UNESCAPE) ? unescape(f[3]) : g_strdup(f[3]);
        g_ptr_array_add(cases, c);
    }
    return cases;
}

void
confTestAddInvalid(const GPtrArray *cases, const char *prefix, GTestDataFunc func)
{
    guint i;

    for (i = 0; i < cases->len; i++) {
        const confTestInvalidCase *c = g_ptr_array_index(cases, i);
        g_autofree char *path = g_strdup_printf("%s/%s", prefix, c->file);

        g_test_add_data_func(path, c, func);
    }
}

void
confTestCheckError(const confTestInvalidCase *c)
{
    virErrorPtr err = mvErrorGetLast();

    g_assert_nonnull(err);
    if (err->code != c->code || err->domain != c->domain ||
        !strstr(err->message, c->substring))
        g_error("%s: got code %d domain %d message '%s'; want code %d domain %d and '%s'",
                c->file, err->code, err->domain, err->message, c->code, c->domain,
                c->substring);
}

static gint
compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char * const *)a, *(const char * const *)b);
}

GPtrArray *
confTestAddGolden(const char *roundTripPrefix, GTestDataFunc roundTrip,
                  const char *libvirtPrefix, GTestDataFunc fixedPoint)
{
    g_autofree char *dirPath = confTestDataPath("");
    g_autoptr(GDir) dir = g_dir_open(dirPath, 0, NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    guint i;

    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir))) {
        if (g_str_has_suffix(name, "-in.xml"))
            g_ptr_array_add(names, g_strndup(name, strlen(name) - strlen("-in.xml")));
        else if (fixedPoint && g_str_has_suffix(name, "-libvirt.xml"))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_ptr_array_sort(names, compareNames);
    for (i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        g_autofree char *path = NULL;

        if (fixedPoint && g_str_has_suffix(n, "-libvirt.xml")) {
            path = g_strdup_printf("%s/%s", libvirtPrefix, n);
            g_test_add_data_func(path, n, fixedPoint);
        } else {
            path = g_strdup_printf("%s/%s", roundTripPrefix, n);
            g_test_add_data_func(path, n, roundTrip);
        }
    }
    return names;
}

static bool
isListed(const char *name, const char * const *list, bool suffix)
{
    for (; list && *list; list++) {
        if (suffix ? g_str_has_suffix(name, *list) : g_str_equal(name, *list))
            return true;
    }
    return false;
}

void
confTestDataAllUsed(gconstpointer opaque)
{
    const confTestDataUse *use = opaque;
    g_autofree char *dirPath = confTestDataPath("");
    g_autoptr(GDir) dir = g_dir_open(dirPath, 0, NULL);
    const char *name;

    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir))) {
        bool used = g_str_equal(name, "invalid.txt") || isListed(name, use->extra, false) ||
                    isListed(name, use->suffixes, true);
        size_t i;

        if (use->skipDirs) {
            g_autofree char *full = g_build_filename(dirPath, name, NULL);

            if (g_file_test(full, G_FILE_TEST_IS_DIR))
                continue;
        }
        if (use->golden) {
            for (i = 0; !used && i < use->ngolden; i++) {
                g_autofree char *in = g_strdup_printf("%s-in.xml", use->golden[i]);
                g_autofree char *out = g_strdup_printf("%s-out.xml", use->golden[i]);

                used = g_str_equal(name, in) || g_str_equal(name, out);
            }
        } else if (g_str_has_suffix(name, "-in.xml")) {
            used = true;
        } else if (g_str_has_suffix(name, "-out.xml")) {
            g_autofree char *base = g_strndup(name, strlen(name) - strlen("-out.xml"));
            g_autofree char *in = g_strdup_printf("%s/%s-in.xml", dirPath, base);

            used = g_file_test(in, G_FILE_TEST_EXISTS);
        }
        for (i = 0; !used && i < use->cases->len; i++)
            used = g_str_equal(((confTestInvalidCase *)g_ptr_array_index(use->cases, i))->file,
                               name);
        if (!used)
            g_error("data file %s is not used by any case", name);
    }
}
