/*
 * Unit tests of drivers/conf/domain_devices_extra_conf (<hostdev>,
 * <filesystem>, <tpm>, <sound>, <shmem>, <vsock>, disk <iotune>) and
 * <parallel>: golden data in tests/data/domain/devextra.
 *   NAME-libvirt.xml  dumped by Debian's libvirt 9.0 (`dumpxml --inactive`;
 *                     see devextra/README for which driver): a fixed point.
 *   NAME-in.xml       format(parse(in)) == NAME-out.xml, a fixed point.
 *   invalid.txt       file|code|domain|message substring of refused files.
 * Every -libvirt and -out file also validates against libvirt's own
 * domain.rng (xmllint) when it is installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "conf_testutil.h"
#include "domain_conf.h"
#include "domain_restricted.h"
#include "mv_error.h"

#define LIBVIRT_DOMAIN_RNG "/usr/share/libvirt/schemas/domain.rng"

static char *
parseFormat(const char *name, const char *xml, unsigned int parseFlags)
{
    g_autoptr(mvDomainDef) def = NULL;

    mvErrorReset();
    if (!(def = mvDomainDefParse(xml, parseFlags)))
        g_error("%s: %s", name, mvErrorGetLast()->message);
    return mvDomainDefFormat(def, 0);
}

/* libvirt's own schema accepts the file (skipped when not installed). */
static void
checkLibvirtSchema(const char *name)
{
    g_autofree char *path = confTestDataPath(name);
    const char *argv[] = { "xmllint", "--noout", "--nonet", "--relaxng", LIBVIRT_DOMAIN_RNG,
                           path, NULL };
    g_autofree char *err = NULL;
    g_autofree char *xmllint = g_find_program_in_path("xmllint");
    g_autoptr(GError) gerr = NULL;
    int status = 0;

    if (!g_file_test(LIBVIRT_DOMAIN_RNG, G_FILE_TEST_EXISTS) || !xmllint)
        return;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH |
                      G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &gerr))
        g_error("xmllint: %s", gerr->message);
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("%s is rejected by libvirt's schema: %s", name, err);
}

static void
testLibvirtFixedPoint(gconstpointer opaque)
{
    confTestFixedPoint(opaque, parseFormat, MV_DOMAIN_DEF_PARSE_VALIDATE);
    checkLibvirtSchema(opaque);
}

static void
testRoundTrip(gconstpointer opaque)
{
    g_autofree char *outName = g_strdup_printf("%s-out.xml", (const char *)opaque);

    confTestGoldenPair(opaque, parseFormat, MV_DOMAIN_DEF_PARSE_VALIDATE);
    checkLibvirtSchema(outName);
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
    /* the schema refuses it too, or the parser after it */
    g_clear_pointer(&def, mvDomainDefFree);
    mvErrorReset();
    def = mvDomainDefParse(xml, MV_DOMAIN_DEF_PARSE_VALIDATE);
    if (def)
        g_error("%s was accepted with the validate flag", c->file);
    g_assert_true(mvErrorIsSet());
}

#define DOMAIN(devices) \
    "<domain type='kvm'><name>t</name><memory>1024</memory><os><type>hvm</type></os>" \
    "<devices>" devices "</devices></domain>"

/* The parsed structures hold what the document says. */
static void
testStructs(void)
{
    g_autofree char *xml = confTestReadData("hostdev-libvirt.xml");
    g_autoptr(mvDomainDef) def = mvDomainDefParse(xml, 0);
    g_autoptr(mvDomainDef) fsdef = NULL;
    g_autoptr(mvDomainDef) tpmdef = NULL;
    g_autofree char *fsxml = confTestReadData("fsvirtio-libvirt.xml");
    g_autofree char *tpmxml = confTestReadData("tpmemu-libvirt.xml");
    const mvDomainHostdevDef *hd;
    const mvDomainFSDef *fs;
    const mvDomainTPMDef *tpm;

    g_assert_nonnull(def);
    g_assert_cmpuint(def->hostdevs->len, ==, 4);
    hd = g_ptr_array_index(def->hostdevs, 0);
    g_assert_cmpint(hd->type, ==, MV_HOSTDEV_SUBSYS_PCI);
    g_assert_true(hd->managed);
    g_assert_cmpstr(hd->driverName, ==, "vfio");
    g_assert_cmpuint(hd->pciBus, ==, 6);
    g_assert_cmpuint(hd->pciSlot, ==, 0x12);
    g_assert_cmpuint(hd->pciFunction, ==, 5);
    g_assert_cmpuint(hd->info.bootIndex, ==, 1);
    g_assert_cmpint(hd->romBar, ==, MV_TRISTATE_YES);
    hd = g_ptr_array_index(def->hostdevs, 2);
    g_assert_cmpint(hd->type, ==, MV_HOSTDEV_SUBSYS_USB);
    g_assert_true(hd->hasVendor);
    g_assert_cmpuint(hd->vendor, ==, 0x1234);
    g_assert_cmpuint(hd->product, ==, 0xbeef);
    g_assert_cmpstr(hd->startupPolicy, ==, "optional");

    fsdef = mvDomainDefParse(fsxml, 0);
    g_assert_nonnull(fsdef);
    fs = g_ptr_array_index(fsdef->filesystems, 0);
    g_assert_cmpint(fs->driverType, ==, MV_FS_DRIVER_VIRTIOFS);
    g_assert_cmpuint(fs->queue, ==, 1024);
    g_assert_cmpstr(fs->src, ==, "/srv/share");
    g_assert_cmpstr(fs->dst, ==, "share");
    g_assert_cmpstr(fs->cacheMode, ==, "always");

    tpmdef = mvDomainDefParse(tpmxml, 0);
    g_assert_nonnull(tpmdef);
    tpm = g_ptr_array_index(tpmdef->tpms, 0);
    g_assert_cmpint(tpm->model, ==, MV_TPM_MODEL_CRB);
    g_assert_cmpint(tpm->backend, ==, MV_TPM_BACKEND_EMULATOR);
    g_assert_true(tpm->persistentState);
    g_assert_true(tpm->hasSecret);
}

/* Aliases of the new devices come back only in live documents. */
static void
testLiveAlias(void)
{
    const char *xml = DOMAIN("<hostdev mode='subsystem' type='usb'><alias name='hostdev0'/>"
                             "</hostdev><filesystem><source dir='/a'/><target dir='t'/>"
                             "<alias name='fs0'/></filesystem><tpm model='tpm-tis'>"
                             "<backend type='passthrough'/><alias name='tpm0'/></tpm>");
    g_autoptr(mvDomainDef) def = mvDomainDefParse(xml, MV_DOMAIN_DEF_PARSE_LIVE);
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;

    g_assert_nonnull(def);
    live = mvDomainDefFormat(def, MV_DOMAIN_DEF_FORMAT_LIVE);
    inactive = mvDomainDefFormat(def, 0);
    g_assert_nonnull(strstr(live, "<alias name='hostdev0'/>"));
    g_assert_nonnull(strstr(live, "<alias name='fs0'/>"));
    g_assert_nonnull(strstr(live, "<alias name='tpm0'/>"));
    g_assert_null(strstr(inactive, "<alias"));
}

/* Sound, shmem and vsock: structures, defaults and live aliases. */
static void
testSoundShmemVsock(void)
{
    const char *xml = DOMAIN("<sound model='ich6'><codec type='micro'/><audio id='1'/>"
                             "<alias name='sound0'/></sound><audio id='1' type='none'/>"
                             "<shmem name='s'><model type='ivshmem-plain'/><size unit='M'>8"
                             "</size><alias name='shmem0'/></shmem><vsock model='virtio'>"
                             "<cid address='9'/><alias name='vsock0'/></vsock>");
    g_autoptr(mvDomainDef) def = mvDomainDefParse(xml, MV_DOMAIN_DEF_PARSE_LIVE);
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;
    const mvDomainSoundDef *snd;
    const mvDomainShmemDef *shm;
    const mvDomainVsockDef *vs;

    g_assert_nonnull(def);
    snd = g_ptr_array_index(def->sounds, 0);
    g_assert_cmpint(snd->model, ==, MV_SOUND_MODEL_ICH6);
    g_assert_cmpuint(snd->ncodecs, ==, 1);
    g_assert_cmpint(snd->codecs[0], ==, MV_SOUND_CODEC_MICRO);
    g_assert_cmpuint(snd->audioId, ==, 1);
    shm = g_ptr_array_index(def->shmems, 0);
    g_assert_cmpstr(shm->name, ==, "s");
    g_assert_cmpuint(shm->size, ==, 8ULL << 20);
    vs = g_ptr_array_index(def->vsocks, 0);
    g_assert_cmpuint(vs->cid, ==, 9);
    g_assert_cmpint(vs->autoCid, ==, MV_TRISTATE_NO);
    live = mvDomainDefFormat(def, MV_DOMAIN_DEF_FORMAT_LIVE);
    inactive = mvDomainDefFormat(def, 0);
    g_assert_nonnull(strstr(live, "<alias name='sound0'/>"));
    g_assert_nonnull(strstr(live, "<alias name='shmem0'/>"));
    g_assert_nonnull(strstr(live, "<alias name='vsock0'/>"));
    g_assert_null(strstr(inactive, "<alias"));
}

/* Parallel ports: numbered like serial ports, target type and model
 * dropped, a live pty path and alias only in live documents. */
static void
testParallel(void)
{
    const char *xml = DOMAIN("<parallel type='pty'><source path='/dev/pts/7'/><target type='x' "
                             "port='2'><model name='m'/></target><alias name='parallel0'/>"
                             "</parallel><parallel type='file'><source path='/a'/></parallel>"
                             "<serial type='pty'/>");
    g_autoptr(mvDomainDef) def = mvDomainDefParse(xml, MV_DOMAIN_DEF_PARSE_LIVE);
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;
    const mvDomainChrDef *p;

    g_assert_nonnull(def);
    g_assert_cmpuint(def->parallels->len, ==, 2);
    g_assert_cmpuint(def->serials->len, ==, 1);
    p = g_ptr_array_index(def->parallels, 0);
    g_assert_cmpint(p->deviceType, ==, MV_CHR_DEVICE_PARALLEL);
    g_assert_cmpint(p->targetPort, ==, 2);
    g_assert_null(p->targetType);
    g_assert_null(p->targetModel);
    p = g_ptr_array_index(def->parallels, 1);
    g_assert_cmpint(p->targetPort, ==, 3);
    g_assert_cmpstr(p->src.path, ==, "/a");
    g_assert_true(mvDomainDefFindDeviceInfoByAlias(def, "parallel0") != NULL);
    live = mvDomainDefFormat(def, MV_DOMAIN_DEF_FORMAT_LIVE);
    inactive = mvDomainDefFormat(def, 0);
    g_assert_nonnull(strstr(live, "<parallel type='pty'>\n      <source path='/dev/pts/7'/>\n"
                            "      <target port='2'/>\n      <alias name='parallel0'/>\n"));
    g_assert_nonnull(strstr(inactive, "<parallel type='pty'>\n      <target port='2'/>\n"
                            "    </parallel>\n"));
    g_assert_cmpstr(mvChrDeviceToString(MV_CHR_DEVICE_PARALLEL), ==, "parallel");
}

/* <iotune> values as parsed: a '+' sign and an empty element (no value)
 * are accepted as libvirt reads them (our schema refuses both). */
static void
testIotune(void)
{
    const char *xml = DOMAIN("<disk type='file'><source file='/a'/><target dev='vda'/><iotune>"
                             "<read_bytes_sec>+3</read_bytes_sec><write_bytes_sec></write_bytes_sec>"
                             "<total_iops_sec_max_length>4</total_iops_sec_max_length>"
                             "<group_name>g</group_name></iotune></disk>");
    g_autoptr(mvDomainDef) def = mvDomainDefParse(xml, 0);
    g_autofree char *out = NULL;
    const mvDomainDiskDef *disk;

    g_assert_nonnull(def);
    disk = g_ptr_array_index(def->disks, 0);
    g_assert_cmpuint(disk->iotune.values[MV_DISK_IOTUNE_READ_BYTES_SEC], ==, 3);
    g_assert_cmpuint(disk->iotune.values[MV_DISK_IOTUNE_WRITE_BYTES_SEC], ==, 0);
    g_assert_cmpuint(disk->iotune.values[MV_DISK_IOTUNE_TOTAL_IOPS_SEC_MAX_LENGTH], ==, 4);
    g_assert_cmpstr(disk->iotune.groupName, ==, "g");
    out = mvDomainDefFormat(def, 0);
    g_assert_nonnull(strstr(out, "<target dev='vda' bus='virtio'/>\n      <iotune>\n"
                            "        <read_bytes_sec>3</read_bytes_sec>\n"
                            "        <group_name>g</group_name>\n"
                            "        <total_iops_sec_max_length>4</total_iops_sec_max_length>\n"
                            "      </iotune>\n"));
    g_assert_cmpstr(mvDiskIotuneFieldToString(MV_DISK_IOTUNE_SIZE_IOPS_SEC), ==,
                    "size_iops_sec");
    g_assert_cmpint(mvDiskIotuneFieldFromString("group_name"), ==, -1);
}

/* Enum tables name every value. */
static void
testEnums(void)
{
    int i;

    for (i = 0; i < MV_HOSTDEV_SUBSYS_LAST; i++)
        g_assert_cmpint(mvHostdevSubsysFromString(mvHostdevSubsysToString(i)), ==, i);
    for (i = 0; i < MV_FS_ACCESS_LAST; i++)
        g_assert_cmpint(mvFSAccessModeFromString(mvFSAccessModeToString(i)), ==, i);
    for (i = 0; i < MV_FS_DRIVER_LAST; i++)
        g_assert_cmpint(mvFSDriverFromString(mvFSDriverToString(i)), ==, i);
    for (i = 0; i < MV_TPM_MODEL_LAST; i++)
        g_assert_cmpint(mvTPMModelFromString(mvTPMModelToString(i)), ==, i);
    for (i = 0; i < MV_TPM_BACKEND_LAST; i++)
        g_assert_cmpint(mvTPMBackendFromString(mvTPMBackendToString(i)), ==, i);
    for (i = 0; i < MV_SOUND_MODEL_LAST; i++)
        g_assert_cmpint(mvSoundModelFromString(mvSoundModelToString(i)), ==, i);
    for (i = 0; i < MV_SOUND_CODEC_LAST; i++)
        g_assert_cmpint(mvSoundCodecFromString(mvSoundCodecToString(i)), ==, i);
    for (i = 0; i < MV_SHMEM_MODEL_LAST; i++)
        g_assert_cmpint(mvShmemModelFromString(mvShmemModelToString(i)), ==, i);
    for (i = 0; i < MV_VSOCK_MODEL_LAST; i++)
        g_assert_cmpint(mvVsockModelFromString(mvVsockModelToString(i)), ==, i);
    g_assert_null(mvTPMModelToString(MV_TPM_MODEL_LAST));
    g_assert_cmpint(mvHostdevSubsysFromString("scsi"), ==, -1);
}

/* The restricted profile refuses host devices, the host TPM and shared
 * directories outside the allowed ones. */
static void
testRestricted(void)
{
    const char *allowed[] = { "/srv/archive", NULL };
    const char *bad = DOMAIN("<filesystem><source dir='/etc'/><target dir='etc'/></filesystem>"
                             "<filesystem><driver type='virtiofs'/><binary path='/tmp/x'/>"
                             "<source dir='/srv/archive/share'/><target dir='ok'/></filesystem>"
                             "<tpm model='tpm-tis'><backend type='passthrough'/></tpm>"
                             "<hostdev mode='subsystem' type='pci'><source><address "
                             "domain='0' bus='6' slot='0x12' function='5'/></source></hostdev>"
                             "<hostdev mode='subsystem' type='usb'><source><address bus='1' "
                             "device='2'/></source></hostdev>");
    const char *good = DOMAIN("<filesystem><source dir='/srv/archive/data'/>"
                              "<target dir='data'/></filesystem><tpm model='tpm-crb'>"
                              "<backend type='emulator' version='2.0'/></tpm>");
    g_autoptr(mvDomainDef) def = mvDomainDefParse(bad, 0);
    g_autoptr(mvDomainDef) ok = mvDomainDefParse(good, 0);
    g_autoptr(GPtrArray) v = NULL;
    g_autoptr(GPtrArray) none = NULL;

    g_assert_nonnull(def);
    g_assert_nonnull(ok);
    v = mvDomainDefListRestrictedViolations(def, allowed);
    g_assert_cmpuint(v->len, ==, 5);
    g_assert_nonnull(strstr(g_ptr_array_index(v, 0), "<filesystem> source '/etc' (target 'etc') "
                            "is outside the allowed directories"));
    g_assert_nonnull(strstr(g_ptr_array_index(v, 1), "<filesystem> binary '/tmp/x'"));
    g_assert_nonnull(strstr(g_ptr_array_index(v, 2), "<tpm> passthrough backend '/dev/tpm0'"));
    g_assert_nonnull(strstr(g_ptr_array_index(v, 3), "<hostdev type='pci'> 0000:06:12.5"));
    g_assert_nonnull(strstr(g_ptr_array_index(v, 4), "<hostdev type='usb'> is refused"));
    mvErrorReset();
    g_assert_cmpint(mvDomainDefCheckRestricted(def, allowed), ==, -1);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_CONFIG_UNSUPPORTED);
    none = mvDomainDefListRestrictedViolations(ok, allowed);
    g_assert_cmpuint(none->len, ==, 0);
    g_assert_cmpint(mvDomainDefCheckRestricted(ok, allowed), ==, 0);
}

int
main(int argc, char **argv)
{
    static const char * const suffixes[] = { "-libvirt.xml", NULL };
    static const char * const extra[] = { "README", NULL };
    g_autoptr(GPtrArray) cases = NULL;
    g_autoptr(GPtrArray) golden = NULL;
    confTestDataUse use = { .suffixes = suffixes, .extra = extra };

    g_test_init(&argc, &argv, NULL);
    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    confTestSetDataDir(MV_TEST_DATADIR "/devextra");
    cases = confTestLoadInvalid(0);
    golden = confTestAddGolden("/conf/domain-extra/roundtrip", testRoundTrip,
                               "/conf/domain-extra/libvirt", testLibvirtFixedPoint);
    confTestAddInvalid(cases, "/conf/domain-extra/invalid", testInvalid);
    use.cases = cases;
    g_test_add_data_func("/conf/domain-extra/data-all-used", &use, confTestDataAllUsed);
    g_test_add_func("/conf/domain-extra/structs", testStructs);
    g_test_add_func("/conf/domain-extra/live-alias", testLiveAlias);
    g_test_add_func("/conf/domain-extra/sound-shmem-vsock", testSoundShmemVsock);
    g_test_add_func("/conf/domain-extra/enums", testEnums);
    g_test_add_func("/conf/domain-extra/parallel", testParallel);
    g_test_add_func("/conf/domain-extra/iotune", testIotune);
    g_test_add_func("/conf/domain-extra/restricted", testRestricted);
    return g_test_run();
}
