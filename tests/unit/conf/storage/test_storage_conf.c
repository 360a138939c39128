/*
 * Unit tests of drivers/conf/storage_conf: golden round trips over
 * tests/data/storage (pool-NAME-in.xml / vol-NAME-in.xml -> parse -> format
 * == NAME-out.xml, and out -> out under the validate flag), the invalid
 * corpus listed in tests/data/storage/invalid.txt (code, domain and message
 * of each), the units helper, the enum tables and the output-only data
 * kept under MV_STORAGE_DEF_PARSE_STATE.  Volumes are parsed for a dir pool.
 *
 * MODVIRT_TEST_REGENERATE=1 rewrites the -out.xml files from our output.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <limits.h>
#include <string.h>

#include "conf_testutil.h"
#include "mv_error.h"
#include "storage_conf.h"

static bool
isPool(const char *name)
{
    return g_str_has_prefix(name, "pool-") || g_str_has_prefix(name, "invalid-pool-");
}

/* Parses and formats @xml as a pool or a dir-pool volume; NULL on error. */
static char *
parseFormat(bool pool, const char *xml, unsigned int flags)
{
    if (pool) {
        g_autoptr(mvStoragePoolDef) def = mvStoragePoolDefParse(xml, flags);

        return def ? mvStoragePoolDefFormat(def, 0) : NULL;
    } else {
        g_autoptr(mvStorageVolDef) def = mvStorageVolDefParse(xml, MV_STORAGE_POOL_DIR, flags);

        return def ? mvStorageVolDefFormat(def, 0) : NULL;
    }
}

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
    g_autofree char *state = NULL;

    mvErrorReset();
    if (!(got = parseFormat(isPool(base), in, 0)))
        g_error("%s: %s", inName, mvErrorGetLast()->message);
    expected = confTestExpect(outName, got);

    /* the output is a fixed point, also under the validate flag and when
     * output-only data is kept */
    again = parseFormat(isPool(base), expected, MV_STORAGE_DEF_PARSE_VALIDATE);
    if (!again)
        g_error("%s: %s", outName, mvErrorGetLast()->message);
    g_assert_cmpstr(again, ==, expected);
    state = parseFormat(isPool(base), expected, MV_STORAGE_DEF_PARSE_STATE);
    g_assert_cmpstr(state, ==, expected);
}

/* A volume as Debian's libvirtd dumped it from a real file in a running
 * dir pool: kept whole under MV_STORAGE_DEF_PARSE_STATE, and without the
 * output-only parts (physical, timestamps) otherwise. */
static void
testStateRoundTrip(gconstpointer opaque)
{
    const char *name = opaque;
    g_autofree char *xml = confTestReadData(name);
    g_autofree char *state = parseFormat(false, xml, MV_STORAGE_DEF_PARSE_STATE);
    g_autofree char *plain = parseFormat(false, xml, 0);

    g_assert_cmpstr(state, ==, xml);
    g_assert_nonnull(plain);
    g_assert_null(strstr(plain, "<physical"));
    g_assert_null(strstr(plain, "<timestamps>"));
    g_assert_nonnull(strstr(plain, "<owner>65534</owner>"));
}

static void
testInvalid(gconstpointer opaque)
{
    const confTestInvalidCase *c = opaque;
    g_autofree char *xml = confTestReadData(c->file);
    g_autofree char *out = NULL;

    mvErrorReset();
    if ((out = parseFormat(isPool(c->file), xml, 0)))
        g_error("%s was accepted:\n%s", c->file, out);
    confTestCheckError(c);
}

/* Each invalid file is also refused when the schema runs first: with the
 * schema's error, or, for what the schema allows (it is no stricter than
 * libvirt's), with the same error as without the flag. */
static void
testInvalidValidateFlag(gconstpointer opaque)
{
    const confTestInvalidCase *c = opaque;
    g_autofree char *xml = confTestReadData(c->file);
    g_autofree char *out = NULL;
    virErrorPtr err;

    mvErrorReset();
    out = parseFormat(isPool(c->file), xml, MV_STORAGE_DEF_PARSE_VALIDATE);
    g_assert_null(out);
    err = mvErrorGetLast();
    g_assert_nonnull(err);
    if (c->code == VIR_ERR_XML_DETAIL || strstr(c->substring, "expecting root element")) {
        g_assert_cmpint(err->code, ==, c->code);
    } else if (err->code == VIR_ERR_XML_INVALID_SCHEMA) {
        g_assert_nonnull(strstr(err->message, "Unable to validate doc against "));
    } else {
        g_assert_cmpint(err->code, ==, c->code);
        g_assert_cmpint(err->domain, ==, c->domain);
        g_assert_nonnull(strstr(err->message, c->substring));
    }
}

static void
expectScaled(const char *value, const char *unit, unsigned long long want)
{
    unsigned long long got = 0;

    mvErrorReset();
    if (mvStorageParseScaledInt(value, unit, &got) < 0)
        g_error("%s %s: %s", value, unit ? unit : "(null)", mvErrorGetLast()->message);
    g_assert_cmpuint(got, ==, want);
}

static void
expectScaledError(const char *value, const char *unit, int code, const char *message)
{
    unsigned long long got = 12345;

    mvErrorReset();
    g_assert_cmpint(mvStorageParseScaledInt(value, unit, &got), ==, -1);
    g_assert_cmpuint(got, ==, 12345);
    g_assert_cmpint(mvErrorGetLast()->code, ==, code);
    if (!strstr(mvErrorGetLast()->message, message))
        g_error("%s %s: '%s' lacks '%s'", value, unit, mvErrorGetLast()->message, message);
}

static void
testUnits(void)
{
    static const struct {
        const char *unit;
        unsigned long long scale;
    } units[] = {
        { NULL, 1ULL }, { "", 1ULL }, { "b", 1ULL }, { "B", 1ULL }, { "byte", 1ULL },
        { "bytes", 1ULL }, { "BYTES", 1ULL },
        { "k", 1ULL << 10 }, { "K", 1ULL << 10 }, { "KiB", 1ULL << 10 }, { "kib", 1ULL << 10 },
        { "KB", 1000ULL }, { "kb", 1000ULL },
        { "M", 1ULL << 20 }, { "MiB", 1ULL << 20 }, { "MB", 1000000ULL },
        { "G", 1ULL << 30 }, { "GiB", 1ULL << 30 }, { "GB", 1000000000ULL },
        { "T", 1ULL << 40 }, { "TiB", 1ULL << 40 }, { "TB", 1000000000000ULL },
        { "P", 1ULL << 50 }, { "PiB", 1ULL << 50 }, { "PB", 1000000000000000ULL },
        { "E", 1ULL << 60 }, { "EiB", 1ULL << 60 }, { "EB", 1000000000000000000ULL },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(units); i++) {
        expectScaled("1", units[i].unit, units[i].scale);
        expectScaled("3", units[i].unit, 3 * units[i].scale);
        expectScaled("0", units[i].unit, 0);
    }
    /* the limit is LLONG_MAX, the largest file size */
    expectScaled("9223372036854775807", "b", LLONG_MAX);
    expectScaledError("9223372036854775808", NULL, VIR_ERR_OVERFLOW,
                      "value too large: 9223372036854775808");
    expectScaled("7", "EiB", 7ULL << 60);
    expectScaledError("8", "EiB", VIR_ERR_OVERFLOW, "value too large: 8EiB");
    expectScaled("9", "EB", 9000000000000000000ULL);
    expectScaledError("10", "EB", VIR_ERR_OVERFLOW, "value too large: 10EB");
    expectScaled("8191", "PiB", 8191ULL << 50);
    expectScaledError("8192", "PiB", VIR_ERR_OVERFLOW, "value too large: 8192PiB");
    expectScaledError("18446744073709551616", NULL, VIR_ERR_XML_ERROR,
                      "malformed capacity element");
    expectScaledError("-1", NULL, VIR_ERR_XML_ERROR, "malformed capacity element");
    expectScaledError("1.5", "G", VIR_ERR_XML_ERROR, "malformed capacity element");
    expectScaledError("", NULL, VIR_ERR_XML_ERROR, "malformed capacity element");
    expectScaledError("1", "KiBB", VIR_ERR_INVALID_ARG, "unknown suffix 'KiBB'");
    expectScaledError("1", "Ki", VIR_ERR_INVALID_ARG, "unknown suffix 'Ki'");
    expectScaledError("1", "X", VIR_ERR_INVALID_ARG, "unknown suffix 'X'");
    expectScaledError("1", "bits", VIR_ERR_INVALID_ARG, "unknown suffix 'bits'");
}

static void
testEnums(void)
{
    int i;

    for (i = 0; i < MV_STORAGE_POOL_LAST; i++)
        g_assert_cmpint(mvStoragePoolTypeFromString(mvStoragePoolTypeToString(i)), ==, i);
    for (i = 0; i < MV_STORAGE_VOL_LAST; i++)
        g_assert_cmpint(mvStorageVolTypeFromString(mvStorageVolTypeToString(i)), ==, i);
    for (i = 0; i < MV_STORAGE_FILE_LAST; i++)
        g_assert_cmpint(mvStorageFileFormatFromString(mvStorageFileFormatToString(i)), ==, i);
    for (i = 0; i < MV_STORAGE_PART_LAST; i++)
        g_assert_cmpint(mvStoragePartFormatFromString(mvStoragePartFormatToString(i)), ==, i);
    for (i = 0; i < MV_STORAGE_ENC_LAST; i++)
        g_assert_cmpint(mvStorageEncFormatFromString(mvStorageEncFormatToString(i)), ==, i);
    /* numbers as libvirt's public enums */
    g_assert_cmpint(mvStoragePoolTypeFromString("gluster"), ==, 11);
    g_assert_cmpint(mvStoragePoolTypeFromString("vstorage"), ==, 13);
    g_assert_cmpint(mvStorageVolTypeFromString("ploop"), ==, 5);
    g_assert_cmpint(mvStorageFileFormatFromString("qcow2"), ==, 14);
    g_assert_null(mvStoragePoolTypeToString(MV_STORAGE_POOL_LAST));
    g_assert_null(mvStoragePoolTypeToString(-1));
    g_assert_cmpint(mvStoragePoolTypeFromString("floppy"), ==, -1);
    g_assert_cmpint(mvStoragePoolTypeFromString(NULL), ==, -1);
    g_assert_cmpstr(mvStoragePoolFormatToString(MV_STORAGE_POOL_FS, MV_STORAGE_POOL_FS_HFSPLUS),
                    ==, "hfs+");
    g_assert_cmpint(mvStoragePoolFormatFromString(MV_STORAGE_POOL_NETFS, "cifs"), ==,
                    MV_STORAGE_POOL_NETFS_CIFS);
    g_assert_cmpint(mvStoragePoolFormatFromString(MV_STORAGE_POOL_DIR, "auto"), ==, -1);
    g_assert_null(mvStoragePoolFormatToString(MV_STORAGE_POOL_ISCSI, 0));
}

/* Defaults filled in while parsing, as libvirt does. */
static void
testPoolDefaults(void)
{
    g_autoptr(mvStoragePoolDef) a = NULL;
    g_autoptr(mvStoragePoolDef) b = NULL;
    g_autoptr(mvStoragePoolDef) lv = NULL;
    const char *dir = "<pool type='dir'><name>d</name><target><path>//srv//x/</path>"
                      "</target></pool>";

    a = mvStoragePoolDefParse(dir, 0);
    b = mvStoragePoolDefParse(dir, 0);
    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_true(memcmp(a->uuid, b->uuid, MV_UUID_BUFLEN) != 0);
    g_assert_cmpstr(a->targetPath, ==, "/srv/x");
    g_assert_cmpint(a->targetPerms.mode, ==, -1);

    lv = mvStoragePoolDefParse("<pool type='logical'><source><name>vg</name></source>"
                               "<target><path>/elsewhere</path></target></pool>", 0);
    g_assert_nonnull(lv);
    g_assert_cmpstr(lv->name, ==, "vg");
    g_assert_cmpstr(lv->targetPath, ==, "/dev/vg");
    g_assert_cmpint(lv->source.format, ==, MV_STORAGE_POOL_LOGICAL_LVM2);
}

/* Sizes, physical and timestamps are output only: dropped by default,
 * kept under MV_STORAGE_DEF_PARSE_STATE. */
static void
testStateData(void)
{
    const char *pool = "<pool type='dir'><name>d</name><capacity unit='KiB'>2</capacity>"
                       "<allocation>1</allocation><available unit='KB'>3</available>"
                       "<target><path>/d</path></target></pool>";
    const char *vol = "<volume><name>v</name><capacity>10</capacity>"
                      "<physical unit='k'>1</physical><target><timestamps>"
                      "<atime>5.5</atime><mtime>7</mtime><ctime>1.000000001</ctime>"
                      "</timestamps></target></volume>";
    g_autoptr(mvStoragePoolDef) p0 = mvStoragePoolDefParse(pool, 0);
    g_autoptr(mvStoragePoolDef) p1 = mvStoragePoolDefParse(pool, MV_STORAGE_DEF_PARSE_STATE);
    g_autoptr(mvStorageVolDef) v0 = mvStorageVolDefParse(vol, MV_STORAGE_POOL_DIR, 0);
    g_autoptr(mvStorageVolDef) v1 = mvStorageVolDefParse(vol, MV_STORAGE_POOL_DIR,
                                                         MV_STORAGE_DEF_PARSE_STATE);
    g_autofree char *out0 = NULL;
    g_autofree char *out1 = NULL;

    g_assert_nonnull(p0);
    g_assert_nonnull(p1);
    g_assert_cmpuint(p0->capacity, ==, 0);
    g_assert_cmpuint(p1->capacity, ==, 2048);
    g_assert_cmpuint(p1->allocation, ==, 1);
    g_assert_cmpuint(p1->available, ==, 3000);
    g_assert_nonnull(v0);
    g_assert_nonnull(v1);
    out0 = mvStorageVolDefFormat(v0, 0);
    out1 = mvStorageVolDefFormat(v1, 0);
    g_assert_null(strstr(out0, "physical"));
    g_assert_null(strstr(out0, "timestamps"));
    g_assert_nonnull(strstr(out1, "  <physical unit='bytes'>1024</physical>\n"));
    g_assert_nonnull(strstr(out1, "    <timestamps>\n      <atime>5.500000000</atime>\n"
                                  "      <mtime>7</mtime>\n"
                                  "      <ctime>1.000000001</ctime>\n    </timestamps>\n"));
    g_assert_cmpuint(v1->allocation, ==, 10);
}

/* Volume formats depend on the pool type. */
static void
testVolFormatsPerPool(void)
{
    const char *part = "<volume><name>sdb1</name><capacity>1</capacity><target>"
                       "<format type='linux-lvm'/></target></volume>";
    const char *lvm = "<volume><name>lv</name><capacity>1</capacity><target>"
                      "<format type='qcow2'/></target></volume>";
    g_autoptr(mvStorageVolDef) d = mvStorageVolDefParse(part, MV_STORAGE_POOL_DISK, 0);
    g_autoptr(mvStorageVolDef) l = mvStorageVolDefParse(lvm, MV_STORAGE_POOL_LOGICAL, 0);
    g_autoptr(mvStorageVolDef) bad = NULL;
    g_autofree char *dout = NULL;
    g_autofree char *lout = NULL;

    g_assert_nonnull(d);
    dout = mvStorageVolDefFormat(d, 0);
    g_assert_nonnull(strstr(dout, "<format type='linux-lvm'/>"));
    g_assert_nonnull(l);
    lout = mvStorageVolDefFormat(l, 0);
    g_assert_null(strstr(lout, "<format"));
    mvErrorReset();
    bad = mvStorageVolDefParse(part, MV_STORAGE_POOL_DIR, 0);
    g_assert_null(bad);
    g_assert_cmpstr(mvErrorGetLast()->message, ==,
                    "unsupported configuration: unknown volume format type linux-lvm");
    mvErrorReset();
    g_assert_null(mvStorageVolDefParse(part, MV_STORAGE_POOL_LAST, 0));
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INVALID_ARG);
}

static void
testParseFile(void)
{
    g_autofree char *pool = confTestDataPath("pool-dir-in.xml");
    g_autofree char *vol = confTestDataPath("vol-qcow2-in.xml");
    g_autofree char *bad = confTestDataPath("invalid-pool-element.xml");
    g_autoptr(mvStoragePoolDef) p = mvStoragePoolDefParseFile(pool, 0);
    g_autoptr(mvStorageVolDef) v = mvStorageVolDefParseFile(vol, MV_STORAGE_POOL_DIR, 0);
    g_autoptr(mvStoragePoolDef) b = NULL;
    g_autofree char *where = NULL;

    g_assert_nonnull(p);
    g_assert_cmpstr(p->name, ==, "images");
    g_assert_nonnull(v);
    g_assert_true(v->nocow);
    g_assert_true(v->lazyRefcounts);
    mvErrorReset();
    b = mvStoragePoolDefParseFile(bad, 0);
    g_assert_null(b);
    where = g_strdup_printf("%s:3: element <colour>", bad);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, where));
    mvErrorReset();
    g_assert_null(mvStoragePoolDefParse("<pool type='dir'/>", 1 << 7));
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INVALID_ARG);
}

int
main(int argc, char **argv)
{
    static const char * const golden[] = {
        "pool-dir", "pool-dir-minimal", "pool-dir-features", "pool-fs", "pool-netfs",
        "pool-netfs-cifs", "pool-netfs-vendor", "pool-logical", "pool-logical-noname",
        "pool-disk", "pool-iscsi", "pool-iscsi-direct", "pool-scsi", "pool-scsi-fc",
        "pool-mpath", "pool-rbd", "pool-gluster", "pool-zfs", "pool-vstorage",
        "vol-qcow2", "vol-luks", "vol-luks2-engine", "vol-misc", "vol-default-enc",
        "vol-units", "vol-minimal", "vol-features-empty",
    };
    static const char * const extra[] = { "state-vol-dir-real.xml", NULL };
    g_autoptr(GPtrArray) cases = NULL;
    confTestDataUse use = { .golden = golden, .ngolden = G_N_ELEMENTS(golden), .extra = extra };
    size_t i;

    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    g_test_init(&argc, &argv, NULL);
    confTestSetDataDir(MV_TEST_DATADIR);
    cases = confTestLoadInvalid(CONF_TEST_INDEX_UNESCAPE);

    for (i = 0; i < G_N_ELEMENTS(golden); i++) {
        g_autofree char *path = g_strdup_printf("/conf/storage/roundtrip/%s", golden[i]);

        g_test_add_data_func(path, golden[i], testRoundTrip);
    }
    confTestAddInvalid(cases, "/conf/storage/invalid", testInvalid);
    confTestAddInvalid(cases, "/conf/storage/invalid-validate", testInvalidValidateFlag);
    use.cases = cases;
    g_test_add_data_func("/conf/storage/data-all-used", &use, confTestDataAllUsed);
    g_test_add_data_func("/conf/storage/state/vol-dir-real", "state-vol-dir-real.xml",
                         testStateRoundTrip);
    g_test_add_func("/conf/storage/units", testUnits);
    g_test_add_func("/conf/storage/enums", testEnums);
    g_test_add_func("/conf/storage/pool-defaults", testPoolDefaults);
    g_test_add_func("/conf/storage/state-data", testStateData);
    g_test_add_func("/conf/storage/vol-formats-per-pool", testVolFormatsPerPool);
    g_test_add_func("/conf/storage/parse-file", testParseFile);
    return g_test_run();
}
