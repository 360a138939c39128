/*
 * client_domain: internals of the domain handle shared inside libclient
 * (the remote driver drops handle references without touching the
 * thread's error).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "client_driver.h"

/* Drops one reference of a domain handle; frees it on the last. */
void mvDomainUnref(virDomainPtr domain);
