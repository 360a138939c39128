/*
 * Unit tests of drivers/conf/domain_conf: golden data in tests/data/domain.
 *   NAME-libvirt.xml  what Debian's libvirtd 9.0 (QEMU driver) dumped with
 *                     `dumpxml --inactive`: format(parse(x)) must equal x.
 *   NAME-in.xml       minimal documents without driver defaults:
 *                     format(parse(in)) == NAME-out.xml, and out is a fixed
 *                     point (also under the validate flag).
 *   invalid.txt       file|code|domain|message substring of refused files.
 * Plus memory units, generated UUID and MAC, live/secure flags, lookups.
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

static char *
roundTrip(const char *name, const char *xml, unsigned int parseFlags, unsigned int fmtFlags)
{
    g_autoptr(mvDomainDef) def = NULL;

    mvErrorReset();
    if (!(def = mvDomainDefParse(xml, parseFlags)))
        g_error("%s: %s", name, mvErrorGetLast()->message);
    return mvDomainDefFormat(def, fmtFlags);
}

/* A document libvirt wrote comes back byte for byte. */
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
    def = mvDomainDefParse(xml, 0);
    if (def)
        g_error("%s was accepted", c->file);
    err = mvErrorGetLast();
    g_assert_nonnull(err);
    if (err->code != c->code || err->domain != c->domain ||
        !strstr(err->message, c->substring))
        g_error("%s: got code %d domain %d message '%s'; want code %d domain %d and '%s'",
                c->file, err->code, err->domain, err->message, c->code, c->domain,
                c->substring);
}

/* Each invalid file is also refused when the schema runs first. */
static void
testInvalidValidateFlag(gconstpointer opaque)
{
    const invalidCase *c = opaque;
    g_autofree char *xml = readData(c->file);
    g_autoptr(mvDomainDef) def = NULL;

    mvErrorReset();
    def = mvDomainDefParse(xml, MV_DOMAIN_DEF_PARSE_VALIDATE);
    if (def)
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
        g_autofree char *full = g_build_filename(dirPath, name, NULL);
        guint i;

        /* subdirectories hold other test programs' data (restricted/) */
        if (g_file_test(full, G_FILE_TEST_IS_DIR))
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

#define MINIMAL(extra) \
    "<domain type='kvm'><name>t</name><memory>1024</memory><os><type>hvm</type></os>" \
    extra "</domain>"

static void
testMemoryUnits(void)
{
    static const struct {
        const char *value, *unit;
        unsigned long long kib;
    } cases[] = {
        { "1024", NULL, 1024 },
        { "2048", "b", 2 }, { "1", "bytes", 1 }, { "1000", "KB", 977 },
        { "4", "k", 4 }, { "4", "KiB", 4 }, { "1", "MB", 977 }, { "1", "M", 1024 },
        { "1", "MiB", 1024 }, { "1", "GB", 976563 }, { "1", "G", 1048576 },
        { "1", "GiB", 1048576 }, { "1", "TB", 976562500 }, { "1", "T", 1073741824ULL },
        { "1", "TiB", 1073741824ULL }, { "2", "gib", 2097152 },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        unsigned long long kib = 0;

        mvErrorReset();
        g_assert_cmpint(mvDomainParseMemorySize(cases[i].value, cases[i].unit, "memory",
                                                &kib), ==, 0);
        g_assert_cmpuint(kib, ==, cases[i].kib);
    }
    {
        unsigned long long kib = 0;

        g_assert_cmpint(mvDomainParseMemorySize("9000000", "EiB", "memory", &kib), ==, -1);
        g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_OVERFLOW);
        g_assert_nonnull(strstr(mvErrorGetLast()->message, "value too large: 9000000EiB"));
        g_assert_cmpint(mvDomainParseMemorySize("1", "parsecs", "memory", &kib), ==, -1);
        g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INVALID_ARG);
        g_assert_nonnull(strstr(mvErrorGetLast()->message, "unknown suffix 'parsecs'"));
        g_assert_cmpint(mvDomainParseMemorySize("-1", NULL, "memory", &kib), ==, -1);
        g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_XML_ERROR);
        g_assert_cmpint(mvDomainParseMemorySize("99999999999999999999999", NULL, "memory",
                                                &kib), ==, -1);
    }
}

static void
testGenerated(void)
{
    const char *xml = MINIMAL("<devices><interface type='user'/></devices>");
    g_autoptr(mvDomainDef) a = mvDomainDefParse(xml, 0);
    g_autoptr(mvDomainDef) b = mvDomainDefParse(xml, 0);
    mvDomainNetDef *na, *nb;

    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_true(memcmp(a->uuid, b->uuid, MV_UUID_BUFLEN) != 0);
    na = g_ptr_array_index(a->nets, 0);
    nb = g_ptr_array_index(b->nets, 0);
    g_assert_cmpint(na->mac[0], ==, 0x52);
    g_assert_cmpint(na->mac[1], ==, 0x54);
    g_assert_cmpint(na->mac[2], ==, 0x00);
    g_assert_true(memcmp(na->mac, nb->mac, 6) != 0 || memcmp(a->uuid, b->uuid, 16) != 0);
    g_assert_true(mvDomainDefFindNetByMAC(a, na->mac) == na);
    g_assert_cmpuint(a->curMemKiB, ==, 1024);
    g_assert_cmpint(a->os.nBootDevs, ==, 1);
}

static void
testLiveAndSecure(void)
{
    const char *xml =
        "<domain type='kvm' id='7'><name>t</name><memory>1024</memory>"
        "<os><type>hvm</type></os><devices>"
        "<disk type='file'><source file='/a'/><target dev='vda'/><alias name='virtio-disk0'/>"
        "</disk><graphics type='vnc' passwd='s3cret'/></devices></domain>";
    g_autoptr(mvDomainDef) inactive = mvDomainDefParse(xml, 0);
    g_autoptr(mvDomainDef) live = mvDomainDefParse(xml, MV_DOMAIN_DEF_PARSE_LIVE);
    g_autofree char *out1 = NULL;
    g_autofree char *out2 = NULL;
    g_autofree char *out3 = NULL;

    g_assert_nonnull(inactive);
    g_assert_nonnull(live);
    g_assert_cmpint(inactive->id, ==, -1);
    g_assert_cmpint(live->id, ==, 7);
    g_assert_nonnull(mvDomainDefFindDeviceInfoByAlias(live, "virtio-disk0"));
    g_assert_null(mvDomainDefFindDeviceInfoByAlias(inactive, "virtio-disk0"));
    g_assert_nonnull(mvDomainDefFindDiskByTarget(live, "vda"));
    g_assert_null(mvDomainDefFindDiskByTarget(live, "vdb"));
    out1 = mvDomainDefFormat(live, MV_DOMAIN_DEF_FORMAT_LIVE | MV_DOMAIN_DEF_FORMAT_SECURE);
    g_assert_nonnull(strstr(out1, "<domain type='kvm' id='7'>"));
    g_assert_nonnull(strstr(out1, "<alias name='virtio-disk0'/>"));
    g_assert_nonnull(strstr(out1, "passwd='s3cret'"));
    out2 = mvDomainDefFormat(live, 0);
    g_assert_null(strstr(out2, "id='7'"));
    g_assert_null(strstr(out2, "alias"));
    g_assert_null(strstr(out2, "s3cret"));
    mvErrorReset();
    out3 = mvDomainDefFormat(live, 1 << 10);
    g_assert_null(out3);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INVALID_ARG);
}

static void
testLimits(void)
{
    g_autofree char *big = g_malloc(MV_XML_MAX_SIZE + 64);
    g_autoptr(mvDomainDef) def = NULL;
    g_autoptr(GString) many = g_string_new("<domain type='kvm'><name>x</name>"
                                           "<memory>1024</memory><os><type>hvm</type></os>"
                                           "<devices>");
    int i;

    memset(big, ' ', MV_XML_MAX_SIZE + 63);
    big[MV_XML_MAX_SIZE + 63] = '\0';
    memcpy(big, "<domain", 7);
    mvErrorReset();
    g_assert_null(mvDomainDefParse(big, 0));
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "larger than the limit"));

    for (i = 0; i <= MV_DOMAIN_MAX_DEVICES; i++)
        g_string_append(many, "<input type='mouse'/>");
    g_string_append(many, "</devices></domain>");
    mvErrorReset();
    def = mvDomainDefParse(many->str, 0);
    g_assert_null(def);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_XML_ERROR);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "more than 4096 devices"));
}

/* Controllers added after parsing go next to their kind, by index. */
static void
testControllerInsert(void)
{
    g_autoptr(mvDomainDef) def = mvDomainDefParse(
        MINIMAL("<devices><controller type='pci' index='0' model='pci-root'/>"
                "<controller type='usb' index='0'/><controller type='pci' index='2'/>"
                "</devices>"), 0);
    mvDomainControllerDef *c = g_new0(mvDomainControllerDef, 1);
    g_autofree char *out = NULL;

    g_assert_nonnull(def);
    c->type = MV_CONTROLLER_PCI;
    c->index = 1;
    c->ports = c->vectors = c->chassis = c->port = c->busNr = -1;
    mvDomainControllerInsert(def, c);
    g_assert_true(g_ptr_array_index(def->controllers, 2) == c);
    g_assert_true(mvDomainDefFindController(def, MV_CONTROLLER_PCI, 1) == c);
    g_assert_null(mvDomainDefFindController(def, MV_CONTROLLER_SATA, 0));
    out = mvDomainDefFormat(def, 0);
    g_assert_nonnull(strstr(out, "<controller type='usb' index='0'/>\n"
                                 "    <controller type='pci' index='1'/>\n"
                                 "    <controller type='pci' index='2'/>\n"));
}

static void
testEnumTables(void)
{
    int i;

    for (i = 0; i < MV_DOMAIN_ADDRESS_LAST; i++)
        g_assert_cmpint(mvDomainAddressTypeFromString(mvDomainAddressTypeToString(i)), ==, i);
    for (i = 0; i < MV_DISK_BUS_LAST; i++)
        g_assert_cmpint(mvDiskBusFromString(mvDiskBusToString(i)), ==, i);
    g_assert_cmpstr(mvDomainLifecycleActionToString(MV_DOMAIN_LIFECYCLE_COREDUMP_RESTART), ==,
                    "coredump-restart");
    g_assert_null(mvCPUModeToString(MV_CPU_MODE_LAST));
    g_assert_cmpint(mvNetTypeFromString("vhostuser"), ==, -1);
}

static gint
mvTestCompareNames(gconstpointer a, gconstpointer b)
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
    g_ptr_array_sort(names, mvTestCompareNames);
    for (i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        g_autofree char *path = NULL;

        if (g_str_has_suffix(n, "-libvirt.xml")) {
            path = g_strdup_printf("/conf/domain/libvirt/%s", n);
            g_test_add_data_func(path, n, testLibvirtFixedPoint);
        } else if (g_str_has_suffix(n, "-in.xml")) {
            char *base = g_strndup(n, strlen(n) - strlen("-in.xml"));

            g_ptr_array_add(bases, base);
            path = g_strdup_printf("/conf/domain/roundtrip/%s", base);
            g_test_add_data_func(path, base, testRoundTrip);
        }
    }
    for (i = 0; i < cases->len; i++) {
        invalidCase *c = g_ptr_array_index(cases, i);
        g_autofree char *path = g_strdup_printf("/conf/domain/invalid/%s", c->file);

        g_autofree char *vpath = g_strdup_printf("/conf/domain/invalid-validate/%s", c->file);

        g_test_add_data_func(path, c, testInvalid);
        g_test_add_data_func(vpath, c, testInvalidValidateFlag);
    }
    g_test_add_data_func("/conf/domain/data-all-used", cases, testDataAllUsed);
    g_test_add_func("/conf/domain/memory-units", testMemoryUnits);
    g_test_add_func("/conf/domain/generated", testGenerated);
    g_test_add_func("/conf/domain/live-secure", testLiveAndSecure);
    g_test_add_func("/conf/domain/enums", testEnumTables);
    g_test_add_func("/conf/domain/limits", testLimits);
    g_test_add_func("/conf/domain/controller-insert", testControllerInsert);
    return g_test_run();
}
