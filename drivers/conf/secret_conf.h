/*
 * secret_conf: the object model of a secret definition (<secret> XML):
 * parse, validate, format.  No driver knowledge and no I/O: the secret
 * driver decides what a definition means for its table and its files.
 *
 * Parsing follows libvirt 9.0: the checks and messages libvirt itself makes
 * (bad yes/no values, unknown usage type, missing usage name, malformed
 * UUID) come first with libvirt's exact wording; every document is then
 * validated against schemas/secret.rng, so unknown elements, attributes or
 * repeated elements are refused instead of dropped.  With
 * MV_SECRET_DEF_PARSE_VALIDATE the schema runs first, like libvirt's
 * VIR_SECRET_DEFINE_VALIDATE.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libvirt/libvirt-secret.h>

#include "mv_uuid.h"

typedef enum {
    MV_SECRET_USAGE_NONE = VIR_SECRET_USAGE_TYPE_NONE,
    MV_SECRET_USAGE_VOLUME = VIR_SECRET_USAGE_TYPE_VOLUME,
    MV_SECRET_USAGE_CEPH = VIR_SECRET_USAGE_TYPE_CEPH,
    MV_SECRET_USAGE_ISCSI = VIR_SECRET_USAGE_TYPE_ISCSI,
    MV_SECRET_USAGE_TLS = VIR_SECRET_USAGE_TYPE_TLS,
    MV_SECRET_USAGE_VTPM = VIR_SECRET_USAGE_TYPE_VTPM,
    MV_SECRET_USAGE_LAST
} mvSecretUsageType;

/* "none", "volume", ...; NULL when @type is out of range. */
const char *mvSecretUsageTypeToString(int type);
/* The type for @str, or -1 (nothing reported). */
int mvSecretUsageTypeFromString(const char *str);

typedef struct _mvSecretDef mvSecretDef;
struct _mvSecretDef {
    unsigned char uuid[MV_UUID_BUFLEN];
    bool isephemeral;
    bool isprivate;
    char *description;          /* NULL when absent */
    int usageType;              /* mvSecretUsageType */
    char *usageID;              /* volume path / ceph, tls, vtpm name / iscsi
                                 * target; NULL for MV_SECRET_USAGE_NONE */
};

mvSecretDef *mvSecretDefNew(void);
void mvSecretDefFree(mvSecretDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvSecretDef, mvSecretDefFree);

typedef enum {
    /* validate against the schema before anything else (libvirt's
     * VIR_SECRET_DEFINE_VALIDATE) */
    MV_SECRET_DEF_PARSE_VALIDATE = 1 << 0,
} mvSecretDefParseFlags;

/* Name used for secret documents in messages. */
#define MV_SECRET_XML_NAME "(definition_of_secret)"
/* Schema file of secrets. */
#define MV_SECRET_SCHEMA "secret.rng"

/* Parses @xml; a missing <uuid> is generated.  Returns the definition, or
 * NULL with an error reported (VIR_ERR_XML_DETAIL, VIR_ERR_XML_ERROR,
 * VIR_ERR_XML_INVALID_SCHEMA, VIR_ERR_CONFIG_UNSUPPORTED or
 * VIR_ERR_INTERNAL_ERROR, with libvirt's texts where libvirt has them). */
mvSecretDef *mvSecretDefParse(const char *xml, unsigned int flags);
/* Parses the file @path the same way (document named after the file). */
mvSecretDef *mvSecretDefParseFile(const char *path, unsigned int flags);
/* Formats @def as libvirt does, byte for byte.  Never fails. */
char *mvSecretDefFormat(const mvSecretDef *def);
/* Deep copy. */
mvSecretDef *mvSecretDefCopy(const mvSecretDef *def);
/* Whether @a and @b are for the same use (same usage type and ID). */
bool mvSecretDefSameUsage(const mvSecretDef *a, const mvSecretDef *b);
