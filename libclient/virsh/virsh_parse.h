/*
 * virsh_parse: the command language of modvirt's virsh, with no libvirt in
 * it, so it can be unit-tested alone.
 *
 * A command is described by a virshCmdDef and a table of virshOptDef; the
 * commands come in named groups (what `help` lists).  Input arrives either as
 * one string (interactive lines, `virsh 'cmd1; cmd2'`) which is split into
 * tokens with shell-like quoting, or as an argv vector (`virsh cmd a b`) whose
 * elements are the tokens.  Parsing produces a list of virshCmd, one per
 * command, with every option's value; nothing runs until the whole input has
 * parsed.  The wording of every parse error is what Debian's virsh 9.0 prints.
 *
 * This module also formats the texts that depend only on the tables: command
 * and group help, and the aligned tables of list commands.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef enum {
    VIRSH_OT_BOOL,      /* --name, no value */
    VIRSH_OT_STRING,    /* --name VALUE; positional unless VIRSH_OFLAG_REQ_OPT */
    VIRSH_OT_INT,       /* like STRING, shown as <number> */
    VIRSH_OT_DATA,      /* a positional argument that may also be given as --name */
    VIRSH_OT_ARGV,      /* takes every remaining positional argument */
} virshOptType;

enum {
    VIRSH_OFLAG_REQ = 1 << 0,       /* must be present */
    VIRSH_OFLAG_REQ_OPT = 1 << 1,   /* only as --name VALUE, never positional */
};

typedef struct {
    const char *name;
    virshOptType type;
    unsigned int flags;
    const char *help;
} virshOptDef;

typedef struct _virshControl virshControl;
typedef struct _virshCmd virshCmd;
typedef bool (*virshCmdHandler)(virshControl *ctl, const virshCmd *cmd);

enum {
    VIRSH_CMD_FLAG_NOCONNECT = 1 << 0,  /* runs without a connection */
};

typedef struct {
    const char *name;
    virshCmdHandler handler;
    const virshOptDef *opts;    /* ends with a {NULL} entry; may be NULL */
    const char *help;           /* one line, for listings */
    const char *desc;           /* DESCRIPTION of `help CMD`; NULL to omit */
    unsigned int flags;
} virshCmdDef;

typedef struct {
    const char *name;           /* "Secret" */
    const char *keyword;        /* "secret" */
    const virshCmdDef *cmds;    /* ends with a {NULL} entry */
} virshCmdGroup;

/* One parsed command.  values[i] belongs to def->opts[i]. */
struct _virshCmd {
    const virshCmdDef *def;
    bool *seen;
    char **values;
    GPtrArray *argv;            /* values of the VIRSH_OT_ARGV option */
    virshCmd *next;
};

void virshCmdFree(virshCmd *cmd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virshCmd, virshCmdFree);

/* The command called @name in @groups (a NULL-terminated array), or NULL. */
const virshCmdDef *virshCmdDefFind(const virshCmdGroup *groups, const char *name);
/* The group whose keyword or name matches @name (case-insensitively). */
const virshCmdGroup *virshCmdGroupFind(const virshCmdGroup *groups, const char *name);

/* Parses @str (commands separated by ';' or newlines).  Returns true with
 * *cmds set (NULL when the input held no command); false with *err set to
 * the message (without "error: ") when the input is malformed. */
bool virshCommandParseString(const virshCmdGroup *groups, const char *str,
                             virshCmd **cmds, char **err);
/* Same for one command given as an argv vector; ';' is not special. */
bool virshCommandParseArgv(const virshCmdGroup *groups, int argc, char **argv,
                           virshCmd **cmds, char **err);

/* Whether option @name was given. */
bool virshCmdOptBool(const virshCmd *cmd, const char *name);
/* The value of option @name, or NULL when it was not given. */
const char *virshCmdOptString(const virshCmd *cmd, const char *name);
/* The values of the ARGV option (NULL-terminated; empty when none). */
const char * const *virshCmdOptArgv(const virshCmd *cmd);

/* `help CMD` text, `help GROUP` text and the full `help` text, each ending
 * with the same line breaks as virsh (the caller adds virsh's trailing
 * newline after every command). */
char *virshHelpFormatCommand(const virshCmdDef *def);
char *virshHelpFormatGroup(const virshCmdGroup *group);
char *virshHelpFormatAll(const virshCmdGroup *groups);

/* A text table laid out the way virsh lists objects: a header, a line of
 * dashes, and one row per object, columns padded to their widest cell
 * (header included).  virshTableFormat leaves out the header and the dashes
 * when @header is false (virsh --quiet). */
typedef struct _virshTable virshTable;
virshTable *virshTableNew(const char *first, ...) G_GNUC_NULL_TERMINATED;
void virshTableAddRow(virshTable *table, const char *first, ...) G_GNUC_NULL_TERMINATED;
char *virshTableFormat(const virshTable *table, bool header);
void virshTableFree(virshTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virshTable, virshTableFree);
