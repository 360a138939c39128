/*
 * qemu_driver: the QEMU driver as virtqemud registers it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "client_driver.h"
#include "drivers/driver_state.h"

extern const mvStateDriver qemuStateDriver;
extern const mvConnectDriver qemuConnectDriver;
