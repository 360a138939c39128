/*
 * virsh_parse: tokenising and parsing virsh command lines against the command
 * tables, and the help and table texts derived from those tables.
 *
 * Tokens (string input): blanks separate tokens; ';' and newline end a
 * command; a token starting with '#' starts a comment that runs to the end of
 * the line; single quotes keep everything literally; double quotes group but
 * let backslash escape; an unquoted or double-quoted backslash escapes the
 * next character and a backslash-newline pair disappears.  An unterminated
 * double quote or a trailing backslash is an error; an unterminated single
 * quote is not (virsh 9.0 accepts it).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdarg.h>
#include <string.h>

#include "virsh_parse.h"

typedef enum {
    VIRSH_TK_ERROR,
    VIRSH_TK_ARG,
    VIRSH_TK_SUBCMD_END,
    VIRSH_TK_END,
} virshToken;

typedef struct {
    const char *pos;        /* string mode */
    char **argv;            /* argv mode */
    int argc;
    int idx;
} virshParser;

void
virshCmdFree(virshCmd *cmd)
{
    while (cmd) {
        virshCmd *next = cmd->next;
        size_t n = 0;

        if (cmd->def && cmd->def->opts) {
            while (cmd->def->opts[n].name)
                n++;
        }
        for (size_t i = 0; cmd->values && i < n; i++)
            g_free(cmd->values[i]);
        g_free(cmd->values);
        g_free(cmd->seen);
        if (cmd->argv)
            g_ptr_array_unref(cmd->argv);
        g_free(cmd);
        cmd = next;
    }
}

const virshCmdDef *
virshCmdDefFind(const virshCmdGroup *groups, const char *name)
{
    for (const virshCmdGroup *g = groups; g->name; g++) {
        for (const virshCmdDef *d = g->cmds; d->name; d++) {
            if (strcmp(d->name, name) == 0)
                return d;
        }
    }
    return NULL;
}

const virshCmdGroup *
virshCmdGroupFind(const virshCmdGroup *groups, const char *name)
{
    for (const virshCmdGroup *g = groups; g->name; g++) {
        if (g_ascii_strcasecmp(g->keyword, name) == 0 ||
            g_ascii_strcasecmp(g->name, name) == 0)
            return g;
    }
    return NULL;
}

static size_t
virshOptCount(const virshCmdDef *def)
{
    size_t n = 0;

    while (def->opts && def->opts[n].name)
        n++;
    return n;
}

static virshCmd *
virshCmdNew(const virshCmdDef *def)
{
    virshCmd *cmd = g_new0(virshCmd, 1);
    size_t n = virshOptCount(def);

    cmd->def = def;
    cmd->seen = g_new0(bool, n + 1);
    cmd->values = g_new0(char *, n + 1);
    cmd->argv = g_ptr_array_new_with_free_func(g_free);
    return cmd;
}

/* Reads the next token from string input into *res. */
static virshToken
virshParserNextString(virshParser *p, char **res, char **err)
{
    const char *s = p->pos;
    g_autoptr(GString) tok = NULL;
    bool dquote = false;
    bool squote = false;

    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s != '#')
            break;
        while (*s && *s != '\n')
            s++;
    }

    if (*s == '\0') {
        p->pos = s;
        return VIRSH_TK_END;
    }
    if (*s == ';' || *s == '\n') {
        p->pos = s + 1;
        return VIRSH_TK_SUBCMD_END;
    }

    tok = g_string_new(NULL);
    while (*s) {
        if (!dquote && !squote &&
            (*s == ' ' || *s == '\t' || *s == ';' || *s == '\n'))
            break;

        if (!dquote && *s == '\'') {
            squote = !squote;
            s++;
            continue;
        }
        if (!squote && *s == '"') {
            dquote = !dquote;
            s++;
            continue;
        }
        if (!squote && *s == '\\') {
            s++;
            if (*s == '\0') {
                *err = g_strdup("dangling \\");
                return VIRSH_TK_ERROR;
            }
            if (*s == '\n') {
                s++;
                continue;
            }
        }
        g_string_append_c(tok, *s);
        s++;
    }

    if (dquote) {
        *err = g_strdup("missing \"");
        return VIRSH_TK_ERROR;
    }

    p->pos = s;
    *res = g_string_free(g_steal_pointer(&tok), FALSE);
    return VIRSH_TK_ARG;
}

static virshToken
virshParserNextArgv(virshParser *p, char **res)
{
    if (p->idx >= p->argc)
        return VIRSH_TK_END;
    *res = g_strdup(p->argv[p->idx++]);
    return VIRSH_TK_ARG;
}

static int
virshOptFind(const virshCmdDef *def, const char *name)
{
    for (size_t i = 0; def->opts && def->opts[i].name; i++) {
        if (strcmp(def->opts[i].name, name) == 0)
            return i;
    }
    return -1;
}

/* The option the next positional argument fills, or -1. */
static int
virshOptNextPositional(const virshCmd *cmd)
{
    const virshOptDef *opts = cmd->def->opts;

    for (size_t i = 0; opts && opts[i].name; i++) {
        if (opts[i].type == VIRSH_OT_BOOL || (opts[i].flags & VIRSH_OFLAG_REQ_OPT))
            continue;
        if (opts[i].type == VIRSH_OT_ARGV || !cmd->seen[i])
            return i;
    }
    return -1;
}

static void
virshOptAssign(virshCmd *cmd, int idx, const char *value)
{
    cmd->seen[idx] = true;
    if (cmd->def->opts[idx].type == VIRSH_OT_ARGV) {
        g_ptr_array_add(cmd->argv, g_strdup(value));
    } else {
        g_free(cmd->values[idx]);
        cmd->values[idx] = g_strdup(value);
    }
}

/* Checks required options; turns a command that saw --help into `help CMD`. */
static virshCmd *
virshCmdFinish(const virshCmdGroup *groups, virshCmd *cmd, bool helpSeen, char **err)
{
    g_autoptr(virshCmd) owned = cmd;
    const virshOptDef *opts = cmd->def->opts;

    if (helpSeen) {
        const virshCmdDef *help = virshCmdDefFind(groups, "help");

        if (help && help->opts && help->opts[0].name) {
            virshCmd *h = virshCmdNew(help);

            virshOptAssign(h, 0, cmd->def->name);
            return h;
        }
    }

    for (size_t i = 0; opts && opts[i].name; i++) {
        if (!(opts[i].flags & VIRSH_OFLAG_REQ) || cmd->seen[i])
            continue;
        if (opts[i].type == VIRSH_OT_DATA || opts[i].type == VIRSH_OT_ARGV)
            *err = g_strdup_printf("command '%s' requires <%s> option",
                                   cmd->def->name, opts[i].name);
        else
            *err = g_strdup_printf("command '%s' requires --%s option",
                                   cmd->def->name, opts[i].name);
        return NULL;
    }
    return g_steal_pointer(&owned);
}

static bool
virshCommandParse(const virshCmdGroup *groups, virshParser *p, bool stringMode,
                  virshCmd **cmds, char **err)
{
    g_autoptr(virshCmd) first = NULL;
    virshCmd *last = NULL;
    g_autoptr(virshCmd) cmd = NULL;
    int pending = -1;
    bool positionalOnly = false;
    bool helpSeen = false;

    for (;;) {
        g_autofree char *tok = NULL;
        virshToken tk;

        if (stringMode)
            tk = virshParserNextString(p, &tok, err);
        else
            tk = virshParserNextArgv(p, &tok);

        if (tk == VIRSH_TK_ERROR)
            return false;

        if (tk == VIRSH_TK_END || tk == VIRSH_TK_SUBCMD_END) {
            if (pending >= 0) {
                const virshOptDef *o = &cmd->def->opts[pending];

                *err = g_strdup_printf("expected syntax: --%s <%s>", o->name,
                                       o->type == VIRSH_OT_INT ? "number" : "string");
                return false;
            }
            if (cmd) {
                virshCmd *done = virshCmdFinish(groups, g_steal_pointer(&cmd),
                                                helpSeen, err);
                if (!done)
                    return false;
                if (last)
                    last->next = done;
                else
                    first = done;
                last = done;
            }
            if (tk == VIRSH_TK_END)
                break;
            positionalOnly = false;
            helpSeen = false;
            continue;
        }

        if (!cmd) {
            const virshCmdDef *def = virshCmdDefFind(groups, tok);

            if (!def) {
                *err = g_strdup_printf("unknown command: '%s'", tok);
                return false;
            }
            cmd = virshCmdNew(def);
            continue;
        }

        if (pending >= 0) {
            virshOptAssign(cmd, pending, tok);
            pending = -1;
            continue;
        }

        if (!positionalOnly && g_str_has_prefix(tok, "--")) {
            char *name = tok + 2;
            char *eq;
            const char *value = NULL;
            int idx;

            if (*name == '\0') {
                positionalOnly = true;
                continue;
            }
            if ((eq = strchr(name, '='))) {
                *eq = '\0';
                value = eq + 1;
            }
            if (strcmp(name, "help") == 0) {
                helpSeen = true;
                continue;
            }
            if ((idx = virshOptFind(cmd->def, name)) < 0) {
                *err = g_strdup_printf("command '%s' doesn't support option --%s",
                                       cmd->def->name, name);
                return false;
            }
            if (cmd->seen[idx] && cmd->def->opts[idx].type != VIRSH_OT_ARGV) {
                *err = g_strdup_printf("option --%s already seen", name);
                return false;
            }
            if (cmd->def->opts[idx].type == VIRSH_OT_BOOL) {
                if (value) {
                    *err = g_strdup_printf("invalid '=' after option --%s", name);
                    return false;
                }
                cmd->seen[idx] = true;
            } else if (value) {
                virshOptAssign(cmd, idx, value);
            } else {
                pending = idx;
            }
            continue;
        }

        {
            int idx = virshOptNextPositional(cmd);

            if (idx < 0) {
                if (strcmp(cmd->def->name, "help") == 0)
                    continue;
                *err = g_strdup_printf("unexpected data '%s'", tok);
                return false;
            }
            virshOptAssign(cmd, idx, tok);
        }
    }

    *cmds = g_steal_pointer(&first);
    return true;
}

bool
virshCommandParseString(const virshCmdGroup *groups, const char *str,
                        virshCmd **cmds, char **err)
{
    virshParser p = { .pos = str };

    *cmds = NULL;
    *err = NULL;
    return virshCommandParse(groups, &p, true, cmds, err);
}

bool
virshCommandParseArgv(const virshCmdGroup *groups, int argc, char **argv,
                      virshCmd **cmds, char **err)
{
    virshParser p = { .argv = argv, .argc = argc };

    *cmds = NULL;
    *err = NULL;
    return virshCommandParse(groups, &p, false, cmds, err);
}

bool
virshCmdOptBool(const virshCmd *cmd, const char *name)
{
    int idx = virshOptFind(cmd->def, name);

    return idx >= 0 && cmd->seen[idx];
}

const char *
virshCmdOptString(const virshCmd *cmd, const char *name)
{
    int idx = virshOptFind(cmd->def, name);

    if (idx < 0 || !cmd->seen[idx])
        return NULL;
    return cmd->values[idx];
}

const char * const *
virshCmdOptArgv(const virshCmd *cmd)
{
    /* keep a NULL terminator at the end of the array's data */
    g_ptr_array_add(cmd->argv, NULL);
    g_ptr_array_set_size(cmd->argv, cmd->argv->len - 1);
    return (const char * const *) cmd->argv->pdata;
}

static const char *
virshOptValueWord(const virshOptDef *o)
{
    return o->type == VIRSH_OT_INT ? "<number>" : "<string>";
}

char *
virshHelpFormatCommand(const virshCmdDef *def)
{
    g_autoptr(GString) out = g_string_new(NULL);
    const virshOptDef *opts = def->opts;

    g_string_append_printf(out, "  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s",
                           def->name, def->help, def->name);
    for (size_t i = 0; opts && opts[i].name; i++) {
        const virshOptDef *o = &opts[i];
        bool req = o->flags & VIRSH_OFLAG_REQ;

        switch (o->type) {
        case VIRSH_OT_BOOL:
            g_string_append_printf(out, " [--%s]", o->name);
            break;
        case VIRSH_OT_STRING:
        case VIRSH_OT_INT:
            g_string_append_printf(out, req ? " --%s %s" : " [--%s %s]",
                                   o->name, virshOptValueWord(o));
            break;
        case VIRSH_OT_DATA:
            g_string_append_printf(out, req ? " <%s>" : " [<%s>]", o->name);
            break;
        case VIRSH_OT_ARGV:
            g_string_append_printf(out, req ? " <%s>..." : " [<%s>]...", o->name);
            break;
        }
    }
    g_string_append(out, "\n\n");

    if (def->desc)
        g_string_append_printf(out, "  DESCRIPTION\n    %s\n\n", def->desc);

    if (opts && opts[0].name) {
        g_string_append(out, "  OPTIONS\n");
        for (size_t i = 0; opts[i].name; i++) {
            const virshOptDef *o = &opts[i];
            g_autofree char *left = NULL;

            switch (o->type) {
            case VIRSH_OT_BOOL:
                left = g_strdup_printf("--%s", o->name);
                break;
            case VIRSH_OT_STRING:
            case VIRSH_OT_INT:
                left = g_strdup_printf("--%s %s", o->name, virshOptValueWord(o));
                break;
            case VIRSH_OT_DATA:
                left = g_strdup_printf("[--%s] <string>", o->name);
                break;
            case VIRSH_OT_ARGV:
                left = g_strdup_printf("<%s>", o->name);
                break;
            }
            g_string_append_printf(out, "    %-15s  %s\n", left, o->help);
        }
        g_string_append(out, "\n");
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

char *
virshHelpFormatGroup(const virshCmdGroup *group)
{
    g_autoptr(GString) out = g_string_new(NULL);

    g_string_append_printf(out, " %s (help keyword '%s'):\n", group->name, group->keyword);
    for (const virshCmdDef *d = group->cmds; d->name; d++)
        g_string_append_printf(out, "    %-30s %s\n", d->name, d->help);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

char *
virshHelpFormatAll(const virshCmdGroup *groups)
{
    g_autoptr(GString) out = g_string_new("Grouped commands:\n\n");

    for (const virshCmdGroup *g = groups; g->name; g++) {
        g_autofree char *part = virshHelpFormatGroup(g);

        g_string_append(out, part);
        g_string_append_c(out, '\n');
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

struct _virshTable {
    GPtrArray *rows;    /* of GStrv, the header first */
    size_t ncols;
};

static GStrv
virshTableCollect(const char *first, va_list ap)
{
    g_autoptr(GPtrArray) cells = g_ptr_array_new();
    const char *s;

    for (s = first; s; s = va_arg(ap, const char *))
        g_ptr_array_add(cells, g_strdup(s));
    g_ptr_array_add(cells, NULL);
    return (GStrv) g_ptr_array_free(g_steal_pointer(&cells), FALSE);
}

virshTable *
virshTableNew(const char *first, ...)
{
    virshTable *table = g_new0(virshTable, 1);
    va_list ap;
    GStrv header;

    va_start(ap, first);
    header = virshTableCollect(first, ap);
    va_end(ap);

    table->rows = g_ptr_array_new_with_free_func((GDestroyNotify) g_strfreev);
    table->ncols = g_strv_length(header);
    g_ptr_array_add(table->rows, header);
    return table;
}

void
virshTableAddRow(virshTable *table, const char *first, ...)
{
    va_list ap;
    GStrv row;

    va_start(ap, first);
    row = virshTableCollect(first, ap);
    va_end(ap);

    g_assert(g_strv_length(row) == table->ncols);
    g_ptr_array_add(table->rows, row);
}

static void
virshTableFormatRow(GString *out, GStrv row, const size_t *widths, size_t ncols)
{
    for (size_t c = 0; c < ncols; c++) {
        g_string_append_c(out, ' ');
        g_string_append(out, row[c]);
        if (c + 1 < ncols) {
            size_t w = g_utf8_strlen(row[c], -1);

            for (; w < widths[c] + 2; w++)
                g_string_append_c(out, ' ');
        }
    }
    g_string_append_c(out, '\n');
}

char *
virshTableFormat(const virshTable *table, bool header)
{
    g_autoptr(GString) out = g_string_new(NULL);
    g_autofree size_t *widths = g_new0(size_t, table->ncols);
    size_t total = 0;

    for (size_t r = 0; r < table->rows->len; r++) {
        GStrv row = g_ptr_array_index(table->rows, r);

        for (size_t c = 0; c < table->ncols; c++)
            widths[c] = MAX(widths[c], (size_t) g_utf8_strlen(row[c], -1));
    }
    for (size_t c = 0; c < table->ncols; c++)
        total += widths[c] + 3;

    if (header) {
        virshTableFormatRow(out, g_ptr_array_index(table->rows, 0), widths, table->ncols);
        for (size_t i = 0; i < total; i++)
            g_string_append_c(out, '-');
        g_string_append_c(out, '\n');
    }
    for (size_t r = 1; r < table->rows->len; r++)
        virshTableFormatRow(out, g_ptr_array_index(table->rows, r), widths, table->ncols);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

void
virshTableFree(virshTable *table)
{
    if (!table)
        return;
    g_ptr_array_unref(table->rows);
    g_free(table);
}
