/*
 * Fuzz targets for the XML object models of drivers/conf/, one binary per
 * kind (chosen with -DMV_FUZZ_<KIND>).  Whatever a parser accepts must format
 * and parse again: we must always be able to read back what we write.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdint.h>
#include <stdlib.h>

#include "mv_error.h"

#if defined(MV_FUZZ_NETWORK)
# include "network_conf.h"
# define MV_FUZZ_TYPE mvNetworkDef
# define MV_FUZZ_PARSE(x) mvNetworkDefParse(x, 0)
# define MV_FUZZ_FORMAT(d) mvNetworkDefFormat(d, 0)
#elif defined(MV_FUZZ_STORAGE_POOL)
# include "storage_conf.h"
# define MV_FUZZ_TYPE mvStoragePoolDef
# define MV_FUZZ_PARSE(x) mvStoragePoolDefParse(x, 0)
# define MV_FUZZ_FORMAT(d) mvStoragePoolDefFormat(d, 0)
#elif defined(MV_FUZZ_NODEDEV)
# include "nodedev_conf.h"
# define MV_FUZZ_TYPE mvNodeDeviceDef
# define MV_FUZZ_PARSE(x) mvNodeDeviceDefParse(x, 0)
# define MV_FUZZ_FORMAT(d) mvNodeDeviceDefFormat(d)
#elif defined(MV_FUZZ_DOMAIN)
# include "domain_conf.h"
# define MV_FUZZ_TYPE mvDomainDef
# define MV_FUZZ_PARSE(x) mvDomainDefParse(x, 0)
# define MV_FUZZ_FORMAT(d) mvDomainDefFormat(d, 0)
#else
# error "define one MV_FUZZ_<KIND>"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = g_strndup((const char *)data, size);
    g_autoptr(MV_FUZZ_TYPE) def = NULL;
    g_autoptr(MV_FUZZ_TYPE) again = NULL;
    g_autofree char *out = NULL;

    if ((def = MV_FUZZ_PARSE(xml))) {
        out = MV_FUZZ_FORMAT(def);
        if (!out || !(again = MV_FUZZ_PARSE(out)))
            abort();
    }
    mvErrorReset();
    return 0;
}
