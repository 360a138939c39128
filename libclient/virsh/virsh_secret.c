/*
 * virsh_secret: the secret commands of virsh (secret-define, -undefine,
 * -dumpxml, -list, -set-value, -get-value, -event).  Secrets are named by
 * UUID only, as in virsh 9.0.  Secret values are wiped from memory as soon
 * as they have been sent or printed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "virsh_util.h"

#define VIRSH_MAX_XML_FILE (10 * 1024 * 1024)
#define VIRSH_MAX_SECRET_FILE 1024
#define VIRSH_MAX_SECRET_LINE 4096

static void
virshSecretFree(virSecretPtr secret)
{
    if (secret)
        virSecretFree(secret);
}

typedef virSecret virshSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virshSecret, virshSecretFree);

/* Looks up the secret named by the "secret" option; prints
 * "failed to get secret 'X'" when there is none. */
static virSecretPtr
virshCommandOptSecret(virshControl *ctl, const virshCmd *cmd, const char **name)
{
    const char *n = virshCmdOptString(cmd, "secret");
    virSecretPtr secret;

    if (!n)
        return NULL;
    if (name)
        *name = n;
    if (!(secret = virSecretLookupByUUIDString(ctl->conn, n)))
        virshError(ctl, "failed to get secret '%s'", n);
    return secret;
}

static const virshOptDef opts_secret_define[] = {
    {.name = "file", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "file containing secret attributes in XML"},
    {.name = "validate", .type = VIRSH_OT_BOOL, .help = "validate the XML against the schema"},
    {.name = NULL}
};

static bool
cmdSecretDefine(virshControl *ctl, const virshCmd *cmd)
{
    const char *from = virshCmdOptString(cmd, "file");
    g_autofree char *buffer = NULL;
    g_autoptr(virshSecret) secret = NULL;
    unsigned int flags = 0;
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (virshCmdOptBool(cmd, "validate"))
        flags |= VIR_SECRET_DEFINE_VALIDATE;

    if (virshFileReadAll(ctl, from, VIRSH_MAX_XML_FILE, &buffer) < 0)
        return false;

    if (!(secret = virSecretDefineXML(ctl->conn, buffer, flags))) {
        virshError(ctl, "Failed to set attributes from %s", from);
        return false;
    }
    if (virSecretGetUUIDString(secret, uuid) < 0) {
        virshError(ctl, "%s", "Failed to get UUID of created secret");
        return false;
    }
    virshPrintExtra(ctl, "Secret %s created\n", uuid);
    return true;
}

static const virshOptDef opts_secret_dumpxml[] = {
    {.name = "secret", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ, .help = "secret UUID"},
    {.name = "xpath", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "xpath expression to filter the XML document"},
    {.name = "wrap", .type = VIRSH_OT_BOOL,
     .help = "wrap xpath results in an common root element"},
    {.name = NULL}
};

static bool
cmdSecretDumpXML(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshSecret) secret = virshCommandOptSecret(ctl, cmd, NULL);
    g_autofree char *xml = NULL;

    if (!secret)
        return false;
    if (!(xml = virSecretGetXMLDesc(secret, 0)))
        return false;
    return virshDumpXML(ctl, xml, "secret", virshCmdOptString(cmd, "xpath"),
                        virshCmdOptBool(cmd, "wrap"));
}

static const virshOptDef opts_secret_set_value[] = {
    {.name = "secret", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ, .help = "secret UUID"},
    {.name = "file", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "read secret from file"},
    {.name = "plain", .type = VIRSH_OT_BOOL,
     .help = "read the secret from file without converting from base64"},
    {.name = "interactive", .type = VIRSH_OT_BOOL, .help = "read the secret from the terminal"},
    {.name = "base64", .type = VIRSH_OT_STRING, .help = "base64-encoded secret value"},
    {.name = NULL}
};

/* Holds secret bytes and wipes them when released. */
typedef struct {
    char *data;
    gsize len;
} virshSecretBytes;

static void
virshSecretBytesClear(virshSecretBytes *b)
{
    if (b->data) {
        explicit_bzero(b->data, b->len);
        g_free(b->data);
    }
    b->data = NULL;
    b->len = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(virshSecretBytes, virshSecretBytesClear);

/* Reads one line from stdin with the terminal's echo off (when it is a
 * terminal).  Returns NULL at once on a read error. */
static char *
virshReadPassword(void)
{
    struct termios old;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    char buf[VIRSH_MAX_SECRET_LINE];
    char *res;

    if (tty) {
        struct termios noecho = old;

        noecho.c_lflag &= ~(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
    }
    res = fgets(buf, sizeof(buf), stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stdout);
    }
    if (!res) {
        if (ferror(stdin))
            return NULL;
        buf[0] = '\0';
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    res = g_strdup(buf);
    explicit_bzero(buf, sizeof(buf));
    return res;
}

static bool
virshCheckExclusive(virshControl *ctl, const virshCmd *cmd, const char *a, const char *b)
{
    if (virshCmdOptBool(cmd, a) && virshCmdOptBool(cmd, b)) {
        virshError(ctl, "Options --%s and --%s are mutually exclusive", a, b);
        return false;
    }
    return true;
}

static bool
cmdSecretSetValue(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshSecret) secret = NULL;
    g_auto(virshSecretBytes) val = { 0 };
    const char *base64 = virshCmdOptString(cmd, "base64");
    const char *filename = virshCmdOptString(cmd, "file");
    bool plain = virshCmdOptBool(cmd, "plain");
    bool interactive = virshCmdOptBool(cmd, "interactive");
    int res;

    if (!virshCheckExclusive(ctl, cmd, "file", "base64") ||
        !virshCheckExclusive(ctl, cmd, "plain", "base64") ||
        !virshCheckExclusive(ctl, cmd, "interactive", "base64") ||
        !virshCheckExclusive(ctl, cmd, "interactive", "plain") ||
        !virshCheckExclusive(ctl, cmd, "interactive", "file"))
        return false;

    if (!(secret = virshCommandOptSecret(ctl, cmd, NULL)))
        return false;

    if (base64) {
        virshError(ctl, "%s", "Passing secret value as command-line argument is insecure!");
        val.data = g_strdup(base64);
        val.len = strlen(val.data);
    } else if (filename) {
        gssize n = virshFileReadAll(ctl, filename, VIRSH_MAX_SECRET_FILE, &val.data);

        if (n < 0)
            return false;
        val.len = n;
    } else if (interactive) {
        virshPrint(ctl, "%s", "Enter new value for secret:");
        fflush(stdout);
        if (!(val.data = virshReadPassword())) {
            virshError(ctl, "%s", "Failed to read secret");
            return false;
        }
        val.len = strlen(val.data);
        plain = true;
    } else {
        virshError(ctl, "%s", "Input secret value is missing");
        return false;
    }

    if (!plain) {
        g_auto(virshSecretBytes) decoded = { 0 };

        /* g_base64_decode needs a NUL-terminated string */
        val.data = g_realloc(val.data, val.len + 1);
        val.data[val.len] = '\0';
        decoded.data = (char *) g_base64_decode(val.data, &decoded.len);
        virshSecretBytesClear(&val);
        val = decoded;
        decoded.data = NULL;
        decoded.len = 0;
    }

    res = virSecretSetValue(secret, (const unsigned char *) val.data, val.len, 0);
    if (res != 0) {
        virshError(ctl, "%s", "Failed to set secret value");
        return false;
    }
    virshPrintExtra(ctl, "%s", "Secret value set\n");
    return true;
}

static const virshOptDef opts_secret_get_value[] = {
    {.name = "secret", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ, .help = "secret UUID"},
    {.name = "plain", .type = VIRSH_OT_BOOL, .help = "get value without converting to base64"},
    {.name = NULL}
};

static bool
cmdSecretGetValue(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshSecret) secret = NULL;
    g_auto(virshSecretBytes) val = { 0 };
    size_t size = 0;

    if (!(secret = virshCommandOptSecret(ctl, cmd, NULL)))
        return false;
    if (!(val.data = (char *) virSecretGetValue(secret, &size, 0)))
        return false;
    val.len = size;

    if (virshCmdOptBool(cmd, "plain")) {
        if (fwrite(val.data, 1, val.len, stdout) != val.len) {
            virshError(ctl, "%s", "failed to write secret");
            return false;
        }
    } else {
        g_auto(virshSecretBytes) b64 = { 0 };

        b64.data = g_base64_encode((const guchar *) val.data, val.len);
        b64.len = strlen(b64.data);
        virshPrint(ctl, "%s", b64.data);
    }
    return true;
}

static const virshOptDef opts_secret_undefine[] = {
    {.name = "secret", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ, .help = "secret UUID"},
    {.name = NULL}
};

static bool
cmdSecretUndefine(virshControl *ctl, const virshCmd *cmd)
{
    const char *uuid = NULL;
    g_autoptr(virshSecret) secret = virshCommandOptSecret(ctl, cmd, &uuid);

    if (!secret)
        return false;
    if (virSecretUndefine(secret) < 0) {
        virshError(ctl, "Failed to delete secret %s", uuid);
        return false;
    }
    virshPrintExtra(ctl, "Secret %s deleted\n", uuid);
    return true;
}

static const virshOptDef opts_secret_list[] = {
    {.name = "ephemeral", .type = VIRSH_OT_BOOL, .help = "list ephemeral secrets"},
    {.name = "no-ephemeral", .type = VIRSH_OT_BOOL, .help = "list non-ephemeral secrets"},
    {.name = "private", .type = VIRSH_OT_BOOL, .help = "list private secrets"},
    {.name = "no-private", .type = VIRSH_OT_BOOL, .help = "list non-private secrets"},
    {.name = NULL}
};

static const char *
virshSecretUsageTypeName(int type)
{
    switch (type) {
    case VIR_SECRET_USAGE_TYPE_NONE:
        return "none";
    case VIR_SECRET_USAGE_TYPE_VOLUME:
        return "volume";
    case VIR_SECRET_USAGE_TYPE_CEPH:
        return "ceph";
    case VIR_SECRET_USAGE_TYPE_ISCSI:
        return "iscsi";
    case VIR_SECRET_USAGE_TYPE_TLS:
        return "tls";
    case VIR_SECRET_USAGE_TYPE_VTPM:
        return "vtpm";
    }
    return "unknown";
}

typedef struct {
    virSecretPtr secret;
    char uuid[VIR_UUID_STRING_BUFLEN];
} virshSecretEntry;

static int
virshSecretEntryCompare(const void *a, const void *b)
{
    const virshSecretEntry *ea = a;
    const virshSecretEntry *eb = b;

    return g_ascii_strcasecmp(ea->uuid, eb->uuid);
}

static bool
cmdSecretList(virshControl *ctl, const virshCmd *cmd)
{
    virSecretPtr *secrets = NULL;
    g_autofree virshSecretEntry *entries = NULL;
    g_autoptr(virshTable) table = NULL;
    g_autofree char *text = NULL;
    unsigned int flags = 0;
    int n;

    if (virshCmdOptBool(cmd, "ephemeral"))
        flags |= VIR_CONNECT_LIST_SECRETS_EPHEMERAL;
    if (virshCmdOptBool(cmd, "no-ephemeral"))
        flags |= VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL;
    if (virshCmdOptBool(cmd, "private"))
        flags |= VIR_CONNECT_LIST_SECRETS_PRIVATE;
    if (virshCmdOptBool(cmd, "no-private"))
        flags |= VIR_CONNECT_LIST_SECRETS_NO_PRIVATE;

    if ((n = virConnectListAllSecrets(ctl->conn, &secrets, flags)) < 0) {
        virshError(ctl, "%s", "Failed to list node secrets");
        return false;
    }

    entries = g_new0(virshSecretEntry, n + 1);
    for (int i = 0; i < n; i++) {
        entries[i].secret = secrets[i];
        if (virSecretGetUUIDString(secrets[i], entries[i].uuid) < 0)
            entries[i].uuid[0] = '\0';
    }
    g_free(secrets);
    qsort(entries, n, sizeof(*entries), virshSecretEntryCompare);

    table = virshTableNew("UUID", "Usage", NULL);
    for (int i = 0; i < n; i++) {
        int usageType = virSecretGetUsageType(entries[i].secret);

        if (usageType > 0) {
            g_autofree char *usage = g_strdup_printf("%s %s",
                                                     virshSecretUsageTypeName(usageType),
                                                     virSecretGetUsageID(entries[i].secret));

            virshTableAddRow(table, entries[i].uuid, usage, NULL);
        } else {
            virshTableAddRow(table, entries[i].uuid, "Unused", NULL);
        }
    }
    for (int i = 0; i < n; i++)
        virSecretFree(entries[i].secret);

    text = virshTableFormat(table, !ctl->quiet);
    virshPrint(ctl, "%s", text);
    return true;
}

typedef struct {
    virshControl *ctl;
    bool loop;
    bool timestamp;
    int count;
    const char *name;
} virshSecretEventData;

static char *
virshEventTimestamp(void)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *base = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

    return g_strdup_printf("%s.%03d+0000", base, g_date_time_get_microsecond(now) / 1000);
}

static void
virshSecretEventLifecyclePrint(virConnectPtr conn, virSecretPtr secret, int event,
                               int detail, void *opaque)
{
    virshSecretEventData *data = opaque;
    char uuid[VIR_UUID_STRING_BUFLEN];
    const char *what = "unknown";

    if (!data->loop && data->count)
        return;
    if (event == VIR_SECRET_EVENT_DEFINED)
        what = "Defined";
    else if (event == VIR_SECRET_EVENT_UNDEFINED)
        what = "Undefined";

    virSecretGetUUIDString(secret, uuid);
    if (data->timestamp) {
        g_autofree char *ts = virshEventTimestamp();

        virshPrint(data->ctl, "%s: event 'lifecycle' for secret %s: %s\n", ts, uuid, what);
    } else {
        virshPrint(data->ctl, "event 'lifecycle' for secret %s: %s\n", uuid, what);
    }
    fflush(stdout);

    data->count++;
    if (!data->loop)
        virshEventDone(data->ctl);
}

static void
virshSecretEventGenericPrint(virConnectPtr conn, virSecretPtr secret, void *opaque)
{
    virshSecretEventData *data = opaque;
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!data->loop && data->count)
        return;

    virSecretGetUUIDString(secret, uuid);
    if (data->timestamp) {
        g_autofree char *ts = virshEventTimestamp();

        virshPrint(data->ctl, "%s: event '%s' for secret %s\n", ts, data->name, uuid);
    } else {
        virshPrint(data->ctl, "event '%s' for secret %s\n", data->name, uuid);
    }
    fflush(stdout);

    data->count++;
    if (!data->loop)
        virshEventDone(data->ctl);
}

static const struct {
    const char *name;
    virConnectSecretEventGenericCallback cb;
} virshSecretEventCallbacks[] = {
    [VIR_SECRET_EVENT_ID_LIFECYCLE] = {
        "lifecycle",
        /* the API takes every callback type through the generic one */
        (virConnectSecretEventGenericCallback) (void (*)(void)) virshSecretEventLifecyclePrint },
    [VIR_SECRET_EVENT_ID_VALUE_CHANGED] = {
        "value-changed", virshSecretEventGenericPrint },
};

static const virshOptDef opts_secret_event[] = {
    {.name = "secret", .type = VIRSH_OT_STRING, .help = "filter by secret name or uuid"},
    {.name = "event", .type = VIRSH_OT_STRING, .help = "which event type to wait for"},
    {.name = "loop", .type = VIRSH_OT_BOOL,
     .help = "loop until timeout or interrupt, rather than one-shot"},
    {.name = "timeout", .type = VIRSH_OT_INT, .help = "timeout seconds"},
    {.name = "list", .type = VIRSH_OT_BOOL, .help = "list valid event types"},
    {.name = "timestamp", .type = VIRSH_OT_BOOL, .help = "show timestamp for each printed event"},
    {.name = NULL}
};

static bool
cmdSecretEvent(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshSecret) secret = NULL;
    virshSecretEventData data = { .ctl = ctl };
    const char *eventName = virshCmdOptString(cmd, "event");
    int timeout = 0;
    int eventId = -1;
    size_t event;
    bool ret = false;

    if (virshCmdOptBool(cmd, "list")) {
        for (event = 0; event < G_N_ELEMENTS(virshSecretEventCallbacks); event++)
            virshPrint(ctl, "%s\n", virshSecretEventCallbacks[event].name);
        return true;
    }

    if (!eventName) {
        virshError(ctl, "%s", "either --list or --event <type> is required");
        return false;
    }
    for (event = 0; event < G_N_ELEMENTS(virshSecretEventCallbacks); event++) {
        if (strcmp(eventName, virshSecretEventCallbacks[event].name) == 0)
            break;
    }
    if (event == G_N_ELEMENTS(virshSecretEventCallbacks)) {
        virshError(ctl, "unknown event type %s", eventName);
        return false;
    }

    data.loop = virshCmdOptBool(cmd, "loop");
    data.timestamp = virshCmdOptBool(cmd, "timestamp");
    data.name = virshSecretEventCallbacks[event].name;
    if (virshCommandOptTimeoutToMs(ctl, cmd, &timeout) < 0)
        return false;

    if (virshCmdOptBool(cmd, "secret") &&
        !(secret = virshCommandOptSecret(ctl, cmd, NULL)))
        return false;

    if (virshEventStart(ctl, timeout) < 0)
        return false;

    eventId = virConnectSecretEventRegisterAny(ctl->conn, secret, event,
                                               virshSecretEventCallbacks[event].cb,
                                               &data, NULL);
    if (eventId >= 0) {
        int waited = virshEventWait(ctl);

        if (waited == VIRSH_EVENT_INTERRUPT)
            virshPrint(ctl, "%s", "event loop interrupted\n");
        else if (waited == VIRSH_EVENT_TIMEOUT)
            virshPrint(ctl, "%s", "event loop timed out\n");
        if (waited >= 0) {
            virshPrint(ctl, "events received: %d\n", data.count);
            ret = data.count > 0;
        }
    }

    virshEventCleanup(ctl);
    if (eventId >= 0 && virConnectSecretEventDeregisterAny(ctl->conn, eventId) < 0)
        ret = false;
    return ret;
}

const virshCmdDef virshSecretCmds[] = {
    {.name = "secret-define", .handler = cmdSecretDefine, .opts = opts_secret_define,
     .help = "define or modify a secret from an XML file",
     .desc = "Define or modify a secret."},
    {.name = "secret-dumpxml", .handler = cmdSecretDumpXML, .opts = opts_secret_dumpxml,
     .help = "secret attributes in XML",
     .desc = "Output attributes of a secret as an XML dump to stdout."},
    {.name = "secret-event", .handler = cmdSecretEvent, .opts = opts_secret_event,
     .help = "Secret Events",
     .desc = "List event types, or wait for secret events to occur"},
    {.name = "secret-get-value", .handler = cmdSecretGetValue, .opts = opts_secret_get_value,
     .help = "Output a secret value", .desc = "Output a secret value to stdout."},
    {.name = "secret-list", .handler = cmdSecretList, .opts = opts_secret_list,
     .help = "list secrets", .desc = "Returns a list of secrets"},
    {.name = "secret-set-value", .handler = cmdSecretSetValue, .opts = opts_secret_set_value,
     .help = "set a secret value", .desc = "Set a secret value."},
    {.name = "secret-undefine", .handler = cmdSecretUndefine, .opts = opts_secret_undefine,
     .help = "undefine a secret", .desc = "Undefine a secret."},
    {.name = NULL}
};
