/*
 * Unit tests of QEMU capability probing, the capability cache and the two
 * capability documents, run against the real /usr/bin/qemu-system-* of this
 * machine; the documents are compared with what Debian's libvirt 9.0 said
 * for the same QEMU here (tests/data/qemucaps/libvirt-*.xml) and validated
 * against libvirt's RelaxNG schemas.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mv_error.h"
#include "mv_file.h"
#include "qemu_capabilities.h"

#define QEMU_X86 "/usr/bin/qemu-system-x86_64"
#define QEMU_I386 "/usr/bin/qemu-system-i386"
#define SCHEMA_DIR "/usr/share/libvirt/schemas"

static char *
testDataPath(const char *name)
{
    return g_build_filename(MV_TEST_DATA_DIR, "qemucaps", name, NULL);
}

static char *
testTempDir(void)
{
    g_autoptr(GError) err = NULL;
    char *dir = g_dir_make_tmp("mvqemucaps-XXXXXX", &err);

    g_assert_no_error(err);
    return dir;
}

static void
testRemoveTree(const char *path)
{
    const char *argv[] = { "rm", "-rf", path, NULL };

    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                 NULL, NULL, NULL, NULL);
}

/* No child may outlive a probe. */
static void
testAssertNoChildren(void)
{
    int status;

    g_assert_cmpint(waitpid(-1, &status, WNOHANG), ==, -1);
    g_assert_cmpint(errno, ==, ECHILD);
}

/* Validates @xml with xmllint against a libvirt schema. */
static void
testValidate(const char *xml, const char *schema)
{
    g_autofree char *dir = testTempDir();
    g_autofree char *file = g_build_filename(dir, "doc.xml", NULL);
    g_autofree char *rng = g_build_filename(SCHEMA_DIR, schema, NULL);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    const char *argv[] = { "xmllint", "--noout", "--relaxng", rng, file, NULL };
    int status = -1;

    g_assert_true(g_file_set_contents(file, xml, -1, NULL));
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, NULL));
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("%s does not validate against %s: %s\n%s", file, schema, err, xml);
    testRemoveTree(dir);
}

/* ---- probe ---- */

static mvQemuCaps *sharedCaps;

static const mvQemuCaps *
testRealCaps(void)
{
    if (!sharedCaps) {
        gint64 start = g_get_monotonic_time();
        sharedCaps = mvQemuCapsProbe(QEMU_X86, g_get_tmp_dir());
        g_assert_nonnull(sharedCaps);
        g_test_message("probe of %s took %.1f ms", QEMU_X86,
                       (g_get_monotonic_time() - start) / 1000.0);
    }
    return sharedCaps;
}

static void
testProbe(void)
{
    const mvQemuCaps *caps = testRealCaps();
    const mvQemuCapsMachine *m;

    g_assert_cmpstr(caps->binary, ==, QEMU_X86);
    g_assert_cmpstr(caps->arch, ==, "x86_64");
    g_assert_cmpuint(caps->version / 1000, ==, 7002);
    g_assert_true(g_str_has_prefix(caps->package, "Debian"));
    g_assert_true(caps->tcg);

    m = mvQemuCapsGetMachine(caps, "pc");
    g_assert_nonnull(m);
    g_assert_cmpstr(m->name, ==, "pc-i440fx-7.2");
    g_assert_true(m->isDefault);
    g_assert_cmpuint(m->maxCpus, ==, 255);
    g_assert_cmpstr(m->defaultCPUType, ==, "qemu64-x86_64-cpu");
    g_assert_cmpstr(m->defaultRAMId, ==, "pc.ram");
    m = mvQemuCapsGetMachine(caps, "q35");
    g_assert_nonnull(m);
    g_assert_cmpstr(m->name, ==, "pc-q35-7.2");
    g_assert_cmpuint(m->maxCpus, ==, 288);
    g_assert_true(mvQemuCapsGetMachine(caps, "pc-i440fx-1.4")->deprecated);
    g_assert_null(mvQemuCapsGetMachine(caps, "none"));
    g_assert_cmpstr(mvQemuCapsGetDefaultMachine(caps)->name, ==, "pc-i440fx-7.2");

    g_assert_true(mvQemuCapsHasType(caps, "virtio-blk-pci"));
    g_assert_true(mvQemuCapsHasType(caps, "e1000"));
    g_assert_true(mvQemuCapsHasType(caps, "virtio-net-pci"));
    g_assert_true(mvQemuCapsHasType(caps, "tcg-accel"));
    g_assert_false(mvQemuCapsHasType(caps, "no-such-device"));
    g_assert_true(mvQemuCapsHasOption(caps, "machine"));
    g_assert_true(mvQemuCapsHasOption(caps, "chardev"));
    g_assert_false(mvQemuCapsHasOption(caps, ""));

    g_assert_nonnull(mvQemuCapsGetCPUModel(caps, "qemu64"));
    g_assert_cmpstr(mvQemuCapsGetCPUModel(caps, "qemu64")->typeName, ==, "qemu64-x86_64-cpu");
    g_assert_nonnull(mvQemuCapsGetCPUModel(caps, "Skylake-Client"));
    /* whatever the accelerator, QEMU's baseline model must run */
    g_assert_true(mvQemuCapsGetCPUModel(caps, "qemu64")->usable);
    testAssertNoChildren();
}

static void
testProbeI386(void)
{
    g_autoptr(mvQemuCaps) caps = mvQemuCapsProbe(QEMU_I386, NULL);

    g_assert_nonnull(caps);
    g_assert_cmpstr(caps->arch, ==, "i686");
    testAssertNoChildren();
}

static void
testProbeFailure(void)
{
    g_autofree char *dir = testTempDir();
    g_autofree char *script = g_build_filename(dir, "qemu-system-x86_64", NULL);
    g_autoptr(mvQemuCaps) caps = NULL;
    virErrorPtr err;

    g_assert_true(g_file_set_contents(script,
                                      "#!/bin/sh\necho 'qemu: cannot start: boom' >&2\nexit 1\n",
                                      -1, NULL));
    g_assert_cmpint(chmod(script, 0755), ==, 0);
    caps = mvQemuCapsProbe(script, dir);
    g_assert_null(caps);
    err = mvErrorGetLast();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_nonnull(strstr(err->message, "cannot start: boom"));
    g_assert_nonnull(strstr(err->message, script));
    mvErrorReset();

    /* a binary that never answers QMP but keeps running is killed */
    g_assert_true(g_file_set_contents(script, "#!/bin/sh\nexec sleep 0.2\n", -1, NULL));
    g_assert_cmpint(chmod(script, 0755), ==, 0);
    caps = mvQemuCapsProbe(script, dir);
    g_assert_null(caps);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "exited"));
    mvErrorReset();

    /* one that never answers and never exits is killed at the deadline */
    g_assert_true(g_file_set_contents(script, "#!/bin/sh\nexec sleep 30\n", -1, NULL));
    g_assert_cmpint(chmod(script, 0755), ==, 0);
    mvQemuCapsProbeSetTimeout(300);
    caps = mvQemuCapsProbe(script, dir);
    mvQemuCapsProbeSetTimeout(0);
    g_assert_null(caps);
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "timed out probing QEMU binary"));
    mvErrorReset();
    testAssertNoChildren();

    caps = mvQemuCapsProbe("/nonexistent/qemu-system-x86_64", dir);
    g_assert_null(caps);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INTERNAL_ERROR);
    mvErrorReset();
    testAssertNoChildren();
    testRemoveTree(dir);
}

static void
testArchNames(void)
{
    g_assert_cmpstr(mvQemuCapsArchFromQEMU("i386"), ==, "i686");
    g_assert_cmpstr(mvQemuCapsArchFromQEMU("x86_64"), ==, "x86_64");
    g_assert_cmpstr(mvQemuCapsArchFromQEMU("arm"), ==, "armv7l");
    g_assert_null(mvQemuCapsArchFromQEMU("x86_64-microvm"));
    g_assert_cmpstr(mvQemuCapsArchToQEMU("i686"), ==, "i386");
    g_assert_cmpuint(mvQemuCapsArchWordSize("i686"), ==, 32);
    g_assert_cmpuint(mvQemuCapsArchWordSize("x86_64"), ==, 64);
}

/* ---- JSON ---- */

static void
testJSONRoundTrip(void)
{
    const mvQemuCaps *caps = testRealCaps();
    g_autofree char *json = mvQemuCapsToJSON(caps);
    g_autoptr(mvQemuCaps) back = mvQemuCapsFromJSON(json);
    g_autofree char *again = NULL;

    g_assert_nonnull(back);
    again = mvQemuCapsToJSON(back);
    g_assert_cmpstr(json, ==, again);
    g_assert_cmpstr(back->binary, ==, caps->binary);
    g_assert_cmpstr(back->arch, ==, caps->arch);
    g_assert_cmpuint(back->version, ==, caps->version);
    g_assert_cmpstr(back->package, ==, caps->package);
    g_assert_cmpint(back->kvm, ==, caps->kvm);
    g_assert_cmpint(back->tcg, ==, caps->tcg);
    g_assert_cmpuint(back->machines->len, ==, caps->machines->len);
    g_assert_cmpuint(back->cpuModels->len, ==, caps->cpuModels->len);
    g_assert_cmpuint(g_hash_table_size(back->types), ==, g_hash_table_size(caps->types));
    g_assert_cmpuint(g_hash_table_size(back->options), ==, g_hash_table_size(caps->options));
    for (guint i = 0; i < caps->machines->len; i++) {
        const mvQemuCapsMachine *a = g_ptr_array_index(caps->machines, i);
        const mvQemuCapsMachine *b = g_ptr_array_index(back->machines, i);
        g_assert_cmpstr(a->name, ==, b->name);
        g_assert_cmpstr(a->alias, ==, b->alias);
        g_assert_cmpint(a->isDefault, ==, b->isDefault);
        g_assert_cmpuint(a->maxCpus, ==, b->maxCpus);
        g_assert_cmpint(a->deprecated, ==, b->deprecated);
        g_assert_cmpstr(a->defaultCPUType, ==, b->defaultCPUType);
        g_assert_cmpstr(a->defaultRAMId, ==, b->defaultRAMId);
    }
    for (guint i = 0; i < caps->cpuModels->len; i++) {
        const mvQemuCapsCPUModel *a = g_ptr_array_index(caps->cpuModels, i);
        const mvQemuCapsCPUModel *b = g_ptr_array_index(back->cpuModels, i);
        g_assert_cmpstr(a->name, ==, b->name);
        g_assert_cmpstr(a->typeName, ==, b->typeName);
        g_assert_cmpint(a->usable, ==, b->usable);
    }
}

static void
testJSONInvalid(void)
{
    const char *bad[] = {
        "", "not json", "[]", "{}", "{\"format\":1}",
        "{\"format\":2,\"binary\":\"/x\",\"arch\":\"x86_64\",\"package\":\"\","
        "\"machines\":[],\"cpuModels\":[],\"types\":[],\"options\":[]}",
        "{\"format\":1,\"binary\":\"/x\",\"arch\":\"x86_64\",\"package\":\"\","
        "\"machines\":[{}],\"cpuModels\":[],\"types\":[],\"options\":[]}",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_null(mvQemuCapsFromJSON(bad[i]));
        g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INTERNAL_ERROR);
        mvErrorReset();
    }
}

/* ---- cache ---- */

typedef struct {
    mvQemuCapsCache *cache;
    const char *binary;
    mvQemuCaps *result;
} testLookupJob;

static gpointer
testLookupThread(gpointer opaque)
{
    testLookupJob *job = opaque;

    job->result = mvQemuCapsCacheLookup(job->cache, job->binary);
    return NULL;
}

static void
testCache(void)
{
    g_autofree char *dir = testTempDir();
    g_autofree char *bin = g_build_filename(dir, "bin", NULL);
    g_autofree char *cacheDir = g_build_filename(dir, "cache", "capabilities", NULL);
    g_autofree char *wrapper = g_build_filename(bin, "qemu-system-x86_64", NULL);
    g_autofree char *sum = NULL;
    g_autofree char *cacheFile = NULL;
    g_autofree char *name = NULL;
    g_autofree char *data = NULL;
    g_autoptr(mvQemuCaps) a = NULL;
    g_autoptr(mvQemuCaps) b = NULL;
    g_autoptr(mvQemuCaps) c = NULL;
    g_autoptr(mvQemuCaps) d = NULL;
    g_autoptr(mvQemuCaps) e = NULL;
    g_autoptr(mvQemuCaps) f = NULL;
    g_autoptr(mvQemuCapsCache) cache1 = NULL;
    g_autoptr(mvQemuCapsCache) cache2 = NULL;
    g_autoptr(mvQemuCapsCache) cache3 = NULL;
    g_autoptr(mvQemuCapsCache) cache4 = NULL;
    struct timespec times[2] = { { .tv_sec = 1000000000 }, { .tv_sec = 1000000000 } };
    unsigned int probes = mvQemuCapsProbeCount();
    testLookupJob jobs[4];
    GThread *threads[4];

    g_assert_cmpint(g_mkdir_with_parents(bin, 0755), ==, 0);
    g_assert_true(g_file_set_contents(wrapper,
                                      "#!/bin/sh\nexec " QEMU_X86 " \"$@\"\n", -1, NULL));
    g_assert_cmpint(chmod(wrapper, 0755), ==, 0);
    sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, wrapper, -1);
    name = g_strdup_printf("%s.json", sum);
    cacheFile = g_build_filename(cacheDir, name, NULL);

    /* nothing happens before the first lookup */
    cache1 = mvQemuCapsCacheNew(cacheDir, dir);
    g_assert_cmpuint(mvQemuCapsProbeCount(), ==, probes);
    g_assert_false(g_file_test(cacheDir, G_FILE_TEST_EXISTS));

    /* first lookup probes and writes the file */
    a = mvQemuCapsCacheLookup(cache1, wrapper);
    g_assert_nonnull(a);
    g_assert_cmpuint(mvQemuCapsProbeCount(), >, probes);
    probes = mvQemuCapsProbeCount();
    g_assert_true(g_file_test(cacheFile, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpstr(a->binary, ==, wrapper);
    g_assert_cmpstr(a->probedBy, ==, MV_VERSION);

    /* same cache: memory */
    b = mvQemuCapsCacheLookup(cache1, wrapper);
    g_assert_true(a == b);
    g_assert_cmpuint(mvQemuCapsProbeCount(), ==, probes);

    /* a new cache object loads the disk file without probing */
    cache2 = mvQemuCapsCacheNew(cacheDir, dir);
    c = mvQemuCapsCacheLookup(cache2, wrapper);
    g_assert_nonnull(c);
    g_assert_cmpuint(mvQemuCapsProbeCount(), ==, probes);
    g_assert_cmpuint(c->machines->len, ==, a->machines->len);
    g_assert_cmpstr(mvQemuCapsGetMachine(c, "q35")->name, ==, "pc-q35-7.2");

    /* a changed binary (mtime) is probed again, in memory and on disk */
    g_assert_cmpint(utimensat(AT_FDCWD, wrapper, times, 0), ==, 0);
    d = mvQemuCapsCacheLookup(cache2, wrapper);
    g_assert_nonnull(d);
    g_assert_cmpuint(mvQemuCapsProbeCount(), >, probes);
    probes = mvQemuCapsProbeCount();
    g_assert_cmpint(d->binaryMtime, ==, (gint64)1000000000 * 1000000000);

    /* a corrupt file is ignored, probed again and overwritten */
    g_assert_true(g_file_set_contents(cacheFile, "{ garbage", -1, NULL));
    cache3 = mvQemuCapsCacheNew(cacheDir, dir);
    e = mvQemuCapsCacheLookup(cache3, wrapper);
    g_assert_nonnull(e);
    g_assert_false(mvErrorIsSet());
    g_assert_cmpuint(mvQemuCapsProbeCount(), >, probes);
    probes = mvQemuCapsProbeCount();
    g_assert_true(g_file_get_contents(cacheFile, &data, NULL, NULL));
    g_assert_true(data[0] == '{' && strstr(data, "\"machines\""));
    g_clear_pointer(&data, g_free);

    /* a file from another daemon version is probed again */
    {
        g_autoptr(mvQemuCaps) old = NULL;
        g_autofree char *json = NULL;
        g_autoptr(mvQemuCapsCache) cache5 = mvQemuCapsCacheNew(cacheDir, dir);
        g_autoptr(mvQemuCaps) g = NULL;

        g_assert_true(g_file_get_contents(cacheFile, &data, NULL, NULL));
        old = mvQemuCapsFromJSON(data);
        g_free(old->probedBy);
        old->probedBy = g_strdup("0.0.0-other");
        json = mvQemuCapsToJSON(old);
        g_assert_true(g_file_set_contents(cacheFile, json, -1, NULL));
        g = mvQemuCapsCacheLookup(cache5, wrapper);
        g_assert_nonnull(g);
        g_assert_cmpuint(mvQemuCapsProbeCount(), >, probes);
        probes = mvQemuCapsProbeCount();
        g_assert_cmpstr(g->probedBy, ==, MV_VERSION);
    }

    /* concurrent lookups of one binary wait for a single probe */
    g_assert_cmpint(unlink(cacheFile), ==, 0);
    cache4 = mvQemuCapsCacheNew(cacheDir, dir);
    for (size_t i = 0; i < G_N_ELEMENTS(jobs); i++) {
        jobs[i] = (testLookupJob){ .cache = cache4, .binary = wrapper };
        threads[i] = g_thread_new("lookup", testLookupThread, &jobs[i]);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(jobs); i++) {
        g_thread_join(threads[i]);
        g_assert_nonnull(jobs[i].result);
        g_assert_true(jobs[i].result == jobs[0].result);
    }
    g_assert_cmpuint(mvQemuCapsProbeCount(), ==, probes + 1);
    for (size_t i = 0; i < G_N_ELEMENTS(jobs); i++)
        mvQemuCapsUnref(jobs[i].result);

    /* a missing binary is an error as libvirt words it */
    f = mvQemuCapsCacheLookup(cache4, "/nonexistent/qemu-system-x86_64");
    g_assert_null(f);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_cmpstr(mvErrorGetLast()->message, ==,
                    "Cannot check QEMU binary /nonexistent/qemu-system-x86_64: "
                    "No such file or directory");
    mvErrorReset();
    g_assert_null(mvQemuCapsCacheLookup(cache4, "relative/qemu"));
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INVALID_ARG);
    mvErrorReset();

    testAssertNoChildren();
    testRemoveTree(dir);
}

static void
testFindBinaries(void)
{
    g_autoptr(GPtrArray) bins = mvQemuCapsFindBinaries();
    g_autofree char *x86 = mvQemuCapsFindBinaryForArch("x86_64");
    g_autofree char *i686 = mvQemuCapsFindBinaryForArch("i686");
    g_autofree char *host = mvQemuCapsFindBinaryForArch(NULL);
    bool hasX86 = false;

    for (guint i = 0; i < bins->len; i++) {
        const char *b = bins->pdata[i];
        g_assert_true(g_path_is_absolute(b));
        g_assert_false(g_str_has_suffix(b, "-microvm"));
        if (i > 0)
            g_assert_cmpint(strcmp(bins->pdata[i - 1], b), <, 0);
        hasX86 |= g_str_has_suffix(b, "/qemu-system-x86_64");
    }
    g_assert_true(hasX86);
    g_assert_true(g_str_has_suffix(x86, "/qemu-system-x86_64"));
    g_assert_true(g_str_has_suffix(i686, "/qemu-system-i386"));
    g_assert_cmpstr(host, ==, x86);
    g_assert_null(mvQemuCapsFindBinaryForArch("sparc64"));
}

/* ---- documents ---- */

static mvQemuCapsCache *sharedCache;
static char *sharedCacheDir;

static mvQemuCapsCache *
testCache_(void)
{
    if (!sharedCache) {
        sharedCacheDir = testTempDir();
        sharedCache = mvQemuCapsCacheNew(sharedCacheDir, sharedCacheDir);
    }
    return sharedCache;
}

static char *
testReadData(const char *name)
{
    g_autofree char *path = testDataPath(name);
    char *data = NULL;

    g_assert_true(g_file_get_contents(path, &data, NULL, NULL));
    /* virsh adds blank lines after the document */
    while (strlen(data) > 1 && data[strlen(data) - 1] == '\n' && data[strlen(data) - 2] == '\n')
        data[strlen(data) - 1] = '\0';
    return data;
}

/* The text from the first occurrence of @from on. */
static const char *
testFrom(const char *doc, const char *from)
{
    const char *p = strstr(doc, from);

    g_assert_nonnull(p);
    return p;
}

static void
testCapabilitiesXML(void)
{
    g_autofree char *xml = mvQemuCapsBuildCapabilitiesXML(testCache_(), "none");
    g_autofree char *ref = testReadData("libvirt-capabilities.xml");

    g_assert_nonnull(xml);
    testValidate(xml, "capability.rng");
    /* every <guest> is what libvirt says for these binaries on this host */
    g_assert_true(strcmp(testFrom(xml, "  <guest>"), testFrom(ref, "  <guest>")) == 0);
    /* host facts that do not depend on CPU model naming */
    g_assert_cmpstr(strstr(xml, "<migration_features>"), !=, NULL);
    g_assert_nonnull(strstr(xml, "<model>none</model>"));
    g_assert_nonnull(strstr(xml, "<arch>x86_64</arch>"));
    g_assert_nonnull(strstr(xml, "    <power_management/>\n    <iommu support='no'/>\n"));
    /* NUMA memory here changes over time (memory hot-plug); the rest of
     * the host section from the caches on is stable */
    g_assert_true(strcmp(testFrom(xml, "    <cache>"), testFrom(ref, "    <cache>")) == 0);
}

/* Domain capabilities equal libvirt's except the host-model CPU, which
 * libvirt derives from its own CPU map. */
static void
testDomainCapsCompare(const char *xml, const char *refName)
{
    g_autofree char *ref = testReadData(refName);
    const char *mark = "    <mode name='host-model'";
    const char *end = "    <mode name='custom'";

    testValidate(xml, "domaincaps.rng");
    if (testFrom(xml, mark) - xml != testFrom(ref, mark) - ref ||
        memcmp(xml, ref, testFrom(ref, mark) - ref) != 0)
        g_error("domain capabilities differ from %s before the host-model CPU:\n%.*s", refName,
                (int)(testFrom(xml, mark) - xml), xml);
    if (strcmp(testFrom(xml, end), testFrom(ref, end)) != 0)
        g_error("domain capabilities differ from %s after the host-model CPU:\n%s", refName,
                testFrom(xml, end));
}

static void
testDomainCapsXML(void)
{
    struct {
        const char *emulator, *arch, *machine, *virttype, *ref;
    } cases[] = {
        { NULL, NULL, NULL, "qemu", "libvirt-domcaps-x86_64-pc.xml" },
        { NULL, "x86_64", "q35", "qemu", "libvirt-domcaps-x86_64-q35.xml" },
        { NULL, "x86_64", "microvm", "qemu", "libvirt-domcaps-x86_64-microvm.xml" },
        { QEMU_X86, NULL, "isapc", "qemu", "libvirt-domcaps-x86_64-isapc.xml" },
        { NULL, "i686", NULL, "qemu", "libvirt-domcaps-i686-pc.xml" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = mvQemuCapsBuildDomainCapsXML(testCache_(), cases[i].emulator,
                                                            cases[i].arch, cases[i].machine,
                                                            cases[i].virttype, 0);
        g_test_message("domcaps case %s", cases[i].ref);
        g_assert_nonnull(xml);
        testDomainCapsCompare(xml, cases[i].ref);
    }
}

static void
testDomainCapsDefaults(void)
{
    g_autoptr(mvQemuCaps) caps = mvQemuCapsCacheLookupArch(testCache_(), NULL);
    g_autofree char *xml = mvQemuCapsBuildDomainCapsXML(testCache_(), NULL, NULL, NULL,
                                                        NULL, 0);
    g_autofree char *x86on686 = mvQemuCapsBuildDomainCapsXML(testCache_(), QEMU_X86, "i686",
                                                             NULL, "qemu", 0);

    g_assert_nonnull(xml);
    testValidate(xml, "domaincaps.rng");
    g_assert_nonnull(strstr(xml, caps->kvm ? "<domain>kvm</domain>" : "<domain>qemu</domain>"));
    g_assert_nonnull(strstr(xml, "<machine>pc-i440fx-7.2</machine>"));
    g_assert_nonnull(x86on686);
    g_assert_nonnull(strstr(x86on686, "<path>" QEMU_X86 "</path>"));
    g_assert_nonnull(strstr(x86on686, "<arch>i686</arch>"));
}

static void
testDomainCapsErrors(void)
{
    struct {
        const char *emulator, *arch, *machine, *virttype;
        unsigned int flags;
        int code;
        const char *message;
    } cases[] = {
        { NULL, NULL, NULL, "bogus", 0, VIR_ERR_INVALID_ARG,
          "invalid argument: unknown virttype: bogus" },
        { NULL, NULL, NULL, "xen", 0, VIR_ERR_INVALID_ARG,
          "invalid argument: the accel 'tcg' is not supported by "
          "'/usr/bin/qemu-system-x86_64' on this host" },
        { NULL, NULL, "nope", "qemu", 0, VIR_ERR_INVALID_ARG,
          "invalid argument: the machine 'nope' is not supported by emulator "
          "'/usr/bin/qemu-system-x86_64'" },
        { NULL, "sparc64", NULL, NULL, 0, VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: unable to find any emulator to serve 'sparc64' "
          "architecture" },
        { NULL, "bogus", NULL, NULL, 0, VIR_ERR_INVALID_ARG,
          "invalid argument: unknown architecture: bogus" },
        { QEMU_I386, "x86_64", NULL, NULL, 0, VIR_ERR_INVALID_ARG,
          "invalid argument: Emulator '/usr/bin/qemu-system-i386' does not support arch "
          "'x86_64'" },
        { QEMU_X86, "aarch64", NULL, NULL, 0, VIR_ERR_INVALID_ARG,
          "invalid argument: architecture from emulator 'x86_64' doesn't match given "
          "architecture 'aarch64'" },
        { "/nonexist", NULL, NULL, NULL, 0, VIR_ERR_SYSTEM_ERROR,
          "Cannot check QEMU binary /nonexist: No such file or directory" },
        { NULL, NULL, NULL, NULL, 4, VIR_ERR_INVALID_ARG, NULL },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = mvQemuCapsBuildDomainCapsXML(testCache_(), cases[i].emulator,
                                                            cases[i].arch, cases[i].machine,
                                                            cases[i].virttype, cases[i].flags);
        virErrorPtr err = mvErrorGetLast();

        g_assert_null(xml);
        g_assert_nonnull(err);
        g_assert_cmpint(err->code, ==, cases[i].code);
        g_assert_cmpint(err->domain, ==, VIR_FROM_QEMU);
        if (cases[i].message)
            g_assert_cmpstr(err->message, ==, cases[i].message);
        mvErrorReset();
    }
}

static void
testMaxVcpus(void)
{
    g_assert_cmpint(mvQemuCapsGetMaxVcpus(testCache_(), NULL), ==, 16);
    g_assert_cmpint(mvQemuCapsGetMaxVcpus(testCache_(), "qemu"), ==, 16);
    g_assert_cmpint(mvQemuCapsGetMaxVcpus(testCache_(), "QEMU"), ==, 16);
    g_assert_cmpint(mvQemuCapsGetMaxVcpus(testCache_(), "xen"), ==, -1);
    g_assert_cmpstr(mvErrorGetLast()->message, ==, "invalid argument: unknown type 'xen'");
    mvErrorReset();
    g_assert_cmpuint(mvQemuCapsGetMachineMaxCpus(testRealCaps(), "q35"), ==, 288);
    g_assert_cmpuint(mvQemuCapsGetMachineMaxCpus(testRealCaps(), "pc"), ==, 255);
    g_assert_cmpuint(mvQemuCapsGetMachineMaxCpus(testRealCaps(), "nope"), ==, 0);
}

int
main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu/caps/arch-names", testArchNames);
    g_test_add_func("/qemu/caps/probe", testProbe);
    g_test_add_func("/qemu/caps/probe-i386", testProbeI386);
    g_test_add_func("/qemu/caps/probe-failure", testProbeFailure);
    g_test_add_func("/qemu/caps/json-round-trip", testJSONRoundTrip);
    g_test_add_func("/qemu/caps/json-invalid", testJSONInvalid);
    g_test_add_func("/qemu/caps/cache", testCache);
    g_test_add_func("/qemu/caps/find-binaries", testFindBinaries);
    g_test_add_func("/qemu/caps/capabilities-xml", testCapabilitiesXML);
    g_test_add_func("/qemu/caps/domcaps-xml", testDomainCapsXML);
    g_test_add_func("/qemu/caps/domcaps-defaults", testDomainCapsDefaults);
    g_test_add_func("/qemu/caps/domcaps-errors", testDomainCapsErrors);
    g_test_add_func("/qemu/caps/maxvcpus", testMaxVcpus);
    ret = g_test_run();

    mvQemuCapsUnref(sharedCaps);
    mvQemuCapsCacheFree(sharedCache);
    if (sharedCacheDir)
        testRemoveTree(sharedCacheDir);
    g_free(sharedCacheDir);
    return ret;
}
