/*
 * mv_conf: see mv_conf.h.  A small recursive-descent parser over the whole
 * text: settings become entries (key, line, value) in file order; a value is
 * a string, an integer kept as its text (range checks happen in the typed
 * getters, where the wanted type is known) or a list of values.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "mv_conf.h"
#include "mv_error.h"
#include "mv_file.h"

#define MV_FROM_THIS VIR_FROM_CONF

/* Nesting of lists is not part of libvirt's syntax; one level is enough. */
#define MV_CONF_MAX_LIST_ITEMS 65536

typedef enum {
    MV_CONF_STRING,
    MV_CONF_INTEGER,
    MV_CONF_LIST,
} mvConfType;

typedef struct _mvConfValue mvConfValue;
struct _mvConfValue {
    mvConfType type;
    char *str;            /* STRING: the text; INTEGER: the digits as written */
    GPtrArray *list;      /* LIST: of mvConfValue */
};

typedef struct {
    char *key;
    int line;
    mvConfValue *value;
} mvConfEntry;

struct _mvConf {
    char *name;
    GPtrArray *entries;   /* of mvConfEntry, file order */
};

typedef struct {
    const char *name;
    const char *cur;
    const char *end;
    int line;
} mvConfParser;

static void
mvConfValueFree(gpointer p)
{
    mvConfValue *v = p;

    if (!v)
        return;
    g_free(v->str);
    if (v->list)
        g_ptr_array_unref(v->list);
    g_free(v);
}

static void
mvConfEntryFree(gpointer p)
{
    mvConfEntry *e = p;

    g_free(e->key);
    mvConfValueFree(e->value);
    g_free(e);
}

void
mvConfFree(mvConf *conf)
{
    if (!conf)
        return;
    g_free(conf->name);
    if (conf->entries)
        g_ptr_array_unref(conf->entries);
    g_free(conf);
}

static bool
mvConfAtEnd(mvConfParser *p)
{
    return p->cur >= p->end;
}

/* Skips spaces and tabs (not newlines). */
static void
mvConfSkipBlanks(mvConfParser *p)
{
    while (!mvConfAtEnd(p) && (*p->cur == ' ' || *p->cur == '\t' || *p->cur == '\r'))
        p->cur++;
}

static void
mvConfSkipComment(mvConfParser *p)
{
    if (!mvConfAtEnd(p) && *p->cur == '#') {
        while (!mvConfAtEnd(p) && *p->cur != '\n')
            p->cur++;
    }
}

/* Skips blanks, comments and newlines (inside lists). */
static void
mvConfSkipAll(mvConfParser *p)
{
    for (;;) {
        mvConfSkipBlanks(p);
        mvConfSkipComment(p);
        if (!mvConfAtEnd(p) && *p->cur == '\n') {
            p->cur++;
            p->line++;
            continue;
        }
        return;
    }
}

#define mvConfSyntax(p, fmt, ...) \
    mvReportError(VIR_ERR_CONF_SYNTAX, "%s:%d: " fmt, (p)->name, (p)->line, __VA_ARGS__)

/* Describes the character at the cursor for messages. */
static char *
mvConfDescribeCur(mvConfParser *p)
{
    if (mvConfAtEnd(p))
        return g_strdup("end of file");
    if (*p->cur == '\n')
        return g_strdup("end of line");
    if (g_ascii_isprint(*p->cur))
        return g_strdup_printf("'%c'", *p->cur);
    return g_strdup_printf("byte 0x%02x", (unsigned char)*p->cur);
}

static mvConfValue *mvConfParseValue(mvConfParser *p, const char *key, bool inList);

static mvConfValue *
mvConfParseString(mvConfParser *p, const char *key)
{
    g_autoptr(GString) s = g_string_new(NULL);
    mvConfValue *v;
    int startLine = p->line;

    if (p->end - p->cur >= 3 && strncmp(p->cur, "\"\"\"", 3) == 0) {
        p->cur += 3;
        for (;;) {
            if (mvConfAtEnd(p)) {
                p->line = startLine;
                mvConfSyntax(p, "%s: unterminated triple-quoted string", key);
                return NULL;
            }
            if (p->end - p->cur >= 3 && strncmp(p->cur, "\"\"\"", 3) == 0) {
                p->cur += 3;
                break;
            }
            if (*p->cur == '\n')
                p->line++;
            g_string_append_c(s, *p->cur);
            p->cur++;
        }
    } else {
        char quote = *p->cur;

        p->cur++;
        while (!mvConfAtEnd(p) && *p->cur != quote && *p->cur != '\n') {
            g_string_append_c(s, *p->cur);
            p->cur++;
        }
        if (mvConfAtEnd(p) || *p->cur != quote) {
            mvConfSyntax(p, "%s: unterminated string (missing closing %s quote)",
                         key, quote == '"' ? "double" : "single");
            return NULL;
        }
        p->cur++;
    }
    if (memchr(s->str, '\0', s->len)) {
        mvConfSyntax(p, "%s: string contains a NUL byte", key);
        return NULL;
    }
    v = g_new0(mvConfValue, 1);
    v->type = MV_CONF_STRING;
    v->str = g_string_free(g_steal_pointer(&s), FALSE);
    return v;
}

static mvConfValue *
mvConfParseInteger(mvConfParser *p, const char *key)
{
    const char *start = p->cur;
    mvConfValue *v;

    if (*p->cur == '-' || *p->cur == '+')
        p->cur++;
    if (mvConfAtEnd(p) || !g_ascii_isdigit(*p->cur)) {
        g_autofree char *what = mvConfDescribeCur(p);
        mvConfSyntax(p, "%s: expected digits after the sign, got %s", key, what);
        return NULL;
    }
    while (!mvConfAtEnd(p) && g_ascii_isdigit(*p->cur))
        p->cur++;
    if (!mvConfAtEnd(p) && (g_ascii_isalpha(*p->cur) || *p->cur == '_' || *p->cur == '.')) {
        mvConfSyntax(p, "%s: invalid number '%.*s...' (strings must be quoted)",
                     key, (int)(p->cur - start + 1), start);
        return NULL;
    }
    v = g_new0(mvConfValue, 1);
    v->type = MV_CONF_INTEGER;
    v->str = g_strndup(start, p->cur - start);
    return v;
}

static mvConfValue *
mvConfParseList(mvConfParser *p, const char *key)
{
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(mvConfValueFree);
    int startLine = p->line;
    mvConfValue *v;

    p->cur++; /* '[' */
    for (;;) {
        mvConfValue *item;

        mvConfSkipAll(p);
        if (mvConfAtEnd(p)) {
            p->line = startLine;
            mvConfSyntax(p, "%s: list is not closed with ']'", key);
            return NULL;
        }
        if (*p->cur == ']') {
            p->cur++;
            break;
        }
        if (items->len >= MV_CONF_MAX_LIST_ITEMS) {
            mvConfSyntax(p, "%s: list has more than %d items", key, MV_CONF_MAX_LIST_ITEMS);
            return NULL;
        }
        if (!(item = mvConfParseValue(p, key, true)))
            return NULL;
        g_ptr_array_add(items, item);
        mvConfSkipAll(p);
        if (mvConfAtEnd(p)) {
            p->line = startLine;
            mvConfSyntax(p, "%s: list is not closed with ']'", key);
            return NULL;
        }
        if (*p->cur == ',') {
            p->cur++;
            continue;
        }
        if (*p->cur == ']') {
            p->cur++;
            break;
        }
        {
            g_autofree char *what = mvConfDescribeCur(p);
            mvConfSyntax(p, "%s: expected ',' or ']' in list, got %s", key, what);
        }
        return NULL;
    }
    v = g_new0(mvConfValue, 1);
    v->type = MV_CONF_LIST;
    v->list = g_steal_pointer(&items);
    return v;
}

static mvConfValue *
mvConfParseValue(mvConfParser *p, const char *key, bool inList)
{
    g_autofree char *what = NULL;

    if (!mvConfAtEnd(p)) {
        char c = *p->cur;

        if (c == '"' || c == '\'')
            return mvConfParseString(p, key);
        if (c == '-' || c == '+' || g_ascii_isdigit(c))
            return mvConfParseInteger(p, key);
        if (c == '[') {
            if (inList) {
                mvConfSyntax(p, "%s: lists cannot be nested", key);
                return NULL;
            }
            return mvConfParseList(p, key);
        }
    }
    what = mvConfDescribeCur(p);
    mvConfSyntax(p, "%s: expected a value (a quoted string, a number or a list), got %s",
                 key, what);
    return NULL;
}

static int
mvConfParseStatement(mvConfParser *p, GPtrArray *entries)
{
    const char *start = p->cur;
    g_autofree char *key = NULL;
    mvConfEntry *e;
    mvConfValue *v;
    int line;

    if (!g_ascii_isalpha(*p->cur) && *p->cur != '_') {
        g_autofree char *what = mvConfDescribeCur(p);
        mvConfSyntax(p, "expected a setting name, got %s", what);
        return -1;
    }
    while (!mvConfAtEnd(p) &&
           (g_ascii_isalnum(*p->cur) || *p->cur == '_' || *p->cur == '.' || *p->cur == '-'))
        p->cur++;
    key = g_strndup(start, p->cur - start);
    line = p->line;

    mvConfSkipBlanks(p);
    if (mvConfAtEnd(p) || *p->cur != '=') {
        g_autofree char *what = mvConfDescribeCur(p);
        mvConfSyntax(p, "%s: expected '=' after the setting name, got %s", key, what);
        return -1;
    }
    p->cur++;
    mvConfSkipBlanks(p);
    if (!(v = mvConfParseValue(p, key, false)))
        return -1;

    mvConfSkipBlanks(p);
    mvConfSkipComment(p);
    if (!mvConfAtEnd(p) && *p->cur != '\n' && *p->cur != ';') {
        g_autofree char *what = mvConfDescribeCur(p);
        mvConfValueFree(v);
        mvConfSyntax(p, "%s: expected end of line after the value, got %s", key, what);
        return -1;
    }
    if (!mvConfAtEnd(p) && *p->cur == ';')
        p->cur++;

    e = g_new0(mvConfEntry, 1);
    e->key = g_steal_pointer(&key);
    e->line = line;
    e->value = v;
    g_ptr_array_add(entries, e);
    return 0;
}

mvConf *
mvConfReadString(const char *name, const char *text)
{
    g_autoptr(mvConf) conf = g_new0(mvConf, 1);
    mvConfParser p = {
        .name = name ? name : "<string>",
        .cur = text ? text : "",
        .line = 1,
    };

    p.end = p.cur + strlen(p.cur);
    conf->name = g_strdup(p.name);
    conf->entries = g_ptr_array_new_with_free_func(mvConfEntryFree);

    for (;;) {
        mvConfSkipBlanks(&p);
        mvConfSkipComment(&p);
        if (mvConfAtEnd(&p))
            break;
        if (*p.cur == '\n') {
            p.cur++;
            p.line++;
            continue;
        }
        if (*p.cur == ';') {
            p.cur++;
            continue;
        }
        if (mvConfParseStatement(&p, conf->entries) < 0)
            return NULL;
    }
    return g_steal_pointer(&conf);
}

mvConf *
mvConfReadFile(const char *path)
{
    g_autofree char *data = NULL;
    size_t len = 0;

    if (mvFileReadAll(path, MV_CONF_MAX_BYTES, &data, &len) < 0)
        return NULL;
    if (memchr(data, '\0', len)) {
        mvReportError(VIR_ERR_CONF_SYNTAX, "%s: file contains a NUL byte", path);
        return NULL;
    }
    return mvConfReadString(path, data);
}

const char *
mvConfGetName(const mvConf *conf)
{
    return conf->name;
}

/* The last entry for @key, or NULL. */
static const mvConfEntry *
mvConfFind(const mvConf *conf, const char *key)
{
    guint i;

    for (i = conf->entries->len; i > 0; i--) {
        const mvConfEntry *e = g_ptr_array_index(conf->entries, i - 1);
        if (g_str_equal(e->key, key))
            return e;
    }
    return NULL;
}

bool
mvConfHasKey(const mvConf *conf, const char *key)
{
    return mvConfFind(conf, key) != NULL;
}

int
mvConfGetLine(const mvConf *conf, const char *key)
{
    const mvConfEntry *e = mvConfFind(conf, key);

    return e ? e->line : 0;
}

/* How a value looks in a message: strings quoted, integers as written. */
static char *
mvConfValueDescribe(const mvConfValue *v)
{
    switch (v->type) {
    case MV_CONF_STRING:
        return g_strdup_printf("\"%s\"", v->str);
    case MV_CONF_INTEGER:
        return g_strdup(v->str);
    case MV_CONF_LIST:
        return g_strdup_printf("a list of %u items", v->list->len);
    }
    return g_strdup("?");
}

static void
mvConfReportType(const mvConf *conf, const mvConfEntry *e, const char *expected)
{
    g_autofree char *got = mvConfValueDescribe(e->value);

    mvReportError(VIR_ERR_CONF_SYNTAX, "%s:%d: %s: expected %s, got %s",
                  conf->name, e->line, e->key, expected, got);
}

int
mvConfGetString(const mvConf *conf, const char *key, char **value)
{
    const mvConfEntry *e = mvConfFind(conf, key);

    if (!e)
        return 0;
    if (e->value->type != MV_CONF_STRING) {
        mvConfReportType(conf, e, "a quoted string");
        return -1;
    }
    g_free(*value);
    *value = g_strdup(e->value->str);
    return 1;
}

/* Parses an integer entry into [@min, @max]; @what names the type. */
static int
mvConfGetRanged(const mvConf *conf, const char *key, bool isSigned,
                gint64 smin, gint64 smax, guint64 umax,
                const char *what, gint64 *sval, guint64 *uval)
{
    const mvConfEntry *e = mvConfFind(conf, key);
    const char *text;

    if (!e)
        return 0;
    if (e->value->type != MV_CONF_INTEGER) {
        mvConfReportType(conf, e, what);
        return -1;
    }
    text = e->value->str;
    if (*text == '+')
        text++;
    if (isSigned) {
        if (!g_ascii_string_to_signed(text, 10, smin, smax, sval, NULL)) {
            mvReportError(VIR_ERR_CONF_SYNTAX,
                          "%s:%d: %s: value %s is out of range for %s (%" G_GINT64_FORMAT
                          " to %" G_GINT64_FORMAT ")",
                          conf->name, e->line, key, e->value->str, what, smin, smax);
            return -1;
        }
    } else {
        if (*text == '-') {
            if (strspn(text + 1, "0") == strlen(text + 1)) {
                *uval = 0;
                return 1;
            }
            mvConfReportType(conf, e, what);
            return -1;
        }
        if (!g_ascii_string_to_unsigned(text, 10, 0, umax, uval, NULL)) {
            mvReportError(VIR_ERR_CONF_SYNTAX,
                          "%s:%d: %s: value %s is out of range for %s (0 to %" G_GUINT64_FORMAT
                          ")", conf->name, e->line, key, e->value->str, what, umax);
            return -1;
        }
    }
    return 1;
}

int
mvConfGetInt(const mvConf *conf, const char *key, int *value)
{
    gint64 v;
    int rc = mvConfGetRanged(conf, key, true, INT_MIN, INT_MAX, 0, "an integer", &v, NULL);

    if (rc == 1)
        *value = (int)v;
    return rc;
}

int
mvConfGetUInt(const mvConf *conf, const char *key, unsigned int *value)
{
    guint64 v;
    int rc = mvConfGetRanged(conf, key, false, 0, 0, UINT_MAX, "an unsigned integer",
                             NULL, &v);

    if (rc == 1)
        *value = (unsigned int)v;
    return rc;
}

int
mvConfGetLLong(const mvConf *conf, const char *key, long long *value)
{
    gint64 v;
    int rc = mvConfGetRanged(conf, key, true, G_MININT64, G_MAXINT64, 0, "an integer",
                             &v, NULL);

    if (rc == 1)
        *value = v;
    return rc;
}

int
mvConfGetULLong(const mvConf *conf, const char *key, unsigned long long *value)
{
    guint64 v;
    int rc = mvConfGetRanged(conf, key, false, 0, 0, G_MAXUINT64, "an unsigned integer",
                             NULL, &v);

    if (rc == 1)
        *value = v;
    return rc;
}

int
mvConfGetBool(const mvConf *conf, const char *key, bool *value)
{
    const mvConfEntry *e = mvConfFind(conf, key);
    const char *text;

    if (!e)
        return 0;
    text = e->value->type == MV_CONF_INTEGER ? e->value->str : "";
    if (*text == '+')
        text++;
    if (g_str_equal(text, "0") || g_str_equal(text, "-0")) {
        *value = false;
        return 1;
    }
    if (g_str_equal(text, "1")) {
        *value = true;
        return 1;
    }
    mvConfReportType(conf, e, "0 or 1");
    return -1;
}

int
mvConfGetStringList(const mvConf *conf, const char *key, char ***values)
{
    const mvConfEntry *e = mvConfFind(conf, key);
    g_autoptr(GPtrArray) out = NULL;
    guint i;

    if (!e)
        return 0;
    if (e->value->type == MV_CONF_STRING) {
        g_strfreev(*values);
        *values = g_new0(char *, 2);
        (*values)[0] = g_strdup(e->value->str);
        return 1;
    }
    if (e->value->type != MV_CONF_LIST) {
        mvConfReportType(conf, e, "a list of quoted strings");
        return -1;
    }
    out = g_ptr_array_new_with_free_func(g_free);
    for (i = 0; i < e->value->list->len; i++) {
        const mvConfValue *item = g_ptr_array_index(e->value->list, i);

        if (item->type != MV_CONF_STRING) {
            g_autofree char *got = mvConfValueDescribe(item);
            mvReportError(VIR_ERR_CONF_SYNTAX,
                          "%s:%d: %s: item %u of the list: expected a quoted string, got %s",
                          conf->name, e->line, key, i + 1, got);
            return -1;
        }
        g_ptr_array_add(out, g_strdup(item->str));
    }
    g_ptr_array_add(out, NULL);
    g_strfreev(*values);
    *values = (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
    return 1;
}

char **
mvConfListUnknownKeys(const mvConf *conf, const char * const *known)
{
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
    guint i;

    for (i = 0; i < conf->entries->len; i++) {
        const mvConfEntry *e = g_ptr_array_index(conf->entries, i);

        if (known && g_strv_contains(known, e->key))
            continue;
        g_ptr_array_add(out, g_strdup_printf("%s:%d: %s", conf->name, e->line, e->key));
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
}
