/*
 * mv_buf: see mv_buf.h.  Indentation is applied lazily: whenever a write
 * starts a new line (the buffer is empty or ends in '\n'), the indent is
 * emitted before the first character of that line.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_buf.h"

static void
mvBufEnsure(mvBuf *buf)
{
    if (!buf->str)
        buf->str = g_string_new(NULL);
}

/* Appends raw @len bytes of @text, indenting every line start. */
static void
mvBufAppendIndented(mvBuf *buf, const char *text, size_t len)
{
    size_t i = 0;

    mvBufEnsure(buf);
    while (i < len) {
        const char *nl;
        size_t chunk;

        if ((buf->str->len == 0 || buf->str->str[buf->str->len - 1] == '\n') &&
            text[i] != '\n') {
            int n;

            for (n = 0; n < buf->indent; n++)
                g_string_append_c(buf->str, ' ');
        }
        nl = memchr(text + i, '\n', len - i);
        chunk = nl ? (size_t)(nl - (text + i)) + 1 : len - i;
        g_string_append_len(buf->str, text + i, chunk);
        i += chunk;
    }
}

void
mvBufAdd(mvBuf *buf, const char *text)
{
    if (text)
        mvBufAppendIndented(buf, text, strlen(text));
}

void
mvBufAsprintf(mvBuf *buf, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *text = NULL;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    mvBufAdd(buf, text);
}

void
mvBufAddEscaped(mvBuf *buf, const char *text)
{
    const char *p;

    mvBufEnsure(buf);
    for (p = text; p && *p; p++) {
        switch (*p) {
        case '&':
            g_string_append(buf->str, "&amp;");
            break;
        case '<':
            g_string_append(buf->str, "&lt;");
            break;
        case '>':
            g_string_append(buf->str, "&gt;");
            break;
        case '\'':
            g_string_append(buf->str, "&apos;");
            break;
        case '"':
            g_string_append(buf->str, "&quot;");
            break;
        default:
            g_string_append_c(buf->str, *p);
            break;
        }
    }
}

void
mvBufEscapeString(mvBuf *buf, const char *fmt, const char *value)
{
    g_auto(mvBuf) tmp = MV_BUF_INIT;
    const char *p = fmt;
    int n;

    if (!value)
        return;
    /* Built aside, then written as one piece: like any single add, only its
     * first line is indented, so multi-line values come out unchanged. */
    mvBufEnsure(&tmp);
    while (*p) {
        const char *conv = strstr(p, "%s");

        if (!conv) {
            g_string_append(tmp.str, p);
            break;
        }
        g_string_append_len(tmp.str, p, conv - p);
        mvBufAddEscaped(&tmp, value);
        p = conv + 2;
    }
    mvBufEnsure(buf);
    if (buf->str->len == 0 || buf->str->str[buf->str->len - 1] == '\n') {
        for (n = 0; n < buf->indent; n++)
            g_string_append_c(buf->str, ' ');
    }
    g_string_append_len(buf->str, tmp.str->str, tmp.str->len);
}

void
mvBufAdjustIndent(mvBuf *buf, int delta)
{
    buf->indent = MAX(0, buf->indent + delta);
}

gboolean
mvBufIsEmpty(const mvBuf *buf)
{
    return !buf->str || buf->str->len == 0;
}

char *
mvBufContentAndReset(mvBuf *buf)
{
    char *ret;

    if (!buf->str)
        ret = g_strdup("");
    else
        ret = g_string_free(g_steal_pointer(&buf->str), FALSE);
    buf->indent = 0;
    return ret;
}

void
mvBufClear(mvBuf *buf)
{
    if (buf->str)
        g_string_free(g_steal_pointer(&buf->str), TRUE);
    buf->indent = 0;
}
