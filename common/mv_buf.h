/*
 * mv_buf: an indenting text builder for formatting XML (and other nested
 * text).  Text is appended to a GString; at the start of every line the
 * current indentation is written first, so a formatter only adjusts the
 * indent when it enters or leaves an element.  XML escaping of user values is
 * built in.  Not thread-safe: one buffer belongs to one formatter.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

typedef struct {
    GString *str;
    int indent;        /* spaces written at the start of each new line */
} mvBuf;

#define MV_BUF_INIT { NULL, 0 }

/* Appends @text (indented at line starts). */
void mvBufAdd(mvBuf *buf, const char *text);
/* Appends formatted text (indented at line starts). */
void mvBufAsprintf(mvBuf *buf, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Appends @fmt with each %s argument XML-escaped (& < > ' " become entities);
 * only %s conversions are allowed in @fmt.  Written as one piece: only its
 * first line is indented, so multi-line values keep their text.  Nothing is
 * written when @value
 * is NULL, which lets optional elements disappear. */
void mvBufEscapeString(mvBuf *buf, const char *fmt, const char *value);
/* Changes the indentation by @delta spaces (never below zero). */
void mvBufAdjustIndent(mvBuf *buf, int delta);
/* Whether anything was written. */
gboolean mvBufIsEmpty(const mvBuf *buf);
/* Returns the text (caller frees; "" when empty) and resets @buf. */
char *mvBufContentAndReset(mvBuf *buf);
/* Frees the text and resets @buf. */
void mvBufClear(mvBuf *buf);
/* Appends @text XML-escaped, with no indentation handling. */
void mvBufAddEscaped(mvBuf *buf, const char *text);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(mvBuf, mvBufClear);
