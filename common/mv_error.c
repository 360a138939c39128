/*
 * mv_error: see mv_error.h.  Each thread owns one virError, stored in a
 * GPrivate that frees it when the thread ends.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <string.h>

#include "mv_error.h"

static void mvErrorFreeThread(gpointer data);
static GPrivate mvErrorKey = G_PRIVATE_INIT(mvErrorFreeThread);
static mvErrorHook mvErrorGlobalHook;

typedef struct {
    int code;
    const char *bare;     /* the message when there is no detail */
    const char *format;   /* the message with one %s for the detail; NULL = detail alone */
} mvErrorPhraseEntry;

/* Phrases for the codes modvirt reports; others fall back to a generic one. */
static const mvErrorPhraseEntry mvErrorPhrases[] = {
    { VIR_ERR_OK, "no error", NULL },
    { VIR_ERR_INTERNAL_ERROR, "internal error",
      "internal error: %s" },
    { VIR_ERR_NO_MEMORY, "out of memory",
      "out of memory: %s" },
    { VIR_ERR_NO_SUPPORT, "this function is not supported by the connection driver",
      "this function is not supported by the connection driver: %s" },
    { VIR_ERR_NO_CONNECT, "no connection driver available",
      "no connection driver available for %s" },
    { VIR_ERR_INVALID_CONN, "invalid connection pointer in",
      "invalid connection pointer in %s" },
    { VIR_ERR_INVALID_DOMAIN, "invalid domain pointer in",
      "invalid domain pointer in %s" },
    { VIR_ERR_INVALID_ARG, "invalid argument",
      "invalid argument: %s" },
    { VIR_ERR_OPERATION_FAILED, "operation failed",
      "operation failed: %s" },
    { VIR_ERR_XML_ERROR, "XML description is invalid or not well formed",
      "XML error: %s" },
    { VIR_ERR_DOM_EXIST, "this domain exists already",
      "domain %s exists already" },
    { VIR_ERR_OPERATION_DENIED, "operation forbidden for read only access",
      "operation forbidden: %s" },
    { VIR_ERR_OPEN_FAILED, "failed to open configuration file",
      "failed to open configuration file: %s" },
    { VIR_ERR_READ_FAILED, "failed to read configuration file",
      "failed to read configuration file: %s" },
    { VIR_ERR_PARSE_FAILED, "failed to parse configuration file",
      "failed to parse configuration file: %s" },
    { VIR_ERR_CONF_SYNTAX, "configuration file syntax error",
      "configuration file syntax error: %s" },
    { VIR_ERR_WRITE_FAILED, "failed to write configuration file",
      "failed to write configuration file: %s" },
    { VIR_ERR_XML_DETAIL, "parser error", NULL },
    { VIR_ERR_INVALID_NETWORK, "invalid network pointer in",
      "invalid network pointer in %s" },
    { VIR_ERR_NETWORK_EXIST, "this network exists already",
      "network %s exists already" },
    { VIR_ERR_SYSTEM_ERROR, "system call error", NULL },
    { VIR_ERR_RPC, "RPC error", NULL },
    { VIR_ERR_GNUTLS_ERROR, "GNUTLS call error", NULL },
    { VIR_ERR_NO_DOMAIN, "Domain not found",
      "Domain not found: %s" },
    { VIR_ERR_INVALID_NETWORK_PORT, "Invalid network port pointer",
      "Invalid network port pointer: %s" },
    { VIR_ERR_NETWORK_PORT_EXIST, "this network port exists already",
      "network port %s exists already" },
    { VIR_ERR_NO_NETWORK_PORT, "network port not found",
      "network port not found: %s" },
    { VIR_ERR_NO_NETWORK, "Network not found",
      "Network not found: %s" },
    { VIR_ERR_INVALID_MAC, "invalid MAC address",
      "invalid MAC address: %s" },
    { VIR_ERR_AUTH_FAILED, "authentication failed",
      "authentication failed: %s" },
    { VIR_ERR_INVALID_STORAGE_POOL, "invalid storage pool pointer in",
      "invalid storage pool pointer in %s" },
    { VIR_ERR_INVALID_STORAGE_VOL, "invalid storage volume pointer in",
      "invalid storage volume pointer in %s" },
    { VIR_ERR_NO_STORAGE_POOL, "Storage pool not found",
      "Storage pool not found: %s" },
    { VIR_ERR_NO_STORAGE_VOL, "Storage volume not found",
      "Storage volume not found: %s" },
    { VIR_ERR_INVALID_NODE_DEVICE, "invalid node device pointer",
      "invalid node device pointer in %s" },
    { VIR_ERR_NO_NODE_DEVICE, "Node device not found",
      "Node device not found: %s" },
    { VIR_ERR_NO_SECURITY_MODEL, "Security model not found",
      "Security model not found: %s" },
    { VIR_ERR_OPERATION_INVALID, "Requested operation is not valid",
      "Requested operation is not valid: %s" },
    { VIR_ERR_INVALID_SECRET, "Invalid secret",
      "Invalid secret: %s" },
    { VIR_ERR_NO_SECRET, "Secret not found",
      "Secret not found: %s" },
    { VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration",
      "unsupported configuration: %s" },
    { VIR_ERR_OPERATION_TIMEOUT, "Timed out during operation",
      "Timed out during operation: %s" },
    { VIR_ERR_INVALID_STREAM, "invalid stream pointer",
      "invalid stream pointer in %s" },
    { VIR_ERR_ARGUMENT_UNSUPPORTED, "argument unsupported",
      "argument unsupported: %s" },
    { VIR_ERR_OPERATION_ABORTED, "operation aborted",
      "operation aborted: %s" },
    { VIR_ERR_AUTH_CANCELLED, "authentication cancelled",
      "authentication cancelled: %s" },
    { VIR_ERR_OVERFLOW, "value too large",
      "value too large: %s" },
    { VIR_ERR_OPERATION_UNSUPPORTED, "Operation not supported",
      "Operation not supported: %s" },
    { VIR_ERR_RESOURCE_BUSY, "resource busy",
      "resource busy: %s" },
    { VIR_ERR_ACCESS_DENIED, "access denied",
      "access denied: %s" },
    { VIR_ERR_STORAGE_VOL_EXIST, "this storage volume exists already",
      "storage volume %s exists already" },
    { VIR_ERR_XML_INVALID_SCHEMA, "XML document failed to validate against schema",
      "XML document failed to validate against schema: %s" },
    { VIR_ERR_NO_SERVER, "Server not found",
      "Server not found: %s" },
    { VIR_ERR_NO_CLIENT, "Client not found",
      "Client not found: %s" },
    { VIR_ERR_NO_HOSTNAME, "no hostname found",
      "no hostname found: %s" },
};

const char *
mvErrorPhrase(int code, bool withDetail)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(mvErrorPhrases); i++) {
        if (mvErrorPhrases[i].code == code)
            return withDetail ? mvErrorPhrases[i].format : mvErrorPhrases[i].bare;
    }
    return withDetail ? "error: %s" : "unknown error";
}

static void
mvErrorFreeThread(gpointer data)
{
    virErrorPtr err = data;

    mvErrorClear(err);
    g_free(err);
}

static virErrorPtr
mvErrorThreadGet(void)
{
    virErrorPtr err = g_private_get(&mvErrorKey);

    if (!err) {
        err = g_new0(virError, 1);
        g_private_set(&mvErrorKey, err);
    }
    return err;
}

void
mvErrorClear(virErrorPtr err)
{
    if (!err)
        return;
    g_free(err->message);
    g_free(err->str1);
    g_free(err->str2);
    g_free(err->str3);
    memset(err, 0, sizeof(*err));
}

void
mvErrorCopy(const virError *from, virErrorPtr to)
{
    virError tmp = *from;

    tmp.message = g_strdup(from->message);
    tmp.str1 = g_strdup(from->str1);
    tmp.str2 = g_strdup(from->str2);
    tmp.str3 = g_strdup(from->str3);
    tmp.conn = NULL;
    tmp.dom = NULL;
    tmp.net = NULL;
    mvErrorClear(to);
    *to = tmp;
}

virErrorPtr
mvErrorGetLast(void)
{
    virErrorPtr err = g_private_get(&mvErrorKey);

    if (!err || err->code == VIR_ERR_OK)
        return NULL;
    return err;
}

bool
mvErrorIsSet(void)
{
    return mvErrorGetLast() != NULL;
}

void
mvErrorReset(void)
{
    virErrorPtr err = g_private_get(&mvErrorKey);

    mvErrorClear(err);
}

void
mvErrorSetRaw(int code, int domain, int level, const char *message,
              const char *str1, const char *str2, const char *str3,
              int int1, int int2)
{
    virErrorPtr err = mvErrorThreadGet();

    mvErrorClear(err);
    err->code = code;
    err->domain = domain;
    err->level = level;
    err->message = g_strdup(message ? message : mvErrorPhrase(code, false));
    err->str1 = g_strdup(str1);
    err->str2 = g_strdup(str2);
    err->str3 = g_strdup(str3);
    err->int1 = int1;
    err->int2 = int2;
}

/* Puts @detail where the single %s of @format is. */
static char *
mvErrorCompose(const char *format, const char *detail)
{
    const char *at = strstr(format, "%s");

    if (!at)
        return g_strdup_printf("%s: %s", format, detail);
    return g_strdup_printf("%.*s%s%s", (int)(at - format), format, detail, at + 2);
}

static void
mvErrorReportDetail(int domain, int code, const char *file, const char *func,
                    size_t line, const char *format, char *detail /* owned */)
{
    virErrorPtr err = mvErrorThreadGet();

    mvErrorClear(err);
    err->code = code;
    err->domain = domain;
    err->level = VIR_ERR_ERROR;
    err->int1 = -1;
    err->int2 = -1;
    if (detail && *detail) {
        if (format) {
            err->message = mvErrorCompose(format, detail);
            err->str1 = g_strdup(format);
        } else {
            err->message = g_strdup(detail);
            err->str1 = g_strdup("%s");
        }
        err->str2 = detail;
        detail = NULL;
    } else {
        err->message = g_strdup(mvErrorPhrase(code, false));
        err->str1 = g_strdup(err->message);
    }
    g_free(detail);

    if (mvErrorGlobalHook)
        mvErrorGlobalHook(err, file, func, line);
}

void
mvReportErrorFull(int domain, int code, const char *file, const char *func,
                  size_t line, const char *fmt, ...)
{
    char *detail = NULL;
    va_list ap;

    if (fmt) {
        va_start(ap, fmt);
        detail = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }
    mvErrorReportDetail(domain, code, file, func, line, mvErrorPhrase(code, true), detail);
}

void
mvReportErrorPlainFull(int domain, int code, const char *file, const char *func,
                       size_t line, const char *fmt, ...)
{
    va_list ap;
    char *detail;

    va_start(ap, fmt);
    detail = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    mvErrorReportDetail(domain, code, file, func, line, NULL, detail);
}

void
mvReportSystemErrorFull(int domain, int errnum, const char *file,
                        const char *func, size_t line, const char *fmt, ...)
{
    g_autofree char *what = NULL;
    va_list ap;

    va_start(ap, fmt);
    what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    mvErrorReportDetail(domain, VIR_ERR_SYSTEM_ERROR, file, func, line, NULL,
                        g_strdup_printf("%s: %s", what, g_strerror(errnum)));
}

mvErrorSaved *
mvErrorSave(void)
{
    virErrorPtr cur = mvErrorGetLast();
    mvErrorSaved *saved;

    if (!cur)
        return NULL;
    saved = g_new0(virError, 1);
    mvErrorCopy(cur, saved);
    return saved;
}

void
mvErrorRestore(mvErrorSaved **saved)
{
    virErrorPtr err;

    if (!*saved)
        return;
    err = mvErrorThreadGet();
    mvErrorClear(err);
    *err = **saved;
    g_free(*saved);
    *saved = NULL;
}

void
mvErrorSavedFree(mvErrorSaved *saved)
{
    if (!saved)
        return;
    mvErrorClear(saved);
    g_free(saved);
}

void
mvErrorSetHook(mvErrorHook hook)
{
    mvErrorGlobalHook = hook;
}
