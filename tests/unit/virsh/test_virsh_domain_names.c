/*
 * Unit tests of virsh's domain word tables and small helpers
 * (libclient/virsh/virsh_domain_names.c): state and reason words, event
 * words and kinds, the CPU-list notation and the --mode parser.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <glib.h>

#include "virsh_domain_names.h"

static void
test_states(void)
{
    g_assert_cmpstr(virshDomainStateName(0), ==, "no state");
    g_assert_cmpstr(virshDomainStateName(1), ==, "running");
    g_assert_cmpstr(virshDomainStateName(2), ==, "idle");
    g_assert_cmpstr(virshDomainStateName(3), ==, "paused");
    g_assert_cmpstr(virshDomainStateName(4), ==, "in shutdown");
    g_assert_cmpstr(virshDomainStateName(5), ==, "shut off");
    g_assert_cmpstr(virshDomainStateName(6), ==, "crashed");
    g_assert_cmpstr(virshDomainStateName(7), ==, "pmsuspended");
    g_assert_cmpstr(virshDomainStateName(8), ==, "no state");
    g_assert_cmpstr(virshDomainStateName(-1), ==, "no state");
}

static void
test_reasons(void)
{
    g_assert_cmpstr(virshDomainStateReasonName(1, 1), ==, "booted");
    g_assert_cmpstr(virshDomainStateReasonName(1, 5), ==, "unpaused");
    g_assert_cmpstr(virshDomainStateReasonName(1, 11), ==, "post-copy failed");
    g_assert_cmpstr(virshDomainStateReasonName(1, 12), ==, "unknown");
    g_assert_cmpstr(virshDomainStateReasonName(3, 1), ==, "user");
    g_assert_cmpstr(virshDomainStateReasonName(3, 5), ==, "I/O error");
    g_assert_cmpstr(virshDomainStateReasonName(3, 11), ==, "starting up");
    g_assert_cmpstr(virshDomainStateReasonName(4, 1), ==, "user");
    g_assert_cmpstr(virshDomainStateReasonName(5, 0), ==, "unknown");
    g_assert_cmpstr(virshDomainStateReasonName(5, 2), ==, "destroyed");
    g_assert_cmpstr(virshDomainStateReasonName(5, 8), ==, "daemon");
    g_assert_cmpstr(virshDomainStateReasonName(6, 1), ==, "panicked");
    g_assert_cmpstr(virshDomainStateReasonName(7, 0), ==, "unknown");
    g_assert_cmpstr(virshDomainStateReasonName(9, 0), ==, "unknown");
    g_assert_cmpstr(virshDomainStateReasonName(1, -1), ==, "unknown");
}

static void
test_vcpu_states(void)
{
    g_assert_cmpstr(virshDomainVcpuStateName(0), ==, "offline");
    g_assert_cmpstr(virshDomainVcpuStateName(1), ==, "running");
    g_assert_cmpstr(virshDomainVcpuStateName(2), ==, "blocked");
    g_assert_cmpstr(virshDomainVcpuStateName(3), ==, "no state");
}

static void
test_events(void)
{
    g_assert_cmpstr(virshDomainEventName(2), ==, "Started");
    g_assert_cmpstr(virshDomainEventDetailName(2, 0), ==, "Booted");
    g_assert_cmpstr(virshDomainEventName(3), ==, "Suspended");
    g_assert_cmpstr(virshDomainEventDetailName(3, 0), ==, "Paused");
    g_assert_cmpstr(virshDomainEventDetailName(4, 0), ==, "Unpaused");
    g_assert_cmpstr(virshDomainEventDetailName(5, 1), ==, "Destroyed");
    g_assert_cmpstr(virshDomainEventDetailName(6, 1), ==, "Finished after guest request");
    g_assert_cmpstr(virshDomainEventDetailName(1, 0), ==, "Removed");
    g_assert_cmpstr(virshDomainEventDetailName(0, 1), ==, "Updated");
    g_assert_cmpstr(virshDomainEventDetailName(8, 1), ==, "Crashloaded");
    g_assert_cmpstr(virshDomainEventDetailName(8, 2), ==, "unknown");
    g_assert_cmpstr(virshDomainEventName(9), ==, "unknown");
    g_assert_cmpstr(virshDomainEventDetailName(9, 0), ==, "unknown");
}

static void
test_event_kinds(void)
{
    g_assert_cmpint(virshDomainEventIDCount(), ==, 27);
    g_assert_cmpstr(virshDomainEventIDName(0), ==, "lifecycle");
    g_assert_cmpstr(virshDomainEventIDName(1), ==, "reboot");
    g_assert_cmpstr(virshDomainEventIDName(16), ==, "block-job-2");
    g_assert_cmpstr(virshDomainEventIDName(26), ==, "memory-device-size-change");
    g_assert_null(virshDomainEventIDName(27));
    g_assert_null(virshDomainEventIDName(-1));
}

static void
check_map(const unsigned char *map, int ncpus, const char *want)
{
    g_autofree char *got = virshCPUMapFormat(map, ncpus);

    g_assert_cmpstr(got, ==, want);
}

static void
test_cpumap(void)
{
    const unsigned char none[2] = { 0, 0 };
    const unsigned char two[1] = { 0x3 };
    const unsigned char mixed[2] = { 0x4f, 0x03 };     /* 0-3,6,8-9 */
    const unsigned char single[1] = { 0x20 };
    const unsigned char beyond[1] = { 0xff };

    check_map(none, 16, "");
    check_map(two, 2, "0-1");
    check_map(mixed, 16, "0-3,6,8-9");
    check_map(single, 8, "5");
    /* bits past the CPU count are not CPUs */
    check_map(beyond, 3, "0-2");
}

static void
test_modes(void)
{
    unsigned int flags;
    char *bad = NULL;

    g_assert_true(virshShutdownModeParse("acpi", &flags, &bad));
    g_assert_cmpuint(flags, ==, 1);
    g_assert_true(virshShutdownModeParse("agent,initctl,signal,paravirt", &flags, &bad));
    g_assert_cmpuint(flags, ==, 2 | 4 | 8 | 16);
    g_assert_false(virshShutdownModeParse("acpi,bogus", &flags, &bad));
    g_assert_cmpstr(bad, ==, "bogus");
    g_clear_pointer(&bad, g_free);
    g_assert_false(virshShutdownModeParse("a,,b", &flags, &bad));
    g_assert_cmpstr(bad, ==, "a");
    g_clear_pointer(&bad, g_free);
    g_assert_false(virshShutdownModeParse("acpi,", &flags, &bad));
    g_assert_cmpstr(bad, ==, "");
    g_free(bad);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virsh/domain-names/states", test_states);
    g_test_add_func("/virsh/domain-names/reasons", test_reasons);
    g_test_add_func("/virsh/domain-names/vcpu-states", test_vcpu_states);
    g_test_add_func("/virsh/domain-names/events", test_events);
    g_test_add_func("/virsh/domain-names/event-kinds", test_event_kinds);
    g_test_add_func("/virsh/domain-names/cpumap", test_cpumap);
    g_test_add_func("/virsh/domain-names/modes", test_modes);
    return g_test_run();
}
