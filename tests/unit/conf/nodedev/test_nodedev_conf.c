/*
 * Unit tests of drivers/conf/nodedev_conf: golden round trips over
 * tests/data/nodedev (NAME-in.xml -> parse -> format == NAME-out.xml, and
 * out -> out under the validate flag), the invalid corpus listed in
 * tests/data/nodedev/invalid.txt (code, domain and message of each), the
 * capability type table and a device built in code, as the node-device
 * driver builds them.  The -out.xml files are what Debian's libvirt 9.0
 * prints for the same input (its test driver loads and dumps it), except
 * that <driver> and logical_block_size/num_blocks, which libvirt's parser
 * drops but its formatter writes for live devices, are kept.
 *
 * MODVIRT_TEST_REGENERATE=1 rewrites the -out.xml files from our output.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdlib.h>
#include <string.h>

#include "mv_error.h"
#include "mv_file.h"
#include "nodedev_conf.h"

static char *
dataPath(const char *name)
{
    return g_build_filename(MV_TEST_DATADIR, name, NULL);
}

static char *
readData(const char *name)
{
    g_autofree char *path = dataPath(name);
    char *data = NULL;

    if (mvFileReadAll(path, 1 << 20, &data, NULL) < 0)
        g_error("cannot read %s: %s", path, mvErrorGetLast()->message);
    return data;
}

static void
testRoundTrip(gconstpointer opaque)
{
    const char *base = opaque;
    g_autofree char *inName = g_strdup_printf("%s-in.xml", base);
    g_autofree char *outName = g_strdup_printf("%s-out.xml", base);
    g_autofree char *inPath = dataPath(inName);
    g_autofree char *expected = NULL;
    g_autofree char *got = NULL;
    g_autofree char *again = NULL;
    g_autoptr(mvNodeDeviceDef) def = NULL;
    g_autoptr(mvNodeDeviceDef) def2 = NULL;

    mvErrorReset();
    if (!(def = mvNodeDeviceDefParseFile(inPath, 0)))
        g_error("%s: %s", inName, mvErrorGetLast()->message);
    got = mvNodeDeviceDefFormat(def);
    if (g_getenv("MODVIRT_TEST_REGENERATE")) {
        g_autofree char *path = dataPath(outName);

        g_assert_cmpint(mvFileWriteAtomic(path, got, strlen(got), 0644), ==, 0);
    }
    expected = readData(outName);
    g_assert_cmpstr(got, ==, expected);

    if (!(def2 = mvNodeDeviceDefParse(expected, MV_NODE_DEVICE_DEF_PARSE_VALIDATE)))
        g_error("%s: %s", outName, mvErrorGetLast()->message);
    again = mvNodeDeviceDefFormat(def2);
    g_assert_cmpstr(again, ==, expected);
}

typedef struct {
    char *file;
    int code;
    int domain;
    char *substring;
} invalidCase;

static void
invalidCaseFree(gpointer p)
{
    invalidCase *c = p;

    g_free(c->file);
    g_free(c->substring);
    g_free(c);
}

static void
testInvalid(gconstpointer opaque)
{
    const invalidCase *c = opaque;
    g_autofree char *xml = readData(c->file);
    g_autoptr(mvNodeDeviceDef) def = NULL;
    g_autoptr(mvNodeDeviceDef) def2 = NULL;
    virErrorPtr err;

    mvErrorReset();
    if ((def = mvNodeDeviceDefParse(xml, 0)))
        g_error("%s was accepted", c->file);
    err = mvErrorGetLast();
    g_assert_nonnull(err);
    if (err->code != c->code || err->domain != c->domain ||
        !strstr(err->message, c->substring))
        g_error("%s: got code %d domain %d message '%s'; want code %d domain %d and '%s'",
                c->file, err->code, err->domain, err->message, c->code, c->domain,
                c->substring);

    /* refused as well when the schema runs first */
    mvErrorReset();
    g_assert_null((def2 = mvNodeDeviceDefParse(xml, MV_NODE_DEVICE_DEF_PARSE_VALIDATE)));
    g_assert_nonnull(mvErrorGetLast());
}

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

static GPtrArray *
loadInvalidCases(void)
{
    g_autofree char *index = readData("invalid.txt");
    g_auto(GStrv) lines = g_strsplit(index, "\n", -1);
    GPtrArray *cases = g_ptr_array_new_with_free_func(invalidCaseFree);
    size_t i;

    for (i = 0; lines[i]; i++) {
        g_auto(GStrv) f = NULL;
        invalidCase *c;

        if (!*lines[i] || lines[i][0] == '#')
            continue;
        f = g_strsplit(lines[i], "|", 4);
        g_assert_cmpuint(g_strv_length(f), ==, 4);
        c = g_new0(invalidCase, 1);
        c->file = g_strdup(f[0]);
        c->code = atoi(f[1]);
        c->domain = atoi(f[2]);
        c->substring = unescape(f[3]);
        g_ptr_array_add(cases, c);
    }
    return cases;
}

/* Golden bases: every NAME-in.xml of the data dir. */
static GPtrArray *
loadGolden(void)
{
    g_autofree char *dirPath = dataPath("");
    g_autoptr(GDir) dir = g_dir_open(dirPath, 0, NULL);
    GPtrArray *bases = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir))) {
        if (g_str_has_suffix(name, "-in.xml"))
            g_ptr_array_add(bases, g_strndup(name, strlen(name) - strlen("-in.xml")));
    }
    g_ptr_array_sort(bases, (GCompareFunc)g_strcmp0);
    return bases;
}

/* Every file of the data dir is used: each -out.xml has its -in.xml, each
 * other file is in the invalid index. */
static void
testDataAllUsed(gconstpointer opaque)
{
    const GPtrArray *cases = opaque;
    g_autofree char *dirPath = dataPath("");
    g_autoptr(GDir) dir = g_dir_open(dirPath, 0, NULL);
    const char *name;

    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir))) {
        bool used = false;
        guint i;

        if (g_str_has_suffix(name, "-in.xml") || g_str_equal(name, "invalid.txt"))
            continue;
        if (g_str_has_suffix(name, "-out.xml")) {
            g_autofree char *base = g_strndup(name, strlen(name) - strlen("-out.xml"));
            g_autofree char *in = g_strdup_printf("%s/%s-in.xml", dirPath, base);

            used = g_file_test(in, G_FILE_TEST_EXISTS);
        }
        for (i = 0; !used && i < cases->len; i++)
            used = g_str_equal(((invalidCase *)g_ptr_array_index(cases, i))->file, name);
        if (!used)
            g_error("data file %s is not used by any case", name);
    }
}

static void
testCapTypeTable(void)
{
    int i;

    for (i = 0; i < MV_NODE_DEV_CAP_LAST; i++)
        g_assert_cmpint(mvNodeDevCapTypeFromString(mvNodeDevCapTypeToString(i)), ==, i);
    g_assert_cmpstr(mvNodeDevCapTypeToString(MV_NODE_DEV_CAP_USB_DEV), ==, "usb_device");
    g_assert_cmpstr(mvNodeDevCapTypeToString(MV_NODE_DEV_CAP_USB_INTERFACE), ==, "usb");
    g_assert_null(mvNodeDevCapTypeToString(MV_NODE_DEV_CAP_LAST));
    g_assert_cmpint(mvNodeDevCapTypeFromString("drm"), ==, -1);
    for (i = 0; i < MV_NODE_DEV_LINK_LAST; i++)
        g_assert_cmpint(mvNodeDevLinkStateFromString(mvNodeDevLinkStateToString(i)), ==, i);
}

/* A device as the driver builds it, formatted and parsed back. */
static void
testBuild(void)
{
    g_autoptr(mvNodeDeviceDef) def = mvNodeDeviceDefNew();
    g_autoptr(mvNodeDeviceDef) back = NULL;
    mvNodeDevCap *cap = mvNodeDevCapNew(MV_NODE_DEV_CAP_NET);
    g_autofree char *xml = NULL;
    g_autofree char *again = NULL;

    def->name = g_strdup("net_lo_00_00_00_00_00_00");
    def->sysfsPath = g_strdup("/sys/devices/virtual/net/lo");
    def->parent = g_strdup("computer");
    cap->data.net.ifname = g_strdup("lo");
    cap->data.net.address = g_strdup("00:00:00:00:00:00");
    cap->data.net.state = MV_NODE_DEV_LINK_UNKNOWN;
    g_ptr_array_add(cap->data.net.features, g_strdup("rx"));
    cap->data.net.subtype = MV_NODE_DEV_NET_80203;
    g_ptr_array_add(def->caps, cap);
    xml = mvNodeDeviceDefFormat(def);
    g_assert_cmpstr(xml, ==,
                    "<device>\n"
                    "  <name>net_lo_00_00_00_00_00_00</name>\n"
                    "  <path>/sys/devices/virtual/net/lo</path>\n"
                    "  <parent>computer</parent>\n"
                    "  <capability type='net'>\n"
                    "    <interface>lo</interface>\n"
                    "    <address>00:00:00:00:00:00</address>\n"
                    "    <feature name='rx'/>\n"
                    "    <capability type='80203'/>\n"
                    "  </capability>\n"
                    "</device>\n");
    back = mvNodeDeviceDefParse(xml, MV_NODE_DEVICE_DEF_PARSE_VALIDATE);
    g_assert_nonnull(back);
    g_assert_nonnull(mvNodeDeviceDefFindCap(back, MV_NODE_DEV_CAP_NET));
    g_assert_null(mvNodeDeviceDefFindCap(back, MV_NODE_DEV_CAP_PCI_DEV));
    again = mvNodeDeviceDefFormat(back);
    g_assert_cmpstr(again, ==, xml);
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) cases = NULL;
    g_autoptr(GPtrArray) golden = NULL;
    guint i;

    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    g_test_init(&argc, &argv, NULL);
    cases = loadInvalidCases();
    golden = loadGolden();
    g_assert_cmpuint(golden->len, >, 0);

    for (i = 0; i < golden->len; i++) {
        const char *base = g_ptr_array_index(golden, i);
        g_autofree char *path = g_strdup_printf("/conf/nodedev/roundtrip/%s", base);

        g_test_add_data_func(path, base, testRoundTrip);
    }
    for (i = 0; i < cases->len; i++) {
        invalidCase *c = g_ptr_array_index(cases, i);
        g_autofree char *path = g_strdup_printf("/conf/nodedev/invalid/%s", c->file);

        g_test_add_data_func(path, c, testInvalid);
    }
    g_test_add_data_func("/conf/nodedev/data-all-used", cases, testDataAllUsed);
    g_test_add_func("/conf/nodedev/cap-type-table", testCapTypeTable);
    g_test_add_func("/conf/nodedev/build", testBuild);
    return g_test_run();
}
