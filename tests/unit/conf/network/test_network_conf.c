/*
 * Unit tests of drivers/conf/network_conf: golden round trips over
 * tests/data/network (NAME-in.xml -> parse -> format == NAME-out.xml, and
 * out -> out also under the validate flag), the invalid corpus listed in
 * tests/data/network/invalid.txt (code, domain and message of each), the enum
 * tables, generated UUID and bridge MAC, and the lookup helpers drivers use.
 * Expected outputs are what Debian's libvirtd 9.0 writes for the same input
 * (net-define, then net-dumpxml --inactive).
 *
 * MODVIRT_TEST_REGENERATE=1 rewrites the -out.xml files from our output.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <sys/socket.h>

#include "conf_testutil.h"
#include "mv_error.h"
#include "network_conf.h"

static const char * const golden[] = {
    "nat-dhcp", "routed", "isolated", "bridge-existing", "ipv6-dhcp6", "dns-full",
    "portgroups", "mtu-domain", "hostdev-vlan", "direct-bridge", "direct-private",
    "vepa", "passthrough", "metadata",
};

static void
testRoundTrip(gconstpointer opaque)
{
    const char *base = opaque;
    g_autofree char *inName = g_strdup_printf("%s-in.xml", base);
    g_autofree char *outName = g_strdup_printf("%s-out.xml", base);
    g_autofree char *in = confTestReadData(inName);
    g_autofree char *expected = NULL;
    g_autofree char *got = NULL;
    g_autofree char *again = NULL;
    g_autoptr(mvNetworkDef) def = NULL;
    g_autoptr(mvNetworkDef) def2 = NULL;

    mvErrorReset();
    if (!(def = mvNetworkDefParse(in, 0)))
        g_error("%s: %s", inName, mvErrorGetLast()->message);
    got = mvNetworkDefFormat(def, MV_NETWORK_FORMAT_INACTIVE);
    expected = confTestExpect(outName, got);

    /* the output is a fixed point, also under the validate flag */
    def2 = mvNetworkDefParse(expected, MV_NETWORK_PARSE_VALIDATE);
    if (!def2)
        g_error("%s: %s", outName, mvErrorGetLast()->message);
    again = mvNetworkDefFormat(def2, MV_NETWORK_FORMAT_INACTIVE);
    g_assert_cmpstr(again, ==, expected);
}

/* The same file through mvNetworkDefParseFile names the file in errors. */
static void
testParseFile(void)
{
    g_autofree char *good = confTestDataPath("nat-dhcp-in.xml");
    g_autofree char *bad = confTestDataPath("invalid-element.xml");
    g_autoptr(mvNetworkDef) def = mvNetworkDefParseFile(good, 0);
    g_autoptr(mvNetworkDef) def2 = NULL;

    g_assert_nonnull(def);
    g_assert_cmpstr(def->name, ==, "default");
    mvErrorReset();
    def2 = mvNetworkDefParseFile(bad, 0);
    g_assert_null(def2);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_XML_INVALID_SCHEMA);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "invalid-element.xml:3: element <colour>"));
}

static void
testInvalid(gconstpointer opaque)
{
    const confTestInvalidCase *c = opaque;
    g_autofree char *xml = confTestReadData(c->file);
    g_autoptr(mvNetworkDef) def = NULL;

    mvErrorReset();
    if ((def = mvNetworkDefParse(xml, 0)))
        g_error("%s was accepted", c->file);
    confTestCheckError(c);
}

/* Each invalid file is also refused when the schema runs first: by the
 * schema, or (for what the schema cannot see) by the same check. */
static void
testInvalidValidateFlag(gconstpointer opaque)
{
    const confTestInvalidCase *c = opaque;
    g_autofree char *xml = confTestReadData(c->file);
    g_autoptr(mvNetworkDef) def = NULL;
    virErrorPtr err;

    mvErrorReset();
    def = mvNetworkDefParse(xml, MV_NETWORK_PARSE_VALIDATE);
    g_assert_null(def);
    err = mvErrorGetLast();
    g_assert_nonnull(err);
    if (err->code == VIR_ERR_XML_INVALID_SCHEMA)
        g_assert_nonnull(strstr(err->message, "Unable to validate doc against "));
    else
        g_assert_cmpint(err->code, ==, c->code);
}

static void
testEnumTables(void)
{
    int i;

    for (i = 0; i < MV_NETWORK_FORWARD_LAST; i++)
        g_assert_cmpint(mvNetworkForwardTypeFromString(mvNetworkForwardTypeToString(i)), ==, i);
    g_assert_cmpstr(mvNetworkForwardTypeToString(MV_NETWORK_FORWARD_HOSTDEV), ==, "hostdev");
    g_assert_null(mvNetworkForwardTypeToString(MV_NETWORK_FORWARD_LAST));
    g_assert_cmpint(mvNetworkForwardTypeFromString("teleport"), ==, -1);
    g_assert_cmpint(mvNetworkLeaseUnitFromString("hours"), ==, MV_NETWORK_LEASE_UNIT_HOURS);
    g_assert_cmpstr(mvNetworkVirtPortTypeToString(MV_NETWORK_VPORT_8021QBG), ==, "802.1Qbg");
    g_assert_cmpstr(mvNetworkMacTableManagerToString(MV_NETWORK_MAC_TABLE_MANAGER_LIBVIRT),
                    ==, "libvirt");
    g_assert_cmpint(mvTristateFromString("no"), ==, MV_TRISTATE_NO);
}

static void
testGenerated(void)
{
    const char *xml = "<network><name>g</name><bridge name='virbr9'/></network>";
    g_autoptr(mvNetworkDef) a = mvNetworkDefParse(xml, 0);
    g_autoptr(mvNetworkDef) b = mvNetworkDefParse(xml, 0);
    g_autofree char *out = NULL;

    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_true(memcmp(a->uuid, b->uuid, MV_UUID_BUFLEN) != 0);
    g_assert_false(a->macSpecified);
    mvNetworkDefSetBridgeMAC(a);
    g_assert_true(a->macSpecified);
    g_assert_cmpint(a->mac[0], ==, 0x52);
    g_assert_cmpint(a->mac[1], ==, 0x54);
    g_assert_cmpint(a->mac[2], ==, 0x00);
    out = mvNetworkDefFormat(a, MV_NETWORK_FORMAT_INACTIVE);
    g_assert_nonnull(strstr(out, "<bridge name='virbr9' stp='on' delay='0'/>\n  <mac address='52:54:00:"));
}

static void
testConnections(void)
{
    g_autofree char *xml = confTestReadData("routed-in.xml");
    g_autoptr(mvNetworkDef) def = mvNetworkDefParse(xml, 0);
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;

    g_assert_nonnull(def);
    g_assert_cmpuint(def->connections, ==, 3);
    live = mvNetworkDefFormat(def, 0);
    inactive = mvNetworkDefFormat(def, MV_NETWORK_FORMAT_INACTIVE);
    g_assert_true(g_str_has_prefix(live, "<network connections='3'>\n"));
    g_assert_true(g_str_has_prefix(inactive, "<network>\n"));
}

static void
testLookups(void)
{
    g_autofree char *xml = confTestReadData("ipv6-dhcp6-in.xml");
    g_autofree char *pgxml = confTestReadData("portgroups-in.xml");
    g_autoptr(mvNetworkDef) def = mvNetworkDefParse(xml, 0);
    g_autoptr(mvNetworkDef) pg = mvNetworkDefParse(pgxml, 0);
    mvNetworkIPDef *v4;
    mvNetworkIPDef *v6;
    mvNetworkAddr a;
    g_autofree char *text = NULL;

    g_assert_nonnull(def);
    v4 = mvNetworkDefGetIPByFamily(def, AF_INET);
    v6 = mvNetworkDefGetIPByFamily(def, AF_INET6);
    g_assert_nonnull(v4);
    g_assert_nonnull(v6);
    g_assert_true(mvNetworkDefGetIPByIndex(def, AF_UNSPEC, 1) == v6);
    g_assert_null(mvNetworkDefGetIPByIndex(def, AF_INET, 1));
    g_assert_cmpint(mvNetworkIPDefPrefix(v4), ==, 24);
    g_assert_cmpint(mvNetworkIPDefPrefix(v6), ==, 64);
    g_assert_cmpuint(v6->ranges->len, ==, 1);
    g_assert_cmpuint(v6->hosts->len, ==, 2);
    g_assert_cmpint(mvNetworkAddrParse("192.168.150.77", AF_UNSPEC, &a), ==, 0);
    g_assert_true(mvNetworkIPDefContains(v4, &a));
    g_assert_false(mvNetworkIPDefContains(v6, &a));
    g_assert_cmpint(mvNetworkAddrParse("fd00:dead:beef:0055:0::9", AF_INET6, &a), ==, 0);
    text = mvNetworkAddrFormat(&a);
    g_assert_cmpstr(text, ==, "fd00:dead:beef:55::9");
    g_assert_cmpint(mvNetworkAddrParse("1.2.3", AF_UNSPEC, &a), ==, -1);
    g_assert_true(mvNetworkDefHasOwnBridge(def));

    g_assert_nonnull(pg);
    g_assert_false(mvNetworkDefHasOwnBridge(pg));
    g_assert_cmpstr(mvNetworkDefFindPortGroup(pg, NULL)->name, ==, "engineering");
    g_assert_nonnull(mvNetworkDefFindPortGroup(pg, "sales"));
    g_assert_null(mvNetworkDefFindPortGroup(pg, "marketing"));
    g_assert_null(mvNetworkDefForwardIf(pg, 0));
}

static void
testForwardDevFromInterface(void)
{
    g_autofree char *xml = confTestReadData("direct-private-in.xml");
    g_autoptr(mvNetworkDef) def = mvNetworkDefParse(xml, 0);

    g_assert_nonnull(def);
    g_assert_cmpint(def->forward.type, ==, MV_NETWORK_FORWARD_PRIVATE);
    g_assert_cmpstr(mvNetworkDefForwardIf(def, 0), ==, "eth10");
    g_assert_cmpstr(mvNetworkDefForwardIf(def, 1), ==, "eth11");
    g_assert_null(mvNetworkDefForwardIf(def, 2));
}

static void
testBadFlags(void)
{
    g_autoptr(mvNetworkDef) def = NULL;

    mvErrorReset();
    def = mvNetworkDefParse("<network><name>x</name></network>", 1u << 7);
    g_assert_null(def);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INVALID_ARG);
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) cases = NULL;
    confTestDataUse use = { .golden = golden, .ngolden = G_N_ELEMENTS(golden) };
    size_t i;

    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    g_test_init(&argc, &argv, NULL);
    confTestSetDataDir(MV_TEST_DATADIR);
    cases = confTestLoadInvalid(CONF_TEST_INDEX_UNESCAPE);

    for (i = 0; i < G_N_ELEMENTS(golden); i++) {
        g_autofree char *path = g_strdup_printf("/conf/network/roundtrip/%s", golden[i]);

        g_test_add_data_func(path, golden[i], testRoundTrip);
    }
    confTestAddInvalid(cases, "/conf/network/invalid", testInvalid);
    confTestAddInvalid(cases, "/conf/network/invalid-validate", testInvalidValidateFlag);
    use.cases = cases;
    g_test_add_data_func("/conf/network/data-all-used", &use, confTestDataAllUsed);
    g_test_add_func("/conf/network/parse-file", testParseFile);
    g_test_add_func("/conf/network/enum-tables", testEnumTables);
    g_test_add_func("/conf/network/generated-uuid-mac", testGenerated);
    g_test_add_func("/conf/network/connections", testConnections);
    g_test_add_func("/conf/network/lookups", testLookups);
    g_test_add_func("/conf/network/forward-dev", testForwardDevFromInterface);
    g_test_add_func("/conf/network/bad-flags", testBadFlags);
    return g_test_run();
}
