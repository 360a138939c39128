/*
 * Unit tests of drivers/conf/domaincaps_conf: golden round trips over
 * tests/data/domaincaps (NAME-in.xml -> parse -> format == NAME-out.xml, and
 * out -> parse -> format == out), the invalid corpus listed in
 * tests/data/domaincaps/invalid.txt (code, domain and message of each), the
 * name tables, and a document built in code the way the QEMU driver will
 * build it.  The qemu-* files are Debian's libvirt 9.0 output
 * (`virsh domcapabilities` on qemu:///session with QEMU 7.2 and OVMF), so
 * their -in and -out are the same bytes; features-in.xml and minimal-in.xml
 * are written by hand for the parts this host cannot show.
 *
 * MODVIRT_TEST_REGENERATE=1 rewrites the -out.xml files from our output.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "conf_testutil.h"
#include "domaincaps_conf.h"
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
    g_autoptr(mvDomainCaps) caps = NULL;
    g_autoptr(mvDomainCaps) caps2 = NULL;

    mvErrorReset();
    if (!(caps = mvDomainCapsParseFile(inPath, 0)))
        g_error("%s: %s", inName, mvErrorGetLast()->message);
    got = mvDomainCapsFormat(caps);
    expected = confTestExpect(outName, got);

    if (!(caps2 = mvDomainCapsParse(expected, MV_DOMAIN_CAPS_PARSE_VALIDATE)))
        g_error("%s: %s", outName, mvErrorGetLast()->message);
    again = mvDomainCapsFormat(caps2);
    g_assert_cmpstr(again, ==, expected);
}

static void
testInvalid(gconstpointer opaque)
{
    const confTestInvalidCase *c = opaque;
    g_autofree char *xml = confTestReadData(c->file);
    g_autoptr(mvDomainCaps) caps = NULL;

    mvErrorReset();
    if ((caps = mvDomainCapsParse(xml, 0)))
        g_error("%s was accepted", c->file);
    confTestCheckError(c);
}

static void
testTables(void)
{
    int i;

    for (i = 0; i < MV_DOMAIN_CAPS_DEVICE_LAST; i++)
        g_assert_cmpint(mvDomainCapsDeviceFromString(mvDomainCapsDeviceToString(i)), ==, i);
    for (i = 0; i < MV_DOMAIN_CAPS_FEATURE_LAST; i++)
        g_assert_cmpint(mvDomainCapsFeatureFromString(mvDomainCapsFeatureToString(i)), ==, i);
    for (i = 0; i < MV_DOMAIN_CAPS_CPU_USABLE_LAST; i++)
        g_assert_cmpint(mvDomainCapsCPUUsableFromString(mvDomainCapsCPUUsableToString(i)),
                        ==, i);
    for (i = 0; i < MV_DOMAIN_CAPS_CPU_POLICY_LAST; i++)
        g_assert_cmpint(mvDomainCapsCPUPolicyFromString(mvDomainCapsCPUPolicyToString(i)),
                        ==, i);
    g_assert_cmpstr(mvDomainCapsFeatureToString(MV_DOMAIN_CAPS_FEATURE_BACKING_STORE_INPUT),
                    ==, "backingStoreInput");
    g_assert_cmpstr(mvDomainCapsFeatureToString(MV_DOMAIN_CAPS_FEATURE_ASYNC_TEARDOWN),
                    ==, "async-teardown");
    g_assert_null(mvDomainCapsDeviceToString(MV_DOMAIN_CAPS_DEVICE_LAST));
    g_assert_null(mvDomainCapsDeviceToString(-1));
    g_assert_cmpint(mvDomainCapsDeviceFromString("sound"), ==, -1);
    g_assert_cmpint(mvDomainCapsDeviceFromString(NULL), ==, -1);
}

/* A document as a driver builds it, including the parts newer libvirt
 * writes (<crypto>, <async-teardown>), formatted and parsed back. */
static void
testBuild(void)
{
    g_autoptr(mvDomainCaps) caps = mvDomainCapsNew();
    g_autoptr(mvDomainCaps) back = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *again = NULL;
    mvDomainCapsItem *crypto = &caps->devices[MV_DOMAIN_CAPS_DEVICE_CRYPTO];
    mvDomainCapsCPUModel *m;

    mvDomainCapsSetIdentity(caps, "/usr/bin/qemu-system-x86_64", "kvm", "pc-q35-7.2",
                            "x86_64");
    caps->hasMaxVcpus = true;
    caps->maxVcpus = 288;
    caps->iothreads = MV_DOMAIN_CAPS_YES;
    mvDomainCapsItemAddValue(&caps->os, "firmware", "efi");
    mvDomainCapsAddLoaderValue(caps, "/usr/share/OVMF/OVMF_CODE_4M.fd");
    mvDomainCapsItemAddValue(&caps->loader, "type", "pflash");
    (void)mvDomainCapsItemEnum(&caps->loader, "secure");
    mvDomainCapsItemSetSupported(&caps->hostPassthrough, true);
    mvDomainCapsItemAddValue(&caps->hostPassthrough, "hostPassthroughMigratable", "on");
    /* values added before the driver finds out it is unsupported vanish */
    mvDomainCapsItemAddValue(&caps->maximum, "maximumMigratable", "on");
    mvDomainCapsItemSetSupported(&caps->maximum, false);
    caps->hostModelSupported = MV_DOMAIN_CAPS_YES;
    caps->hostModelName = g_strdup("EPYC");
    caps->hostModelFallback = g_strdup("forbid");
    caps->hostModelVendor = g_strdup("AMD");
    mvDomainCapsAddHostModelFeature(caps, MV_DOMAIN_CAPS_CPU_POLICY_DISABLE, "vme");
    (void)mvDomainCapsAddCustomModel(caps, "qemu64", MV_DOMAIN_CAPS_CPU_USABLE_YES, NULL);
    m = mvDomainCapsAddCustomModel(caps, "Icelake-Client", MV_DOMAIN_CAPS_CPU_USABLE_NO,
                                   "Intel");
    m->deprecated = MV_DOMAIN_CAPS_YES;
    mvDomainCapsItemAddValue(&caps->memoryBacking, "sourceType", "memfd");
    mvDomainCapsItemAddValue(&caps->devices[MV_DOMAIN_CAPS_DEVICE_DISK], "bus", "virtio");
    mvDomainCapsItemSetSupported(&caps->devices[MV_DOMAIN_CAPS_DEVICE_GRAPHICS], false);
    mvDomainCapsItemAddValue(crypto, "model", "virtio");
    mvDomainCapsItemAddValue(crypto, "type", "qemu");
    mvDomainCapsItemAddValue(crypto, "backendModel", "builtin");
    mvDomainCapsItemAddValue(crypto, "backendModel", "lkcf");
    mvDomainCapsItemSetSupported(&caps->features[MV_DOMAIN_CAPS_FEATURE_VMCOREINFO], true);
    mvDomainCapsItemSetSupported(&caps->features[MV_DOMAIN_CAPS_FEATURE_ASYNC_TEARDOWN], true);
    mvDomainCapsItemSetSupported(&caps->features[MV_DOMAIN_CAPS_FEATURE_SEV], true);
    caps->hasSEVDetails = true;
    caps->sevCbitpos = 51;
    caps->sevReducedPhysBits = 1;
    caps->sevMaxGuests = 0;
    caps->sevMaxESGuests = 0;
    mvDomainCapsItemSetSupported(&caps->features[MV_DOMAIN_CAPS_FEATURE_SGX], false);
    caps->hasSGXDetails = true; /* not written: SGX is unsupported */

    xml = mvDomainCapsFormat(caps);
    g_assert_cmpstr(xml, ==,
                    "<domainCapabilities>\n"
                    "  <path>/usr/bin/qemu-system-x86_64</path>\n"
                    "  <domain>kvm</domain>\n"
                    "  <machine>pc-q35-7.2</machine>\n"
                    "  <arch>x86_64</arch>\n"
                    "  <vcpu max='288'/>\n"
                    "  <iothreads supported='yes'/>\n"
                    "  <os supported='yes'>\n"
                    "    <enum name='firmware'>\n"
                    "      <value>efi</value>\n"
                    "    </enum>\n"
                    "    <loader supported='yes'>\n"
                    "      <value>/usr/share/OVMF/OVMF_CODE_4M.fd</value>\n"
                    "      <enum name='type'>\n"
                    "        <value>pflash</value>\n"
                    "      </enum>\n"
                    "      <enum name='secure'/>\n"
                    "    </loader>\n"
                    "  </os>\n"
                    "  <cpu>\n"
                    "    <mode name='host-passthrough' supported='yes'>\n"
                    "      <enum name='hostPassthroughMigratable'>\n"
                    "        <value>on</value>\n"
                    "      </enum>\n"
                    "    </mode>\n"
                    "    <mode name='maximum' supported='no'/>\n"
                    "    <mode name='host-model' supported='yes'>\n"
                    "      <model fallback='forbid'>EPYC</model>\n"
                    "      <vendor>AMD</vendor>\n"
                    "      <feature policy='disable' name='vme'/>\n"
                    "    </mode>\n"
                    "    <mode name='custom' supported='yes'>\n"
                    "      <model usable='yes' vendor='unknown'>qemu64</model>\n"
                    "      <model usable='no' deprecated='yes' vendor='Intel'>"
                    "Icelake-Client</model>\n"
                    "    </mode>\n"
                    "  </cpu>\n"
                    "  <memoryBacking supported='yes'>\n"
                    "    <enum name='sourceType'>\n"
                    "      <value>memfd</value>\n"
                    "    </enum>\n"
                    "  </memoryBacking>\n"
                    "  <devices>\n"
                    "    <disk supported='yes'>\n"
                    "      <enum name='bus'>\n"
                    "        <value>virtio</value>\n"
                    "      </enum>\n"
                    "    </disk>\n"
                    "    <graphics supported='no'/>\n"
                    "    <crypto supported='yes'>\n"
                    "      <enum name='model'>\n"
                    "        <value>virtio</value>\n"
                    "      </enum>\n"
                    "      <enum name='type'>\n"
                    "        <value>qemu</value>\n"
                    "      </enum>\n"
                    "      <enum name='backendModel'>\n"
                    "        <value>builtin</value>\n"
                    "        <value>lkcf</value>\n"
                    "      </enum>\n"
                    "    </crypto>\n"
                    "  </devices>\n"
                    "  <features>\n"
                    "    <vmcoreinfo supported='yes'/>\n"
                    "    <async-teardown supported='yes'/>\n"
                    "    <sev supported='yes'>\n"
                    "      <cbitpos>51</cbitpos>\n"
                    "      <reducedPhysBits>1</reducedPhysBits>\n"
                    "      <maxGuests>0</maxGuests>\n"
                    "      <maxESGuests>0</maxESGuests>\n"
                    "    </sev>\n"
                    "    <sgx supported='no'/>\n"
                    "  </features>\n"
                    "</domainCapabilities>\n");

    mvErrorReset();
    if (!(back = mvDomainCapsParse(xml, 0)))
        g_error("%s", mvErrorGetLast()->message);
    again = mvDomainCapsFormat(back);
    g_assert_cmpstr(again, ==, xml);
    g_assert_cmpuint(back->customModels->len, ==, 2);
    g_assert_cmpint(((mvDomainCapsCPUModel *)g_ptr_array_index(back->customModels, 1))->deprecated,
                    ==, MV_DOMAIN_CAPS_YES);
}

/* Values are escaped on the way out and read back intact. */
static void
testEscaping(void)
{
    g_autoptr(mvDomainCaps) caps = mvDomainCapsNew();
    g_autoptr(mvDomainCaps) back = NULL;
    g_autofree char *xml = NULL;
    mvDomainCapsEnum *e;

    mvDomainCapsSetIdentity(caps, "/opt/q&a/qemu", "qemu", NULL, "x86_64");
    mvDomainCapsItemAddValue(&caps->devices[MV_DOMAIN_CAPS_DEVICE_CHANNEL], "type", "<'\">");
    xml = mvDomainCapsFormat(caps);
    g_assert_nonnull(strstr(xml, "<path>/opt/q&amp;a/qemu</path>\n"));
    g_assert_nonnull(strstr(xml, "<value>&lt;&apos;&quot;&gt;</value>"));
    g_assert_null(strstr(xml, "<machine>"));
    mvErrorReset();
    if (!(back = mvDomainCapsParse(xml, 0)))
        g_error("%s", mvErrorGetLast()->message);
    g_assert_cmpstr(back->path, ==, "/opt/q&a/qemu");
    g_assert_null(back->machine);
    e = g_ptr_array_index(back->devices[MV_DOMAIN_CAPS_DEVICE_CHANNEL].enums, 0);
    g_assert_cmpstr(g_ptr_array_index(e->values, 0), ==, "<'\">");
}

static void
testBadFlags(void)
{
    mvErrorReset();
    g_assert_null(mvDomainCapsParse("<domainCapabilities/>", 0x10));
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(mvErrorGetLast()->domain, ==, VIR_FROM_CAPABILITIES);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "unsupported flags (0x10)"));
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) golden = NULL;
    g_autoptr(GPtrArray) cases = NULL;
    confTestDataUse use = { 0 };

    g_test_init(&argc, &argv, NULL);
    confTestSetDataDir(MV_TEST_DATADIR);
    golden = confTestAddGolden("/conf/domaincaps/golden", testRoundTrip, NULL, NULL);
    cases = confTestLoadInvalid(0);
    confTestAddInvalid(cases, "/conf/domaincaps/invalid", testInvalid);
    use.cases = cases;
    g_test_add_data_func("/conf/domaincaps/data-all-used", &use, confTestDataAllUsed);
    g_test_add_func("/conf/domaincaps/tables", testTables);
    g_test_add_func("/conf/domaincaps/build", testBuild);
    g_test_add_func("/conf/domaincaps/escaping", testEscaping);
    g_test_add_func("/conf/domaincaps/bad-flags", testBadFlags);
    return g_test_run();
}
