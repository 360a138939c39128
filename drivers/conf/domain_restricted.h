/*
 * domain_restricted: the restricted profile for domains shipped by a third
 * party (VM archives).  Such a definition must not reach host resources:
 * no host file outside the directories the administrator allows, no host
 * block device or SCSI passthrough, no network disk (it reaches other
 * hosts), no host bridge, macvtap or tap NIC, no emulator of its own
 * choosing, no <qemu:commandline>, no host RNG device other than
 * /dev/urandom and /dev/random, no TCP character device (it reaches host
 * and network services), no <seclabel> but dynamic relabelled ones
 * (type='none', model='none', a static label of the document's choosing
 * and relabel='no' escape confinement).  Each rule names the element, the
 * offending value and the rule in its message.
 *
 * The check runs on a parsed mvDomainDef; it is not a parser flag (the
 * shared parser knows no policy).  A driver's define entry point accepts
 * MV_DOMAIN_DEFINE_RESTRICTED in its flags and, when it is set, calls
 * mvDomainDefCheckRestricted() right after mvDomainDefParse(), before its
 * own post-parse step fills in the emulator it picks, and refuses the
 * define on -1.
 * virt-xml-validate --restricted lists every violation with
 * mvDomainDefListRestrictedViolations().
 *
 * Host paths are compared after lexical normalisation ('.', '..' and
 * repeated '/' removed; relative paths are refused) and, where the path or
 * one of its ancestors exists on this host, once more after resolving
 * symbolic links (realpath of the deepest existing ancestor), so a link
 * inside an allowed directory that points outside it is refused.  This is
 * a check at define time: the driver still opens guest files itself under
 * its security labels.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "domain_conf.h"

/* modvirt's own virDomainDefineXMLFlags bit: check the restricted profile
 * on define.  Far above libvirt's VIR_DOMAIN_DEFINE_VALIDATE (1 << 0) so
 * that libvirt never assigns it. */
#define MV_DOMAIN_DEFINE_RESTRICTED (1U << 30)

/* Checks @def against the restricted profile with host files allowed only
 * inside @allowedDirs (NULL-terminated absolute directories; NULL or empty:
 * no host file at all).  Returns 0, or -1 with VIR_ERR_CONFIG_UNSUPPORTED
 * reported for the first violation ("restricted profile: <disk> source
 * '/etc/shadow' (target vda) is outside the allowed directories
 * '/srv/archive'"); rules run in document order of the elements. */
int mvDomainDefCheckRestricted(const mvDomainDef *def, const char * const *allowedDirs);

/* Every violation of @def, as messages like the one above, in the same
 * order; an empty array when @def complies.  Never fails. */
GPtrArray *mvDomainDefListRestrictedViolations(const mvDomainDef *def,
                                               const char * const *allowedDirs);
