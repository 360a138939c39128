/*
 * Golden tests of the host backend's generated text: for every
 * data/NAME.xml, the nft script (NAME.nft), the dnsmasq configuration
 * (NAME.dnsmasq.conf), hostsfile (NAME.hostsfile) and addn-hosts
 * (NAME.addnhosts) must equal the files beside it.  MODVIRT_TEST_REGENERATE=1
 * rewrites them for review; a data file no case uses fails the run.  When
 * the program can have a network namespace of its own (root), every .nft is
 * also checked by `nft -c` there.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "mv_error.h"
#include "net_dnsmasq.h"
#include "net_firewall.h"

static bool haveNetns;
static bool regenerate;

typedef struct {
    const char *suffix;
    char *(*make)(const mvNetworkDef *def, const mvNetDnsmasqFiles *files);
} GoldenKind;

static char *
makeNft(const mvNetworkDef *def, const mvNetDnsmasqFiles *files)
{
    char *s = mvNetFirewallRuleset(def);

    if (!s)
        g_error("ruleset of '%s': %s", def->name, mvErrorGetLast()->message);
    return s;
}

static char *
makeConf(const mvNetworkDef *def, const mvNetDnsmasqFiles *files)
{
    char *s;

    if (!mvNetDnsmasqNeeded(def))
        return g_strdup("");
    if (!(s = mvNetDnsmasqConfig(def, files)))
        g_error("dnsmasq config of '%s': %s", def->name, mvErrorGetLast()->message);
    return s;
}

static char *
makeHosts(const mvNetworkDef *def, const mvNetDnsmasqFiles *files)
{
    return mvNetDnsmasqHostsfile(def);
}

static char *
makeAddn(const mvNetworkDef *def, const mvNetDnsmasqFiles *files)
{
    return mvNetDnsmasqAddnHosts(def);
}

static const GoldenKind kinds[] = {
    { ".nft", makeNft },
    { ".dnsmasq.conf", makeConf },
    { ".hostsfile", makeHosts },
    { ".addnhosts", makeAddn },
};

static void
checkNft(const char *path)
{
    const char *argv[] = { "nft", "-c", "-f", path, NULL };
    g_autofree char *err = NULL;
    g_autofree char *nft = g_find_program_in_path("nft");
    g_autoptr(GError) gerr = NULL;
    int status = 0;

    if (!haveNetns || !nft)
        return;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH |
                      G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &gerr))
        g_error("cannot run nft: %s", gerr->message);
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("nft -c rejects %s: %s", path, err);
}

static void
testCase(gconstpointer data)
{
    const char *xmlPath = data;
    g_autofree char *base = g_strndup(xmlPath, strlen(xmlPath) - strlen(".xml"));
    g_autoptr(mvNetworkDef) def = mvNetworkDefParseFile(xmlPath, 0);
    g_autoptr(mvNetDnsmasqFiles) files = NULL;
    size_t i;

    if (!def)
        g_error("%s: %s", xmlPath, mvErrorGetLast()->message);
    files = mvNetDnsmasqFilesNew(def, "/var/lib/libvirt/dnsmasq", "/run/libvirt/network");

    for (i = 0; i < G_N_ELEMENTS(kinds); i++) {
        g_autofree char *path = g_strconcat(base, kinds[i].suffix, NULL);
        g_autofree char *got = kinds[i].make(def, files);
        g_autofree char *want = NULL;

        if (regenerate) {
            g_assert_true(g_file_set_contents(path, got, -1, NULL));
        } else {
            if (!g_file_get_contents(path, &want, NULL, NULL))
                g_error("missing %s (run with MODVIRT_TEST_REGENERATE=1)", path);
            if (strcmp(got, want) != 0)
                g_error("%s differs; got:\n%s", path, got);
        }
        if (g_str_equal(kinds[i].suffix, ".nft") && *got)
            checkNft(path);
    }
}

static gint
comparePaths(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char * const *)a, *(char * const *)b);
}

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    size_t i;

    /* a namespace of our own only for `nft -c`; not having one is fine */
    haveNetns = geteuid() == 0 && unshare(CLONE_NEWNET) == 0;
    regenerate = g_strcmp0(g_getenv("MODVIRT_TEST_REGENERATE"), "1") == 0;
    g_test_init(&argc, &argv, NULL);

    dir = g_dir_open(NET_GOLDEN_DIR, 0, NULL);
    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir))) {
        bool used = g_str_has_suffix(name, ".xml");

        for (i = 0; !used && i < G_N_ELEMENTS(kinds); i++) {
            if (g_str_has_suffix(name, kinds[i].suffix)) {
                g_autofree char *stem = g_strndup(name, strlen(name) - strlen(kinds[i].suffix));
                g_autofree char *xml = g_strdup_printf("%s/%s.xml", NET_GOLDEN_DIR, stem);

                used = g_file_test(xml, G_FILE_TEST_EXISTS);
            }
        }
        if (!used)
            g_error("data file %s/%s belongs to no case", NET_GOLDEN_DIR, name);
        if (g_str_has_suffix(name, ".xml"))
            g_ptr_array_add(cases, g_build_filename(NET_GOLDEN_DIR, name, NULL));
    }
    g_ptr_array_sort(cases, comparePaths);
    for (i = 0; i < cases->len; i++) {
        const char *path = g_ptr_array_index(cases, i);
        g_autofree char *b = g_path_get_basename(path);
        g_autofree char *testName = g_strdup_printf("/network/golden/%s", b);

        g_test_add_data_func(testName, path, testCase);
    }
    return g_test_run();
}
