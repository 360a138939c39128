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

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "mv_error.h"
#include "mv_file.h"
#include "network_conf.h"

static const char * const golden[] = {
    "nat-dhcp", "routed", "isolated", "bridge-existing", "ipv6-dhcp6", "dns-full",
    "portgroups", "mtu-domain", "hostdev-vlan", "direct-bridge", "direct-private",
    "vepa", "passthrough", "metadata",
};

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
    g_autofree char *in = readData(inName);
    g_autofree char *expected = NULL;
    g_autofree char *got = NULL;
    g_autofree char *again = NULL;
    g_autoptr(mvNetworkDef) def = NULL;
    g_autoptr(mvNetworkDef) def2 = NULL;

    mvErrorReset();
    if (!(def = mvNetworkDefParse(in, 0)))
        g_error("%s: %s", inName, mvErrorGetLast()->message);
    got = mvNetworkDefFormat(def, MV_NETWORK_FORMAT_INACTIVE);
    if (g_getenv("MODVIRT_TEST_REGENERATE")) {
        g_autofree char *path = dataPath(outName);

        g_assert_cmpint(mvFileWriteAtomic(path, got, strlen(got), 0644), ==, 0);
    }
    expected = readData(outName);
    g_assert_cmpstr(got, ==, expected);

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
    g_autofree char *good = dataPath("nat-dhcp-in.xml");
    g_autofree char *bad = dataPath("invalid-element.xml");
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
    g_autoptr(mvNetworkDef) def = NULL;
    virErrorPtr err;

    mvErrorReset();
    if ((def = mvNetworkDefParse(xml, 0)))
        g_error("%s was accepted", c->file);
    err = mvErrorGetLast();
    g_assert_nonnull(err);
    if (err->code != c->code || err->domain != c->domain || !strstr(err->message, c->substring))
        g_error("%s: got code %d domain %d message '%s'; want code %d domain %d and '%s'",
                c->file, err->code, err->domain, err->message, c->code, c->domain,
                c->substring);
}

/* Each invalid file is also refused when the schema runs first: by the
 * schema, or (for what the schema cannot see) by the same check. */
static void
testInvalidValidateFlag(gconstpointer opaque)
{
    const invalidCase *c = opaque;
    g_autofree char *xml = readData(c->file);
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

/* Every file in the data dir is used by some case. */
static void
testDataAllUsed(gconstpointer opaque)
{
    const GPtrArray *cases = opaque;
    g_autofree char *dirPath = dataPath("");
    g_autoptr(GDir) dir = g_dir_open(dirPath, 0, NULL);
    const char *name;

    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir))) {
        bool used = g_str_equal(name, "invalid.txt");
        guint i;

        for (i = 0; !used && i < G_N_ELEMENTS(golden); i++) {
            g_autofree char *in = g_strdup_printf("%s-in.xml", golden[i]);
            g_autofree char *out = g_strdup_printf("%s-out.xml", golden[i]);

            used = g_str_equal(name, in) || g_str_equal(name, out);
        }
        for (i = 0; !used && i < cases->len; i++)
            used = g_str_equal(((invalidCase *)g_ptr_array_index(cases, i))->file, name);
        if (!used)
            g_error("data file %s is not used by any case", name);
    }
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
    g_autofree char *xml = readData("routed-in.xml");
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
    g_autofree char *xml = readData("ipv6-dhcp6-in.xml");
    g_autofree char *pgxml = readData("portgroups-in.xml");
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
    g_autofree char *xml = readData("direct-private-in.xml");
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
    size_t i;

    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    g_test_init(&argc, &argv, NULL);
    cases = loadInvalidCases();

    for (i = 0; i < G_N_ELEMENTS(golden); i++) {
        g_autofree char *path = g_strdup_printf("/conf/network/roundtrip/%s", golden[i]);

        g_test_add_data_func(path, golden[i], testRoundTrip);
    }
    for (i = 0; i < cases->len; i++) {
        invalidCase *c = g_ptr_array_index(cases, i);
        g_autofree char *path = g_strdup_printf("/conf/network/invalid/%s", c->file);
        g_autofree char *path2 = g_strdup_printf("/conf/network/invalid-validate/%s", c->file);

        g_test_add_data_func(path, c, testInvalid);
        g_test_add_data_func(path2, c, testInvalidValidateFlag);
    }
    g_test_add_data_func("/conf/network/data-all-used", cases, testDataAllUsed);
    g_test_add_func("/conf/network/parse-file", testParseFile);
    g_test_add_func("/conf/network/enum-tables", testEnumTables);
    g_test_add_func("/conf/network/generated-uuid-mac", testGenerated);
    g_test_add_func("/conf/network/connections", testConnections);
    g_test_add_func("/conf/network/lookups", testLookups);
    g_test_add_func("/conf/network/forward-dev", testForwardDevFromInterface);
    g_test_add_func("/conf/network/bad-flags", testBadFlags);
    return g_test_run();
}
