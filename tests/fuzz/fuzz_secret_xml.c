/*
 * Fuzz target: the secret XML parser (well-formedness, schema, model) and,
 * for what it accepts, the formatter and a second parse of its output, which
 * must succeed: whatever we accept we must be able to read back.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdint.h>
#include <stdlib.h>

#include "mv_error.h"
#include "secret_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *xml = g_strndup((const char *)data, size);
    g_autoptr(mvSecretDef) def = NULL;
    g_autoptr(mvSecretDef) again = NULL;
    g_autofree char *out = NULL;

    if ((def = mvSecretDefParse(xml, 0))) {
        out = mvSecretDefFormat(def);
        if (!out || !(again = mvSecretDefParse(out, 0)))
            abort();
    }
    mvErrorReset();
    return 0;
}
