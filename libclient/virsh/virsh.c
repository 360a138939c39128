/*
 * virsh: modvirt's command line shell, built on the public client API only
 * (<libvirt/libvirt.h>).  It behaves like Debian 12's virsh 9.0 for the
 * commands it has: same options, output layout, "error: " lines and exit
 * status (0 when the last command succeeded, 1 otherwise), so scripts written
 * for that virsh keep working.
 *
 * This file holds main(): global options, the command groups, the commands
 * that belong to the shell itself (help, quit, exit, echo, cd, pwd) and the
 * interactive loop.  Each command area lives in its own virsh_<area>.c.
 *
 * `virsh -v`/`--version` print the libvirt version whose API and protocol
 * modvirt implements (9.0.0), since scripts compare it with libvirt
 * releases; `-V` and `version` also name modvirt's own version.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virsh_domain.h"
#include "virsh_network.h"

#define VIRSH_PROMPT_RW "virsh # "
#define VIRSH_PROMPT_RO "virsh > "
#define VIRSH_KEEPALIVE_INTERVAL 5
#define VIRSH_KEEPALIVE_COUNT 6

static const virshCmdGroup *virshGroupsGet(void);

static const virshOptDef opts_help[] = {
    {.name = "command", .type = VIRSH_OT_STRING,
     .help = "Prints global help, command specific help, or help for a group of "
             "related commands"},
    {.name = NULL}
};

static bool
cmdVirshHelp(virshControl *ctl, const virshCmd *cmd)
{
    const char *name = virshCmdOptString(cmd, "command");
    const virshCmdDef *def;
    const virshCmdGroup *group;
    g_autofree char *text = NULL;

    if (!name) {
        text = virshHelpFormatAll(ctl->groups);
    } else if ((def = virshCmdDefFind(ctl->groups, name))) {
        text = virshHelpFormatCommand(def);
    } else if ((group = virshCmdGroupFind(ctl->groups, name))) {
        text = virshHelpFormatGroup(group);
    } else {
        virshError(ctl, "command or command group '%s' doesn't exist", name);
        return false;
    }
    virshPrint(ctl, "%s", text);
    return true;
}

static bool
cmdVirshQuit(virshControl *ctl, const virshCmd *cmd)
{
    ctl->imode = false;
    return true;
}

static const virshOptDef opts_echo[] = {
    {.name = "shell", .type = VIRSH_OT_BOOL, .help = "escape for shell use"},
    {.name = "xml", .type = VIRSH_OT_BOOL, .help = "escape for XML use"},
    {.name = "split", .type = VIRSH_OT_BOOL,
     .help = "split each argument on ','; ',,' is an escape sequence"},
    {.name = "err", .type = VIRSH_OT_BOOL, .help = "output to stderr"},
    {.name = "string", .type = VIRSH_OT_ARGV, .help = "arguments to echo"},
    {.name = NULL}
};

/* Quotes @s for a POSIX shell when it holds anything the shell would act on. */
static void
virshEchoShellQuote(GString *out, const char *s)
{
    if (*s && !strpbrk(s, "\r\t\n !\"#$&'()*;<>?[\\]^`{|}~")) {
        g_string_append(out, s);
        return;
    }
    g_string_append_c(out, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            g_string_append(out, "'\\''");
        else
            g_string_append_c(out, *s);
    }
    g_string_append_c(out, '\'');
}

/* Splits @arg on ',' with ",," standing for a literal comma. */
static void
virshEchoSplit(GPtrArray *into, const char *arg)
{
    g_autoptr(GString) cur = g_string_new(NULL);

    for (const char *p = arg; *p; p++) {
        if (*p == ',' && p[1] == ',') {
            g_string_append_c(cur, ',');
            p++;
        } else if (*p == ',') {
            g_ptr_array_add(into, g_strdup(cur->str));
            g_string_truncate(cur, 0);
        } else {
            g_string_append_c(cur, *p);
        }
    }
    g_ptr_array_add(into, g_strdup(cur->str));
}

static void
virshEchoAppend(GString *out, const char *arg, bool shell, bool xml)
{
    g_autofree char *escaped = NULL;

    if (xml) {
        escaped = g_markup_escape_text(arg, -1);
        arg = escaped;
    }
    if (shell)
        virshEchoShellQuote(out, arg);
    else
        g_string_append(out, arg);
}

/* Arguments are joined by spaces; with --split, every piece of an argument
 * is followed by a line break. */
static bool
cmdVirshEcho(virshControl *ctl, const virshCmd *cmd)
{
    bool shell = virshCmdOptBool(cmd, "shell");
    bool xml = virshCmdOptBool(cmd, "xml");
    bool split = virshCmdOptBool(cmd, "split");
    g_autoptr(GString) out = g_string_new(NULL);
    bool first = true;

    if (shell && xml) {
        virshError(ctl, "%s", "Options --shell and --xml are mutually exclusive");
        return false;
    }
    if (shell && split) {
        virshError(ctl, "%s", "Options --shell and --split are mutually exclusive");
        return false;
    }
    if (xml && split) {
        virshError(ctl, "%s", "Options --xml and --split are mutually exclusive");
        return false;
    }

    for (const char * const *a = virshCmdOptArgv(cmd); *a; a++) {
        g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func(g_free);

        if (split)
            virshEchoSplit(pieces, *a);
        else
            g_ptr_array_add(pieces, g_strdup(*a));

        if (!first)
            g_string_append_c(out, ' ');
        first = false;
        for (size_t i = 0; i < pieces->len; i++) {
            virshEchoAppend(out, g_ptr_array_index(pieces, i), shell, xml);
            if (split)
                g_string_append_c(out, '\n');
        }
    }

    if (virshCmdOptBool(cmd, "err"))
        virshError(ctl, "%s", out->str);
    else
        virshPrint(ctl, "%s", out->str);
    return true;
}

static const virshOptDef opts_cd[] = {
    {.name = "dir", .type = VIRSH_OT_STRING,
     .help = "directory to switch to (default: home or else root)"},
    {.name = NULL}
};

static bool
cmdVirshCd(virshControl *ctl, const virshCmd *cmd)
{
    const char *dir = virshCmdOptString(cmd, "dir");

    if (!ctl->imode) {
        virshError(ctl, "%s", "cd: command valid only in interactive mode");
        return false;
    }
    if (!dir)
        dir = g_get_home_dir();
    if (!dir)
        dir = "/";
    if (chdir(dir) < 0) {
        virshError(ctl, "cd: %s: %s", g_strerror(errno), dir);
        return false;
    }
    return true;
}

static bool
cmdVirshPwd(virshControl *ctl, const virshCmd *cmd)
{
    g_autofree char *cwd = g_get_current_dir();

    virshPrint(ctl, "%s\n", cwd);
    return true;
}

static const virshCmdDef virshItselfCmds[] = {
    {.name = "cd", .handler = cmdVirshCd, .opts = opts_cd,
     .help = "change the current directory", .desc = "Change the current directory.",
     .flags = VIRSH_CMD_FLAG_NOCONNECT},
    {.name = "echo", .handler = cmdVirshEcho, .opts = opts_echo,
     .help = "echo arguments. Used for internal testing.",
     .desc = "Echo back arguments, possibly with quoting. Used for internal testing.",
     .flags = VIRSH_CMD_FLAG_NOCONNECT},
    {.name = "exit", .handler = cmdVirshQuit,
     .help = "quit this interactive terminal", .flags = VIRSH_CMD_FLAG_NOCONNECT},
    {.name = "help", .handler = cmdVirshHelp, .opts = opts_help,
     .help = "print help",
     .desc = "Prints global help, command specific help, or help for a\n"
             "    group of related commands",
     .flags = VIRSH_CMD_FLAG_NOCONNECT},
    {.name = "pwd", .handler = cmdVirshPwd,
     .help = "print the current directory", .desc = "Print the current directory.",
     .flags = VIRSH_CMD_FLAG_NOCONNECT},
    {.name = "quit", .handler = cmdVirshQuit,
     .help = "quit this interactive terminal", .flags = VIRSH_CMD_FLAG_NOCONNECT},
    {.name = "connect", .handler = cmdHostConnect, .opts = virshConnectOpts,
     .help = "(re)connect to hypervisor",
     .desc = "Connect to local hypervisor. This is built-in command after shell start up.",
     .flags = VIRSH_CMD_FLAG_NOCONNECT},
    {.name = NULL}
};

static const virshCmdGroup *
virshGroupsGet(void)
{
    static const virshCmdGroup groups[] = {
        {.name = "Domain Management", .keyword = "domain", .cmds = virshDomainCmds},
        {.name = "Domain Monitoring", .keyword = "monitor", .cmds = virshDomainMonitorCmds},
        {.name = "Domain Events", .keyword = "events", .cmds = virshDomainEventCmds},
        {.name = "Host and Hypervisor", .keyword = "host", .cmds = virshHostCmds},
        {.name = "Networking", .keyword = "network", .cmds = virshNetworkCmds},
        {.name = "Secret", .keyword = "secret", .cmds = virshSecretCmds},
        {.name = "Virsh itself", .keyword = "virsh", .cmds = virshItselfCmds},
        {.name = NULL}
    };

    return groups;
}

static void
virshUsage(const virshCmdGroup *groups)
{
    fprintf(stdout,
            "\n"
            "virsh [options]... [<command_string>]\n"
            "virsh [options]... <command> [args...]\n"
            "\n"
            "  options:\n"
            "    -c | --connect=URI      hypervisor connection URI\n"
            "    -d | --debug=NUM        debug level [0-4]\n"
            "    -e | --escape <char>    set escape sequence for console\n"
            "    -h | --help             this help\n"
            "    -k | --keepalive-interval=NUM\n"
            "                            keepalive interval in seconds, 0 for disable\n"
            "    -K | --keepalive-count=NUM\n"
            "                            number of possible missed keepalive messages\n"
            "    -l | --log=FILE         output logging to file\n"
            "    -q | --quiet            quiet mode\n"
            "    -r | --readonly         connect readonly\n"
            "    -t | --timing           print timing information\n"
            "    -v                      short version\n"
            "    -V                      long version\n"
            "         --version[=TYPE]   version, TYPE is short or long (default short)\n"
            "  commands (non interactive mode):\n"
            "\n");
    for (const virshCmdGroup *g = groups; g->name; g++) {
        fprintf(stdout, " %s (help keyword '%s')\n", g->name, g->keyword);
        for (const virshCmdDef *d = g->cmds; d->name; d++)
            fprintf(stdout, "    %-30s %s\n", d->name, d->help);
        fputc('\n', stdout);
    }
    fprintf(stdout,
            "\n"
            "  (specify help <group> for details about the commands in the group)\n"
            "\n"
            "  (specify help <command> for details about the command)\n"
            "\n");
}

static void
virshShowVersionLong(void)
{
    fprintf(stdout,
            "Virsh command line tool of libvirt %s\n"
            "See web site at https://libvirt.org/\n"
            "\n"
            "Provided by modvirt %s, compatible with libvirt %s.\n"
            "Compiled with support for:\n"
            " Networking: Network\n"
            " Miscellaneous: Secrets\n",
            MV_LIBVIRT_COMPAT_VERSION, MV_VERSION, MV_LIBVIRT_COMPAT_VERSION);
}

/* Parses a whole non-negative number; -1 when @s is not one, -2 when it is
 * negative. */
static int
virshParseCount(const char *s, long *val)
{
    char *end = NULL;

    errno = 0;
    *val = strtol(s, &end, 10);
    if (errno || end == s || *end || *val > INT_MAX || *val < INT_MIN)
        return -1;
    return *val < 0 ? -2 : 0;
}

/* A console escape is one character or '^' followed by '@'..'_'. */
static bool
virshEscapeValid(const char *s)
{
    size_t len = strlen(s);

    return len == 1 || (len == 2 && s[0] == '^' && s[1] >= '@' && s[1] <= '_');
}

/* Handles the options before the command.  Returns 1 to go on, 0 to exit
 * successfully (help, version), -1 to exit with failure. */
static int
virshParseArgv(virshControl *ctl, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"connect", required_argument, NULL, 'c'},
        {"debug", required_argument, NULL, 'd'},
        {"escape", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {"keepalive-interval", required_argument, NULL, 'k'},
        {"keepalive-count", required_argument, NULL, 'K'},
        {"log", required_argument, NULL, 'l'},
        {"quiet", no_argument, NULL, 'q'},
        {"readonly", no_argument, NULL, 'r'},
        {"timing", no_argument, NULL, 't'},
        {"version", optional_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };
    int c;
    int longindex = -1;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:c:d:e:hk:K:l:qrtvV", longopts, &longindex)) != -1) {
        long val;
        int r;

        switch (c) {
        case 'c':
            g_free(ctl->connname);
            ctl->connname = g_strdup(optarg);
            break;
        case 'd':
            if (virshParseCount(optarg, &val) == -1) {
                virshError(ctl, "option %s takes a numeric argument",
                           longindex == -1 ? "-d" : "--debug");
                return -1;
            }
            if (val < 0 || val > 4)
                virshError(ctl, "ignoring debug level %ld out of range [0-4]", val);
            else
                ctl->debug = val;
            break;
        case 'e':
            if (!virshEscapeValid(optarg)) {
                virshError(ctl, "Invalid string '%s' for escape sequence", optarg);
                return -1;
            }
            break;
        case 'h':
            virshUsage(ctl->groups);
            return 0;
        case 'k':
        case 'K':
            r = virshParseCount(optarg, &val);
            if (r == -1) {
                virshError(ctl, "Invalid value for option %s",
                           c == 'k' ? "-k" : "-K");
                return -1;
            }
            if (r == -2) {
                virshError(ctl, "option %s requires a positive integer argument",
                           c == 'k' ? "-k" : "-K");
                return -1;
            }
            if (c == 'k')
                ctl->keepaliveInterval = val;
            else
                ctl->keepaliveCount = val;
            break;
        case 'l':
            /* modvirt's virsh keeps no log file; accepted for compatibility */
            break;
        case 'q':
            ctl->quiet = true;
            break;
        case 'r':
            ctl->readonly = true;
            break;
        case 't':
            ctl->timing = true;
            break;
        case 'v':
            if (optarg && strcmp(optarg, "long") == 0) {
                virshShowVersionLong();
                return 0;
            }
            if (optarg && strcmp(optarg, "short") != 0) {
                virshError(ctl, "unknown version type: '%s'", optarg);
                return -1;
            }
            fprintf(stdout, "%s\n", MV_LIBVIRT_COMPAT_VERSION);
            return 0;
        case 'V':
            virshShowVersionLong();
            return 0;
        case ':':
            for (size_t i = 0; longopts[i].name; i++) {
                if (longopts[i].val == optopt) {
                    virshError(ctl, "option '-%c'/'--%s' requires an argument",
                               optopt, longopts[i].name);
                    return -1;
                }
            }
            virshError(ctl, "option '-%c' requires an argument", optopt);
            return -1;
        case '?':
        default:
            if (optopt)
                virshError(ctl, "unsupported option '-%c'. See --help.", optopt);
            else
                virshError(ctl, "unsupported option '%s'. See --help.", argv[optind - 1]);
            return -1;
        }
        longindex = -1;
    }
    return 1;
}

/* Reads one line of input without its line break; NULL at end of input. */
static char *
virshReadLine(void)
{
    g_autofree char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);

    if (n < 0)
        return NULL;
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = '\0';
    return g_steal_pointer(&line);
}

static void
virshInteractive(virshControl *ctl)
{
    bool echo = !isatty(STDIN_FILENO);

    ctl->imode = true;
    if (!ctl->quiet) {
        virshPrint(ctl, "%s",
                   "Welcome to virsh, the virtualization interactive terminal.\n"
                   "\n"
                   "Type:  'help' for help with commands\n"
                   "       'quit' to quit\n"
                   "\n");
    }

    while (ctl->imode) {
        g_autofree char *line = NULL;
        g_autofree char *err = NULL;
        g_autoptr(virshCmd) cmds = NULL;

        virshPrint(ctl, "%s", ctl->readonly ? VIRSH_PROMPT_RO : VIRSH_PROMPT_RW);
        fflush(stdout);
        if (!(line = virshReadLine()))
            break;
        /* what a line editor shows when the input is not a terminal */
        if (echo)
            virshPrint(ctl, "%s\n", line);

        if (!virshCommandParseString(ctl->groups, line, &cmds, &err)) {
            virshError(ctl, "%s", err);
            continue;
        }
        virshCommandRun(ctl, cmds);
    }
    virshPrint(ctl, "\n");
}

int
main(int argc, char **argv)
{
    virshControl ctl = {
        .keepaliveInterval = VIRSH_KEEPALIVE_INTERVAL,
        .keepaliveCount = VIRSH_KEEPALIVE_COUNT,
        .eventPipe = { -1, -1 },
    };
    int r;
    bool ok = true;

    g_mutex_init(&ctl.errLock);
    ctl.groups = virshGroupsGet();
    ctl.connname = g_strdup(getenv("VIRSH_DEFAULT_CONNECT_URI"));
    if (ctl.connname && !*ctl.connname)
        g_clear_pointer(&ctl.connname, g_free);

    if ((r = virshParseArgv(&ctl, argc, argv)) <= 0)
        return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;

    virshErrorInit(&ctl);
    if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0) {
        virshReportError(&ctl);
        return EXIT_FAILURE;
    }
    virshEventLoopStart(&ctl);

    /* a named connection must work before anything runs; the default one
     * is opened when the first command needs it */
    if (ctl.connname && virshReconnect(&ctl, NULL, false, false) < 0) {
        virshReportError(&ctl);
        ok = false;
    } else if (optind < argc) {
        g_autoptr(virshCmd) cmds = NULL;
        g_autofree char *err = NULL;
        bool parsed;

        if (argc - optind == 1)
            parsed = virshCommandParseString(ctl.groups, argv[optind], &cmds, &err);
        else
            parsed = virshCommandParseArgv(ctl.groups, argc - optind, argv + optind,
                                           &cmds, &err);
        if (!parsed) {
            virshError(&ctl, "%s", err);
            ok = false;
        } else {
            ok = virshCommandRun(&ctl, cmds);
        }
    } else {
        virshInteractive(&ctl);
    }

    fflush(stdout);
    virshDisconnect(&ctl);
    virshEventLoopStop(&ctl);
    g_free(ctl.connname);
    g_free(ctl.errMessage);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
