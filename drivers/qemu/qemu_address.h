/*
 * qemu_address: device addresses of a QEMU guest (PCI slots, drive units,
 * virtio-serial ports, USB ports).
 *
 * Addresses are given once, when a definition is accepted, and never moved
 * afterwards: the guest OS remembers where its devices sit.  Devices that
 * have an address keep it; the others get the first free place that fits,
 * visited in the order libvirt uses, so a definition completed here and one
 * completed by libvirt 9.0 describe the same hardware.  On q35 the PCI
 * Express root ports a guest needs (one per device, plus one spare for
 * hotplug) and a pcie-to-pci-bridge for conventional PCI devices are added
 * as controllers first.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "domain_conf.h"
#include "qemu_caps.h"

/* Assigns every missing address of @def, adding the PCI controllers it
 * needs, and checks existing ones for conflicts.  Idempotent.  Returns 0,
 * or -1 with VIR_ERR_XML_ERROR (duplicate or impossible address) or
 * VIR_ERR_CONFIG_UNSUPPORTED (no room left) reported. */
int mvQemuDomainAssignAddresses(mvDomainDef *def, const mvQemuCaps *caps);
