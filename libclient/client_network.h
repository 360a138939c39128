/*
 * client_network: internals of the network and port handles shared inside
 * libclient (the remote driver drops handle references without touching
 * the thread's error).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "client_driver.h"

/* Drop one reference of a handle; free it on the last.  NULL is a no-op. */
void mvNetworkUnref(virNetworkPtr net);
void mvNetworkPortUnref(virNetworkPortPtr port);
