/*
 * secret_driver: the "secret" connect driver that virtsecretd serves
 * (secret:///system, secret:///session).
 *
 * Secrets live in one table keyed by UUID behind one mutex.  Persistent
 * secrets are written to <configDir>/secrets/<UUID>.xml and their values,
 * sealed (secret_store.h), to <UUID>.value; ephemeral secrets never touch
 * the disk.  Lifecycle and value-changed events go to the registrations in
 * the driver's mvObjectEventState after the table lock is dropped.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "client_driver.h"
#include "driver_state.h"

/* The driver tables (registered by secretStateDriver.registerDriver). */
extern const mvConnectDriver secretConnectDriver;
/* What virtsecretd's spec names. */
extern const mvStateDriver secretStateDriver;
