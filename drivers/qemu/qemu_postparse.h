/*
 * qemu_postparse: what the QEMU driver adds to a domain definition after the
 * generic parse, and what it refuses for the QEMU binary at hand.
 *
 * libvirt's QEMU driver completes every definition it accepts: it fills in
 * the emulator and the versioned machine type, the controllers, inputs,
 * video, audio and balloon the guest gets by default, the device models
 * left open, and then gives every device an address.  Doing it once, at
 * define time, and writing the result back keeps the guest's hardware the
 * same across restarts.  Everything here is a pure function of the
 * definition and the capabilities: no I/O, no global state.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "domain_conf.h"
#include "qemu_caps.h"

/* Completes @def for the QEMU binary described by @caps (see above) and
 * assigns addresses (mvQemuDomainAssignAddresses) as its last step.
 * Running it again on its own output changes nothing.  Returns 0, or -1
 * with an error reported (VIR_ERR_CONFIG_UNSUPPORTED for what this QEMU
 * cannot do, VIR_ERR_XML_ERROR for contradictions in the definition). */
int mvQemuDomainPostParse(mvDomainDef *def, const mvQemuCaps *caps);

/* Whether @def's machine type is a q35 ("pc-q35-*") one. */
bool mvQemuDomainIsQ35(const mvDomainDef *def);
/* Whether @def's machine type is an i440fx ("pc-i440fx-*", "pc") one. */
bool mvQemuDomainIsI440FX(const mvDomainDef *def);
