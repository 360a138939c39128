/*
 * qemu_capabilities_cache: probed capabilities kept in memory and on disk.
 *
 * The cache maps a binary's absolute path to its mvQemuCaps.  An entry is
 * good while the binary's size, mtime and ctime are what they were when it
 * was probed; a disk file (cacheDir/<sha256 of the path>.json) is good when
 * those and the daemon version that wrote it match.  Nothing happens until
 * the first lookup; then memory, disk and a probe are tried in that order.
 *
 * Locking: one mutex guards the table.  A lookup that has to load or probe
 * marks the entry busy and drops the mutex while it works; other lookups
 * of the same binary wait on the condition variable for it, so one binary
 * is probed once however many threads ask.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "mv_error.h"
#include "mv_file.h"
#include "mv_log.h"
#include "qemu_capabilities.h"

#define MV_FROM_THIS VIR_FROM_QEMU
MV_LOG_INIT("qemu.qemu_capabilities_cache");

#define CACHE_FORMAT_VERSION 1
#define CACHE_MAX_FILE_BYTES (32 * 1024 * 1024)

typedef struct {
    mvQemuCaps *caps;           /* NULL until loaded */
    bool busy;                  /* a thread is loading or probing it */
} cacheEntry;

struct _mvQemuCapsCache {
    GMutex lock;
    GCond cond;
    char *cacheDir;
    char *tmpDir;
    GHashTable *entries;        /* path -> cacheEntry* */
};

static void
cacheEntryFree(cacheEntry *entry)
{
    if (!entry)
        return;
    mvQemuCapsUnref(entry->caps);
    g_free(entry);
}

mvQemuCapsCache *
mvQemuCapsCacheNew(const char *cacheDir, const char *tmpDir)
{
    mvQemuCapsCache *cache = g_new0(mvQemuCapsCache, 1);

    g_mutex_init(&cache->lock);
    g_cond_init(&cache->cond);
    cache->cacheDir = g_strdup(cacheDir);
    cache->tmpDir = g_strdup(tmpDir);
    cache->entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify)cacheEntryFree);
    return cache;
}

void
mvQemuCapsCacheFree(mvQemuCapsCache *cache)
{
    if (!cache)
        return;
    g_hash_table_unref(cache->entries);
    g_mutex_clear(&cache->lock);
    g_cond_clear(&cache->cond);
    g_free(cache->cacheDir);
    g_free(cache->tmpDir);
    g_free(cache);
}

/* ---- JSON ---- */

static void
jsonAddString(json_object *obj, const char *key, const char *value)
{
    if (value)
        json_object_object_add(obj, key, json_object_new_string(value));
}

static int
compareStringPtrs(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char * const *)a, *(const char * const *)b);
}

static int
jsonCompareStrings(gconstpointer a, gconstpointer b, gpointer opaque G_GNUC_UNUSED)
{
    return compareStringPtrs(a, b);
}

char *
mvQemuCapsToJSON(const mvQemuCaps *caps)
{
    json_object *root = json_object_new_object();
    json_object *machines = json_object_new_array();
    json_object *models = json_object_new_array();
    json_object *types;
    json_object *options;
    g_autofree const char **typeKeys = NULL;
    g_autofree const char **optionKeys = NULL;
    guint ntypes;
    guint noptions;
    char *ret;

    json_object_object_add(root, "format", json_object_new_int(CACHE_FORMAT_VERSION));
    jsonAddString(root, "binary", caps->binary);
    jsonAddString(root, "arch", caps->arch);
    json_object_object_add(root, "version", json_object_new_int64(caps->version));
    jsonAddString(root, "package", caps->package);
    json_object_object_add(root, "binarySize", json_object_new_int64(caps->binarySize));
    json_object_object_add(root, "binaryMtime", json_object_new_int64(caps->binaryMtime));
    json_object_object_add(root, "binaryCtime", json_object_new_int64(caps->binaryCtime));
    jsonAddString(root, "probedBy", caps->probedBy);
    json_object_object_add(root, "kvm", json_object_new_boolean(caps->kvm));
    json_object_object_add(root, "tcg", json_object_new_boolean(caps->tcg));

    for (guint i = 0; i < caps->machines->len; i++) {
        const mvQemuCapsMachine *m = g_ptr_array_index(caps->machines, i);
        json_object *o = json_object_new_object();

        jsonAddString(o, "name", m->name);
        jsonAddString(o, "alias", m->alias);
        json_object_object_add(o, "default", json_object_new_boolean(m->isDefault));
        json_object_object_add(o, "maxCpus", json_object_new_int64(m->maxCpus));
        json_object_object_add(o, "deprecated", json_object_new_boolean(m->deprecated));
        jsonAddString(o, "defaultCPUType", m->defaultCPUType);
        jsonAddString(o, "defaultRAMId", m->defaultRAMId);
        json_object_array_add(machines, o);
    }
    json_object_object_add(root, "machines", machines);

    for (guint i = 0; i < caps->cpuModels->len; i++) {
        const mvQemuCapsCPUModel *m = g_ptr_array_index(caps->cpuModels, i);
        json_object *o = json_object_new_object();

        jsonAddString(o, "name", m->name);
        jsonAddString(o, "typeName", m->typeName);
        json_object_object_add(o, "usable", json_object_new_boolean(m->usable));
        json_object_object_add(o, "deprecated", json_object_new_boolean(m->deprecated));
        json_object_array_add(models, o);
    }
    json_object_object_add(root, "cpuModels", models);

    /* sets are written sorted so equal caps give equal files */
    typeKeys = (const char **)g_hash_table_get_keys_as_array(caps->types, &ntypes);
    g_qsort_with_data(typeKeys, ntypes, sizeof(char *), jsonCompareStrings, NULL);
    types = json_object_new_array();
    for (guint i = 0; i < ntypes; i++)
        json_object_array_add(types, json_object_new_string(typeKeys[i]));
    json_object_object_add(root, "types", types);

    optionKeys = (const char **)g_hash_table_get_keys_as_array(caps->options, &noptions);
    g_qsort_with_data(optionKeys, noptions, sizeof(char *), jsonCompareStrings, NULL);
    options = json_object_new_array();
    for (guint i = 0; i < noptions; i++)
        json_object_array_add(options, json_object_new_string(optionKeys[i]));
    json_object_object_add(root, "options", options);

    ret = g_strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
    json_object_put(root);
    return ret;
}

static json_object *
jsonGet(json_object *obj, const char *key, json_type type)
{
    json_object *v = NULL;

    if (!obj || !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, type))
        return NULL;
    return v;
}

static char *
jsonDupString(json_object *obj, const char *key)
{
    json_object *v = jsonGet(obj, key, json_type_string);

    return v ? g_strdup(json_object_get_string(v)) : NULL;
}

static bool
jsonBool(json_object *obj, const char *key)
{
    json_object *v = jsonGet(obj, key, json_type_boolean);

    return v && json_object_get_boolean(v);
}

static gint64
jsonInt(json_object *obj, const char *key)
{
    json_object *v = jsonGet(obj, key, json_type_int);

    return v ? json_object_get_int64(v) : 0;
}

static int
jsonFillCaps(mvQemuCaps *caps, json_object *root)
{
    json_object *machines = jsonGet(root, "machines", json_type_array);
    json_object *models = jsonGet(root, "cpuModels", json_type_array);
    json_object *types = jsonGet(root, "types", json_type_array);
    json_object *options = jsonGet(root, "options", json_type_array);
    json_object *package = jsonGet(root, "package", json_type_string);

    if (jsonInt(root, "format") != CACHE_FORMAT_VERSION ||
        !jsonGet(root, "binary", json_type_string) ||
        !jsonGet(root, "arch", json_type_string) || !package ||
        !machines || !models || !types || !options)
        return -1;

    caps->binary = jsonDupString(root, "binary");
    caps->arch = jsonDupString(root, "arch");
    caps->version = jsonInt(root, "version");
    g_free(caps->package);
    caps->package = g_strdup(json_object_get_string(package));
    caps->binarySize = jsonInt(root, "binarySize");
    caps->binaryMtime = jsonInt(root, "binaryMtime");
    caps->binaryCtime = jsonInt(root, "binaryCtime");
    caps->probedBy = jsonDupString(root, "probedBy");
    caps->kvm = jsonBool(root, "kvm");
    caps->tcg = jsonBool(root, "tcg");

    for (size_t i = 0; i < json_object_array_length(machines); i++) {
        json_object *o = json_object_array_get_idx(machines, i);
        mvQemuCapsMachine *m;

        if (!jsonGet(o, "name", json_type_string))
            return -1;
        m = g_new0(mvQemuCapsMachine, 1);
        m->name = jsonDupString(o, "name");
        m->alias = jsonDupString(o, "alias");
        m->isDefault = jsonBool(o, "default");
        m->maxCpus = jsonInt(o, "maxCpus");
        m->deprecated = jsonBool(o, "deprecated");
        m->defaultCPUType = jsonDupString(o, "defaultCPUType");
        m->defaultRAMId = jsonDupString(o, "defaultRAMId");
        mvQemuCapsAddMachine(caps, m);
    }
    for (size_t i = 0; i < json_object_array_length(models); i++) {
        json_object *o = json_object_array_get_idx(models, i);
        mvQemuCapsCPUModel *m;

        if (!jsonGet(o, "name", json_type_string))
            return -1;
        m = g_new0(mvQemuCapsCPUModel, 1);
        m->name = jsonDupString(o, "name");
        m->typeName = jsonDupString(o, "typeName");
        m->usable = jsonBool(o, "usable");
        m->deprecated = jsonBool(o, "deprecated");
        mvQemuCapsAddCPUModel(caps, m);
    }
    for (size_t i = 0; i < json_object_array_length(types); i++) {
        json_object *v = json_object_array_get_idx(types, i);
        if (!json_object_is_type(v, json_type_string))
            return -1;
        g_hash_table_add(caps->types, g_strdup(json_object_get_string(v)));
    }
    for (size_t i = 0; i < json_object_array_length(options); i++) {
        json_object *v = json_object_array_get_idx(options, i);
        if (!json_object_is_type(v, json_type_string))
            return -1;
        g_hash_table_add(caps->options, g_strdup(json_object_get_string(v)));
    }
    return 0;
}

mvQemuCaps *
mvQemuCapsFromJSON(const char *json)
{
    g_autoptr(mvQemuCaps) caps = mvQemuCapsNew();
    json_object *root = json_tokener_parse(json);
    int rc;

    if (!root || !json_object_is_type(root, json_type_object)) {
        if (root)
            json_object_put(root);
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                      "QEMU capabilities cache data is not a JSON object");
        return NULL;
    }
    rc = jsonFillCaps(caps, root);
    json_object_put(root);
    if (rc < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                      "QEMU capabilities cache data lacks required fields or has the "
                      "wrong format version");
        return NULL;
    }
    return g_steal_pointer(&caps);
}

/* ---- the disk cache ---- */

static char *
cacheFilePath(mvQemuCapsCache *cache, const char *binary)
{
    g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, binary, -1);
    g_autofree char *name = g_strdup_printf("%s.json", sum);

    return g_build_filename(cache->cacheDir, name, NULL);
}

static bool
cacheKeyMatches(const mvQemuCaps *caps, const char *binary, const struct stat *sb)
{
    return caps->binary && strcmp(caps->binary, binary) == 0 &&
           caps->binarySize == sb->st_size &&
           caps->binaryMtime == (gint64)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec &&
           caps->binaryCtime == (gint64)sb->st_ctim.tv_sec * 1000000000 + sb->st_ctim.tv_nsec;
}

/* The disk copy when it exists and matches; NULL (no error) otherwise. */
static mvQemuCaps *
cacheLoad(mvQemuCapsCache *cache, const char *binary, const struct stat *sb)
{
    g_autofree char *path = NULL;
    g_autofree char *data = NULL;
    g_autoptr(mvQemuCaps) caps = NULL;
    size_t len;

    if (!cache->cacheDir)
        return NULL;
    path = cacheFilePath(cache, binary);
    if (access(path, F_OK) < 0)
        return NULL;
    if (mvFileReadAll(path, CACHE_MAX_FILE_BYTES, &data, &len) < 0 ||
        !(caps = mvQemuCapsFromJSON(data))) {
        MV_WARN("cannot use QEMU capabilities cache file '%s' (%s); probing '%s' again, ignoring",
                path, mvErrorIsSet() ? mvErrorGetLast()->message : "unreadable", binary);
        mvErrorReset();
        return NULL;
    }
    if (!cacheKeyMatches(caps, binary, sb) ||
        g_strcmp0(caps->probedBy, MV_VERSION) != 0) {
        MV_DEBUG("QEMU capabilities cache file '%s' is outdated for '%s'", path, binary);
        return NULL;
    }
    MV_DEBUG("loaded capabilities of '%s' from '%s'", binary, path);
    return g_steal_pointer(&caps);
}

/* Writes @caps to disk; a failure only costs a probe next time. */
static void
cacheSave(mvQemuCapsCache *cache, const mvQemuCaps *caps)
{
    g_autofree char *path = NULL;
    g_autofree char *json = NULL;
    mode_t dirMode = geteuid() == 0 ? 0755 : 0700;

    if (!cache->cacheDir)
        return;
    path = cacheFilePath(cache, caps->binary);
    json = mvQemuCapsToJSON(caps);
    if (mvFileMakePath(cache->cacheDir, dirMode) < 0 ||
        mvFileWriteAtomic(path, json, strlen(json), 0600) < 0) {
        MV_WARN("cannot save QEMU capabilities of '%s' to '%s': %s, ignoring",
                caps->binary, path, mvErrorGetLast() ? mvErrorGetLast()->message : "");
        mvErrorReset();
    }
}

/* Loads or probes @binary without the lock held. */
static mvQemuCaps *
cacheFetch(mvQemuCapsCache *cache, const char *binary, const struct stat *sb)
{
    mvQemuCaps *caps = cacheLoad(cache, binary, sb);

    if (caps)
        return caps;
    if (!(caps = mvQemuCapsProbe(binary, cache->tmpDir)))
        return NULL;
    caps->binarySize = sb->st_size;
    caps->binaryMtime = (gint64)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
    caps->binaryCtime = (gint64)sb->st_ctim.tv_sec * 1000000000 + sb->st_ctim.tv_nsec;
    g_free(caps->probedBy);
    caps->probedBy = g_strdup(MV_VERSION);
    cacheSave(cache, caps);
    return caps;
}

mvQemuCaps *
mvQemuCapsCacheLookup(mvQemuCapsCache *cache, const char *binary)
{
    struct stat sb;
    cacheEntry *entry;
    mvQemuCaps *caps;

    if (!binary || !g_path_is_absolute(binary)) {
        mvReportError(VIR_ERR_INVALID_ARG,
                      "QEMU binary path '%s' must be absolute", binary ? binary : "");
        return NULL;
    }
    if (stat(binary, &sb) < 0) {
        mvReportSystemError(errno, "Cannot check QEMU binary %s", binary);
        return NULL;
    }
    if (!S_ISREG(sb.st_mode) || access(binary, X_OK) < 0) {
        mvReportError(VIR_ERR_INVALID_ARG,
                      "QEMU binary %s is not an executable file", binary);
        return NULL;
    }

    g_mutex_lock(&cache->lock);
    for (;;) {
        entry = g_hash_table_lookup(cache->entries, binary);
        if (!entry) {
            entry = g_new0(cacheEntry, 1);
            g_hash_table_insert(cache->entries, g_strdup(binary), entry);
        }
        if (!entry->busy)
            break;
        g_cond_wait(&cache->cond, &cache->lock);
    }
    if (entry->caps && cacheKeyMatches(entry->caps, binary, &sb)) {
        caps = mvQemuCapsRef(entry->caps);
        g_mutex_unlock(&cache->lock);
        return caps;
    }
    entry->busy = true;
    g_mutex_unlock(&cache->lock);

    caps = cacheFetch(cache, binary, &sb);

    g_mutex_lock(&cache->lock);
    /* the entry cannot go away while busy: only lookups touch the table */
    entry->busy = false;
    if (caps) {
        mvQemuCapsUnref(entry->caps);
        entry->caps = mvQemuCapsRef(caps);
    }
    g_cond_broadcast(&cache->cond);
    g_mutex_unlock(&cache->lock);
    return caps;
}

/* ---- finding binaries ---- */

/* Directories searched, in order: $PATH, then the usual places. */
static GPtrArray *
binarySearchDirs(void)
{
    GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
    const char *path = g_getenv("PATH");
    const char * const fixed[] = { "/usr/bin", "/usr/local/bin", "/usr/libexec" };

    if (path) {
        g_auto(GStrv) parts = g_strsplit(path, ":", -1);
        for (size_t i = 0; parts[i]; i++) {
            if (g_path_is_absolute(parts[i]))
                g_ptr_array_add(dirs, g_strdup(parts[i]));
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++)
        g_ptr_array_add(dirs, g_strdup(fixed[i]));
    return dirs;
}

static bool
binaryUsable(const char *path, struct stat *sb)
{
    return stat(path, sb) == 0 && S_ISREG(sb->st_mode) && access(path, X_OK) == 0;
}

char *
mvQemuCapsFindBinaryForArch(const char *arch)
{
    g_autoptr(GPtrArray) dirs = binarySearchDirs();
    const char *qarch;
    struct stat sb;

    if (!arch)
        arch = mvQemuCapsHostArch();
    if (!(qarch = mvQemuCapsArchToQEMU(arch)))
        return NULL;
    for (guint i = 0; i < dirs->len; i++) {
        g_autofree char *name = g_strdup_printf("qemu-system-%s", qarch);
        g_autofree char *path = g_build_filename(dirs->pdata[i], name, NULL);
        if (binaryUsable(path, &sb))
            return g_steal_pointer(&path);
    }
    /* a 64-bit x86 binary serves 32-bit guests too, as in libvirt */
    if (strcmp(arch, "i686") == 0)
        return mvQemuCapsFindBinaryForArch("x86_64");
    return NULL;
}

GPtrArray *
mvQemuCapsFindBinaries(void)
{
    g_autoptr(GPtrArray) dirs = binarySearchDirs();
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *found = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < dirs->len; i++) {
        g_autoptr(GDir) dir = g_dir_open(dirs->pdata[i], 0, NULL);
        const char *name;

        if (!dir)
            continue;
        while ((name = g_dir_read_name(dir))) {
            g_autofree char *path = NULL;
            g_autofree char *key = NULL;
            struct stat sb;

            if (!g_str_has_prefix(name, "qemu-system-") ||
                !mvQemuCapsArchFromQEMU(name + strlen("qemu-system-")))
                continue;
            path = g_build_filename(dirs->pdata[i], name, NULL);
            if (!binaryUsable(path, &sb))
                continue;
            key = g_strdup_printf("%lu:%lu", (unsigned long)sb.st_dev, (unsigned long)sb.st_ino);
            if (!g_hash_table_add(seen, g_steal_pointer(&key)))
                continue;
            g_ptr_array_add(found, g_steal_pointer(&path));
        }
    }
    g_ptr_array_sort(found, compareStringPtrs);
    return found;
}

mvQemuCaps *
mvQemuCapsCacheLookupArch(mvQemuCapsCache *cache, const char *arch)
{
    g_autofree char *binary = mvQemuCapsFindBinaryForArch(arch);

    if (!binary) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "unable to find any emulator to serve '%s' architecture",
                      arch ? arch : mvQemuCapsHostArch());
        return NULL;
    }
    return mvQemuCapsCacheLookup(cache, binary);
}
