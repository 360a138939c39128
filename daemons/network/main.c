/*
 * virtnetworkd: the network driver daemon.  Everything but the spec below
 * is the shared daemon framework (daemons/common).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include "daemon_main.h"
#include "network_driver.h"

int
main(int argc, char **argv)
{
    static const mvDaemonSpec spec = {
        .name = "virtnetworkd",
        .socketPrefix = "virtnetworkd",
        .uriScheme = "network",
        .configFile = "virtnetworkd.conf",
        .stateDriver = &networkStateDriver,
    };

    return mvDaemonRun(&spec, argc, argv);
}
