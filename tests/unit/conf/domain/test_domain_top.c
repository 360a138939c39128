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
    if ((def = mvDomainDefParse(xml, 0)))
        g_error("%s was accepted", c->file);
    confTestCheckError(c);
    /* refused with the schema first too */
    g_clear_pointer(&def, mvDomainDefFree);
    mvErrorReset();
    if ((def = mvDomainDefParse(xml, MV_DOMAIN_DEF_PARSE_VALIDATE)))
        g_error("%s was accepted with the validate flag", c->file);
    g_assert_true(mvErrorIsSet());
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

int
main(int argc, char **argv)
{
    static const char * const suffixes[] = { "-libvirt.xml", NULL };
    g_autoptr(GPtrArray) cases = NULL;
    g_autoptr(GPtrArray) golden = NULL;
    confTestDataUse use = { .suffixes = suffixes };

    g_test_init(&argc, &argv, NULL);
    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    confTestSetDataDir(MV_TEST_DATADIR "/top");
    cases = confTestLoadInvalid(0);
    golden = confTestAddGolden("/conf/domain-top/roundtrip", testRoundTrip,
                               "/conf/domain-top/libvirt", testLibvirtFixedPoint);
    confTestAddInvalid(cases, "/conf/domain-top/invalid", testInvalid);
    use.cases = cases;
    g_test_add_data_func("/conf/domain-top/data-all-used", &use, confTestDataAllUsed);
    g_test_add_func("/conf/domain-top/seclabel-live", testSecLabelLive);
    g_test_add_func("/conf/domain-top/enums", testEnums);
    return g_test_run();
}
