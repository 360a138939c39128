/*
 * virtqemud: the QEMU driver daemon.  Everything but the spec below is the
 * shared daemon framework (daemons/common).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include "daemon_main.h"
#include "qemu_driver.h"

int
main(int argc, char **argv)
{
    static const mvDaemonSpec spec = {
        .name = "virtqemud",
        .socketPrefix = "virtqemud",
        .uriScheme = "qemu",
        .configFile = "virtqemud.conf",
        .stateDriver = &qemuStateDriver,
    };

    return mvDaemonRun(&spec, argc, argv);
}
