/*
 * secret_store: see secret_store.h.  gnutls errors are turned into modvirt
 * errors right where they are returned; plaintext only ever sits in
 * secretValue buffers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "mv_error.h"
#include "mv_fd.h"
#include "mv_file.h"
#include "mv_uuid.h"
#include "secret_store.h"

#define MV_FROM_THIS VIR_FROM_SECRET

static const unsigned char secretSealedMagic[8] = { 'M', 'V', 'S', 'E', 'C', 'R', 'T', 0 };
#define SECRET_SEALED_VERSION 1
#define SECRET_SEALED_CIPHER_AES256GCM 1
#define SECRET_SEALED_NONCE_LEN 12
#define SECRET_SEALED_AD_HEADER_LEN 12

secretValue *
secretValueNew(const void *data, size_t len)
{
    secretValue *v = g_new0(secretValue, 1);

    v->len = len;
    v->data = g_malloc0(len + 1);
    if (len && data)
        memcpy(v->data, data, len);
    return v;
}

secretValue *
secretValueCopy(const secretValue *value)
{
    return secretValueNew(value->data, value->len);
}

void
secretValueFree(secretValue *value)
{
    if (!value)
        return;
    if (value->data) {
        explicit_bzero(value->data, value->len + 1);
        g_free(value->data);
    }
    g_free(value);
}

/* Reads exactly SECRET_KEY_LEN bytes from the open key file @fd. */
static secretValue *
secretKeyRead(int fd, const char *path)
{
    g_autoptr(secretValue) key = secretValueNew(NULL, SECRET_KEY_LEN);
    struct stat st;
    size_t got = 0;

    if (fstat(fd, &st) < 0) {
        mvReportSystemError(errno, "cannot stat host key '%s'", path);
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || st.st_size != SECRET_KEY_LEN) {
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "host key '%s' is damaged: expected a file of %d bytes", path,
                      SECRET_KEY_LEN);
        return NULL;
    }
    while (got < SECRET_KEY_LEN) {
        ssize_t n = read(fd, key->data + got, SECRET_KEY_LEN - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            mvReportSystemError(errno, "cannot read host key '%s'", path);
            return NULL;
        }
        if (n == 0) {
            mvReportError(VIR_ERR_OPERATION_FAILED, "host key '%s' is truncated", path);
            return NULL;
        }
        got += n;
    }
    return g_steal_pointer(&key);
}

/* Creates the host key at @path: written to a temporary file, synced, then
 * linked into place, so a crash never leaves a partial key and an existing
 * key is never replaced.  Returns 1 with *@key set, 0 when another writer
 * created it first (load that one), or -1 with an error reported. */
static int
secretKeyCreate(const char *path, secretValue **key)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *tmp = g_strdup_printf("%s.new.XXXXXX", path);
    g_autoptr(secretValue) fresh = secretValueNew(NULL, SECRET_KEY_LEN);
    MV_AUTOCLOSE int fd = -1;
    size_t done = 0;
    int rc;

    if (mvFileMakePath(dir, 0700) < 0)
        return -1;
    if ((rc = gnutls_rnd(GNUTLS_RND_KEY, fresh->data, SECRET_KEY_LEN)) < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot generate a host key: %s",
                      gnutls_strerror(rc));
        return -1;
    }
    if ((fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600)) < 0) {
        mvReportSystemError(errno, "cannot create host key '%s'", path);
        return -1;
    }
    while (done < SECRET_KEY_LEN) {
        ssize_t n = write(fd, fresh->data + done, SECRET_KEY_LEN - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            mvReportSystemError(errno, "cannot write host key '%s'", path);
            unlink(tmp);
            return -1;
        }
        done += n;
    }
    if (fsync(fd) < 0) {
        mvReportSystemError(errno, "cannot sync host key '%s'", path);
        unlink(tmp);
        return -1;
    }
    rc = link(tmp, path);
    unlink(tmp);
    if (rc < 0 && errno == EEXIST)
        return 0;
    if (rc < 0) {
        mvReportSystemError(errno, "cannot create host key '%s'", path);
        return -1;
    }
    *key = g_steal_pointer(&fresh);
    return 1;
}

int
secretKeyLoad(const char *path, bool create, secretValue **key)
{
    MV_AUTOCLOSE int fd = -1;
    secretValue *loaded;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT) {
        int rc;

        if (!create)
            return 0;
        if ((rc = secretKeyCreate(path, key)) != 0)
            return rc;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    if (fd < 0) {
        mvReportSystemError(errno, "cannot open host key '%s'", path);
        return -1;
    }
    if (!(loaded = secretKeyRead(fd, path)))
        return -1;
    *key = loaded;
    return 1;
}

static int
secretCipherOpen(const secretValue *key, gnutls_aead_cipher_hd_t *h)
{
    gnutls_datum_t k = { .data = key->data, .size = (unsigned int)key->len };
    int rc;

    if ((rc = gnutls_aead_cipher_init(h, GNUTLS_CIPHER_AES_256_GCM, &k)) < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot set up AES-256-GCM: %s",
                      gnutls_strerror(rc));
        return -1;
    }
    return 0;
}

/* Associated data: the 12 header bytes followed by the UUID. */
static void
secretSealedAD(const unsigned char *header, const unsigned char *uuid, unsigned char *ad)
{
    memcpy(ad, header, SECRET_SEALED_AD_HEADER_LEN);
    memcpy(ad + SECRET_SEALED_AD_HEADER_LEN, uuid, MV_UUID_BUFLEN);
}

GBytes *
secretValueSeal(const secretValue *key, const unsigned char *uuid, const secretValue *value)
{
    gnutls_aead_cipher_hd_t h = NULL;
    size_t total = SECRET_SEALED_HEADER_LEN + value->len + SECRET_SEALED_TAG_LEN;
    g_autofree unsigned char *out = g_malloc0(total);
    unsigned char ad[SECRET_SEALED_AD_HEADER_LEN + MV_UUID_BUFLEN];
    size_t clen = value->len + SECRET_SEALED_TAG_LEN;
    int rc;

    g_assert(value->len <= SECRET_VALUE_MAX);
    memcpy(out, secretSealedMagic, sizeof(secretSealedMagic));
    out[8] = SECRET_SEALED_VERSION;
    out[9] = SECRET_SEALED_CIPHER_AES256GCM;
    if ((rc = gnutls_rnd(GNUTLS_RND_NONCE, out + 12, SECRET_SEALED_NONCE_LEN)) < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot generate a nonce: %s",
                      gnutls_strerror(rc));
        return NULL;
    }
    secretSealedAD(out, uuid, ad);
    if (secretCipherOpen(key, &h) < 0)
        return NULL;
    rc = gnutls_aead_cipher_encrypt(h, out + 12, SECRET_SEALED_NONCE_LEN, ad, sizeof(ad),
                                    SECRET_SEALED_TAG_LEN, value->data, value->len,
                                    out + SECRET_SEALED_HEADER_LEN, &clen);
    gnutls_aead_cipher_deinit(h);
    if (rc < 0 || clen != value->len + SECRET_SEALED_TAG_LEN) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot encrypt secret value: %s",
                      rc < 0 ? gnutls_strerror(rc) : "unexpected output length");
        return NULL;
    }
    return g_bytes_new_take(g_steal_pointer(&out), total);
}

secretValue *
secretValueUnseal(const secretValue *key, const unsigned char *uuid, GBytes *sealed,
                  const char *path)
{
    gnutls_aead_cipher_hd_t h = NULL;
    gsize total = 0;
    const unsigned char *in = g_bytes_get_data(sealed, &total);
    unsigned char ad[SECRET_SEALED_AD_HEADER_LEN + MV_UUID_BUFLEN];
    char uuidstr[MV_UUID_STRING_BUFLEN];
    g_autoptr(secretValue) value = NULL;
    size_t clen, plen;
    int rc;

    mvUUIDFormat(uuid, uuidstr);
    if (total < SECRET_SEALED_HEADER_LEN + SECRET_SEALED_TAG_LEN ||
        total > SECRET_SEALED_MAX ||
        memcmp(in, secretSealedMagic, sizeof(secretSealedMagic)) != 0) {
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "value file '%s' of secret '%s' is corrupted: not a modvirt sealed value",
                      path, uuidstr);
        return NULL;
    }
    if (in[8] != SECRET_SEALED_VERSION || in[9] != SECRET_SEALED_CIPHER_AES256GCM) {
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "value file '%s' of secret '%s' uses unknown format %u/%u",
                      path, uuidstr, in[8], in[9]);
        return NULL;
    }
    clen = total - SECRET_SEALED_HEADER_LEN;
    plen = clen - SECRET_SEALED_TAG_LEN;
    value = secretValueNew(NULL, plen);
    secretSealedAD(in, uuid, ad);
    if (secretCipherOpen(key, &h) < 0)
        return NULL;
    rc = gnutls_aead_cipher_decrypt(h, in + 12, SECRET_SEALED_NONCE_LEN, ad, sizeof(ad),
                                    SECRET_SEALED_TAG_LEN, in + SECRET_SEALED_HEADER_LEN, clen,
                                    value->data, &plen);
    gnutls_aead_cipher_deinit(h);
    if (rc < 0) {
        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "cannot decrypt value file '%s' of secret '%s': it was sealed with "
                      "another host key or is corrupted",
                      path, uuidstr);
        return NULL;
    }
    value->len = plen;
    return g_steal_pointer(&value);
}
