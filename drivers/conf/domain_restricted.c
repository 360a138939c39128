/*
 * domain_restricted: see domain_restricted.h.  The profile is a table of
 * rules (mvRestrictRules), one function per element family, run in the
 * order the elements appear in a formatted document.  A rule reports each
 * violation it finds with mvRestrictAdd(); host paths go through
 * mvRestrictHostPath(), which does the normalisation, the symbolic-link
 * resolution and the allowed-directory comparison.  Adding a rule is one
 * static function and one row in the table.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "domain_restricted.h"
#include "mv_error.h"

#define MV_FROM_THIS VIR_FROM_DOMAIN

typedef struct {
    GPtrArray *violations;      /* of char *, in the order found */
    GPtrArray *dirs;            /* allowed directories, normalised */
    GPtrArray *realDirs;        /* the same with symbolic links resolved */
    char *dirList;              /* "'/a', '/b'" or "(none given)" for messages */
} mvRestrictCtx;

static void mvRestrictAdd(mvRestrictCtx *ctx, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
mvRestrictAdd(mvRestrictCtx *ctx, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *what = NULL;

    va_start(ap, fmt);
    what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_ptr_array_add(ctx->violations, g_strdup_printf("restricted profile: %s", what));
}

/* ---------------------------------------------------------------------- */
/* Host paths */

/* @path (absolute) without '.', '..' and repeated '/'; '..' at the root
 * stays at the root, as the kernel resolves it. */
static char *
mvRestrictNormalise(const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    g_autoptr(GPtrArray) kept = g_ptr_array_new();
    GString *out = g_string_new("");
    size_t i;

    for (i = 0; parts[i]; i++) {
        if (!*parts[i] || strcmp(parts[i], ".") == 0)
            continue;
        if (strcmp(parts[i], "..") == 0) {
            if (kept->len)
                g_ptr_array_remove_index(kept, kept->len - 1);
            continue;
        }
        g_ptr_array_add(kept, parts[i]);
    }
    for (i = 0; i < kept->len; i++)
        g_string_append_printf(out, "/%s", (const char *)g_ptr_array_index(kept, i));
    if (!out->len)
        g_string_append_c(out, '/');
    return g_string_free(out, FALSE);
}

/* Absolute @path as the kernel would resolve it: the deepest existing
 * ancestor through realpath (so a '..' after a linked directory goes where
 * the kernel goes), the rest appended, then normalised; NULL when a link on
 * the way cannot be resolved (dangling, a loop). */
static char *
mvRestrictResolve(const char *path)
{
    g_autofree char *prefix = g_strdup(path);
    g_autoptr(GString) rest = g_string_new("");

    for (;;) {
        struct stat sb;
        char *slash;

        if (lstat(prefix, &sb) == 0) {
            g_autofree char *real = realpath(prefix, NULL);
            g_autofree char *joined = NULL;

            if (!real)
                return NULL;
            joined = g_strconcat(real, "/", rest->str, NULL);
            return mvRestrictNormalise(joined);
        }
        if (strcmp(prefix, "/") == 0)
            return mvRestrictNormalise(path);
        slash = strrchr(prefix, '/');
        g_string_prepend(rest, slash);
        if (slash == prefix)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
}

static bool
mvRestrictPathInside(const char *path, const char *dir)
{
    size_t n = strlen(dir);

    if (strcmp(dir, "/") == 0)
        return strcmp(path, "/") != 0;
    return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static bool
mvRestrictPathInsideAny(const char *path, GPtrArray *dirs)
{
    guint i;

    for (i = 0; i < dirs->len; i++) {
        if (mvRestrictPathInside(path, g_ptr_array_index(dirs, i)))
            return true;
    }
    return false;
}

/* Checks host file @path, named in messages as "@elem '@path'@ctxt". */
static void
mvRestrictHostPath(mvRestrictCtx *ctx, const char *elem, const char *path, const char *ctxt)
{
    g_autofree char *norm = NULL;
    g_autofree char *real = NULL;

    if (!path)
        return;
    if (path[0] != '/') {
        mvRestrictAdd(ctx, "%s '%s'%s is a relative path: host files must be absolute "
                      "paths inside the allowed directories %s",
                      elem, path, ctxt, ctx->dirList);
        return;
    }
    norm = mvRestrictNormalise(path);
    if (!mvRestrictPathInsideAny(norm, ctx->dirs)) {
        if (strcmp(norm, path) == 0)
            mvRestrictAdd(ctx, "%s '%s'%s is outside the allowed directories %s",
                          elem, path, ctxt, ctx->dirList);
        else
            mvRestrictAdd(ctx, "%s '%s'%s resolves to '%s', outside the allowed "
                          "directories %s", elem, path, ctxt, norm, ctx->dirList);
        return;
    }
    if (!(real = mvRestrictResolve(path))) {
        mvRestrictAdd(ctx, "%s '%s'%s goes through a symbolic link that cannot be "
                      "resolved: host files must resolve inside the allowed directories %s",
                      elem, path, ctxt, ctx->dirList);
        return;
    }
    if (!mvRestrictPathInsideAny(real, ctx->realDirs))
        mvRestrictAdd(ctx, "%s '%s'%s resolves through a symbolic link to '%s', outside "
                      "the allowed directories %s", elem, path, ctxt, real, ctx->dirList);
}

/* ---------------------------------------------------------------------- */
/* Rules, one per element family */

static void
mvRestrictCheckOS(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    mvRestrictHostPath(ctx, "<loader>", def->os.loader, "");
    mvRestrictHostPath(ctx, "<nvram>", def->os.nvram, "");
    mvRestrictHostPath(ctx, "<nvram> template", def->os.nvramTemplate, "");
    mvRestrictHostPath(ctx, "<kernel>", def->os.kernel, "");
    mvRestrictHostPath(ctx, "<initrd>", def->os.initrd, "");
    mvRestrictHostPath(ctx, "<dtb>", def->os.dtb, "");
}

static void
mvRestrictCheckEmulator(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    if (def->emulator)
        mvRestrictAdd(ctx, "<emulator> '%s' is refused: the driver chooses the emulator",
                      def->emulator);
}

/* A disk's source or one of its backing stores (element @tag). */
static void
mvRestrictStorageSource(mvRestrictCtx *ctx, const mvStorageSource *src, const char *tag,
                        const char *ctxt)
{
    g_autofree char *elem = NULL;

    for (; src; src = src->backing, tag = "backingStore") {
        switch ((mvStorageType)src->type) {
        case MV_STORAGE_FILE:
            g_free(elem);
            elem = g_strdup_printf("<%s> source", tag);
            mvRestrictHostPath(ctx, elem, src->path, ctxt);
            break;
        case MV_STORAGE_BLOCK:
            mvRestrictAdd(ctx, "<%s type='block'> source '%s'%s is refused: host block "
                          "devices are not allowed", tag, src->path ? src->path : "", ctxt);
            break;
        case MV_STORAGE_NETWORK:
            mvRestrictAdd(ctx, "<%s type='network'> source protocol '%s' name '%s'%s is "
                          "refused: network disks reach other hosts", tag,
                          src->protocol, src->name ? src->name : "", ctxt);
            break;
        case MV_STORAGE_VOLUME:
            /* goes through the storage daemon's pools */
            break;
        case MV_STORAGE_LAST:
            break;
        }
    }
}

static void
mvRestrictCheckDisks(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    guint i;

    for (i = 0; i < def->disks->len; i++) {
        const mvDomainDiskDef *disk = g_ptr_array_index(def->disks, i);
        g_autofree char *ctxt = g_strdup_printf(" (target %s)", disk->dst);

        if (disk->device == MV_DISK_DEVICE_LUN) {
            mvRestrictAdd(ctx, "<disk device='lun'>%s is refused: SCSI passthrough reaches "
                          "a host device", ctxt);
            continue;
        }
        mvRestrictStorageSource(ctx, disk->src, "disk", ctxt);
    }
}

static void
mvRestrictCheckNets(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    guint i;

    for (i = 0; i < def->nets->len; i++) {
        const mvDomainNetDef *net = g_ptr_array_index(def->nets, i);
        const unsigned char *m = net->mac;
        g_autofree char *source = NULL;

        if (net->type == MV_NET_NETWORK || net->type == MV_NET_USER)
            continue;
        source = net->source ? g_strdup_printf(" source '%s'", net->source) : g_strdup("");
        mvRestrictAdd(ctx, "<interface type='%s'>%s (mac %02x:%02x:%02x:%02x:%02x:%02x) is "
                      "refused: only interface types 'network' and 'user' are allowed",
                      mvNetTypeToString(net->type), source,
                      m[0], m[1], m[2], m[3], m[4], m[5]);
    }
}

static void
mvRestrictChrList(mvRestrictCtx *ctx, GPtrArray *list, guint first)
{
    guint i;

    for (i = first; i < list->len; i++) {
        const mvDomainChrDef *chr = g_ptr_array_index(list, i);
        const char *dev = mvChrDeviceToString(chr->deviceType);
        const char *type = mvChrTypeToString(chr->src.type);
        g_autofree char *elem = g_strdup_printf("<%s type='%s'> source", dev, type);
        g_autofree char *ctxt = NULL;

        if (chr->targetName)
            ctxt = g_strdup_printf(" (target name %s)", chr->targetName);
        else if (chr->targetPort >= 0)
            ctxt = g_strdup_printf(" (target port %d)", chr->targetPort);
        else
            ctxt = g_strdup("");
        switch ((mvChrType)chr->src.type) {
        case MV_CHR_FILE:
        case MV_CHR_UNIX:
            mvRestrictHostPath(ctx, elem, chr->src.path, ctxt);
            break;
        case MV_CHR_TCP:
            mvRestrictAdd(ctx, "%s host '%s' service '%s'%s is refused: TCP character "
                          "devices reach host and network services", elem, chr->src.host,
                          chr->src.service, ctxt);
            break;
        case MV_CHR_NULL:
        case MV_CHR_PTY:
        case MV_CHR_STDIO:
        case MV_CHR_LAST:
            break;
        }
    }
}

static void
mvRestrictCheckChrs(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    const mvDomainChrDef *con0 = def->consoles->len ? g_ptr_array_index(def->consoles, 0)
                                                    : NULL;
    /* a serial console mirrors the first serial port: report it once */
    bool mirror = con0 && def->serials->len && g_strcmp0(con0->targetType, "serial") == 0;

    mvRestrictChrList(ctx, def->serials, 0);
    mvRestrictChrList(ctx, def->parallels, 0);
    mvRestrictChrList(ctx, def->consoles, mirror ? 1 : 0);
    mvRestrictChrList(ctx, def->channels, 0);
}

static void
mvRestrictCheckGraphics(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    guint i;
    size_t j;

    for (i = 0; i < def->graphics->len; i++) {
        const mvDomainGraphicsDef *g = g_ptr_array_index(def->graphics, i);
        g_autofree char *elem = g_strdup_printf("<graphics type='%s'> listen socket",
                                                mvGraphicsTypeToString(g->type));

        for (j = 0; j < g->nlistens; j++) {
            if (g->listens[j].type == MV_GRAPHICS_LISTEN_SOCKET)
                mvRestrictHostPath(ctx, elem, g->listens[j].socket, "");
        }
    }
}

static void
mvRestrictCheckRNGs(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    guint i;

    for (i = 0; i < def->rngs->len; i++) {
        const mvDomainRNGDef *rng = g_ptr_array_index(def->rngs, i);
        g_autofree char *norm = NULL;

        if (!rng->backendPath)
            continue;
        if (rng->backendPath[0] == '/')
            norm = mvRestrictNormalise(rng->backendPath);
        if (g_strcmp0(norm, "/dev/urandom") == 0 || g_strcmp0(norm, "/dev/random") == 0)
            continue;
        mvRestrictAdd(ctx, "<rng> backend '%s' is refused: only '/dev/urandom' and "
                      "'/dev/random' are allowed", rng->backendPath);
    }
}

static void
mvRestrictCheckQemuCommandline(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    if (def->qemuArgs && def->qemuArgs[0])
        mvRestrictAdd(ctx, "<qemu:commandline> argument '%s' is refused: QEMU arguments "
                      "and environment bypass the driver and its confinement",
                      def->qemuArgs[0]);
    else if (def->nqemuEnv)
        mvRestrictAdd(ctx, "<qemu:commandline> environment '%s' is refused: QEMU arguments "
                      "and environment bypass the driver and its confinement",
                      def->qemuEnv[0].name);
}

/* Any label but a dynamic one: type='none' (or model='none') runs the
 * guest unconfined, a static label is one the third party chose (a DAC
 * '+0:+0' is root), relabel='no' leaves host files as they are. */
static void
mvRestrictCheckSecLabels(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    guint i;

    for (i = 0; def->seclabels && i < def->seclabels->len; i++) {
        const mvSecLabelDef *l = g_ptr_array_index(def->seclabels, i);
        g_autofree char *model = l->model ? g_strdup_printf(" model='%s'", l->model)
                                          : g_strdup("");

        if (l->type == MV_SECLABEL_NONE)
            mvRestrictAdd(ctx, "<seclabel type='none'%s> is refused: the guest must run "
                          "confined by the host's security drivers", model);
        else if (l->type == MV_SECLABEL_STATIC)
            mvRestrictAdd(ctx, "<seclabel type='static'%s%s> label '%s' is refused: the "
                          "security label is the host's choice, not the document's", model,
                          l->relabel ? "" : " relabel='no'", l->label ? l->label : "");
        else if (!l->relabel)
            mvRestrictAdd(ctx, "<seclabel type='%s'%s relabel='no'> is refused: the guest's "
                          "files must be relabelled for it", mvSecLabelTypeToString(l->type),
                          model);
    }
}

/* <filesystem>: the shared host directory must be allowed, and a virtiofs
 * daemon binary of the document's choosing is refused like an emulator. */
static void
mvRestrictCheckFilesystems(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    guint i;

    for (i = 0; def->filesystems && i < def->filesystems->len; i++) {
        const mvDomainFSDef *fs = g_ptr_array_index(def->filesystems, i);
        g_autofree char *ctxt = g_strdup_printf(" (target '%s')", fs->dst);

        mvRestrictHostPath(ctx, "<filesystem> source", fs->src, ctxt);
        if (fs->binaryPath)
            mvRestrictAdd(ctx, "<filesystem> binary '%s'%s is refused: the host program "
                          "that serves a filesystem is the host's choice", fs->binaryPath,
                          ctxt);
    }
}

static void
mvRestrictCheckTPMs(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    guint i;

    for (i = 0; def->tpms && i < def->tpms->len; i++) {
        const mvDomainTPMDef *tpm = g_ptr_array_index(def->tpms, i);

        if (tpm->backend == MV_TPM_BACKEND_PASSTHROUGH)
            mvRestrictAdd(ctx, "<tpm> passthrough backend '%s' is refused: the guest may not "
                          "use the host's TPM (use an emulator backend)", tpm->devicePath);
    }
}

static void
mvRestrictCheckHostdevs(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    guint i;

    for (i = 0; def->hostdevs && i < def->hostdevs->len; i++) {
        const mvDomainHostdevDef *hd = g_ptr_array_index(def->hostdevs, i);

        if (hd->type == MV_HOSTDEV_SUBSYS_PCI)
            mvRestrictAdd(ctx, "<hostdev type='pci'> %04x:%02x:%02x.%x is refused: the guest "
                          "may not attach host devices", hd->pciDomain, hd->pciBus,
                          hd->pciSlot, hd->pciFunction);
        else
            mvRestrictAdd(ctx, "<hostdev type='%s'> is refused: the guest may not attach "
                          "host devices", mvHostdevSubsysToString(hd->type));
    }
}

static void
mvRestrictCheckShmems(mvRestrictCtx *ctx, const mvDomainDef *def)
{
    guint i;

    for (i = 0; def->shmems && i < def->shmems->len; i++) {
        const mvDomainShmemDef *shm = g_ptr_array_index(def->shmems, i);

        mvRestrictAdd(ctx, "<shmem name='%s'> is refused: it shares host memory with other "
                      "guests and host processes", shm->name);
    }
}

typedef void (*mvRestrictRule)(mvRestrictCtx *ctx, const mvDomainDef *def);

/* The profile, in the order elements appear in a formatted document. */
static const mvRestrictRule mvRestrictRules[] = {
    mvRestrictCheckOS,
    mvRestrictCheckEmulator,
    mvRestrictCheckDisks,
    mvRestrictCheckFilesystems,
    mvRestrictCheckNets,
    mvRestrictCheckChrs,
    mvRestrictCheckTPMs,
    mvRestrictCheckGraphics,
    mvRestrictCheckHostdevs,
    mvRestrictCheckRNGs,
    mvRestrictCheckShmems,
    mvRestrictCheckSecLabels,
    mvRestrictCheckQemuCommandline,
};

/* ---------------------------------------------------------------------- */

static void
mvRestrictCtxClear(mvRestrictCtx *ctx)
{
    g_clear_pointer(&ctx->violations, g_ptr_array_unref);
    g_clear_pointer(&ctx->dirs, g_ptr_array_unref);
    g_clear_pointer(&ctx->realDirs, g_ptr_array_unref);
    g_clear_pointer(&ctx->dirList, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(mvRestrictCtx, mvRestrictCtxClear);

static void
mvRestrictCtxInit(mvRestrictCtx *ctx, const char * const *allowedDirs)
{
    g_autoptr(GString) list = g_string_new("");
    size_t i;

    ctx->violations = g_ptr_array_new_with_free_func(g_free);
    ctx->dirs = g_ptr_array_new_with_free_func(g_free);
    ctx->realDirs = g_ptr_array_new_with_free_func(g_free);
    for (i = 0; allowedDirs && allowedDirs[i]; i++) {
        const char *dir = allowedDirs[i];
        g_autofree char *norm = NULL;
        char *real;

        if (dir[0] != '/')
            continue;   /* can never hold an absolute path: allows nothing */
        norm = mvRestrictNormalise(dir);
        if (!(real = mvRestrictResolve(dir)))
            real = g_strdup(norm);
        g_string_append_printf(list, "%s'%s'", list->len ? ", " : "", dir);
        g_ptr_array_add(ctx->realDirs, real);
        g_ptr_array_add(ctx->dirs, g_steal_pointer(&norm));
    }
    ctx->dirList = list->len ? g_strdup(list->str) : g_strdup("(none given)");
}

GPtrArray *
mvDomainDefListRestrictedViolations(const mvDomainDef *def, const char * const *allowedDirs)
{
    g_auto(mvRestrictCtx) ctx = { 0 };
    size_t i;

    mvRestrictCtxInit(&ctx, allowedDirs);
    for (i = 0; i < G_N_ELEMENTS(mvRestrictRules); i++)
        mvRestrictRules[i](&ctx, def);
    return g_steal_pointer(&ctx.violations);
}

int
mvDomainDefCheckRestricted(const mvDomainDef *def, const char * const *allowedDirs)
{
    g_autoptr(GPtrArray) violations = mvDomainDefListRestrictedViolations(def, allowedDirs);

    if (!violations->len)
        return 0;
    mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                  (const char *)g_ptr_array_index(violations, 0));
    return -1;
}
