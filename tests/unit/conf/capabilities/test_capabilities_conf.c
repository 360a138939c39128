/*
 * Unit tests of drivers/conf/capabilities_conf: golden round trips over
 * tests/data/capabilities (NAME-in.xml -> parse -> format == NAME-out.xml,
 * and out -> out), the invalid corpus listed in invalid.txt (code, domain
 * and message of each), and a document built in code the way the QEMU
 * driver builds it.  test-driver-out.xml is Debian's libvirt 9.0 output of
 * `virsh -c test:///default capabilities`.
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
#include "capabilities_conf.h"

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
    g_autoptr(mvCaps) def = NULL;
    g_autoptr(mvCaps) def2 = NULL;

    mvErrorReset();
    if (!(def = mvCapsParseFile(inPath)))
        g_error("%s: %s", inName, mvErrorGetLast()->message);
    got = mvCapsFormat(def);
    if (g_getenv("MODVIRT_TEST_REGENERATE")) {
        g_autofree char *path = dataPath(outName);

        g_assert_cmpint(mvFileWriteAtomic(path, got, strlen(got), 0644), ==, 0);
    }
    expected = readData(outName);
    g_assert_cmpstr(got, ==, expected);

    if (!(def2 = mvCapsParse(expected)))
        g_error("%s: %s", outName, mvErrorGetLast()->message);
    again = mvCapsFormat(def2);
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
    g_autoptr(mvCaps) def = NULL;
    virErrorPtr err;

    mvErrorReset();
    if ((def = mvCapsParse(xml)))
        g_error("%s was accepted", c->file);
    err = mvErrorGetLast();
    g_assert_nonnull(err);
    if (err->code != c->code || err->domain != c->domain ||
        !strstr(err->message, c->substring))
        g_error("%s: got code %d domain %d message '%s'; want code %d domain %d and '%s'",
                c->file, err->code, err->domain, err->message, c->code, c->domain,
                c->substring);
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

/* Capabilities as the QEMU driver builds them. */
static void
testBuild(void)
{
    g_autoptr(mvCaps) caps = mvCapsNew();
    g_autoptr(mvCaps) back = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *again = NULL;
    mvCapsCell *cell;
    mvCapsCellCPU cpu = { .id = 0 };
    mvCapsSecModel *sm;
    mvCapsGuest *guest;
    unsigned int page = 4;

    caps->host.arch = g_strdup("x86_64");
    g_array_append_val(caps->host.pageSizes, page);
    caps->host.iommu = 0;
    cell = mvCapsAddCell(caps, 0, 1024);
    g_array_append_val(cell->cpus, cpu);
    sm = mvCapsAddSecModel(caps, "dac", "0");
    mvCapsSecModelAddBaseLabel(sm, "qemu", "+0:+0");
    guest = mvCapsAddGuest(caps, "hvm", "x86_64", 64, "/usr/bin/qemu-system-x86_64");
    mvCapsGuestAddMachine(guest->machines, "q35", "pc-q35-7.2", 288);
    mvCapsGuestAddDomain(guest, "qemu");
    mvCapsGuestAddFeature(guest, "acpi", 1, 1);
    mvCapsGuestAddFeature(guest, "cpuselection", -1, -1);
    xml = mvCapsFormat(caps);
    g_assert_cmpstr(xml, ==,
                    "<capabilities>\n\n"
                    "  <host>\n"
                    "    <cpu>\n"
                    "      <arch>x86_64</arch>\n"
                    "      <pages unit='KiB' size='4'/>\n"
                    "    </cpu>\n"
                    "    <iommu support='no'/>\n"
                    "    <topology>\n"
                    "      <cells num='1'>\n"
                    "        <cell id='0'>\n"
                    "          <memory unit='KiB'>1024</memory>\n"
                    "          <cpus num='1'>\n"
                    "            <cpu id='0'/>\n"
                    "          </cpus>\n"
                    "        </cell>\n"
                    "      </cells>\n"
                    "    </topology>\n"
                    "    <secmodel>\n"
                    "      <model>dac</model>\n"
                    "      <doi>0</doi>\n"
                    "      <baselabel type='qemu'>+0:+0</baselabel>\n"
                    "    </secmodel>\n"
                    "  </host>\n\n"
                    "  <guest>\n"
                    "    <os_type>hvm</os_type>\n"
                    "    <arch name='x86_64'>\n"
                    "      <wordsize>64</wordsize>\n"
                    "      <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
                    "      <machine canonical='pc-q35-7.2' maxCpus='288'>q35</machine>\n"
                    "      <domain type='qemu'/>\n"
                    "    </arch>\n"
                    "    <features>\n"
                    "      <acpi default='on' toggle='yes'/>\n"
                    "      <cpuselection/>\n"
                    "    </features>\n"
                    "  </guest>\n\n"
                    "</capabilities>\n");
    back = mvCapsParse(xml);
    g_assert_nonnull(back);
    again = mvCapsFormat(back);
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
        g_autofree char *path = g_strdup_printf("/conf/capabilities/roundtrip/%s", base);

        g_test_add_data_func(path, base, testRoundTrip);
    }
    for (i = 0; i < cases->len; i++) {
        invalidCase *c = g_ptr_array_index(cases, i);
        g_autofree char *path = g_strdup_printf("/conf/capabilities/invalid/%s", c->file);

        g_test_add_data_func(path, c, testInvalid);
    }
    g_test_add_data_func("/conf/capabilities/data-all-used", cases, testDataAllUsed);
    g_test_add_func("/conf/capabilities/build", testBuild);
    return g_test_run();
}
