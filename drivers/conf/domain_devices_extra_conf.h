/*
 * domain_devices_extra_conf: the object model of the domain devices that
 * attach host resources or less common guest hardware: <hostdev> (PCI and
 * USB subsystem devices), <filesystem> (mount: 9p and virtiofs), <tpm>,
 * <sound>, <shmem> and <vsock>.
 * domain_conf.h includes this header, so users of mvDomainDef see these
 * types; the parse and format entry points are in domain_conf_priv.h and
 * are called from domain_devices_conf.c's device dispatch.
 *
 * Objects are plain data owned by the mvDomainDef arrays that hold them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "domain_conf.h"

/* ---- host devices ---- */
typedef enum {
    MV_HOSTDEV_SUBSYS_PCI,
    MV_HOSTDEV_SUBSYS_USB,
    MV_HOSTDEV_SUBSYS_LAST
} mvHostdevSubsysType;
MV_ENUM_DECL(mvHostdevSubsys);

typedef struct {
    int type;                   /* mvHostdevSubsysType (mode is always subsystem) */
    bool managed;
    char *driverName;           /* <driver name>: kvm, vfio, xen; NULL when absent */
    /* pci: <source><address domain bus slot function/> */
    unsigned int pciDomain, pciBus, pciSlot, pciFunction;
    /* usb */
    char *startupPolicy;        /* mandatory, requisite, optional; NULL when absent */
    bool hasVendor;             /* <vendor id/> and <product id/> */
    unsigned int vendor, product;
    bool hasUSBAddress;         /* <address bus device/> */
    unsigned int usbBus, usbDevice;
    /* <rom> (pci) */
    int romBar;                 /* mvTristate, on/off */
    int romEnabled;             /* mvTristate, yes/no */
    char *romFile;
    mvDomainDeviceInfo info;
} mvDomainHostdevDef;

/* ---- filesystems ---- */
typedef enum {
    MV_FS_ACCESS_PASSTHROUGH,
    MV_FS_ACCESS_MAPPED,
    MV_FS_ACCESS_SQUASH,
    MV_FS_ACCESS_LAST
} mvFSAccessMode;
MV_ENUM_DECL(mvFSAccessMode);

typedef enum {
    MV_FS_DRIVER_DEFAULT,
    MV_FS_DRIVER_PATH,
    MV_FS_DRIVER_HANDLE,
    MV_FS_DRIVER_LOOP,
    MV_FS_DRIVER_NBD,
    MV_FS_DRIVER_PLOOP,
    MV_FS_DRIVER_VIRTIOFS,
    MV_FS_DRIVER_LAST
} mvFSDriverType;
MV_ENUM_DECL(mvFSDriver);

typedef struct {
    int accessmode;             /* mvFSAccessMode */
    int driverType;             /* mvFSDriverType */
    unsigned int queue;         /* <driver queue>, 0 when absent */
    /* <binary> (virtiofs only) */
    char *binaryPath;
    int binaryXattr;            /* mvTristate, on/off */
    char *cacheMode;            /* <cache mode>: none, always; NULL when absent */
    int lockPosix, lockFlock;   /* mvTristate, on/off */
    char *src;                  /* <source dir> on the host */
    char *dst;                  /* <target dir>: the mount tag */
    bool readonly;
    mvDomainDeviceInfo info;
} mvDomainFSDef;

/* ---- TPM ---- */
typedef enum {
    MV_TPM_MODEL_TIS,
    MV_TPM_MODEL_CRB,
    MV_TPM_MODEL_SPAPR,
    MV_TPM_MODEL_LAST
} mvTPMModel;
MV_ENUM_DECL(mvTPMModel);

typedef enum {
    MV_TPM_BACKEND_PASSTHROUGH,
    MV_TPM_BACKEND_EMULATOR,
    MV_TPM_BACKEND_LAST
} mvTPMBackendType;
MV_ENUM_DECL(mvTPMBackend);

typedef struct {
    int model;                  /* mvTPMModel, -1 when absent */
    int backend;                /* mvTPMBackendType */
    char *devicePath;           /* passthrough: <device path>, /dev/tpm0 by default */
    char *version;              /* emulator: 1.2, 2.0; NULL when absent */
    bool persistentState;       /* emulator */
    bool hasSecret;             /* emulator: <encryption secret> */
    unsigned char secret[MV_UUID_BUFLEN];
    mvDomainDeviceInfo info;
} mvDomainTPMDef;

/* ---- sound ---- */
typedef enum {
    MV_SOUND_MODEL_SB16,
    MV_SOUND_MODEL_ES1370,
    MV_SOUND_MODEL_PCSPK,
    MV_SOUND_MODEL_AC97,
    MV_SOUND_MODEL_ICH6,
    MV_SOUND_MODEL_ICH9,
    MV_SOUND_MODEL_USB,
    MV_SOUND_MODEL_ICH7,
    MV_SOUND_MODEL_LAST
} mvSoundModel;
MV_ENUM_DECL(mvSoundModel);

typedef enum {
    MV_SOUND_CODEC_DUPLEX,
    MV_SOUND_CODEC_MICRO,
    MV_SOUND_CODEC_OUTPUT,
    MV_SOUND_CODEC_LAST
} mvSoundCodecType;
MV_ENUM_DECL(mvSoundCodec);

typedef struct {
    int model;                  /* mvSoundModel */
    int *codecs;                /* mvSoundCodecType each (ich6 and ich9 only) */
    size_t ncodecs;
    unsigned int audioId;       /* <audio id>, 0 when absent */
    mvDomainDeviceInfo info;
} mvDomainSoundDef;

/* ---- shared memory ---- */
typedef enum {
    MV_SHMEM_MODEL_IVSHMEM,
    MV_SHMEM_MODEL_IVSHMEM_PLAIN,
    MV_SHMEM_MODEL_IVSHMEM_DOORBELL,
    MV_SHMEM_MODEL_LAST
} mvShmemModel;
MV_ENUM_DECL(mvShmemModel);

typedef struct {
    char *name;
    char *role;                 /* master, peer; NULL when absent */
    int model;                  /* mvShmemModel */
    unsigned long long size;    /* bytes, 0 when absent */
    bool server;                /* <server> present */
    char *serverPath;           /* its path, NULL when absent */
    bool msi;                   /* <msi> present (or implied by a doorbell) */
    unsigned int msiVectors;    /* 0 when absent */
    int msiIoeventfd;           /* mvTristate, on/off */
    mvDomainDeviceInfo info;
} mvDomainShmemDef;

/* ---- vsock ---- */
typedef enum {
    MV_VSOCK_MODEL_VIRTIO,
    MV_VSOCK_MODEL_VIRTIO_TRANSITIONAL,
    MV_VSOCK_MODEL_VIRTIO_NON_TRANSITIONAL,
    MV_VSOCK_MODEL_LAST
} mvVsockModel;
MV_ENUM_DECL(mvVsockModel);

typedef struct {
    int model;                  /* mvVsockModel */
    int autoCid;                /* mvTristate, yes/no: set after parsing */
    unsigned int cid;           /* guest CID, 0 when none (then >= 3) */
    mvDomainDeviceInfo info;
} mvDomainVsockDef;
