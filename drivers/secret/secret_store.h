/*
 * secret_store: secret values at rest and in memory.
 *
 * In memory a value lives in a secretValue, whose free wipes the bytes
 * (explicit_bzero) and which is never logged.  On disk a persistent secret's
 * value is sealed with AES-256-GCM under a per-host key of 32 random bytes
 * kept in <stateDir>/secrets/master.key (0600, directory 0700), which lives
 * apart from the config dir so a copied config dir reveals nothing.
 *
 * Sealed file layout (all in one file, <configDir>/secrets/<UUID>.value):
 *
 *   offset  size  field
 *   0       8     magic "MVSECRT\0"
 *   8       1     format version (1)
 *   9       1     cipher (1 = AES-256-GCM)
 *   10      2     reserved, zero
 *   12      12    nonce (random per write)
 *   24      n     ciphertext of the value
 *   24+n    16    GCM tag
 *
 * The 12 header bytes and the secret's 16-byte UUID are the associated
 * data, so a value file cannot be swapped onto another secret.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* Largest secret value (REMOTE_SECRET_VALUE_MAX). */
#define SECRET_VALUE_MAX 65536
/* Length of the host key. */
#define SECRET_KEY_LEN 32
/* Fixed bytes of a sealed file around the ciphertext. */
#define SECRET_SEALED_HEADER_LEN 24
#define SECRET_SEALED_TAG_LEN 16
/* Largest sealed file accepted when reading. */
#define SECRET_SEALED_MAX (SECRET_SEALED_HEADER_LEN + SECRET_VALUE_MAX + SECRET_SEALED_TAG_LEN)

typedef struct _secretValue secretValue;
struct _secretValue {
    size_t len;
    unsigned char *data;   /* len bytes (plus a wiped NUL), never logged */
};

/* A copy of @len bytes of @data. */
secretValue *secretValueNew(const void *data, size_t len);
secretValue *secretValueCopy(const secretValue *value);
/* Wipes and frees; NULL-safe. */
void secretValueFree(secretValue *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(secretValue, secretValueFree);

/* Loads the host key at @path.  When the file does not exist: with @create
 * it is made (parent 0700, file 0600, O_EXCL) from gnutls_rnd, otherwise 0
 * is returned.  Returns 1 with *key set, 0 (absent), or -1 with an error. */
int secretKeyLoad(const char *path, bool create, secretValue **key);

/* Seals @value for the secret @uuid.  Returns the file content, or NULL
 * with an error reported. */
GBytes *secretValueSeal(const secretValue *key, const unsigned char *uuid,
                        const secretValue *value);
/* Opens @sealed (read from @path, named in messages) for the secret @uuid.
 * Returns the value, or NULL with VIR_ERR_OPERATION_FAILED reported when
 * the file is damaged or was sealed under another key. */
secretValue *secretValueUnseal(const secretValue *key, const unsigned char *uuid,
                               GBytes *sealed, const char *path);
