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

#include <string.h>

#include "conf_testutil.h"
#include "domain_conf.h"
#include "mv_error.h"
#include "mv_xml.h"

static char *
parseFormat(const char *name, const char *xml, unsigned int parseFlags)
{
    g_autoptr(mvDomainDef) def = NULL;

    mvErrorReset();
    if (!(def = mvDomainDefParse(xml, parseFlags)))
        g_error("%s: %s", name, mvErrorGetLast()->message);
    return mvDomainDefFormat(def, 0);
}

/* A document libvirt wrote comes back byte for byte. */
static void
testLibvirtFixedPoint(gconstpointer opaque)
{
    confTestFixedPoint(opaque, parseFormat, MV_DOMAIN_DEF_PARSE_VALIDATE);
}

static void
testRoundTrip(gconstpointer opaque)
{
    confTestGoldenPair(opaque, parseFormat, MV_DOMAIN_DEF_PARSE_VALIDATE);
}

static void
testInvalid(gconstpointer opaque)
{
    const confTestInvalidCase *c = opaque;
    g_autofree char *xml = confTestReadData(c->file);
    g_autoptr(mvDomainDef) def = NULL;

    mvErrorReset();
    def = mvDomainDefParse(xml, 0);
    if (def)
        g_error("%s was accepted", c->file);
    confTestCheckError(c);
}

/* Each invalid file is also refused when the schema runs first. */
static void
testInvalidValidateFlag(gconstpointer opaque)
{
    const confTestInvalidCase *c = opaque;
    g_autofree char *xml = confTestReadData(c->file);
    g_autoptr(mvDomainDef) def = NULL;

    mvErrorReset();
    def = mvDomainDefParse(xml, MV_DOMAIN_DEF_PARSE_VALIDATE);
    if (def)
        g_error("%s was accepted with the validate flag", c->file);
    g_assert_true(mvErrorIsSet());
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
        "</disk><graphics type='vnc' passwd='s3cret'/>"
        "<interface type='network'><mac address='52:54:00:01:02:03'/>"
        "<source network='default' portid='0b6f3a2e-1c4d-4e5f-8a9b-0c1d2e3f4a5b' "
        "bridge='virbr0'/><target dev='vnet3'/></interface></devices></domain>";
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
    /* a running NIC's port and bridge, and its host-named tap, are live data */
    g_assert_nonnull(strstr(out1, "<source network='default' "
                                  "portid='0b6f3a2e-1c4d-4e5f-8a9b-0c1d2e3f4a5b' "
                                  "bridge='virbr0'/>"));
    g_assert_nonnull(strstr(out1, "<target dev='vnet3'/>"));
    out2 = mvDomainDefFormat(live, 0);
    g_assert_null(strstr(out2, "id='7'"));
    g_assert_null(strstr(out2, "alias"));
    g_assert_null(strstr(out2, "s3cret"));
    g_assert_nonnull(strstr(out2, "<source network='default'/>"));
    out3 = mvDomainDefFormat(inactive, MV_DOMAIN_DEF_FORMAT_LIVE);
    g_assert_nonnull(out3);
    g_assert_null(strstr(out3, "portid"));
    g_clear_pointer(&out3, g_free);
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

int
main(int argc, char **argv)
{
    static const char * const suffixes[] = { "-libvirt.xml", NULL };
    g_autoptr(GPtrArray) cases = NULL;
    g_autoptr(GPtrArray) golden = NULL;
    confTestDataUse use = { .suffixes = suffixes, .skipDirs = true };

    g_test_init(&argc, &argv, NULL);
    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    confTestSetDataDir(MV_TEST_DATADIR);
    cases = confTestLoadInvalid(0);
    golden = confTestAddGolden("/conf/domain/roundtrip", testRoundTrip,
                               "/conf/domain/libvirt", testLibvirtFixedPoint);
    confTestAddInvalid(cases, "/conf/domain/invalid", testInvalid);
    confTestAddInvalid(cases, "/conf/domain/invalid-validate", testInvalidValidateFlag);
    use.cases = cases;
    g_test_add_data_func("/conf/domain/data-all-used", &use, confTestDataAllUsed);
    g_test_add_func("/conf/domain/memory-units", testMemoryUnits);
    g_test_add_func("/conf/domain/generated", testGenerated);
    g_test_add_func("/conf/domain/live-secure", testLiveAndSecure);
    g_test_add_func("/conf/domain/enums", testEnumTables);
    g_test_add_func("/conf/domain/limits", testLimits);
    g_test_add_func("/conf/domain/controller-insert", testControllerInsert);
    return g_test_run();
}
