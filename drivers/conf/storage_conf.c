/*
 * storage_conf: see storage_conf.h.  The file has four parts: the enum
 * tables and the size/unit helper shared by both kinds; the pool model
 * (per-type rules in one table, then one parse and one format function per
 * element); the volume model; and the entry points that tie parsing to the
 * schemas.  Messages libvirt 9.0 reports for the same mistakes are kept word
 * for word (checked against Debian's libvirtd), including their error
 * domains, since clients and scripts match on them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mv_buf.h"
#include "mv_enum.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_xml.h"
#include "storage_conf.h"

#define MV_FROM_THIS VIR_FROM_STORAGE

/* ---- enum tables ---------------------------------------------------- */

static const char * const mvStoragePoolTypeNames[] = {
    "dir", "fs", "netfs", "logical", "disk", "iscsi", "iscsi-direct", "scsi",
    "mpath", "rbd", "sheepdog", "gluster", "zfs", "vstorage",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvStoragePoolTypeNames) == MV_STORAGE_POOL_LAST);

static const char * const mvStoragePoolFSNames[] = {
    "auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs", "gfs2",
    "vfat", "hfs+", "xfs", "ocfs2", "vmfs",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvStoragePoolFSNames) == MV_STORAGE_POOL_FS_LAST);

static const char * const mvStoragePoolNetfsNames[] = {
    "auto", "nfs", "glusterfs", "cifs",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvStoragePoolNetfsNames) == MV_STORAGE_POOL_NETFS_LAST);

static const char * const mvStoragePoolDiskNames[] = {
    "unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun", "lvm2",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvStoragePoolDiskNames) == MV_STORAGE_POOL_DISK_LAST);

static const char * const mvStoragePoolLogicalNames[] = { "unknown", "lvm2" };
G_STATIC_ASSERT(G_N_ELEMENTS(mvStoragePoolLogicalNames) == MV_STORAGE_POOL_LOGICAL_LAST);

static const char * const mvStorageAuthNames[] = { "none", "chap", "ceph" };
G_STATIC_ASSERT(G_N_ELEMENTS(mvStorageAuthNames) == MV_STORAGE_AUTH_LAST);

static const char * const mvStorageAdapterNames[] = { "default", "scsi_host", "fc_host" };
G_STATIC_ASSERT(G_N_ELEMENTS(mvStorageAdapterNames) == MV_STORAGE_ADAPTER_LAST);

static const char * const mvStorageRefreshAllocNames[] = { "default", "capacity" };
G_STATIC_ASSERT(G_N_ELEMENTS(mvStorageRefreshAllocNames) == MV_STORAGE_REFRESH_ALLOC_LAST);

static const char * const mvStorageVolTypeNames[] = {
    "file", "block", "dir", "network", "netdir", "ploop",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvStorageVolTypeNames) == MV_STORAGE_VOL_LAST);

static const char * const mvStorageFileFormatNames[] = {
    "none", "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat",
    "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvStorageFileFormatNames) == MV_STORAGE_FILE_LAST);

static const char * const mvStoragePartFormatNames[] = {
    "none", "linux", "fat16", "fat32", "linux-swap", "linux-lvm", "linux-raid", "extended",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvStoragePartFormatNames) == MV_STORAGE_PART_LAST);

static const char * const mvStorageEncFormatNames[] = { "default", "qcow", "luks", "luks2" };
G_STATIC_ASSERT(G_N_ELEMENTS(mvStorageEncFormatNames) == MV_STORAGE_ENC_LAST);

static const char * const mvStorageEncEngineNames[] = { "default", "qemu", "librbd" };
G_STATIC_ASSERT(G_N_ELEMENTS(mvStorageEncEngineNames) == MV_STORAGE_ENC_ENGINE_LAST);


MV_ENUM_IMPL_TABLE(mvStoragePoolType, mvStoragePoolTypeNames)
MV_ENUM_IMPL_TABLE(mvStorageVolType, mvStorageVolTypeNames)
MV_ENUM_IMPL_TABLE(mvStorageFileFormat, mvStorageFileFormatNames)
MV_ENUM_IMPL_TABLE(mvStoragePartFormat, mvStoragePartFormatNames)
MV_ENUM_IMPL_TABLE(mvStorageEncFormat, mvStorageEncFormatNames)

/* ---- what each pool type needs ------------------------------------- */

enum {
    MV_POOL_NEEDS_HOST = 1 << 0,
    MV_POOL_NEEDS_DEVICE = 1 << 1,
    MV_POOL_NEEDS_DIR = 1 << 2,
    MV_POOL_NEEDS_ADAPTER = 1 << 3,
    MV_POOL_SOURCE_NAME = 1 << 4,       /* has a source name (vg, rbd pool...) */
    MV_POOL_NETWORK = 1 << 5,           /* no <target> at all */
};

typedef struct {
    unsigned int flags;
    const char * const *formats;        /* source formats, NULL: none */
    size_t nformats;
    int defaultFormat;
} mvStoragePoolOptions;

static const mvStoragePoolOptions mvStoragePoolOptionTable[] = {
    [MV_STORAGE_POOL_DIR] = { 0, NULL, 0, 0 },
    [MV_STORAGE_POOL_FS] = { MV_POOL_NEEDS_DEVICE, mvStoragePoolFSNames,
                             G_N_ELEMENTS(mvStoragePoolFSNames), MV_STORAGE_POOL_FS_AUTO },
    [MV_STORAGE_POOL_NETFS] = { MV_POOL_NEEDS_HOST | MV_POOL_NEEDS_DIR, mvStoragePoolNetfsNames,
                                G_N_ELEMENTS(mvStoragePoolNetfsNames),
                                MV_STORAGE_POOL_NETFS_AUTO },
    [MV_STORAGE_POOL_LOGICAL] = { MV_POOL_SOURCE_NAME, mvStoragePoolLogicalNames,
                                  G_N_ELEMENTS(mvStoragePoolLogicalNames),
                                  MV_STORAGE_POOL_LOGICAL_LVM2 },
    [MV_STORAGE_POOL_DISK] = { MV_POOL_NEEDS_DEVICE, mvStoragePoolDiskNames,
                               G_N_ELEMENTS(mvStoragePoolDiskNames),
                               MV_STORAGE_POOL_DISK_UNKNOWN },
    [MV_STORAGE_POOL_ISCSI] = { MV_POOL_NEEDS_HOST | MV_POOL_NEEDS_DEVICE, NULL, 0, 0 },
    [MV_STORAGE_POOL_ISCSI_DIRECT] = { MV_POOL_NEEDS_HOST | MV_POOL_NEEDS_DEVICE |
                                       MV_POOL_NETWORK, NULL, 0, 0 },
    [MV_STORAGE_POOL_SCSI] = { MV_POOL_NEEDS_ADAPTER, NULL, 0, 0 },
    [MV_STORAGE_POOL_MPATH] = { 0, NULL, 0, 0 },
    [MV_STORAGE_POOL_RBD] = { MV_POOL_NEEDS_HOST | MV_POOL_SOURCE_NAME | MV_POOL_NETWORK,
                              NULL, 0, 0 },
    [MV_STORAGE_POOL_SHEEPDOG] = { MV_POOL_NEEDS_HOST | MV_POOL_SOURCE_NAME | MV_POOL_NETWORK,
                                   NULL, 0, 0 },
    [MV_STORAGE_POOL_GLUSTER] = { MV_POOL_NEEDS_HOST | MV_POOL_SOURCE_NAME | MV_POOL_NETWORK,
                                  NULL, 0, 0 },
    [MV_STORAGE_POOL_ZFS] = { MV_POOL_SOURCE_NAME, NULL, 0, 0 },
    [MV_STORAGE_POOL_VSTORAGE] = { MV_POOL_SOURCE_NAME, NULL, 0, 0 },
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvStoragePoolOptionTable) == MV_STORAGE_POOL_LAST);

const char *
mvStoragePoolFormatToString(int poolType, int format)
{
    const mvStoragePoolOptions *opt;

    if (poolType < 0 || poolType >= MV_STORAGE_POOL_LAST)
        return NULL;
    opt = &mvStoragePoolOptionTable[poolType];
    return mvEnumToString(opt->formats, opt->nformats, format);
}

int
mvStoragePoolFormatFromString(int poolType, const char *str)
{
    const mvStoragePoolOptions *opt;

    if (poolType < 0 || poolType >= MV_STORAGE_POOL_LAST)
        return -1;
    opt = &mvStoragePoolOptionTable[poolType];
    return mvEnumFromString(opt->formats, opt->nformats, str);
}

/* Volume formats of a pool type: file formats for the file-based pools,
 * partition types for disk pools, none for the rest (as libvirt). */
typedef enum {
    MV_VOL_FORMATS_NONE,
    MV_VOL_FORMATS_FILE,
    MV_VOL_FORMATS_PART,
} mvStorageVolFormatKind;

static mvStorageVolFormatKind
mvStorageVolFormatKindOf(int poolType)
{
    switch ((mvStoragePoolType)poolType) {
    case MV_STORAGE_POOL_DIR:
    case MV_STORAGE_POOL_FS:
    case MV_STORAGE_POOL_NETFS:
    case MV_STORAGE_POOL_GLUSTER:
    case MV_STORAGE_POOL_VSTORAGE:
        return MV_VOL_FORMATS_FILE;
    case MV_STORAGE_POOL_DISK:
        return MV_VOL_FORMATS_PART;
    case MV_STORAGE_POOL_LOGICAL:
    case MV_STORAGE_POOL_ISCSI:
    case MV_STORAGE_POOL_ISCSI_DIRECT:
    case MV_STORAGE_POOL_SCSI:
    case MV_STORAGE_POOL_MPATH:
    case MV_STORAGE_POOL_RBD:
    case MV_STORAGE_POOL_SHEEPDOG:
    case MV_STORAGE_POOL_ZFS:
    case MV_STORAGE_POOL_LAST:
        break;
    }
    return MV_VOL_FORMATS_NONE;
}

/* ---- sizes ------------------------------------------------------------ */

/* libvirt's unit rules (see the header); scales *value in place. */
static int
mvStorageScale(unsigned long long *value, const char *unit, unsigned long long limit)
{
    unsigned long long scale = 1;

    if (!unit || !*unit || g_ascii_strcasecmp(unit, "b") == 0 ||
        g_ascii_strcasecmp(unit, "byte") == 0 || g_ascii_strcasecmp(unit, "bytes") == 0) {
        scale = 1;
    } else {
        unsigned long long base;
        int power;

        if (!unit[1] || g_ascii_strcasecmp(unit + 1, "iB") == 0) {
            base = 1024;
        } else if (g_ascii_tolower(unit[1]) == 'b' && !unit[2]) {
            base = 1000;
        } else {
            mvReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                              "unknown suffix '%s'", unit);
            return -1;
        }
        switch (g_ascii_tolower(unit[0])) {
        case 'k': power = 1; break;
        case 'm': power = 2; break;
        case 'g': power = 3; break;
        case 't': power = 4; break;
        case 'p': power = 5; break;
        case 'e': power = 6; break;
        default:
            mvReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                              "unknown suffix '%s'", unit);
            return -1;
        }
        while (power-- > 0)
            scale *= base;
    }
    if (*value && *value > limit / scale) {
        mvReportErrorFull(VIR_FROM_NONE, VIR_ERR_OVERFLOW, __FILE__, __func__, __LINE__,
                          "value too large: %llu%s", *value, unit ? unit : "");
        return -1;
    }
    *value *= scale;
    return 0;
}

/* A non-negative decimal number as libvirt reads sizes (strtoull, whole
 * string, no sign); -1 on anything else, nothing reported. */
static int
mvStorageParseULL(const char *str, unsigned long long *value)
{
    char *end = NULL;
    unsigned long long v;

    if (!str || strchr(str, '-'))
        return -1;
    errno = 0;
    v = strtoull(str, &end, 10);
    if (errno != 0 || end == str || *end != '\0')
        return -1;
    *value = v;
    return 0;
}

int
mvStorageParseScaledInt(const char *value, const char *unit, unsigned long long *bytes)
{
    unsigned long long v = 0;

    if (mvStorageParseULL(value, &v) < 0) {
        mvReportError(VIR_ERR_XML_ERROR, "malformed capacity element");
        return -1;
    }
    if (mvStorageScale(&v, unit, LLONG_MAX) < 0)
        return -1;
    *bytes = v;
    return 0;
}

/* Reads the size element @name of @parent: 1 present (*bytes set),
 * 0 absent, -1 error reported. */
static int
mvStorageParseSizeElement(const xmlNode *parent, const char *name, unsigned long long *bytes)
{
    xmlNode *node = mvXMLChildFind(parent, name);
    g_autofree char *text = NULL;
    g_autofree char *unit = NULL;

    if (!node)
        return 0;
    text = mvXMLNodeContent(node);
    mvXMLPropString(node, "unit", &unit);
    if (mvStorageParseScaledInt(text, unit, bytes) < 0)
        return -1;
    return 1;
}

/* ---- small XML helpers with libvirt's wording ------------------------ */

static void
mvStorageReportBadAttr(const xmlNode *node, const char *attr, const char *value,
                       const char *expect)
{
    mvReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                      "Invalid value for attribute '%s' in element '%s': '%s'.%s",
                      attr, (const char *)node->name, value, expect);
}

/* An enum attribute: 1 present, 0 absent, -1 unknown value reported in
 * libvirt's virXMLPropEnum words.  @skipFirst refuses table[0] (a
 * "default"/"absent" placeholder that is no valid spelling). */
static int
mvStorageAttrEnum(const xmlNode *node, const char *attr, const char * const *table, size_t n,
                  bool skipFirst, int *value)
{
    g_autofree char *str = NULL;
    int v;

    if (mvXMLPropString(node, attr, &str) == 0)
        return 0;
    v = mvEnumFromString(table, n, str);
    if (v < 0 || (skipFirst && v == 0)) {
        mvStorageReportBadAttr(node, attr, str, "");
        return -1;
    }
    *value = v;
    return 1;
}

static int
mvStorageAttrTristate(const xmlNode *node, const char *attr, int *value)
{
    return mvStorageAttrEnum(node, attr, mvTristateNames,
                             G_N_ELEMENTS(mvTristateNames), true, value) < 0 ? -1 : 0;
}

/* Text of child @name, NULL when absent or empty. */
static char *
mvStorageChildText(const xmlNode *node, const char *name)
{
    g_autofree char *text = NULL;

    if (!node || mvXMLChildString(node, name, &text) == 0 || !*text)
        return NULL;
    return g_steal_pointer(&text);
}

/* Attribute @attr of child @child, NULL when either is absent. */
static char *
mvStorageChildAttr(const xmlNode *node, const char *child, const char *attr)
{
    xmlNode *c = node ? mvXMLChildFind(node, child) : NULL;
    char *value = NULL;

    if (c)
        mvXMLPropString(c, attr, &value);
    return value;
}

/* Collapses repeated slashes and drops a trailing one, as libvirt does
 * with pool target paths. */
static char *
mvStorageSanitizePath(const char *path)
{
    GString *out = g_string_new(NULL);
    const char *p;

    for (p = path; *p; p++) {
        if (*p == '/' && out->len && out->str[out->len - 1] == '/')
            continue;
        g_string_append_c(out, *p);
    }
    if (out->len > 1 && out->str[out->len - 1] == '/')
        g_string_truncate(out, out->len - 1);
    return g_string_free(out, FALSE);
}

/* ---- permissions (pool targets, volume targets, backing stores) ----- */

static void
mvStoragePermsInit(mvStoragePerms *perms)
{
    perms->mode = -1;
    perms->uid = -1;
    perms->gid = -1;
    perms->label = NULL;
}

/* An owner or group: -1 or a value that fits a uid_t. */
static int
mvStorageParseId(const xmlNode *perms, const char *name, long long *value)
{
    g_autofree char *text = NULL;
    char *end = NULL;
    long long v;

    if (mvXMLChildString(perms, name, &text) == 0)
        return 0;
    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < -1 || v > (long long)UINT32_MAX) {
        mvReportError(VIR_ERR_XML_ERROR, "malformed %s element", name);
        return -1;
    }
    /* (uid_t)-1 spelled out is the same "leave as is" as -1 */
    *value = v == (long long)UINT32_MAX ? -1 : v;
    return 0;
}

static int
mvStoragePermsParse(const xmlNode *parent, mvStoragePerms *perms)
{
    xmlNode *node = parent ? mvXMLChildFind(parent, "permissions") : NULL;
    g_autofree char *mode = NULL;

    if (!node)
        return 0;
    if (mvXMLChildString(node, "mode", &mode) == 1) {
        char *end = NULL;
        long v;

        errno = 0;
        v = strtol(mode, &end, 8);
        if (errno != 0 || end == mode || *end != '\0' || v < 0 || (v & ~0777L)) {
            mvReportError(VIR_ERR_XML_ERROR, "malformed octal mode");
            return -1;
        }
        perms->mode = (int)v;
    }
    if (mvStorageParseId(node, "owner", &perms->uid) < 0 ||
        mvStorageParseId(node, "group", &perms->gid) < 0)
        return -1;
    perms->label = mvStorageChildText(node, "label");
    return 0;
}

static void
mvStoragePermsFormat(mvBuf *buf, const mvStoragePerms *perms)
{
    if (perms->mode == -1 && perms->uid == -1 && perms->gid == -1 && !perms->label)
        return;
    mvBufAdd(buf, "<permissions>\n");
    mvBufAdjustIndent(buf, 2);
    if (perms->mode != -1)
        mvBufAsprintf(buf, "<mode>0%o</mode>\n", (unsigned int)perms->mode);
    if (perms->uid != -1)
        mvBufAsprintf(buf, "<owner>%lld</owner>\n", perms->uid);
    if (perms->gid != -1)
        mvBufAsprintf(buf, "<group>%lld</group>\n", perms->gid);
    mvBufEscapeString(buf, "<label>%s</label>\n", perms->label);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</permissions>\n");
}

/* A <secret> that names a secret by uuid or usage (auth and encryption). */
static int
mvStorageSecretParse(const xmlNode *node, bool *hasUUID, unsigned char *uuid, char **usage)
{
    g_autofree char *uuidStr = NULL;

    if (mvXMLPropString(node, "uuid", &uuidStr) == 1) {
        if (mvUUIDParse(uuidStr, uuid) < 0) {
            mvReportErrorFull(VIR_FROM_NONE, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                              "invalid secret uuid '%s'", uuidStr);
            return -1;
        }
        *hasUUID = true;
        return 0;
    }
    if (mvXMLPropString(node, "usage", usage) == 1)
        return 0;
    mvReportErrorFull(VIR_FROM_NONE, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                      "missing uuid or usage attribute");
    return -1;
}

static void
mvStorageSecretFormat(mvBuf *buf, const char *prefix, bool hasUUID, const unsigned char *uuid,
                      const char *usage)
{
    char uuidstr[MV_UUID_STRING_BUFLEN];

    mvBufAsprintf(buf, "<secret%s", prefix);
    if (hasUUID)
        mvBufAsprintf(buf, " uuid='%s'", mvUUIDFormat(uuid, uuidstr));
    else
        mvBufEscapeString(buf, " usage='%s'", usage);
    mvBufAdd(buf, "/>\n");
}

/* ---- pool: lifecycle ------------------------------------------------- */

static void
mvStoragePoolSourceHostFree(gpointer p)
{
    mvStoragePoolSourceHost *host = p;

    g_free(host->name);
    g_free(host);
}

static void
mvStoragePoolSourceDeviceFree(gpointer p)
{
    mvStoragePoolSourceDevice *dev = p;

    g_free(dev->path);
    g_free(dev);
}

mvStoragePoolDef *
mvStoragePoolDefNew(void)
{
    mvStoragePoolDef *def = g_new0(mvStoragePoolDef, 1);

    def->source.hosts = g_ptr_array_new_with_free_func(mvStoragePoolSourceHostFree);
    def->source.devices = g_ptr_array_new_with_free_func(mvStoragePoolSourceDeviceFree);
    mvStoragePermsInit(&def->targetPerms);
    return def;
}

static void
mvStorageAdapterClear(mvStorageAdapter *a)
{
    g_clear_pointer(&a->name, g_free);
    g_clear_pointer(&a->parent, g_free);
    g_clear_pointer(&a->parentWwnn, g_free);
    g_clear_pointer(&a->parentWwpn, g_free);
    g_clear_pointer(&a->parentFabricWwn, g_free);
    g_clear_pointer(&a->wwnn, g_free);
    g_clear_pointer(&a->wwpn, g_free);
}

void
mvStoragePoolDefFree(mvStoragePoolDef *def)
{
    mvStoragePoolSource *src;

    if (!def)
        return;
    src = &def->source;
    g_clear_pointer(&src->hosts, g_ptr_array_unref);
    g_clear_pointer(&src->devices, g_ptr_array_unref);
    g_free(src->dir);
    mvStorageAdapterClear(&src->adapter);
    g_free(src->name);
    g_free(src->initiatorIqn);
    g_free(src->auth.username);
    g_free(src->auth.secretUsage);
    g_free(src->vendor);
    g_free(src->product);
    g_free(def->name);
    g_free(def->targetPath);
    g_free(def->targetPerms.label);
    g_free(def);
}

/* ---- pool: parse ------------------------------------------------------ */

static bool
mvStorageWwnIsValid(const char *wwn)
{
    size_t i;

    if (g_str_has_prefix(wwn, "0x"))
        wwn += 2;
    for (i = 0; wwn[i]; i++) {
        if (!g_ascii_isxdigit(wwn[i]))
            return false;
    }
    return i == 16;
}

static int
mvStorageAdapterParseWwn(const xmlNode *node, const char *attr, char **value)
{
    if (mvXMLPropString(node, attr, value) == 0)
        return 0;
    if (!mvStorageWwnIsValid(*value)) {
        mvReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__, __LINE__,
                          "Malformed wwn: %s", *value);
        return -1;
    }
    return 0;
}

static int
mvStorageAdapterParse(const xmlNode *node, mvStorageAdapter *a)
{
    a->type = MV_STORAGE_ADAPTER_SCSI_HOST;
    if (mvStorageAttrEnum(node, "type", mvStorageAdapterNames,
                          G_N_ELEMENTS(mvStorageAdapterNames), true, &a->type) < 0)
        return -1;
    if (a->type == MV_STORAGE_ADAPTER_SCSI_HOST) {
        if (mvXMLPropString(node, "name", &a->name) == 0) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "Either 'name' or 'parent' must be specified for the "
                          "'scsi_host' adapter");
            return -1;
        }
        return 0;
    }
    mvXMLPropString(node, "parent", &a->parent);
    if (mvStorageAttrTristate(node, "managed", &a->managed) < 0 ||
        mvStorageAdapterParseWwn(node, "parent_wwnn", &a->parentWwnn) < 0 ||
        mvStorageAdapterParseWwn(node, "parent_wwpn", &a->parentWwpn) < 0 ||
        mvStorageAdapterParseWwn(node, "parent_fabric_wwn", &a->parentFabricWwn) < 0)
        return -1;
    if (!xmlHasProp(node, BAD_CAST "wwnn") || !xmlHasProp(node, BAD_CAST "wwpn")) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "'wwnn' and 'wwpn' must be specified for adapter type 'fchost'");
        return -1;
    }
    if (mvStorageAdapterParseWwn(node, "wwnn", &a->wwnn) < 0 ||
        mvStorageAdapterParseWwn(node, "wwpn", &a->wwpn) < 0)
        return -1;
    return 0;
}

static int
mvStorageAuthParse(const xmlNode *node, mvStorageAuth *auth)
{
    g_autofree char *type = NULL;
    xmlNode *secret;
    int t;

    if (mvXMLPropString(node, "type", &type) == 0) {
        mvReportError(VIR_ERR_XML_ERROR, "missing auth type");
        return -1;
    }
    if ((t = mvEnumFromString(mvStorageAuthNames, G_N_ELEMENTS(mvStorageAuthNames),
                                     type)) <= 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown auth type '%s'", type);
        return -1;
    }
    auth->type = t;
    if (mvXMLPropString(node, "username", &auth->username) == 0) {
        mvReportError(VIR_ERR_XML_ERROR, "missing username for auth");
        return -1;
    }
    if (!(secret = mvXMLChildFind(node, "secret"))) {
        mvReportError(VIR_ERR_XML_ERROR, "Missing <secret> element in auth");
        return -1;
    }
    return mvStorageSecretParse(secret, &auth->secretHasUUID, auth->secretUUID,
                                &auth->secretUsage);
}

static int
mvStoragePoolSourceParseHosts(const xmlNode *source, mvStoragePoolSource *src)
{
    xmlNode *n;

    for (n = source->children; n; n = n->next) {
        mvStoragePoolSourceHost *host;
        g_autofree char *port = NULL;
        g_autofree char *name = NULL;
        char *end = NULL;
        long v = 0;

        if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST "host"))
            continue;
        if (mvXMLPropString(n, "name", &name) == 0) {
            mvReportError(VIR_ERR_XML_ERROR, "missing storage pool host name");
            return -1;
        }
        if (mvXMLPropString(n, "port", &port) == 1) {
            errno = 0;
            v = strtol(port, &end, 10);
            if (errno != 0 || end == port || *end != '\0' || v < INT_MIN || v > INT_MAX) {
                mvStorageReportBadAttr(n, "port", port, " Expected integer value");
                return -1;
            }
        }
        host = g_new0(mvStoragePoolSourceHost, 1);
        host->name = g_steal_pointer(&name);
        host->port = (int)v;
        g_ptr_array_add(src->hosts, host);
    }
    return 0;
}

static int
mvStoragePoolSourceParseDevices(const xmlNode *source, mvStoragePoolSource *src)
{
    xmlNode *n;

    for (n = source->children; n; n = n->next) {
        mvStoragePoolSourceDevice *dev;
        g_autofree char *path = NULL;
        int sep = MV_TRISTATE_ABSENT;

        if (n->type != XML_ELEMENT_NODE || !xmlStrEqual(n->name, BAD_CAST "device"))
            continue;
        if (mvXMLPropString(n, "path", &path) == 0) {
            mvReportError(VIR_ERR_XML_ERROR, "missing storage pool source device path");
            return -1;
        }
        if (mvStorageAttrTristate(n, "part_separator", &sep) < 0)
            return -1;
        dev = g_new0(mvStoragePoolSourceDevice, 1);
        dev->path = g_steal_pointer(&path);
        dev->partSeparator = sep;
        g_ptr_array_add(src->devices, dev);
    }
    return 0;
}

static int
mvStoragePoolSourceParse(const xmlNode *source, mvStoragePoolDef *def)
{
    const mvStoragePoolOptions *opt = &mvStoragePoolOptionTable[def->type];
    mvStoragePoolSource *src = &def->source;
    g_autofree char *format = NULL;
    g_autofree char *ver = NULL;
    xmlNode *node;

    src->format = opt->defaultFormat;
    if (!source)
        return 0;
    if (mvStoragePoolSourceParseHosts(source, src) < 0 ||
        mvStoragePoolSourceParseDevices(source, src) < 0)
        return -1;
    src->name = mvStorageChildText(source, "name");
    src->initiatorIqn = mvStorageChildAttr(mvXMLChildFind(source, "initiator"), "iqn", "name");
    src->vendor = mvStorageChildAttr(source, "vendor", "name");
    src->product = mvStorageChildAttr(source, "product", "name");
    if ((format = mvStorageChildAttr(source, "format", "type")) && opt->formats) {
        int f = mvEnumFromString(opt->formats, opt->nformats, format);

        if (f < 0) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown pool format type %s", format);
            return -1;
        }
        src->format = f;
    }
    if ((ver = mvStorageChildAttr(source, "protocol", "ver"))) {
        unsigned long long v;

        if (mvStorageParseULL(ver, &v) < 0 || v > UINT_MAX) {
            mvReportError(VIR_ERR_XML_ERROR, "storage pool protocol ver '%s' is malformed", ver);
            return -1;
        }
        src->hasProtocolVer = true;
        src->protocolVer = (unsigned int)v;
    }
    if ((src->dir = mvStorageChildAttr(source, "dir", "path")) &&
        !(def->type == MV_STORAGE_POOL_NETFS &&
          (src->format == MV_STORAGE_POOL_NETFS_CIFS ||
           src->format == MV_STORAGE_POOL_NETFS_GLUSTERFS))) {
        char *clean = mvStorageSanitizePath(src->dir);

        g_free(src->dir);
        src->dir = clean;
    }
    if ((node = mvXMLChildFind(source, "adapter"))) {
        src->hasAdapter = true;
        if (mvStorageAdapterParse(node, &src->adapter) < 0)
            return -1;
    }
    if ((node = mvXMLChildFind(source, "auth")) && mvStorageAuthParse(node, &src->auth) < 0)
        return -1;
    return 0;
}

/* The per-type requirements, in libvirt's order and words. */
static int
mvStoragePoolDefCheckSource(mvStoragePoolDef *def)
{
    const mvStoragePoolOptions *opt = &mvStoragePoolOptionTable[def->type];
    mvStoragePoolSource *src = &def->source;

    if ((opt->flags & MV_POOL_NEEDS_HOST) && src->hosts->len == 0) {
        mvReportError(VIR_ERR_XML_ERROR, "missing storage pool source host name");
        return -1;
    }
    if ((opt->flags & MV_POOL_NEEDS_DIR) && !src->dir) {
        mvReportError(VIR_ERR_XML_ERROR, "missing storage pool source path");
        return -1;
    }
    if ((opt->flags & MV_POOL_SOURCE_NAME) && !src->name)
        src->name = g_strdup(def->name);
    if ((opt->flags & MV_POOL_NEEDS_ADAPTER) && !src->hasAdapter) {
        mvReportError(VIR_ERR_XML_ERROR, "missing storage pool source adapter");
        return -1;
    }
    if ((opt->flags & MV_POOL_NEEDS_DEVICE) && src->devices->len == 0 &&
        def->type != MV_STORAGE_POOL_ISCSI && def->type != MV_STORAGE_POOL_ISCSI_DIRECT) {
        mvReportError(VIR_ERR_XML_ERROR, "missing storage pool source device name");
        return -1;
    }
    return 0;
}

static int
mvStoragePoolDefParseTarget(const xmlNode *root, mvStoragePoolDef *def)
{
    xmlNode *target = mvXMLChildFind(root, "target");
    g_autofree char *path = NULL;

    if (mvStoragePoolOptionTable[def->type].flags & MV_POOL_NETWORK)
        return 0;
    if (def->type == MV_STORAGE_POOL_LOGICAL) {
        path = g_strdup_printf("/dev/%s", def->source.name);
    } else if (def->type == MV_STORAGE_POOL_ZFS) {
        path = g_strdup_printf("/dev/zvol/%s", def->source.name);
    } else if (!(path = mvStorageChildText(target, "path"))) {
        mvReportError(VIR_ERR_XML_ERROR, "missing storage pool target path");
        return -1;
    }
    def->targetPath = mvStorageSanitizePath(path);
    return mvStoragePermsParse(target, &def->targetPerms);
}

static int
mvStoragePoolDefParseType(const xmlNode *root, mvStoragePoolDef *def)
{
    g_autofree char *type = NULL;
    int t;

    if (mvXMLPropString(root, "type", &type) == 0) {
        mvReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                          "Missing required attribute 'type' in element 'pool'");
        return -1;
    }
    if ((t = mvStoragePoolTypeFromString(type)) < 0) {
        mvStorageReportBadAttr(root, "type", type, "");
        return -1;
    }
    if (t == MV_STORAGE_POOL_SHEEPDOG) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "missing backend for pool type %d (%s)", t, type);
        return -1;
    }
    def->type = t;
    return 0;
}

static int
mvStoragePoolDefParseMisc(const xmlNode *root, mvStoragePoolDef *def, unsigned int flags)
{
    xmlNode *node;
    g_autofree char *uuid = NULL;
    unsigned long long sizes[3] = { 0, 0, 0 };
    static const char * const sizeNames[] = { "capacity", "allocation", "available" };
    size_t i;

    if ((uuid = mvStorageChildText(root, "uuid"))) {
        if (mvUUIDParse(uuid, def->uuid) < 0) {
            mvReportError(VIR_ERR_XML_ERROR, "malformed uuid element");
            return -1;
        }
    } else {
        mvUUIDGenerate(def->uuid);
    }
    for (i = 0; i < G_N_ELEMENTS(sizeNames); i++) {
        if (mvStorageParseSizeElement(root, sizeNames[i], &sizes[i]) < 0)
            return -1;
    }
    if (flags & MV_STORAGE_DEF_PARSE_STATE) {
        def->capacity = sizes[0];
        def->allocation = sizes[1];
        def->available = sizes[2];
    }
    if ((node = mvXMLChildFind(root, "features")) && (node = mvXMLChildFind(node, "cow")) &&
        mvStorageAttrTristate(node, "state", &def->featureCow) < 0)
        return -1;
    if ((node = mvXMLChildFind(root, "refresh")) && (node = mvXMLChildFind(node, "volume"))) {
        g_autofree char *alloc = NULL;

        if (mvXMLPropString(node, "allocation", &alloc) == 1) {
            int a = mvEnumFromString(mvStorageRefreshAllocNames,
                                            G_N_ELEMENTS(mvStorageRefreshAllocNames), alloc);
            if (a < 0) {
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                              "unknown storage pool volume refresh allocation type %s", alloc);
                return -1;
            }
            def->refreshAlloc = a;
        }
    }
    return 0;
}

static mvStoragePoolDef *
mvStoragePoolDefParseDoc(xmlDoc *doc, unsigned int flags)
{
    g_autoptr(mvStoragePoolDef) def = mvStoragePoolDefNew();
    xmlNode *root = xmlDocGetRootElement(doc);

    mvCheckFlags(flags, MV_STORAGE_DEF_PARSE_VALIDATE | MV_STORAGE_DEF_PARSE_STATE, NULL);
    if ((flags & MV_STORAGE_DEF_PARSE_VALIDATE) && mvXMLValidate(doc, MV_STORAGE_POOL_SCHEMA) < 0)
        return NULL;
    if (mvStoragePoolDefParseType(root, def) < 0 ||
        mvStoragePoolSourceParse(mvXMLChildFind(root, "source"), def) < 0)
        return NULL;
    def->name = mvStorageChildText(root, "name");
    if (!def->name && (mvStoragePoolOptionTable[def->type].flags & MV_POOL_SOURCE_NAME))
        def->name = g_strdup(def->source.name);
    if (!def->name) {
        mvReportError(VIR_ERR_XML_ERROR, "missing pool source name element");
        return NULL;
    }
    if (strchr(def->name, '/')) {
        mvReportError(VIR_ERR_XML_ERROR, "name %s cannot contain '/'", def->name);
        return NULL;
    }
    if (mvStoragePoolDefParseMisc(root, def, flags) < 0 ||
        mvStoragePoolDefCheckSource(def) < 0 ||
        mvStoragePoolDefParseTarget(root, def) < 0)
        return NULL;
    /* What libvirt would silently drop is refused, with line and element. */
    if (!(flags & MV_STORAGE_DEF_PARSE_VALIDATE) && mvXMLValidate(doc, MV_STORAGE_POOL_SCHEMA) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

mvStoragePoolDef *
mvStoragePoolDefParse(const char *xml, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = NULL;

    if (!(doc = mvXMLParseString(xml, MV_STORAGE_POOL_XML_NAME, "pool", VIR_FROM_STORAGE)))
        return NULL;
    return mvStoragePoolDefParseDoc(doc, flags);
}

mvStoragePoolDef *
mvStoragePoolDefParseFile(const char *path, unsigned int flags)
{
    g_autofree char *data = NULL;
    g_autoptr(xmlDoc) doc = NULL;

    if (mvFileReadAll(path, MV_XML_MAX_SIZE, &data, NULL) < 0)
        return NULL;
    if (!(doc = mvXMLParseString(data, path, "pool", VIR_FROM_STORAGE)))
        return NULL;
    return mvStoragePoolDefParseDoc(doc, flags);
}

/* ---- pool: format ----------------------------------------------------- */

static void
mvStorageAdapterFormat(mvBuf *buf, const mvStorageAdapter *a)
{
    mvBufAsprintf(buf, "<adapter type='%s'", mvStorageAdapterNames[a->type]);
    if (a->type == MV_STORAGE_ADAPTER_FC_HOST) {
        mvBufEscapeString(buf, " parent='%s'", a->parent);
        mvBufEscapeString(buf, " parent_wwnn='%s'", a->parentWwnn);
        mvBufEscapeString(buf, " parent_wwpn='%s'", a->parentWwpn);
        mvBufEscapeString(buf, " parent_fabric_wwn='%s'", a->parentFabricWwn);
        if (a->managed != MV_TRISTATE_ABSENT)
            mvBufAsprintf(buf, " managed='%s'", mvTristateNames[a->managed]);
        mvBufEscapeString(buf, " wwnn='%s'", a->wwnn);
        mvBufEscapeString(buf, " wwpn='%s'", a->wwpn);
    } else {
        mvBufEscapeString(buf, " name='%s'", a->name);
    }
    mvBufAdd(buf, "/>\n");
}

static void
mvStoragePoolSourceFormat(mvBuf *buf, const mvStoragePoolDef *def)
{
    const mvStoragePoolSource *src = &def->source;
    const char *format = mvStoragePoolFormatToString(def->type, src->format);
    guint i;

    mvBufAdd(buf, "<source>\n");
    mvBufAdjustIndent(buf, 2);
    for (i = 0; i < src->hosts->len; i++) {
        const mvStoragePoolSourceHost *h = g_ptr_array_index(src->hosts, i);

        mvBufEscapeString(buf, "<host name='%s'", h->name);
        if (h->port)
            mvBufAsprintf(buf, " port='%d'", h->port);
        mvBufAdd(buf, "/>\n");
    }
    for (i = 0; i < src->devices->len; i++) {
        const mvStoragePoolSourceDevice *d = g_ptr_array_index(src->devices, i);

        mvBufEscapeString(buf, "<device path='%s'", d->path);
        if (d->partSeparator != MV_TRISTATE_ABSENT)
            mvBufAsprintf(buf, " part_separator='%s'",
                          mvTristateNames[d->partSeparator]);
        mvBufAdd(buf, "/>\n");
    }
    mvBufEscapeString(buf, "<dir path='%s'/>\n", src->dir);
    if (src->hasAdapter)
        mvStorageAdapterFormat(buf, &src->adapter);
    mvBufEscapeString(buf, "<name>%s</name>\n", src->name);
    if (src->initiatorIqn) {
        mvBufAdd(buf, "<initiator>\n");
        mvBufEscapeString(buf, "  <iqn name='%s'/>\n", src->initiatorIqn);
        mvBufAdd(buf, "</initiator>\n");
    }
    if (format)
        mvBufAsprintf(buf, "<format type='%s'/>\n", format);
    if (src->auth.type != MV_STORAGE_AUTH_NONE) {
        mvBufAsprintf(buf, "<auth type='%s'", mvStorageAuthNames[src->auth.type]);
        mvBufEscapeString(buf, " username='%s'>\n", src->auth.username);
        mvBufAdjustIndent(buf, 2);
        mvStorageSecretFormat(buf, "", src->auth.secretHasUUID, src->auth.secretUUID,
                              src->auth.secretUsage);
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</auth>\n");
    }
    if (src->hasProtocolVer)
        mvBufAsprintf(buf, "<protocol ver='%u'/>\n", src->protocolVer);
    mvBufEscapeString(buf, "<vendor name='%s'/>\n", src->vendor);
    mvBufEscapeString(buf, "<product name='%s'/>\n", src->product);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</source>\n");
}

char *
mvStoragePoolDefFormat(const mvStoragePoolDef *def, unsigned int flags)
{
    g_auto(mvBuf) buf = MV_BUF_INIT;
    char uuidstr[MV_UUID_STRING_BUFLEN];

    g_assert(flags == 0);
    mvBufAsprintf(&buf, "<pool type='%s'>\n", mvStoragePoolTypeToString(def->type));
    mvBufAdjustIndent(&buf, 2);
    mvBufEscapeString(&buf, "<name>%s</name>\n", def->name);
    mvBufAsprintf(&buf, "<uuid>%s</uuid>\n", mvUUIDFormat(def->uuid, uuidstr));
    mvBufAsprintf(&buf, "<capacity unit='bytes'>%llu</capacity>\n", def->capacity);
    mvBufAsprintf(&buf, "<allocation unit='bytes'>%llu</allocation>\n", def->allocation);
    mvBufAsprintf(&buf, "<available unit='bytes'>%llu</available>\n", def->available);
    if (def->featureCow != MV_TRISTATE_ABSENT) {
        mvBufAdd(&buf, "<features>\n");
        mvBufAsprintf(&buf, "  <cow state='%s'/>\n", mvTristateNames[def->featureCow]);
        mvBufAdd(&buf, "</features>\n");
    }
    mvStoragePoolSourceFormat(&buf, def);
    if (!(mvStoragePoolOptionTable[def->type].flags & MV_POOL_NETWORK)) {
        mvBufAdd(&buf, "<target>\n");
        mvBufAdjustIndent(&buf, 2);
        mvBufEscapeString(&buf, "<path>%s</path>\n", def->targetPath);
        mvStoragePermsFormat(&buf, &def->targetPerms);
        mvBufAdjustIndent(&buf, -2);
        mvBufAdd(&buf, "</target>\n");
    }
    if (def->refreshAlloc != MV_STORAGE_REFRESH_ALLOC_DEFAULT) {
        mvBufAdd(&buf, "<refresh>\n");
        mvBufAsprintf(&buf, "  <volume allocation='%s'/>\n",
                      mvStorageRefreshAllocNames[def->refreshAlloc]);
        mvBufAdd(&buf, "</refresh>\n");
    }
    mvBufAdjustIndent(&buf, -2);
    mvBufAdd(&buf, "</pool>\n");
    return mvBufContentAndReset(&buf);
}

/* ---- volume: lifecycle ------------------------------------------------ */

static void
mvStorageTimestampsInit(mvStorageVolTarget *t)
{
    t->atime.nsec = t->btime.nsec = t->ctime.nsec = t->mtime.nsec = -1;
}

mvStorageVolDef *
mvStorageVolDefNew(void)
{
    mvStorageVolDef *def = g_new0(mvStorageVolDef, 1);

    def->target.format = -1;
    def->backing.format = -1;
    mvStoragePermsInit(&def->target.perms);
    mvStoragePermsInit(&def->backing.perms);
    mvStorageTimestampsInit(&def->target);
    mvStorageTimestampsInit(&def->backing);
    return def;
}

static void
mvStorageEncryptionFree(mvStorageEncryption *enc)
{
    if (!enc)
        return;
    g_free(enc->secretUsage);
    g_free(enc->cipherName);
    g_free(enc->cipherMode);
    g_free(enc->cipherHash);
    g_free(enc->ivgenName);
    g_free(enc->ivgenHash);
    g_free(enc);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvStorageEncryption, mvStorageEncryptionFree);

void
mvStorageVolDefFree(mvStorageVolDef *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->key);
    g_free(def->target.path);
    g_free(def->target.perms.label);
    g_free(def->backing.path);
    g_free(def->backing.perms.label);
    mvStorageEncryptionFree(def->encryption);
    g_free(def->compat);
    g_free(def);
}

/* ---- volume: parse ---------------------------------------------------- */

/* The format of a volume or backing store: -1 when the pool type has no
 * formats; the pool's default when absent. */
static int
mvStorageVolParseFormat(const xmlNode *parent, int poolType, int *format)
{
    mvStorageVolFormatKind kind = mvStorageVolFormatKindOf(poolType);
    g_autofree char *type = mvStorageChildAttr(parent, "format", "type");
    int f = -1;

    switch (kind) {
    case MV_VOL_FORMATS_NONE:
        *format = -1;
        return 0;
    case MV_VOL_FORMATS_FILE:
        f = type ? mvStorageFileFormatFromString(type) : MV_STORAGE_FILE_RAW;
        if (f == MV_STORAGE_FILE_NONE)
            f = -1;
        break;
    case MV_VOL_FORMATS_PART:
        f = type ? mvStoragePartFormatFromString(type) : MV_STORAGE_PART_NONE;
        break;
    }
    if (f < 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume format type %s", type);
        return -1;
    }
    *format = f;
    return 0;
}

static const char *
mvStorageVolFormatName(int poolType, int format)
{
    switch (mvStorageVolFormatKindOf(poolType)) {
    case MV_VOL_FORMATS_NONE:
        return NULL;
    case MV_VOL_FORMATS_FILE:
        return mvStorageFileFormatToString(format);
    case MV_VOL_FORMATS_PART:
        return mvStoragePartFormatToString(format);
    }
    return NULL;
}

/* "SEC[.FRACTION]" with up to 9 fraction digits: false when malformed. */
static bool
mvStorageTimestampFromString(const char *text, mvStorageTimestamp *t)
{
    g_auto(GStrv) parts = g_strsplit(text, ".", 2);
    unsigned long long sec;
    long nsec = 0;
    size_t len;
    size_t i;

    if (mvStorageParseULL(parts[0], &sec) < 0 || !g_ascii_isdigit(parts[0][0]))
        return false;
    len = parts[1] ? strlen(parts[1]) : 0;
    if (len > 9)
        return false;
    for (i = 0; i < 9; i++) {
        if (i < len && !g_ascii_isdigit(parts[1][i]))
            return false;
        nsec = nsec * 10 + (i < len ? parts[1][i] - '0' : 0);
    }
    t->sec = sec;
    t->nsec = nsec;
    return true;
}

static int
mvStorageParseTimestamp(const xmlNode *ts, const char *name, mvStorageTimestamp *t)
{
    g_autofree char *text = NULL;

    if (!ts || mvXMLChildString(ts, name, &text) == 0)
        return 0;
    if (!mvStorageTimestampFromString(text, t)) {
        mvReportError(VIR_ERR_XML_ERROR, "malformed %s element", name);
        return -1;
    }
    return 0;
}

static int
mvStorageVolParseTarget(const xmlNode *node, int poolType, mvStorageVolTarget *t,
                        unsigned int flags)
{
    xmlNode *ts = node ? mvXMLChildFind(node, "timestamps") : NULL;

    t->path = mvStorageChildText(node, "path");
    if (mvStorageVolParseFormat(node, poolType, &t->format) < 0 ||
        mvStoragePermsParse(node, &t->perms) < 0)
        return -1;
    if (!(flags & MV_STORAGE_DEF_PARSE_STATE))
        ts = NULL;
    if (mvStorageParseTimestamp(ts, "atime", &t->atime) < 0 ||
        mvStorageParseTimestamp(ts, "btime", &t->btime) < 0 ||
        mvStorageParseTimestamp(ts, "ctime", &t->ctime) < 0 ||
        mvStorageParseTimestamp(ts, "mtime", &t->mtime) < 0)
        return -1;
    return 0;
}

static int
mvStorageEncryptionParseCipher(const xmlNode *node, mvStorageEncryption *enc)
{
    g_autofree char *size = NULL;
    unsigned long long v;

    if (mvXMLPropString(node, "name", &enc->cipherName) == 0) {
        mvReportError(VIR_ERR_XML_ERROR, "cipher info missing 'name' attribute");
        return -1;
    }
    if (mvXMLPropString(node, "size", &size) == 0) {
        mvReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                          "Missing required attribute 'size' in element 'cipher'");
        return -1;
    }
    if (mvStorageParseULL(size, &v) < 0 || v > UINT_MAX) {
        mvStorageReportBadAttr(node, "size", size, " Expected non-negative integer value");
        return -1;
    }
    enc->cipherSize = (unsigned int)v;
    mvXMLPropString(node, "mode", &enc->cipherMode);
    mvXMLPropString(node, "hash", &enc->cipherHash);
    return 0;
}

static int
mvStorageEncryptionParse(const xmlNode *node, mvStorageEncryption **out)
{
    g_autoptr(mvStorageEncryption) enc = g_new0(mvStorageEncryption, 1);
    g_autofree char *format = NULL;
    xmlNode *n;

    if (mvXMLPropString(node, "format", &format) == 0) {
        mvReportError(VIR_ERR_XML_ERROR, "unknown volume encryption format type");
        return -1;
    }
    if ((enc->format = mvStorageEncFormatFromString(format)) < 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "unknown volume encryption format type %s", format);
        return -1;
    }
    if (mvStorageAttrEnum(node, "engine", mvStorageEncEngineNames,
                          G_N_ELEMENTS(mvStorageEncEngineNames), true, &enc->engine) < 0)
        return -1;
    if ((n = mvXMLChildFind(node, "secret"))) {
        g_autofree char *type = NULL;

        if (mvXMLPropString(n, "type", &type) == 0) {
            mvReportError(VIR_ERR_XML_ERROR, "unknown volume encryption secret type");
            return -1;
        }
        if (strcmp(type, "passphrase") != 0) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "unknown volume encryption secret type %s", type);
            return -1;
        }
        enc->hasSecret = true;
        if (mvStorageSecretParse(n, &enc->secretHasUUID, enc->secretUUID,
                                 &enc->secretUsage) < 0)
            return -1;
    }
    if ((n = mvXMLChildFind(node, "cipher")) && mvStorageEncryptionParseCipher(n, enc) < 0)
        return -1;
    if ((n = mvXMLChildFind(node, "ivgen"))) {
        if (mvXMLPropString(n, "name", &enc->ivgenName) == 0) {
            mvReportError(VIR_ERR_XML_ERROR, "missing ivgen info name string");
            return -1;
        }
        mvXMLPropString(n, "hash", &enc->ivgenHash);
    }
    *out = g_steal_pointer(&enc);
    return 0;
}

static bool
mvStorageCompatIsValid(const char *compat)
{
    g_auto(GStrv) parts = g_strsplit(compat, ".", -1);
    size_t i;

    if (g_strv_length(parts) != 2)
        return false;
    for (i = 0; i < 2; i++) {
        unsigned long long v;

        if (!*parts[i] || !g_ascii_isdigit(parts[i][0]) ||
            mvStorageParseULL(parts[i], &v) < 0 || v > UINT_MAX)
            return false;
    }
    return true;
}

static int
mvStorageVolParseTargetExtras(const xmlNode *target, mvStorageVolDef *def)
{
    xmlNode *node;
    int rc;

    if (!target)
        return 0;
    if ((node = mvXMLChildFind(target, "encryption")) &&
        mvStorageEncryptionParse(node, &def->encryption) < 0)
        return -1;
    if ((rc = mvStorageParseSizeElement(target, "clusterSize", &def->clusterSize)) < 0)
        return -1;
    if ((def->compat = mvStorageChildText(target, "compat")) &&
        !mvStorageCompatIsValid(def->compat)) {
        mvReportError(VIR_ERR_XML_ERROR, "forbidden characters in 'compat' attribute");
        return -1;
    }
    def->nocow = mvXMLChildFind(target, "nocow") != NULL;
    if ((node = mvXMLChildFind(target, "features"))) {
        xmlNode *f;

        def->hasFeatures = true;
        if (!def->compat)
            def->compat = g_strdup("1.1");
        for (f = node->children; f; f = f->next) {
            if (f->type != XML_ELEMENT_NODE)
                continue;
            if (!xmlStrEqual(f->name, BAD_CAST "lazy_refcounts")) {
                mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unsupported feature %s",
                              (const char *)f->name);
                return -1;
            }
            def->lazyRefcounts = true;
        }
    }
    return 0;
}

static int
mvStorageVolDefParseSizes(const xmlNode *root, mvStorageVolDef *def, unsigned int flags)
{
    unsigned long long physical = 0;
    int rc;

    if ((rc = mvStorageParseSizeElement(root, "capacity", &def->capacity)) < 0)
        return -1;
    if (rc == 0) {
        mvReportError(VIR_ERR_XML_ERROR, "missing capacity element");
        return -1;
    }
    if ((rc = mvStorageParseSizeElement(root, "allocation", &def->allocation)) < 0)
        return -1;
    if (rc == 0)
        def->allocation = def->capacity;
    if (mvStorageParseSizeElement(root, "physical", &physical) < 0)
        return -1;
    if (flags & MV_STORAGE_DEF_PARSE_STATE)
        def->physical = physical;
    return 0;
}

static mvStorageVolDef *
mvStorageVolDefParseDoc(xmlDoc *doc, int poolType, unsigned int flags)
{
    g_autoptr(mvStorageVolDef) def = mvStorageVolDefNew();
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *target = mvXMLChildFind(root, "target");
    xmlNode *backing = mvXMLChildFind(root, "backingStore");
    g_autofree char *type = NULL;

    mvCheckFlags(flags, MV_STORAGE_DEF_PARSE_VALIDATE | MV_STORAGE_DEF_PARSE_STATE, NULL);
    if (poolType < 0 || poolType >= MV_STORAGE_POOL_LAST) {
        mvReportError(VIR_ERR_INVALID_ARG, "unknown storage pool type %d", poolType);
        return NULL;
    }
    def->poolType = poolType;
    if ((flags & MV_STORAGE_DEF_PARSE_VALIDATE) && mvXMLValidate(doc, MV_STORAGE_VOL_SCHEMA) < 0)
        return NULL;
    if (mvXMLPropString(root, "type", &type) == 1 &&
        (def->type = mvStorageVolTypeFromString(type)) < 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown volume type '%s'", type);
        return NULL;
    }
    if (!(def->name = mvStorageChildText(root, "name"))) {
        mvReportError(VIR_ERR_XML_ERROR, "missing volume name element");
        return NULL;
    }
    def->key = mvStorageChildText(root, "key");
    if (mvStorageVolDefParseSizes(root, def, flags) < 0 ||
        mvStorageVolParseTarget(target, poolType, &def->target, flags) < 0 ||
        mvStorageVolParseTargetExtras(target, def) < 0)
        return NULL;
    if (backing) {
        def->hasBacking = true;
        if (mvStorageVolParseTarget(backing, poolType, &def->backing, flags) < 0)
            return NULL;
        if (!def->backing.path) {
            mvReportError(VIR_ERR_XML_ERROR, "missing backing store path");
            return NULL;
        }
    }
    if (!(flags & MV_STORAGE_DEF_PARSE_VALIDATE) && mvXMLValidate(doc, MV_STORAGE_VOL_SCHEMA) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

mvStorageVolDef *
mvStorageVolDefParse(const char *xml, int poolType, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = NULL;

    if (!(doc = mvXMLParseString(xml, MV_STORAGE_VOL_XML_NAME, "volume", VIR_FROM_STORAGE)))
        return NULL;
    return mvStorageVolDefParseDoc(doc, poolType, flags);
}

mvStorageVolDef *
mvStorageVolDefParseFile(const char *path, int poolType, unsigned int flags)
{
    g_autofree char *data = NULL;
    g_autoptr(xmlDoc) doc = NULL;

    if (mvFileReadAll(path, MV_XML_MAX_SIZE, &data, NULL) < 0)
        return NULL;
    if (!(doc = mvXMLParseString(data, path, "volume", VIR_FROM_STORAGE)))
        return NULL;
    return mvStorageVolDefParseDoc(doc, poolType, flags);
}

/* ---- volume: format --------------------------------------------------- */

static void
mvStorageTimestampFormat(mvBuf *buf, const char *name, const mvStorageTimestamp *t)
{
    if (t->nsec < 0)
        return;
    mvBufAsprintf(buf, "<%s>%llu", name, t->sec);
    if (t->nsec)
        mvBufAsprintf(buf, ".%09ld", t->nsec);
    mvBufAsprintf(buf, "</%s>\n", name);
}

static void
mvStorageTimestampsFormat(mvBuf *buf, const mvStorageVolTarget *t)
{
    if (t->atime.nsec < 0 && t->btime.nsec < 0 && t->ctime.nsec < 0 && t->mtime.nsec < 0)
        return;
    mvBufAdd(buf, "<timestamps>\n");
    mvBufAdjustIndent(buf, 2);
    /* libvirt's order, not the alphabet */
    mvStorageTimestampFormat(buf, "atime", &t->atime);
    mvStorageTimestampFormat(buf, "mtime", &t->mtime);
    mvStorageTimestampFormat(buf, "ctime", &t->ctime);
    mvStorageTimestampFormat(buf, "btime", &t->btime);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</timestamps>\n");
}

static void
mvStorageEncryptionFormat(mvBuf *buf, const mvStorageEncryption *enc)
{
    mvBufAsprintf(buf, "<encryption format='%s'", mvStorageEncFormatNames[enc->format]);
    if (enc->engine != MV_STORAGE_ENC_ENGINE_DEFAULT)
        mvBufAsprintf(buf, " engine='%s'", mvStorageEncEngineNames[enc->engine]);
    mvBufAdd(buf, ">\n");
    mvBufAdjustIndent(buf, 2);
    if (enc->hasSecret)
        mvStorageSecretFormat(buf, " type='passphrase'", enc->secretHasUUID, enc->secretUUID,
                              enc->secretUsage);
    if (enc->cipherName) {
        mvBufEscapeString(buf, "<cipher name='%s'", enc->cipherName);
        mvBufAsprintf(buf, " size='%u'", enc->cipherSize);
        mvBufEscapeString(buf, " mode='%s'", enc->cipherMode);
        mvBufEscapeString(buf, " hash='%s'", enc->cipherHash);
        mvBufAdd(buf, "/>\n");
    }
    if (enc->ivgenName) {
        mvBufEscapeString(buf, "<ivgen name='%s'", enc->ivgenName);
        mvBufEscapeString(buf, " hash='%s'", enc->ivgenHash);
        mvBufAdd(buf, "/>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</encryption>\n");
}

/* <target> or <backingStore>: path, format, permissions, timestamps;
 * the rest only for the volume's own target. */
static void
mvStorageVolTargetFormat(mvBuf *buf, const mvStorageVolDef *def, const char *elem,
                         const mvStorageVolTarget *t, bool isTarget)
{
    const char *format = mvStorageVolFormatName(def->poolType, t->format);

    mvBufAsprintf(buf, "<%s>\n", elem);
    mvBufAdjustIndent(buf, 2);
    mvBufEscapeString(buf, "<path>%s</path>\n", t->path);
    if (format)
        mvBufAsprintf(buf, "<format type='%s'/>\n", format);
    mvStoragePermsFormat(buf, &t->perms);
    mvStorageTimestampsFormat(buf, t);
    if (isTarget) {
        if (def->encryption)
            mvStorageEncryptionFormat(buf, def->encryption);
        mvBufEscapeString(buf, "<compat>%s</compat>\n", def->compat);
        if (def->clusterSize)
            mvBufAsprintf(buf, "<clusterSize unit='B'>%llu</clusterSize>\n", def->clusterSize);
        if (def->hasFeatures && def->lazyRefcounts)
            mvBufAdd(buf, "<features>\n  <lazy_refcounts/>\n</features>\n");
        else if (def->hasFeatures)
            mvBufAdd(buf, "<features/>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAsprintf(buf, "</%s>\n", elem);
}

char *
mvStorageVolDefFormat(const mvStorageVolDef *def, unsigned int flags)
{
    g_auto(mvBuf) buf = MV_BUF_INIT;

    g_assert(flags == 0);
    mvBufAsprintf(&buf, "<volume type='%s'>\n", mvStorageVolTypeToString(def->type));
    mvBufAdjustIndent(&buf, 2);
    mvBufEscapeString(&buf, "<name>%s</name>\n", def->name);
    mvBufEscapeString(&buf, "<key>%s</key>\n", def->key);
    mvBufAsprintf(&buf, "<capacity unit='bytes'>%llu</capacity>\n", def->capacity);
    mvBufAsprintf(&buf, "<allocation unit='bytes'>%llu</allocation>\n", def->allocation);
    if (def->physical)
        mvBufAsprintf(&buf, "<physical unit='bytes'>%llu</physical>\n", def->physical);
    mvStorageVolTargetFormat(&buf, def, "target", &def->target, true);
    if (def->hasBacking)
        mvStorageVolTargetFormat(&buf, def, "backingStore", &def->backing, false);
    mvBufAdjustIndent(&buf, -2);
    mvBufAdd(&buf, "</volume>\n");
    return mvBufContentAndReset(&buf);
}
