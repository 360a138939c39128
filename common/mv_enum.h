/*
 * mv_enum: enum <-> string tables, one pattern for every XML kind.
 *
 * A header declares the lookups with MV_ENUM_DECL(name); the .c file defines
 * the table, a compile-time check that it has one string per value up to
 * the enum's _LAST, and both lookups with MV_ENUM_IMPL(name, LAST, ...).
 * Lookups never report: out of range gives NULL, an unknown string -1.
 * A table may have NULL holes for values that have no string.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stddef.h>

const char *mvEnumToString(const char * const *table, size_t n, int value);
int mvEnumFromString(const char * const *table, size_t n, const char *str);

#define MV_ENUM_DECL(name) \
    const char *name##ToString(int value); \
    int name##FromString(const char *str)

/* Lookups over an existing table (whose size check stands beside it). */
#define MV_ENUM_IMPL_TABLE(name, table) \
    const char * \
    name##ToString(int value) \
    { \
        return mvEnumToString(table, G_N_ELEMENTS(table), value); \
    } \
    int \
    name##FromString(const char *str) \
    { \
        return mvEnumFromString(table, G_N_ELEMENTS(table), str); \
    }

/* The table, its size check against @last, and both lookups. */
#define MV_ENUM_IMPL(name, last, ...) \
    static const char * const name##Names[] = { __VA_ARGS__ }; \
    G_STATIC_ASSERT(G_N_ELEMENTS(name##Names) == last); \
    MV_ENUM_IMPL_TABLE(name, name##Names)

/* libvirt's tristate for yes/no (or on/off) attributes that may be absent;
 * the strings are "absent", "yes", "no". */
typedef enum {
    MV_TRISTATE_ABSENT = 0,
    MV_TRISTATE_YES,        /* "yes" / "on" */
    MV_TRISTATE_NO,         /* "no" / "off" */
    MV_TRISTATE_LAST
} mvTristate;
MV_ENUM_DECL(mvTristate);
/* The table itself, for code that reads attributes through tables. */
extern const char * const mvTristateNames[MV_TRISTATE_LAST];
