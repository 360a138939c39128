/*
 * virsh_domain_names: the words virsh prints for domain states, their
 * reasons, vCPU states and domain events, the names of the domain event
 * kinds, the CPU-list notation of `vcpuinfo --pretty` and the parser of the
 * shutdown/reboot --mode list.  Pure functions of plain integers (the values
 * of libvirt's public enums), so they are unit-tested without a connection.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* "running", "shut off", ...; "no state" for a value virsh does not know. */
const char *virshDomainStateName(int state);
/* "booted", "user", ...; "unknown" for a pair virsh does not know. */
const char *virshDomainStateReasonName(int state, int reason);
/* "offline", "running", "blocked"; "no state" otherwise. */
const char *virshDomainVcpuStateName(int state);

/* Lifecycle event words: "Started" and "Booted" etc.; "unknown" otherwise. */
const char *virshDomainEventName(int event);
const char *virshDomainEventDetailName(int event, int detail);

/* The name of domain event kind @id ("lifecycle", "reboot", ...), or NULL
 * past the last one; virshDomainEventIDCount() kinds exist. */
const char *virshDomainEventIDName(int id);
int virshDomainEventIDCount(void);

/* The CPUs set in @map (of @ncpus bits) as ranges: "0-3,6,8-9"; "" if none. */
char *virshCPUMapFormat(const unsigned char *map, int ncpus);

/* Parses a --mode value of shutdown/reboot ("acpi,agent") into the flag
 * bits both APIs share (acpi 1, agent 2, initctl 4, signal 8, paravirt 16).
 * Returns false with *bad pointing into a copy owned by the caller
 * (freed with g_free) naming the first unknown mode. */
bool virshShutdownModeParse(const char *modes, unsigned int *flags, char **bad);
