/*
 * virtsecretd: the secret driver daemon.  Everything but the spec below is
 * the shared daemon framework (daemons/common).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include "daemon_main.h"
#include "secret_driver.h"

int
main(int argc, char **argv)
{
    static const mvDaemonSpec spec = {
        .name = "virtsecretd",
        .socketPrefix = "virtsecretd",
        .uriScheme = "secret",
        .configFile = "virtsecretd.conf",
        .stateDriver = &secretStateDriver,
    };

    return mvDaemonRun(&spec, argc, argv);
}
