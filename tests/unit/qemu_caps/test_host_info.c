/*
 * Unit tests of drivers/util/host_info: a fake /proc + /sys tree
 * (tests/data/hostinfo) with two NUMA cells of two CPUs each, and a few
 * checks on the real host against sysconf().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <unistd.h>

#include "host_info.h"
#include "mv_error.h"

static void
testUseFake(void)
{
    g_autofree char *root = g_build_filename(MV_TEST_DATA_DIR, "hostinfo", NULL);

    mvHostInfoSetRoot(root);
}

static void
testNodeInfo(void)
{
    mvNodeInfo info;

    testUseFake();
    g_assert_cmpint(mvHostGetNodeInfo(&info), ==, 0);
    g_assert_cmpuint(info.cpus, ==, 4);
    g_assert_cmpuint(info.mhz, ==, 2100);
    g_assert_cmpuint(info.nodes, ==, 2);
    g_assert_cmpuint(info.sockets, ==, 1);
    g_assert_cmpuint(info.cores, ==, 2);
    g_assert_cmpuint(info.threads, ==, 1);
    /* the sum over NUMA nodes, as libvirt counts */
    g_assert_cmpuint(info.memoryKiB, ==, 2 * 2097152);
    g_assert_cmpuint(strlen(info.model), >, 0);
}

static void
testMemory(void)
{
    unsigned long long cells[4] = { 0 };
    mvHostStat stats[4];
    int n = 0;

    testUseFake();
    g_assert_cmpint(mvHostGetCellsFreeMemory(cells, 0, 4), ==, 2);
    g_assert_cmpuint(cells[0], ==, 1048576ULL * 1024);
    g_assert_cmpuint(cells[1], ==, 524288ULL * 1024);
    g_assert_cmpint(mvHostGetCellsFreeMemory(cells, 1, 4), ==, 1);
    g_assert_cmpuint(cells[0], ==, 524288ULL * 1024);
    g_assert_cmpint(mvHostGetCellsFreeMemory(cells, 3, 1), ==, -1);
    g_assert_cmpstr(mvErrorGetLast()->message, ==,
                    "internal error: start cell 3 out of range (0-1)");
    mvErrorReset();
    g_assert_cmpuint(mvHostGetFreeMemory(), ==, (1048576ULL + 524288ULL) * 1024);

    g_assert_cmpint(mvHostGetMemoryStats(-1, stats, &n), ==, 0);
    g_assert_cmpint(n, ==, 4);
    g_assert_cmpint(mvHostGetMemoryStats(-1, stats, &n), ==, 0);
    g_assert_cmpstr(stats[0].field, ==, "total");
    g_assert_cmpuint(stats[0].value, ==, 4194304);
    g_assert_cmpstr(stats[1].field, ==, "free");
    g_assert_cmpuint(stats[1].value, ==, 1572864);
    g_assert_cmpstr(stats[2].field, ==, "buffers");
    g_assert_cmpuint(stats[2].value, ==, 1000);
    g_assert_cmpstr(stats[3].field, ==, "cached");
    g_assert_cmpuint(stats[3].value, ==, 2000);

    n = 0;
    g_assert_cmpint(mvHostGetMemoryStats(1, stats, &n), ==, 0);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpint(mvHostGetMemoryStats(1, stats, &n), ==, 0);
    g_assert_cmpstr(stats[0].field, ==, "total");
    g_assert_cmpuint(stats[0].value, ==, 2097152);
    g_assert_cmpuint(stats[1].value, ==, 524288);

    n = 4;
    g_assert_cmpint(mvHostGetMemoryStats(5, stats, &n), ==, -1);
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpstr(mvErrorGetLast()->message, ==,
                    "invalid argument: cellNum in virHostMemGetStats must be less than or "
                    "equal to 1");
    mvErrorReset();
}

static void
testCPUStats(void)
{
    mvHostStat stats[4];
    int n = 0;
    unsigned long long tick = 1000000000ULL / sysconf(_SC_CLK_TCK);

    testUseFake();
    g_assert_cmpint(mvHostGetCPUStats(-1, stats, &n), ==, 0);
    g_assert_cmpint(n, ==, 4);
    g_assert_cmpint(mvHostGetCPUStats(-1, stats, &n), ==, 0);
    g_assert_cmpstr(stats[0].field, ==, "kernel");
    g_assert_cmpuint(stats[0].value, ==, (300 + 6 + 7) * tick);
    g_assert_cmpstr(stats[1].field, ==, "user");
    g_assert_cmpuint(stats[1].value, ==, (1000 + 200) * tick);
    g_assert_cmpstr(stats[2].field, ==, "idle");
    g_assert_cmpuint(stats[2].value, ==, 40000 * tick);
    g_assert_cmpstr(stats[3].field, ==, "iowait");
    g_assert_cmpuint(stats[3].value, ==, 50 * tick);
    g_assert_cmpint(mvHostGetCPUStats(1, stats, &n), ==, 0);
    g_assert_cmpuint(stats[3].value, ==, 20 * tick);
    g_assert_cmpint(mvHostGetCPUStats(7, stats, &n), ==, -1);
    g_assert_cmpstr(mvErrorGetLast()->message, ==,
                    "invalid argument: Invalid cpuNum in virHostCPUGetStatsLinux");
    mvErrorReset();
}

static void
testCPU(void)
{
    g_autofree unsigned char *map = NULL;
    g_autofree char *vendor = NULL;
    g_autofree char *model = NULL;
    g_autoptr(GPtrArray) features = NULL;
    unsigned int online = 0;
    mvHostCPUSignature sig;

    testUseFake();
    g_assert_cmpint(mvHostGetCPUMap(&map, &online), ==, 4);
    g_assert_cmpuint(online, ==, 4);
    g_assert_cmpuint(map[0], ==, 0x0f);

    g_assert_cmpint(mvHostGetHostCPU(&vendor, &model, &features), ==, 0);
    g_assert_cmpstr(vendor, ==, "Intel");
    g_assert_cmpstr(model, ==, "Skylake-Server-IBRS");
    g_assert_cmpuint(features->len, >, 50);
    g_assert_cmpstr(features->pdata[0], ==, "fpu");

    g_assert_cmpint(mvHostGetCPUSignature(&sig), ==, 0);
    g_assert_true(sig.hasSignature);
    g_assert_cmpuint(sig.family, ==, 6);
    g_assert_cmpuint(sig.model, ==, 85);
    g_assert_cmpuint(sig.stepping, ==, 4);
    g_assert_true(sig.hasMicrocode);
    g_assert_cmpuint(sig.microcode, ==, 0x2006b06);
}

static void
testCells(void)
{
    g_autoptr(GPtrArray) cells = NULL;
    g_autoptr(GPtrArray) banks = NULL;
    g_autoptr(GArray) sizes = NULL;
    const mvHostCell *c0, *c1;
    const mvHostCellCPU *cpu;
    unsigned char uuid[16];

    testUseFake();
    cells = mvHostGetCells();
    g_assert_nonnull(cells);
    g_assert_cmpuint(cells->len, ==, 2);
    c0 = cells->pdata[0];
    c1 = cells->pdata[1];
    g_assert_cmpuint(c0->id, ==, 0);
    g_assert_cmpuint(c0->memoryKiB, ==, 2097152);
    g_assert_cmpuint(c0->cpus->len, ==, 2);
    g_assert_cmpuint(c1->distances->len, ==, 2);
    g_assert_cmpuint(g_array_index(c1->distances, unsigned int, 0), ==, 21);
    g_assert_cmpuint(g_array_index(c1->distances, unsigned int, 1), ==, 10);
    cpu = c1->cpus->pdata[1];
    g_assert_cmpuint(cpu->id, ==, 3);
    g_assert_cmpuint(cpu->socketId, ==, 1);
    g_assert_cmpuint(cpu->coreId, ==, 1);
    g_assert_cmpstr(cpu->siblings, ==, "3");
    /* base pages: what the 2 MiB pages do not take */
    g_assert_cmpuint(c0->hugepages->len, ==, 3);
    g_assert_cmpuint(g_array_index(c0->hugepages, mvHostPages, 0).count, ==,
                     (2097152 - 4 * 2048) / (sysconf(_SC_PAGESIZE) / 1024));
    g_assert_cmpuint(g_array_index(c0->hugepages, mvHostPages, 1).sizeKiB, ==, 2048);
    g_assert_cmpuint(g_array_index(c0->hugepages, mvHostPages, 1).count, ==, 4);
    g_assert_cmpuint(g_array_index(c0->hugepages, mvHostPages, 2).sizeKiB, ==, 1048576);

    sizes = mvHostGetHugePageSizes();
    g_assert_cmpuint(sizes->len, ==, 2);
    g_assert_cmpuint(g_array_index(sizes, unsigned int, 0), ==, 2048);

    banks = mvHostGetCacheBanks();
    g_assert_cmpuint(banks->len, ==, 2);
    g_assert_cmpuint(((mvHostCacheBank *)banks->pdata[1])->id, ==, 1);
    g_assert_cmpuint(((mvHostCacheBank *)banks->pdata[1])->level, ==, 3);
    g_assert_cmpuint(((mvHostCacheBank *)banks->pdata[1])->size, ==, 16);
    g_assert_cmpstr(((mvHostCacheBank *)banks->pdata[1])->unit, ==, "MiB");
    g_assert_cmpstr(((mvHostCacheBank *)banks->pdata[1])->type, ==, "both");
    g_assert_cmpstr(((mvHostCacheBank *)banks->pdata[1])->cpus, ==, "2-3");

    g_assert_true(mvHostHasIOMMU());
    g_assert_cmpint(mvHostGetUUID(uuid), ==, 0);
    g_assert_cmpuint(uuid[0], ==, 0x12);
    g_assert_cmpuint(uuid[15], ==, 0x78);
}

static void
testSysinfo(void)
{
    g_autofree char *xml = NULL;

    testUseFake();
    xml = mvHostGetSysinfoXML();
    g_assert_nonnull(xml);
    g_assert_true(g_str_has_prefix(xml, "<sysinfo type='smbios'>\n  <bios>\n"
                                   "    <entry name='vendor'>SeaBIOS</entry>\n"));
    g_assert_nonnull(strstr(xml, "<entry name='uuid'>12345678-1234-5678-9abc-def012345678"));
    g_assert_nonnull(strstr(xml, "<entry name='manufacturer'>Canonical &amp; Co &lt;x&gt;"));
    g_assert_nonnull(strstr(xml, "  <chassis>\n"));
    g_assert_true(g_str_has_suffix(xml, "</sysinfo>\n"));

    /* no DMI at all: libvirt's error */
    mvHostInfoSetRoot("/nonexistent-root");
    g_assert_null(mvHostGetSysinfoXML());
    g_assert_cmpint(mvErrorGetLast()->code, ==, VIR_ERR_CONFIG_UNSUPPORTED);
    g_assert_cmpstr(mvErrorGetLast()->message, ==,
                    "unsupported configuration: Host SMBIOS information is not available");
    mvErrorReset();
}

static void
testRealHost(void)
{
    mvNodeInfo info;
    unsigned long long total = 0;
    g_autofree char *meminfo = NULL;
    const char *p;

    mvHostInfoSetRoot(NULL);
    g_assert_cmpint(mvHostGetNodeInfo(&info), ==, 0);
    g_assert_cmpuint(info.cpus, ==, sysconf(_SC_NPROCESSORS_ONLN));
    g_assert_cmpuint(info.nodes * info.sockets * info.cores * info.threads, ==, info.cpus);
    /* node sums never exceed what the kernel counts as a whole */
    g_assert_true(g_file_get_contents("/proc/meminfo", &meminfo, NULL, NULL));
    p = strstr(meminfo, "MemTotal:");
    g_assert_nonnull(p);
    total = g_ascii_strtoull(p + strlen("MemTotal:"), NULL, 10);
    g_assert_cmpuint(info.memoryKiB, >, 0);
    g_assert_cmpuint(info.memoryKiB, <=, total);
    g_assert_cmpuint(total * 1024, ==,
                     (unsigned long long)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE));
    g_assert_cmpint(mvHostGetCPUMap(NULL, NULL), >=, (int)info.cpus);
    g_assert_cmpuint(mvHostGetFreeMemory(), >, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hostinfo/nodeinfo", testNodeInfo);
    g_test_add_func("/hostinfo/memory", testMemory);
    g_test_add_func("/hostinfo/cpu-stats", testCPUStats);
    g_test_add_func("/hostinfo/cpu", testCPU);
    g_test_add_func("/hostinfo/cells", testCells);
    g_test_add_func("/hostinfo/sysinfo", testSysinfo);
    g_test_add_func("/hostinfo/real-host", testRealHost);
    return g_test_run();
}
