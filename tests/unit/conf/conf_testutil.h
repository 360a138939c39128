/*
 * Shared machinery of the XML object model unit tests (tests/unit/conf):
 * reading files of a test data directory, comparing output with an
 * expected file (or rewriting it under MODVIRT_TEST_REGENERATE=1), the
 * invalid.txt index of refused documents (file|code|domain|message
 * substring, one a line, '#' comments) and the check that every file of
 * the data directory is used by some case.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>

#include <glib.h>

/* One line of invalid.txt. */
typedef struct {
    char *file;
    int code;
    int domain;
    char *substring;
} confTestInvalidCase;

/* confTestLoadInvalid flags */
enum {
    /* "\n" in a substring stands for a newline */
    CONF_TEST_INDEX_UNESCAPE = 1 << 0,
};

/* Sets the data directory every other call reads; call first in main. */
void
confTestSetDataDir(const char *dir);

char *
confTestDataPath(const char *name);

/* The whole file @name of the data directory; aborts the test if unreadable. */
char *
confTestReadData(const char *name);

/* Compares @got with the file @outName of the data directory, rewriting it
 * first under MODVIRT_TEST_REGENERATE; returns the expected text. */
char *
confTestExpect(const char *outName, const char *got);

/* Parses @xml (called @name in messages) with @flags and formats it again;
 * aborts the test when parsing fails. */
typedef char *(*confTestParseFormatFunc)(const char *name, const char *xml, unsigned int flags);

/* The data file @name comes back byte for byte, with flags 0 and with
 * @validateFlags. */
void
confTestFixedPoint(const char *name, confTestParseFormatFunc fn, unsigned int validateFlags);

/* BASE-in.xml formats to BASE-out.xml (see confTestExpect), which is a
 * fixed point under @validateFlags. */
void
confTestGoldenPair(const char *base, confTestParseFormatFunc fn, unsigned int validateFlags);

/* The cases of invalid.txt, as confTestInvalidCase elements. */
GPtrArray *
confTestLoadInvalid(unsigned int flags);

/* Registers @func once per case under PREFIX/FILE, the case as data. */
void
confTestAddInvalid(const GPtrArray *cases, const char *prefix, GTestDataFunc func);

/* Checks that the last error matches @c (code, domain, message substring). */
void
confTestCheckError(const confTestInvalidCase *c);

/* Scans the data directory in name order and registers @roundTrip with
 * BASE under ROUNDTRIPPREFIX/BASE for each BASE-in.xml and, when
 * @fixedPoint is set, @fixedPoint with NAME under LIBVIRTPREFIX/NAME for
 * each NAME-libvirt.xml.  Returns the data strings, to be freed after
 * g_test_run(). */
GPtrArray *
confTestAddGolden(const char *roundTripPrefix, GTestDataFunc roundTrip,
                  const char *libvirtPrefix, GTestDataFunc fixedPoint);

/* What counts as used for confTestDataAllUsed.  Besides invalid.txt and
 * the files of @cases:
 *  - with @golden: exactly BASE-in.xml and BASE-out.xml of its bases;
 *  - without: every -in.xml, and each -out.xml whose -in.xml exists;
 *  - files named in @extra, or ending in one of @suffixes (NULL-terminated);
 *  - directories, when @skipDirs. */
typedef struct {
    const GPtrArray *cases;
    const char * const *golden;
    size_t ngolden;
    const char * const *extra;
    const char * const *suffixes;
    bool skipDirs;
} confTestDataUse;

/* Test function: every file of the data directory is used (data is a
 * confTestDataUse). */
void
confTestDataAllUsed(gconstpointer opaque);
