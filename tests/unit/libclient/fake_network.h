/*
 * fake_network: a small in-memory network driver for the tests of the
 * network API plumbing (public API, remote driver, daemon dispatch, virsh).
 *
 * A definition needs <name> and may carry <uuid> and <bridge name='...'/>;
 * the XML is kept verbatim otherwise (the UUID is filled in when absent).
 * Starting a network gives it two fixed DHCP leases; ports keep their XML.
 * Lifecycle events are emitted for define/undefine/start/stop.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "client_driver.h"

/* Registers the fake as the local driver of @scheme ("fakenet"). */
int fakeNetworkRegister(const char *scheme);
/* Forgets every network and port. */
void fakeNetworkReset(void);
/* Number of event registrations the fake holds. */
size_t fakeNetworkEventCount(void);
