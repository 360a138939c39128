/*
 * Unit tests of the domain elements in drivers/conf/domain_conf_tune.c
 * (<memoryBacking>, <iothreads>, <cputune>, <resource>, <seclabel>), with
 * golden data in tests/data/domain/top:
 *   NAME-libvirt.xml  what Debian's libvirtd 9.0 (QEMU driver, session
 *                     mode) dumped with `dumpxml --inactive`: a fixed point.
 *   NAME-in.xml       small documents: format(parse(in)) == NAME-out.xml,
 *                     and out is a fixed point under the validate flag.
 *   invalid.txt       file|code|domain|message substring of refused files,
 *                     the messages as libvirtd 9.0 words them.
 * Plus the live flavour of security labels.
 *
 * MODVIRT_TEST_REGENERATE=1 rewrites the -out.xml files from our output.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdlib.h>
#include <string.h>

#include "domain_conf.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_xml.h"

static char *
dataPath(const char *name)
{
    return g_build_filename(MV_TEST_DATADIR, "top", name, NULL);
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

static char *
roundTrip(const char *name, const char *xml, unsigned int parseFlags, unsigned int fmtFlags)
{
    g_autoptr(mvDomainDef) def = NULL;

    mvErrorReset();
    if (!(def = mvDomainDefParse(xml, parseFlags)))
        g_error("%s: %s", name, mvErrorGetLast()->message);
    return mvDomainDefFormat(def, fmtFlags);
}

static void
testLibvirtFixedPoint(gconstpointer opaque)
{
    const char *name = opaque;
    g_autofree char *xml = readData(name);
    g_autofree char *got = roundTrip(name, xml, 0, 0);
    g_autofree char *validated = NULL;

    g_assert_cmpstr(got, ==, xml);
    validated = roundTrip(name, xml, MV_DOMAIN_DEF_PARSE_VALIDATE, 0);
    g_assert_cmpstr(validated, ==, xml);
}

static void
testRoundTrip(gconstpointer opaque)
{
    const char *base = opaque;
    g_autofree char *inName = g_strdup_printf("%s-in.xml", base);
    g_autofree char *outName = g_strdup_printf("%s-out.xml", base);
    g_autofree char *in = readData(inName);
    g_autofree char *got = roundTrip(inName, in, 0, 0);
    g_autofree char *expected = NULL;
    g_autofree char *again = NULL;

    if (g_getenv("MODVIRT_TEST_REGENERATE")) {
        g_autofree char *path = dataPath(outName);

        g_assert_cmpint(mvFileWriteAtomic(path, got, strlen(got), 0644), ==, 0);
    }
    expected = readData(outName);
    g_assert_cmpstr(got, ==, expected);
    again = roundTrip(outName, expected, MV_DOMAIN_DEF_PARSE_VALIDATE, 0);
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
    g_autoptr(mvDomainDef) def = NULL;
    virErrorPtr err;

    mvErrorReset();
    if ((def = mvDomainDefParse(xml, 0)))
        g_error("%s was accepted", c->file);
    err = mvErrorGetLast();
    g_assert_nonnull(err);
    if (err->code != c->code || err->domain != c->domain ||
        !strstr(err->message, c->substring))
        g_error("%s: got code %d domain %d message '%s'; want code %d domain %d and '%s'",
                c->file, err->code, err->domain, err->message, c->code, c->domain,
                c->substring);
    /* refused with the schema first too */
    g_clear_pointer(&def, mvDomainDefFree);
    mvErrorReset();
    if ((def = mvDomainDefParse(xml, MV_DOMAIN_DEF_PARSE_VALIDATE)))
        g_error("%s was accepted with the validate flag", c->file);
    g_assert_true(mvErrorIsSet());
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
        c->substring = g_strdup(f[3]);
        g_ptr_array_add(cases, c);
    }
    return cases;
}

/* Every data file is used by some case. */
static void
testDataAllUsed(gconstpointer opaque)
{
    const GPtrArray *cases = opaque;
    g_autofree char *dirPath = dataPath("");
    g_autoptr(GDir) dir = g_dir_open(dirPath, 0, NULL);
    const char *name;

    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir))) {
        bool used = g_str_has_suffix(name, "-in.xml") || g_str_has_suffix(name, "-libvirt.xml") ||
                    g_str_equal(name, "invalid.txt");
        guint i;

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

#define DOMAIN(extra) \
    "<domain type='kvm'><name>t</name><uuid>c7a5fdbd-cdaf-9455-926a-d65c16db1809</uuid>" \
    "<memory>1024</memory><vcpu>2</vcpu>" \
    "<os><type>hvm</type></os><devices/>" extra "</domain>"

/* Runtime labels are read from live documents and written under the live
 * flag only; a defined domain keeps what the user chose. */
static void
testSecLabelLive(void)
{
    const char *xml = DOMAIN(
        "<seclabel type='dynamic' model='selinux' relabel='yes'>"
        "<label>system_u:system_r:svirt_t:s0:c1,c2</label>"
        "<imagelabel>system_u:object_r:svirt_image_t:s0:c1,c2</imagelabel>"
        "<baselabel>system_u:system_r:svirt_t:s0</baselabel></seclabel>"
        "<seclabel type='static' model='dac' relabel='yes'><label>+0:+0</label>"
        "<imagelabel>+0:+0</imagelabel></seclabel>");
    g_autoptr(mvDomainDef) live = mvDomainDefParse(xml, MV_DOMAIN_DEF_PARSE_LIVE);
    g_autoptr(mvDomainDef) inactive = mvDomainDefParse(xml, 0);
    g_autofree char *liveOut = NULL;
    g_autofree char *liveInactiveOut = NULL;
    g_autofree char *inactiveOut = NULL;
    mvSecLabelDef *l;

    g_assert_nonnull(live);
    g_assert_nonnull(inactive);
    l = g_ptr_array_index(live->seclabels, 0);
    g_assert_cmpstr(l->label, ==, "system_u:system_r:svirt_t:s0:c1,c2");
    l = g_ptr_array_index(inactive->seclabels, 0);
    g_assert_null(l->label);
    g_assert_null(l->imagelabel);

    liveOut = mvDomainDefFormat(live, MV_DOMAIN_DEF_FORMAT_LIVE);
    g_assert_nonnull(strstr(liveOut,
        "  <seclabel type='dynamic' model='selinux' relabel='yes'>\n"
        "    <label>system_u:system_r:svirt_t:s0:c1,c2</label>\n"
        "    <imagelabel>system_u:object_r:svirt_image_t:s0:c1,c2</imagelabel>\n"
        "    <baselabel>system_u:system_r:svirt_t:s0</baselabel>\n"
        "  </seclabel>\n"
        "  <seclabel type='static' model='dac' relabel='yes'>\n"
        "    <label>+0:+0</label>\n"
        "    <imagelabel>+0:+0</imagelabel>\n"
        "  </seclabel>\n"));
    liveInactiveOut = mvDomainDefFormat(live, 0);
    inactiveOut = mvDomainDefFormat(inactive, 0);
    g_assert_cmpstr(liveInactiveOut, ==, inactiveOut);
    g_assert_nonnull(strstr(inactiveOut,
        "  <seclabel type='dynamic' model='selinux' relabel='yes'>\n"
        "    <baselabel>system_u:system_r:svirt_t:s0</baselabel>\n"
        "  </seclabel>\n"
        "  <seclabel type='static' model='dac' relabel='yes'>\n"
        "    <label>+0:+0</label>\n"
        "  </seclabel>\n"));

    /* a live document must carry the runtime labels */
    mvErrorReset();
    g_assert_null(mvDomainDefParse(DOMAIN("<seclabel type='dynamic' model='selinux'/>"),
                                   MV_DOMAIN_DEF_PARSE_LIVE));
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_XML_ERROR);
    g_assert_cmpstr(mvErrorGetLast()->message, ==, "XML error: security label is missing");
    mvErrorReset();
    g_assert_null(mvDomainDefParse(DOMAIN("<seclabel type='dynamic' model='selinux'>"
                                          "<label>a</label></seclabel>"),
                                   MV_DOMAIN_DEF_PARSE_LIVE));
    g_assert_cmpstr(mvErrorGetLast()->message, ==,
                    "XML error: security imagelabel is missing");
}

static void
testEnums(void)
{
    int i;

    for (i = 0; i < MV_SECLABEL_LAST; i++)
        g_assert_cmpint(mvSecLabelTypeFromString(mvSecLabelTypeToString(i)), ==, i);
    g_assert_cmpint(mvSecLabelTypeFromString("default"), ==, -1);
}

static gint
compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char * const *)a, *(const char * const *)b);
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) cases = NULL;
    g_autofree char *dirPath = dataPath("");
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) bases = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    guint i;

    g_test_init(&argc, &argv, NULL);
    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    cases = loadInvalidCases();
    dir = g_dir_open(dirPath, 0, NULL);
    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir)))
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, compareNames);
    for (i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        g_autofree char *path = NULL;

        if (g_str_has_suffix(n, "-libvirt.xml")) {
            path = g_strdup_printf("/conf/domain-top/libvirt/%s", n);
            g_test_add_data_func(path, n, testLibvirtFixedPoint);
        } else if (g_str_has_suffix(n, "-in.xml")) {
            char *base = g_strndup(n, strlen(n) - strlen("-in.xml"));

            g_ptr_array_add(bases, base);
            path = g_strdup_printf("/conf/domain-top/roundtrip/%s", base);
            g_test_add_data_func(path, base, testRoundTrip);
        }
    }
    for (i = 0; i < cases->len; i++) {
        invalidCase *c = g_ptr_array_index(cases, i);
        g_autofree char *path = g_strdup_printf("/conf/domain-top/invalid/%s", c->file);

        g_test_add_data_func(path, c, testInvalid);
    }
    g_test_add_data_func("/conf/domain-top/data-all-used", cases, testDataAllUsed);
    g_test_add_func("/conf/domain-top/seclabel-live", testSecLabelLive);
    g_test_add_func("/conf/domain-top/enums", testEnums);
    return g_test_run();
}
