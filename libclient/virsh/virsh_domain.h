/*
 * virsh_domain: what the domain command files of virsh share: the domain
 * lookup every command does first, the state query, option helpers that
 * print virsh's own errors, and the command tables of the areas.
 *
 * Lookup rule (as virsh 9.0): a non-negative number is tried as an ID, a
 * 36-character string as a UUID, then anything as a name; the errors of the
 * attempts are dropped and "failed to get domain 'X'" is printed instead.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <libvirt/virterror.h>

#include "virsh_util.h"
#include "virsh_domain_names.h"

enum {
    VIRSH_BYID = 1 << 0,
    VIRSH_BYUUID = 1 << 1,
    VIRSH_BYNAME = 1 << 2,
    VIRSH_BYANY = VIRSH_BYID | VIRSH_BYUUID | VIRSH_BYNAME,
};

#define VIRSH_MAX_XML_FILE (10 * 1024 * 1024)

typedef virDomain virshDomain;
void virshDomainFree(virDomainPtr dom);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virshDomain, virshDomainFree);

/* Looks up @name with the ways in @by (VIRSH_BY*). */
virDomainPtr virshLookupDomain(virshControl *ctl, const char *name, unsigned int by);
/* Looks up the domain named by option "domain"; *name (optional) gets the
 * option's text.  NULL after printing why. */
virDomainPtr virshCommandOptDomain(virshControl *ctl, const virshCmd *cmd,
                                   const char **name, unsigned int by);

/* The domain's state (virDomainState value), *reason when @reason is given;
 * -1 with the library error pending. */
int virshDomainState(virshControl *ctl, virDomainPtr dom, int *reason);

/* The code of the pending library error (VIR_ERR_OK when none). */
int virshLastErrorCode(virshControl *ctl);

/* Option @name's value in *value (NULL when absent).  An empty value is an
 * error ("Option argument is empty"): returns -1 after printing it. */
int virshOptStringReq(virshControl *ctl, const virshCmd *cmd, const char *name,
                      const char **value);
/* Option @name as an int: 0 when absent, 1 when set, -1 after printing
 * virsh's "Numeric value ... is malformed" error. */
int virshOptInt(virshControl *ctl, const virshCmd *cmd, const char *name, int *value);
/* Prints "Options --a and --b are mutually exclusive" and returns false when
 * both are given. */
bool virshOptExclusive(virshControl *ctl, const virshCmd *cmd, const char *a, const char *b);

/* Parses @xml and evaluates @xpath (a string expression) on its root;
 * NULL when the document does not parse. */
char *virshXPathString(const char *xml, const char *xpath);

/* The command tables of the domain areas. */
extern const virshCmdDef virshDomainCmds[];
extern const virshCmdDef virshDomainMonitorCmds[];
extern const virshCmdDef virshDomainEventCmds[];
