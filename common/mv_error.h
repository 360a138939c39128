/*
 * mv_error: the thread-local error object every layer reports into.
 *
 * A failure is reported once, where it is seen, with mvReportError() (or
 * mvReportSystemError() for errno failures); the function then returns -1 or
 * NULL and its callers just pass that up.  The error carries libvirt's error
 * domain and code numbers because it travels to clients inside remote_error.
 * Each .c file that reports errors defines MV_FROM_THIS to its domain first.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libvirt/virterror.h>

void mvReportErrorFull(int domain, int code,
                       const char *file, const char *func, size_t line,
                       const char *fmt, ...) G_GNUC_PRINTF(6, 7);
void mvReportSystemErrorFull(int domain, int errnum,
                             const char *file, const char *func, size_t line,
                             const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* Like mvReportErrorFull, but the formatted text is the whole message, without
 * the code's phrase: libvirt words its argument checks this way ("value in
 * virSecretSetValue must not be NULL"). */
void mvReportErrorPlainFull(int domain, int code,
                            const char *file, const char *func, size_t line,
                            const char *fmt, ...) G_GNUC_PRINTF(6, 7);

#define mvReportError(code, ...) \
    mvReportErrorFull(MV_FROM_THIS, code, __FILE__, __func__, __LINE__, __VA_ARGS__)
#define mvReportSystemError(errnum, ...) \
    mvReportSystemErrorFull(MV_FROM_THIS, errnum, __FILE__, __func__, __LINE__, __VA_ARGS__)

/* Reports VIR_ERR_INVALID_ARG "unsupported flags (0x..) in function ..." and
 * evaluates to true when @flags has bits outside @supported. */
#define mvCheckFlags(flags, supported, retval) \
    do { \
        unsigned int _unknown = (flags) & ~(unsigned int)(supported); \
        if (_unknown) { \
            mvReportErrorFull(MV_FROM_THIS, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__, \
                              "unsupported flags (0x%x) in function %s", _unknown, __func__); \
            return retval; \
        } \
    } while (0)

/* The calling thread's last error, or NULL when none is set.  Owned by the
 * thread; valid until the next report or reset. */
virErrorPtr mvErrorGetLast(void);
/* Whether an error is set on this thread. */
bool mvErrorIsSet(void);
/* Clears this thread's error. */
void mvErrorReset(void);
/* Sets this thread's error from a complete error received from elsewhere (a
 * remote_error off the wire), keeping every field as given. */
void mvErrorSetRaw(int code, int domain, int level, const char *message,
                   const char *str1, const char *str2, const char *str3,
                   int int1, int int2);
/* Deep copy of @from into @to (whose old content is released). */
void mvErrorCopy(const virError *from, virErrorPtr to);
/* Releases the strings of @err and zeroes it. */
void mvErrorClear(virErrorPtr err);

/* Preserves the current error across cleanup that may report others:
 *   g_autoptr(mvErrorSaved) saved = mvErrorSave(); ...; mvErrorRestore(&saved); */
typedef virError mvErrorSaved;
mvErrorSaved *mvErrorSave(void);
void mvErrorRestore(mvErrorSaved **saved);
void mvErrorSavedFree(mvErrorSaved *saved);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mvErrorSaved, mvErrorSavedFree);

/* The phrase libvirt prints for @code: with @withDetail the format (one %s
 * for the detail; NULL when the detail stands alone), otherwise the bare
 * phrase (never NULL). */
const char *mvErrorPhrase(int code, bool withDetail);

/* A hook that sees every reported error (the daemon uses it for logging). */
typedef void (*mvErrorHook)(const virError *err, const char *file,
                            const char *func, size_t line);
void mvErrorSetHook(mvErrorHook hook);
