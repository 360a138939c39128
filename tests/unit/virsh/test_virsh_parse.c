/*
 * Unit tests of virsh_parse: tokenising (quotes, escapes, comments,
 * separators), option assignment (positional, --opt=value, --, booleans),
 * the exact parse error messages of virsh 9.0, help texts and table layout.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "virsh_parse.h"

static const virshOptDef optsDump[] = {
    {.name = "secret", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ, .help = "secret UUID"},
    {.name = "xpath", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "xpath expression to filter the XML document"},
    {.name = "wrap", .type = VIRSH_OT_BOOL, .help = "wrap xpath results in an common root element"},
    {.name = NULL}
};

static const virshOptDef optsSet[] = {
    {.name = "secret", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ, .help = "secret UUID"},
    {.name = "file", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "read secret from file"},
    {.name = "plain", .type = VIRSH_OT_BOOL,
     .help = "read the secret from file without converting from base64"},
    {.name = "base64", .type = VIRSH_OT_STRING, .help = "base64-encoded secret value"},
    {.name = NULL}
};

static const virshOptDef optsEvent[] = {
    {.name = "event", .type = VIRSH_OT_STRING, .help = "which event type to wait for"},
    {.name = "timeout", .type = VIRSH_OT_INT, .help = "timeout seconds"},
    {.name = NULL}
};

static const virshOptDef optsEcho[] = {
    {.name = "xml", .type = VIRSH_OT_BOOL, .help = "escape for XML use"},
    {.name = "string", .type = VIRSH_OT_ARGV, .help = "arguments to echo"},
    {.name = NULL}
};

static const virshOptDef optsHelp[] = {
    {.name = "command", .type = VIRSH_OT_STRING, .help = "which command"},
    {.name = NULL}
};

static bool
dummy(virshControl *ctl, const virshCmd *cmd)
{
    return true;
}

static const virshCmdDef cmdsA[] = {
    {.name = "uri", .handler = dummy, .help = "print the hypervisor canonical URI"},
    {.name = "secret-dumpxml", .handler = dummy, .opts = optsDump,
     .help = "secret attributes in XML",
     .desc = "Output attributes of a secret as an XML dump to stdout."},
    {.name = "secret-set-value", .handler = dummy, .opts = optsSet, .help = "set a secret value",
     .desc = "Set a secret value."},
    {.name = "secret-event", .handler = dummy, .opts = optsEvent, .help = "Secret Events"},
    {.name = NULL}
};

static const virshCmdDef cmdsB[] = {
    {.name = "echo", .handler = dummy, .opts = optsEcho, .help = "echo arguments"},
    {.name = "help", .handler = dummy, .opts = optsHelp, .help = "print help"},
    {.name = NULL}
};

static const virshCmdGroup groups[] = {
    {.name = "Secret", .keyword = "secret", .cmds = cmdsA},
    {.name = "Virsh itself", .keyword = "virsh", .cmds = cmdsB},
    {.name = NULL}
};

/* Parses @line expecting failure with exactly @msg. */
static void
assertParseError(const char *line, const char *msg)
{
    g_autoptr(virshCmd) cmds = NULL;
    g_autofree char *err = NULL;

    g_assert_false(virshCommandParseString(groups, line, &cmds, &err));
    g_assert_null(cmds);
    g_assert_cmpstr(err, ==, msg);
}

static virshCmd *
parseOk(const char *line)
{
    virshCmd *cmds = NULL;
    g_autofree char *err = NULL;

    g_assert_true(virshCommandParseString(groups, line, &cmds, &err));
    g_assert_null(err);
    return cmds;
}

static char *
echoJoined(const virshCmd *cmd)
{
    return g_strjoinv("|", (char **) virshCmdOptArgv(cmd));
}

static void
testQuoting(void)
{
    g_autoptr(virshCmd) c = parseOk("echo \"a  b\" c\\ d 'e f' \"x\\\"y\" 'p\\q'");
    g_autofree char *joined = echoJoined(c);

    g_assert_cmpstr(c->def->name, ==, "echo");
    g_assert_cmpstr(joined, ==, "a  b|c d|e f|x\"y|p\\q");
    g_assert_null(c->next);
}

static void
testSeparatorsAndComments(void)
{
    g_autoptr(virshCmd) c = parseOk(" ;uri; echo a#b #c d\necho x;;uri");
    g_autofree char *j1 = NULL;
    g_autofree char *j2 = NULL;

    g_assert_cmpstr(c->def->name, ==, "uri");
    g_assert_cmpstr(c->next->def->name, ==, "echo");
    j1 = echoJoined(c->next);
    g_assert_cmpstr(j1, ==, "a#b");
    g_assert_cmpstr(c->next->next->def->name, ==, "echo");
    j2 = echoJoined(c->next->next);
    g_assert_cmpstr(j2, ==, "x");
    g_assert_cmpstr(c->next->next->next->def->name, ==, "uri");
    g_assert_null(c->next->next->next->next);

    {
        g_autoptr(virshCmd) none = parseOk("   # only a comment");
        g_assert_null(none);
    }
    {
        /* an unterminated single quote is accepted */
        g_autoptr(virshCmd) q = parseOk("echo 'abc");
        g_autofree char *j = echoJoined(q);
        g_assert_cmpstr(j, ==, "abc");
    }
}

static void
testOptions(void)
{
    g_autoptr(virshCmd) c = parseOk("secret-set-value --secret=U Zm9v --plain");
    g_autoptr(virshCmd) d = parseOk("secret-set-value U --file /x");
    g_autoptr(virshCmd) e = parseOk("secret-event lifecycle 5");
    g_autoptr(virshCmd) f = parseOk("echo -- --xml b");
    g_autofree char *jf = echoJoined(f);

    g_assert_cmpstr(virshCmdOptString(c, "secret"), ==, "U");
    g_assert_cmpstr(virshCmdOptString(c, "base64"), ==, "Zm9v");
    g_assert_true(virshCmdOptBool(c, "plain"));
    g_assert_null(virshCmdOptString(c, "file"));

    g_assert_cmpstr(virshCmdOptString(d, "file"), ==, "/x");
    g_assert_false(virshCmdOptBool(d, "base64"));

    g_assert_cmpstr(virshCmdOptString(e, "event"), ==, "lifecycle");
    g_assert_cmpstr(virshCmdOptString(e, "timeout"), ==, "5");

    g_assert_false(virshCmdOptBool(f, "xml"));
    g_assert_cmpstr(jf, ==, "--xml|b");
}

static void
testArgv(void)
{
    char *argv[] = { (char *) "echo", (char *) "a;b", (char *) ";", (char *) "#c", NULL };
    char *argvBad[] = { (char *) "uri", (char *) ";", (char *) "uri", NULL };
    g_autoptr(virshCmd) c = NULL;
    g_autoptr(virshCmd) bad = NULL;
    g_autofree char *err = NULL;
    g_autofree char *err2 = NULL;
    g_autofree char *joined = NULL;

    g_assert_true(virshCommandParseArgv(groups, 4, argv, &c, &err));
    joined = echoJoined(c);
    g_assert_cmpstr(joined, ==, "a;b|;|#c");

    g_assert_false(virshCommandParseArgv(groups, 3, argvBad, &bad, &err2));
    g_assert_cmpstr(err2, ==, "unexpected data ';'");
}

static void
testErrors(void)
{
    assertParseError("foo", "unknown command: 'foo'");
    assertParseError("uri; SECRET-DUMPXML", "unknown command: 'SECRET-DUMPXML'");
    assertParseError("secret-dumpxml", "command 'secret-dumpxml' requires <secret> option");
    assertParseError("secret-dumpxml --bogus", "command 'secret-dumpxml' doesn't support option --bogus");
    assertParseError("secret-dumpxml --secret", "expected syntax: --secret <string>");
    assertParseError("secret-event --timeout", "expected syntax: --timeout <number>");
    assertParseError("secret-dumpxml --secret a --secret b", "option --secret already seen");
    assertParseError("secret-dumpxml a extra", "unexpected data 'extra'");
    assertParseError("secret-dumpxml a --wrap=1", "invalid '=' after option --wrap");
    assertParseError("echo a\\", "dangling \\");
    assertParseError("echo \"abc", "missing \"");
    /* the whole input fails before anything runs */
    assertParseError("uri; uri extra", "unexpected data 'extra'");
}

static void
testHelpOption(void)
{
    g_autoptr(virshCmd) c = parseOk("secret-dumpxml --help");

    g_assert_cmpstr(c->def->name, ==, "help");
    g_assert_cmpstr(virshCmdOptString(c, "command"), ==, "secret-dumpxml");
    {
        /* help ignores extra data */
        g_autoptr(virshCmd) h = parseOk("help uri more");
        g_assert_cmpstr(virshCmdOptString(h, "command"), ==, "uri");
    }
}

static void
testHelpFormat(void)
{
    g_autofree char *dump = virshHelpFormatCommand(&cmdsA[1]);
    g_autofree char *uri = virshHelpFormatCommand(&cmdsA[0]);
    g_autofree char *grp = virshHelpFormatGroup(&groups[0]);

    g_assert_cmpstr(dump, ==,
                    "  NAME\n"
                    "    secret-dumpxml - secret attributes in XML\n"
                    "\n"
                    "  SYNOPSIS\n"
                    "    secret-dumpxml <secret> [--xpath <string>] [--wrap]\n"
                    "\n"
                    "  DESCRIPTION\n"
                    "    Output attributes of a secret as an XML dump to stdout.\n"
                    "\n"
                    "  OPTIONS\n"
                    "    [--secret] <string>  secret UUID\n"
                    "    --xpath <string>  xpath expression to filter the XML document\n"
                    "    --wrap           wrap xpath results in an common root element\n"
                    "\n");
    g_assert_cmpstr(uri, ==,
                    "  NAME\n"
                    "    uri - print the hypervisor canonical URI\n"
                    "\n"
                    "  SYNOPSIS\n"
                    "    uri\n"
                    "\n");
    g_assert_true(g_str_has_prefix(grp,
                                   " Secret (help keyword 'secret'):\n"
                                   "    uri                            print the hypervisor canonical URI\n"));
    g_assert_true(virshCmdGroupFind(groups, "SECRET") == &groups[0]);
    g_assert_null(virshCmdGroupFind(groups, "nope"));
}

static void
testTable(void)
{
    g_autoptr(virshTable) empty = virshTableNew("UUID", "Usage", NULL);
    g_autoptr(virshTable) t = virshTableNew("UUID", "Usage", NULL);
    g_autofree char *e = virshTableFormat(empty, true);
    g_autofree char *eq = virshTableFormat(empty, false);
    g_autofree char *s = NULL;

    g_assert_cmpstr(e, ==, " UUID   Usage\n---------------\n");
    g_assert_cmpstr(eq, ==, "");

    virshTableAddRow(t, "11111111-2222-3333-4444-555555555555",
                     "volume /var/lib/libvirt/images/one.img", NULL);
    virshTableAddRow(t, "91889f06-4daa-4150-9673-125d25e8d25f", "Unused", NULL);
    s = virshTableFormat(t, true);
    g_assert_cmpstr(s, ==,
                    " UUID                                   Usage\n"
                    "--------------------------------------------------------------------------------\n"
                    " 11111111-2222-3333-4444-555555555555   volume /var/lib/libvirt/images/one.img\n"
                    " 91889f06-4daa-4150-9673-125d25e8d25f   Unused\n");
    {
        g_autofree char *q = virshTableFormat(t, false);

        g_assert_cmpstr(q, ==,
                        " 11111111-2222-3333-4444-555555555555   volume /var/lib/libvirt/images/one.img\n"
                        " 91889f06-4daa-4150-9673-125d25e8d25f   Unused\n");
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virsh/parse/quoting", testQuoting);
    g_test_add_func("/virsh/parse/separators-comments", testSeparatorsAndComments);
    g_test_add_func("/virsh/parse/options", testOptions);
    g_test_add_func("/virsh/parse/argv", testArgv);
    g_test_add_func("/virsh/parse/errors", testErrors);
    g_test_add_func("/virsh/parse/help-option", testHelpOption);
    g_test_add_func("/virsh/help/format", testHelpFormat);
    g_test_add_func("/virsh/table/format", testTable);
    return g_test_run();
}
