/*
 * mv_conf: reader for libvirt's configuration file syntax (libvirtd.conf,
 * virtsecretd.conf, qemu.conf, ...).
 *
 * A file is a list of `key = value` settings, one per line (or separated by
 * ';'), with `#` comments and blank lines.  A value is a string in double
 * quotes, single quotes or triple double quotes (the last may span lines;
 * like libvirt, no backslash escapes are interpreted in any form), an
 * integer with an optional sign, or a list `[ v1, v2, ... ]` that may span
 * lines and hold comments.  Booleans are the integers 0 and 1.  When a key
 * appears twice the later setting wins.
 *
 * Parsing reports VIR_ERR_CONF_SYNTAX naming the file, the line and what is
 * wrong.  The typed getters return 1 when the key is present and well typed,
 * 0 when it is absent (the output is left untouched, so callers preset the
 * default) and -1 with an error naming file, line and key when the value has
 * the wrong type or range.
 *
 * Unknown keys: libvirt silently ignores them.  modvirt keeps parsing (old
 * configs must keep working) but mvConfListUnknownKeys() lets the caller warn
 * about each one; this module itself never logs above debug.
 *
 * An mvConf is immutable after parsing and may be read from any thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* Largest configuration file accepted (libvirt's limit is about the same). */
#define MV_CONF_MAX_BYTES (10 * 1024 * 1024)

typedef struct _mvConf mvConf;

/* Reads and parses @path.  Returns NULL with an error reported when the
 * file cannot be read or has a syntax error. */
mvConf *mvConfReadFile(const char *path);
/* Parses @text; @name is used in messages in place of a file name.
 * Returns NULL with VIR_ERR_CONF_SYNTAX reported on a syntax error. */
mvConf *mvConfReadString(const char *name, const char *text);
void mvConfFree(mvConf *conf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvConf, mvConfFree);

/* The file name given at parse time. */
const char *mvConfGetName(const mvConf *conf);
/* Whether @key is set. */
bool mvConfHasKey(const mvConf *conf, const char *key);
/* The line @key is set on (the last setting), or 0 when absent. */
int mvConfGetLine(const mvConf *conf, const char *key);

/* Typed getters: 1 present, 0 absent (output untouched), -1 error. */
int mvConfGetString(const mvConf *conf, const char *key, char **value);
int mvConfGetInt(const mvConf *conf, const char *key, int *value);
int mvConfGetUInt(const mvConf *conf, const char *key, unsigned int *value);
int mvConfGetLLong(const mvConf *conf, const char *key, long long *value);
int mvConfGetULLong(const mvConf *conf, const char *key, unsigned long long *value);
/* Accepts 0 and 1 only. */
int mvConfGetBool(const mvConf *conf, const char *key, bool *value);
/* A list of strings; an empty list gives an empty (non-NULL) vector.  A
 * single string is accepted too, as a one-element list (libvirt allows this
 * for a few keys and it is what users mean). */
int mvConfGetStringList(const mvConf *conf, const char *key, char ***values);

/* The keys of @conf not named in the NULL-terminated @known, each formatted
 * "FILE:LINE: KEY", in file order; an empty vector when all are known.
 * Never fails. */
char **mvConfListUnknownKeys(const mvConf *conf, const char * const *known);
