/*
 * mv_uuid: 16-byte UUIDs and their 36-character text form.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>

#define MV_UUID_BUFLEN 16
#define MV_UUID_STRING_BUFLEN 37

/* Fills @uuid with a random (version 4) UUID. */
void mvUUIDGenerate(unsigned char *uuid);
/* Parses the text form (dashes optional between hex pairs, as libvirt
 * accepts); returns 0, or -1 without reporting when @str is not a UUID. */
int mvUUIDParse(const char *str, unsigned char *uuid);
/* Writes the canonical lower-case form into @buf and returns @buf. */
char *mvUUIDFormat(const unsigned char *uuid, char *buf);
bool mvUUIDIsValidString(const char *str);

/* GHashTable functions for raw 16-byte UUID keys. */
guint mvUUIDHash(gconstpointer uuid);
gboolean mvUUIDEqual(gconstpointer a, gconstpointer b);
