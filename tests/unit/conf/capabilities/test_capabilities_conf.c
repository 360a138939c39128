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

#include <string.h>

#include "capabilities_conf.h"
#include "conf_testutil.h"
#include "mv_error.h"

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
    g_autoptr(mvCaps) def = NULL;
    g_autoptr(mvCaps) def2 = NULL;

    mvErrorReset();
    if (!(def = mvCapsParseFile(inPath)))
        g_error("%s: %s", inName, mvErrorGetLast()->message);
    got = mvCapsFormat(def);
    expected = confTestExpect(outName, got);

    if (!(def2 = mvCapsParse(expected)))
        g_error("%s: %s", outName, mvErrorGetLast()->message);
    again = mvCapsFormat(def2);
    g_assert_cmpstr(again, ==, expected);
}

static void
testInvalid(gconstpointer opaque)
{
    const confTestInvalidCase *c = opaque;
    g_autofree char *xml = confTestReadData(c->file);
    g_autoptr(mvCaps) def = NULL;

    mvErrorReset();
    if ((def = mvCapsParse(xml)))
        g_error("%s was accepted", c->file);
    confTestCheckError(c);
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
    confTestDataUse use = { 0 };

    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    g_test_init(&argc, &argv, NULL);
    confTestSetDataDir(MV_TEST_DATADIR);
    cases = confTestLoadInvalid(CONF_TEST_INDEX_UNESCAPE);
    golden = confTestAddGolden("/conf/capabilities/roundtrip", testRoundTrip, NULL, NULL);
    g_assert_cmpuint(golden->len, >, 0);

    confTestAddInvalid(cases, "/conf/capabilities/invalid", testInvalid);
    use.cases = cases;
    g_test_add_data_func("/conf/capabilities/data-all-used", &use, confTestDataAllUsed);
    g_test_add_func("/conf/capabilities/build", testBuild);
    return g_test_run();
}
