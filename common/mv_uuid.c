/*
 * mv_uuid: see mv_uuid.h.  Random bytes come from getrandom().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "mv_uuid.h"

void
mvUUIDGenerate(unsigned char *uuid)
{
    size_t got = 0;

    while (got < MV_UUID_BUFLEN) {
        ssize_t n = getrandom(uuid + got, MV_UUID_BUFLEN - got, 0);
        if (n > 0)
            got += n;
    }
    uuid[6] = (uuid[6] & 0x0f) | 0x40;
    uuid[8] = (uuid[8] & 0x3f) | 0x80;
}

int
mvUUIDParse(const char *str, unsigned char *uuid)
{
    unsigned char out[MV_UUID_BUFLEN];
    const char *p = str;
    size_t i;

    if (!str)
        return -1;
    while (g_ascii_isspace(*p))
        p++;
    for (i = 0; i < MV_UUID_BUFLEN; i++) {
        int hi, lo;

        if (*p == '-')
            p++;
        hi = g_ascii_xdigit_value(p[0]);
        if (hi < 0)
            return -1;
        lo = g_ascii_xdigit_value(p[1]);
        if (lo < 0)
            return -1;
        out[i] = (hi << 4) | lo;
        p += 2;
    }
    while (g_ascii_isspace(*p))
        p++;
    if (*p)
        return -1;
    memcpy(uuid, out, MV_UUID_BUFLEN);
    return 0;
}

char *
mvUUIDFormat(const unsigned char *u, char *buf)
{
    snprintf(buf, MV_UUID_STRING_BUFLEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
             u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
    return buf;
}

bool
mvUUIDIsValidString(const char *str)
{
    unsigned char tmp[MV_UUID_BUFLEN];

    return mvUUIDParse(str, tmp) == 0;
}

guint
mvUUIDHash(gconstpointer uuid)
{
    const unsigned char *u = uuid;
    guint h = 0;

    for (size_t i = 0; i < MV_UUID_BUFLEN; i++)
        h = h * 31 + u[i];
    return h;
}

gboolean
mvUUIDEqual(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, MV_UUID_BUFLEN) == 0;
}
