/*
 * qemu_secrets: fetching the passphrases of encrypted disks from
 * virtsecretd and writing them where QEMU reads them.  See qemu_secrets.h.
 *
 * Every failure names the domain and the disk and says what to do: the
 * secret daemon cannot be reached, it has no such secret, the secret has
 * no value or is of the wrong kind.  Whatever was written before a failure
 * is removed again, and every copy of a value in memory is wiped before it
 * is freed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client_driver.h"
#include "mv_error.h"
#include "mv_fd.h"
#include "mv_log.h"
#include "mv_uuid.h"
#include "qemu_command.h"
#include "qemu_secrets.h"
#include "secret_conf.h"

#define MV_FROM_THIS VIR_FROM_QEMU

MV_LOG_INIT("qemu.secrets");

/* The daemon a secret URI reaches, for messages. */
#define QEMU_SECRETS_DAEMON "virtsecretd"

/* Wipes and frees @len bytes at @p (NULL is fine). */
static void
qemuSecretsWipe(void *p, size_t len)
{
    if (!p)
        return;
    explicit_bzero(p, len);
    g_free(p);
}

/* The message of the error the last call left ("unknown error" when none). */
static char *
qemuSecretsLastMessage(int *code)
{
    virErrorPtr err = mvErrorGetLast();

    *code = err && err->code ? err->code : VIR_ERR_OPERATION_FAILED;
    return g_strdup(err && err->message ? err->message : "unknown error");
}

static bool
qemuSecretsDiskEncrypted(const mvDomainDiskDef *d)
{
    const mvStorageSource *s = d->src;

    return s && s->hasEncryption &&
           (s->path || s->type == MV_STORAGE_NETWORK || s->type == MV_STORAGE_VOLUME);
}

static virConnectPtr
qemuSecretsConnect(const mvDomainDef *live, const mvDomainDiskDef *d, const char *uri)
{
    char uuid[MV_UUID_STRING_BUFLEN];
    g_autofree char *detail = NULL;
    virConnectPtr conn;
    int code;

    MV_DEBUG("domain '%s': opening '%s' for the secret of disk '%s'", live->name, uri, d->dst);
    if ((conn = mvConnectOpenSecondary(uri, 0)))
        return conn;
    detail = qemuSecretsLastMessage(&code);
    mvErrorReset();
    mvReportError(code,
                  "cannot start domain '%s': disk %s needs secret %s from %s, which cannot "
                  "be reached: %s (is %s running?)",
                  live->name, d->dst, mvUUIDFormat(d->src->encSecretUUID, uuid),
                  QEMU_SECRETS_DAEMON, detail, QEMU_SECRETS_DAEMON);
    return NULL;
}

/* The value of the secret of disk @d, base64-encoded (NUL-terminated;
 * wipe and free it), or NULL with an error reported. */
static char *
qemuSecretsFetch(virConnectPtr conn, const mvDomainDef *live, const mvDomainDiskDef *d)
{
    char uuid[MV_UUID_STRING_BUFLEN];
    g_autofree char *detail = NULL;
    virSecretPtr secret;
    unsigned char *value;
    size_t size = 0;
    char *b64;
    int usage;
    int code;

    mvUUIDFormat(d->src->encSecretUUID, uuid);
    if (!(secret = virSecretLookupByUUID(conn, d->src->encSecretUUID))) {
        detail = qemuSecretsLastMessage(&code);
        mvErrorReset();
        if (code == VIR_ERR_NO_SECRET)
            mvReportError(VIR_ERR_NO_SECRET,
                          "cannot start domain '%s': disk %s needs secret %s, which %s does "
                          "not have; define it (virsh secret-define) and set its value "
                          "(virsh secret-set-value)",
                          live->name, d->dst, uuid, QEMU_SECRETS_DAEMON);
        else
            mvReportError(code, "cannot start domain '%s': looking up secret %s of disk %s "
                          "in %s failed: %s", live->name, uuid, d->dst, QEMU_SECRETS_DAEMON,
                          detail);
        return NULL;
    }
    if ((usage = virSecretGetUsageType(secret)) != VIR_SECRET_USAGE_TYPE_VOLUME) {
        const char *name = mvSecretUsageTypeToString(usage);

        /* (a public API: it clears the thread's error, so it goes first) */
        virSecretFree(secret);
        /* libvirt accepts only volume secrets for disk encryption */
        mvReportError(VIR_ERR_INVALID_ARG,
                      "cannot start domain '%s': secret %s of disk %s has usage type '%s', "
                      "but disk encryption needs a secret with <usage type='volume'>",
                      live->name, uuid, d->dst, name ? name : "unknown");
        return NULL;
    }
    value = mvSecretGetValueInternal(secret, &size);
    if (!value)
        detail = qemuSecretsLastMessage(&code);
    /* a public API: it clears the thread's error */
    virSecretFree(secret);
    if (!value) {
        mvErrorReset();
        if (code == VIR_ERR_NO_SECRET)
            mvReportError(VIR_ERR_NO_SECRET,
                          "cannot start domain '%s': secret %s of disk %s has no value; set "
                          "the LUKS passphrase with virsh secret-set-value",
                          live->name, uuid, d->dst);
        else if (code == VIR_ERR_INVALID_SECRET)
            mvReportError(VIR_ERR_INVALID_SECRET,
                          "cannot start domain '%s': %s refuses to give the value of secret "
                          "%s of disk %s to virtqemud: %s (run virtqemud and virtsecretd "
                          "from the same installation or build)",
                          live->name, QEMU_SECRETS_DAEMON, uuid, d->dst, detail);
        else
            mvReportError(code, "cannot start domain '%s': fetching the value of secret %s "
                          "of disk %s from %s failed: %s", live->name, uuid, d->dst,
                          QEMU_SECRETS_DAEMON, detail);
        return NULL;
    }
    if (size == 0) {
        qemuSecretsWipe(value, size);
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "cannot start domain '%s': secret %s of disk %s has an empty value; set "
                      "the LUKS passphrase with virsh secret-set-value", live->name, uuid,
                      d->dst);
        return NULL;
    }
    b64 = g_base64_encode(value, size);
    qemuSecretsWipe(value, size);
    return b64;
}

/* Creates @path (mode 0600, never through a link or over another file) with
 * @len bytes of @data.  Returns 0 or -1 (reported, nothing left). */
static int
qemuSecretsWriteFile(const char *path, const char *data, size_t len)
{
    MV_AUTOCLOSE int fd = -1;
    size_t done = 0;

    /* a file of an earlier start the daemon could not remove (it was killed) */
    if (unlink(path) < 0 && errno != ENOENT) {
        mvReportSystemError(errno, "cannot remove the stale secret file '%s'", path);
        return -1;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) {
        mvReportSystemError(errno, "cannot create the secret file '%s'", path);
        return -1;
    }
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            mvReportSystemError(n < 0 ? errno : EIO, "cannot write the secret file '%s'", path);
            unlink(path);
            return -1;
        }
        done += (size_t)n;
    }
    if (close(fd) < 0) {
        fd = -1;
        mvReportSystemError(errno, "cannot write the secret file '%s'", path);
        unlink(path);
        return -1;
    }
    fd = -1;
    return 0;
}

int
qemuSecretsPrepare(const mvDomainDef *live, const char *secretURI, const char *dir,
                   GPtrArray **files)
{
    GPtrArray *written = NULL;
    virConnectPtr conn = NULL;

    *files = NULL;
    for (guint i = 0; i < live->disks->len; i++) {
        const mvDomainDiskDef *d = g_ptr_array_index(live->disks, i);
        g_autofree char *path = NULL;
        char *b64;
        size_t len;
        int rc;

        if (!qemuSecretsDiskEncrypted(d))
            continue;
        if (!d->src->encSecretType) {
            mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                          "cannot start domain '%s': the <encryption> of disk %s names no "
                          "secret; add <secret type='passphrase' uuid='...'/> to it",
                          live->name, d->dst);
            goto error;
        }
        if (!conn && !(conn = qemuSecretsConnect(live, d, secretURI)))
            goto error;
        if (!(b64 = qemuSecretsFetch(conn, live, d)))
            goto error;
        path = mvQemuDiskSecretPath(live, d, dir);
        len = strlen(b64);
        rc = qemuSecretsWriteFile(path, b64, len);
        qemuSecretsWipe(b64, len);
        if (rc < 0)
            goto error;
        if (!written)
            written = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(written, g_steal_pointer(&path));
    }
    if (conn)
        virConnectClose(conn);
    *files = written;
    return 0;

 error:
    {
        g_autoptr(mvErrorSaved) saved = mvErrorSave();

        if (conn)
            virConnectClose(conn);
        qemuSecretsCleanup(written);
        mvErrorRestore(&saved);
    }
    return -1;
}

void
qemuSecretsCleanup(GPtrArray *files)
{
    if (!files)
        return;
    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index(files, i);

        if (unlink(path) < 0 && errno != ENOENT)
            MV_WARN("cannot remove the secret file '%s': %s", path, g_strerror(errno));
    }
    g_ptr_array_unref(files);
}
