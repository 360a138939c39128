/*
 * libvirt.h: the whole public API of modvirt's client library, under the
 * names libvirt uses, so existing programs build against it unchanged.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef LIBVIRT_H
#define LIBVIRT_H

#include <libvirt/libvirt-common.h>
#include <libvirt/libvirt-host.h>
#include <libvirt/libvirt-event.h>
#include <libvirt/libvirt-domain.h>
#include <libvirt/libvirt-network.h>
#include <libvirt/libvirt-secret.h>
#include <libvirt/virterror.h>

#endif /* LIBVIRT_H */
