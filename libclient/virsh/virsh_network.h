/*
 * virsh_network: the Networking command group (virsh_network.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "virsh_parse.h"

extern const virshCmdDef virshNetworkCmds[];
