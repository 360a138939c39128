/*
 * qemu_caps: the capability object and its lookups.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "qemu_caps.h"

void
mvQemuCapsMachineFree(mvQemuCapsMachine *machine)
{
    if (!machine)
        return;
    g_free(machine->name);
    g_free(machine->alias);
    g_free(machine->defaultCPUType);
    g_free(machine->defaultRAMId);
    g_free(machine);
}

void
mvQemuCapsCPUModelFree(mvQemuCapsCPUModel *model)
{
    if (!model)
        return;
    g_free(model->name);
    g_free(model->typeName);
    g_free(model);
}

mvQemuCaps *
mvQemuCapsNew(void)
{
    mvQemuCaps *caps = g_new0(mvQemuCaps, 1);

    caps->refs = 1;
    caps->machines = g_ptr_array_new_with_free_func((GDestroyNotify)mvQemuCapsMachineFree);
    caps->cpuModels = g_ptr_array_new_with_free_func((GDestroyNotify)mvQemuCapsCPUModelFree);
    caps->types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    caps->options = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    caps->package = g_strdup("");
    return caps;
}

mvQemuCaps *
mvQemuCapsRef(mvQemuCaps *caps)
{
    g_atomic_int_inc(&caps->refs);
    return caps;
}

void
mvQemuCapsUnref(mvQemuCaps *caps)
{
    if (!caps || !g_atomic_int_dec_and_test(&caps->refs))
        return;
    g_free(caps->binary);
    g_free(caps->arch);
    g_free(caps->package);
    g_free(caps->probedBy);
    g_ptr_array_unref(caps->machines);
    g_ptr_array_unref(caps->cpuModels);
    g_hash_table_unref(caps->types);
    g_hash_table_unref(caps->options);
    g_free(caps);
}

void
mvQemuCapsAddMachine(mvQemuCaps *caps, mvQemuCapsMachine *machine)
{
    g_ptr_array_add(caps->machines, machine);
}

void
mvQemuCapsAddCPUModel(mvQemuCaps *caps, mvQemuCapsCPUModel *model)
{
    g_ptr_array_add(caps->cpuModels, model);
}

const mvQemuCapsMachine *
mvQemuCapsGetMachine(const mvQemuCaps *caps, const char *name)
{
    if (!name)
        return NULL;
    for (guint i = 0; i < caps->machines->len; i++) {
        const mvQemuCapsMachine *m = g_ptr_array_index(caps->machines, i);
        if (strcmp(m->name, name) == 0)
            return m;
    }
    for (guint i = 0; i < caps->machines->len; i++) {
        const mvQemuCapsMachine *m = g_ptr_array_index(caps->machines, i);
        if (m->alias && strcmp(m->alias, name) == 0)
            return m;
    }
    return NULL;
}

const mvQemuCapsMachine *
mvQemuCapsGetDefaultMachine(const mvQemuCaps *caps)
{
    for (guint i = 0; i < caps->machines->len; i++) {
        const mvQemuCapsMachine *m = g_ptr_array_index(caps->machines, i);
        if (m->isDefault)
            return m;
    }
    return NULL;
}

bool
mvQemuCapsHasType(const mvQemuCaps *caps, const char *type)
{
    return type && g_hash_table_contains(caps->types, type);
}

bool
mvQemuCapsHasOption(const mvQemuCaps *caps, const char *option)
{
    return option && g_hash_table_contains(caps->options, option);
}

const mvQemuCapsCPUModel *
mvQemuCapsGetCPUModel(const mvQemuCaps *caps, const char *name)
{
    if (!name)
        return NULL;
    for (guint i = 0; i < caps->cpuModels->len; i++) {
        const mvQemuCapsCPUModel *m = g_ptr_array_index(caps->cpuModels, i);
        if (strcmp(m->name, name) == 0)
            return m;
    }
    return NULL;
}
