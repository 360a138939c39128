/*
 * mv_enum: see mv_enum.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_enum.h"

const char *
mvEnumToString(const char * const *table, size_t n, int value)
{
    if (value < 0 || (size_t)value >= n)
        return NULL;
    return table[value];
}

int
mvEnumFromString(const char * const *table, size_t n, const char *str)
{
    size_t i;

    for (i = 0; str && i < n; i++) {
        if (table[i] && strcmp(table[i], str) == 0)
            return (int)i;
    }
    return -1;
}

const char * const mvTristateNames[MV_TRISTATE_LAST] = { "absent", "yes", "no" };
MV_ENUM_IMPL_TABLE(mvTristate, mvTristateNames)
