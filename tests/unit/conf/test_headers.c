/*
 * Every XML kind's header compiles together with the others, and one binary
 * can link a symbol of each kind: names must not clash across kinds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <glib.h>

#include "capabilities_conf.h"
#include "domain_conf.h"
#include "domain_restricted.h"
#include "domaincaps_conf.h"
#include "mv_enum.h"
#include "network_conf.h"
#include "nodedev_conf.h"
#include "secret_conf.h"
#include "storage_conf.h"

static void
test_all_kinds_link(void)
{
    g_assert_cmpstr(mvTristateToString(MV_TRISTATE_YES), ==, "yes");
    g_assert_cmpint(mvTristateFromString("no"), ==, MV_TRISTATE_NO);
    g_assert_null(mvTristateToString(MV_TRISTATE_LAST));
    g_assert_cmpint(mvTristateFromString("maybe"), ==, -1);
    g_assert_nonnull((void *)mvDomainDefParse);
    g_assert_nonnull((void *)mvNetworkDefParse);
    g_assert_nonnull((void *)mvStoragePoolDefParse);
    g_assert_nonnull((void *)mvNodeDeviceDefParse);
    g_assert_nonnull((void *)mvSecretDefParse);
    g_assert_nonnull((void *)mvCapsParse);
    g_assert_nonnull((void *)mvDomainCapsFormat);
    g_assert_nonnull((void *)mvDomainDefCheckRestricted);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/conf/headers/all-kinds-link", test_all_kinds_link);
    return g_test_run();
}
