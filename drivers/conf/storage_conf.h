/*
 * storage_conf: the object models of a storage pool (<pool> XML) and of a
 * storage volume (<volume> XML): parse, validate, format.  No driver
 * knowledge and no I/O: the storage driver fills in what only a running
 * pool knows (sizes, keys, paths, timestamps) and decides what a definition
 * means on the host.
 *
 * Parsing follows libvirt 9.0: the per-type checks it makes (a dir pool
 * needs a target path, a netfs pool a host and a directory, ...) come first,
 * with libvirt's codes and texts (verified against Debian's libvirtd);
 * then every document is validated against schemas/storagepool.rng or
 * schemas/storagevol.rng, so what libvirt would silently drop is refused
 * with the line and element named.  With the ..._PARSE_VALIDATE flags the
 * schema runs first, like VIR_STORAGE_POOL_DEFINE_VALIDATE.
 *
 * Like libvirt, a pool's <capacity>/<allocation>/<available> and a
 * volume's <physical>/<timestamps> are output only: they are checked but
 * kept only under MV_STORAGE_DEF_PARSE_STATE (a driver reloading its own
 * state XML).  Formatting matches libvirt's byte for byte.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

#include "mv_enum.h"
#include "mv_uuid.h"

/* Pool types, numbered as libvirt's virStoragePoolType (sheepdog keeps its
 * number but is refused: libvirt 9.0 no longer has a backend for it). */
typedef enum {
    MV_STORAGE_POOL_DIR,
    MV_STORAGE_POOL_FS,
    MV_STORAGE_POOL_NETFS,
    MV_STORAGE_POOL_LOGICAL,
    MV_STORAGE_POOL_DISK,
    MV_STORAGE_POOL_ISCSI,
    MV_STORAGE_POOL_ISCSI_DIRECT,
    MV_STORAGE_POOL_SCSI,
    MV_STORAGE_POOL_MPATH,
    MV_STORAGE_POOL_RBD,
    MV_STORAGE_POOL_SHEEPDOG,
    MV_STORAGE_POOL_GLUSTER,
    MV_STORAGE_POOL_ZFS,
    MV_STORAGE_POOL_VSTORAGE,
    MV_STORAGE_POOL_LAST
} mvStoragePoolType;

/* Source formats of fs pools (auto is the default). */
typedef enum {
    MV_STORAGE_POOL_FS_AUTO,
    MV_STORAGE_POOL_FS_EXT2,
    MV_STORAGE_POOL_FS_EXT3,
    MV_STORAGE_POOL_FS_EXT4,
    MV_STORAGE_POOL_FS_UFS,
    MV_STORAGE_POOL_FS_ISO,
    MV_STORAGE_POOL_FS_UDF,
    MV_STORAGE_POOL_FS_GFS,
    MV_STORAGE_POOL_FS_GFS2,
    MV_STORAGE_POOL_FS_VFAT,
    MV_STORAGE_POOL_FS_HFSPLUS,
    MV_STORAGE_POOL_FS_XFS,
    MV_STORAGE_POOL_FS_OCFS2,
    MV_STORAGE_POOL_FS_VMFS,
    MV_STORAGE_POOL_FS_LAST
} mvStoragePoolFormatFS;

typedef enum {
    MV_STORAGE_POOL_NETFS_AUTO,
    MV_STORAGE_POOL_NETFS_NFS,
    MV_STORAGE_POOL_NETFS_GLUSTERFS,
    MV_STORAGE_POOL_NETFS_CIFS,
    MV_STORAGE_POOL_NETFS_LAST
} mvStoragePoolFormatNetfs;

typedef enum {
    MV_STORAGE_POOL_DISK_UNKNOWN,
    MV_STORAGE_POOL_DISK_DOS,
    MV_STORAGE_POOL_DISK_DVH,
    MV_STORAGE_POOL_DISK_GPT,
    MV_STORAGE_POOL_DISK_MAC,
    MV_STORAGE_POOL_DISK_BSD,
    MV_STORAGE_POOL_DISK_PC98,
    MV_STORAGE_POOL_DISK_SUN,
    MV_STORAGE_POOL_DISK_LVM2,
    MV_STORAGE_POOL_DISK_LAST
} mvStoragePoolFormatDisk;

typedef enum {
    MV_STORAGE_POOL_LOGICAL_UNKNOWN,
    MV_STORAGE_POOL_LOGICAL_LVM2,
    MV_STORAGE_POOL_LOGICAL_LAST
} mvStoragePoolFormatLogical;

typedef enum {
    MV_STORAGE_AUTH_NONE,
    MV_STORAGE_AUTH_CHAP,
    MV_STORAGE_AUTH_CEPH,
    MV_STORAGE_AUTH_LAST
} mvStorageAuthType;

typedef enum {
    MV_STORAGE_ADAPTER_DEFAULT,     /* only while parsing: becomes scsi_host */
    MV_STORAGE_ADAPTER_SCSI_HOST,
    MV_STORAGE_ADAPTER_FC_HOST,
    MV_STORAGE_ADAPTER_LAST
} mvStorageAdapterType;

typedef enum {
    MV_STORAGE_REFRESH_ALLOC_DEFAULT,   /* also "absent" */
    MV_STORAGE_REFRESH_ALLOC_CAPACITY,
    MV_STORAGE_REFRESH_ALLOC_LAST
} mvStorageRefreshAlloc;

/* Owner and group are -1 when absent, mode is -1 when absent. */
typedef struct {
    int mode;
    long long uid;
    long long gid;
    char *label;
} mvStoragePerms;

typedef struct {
    char *name;
    int port;                   /* 0: absent */
} mvStoragePoolSourceHost;

typedef struct {
    char *path;
    int partSeparator;          /* mvTristate */
} mvStoragePoolSourceDevice;

typedef struct {
    int type;                   /* mvStorageAdapterType */
    char *name;                 /* scsi_host */
    char *parent;               /* fc_host */
    int managed;                /* mvTristate, fc_host */
    char *parentWwnn;
    char *parentWwpn;
    char *parentFabricWwn;
    char *wwnn;
    char *wwpn;
} mvStorageAdapter;

typedef struct {
    int type;                   /* mvStorageAuthType; NONE: no <auth> */
    char *username;
    bool secretHasUUID;
    unsigned char secretUUID[MV_UUID_BUFLEN];
    char *secretUsage;          /* when !secretHasUUID */
} mvStorageAuth;

typedef struct {
    GPtrArray *hosts;           /* of mvStoragePoolSourceHost */
    GPtrArray *devices;         /* of mvStoragePoolSourceDevice */
    char *dir;
    bool hasAdapter;
    mvStorageAdapter adapter;
    char *name;
    char *initiatorIqn;
    int format;                 /* per pool type: mvStoragePoolFormat* */
    mvStorageAuth auth;
    char *vendor;
    char *product;
    bool hasProtocolVer;
    unsigned int protocolVer;
} mvStoragePoolSource;

typedef struct _mvStoragePoolDef mvStoragePoolDef;
struct _mvStoragePoolDef {
    int type;                   /* mvStoragePoolType */
    char *name;
    unsigned char uuid[MV_UUID_BUFLEN];
    int featureCow;             /* mvTristate */
    int refreshAlloc;           /* mvStorageRefreshAlloc */
    unsigned long long capacity;    /* bytes; output only */
    unsigned long long allocation;
    unsigned long long available;
    mvStoragePoolSource source;
    char *targetPath;           /* NULL for network pools */
    mvStoragePerms targetPerms;
};

mvStoragePoolDef *mvStoragePoolDefNew(void);
void mvStoragePoolDefFree(mvStoragePoolDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvStoragePoolDef, mvStoragePoolDefFree);

/* Volume types, numbered as libvirt's virStorageVolType. */
typedef enum {
    MV_STORAGE_VOL_FILE,
    MV_STORAGE_VOL_BLOCK,
    MV_STORAGE_VOL_DIR,
    MV_STORAGE_VOL_NETWORK,
    MV_STORAGE_VOL_NETDIR,
    MV_STORAGE_VOL_PLOOP,
    MV_STORAGE_VOL_LAST
} mvStorageVolType;

/* Volume formats of file-based pools (dir, fs, netfs, gluster, vstorage),
 * numbered as libvirt's virStorageFileFormat; NONE is never accepted. */
typedef enum {
    MV_STORAGE_FILE_NONE,
    MV_STORAGE_FILE_RAW,
    MV_STORAGE_FILE_DIR,
    MV_STORAGE_FILE_BOCHS,
    MV_STORAGE_FILE_CLOOP,
    MV_STORAGE_FILE_DMG,
    MV_STORAGE_FILE_ISO,
    MV_STORAGE_FILE_VPC,
    MV_STORAGE_FILE_VDI,
    MV_STORAGE_FILE_FAT,
    MV_STORAGE_FILE_VHD,
    MV_STORAGE_FILE_PLOOP,
    MV_STORAGE_FILE_COW,
    MV_STORAGE_FILE_QCOW,
    MV_STORAGE_FILE_QCOW2,
    MV_STORAGE_FILE_QED,
    MV_STORAGE_FILE_VMDK,
    MV_STORAGE_FILE_LAST
} mvStorageFileFormat;

/* Partition types: volume formats of disk pools. */
typedef enum {
    MV_STORAGE_PART_NONE,
    MV_STORAGE_PART_LINUX,
    MV_STORAGE_PART_FAT16,
    MV_STORAGE_PART_FAT32,
    MV_STORAGE_PART_LINUX_SWAP,
    MV_STORAGE_PART_LINUX_LVM,
    MV_STORAGE_PART_LINUX_RAID,
    MV_STORAGE_PART_EXTENDED,
    MV_STORAGE_PART_LAST
} mvStoragePartFormat;

typedef enum {
    MV_STORAGE_ENC_DEFAULT,
    MV_STORAGE_ENC_QCOW,
    MV_STORAGE_ENC_LUKS,
    MV_STORAGE_ENC_LUKS2,
    MV_STORAGE_ENC_LAST
} mvStorageEncFormat;

typedef enum {
    MV_STORAGE_ENC_ENGINE_DEFAULT,  /* absent */
    MV_STORAGE_ENC_ENGINE_QEMU,
    MV_STORAGE_ENC_ENGINE_LIBRBD,
    MV_STORAGE_ENC_ENGINE_LAST
} mvStorageEncEngine;

typedef struct {
    int format;                 /* mvStorageEncFormat */
    int engine;                 /* mvStorageEncEngine */
    bool hasSecret;
    bool secretHasUUID;
    unsigned char secretUUID[MV_UUID_BUFLEN];
    char *secretUsage;
    char *cipherName;           /* NULL: no <cipher> */
    unsigned int cipherSize;
    char *cipherMode;
    char *cipherHash;
    char *ivgenName;            /* NULL: no <ivgen> */
    char *ivgenHash;
} mvStorageEncryption;

/* A timestamp: nsec -1 means absent. */
typedef struct {
    unsigned long long sec;
    long nsec;
} mvStorageTimestamp;

typedef struct {
    char *path;
    int format;                 /* per pool type; -1 when the pool has none */
    mvStoragePerms perms;
    mvStorageTimestamp atime, btime, ctime, mtime;   /* output only */
} mvStorageVolTarget;

typedef struct _mvStorageVolDef mvStorageVolDef;
struct _mvStorageVolDef {
    char *name;
    char *key;
    int type;                   /* mvStorageVolType */
    int poolType;               /* the pool type it was parsed for */
    unsigned long long capacity;    /* bytes */
    unsigned long long allocation;
    unsigned long long physical;    /* output only */
    mvStorageVolTarget target;
    mvStorageEncryption *encryption;    /* NULL when absent */
    char *compat;
    bool nocow;                 /* parsed, never formatted (as libvirt) */
    bool lazyRefcounts;
    bool hasFeatures;
    unsigned long long clusterSize; /* bytes, 0 absent */
    bool hasBacking;
    mvStorageVolTarget backing;
};

mvStorageVolDef *mvStorageVolDefNew(void);
void mvStorageVolDefFree(mvStorageVolDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvStorageVolDef, mvStorageVolDefFree);

typedef enum {
    /* validate against the schema before anything else (libvirt's
     * VIR_STORAGE_POOL_DEFINE_VALIDATE / VIR_STORAGE_VOL_CREATE_VALIDATE) */
    MV_STORAGE_DEF_PARSE_VALIDATE = 1 << 0,
    /* keep output-only data (pool sizes, volume physical and timestamps):
     * for a driver reading back XML it wrote itself */
    MV_STORAGE_DEF_PARSE_STATE = 1 << 1,
} mvStorageDefParseFlags;

/* Names used for documents in messages, as libvirt's. */
#define MV_STORAGE_POOL_XML_NAME "(storage_pool_definition)"
#define MV_STORAGE_VOL_XML_NAME "(storage_volume_definition)"
#define MV_STORAGE_POOL_SCHEMA "storagepool.rng"
#define MV_STORAGE_VOL_SCHEMA "storagevol.rng"

/* Parses pool XML; a missing <uuid> is generated.  Returns the definition,
 * or NULL with an error reported (libvirt's codes and texts where libvirt
 * has them; VIR_ERR_XML_INVALID_SCHEMA for what only the schema refuses). */
mvStoragePoolDef *mvStoragePoolDefParse(const char *xml, unsigned int flags);
/* Same for the file @path (document named after the file). */
mvStoragePoolDef *mvStoragePoolDefParseFile(const char *path, unsigned int flags);
/* Formats @def as libvirt does (sizes in bytes).  @flags: none yet, 0. */
char *mvStoragePoolDefFormat(const mvStoragePoolDef *def, unsigned int flags);

/* Parses volume XML for a pool of type @poolType (which decides the format
 * names and the default format).  Returns the definition, or NULL with an
 * error reported. */
mvStorageVolDef *mvStorageVolDefParse(const char *xml, int poolType, unsigned int flags);
mvStorageVolDef *mvStorageVolDefParseFile(const char *path, int poolType, unsigned int flags);
/* Formats @def as libvirt does.  @flags: none yet, 0. */
char *mvStorageVolDefFormat(const mvStorageVolDef *def, unsigned int flags);

/* Converts @value scaled by @unit (NULL or "" means bytes) into bytes, as
 * libvirt does for sizes: b/byte/bytes; k,m,g,t,p,e alone or with "iB" are
 * powers of 1024, with "B" powers of 1000 (case-insensitive).  The result
 * must not exceed LLONG_MAX (the largest file size).  Returns 0 with *bytes
 * set, or -1 with VIR_ERR_XML_ERROR (malformed number), VIR_ERR_INVALID_ARG
 * ("unknown suffix") or VIR_ERR_OVERFLOW ("value too large") reported. */
int mvStorageParseScaledInt(const char *value, const char *unit, unsigned long long *bytes);

/* Enum tables: NULL / -1 when out of range or unknown (nothing reported). */
const char *mvStoragePoolTypeToString(int type);
int mvStoragePoolTypeFromString(const char *str);
const char *mvStorageVolTypeToString(int type);
int mvStorageVolTypeFromString(const char *str);
const char *mvStorageFileFormatToString(int format);
int mvStorageFileFormatFromString(const char *str);
const char *mvStoragePartFormatToString(int format);
int mvStoragePartFormatFromString(const char *str);
const char *mvStorageEncFormatToString(int format);
int mvStorageEncFormatFromString(const char *str);
/* Source format names of pools of @poolType (NULL when out of range or the
 * type has no source format). */
const char *mvStoragePoolFormatToString(int poolType, int format);
int mvStoragePoolFormatFromString(int poolType, const char *str);
