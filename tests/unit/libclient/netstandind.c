/*
 * netstandind: a stand-in virtnetworkd for the network plumbing tests.  It
 * runs the real daemon framework (daemons/common, with the network
 * handlers of daemon_dispatch_network.c) around the in-memory fake network
 * driver of fake_network.c, under virtnetworkd's socket names and the
 * "network" URI scheme, so Debian's virsh and python3-libvirt, our client
 * library and other daemons' forwarding all reach it as they would reach
 * virtnetworkd.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include "daemon_main.h"
#include "fake_network.h"

static int
netstandinRegister(void)
{
    return fakeNetworkRegister("network");
}

static void
netstandinCleanup(void)
{
}

static const mvStateDriver netstandinStateDriver = {
    .name = "netstandin",
    .registerDriver = netstandinRegister,
    .cleanup = netstandinCleanup,
};

int
main(int argc, char **argv)
{
    static const mvDaemonSpec spec = {
        .name = "virtnetworkd",
        .socketPrefix = "virtnetworkd",
        .uriScheme = "network",
        .configFile = "virtnetworkd.conf",
        .stateDriver = &netstandinStateDriver,
    };

    return mvDaemonRun(&spec, argc, argv);
}
