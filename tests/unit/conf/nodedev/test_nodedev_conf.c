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

#include <string.h>

#include "conf_testutil.h"
#include "mv_error.h"
#include "nodedev_conf.h"

static void
testRoundTrip(gconstpointer opaque)
{
    const char *base = opaque;
    g_autofree char *inName = g_strdup_printf("%s-in.xml", base);
    g_autofree char *outName = g_strdup_printf("%s-out.xml", base);
    g_autofree char *inPath = confTestDataPath(inName);
    g_autofree char *expected = NULL;
    g_autofree char *got = NULL;
    g_autofree char *again = NULL;
    g_autoptr(mvNodeDeviceDef) def = NULL;
    g_autoptr(mvNodeDeviceDef) def2 = NULL;

    mvErrorReset();
    if (!(def = mvNodeDeviceDefParseFile(inPath, 0)))
        g_error("%s: %s", inName, mvErrorGetLast()->message);
    got = mvNodeDeviceDefFormat(def);
    expected = confTestExpect(outName, got);

    if (!(def2 = mvNodeDeviceDefParse(expected, MV_NODE_DEVICE_DEF_PARSE_VALIDATE)))
        g_error("%s: %s", outName, mvErrorGetLast()->message);
    again = mvNodeDeviceDefFormat(def2);
    g_assert_cmpstr(again, ==, expected);
}

static void
testInvalid(gconstpointer opaque)
{
    const confTestInvalidCase *c = opaque;
    g_autofree char *xml = confTestReadData(c->file);
    g_autoptr(mvNodeDeviceDef) def = NULL;
    g_autoptr(mvNodeDeviceDef) def2 = NULL;

    mvErrorReset();
    if ((def = mvNodeDeviceDefParse(xml, 0)))
        g_error("%s was accepted", c->file);
    confTestCheckError(c);

    /* refused as well when the schema runs first */
    mvErrorReset();
    g_assert_null((def2 = mvNodeDeviceDefParse(xml, MV_NODE_DEVICE_DEF_PARSE_VALIDATE)));
    g_assert_nonnull(mvErrorGetLast());
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
    confTestDataUse use = { 0 };

    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    g_test_init(&argc, &argv, NULL);
    confTestSetDataDir(MV_TEST_DATADIR);
    cases = confTestLoadInvalid(CONF_TEST_INDEX_UNESCAPE);
    golden = confTestAddGolden("/conf/nodedev/roundtrip", testRoundTrip, NULL, NULL);
    g_assert_cmpuint(golden->len, >, 0);

    confTestAddInvalid(cases, "/conf/nodedev/invalid", testInvalid);
    use.cases = cases;
    g_test_add_data_func("/conf/nodedev/data-all-used", &use, confTestDataAllUsed);
    g_test_add_func("/conf/nodedev/cap-type-table", testCapTypeTable);
    g_test_add_func("/conf/nodedev/build", testBuild);
    return g_test_run();
}
