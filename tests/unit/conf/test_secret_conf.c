/*
 * Unit tests of drivers/conf/secret_conf and the common/mv_xml and mv_buf
 * helpers it stands on: golden round trips over tests/data/secret
 * (NAME-in.xml -> parse -> format == NAME-out.xml, and out -> out), the
 * invalid corpus listed in tests/data/secret/invalid.txt (code, domain and
 * message of each), and the typed XML readers.
 *
 * MODVIRT_TEST_REGENERATE=1 rewrites the -out.xml files from our output.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "conf_testutil.h"
#include "mv_buf.h"
#include "mv_error.h"
#include "mv_xml.h"
#include "secret_conf.h"

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
    g_autoptr(mvSecretDef) def = NULL;
    g_autoptr(mvSecretDef) def2 = NULL;

    mvErrorReset();
    def = mvSecretDefParse(in, 0);
    if (!def)
        g_error("%s: %s", inName, mvErrorGetLast()->message);
    got = mvSecretDefFormat(def);
    expected = confTestExpect(outName, got);

    /* the output is a fixed point, also under the validate flag */
    def2 = mvSecretDefParse(expected, MV_SECRET_DEF_PARSE_VALIDATE);
    g_assert_nonnull(def2);
    again = mvSecretDefFormat(def2);
    g_assert_cmpstr(again, ==, expected);
}

static void
testInvalid(gconstpointer opaque)
{
    const confTestInvalidCase *c = opaque;
    g_autofree char *xml = confTestReadData(c->file);
    g_autoptr(mvSecretDef) def = NULL;

    mvErrorReset();
    def = mvSecretDefParse(xml, 0);
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
    g_autoptr(mvSecretDef) def = NULL;
    virErrorPtr err;

    mvErrorReset();
    def = mvSecretDefParse(xml, MV_SECRET_DEF_PARSE_VALIDATE);
    g_assert_null(def);
    err = mvErrorGetLast();
    g_assert_nonnull(err);
    if (c->code == VIR_ERR_XML_DETAIL || c->code == VIR_ERR_XML_ERROR) {
        /* not well formed or wrong root: found before the schema runs,
         * except the semantic XML errors which the schema catches first */
        g_assert_true(err->code == c->code || err->code == VIR_ERR_XML_INVALID_SCHEMA);
    } else {
        g_assert_cmpint(err->code, ==, VIR_ERR_XML_INVALID_SCHEMA);
        g_assert_nonnull(strstr(err->message, "Unable to validate doc against "));
    }
}

static void
testUsageTable(void)
{
    int i;

    for (i = 0; i < MV_SECRET_USAGE_LAST; i++)
        g_assert_cmpint(mvSecretUsageTypeFromString(mvSecretUsageTypeToString(i)), ==, i);
    g_assert_cmpstr(mvSecretUsageTypeToString(MV_SECRET_USAGE_VTPM), ==, "vtpm");
    g_assert_cmpint(mvSecretUsageTypeFromString("floppy"), ==, -1);
    g_assert_null(mvSecretUsageTypeToString(MV_SECRET_USAGE_LAST));
}

static void
testGeneratedUUID(void)
{
    g_autoptr(mvSecretDef) a = mvSecretDefParse("<secret/>", 0);
    g_autoptr(mvSecretDef) b = mvSecretDefParse("<secret/>", 0);

    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_true(memcmp(a->uuid, b->uuid, MV_UUID_BUFLEN) != 0);
    g_assert_cmpint(a->usageType, ==, MV_SECRET_USAGE_NONE);
    g_assert_false(a->isephemeral);
    g_assert_false(a->isprivate);
}

static void
testXMLDepthAndSize(void)
{
    GString *deep = g_string_new("<secret>");
    g_autofree char *big = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    int i;

    for (i = 0; i < MV_XML_MAX_DEPTH + 5; i++)
        g_string_append(deep, "<a>");
    for (i = 0; i < MV_XML_MAX_DEPTH + 5; i++)
        g_string_append(deep, "</a>");
    g_string_append(deep, "</secret>");
    mvErrorReset();
    doc = mvXMLParseString(deep->str, "(deep)", "secret", VIR_FROM_SECRET);
    g_assert_null(doc);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_XML_ERROR);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "nested deeper than the limit"));
    g_string_free(deep, TRUE);

    big = g_malloc(MV_XML_MAX_SIZE + 2);
    memset(big, ' ', MV_XML_MAX_SIZE + 1);
    big[MV_XML_MAX_SIZE + 1] = '\0';
    mvErrorReset();
    g_assert_null(mvXMLParseString(big, "(big)", NULL, VIR_FROM_SECRET));
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "larger than the limit"));
}

static void
testXMLNoNetworkNoEntities(void)
{
    const char *ext = "<!DOCTYPE secret SYSTEM 'http://127.0.0.1:1/x.dtd'>\n<secret/>";
    g_autoptr(xmlDoc) doc = NULL;

    mvErrorReset();
    doc = mvXMLParseString(ext, "(ext)", "secret", VIR_FROM_SECRET);
    g_assert_null(doc);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "DOCTYPE declarations are not allowed"));
}

static void
testXMLProps(void)
{
    const char *xml = "<secret>\n  <e s='text' n='42' bad='4x' big='4294967296' yes='yes' "
                      "no='no' maybe='maybe' u='0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e01' "
                      "badu='xyz' kind='ceph' badkind='floppy'/>\n"
                      "  <c>child text</c>\n</secret>\n";
    static const char * const kinds[] = { "none", "volume", "ceph" };
    g_autoptr(xmlDoc) doc = mvXMLParseString(xml, "(props)", "secret", VIR_FROM_SECRET);
    xmlNode *e;
    g_autofree char *s = NULL;
    g_autofree char *child = NULL;
    unsigned int n = 0;
    bool b = false;
    int kind = -1;
    unsigned char uuid[MV_UUID_BUFLEN];

    g_assert_nonnull(doc);
    e = mvXMLChildFind(xmlDocGetRootElement(doc), "e");
    g_assert_nonnull(e);
    g_assert_cmpint(mvXMLNodeLine(e), ==, 2);

    g_assert_cmpint(mvXMLPropString(e, "s", &s), ==, 1);
    g_assert_cmpstr(s, ==, "text");
    g_assert_cmpint(mvXMLPropString(e, "absent", &s), ==, 0);

    g_assert_cmpint(mvXMLPropUInt(e, "n", &n), ==, 1);
    g_assert_cmpuint(n, ==, 42);
    g_assert_cmpint(mvXMLPropUInt(e, "absent", &n), ==, 0);
    mvErrorReset();
    g_assert_cmpint(mvXMLPropUInt(e, "bad", &n), ==, -1);
    g_assert_cmpstr(mvErrorGetLast()->message, ==,
                    "XML error: invalid value '4x' of attribute 'bad' of element <e> on "
                    "line 2 (expected an unsigned integer)");
    g_assert_cmpint(mvXMLPropUInt(e, "big", &n), ==, -1);
    g_assert_cmpuint(n, ==, 42);

    g_assert_cmpint(mvXMLPropYesNo(e, "yes", &b), ==, 1);
    g_assert_true(b);
    g_assert_cmpint(mvXMLPropYesNo(e, "no", &b), ==, 1);
    g_assert_false(b);
    mvErrorReset();
    g_assert_cmpint(mvXMLPropYesNo(e, "maybe", &b), ==, -1);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "'maybe' of attribute 'maybe' of "
                            "element <e> on line 2 (expected one of 'no', 'yes')"));

    g_assert_cmpint(mvXMLPropEnum(e, "kind", kinds, G_N_ELEMENTS(kinds), &kind), ==, 1);
    g_assert_cmpint(kind, ==, 2);
    mvErrorReset();
    g_assert_cmpint(mvXMLPropEnum(e, "badkind", kinds, G_N_ELEMENTS(kinds), &kind), ==, -1);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_XML_ERROR);
    g_assert_cmpint(kind, ==, 2);

    g_assert_cmpint(mvXMLPropUUID(e, "u", uuid), ==, 1);
    g_assert_cmpint(uuid[0], ==, 0x0a);
    mvErrorReset();
    g_assert_cmpint(mvXMLPropUUID(e, "badu", uuid), ==, -1);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "(expected a UUID)"));

    g_assert_cmpint(mvXMLChildString(xmlDocGetRootElement(doc), "c", &child), ==, 1);
    g_assert_cmpstr(child, ==, "child text");
    g_assert_cmpuint(mvXMLChildCount(xmlDocGetRootElement(doc), "e"), ==, 1);
}

static void
testXMLSchemaErrors(void)
{
    g_autoptr(xmlDoc) doc = mvXMLParseString("<secret>\n<uuid>x</uuid>\n</secret>",
                                             "(t)", "secret", VIR_FROM_SECRET);

    g_assert_nonnull(doc);
    mvErrorReset();
    g_assert_cmpint(mvXMLValidate(doc, "secret.rng"), ==, -1);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_XML_INVALID_SCHEMA);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "(t):2: element <uuid>"));
    mvErrorReset();
    g_assert_cmpint(mvXMLValidate(doc, "no-such-schema.rng"), ==, -1);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "no-such-schema.rng"));
}

static void
testBuf(void)
{
    g_auto(mvBuf) buf = MV_BUF_INIT;
    g_autofree char *out = NULL;

    g_assert_true(mvBufIsEmpty(&buf));
    mvBufAdd(&buf, "<a>\n");
    mvBufAdjustIndent(&buf, 2);
    mvBufAsprintf(&buf, "<b n='%d'>\n<c/>\n", 1);
    mvBufEscapeString(&buf, "<d>%s</d>\n", "x<y>&'\"\nz");
    mvBufEscapeString(&buf, "<e>%s</e>\n", NULL);
    mvBufAdjustIndent(&buf, -10);
    mvBufAdd(&buf, "</a>\n");
    out = mvBufContentAndReset(&buf);
    g_assert_cmpstr(out, ==, "<a>\n  <b n='1'>\n  <c/>\n  <d>x&lt;y&gt;&amp;&apos;&quot;\nz</d>\n</a>\n");
    g_assert_true(mvBufIsEmpty(&buf));
}

int
main(int argc, char **argv)
{
    static const char * const golden[] = {
        "volume", "ceph-private", "iscsi-ephemeral", "tls", "vtpm", "minimal",
        "compact", "escape", "multiline",
    };
    g_autoptr(GPtrArray) cases = NULL;
    confTestDataUse use = { 0 };
    size_t i;

    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    g_test_init(&argc, &argv, NULL);
    confTestSetDataDir(MV_TEST_DATADIR);
    cases = confTestLoadInvalid(CONF_TEST_INDEX_UNESCAPE);

    for (i = 0; i < G_N_ELEMENTS(golden); i++) {
        g_autofree char *path = g_strdup_printf("/conf/secret/roundtrip/%s", golden[i]);

        g_test_add_data_func(path, golden[i], testRoundTrip);
    }
    confTestAddInvalid(cases, "/conf/secret/invalid", testInvalid);
    confTestAddInvalid(cases, "/conf/secret/invalid-validate", testInvalidValidateFlag);
    use.cases = cases;
    g_test_add_data_func("/conf/secret/data-all-used", &use, confTestDataAllUsed);
    g_test_add_func("/conf/secret/usage-table", testUsageTable);
    g_test_add_func("/conf/secret/generated-uuid", testGeneratedUUID);
    g_test_add_func("/conf/xml/depth-and-size", testXMLDepthAndSize);
    g_test_add_func("/conf/xml/no-network-no-entities", testXMLNoNetworkNoEntities);
    g_test_add_func("/conf/xml/props", testXMLProps);
    g_test_add_func("/conf/xml/schema-errors", testXMLSchemaErrors);
    g_test_add_func("/conf/buf/indent-escape", testBuf);
    return g_test_run();
}
