/*
 * qemu_domobj: see qemu_domobj.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "mv_error.h"
#include "mv_uuid.h"
#include "qemu_domobj.h"

#define MV_FROM_THIS VIR_FROM_QEMU


struct _qemuDomList {
    GMutex lock;
    GHashTable *byUUID;         /* raw 16-byte UUID (owned copy) -> qemuDomObj (ref) */
    GHashTable *byName;         /* name (owned copy) -> qemuDomObj (borrowed) */
};

qemuDomObj *
qemuDomObjRef(qemuDomObj *obj)
{
    g_atomic_int_inc(&obj->refs);
    return obj;
}

void
qemuDomObjUnref(qemuDomObj *obj)
{
    if (!obj || !g_atomic_int_dec_and_test(&obj->refs))
        return;
    mvQemuMonitorClose(obj->mon);
    g_free(obj->name);
    mvDomainDefFree(obj->def);
    mvDomainDefFree(obj->newDef);
    if (obj->caps)
        mvQemuCapsUnref(obj->caps);
    g_free(obj->monPath);
    g_free(obj->domRunDir);
    g_free(obj->logPath);
    g_free(obj->domLibDir);
    if (obj->pidfd >= 0)
        close(obj->pidfd);
    if (obj->vcpuTids)
        g_array_unref(obj->vcpuTids);
    g_mutex_clear(&obj->lock);
    mvObjJobClear(&obj->job);
    g_free(obj);
}

int
qemuDomObjBeginJob(qemuDomObj *obj)
{
    return mvObjJobBegin(&obj->job, &obj->lock, MV_FROM_THIS, "domain", obj->name);
}

void
qemuDomObjEndJob(qemuDomObj *obj)
{
    mvObjJobEnd(&obj->job);
}

bool
qemuDomObjIsActive(const qemuDomObj *obj)
{
    return obj->def->id >= 0;
}

void
qemuDomObjSetActiveID(qemuDomObj *obj, int id)
{
    g_atomic_int_set(&obj->activeID, id);
}

mvDomainDef *
qemuDomObjPersistentDef(qemuDomObj *obj)
{
    return obj->newDef ? obj->newDef : obj->def;
}

qemuDomList *
qemuDomListNew(void)
{
    qemuDomList *list = g_new0(qemuDomList, 1);

    g_mutex_init(&list->lock);
    list->byUUID = g_hash_table_new_full(mvUUIDHash, mvUUIDEqual, g_free,
                                         (GDestroyNotify)qemuDomObjUnref);
    list->byName = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return list;
}

void
qemuDomListFree(qemuDomList *list)
{
    if (!list)
        return;
    g_hash_table_unref(list->byName);
    g_hash_table_unref(list->byUUID);
    g_mutex_clear(&list->lock);
    g_free(list);
}

static qemuDomObj *
listRef(qemuDomObj *obj)
{
    return obj ? qemuDomObjRef(obj) : NULL;
}

qemuDomObj *
qemuDomListFindByUUID(qemuDomList *list, const unsigned char *uuid)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);

    return listRef(g_hash_table_lookup(list->byUUID, uuid));
}

qemuDomObj *
qemuDomListFindByName(qemuDomList *list, const char *name)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);

    return listRef(g_hash_table_lookup(list->byName, name));
}

qemuDomObj *
qemuDomListFindByID(qemuDomList *list, int id)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);
    GHashTableIter iter;
    gpointer value;

    if (id < 0)
        return NULL;
    g_hash_table_iter_init(&iter, list->byUUID);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        qemuDomObj *obj = value;

        if (g_atomic_int_get(&obj->activeID) == id)
            return qemuDomObjRef(obj);
    }
    return NULL;
}

/* Called with the list locked.  libvirt's rules: a UUID keeps its name
 * and a name keeps its UUID. */
static int
listCheckConflictLocked(qemuDomList *list, const mvDomainDef *def)
{
    qemuDomObj *other = g_hash_table_lookup(list->byUUID, def->uuid);
    char uuidstr[MV_UUID_STRING_BUFLEN];

    if (other) {
        if (strcmp(other->name, def->name) != 0) {
            if (g_atomic_int_get(&other->activeID) >= 0) {
                mvReportError(VIR_ERR_OPERATION_INVALID,
                              "domain '%s' is already active", other->name);
            } else {
                mvReportError(VIR_ERR_OPERATION_FAILED,
                              "domain '%s' is already defined with uuid %s",
                              other->name, mvUUIDFormat(def->uuid, uuidstr));
            }
            return -1;
        }
        return 0;
    }
    if ((other = g_hash_table_lookup(list->byName, def->name))) {
        mvReportError(VIR_ERR_OPERATION_FAILED, "domain '%s' already exists with uuid %s",
                      def->name, mvUUIDFormat(other->uuid, uuidstr));
        return -1;
    }
    return 0;
}

int
qemuDomListCheckConflict(qemuDomList *list, const mvDomainDef *def)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);

    return listCheckConflictLocked(list, def);
}

qemuDomObj *
qemuDomListAdd(qemuDomList *list, mvDomainDef *def)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);
    qemuDomObj *obj;

    if (listCheckConflictLocked(list, def) < 0) {
        mvDomainDefFree(def);
        return NULL;
    }
    if (g_hash_table_lookup(list->byUUID, def->uuid)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "domain '%s' is already in the list", def->name);
        mvDomainDefFree(def);
        return NULL;
    }
    obj = g_new0(qemuDomObj, 1);
    obj->refs = 1;
    g_mutex_init(&obj->lock);
    mvObjJobInit(&obj->job);
    obj->pidfd = -1;
    obj->name = g_strdup(def->name);
    memcpy(obj->uuid, def->uuid, MV_UUID_BUFLEN);
    obj->activeID = -1;
    obj->def = def;
    obj->def->id = -1;
    obj->state = VIR_DOMAIN_SHUTOFF;
    obj->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    g_hash_table_insert(list->byUUID, g_memdup2(def->uuid, MV_UUID_BUFLEN), obj);
    g_hash_table_insert(list->byName, g_strdup(def->name), obj);
    return qemuDomObjRef(obj);
}

void
qemuDomListRemove(qemuDomList *list, qemuDomObj *obj)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);

    if (g_hash_table_lookup(list->byUUID, obj->uuid) != obj)
        return;
    obj->removed = true;
    if (g_hash_table_lookup(list->byName, obj->name) == obj)
        g_hash_table_remove(list->byName, obj->name);
    g_hash_table_remove(list->byUUID, obj->uuid);
}

GPtrArray *
qemuDomListAll(qemuDomList *list)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);
    GPtrArray *all = g_ptr_array_new_full(g_hash_table_size(list->byUUID),
                                          (GDestroyNotify)qemuDomObjUnref);
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, list->byUUID);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        g_ptr_array_add(all, qemuDomObjRef(value));
    return all;
}

guint
qemuDomListCount(qemuDomList *list)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);

    return g_hash_table_size(list->byUUID);
}

mvDomainDef *
qemuDomainDefCopy(const mvDomainDef *def)
{
    g_autofree char *xml = mvDomainDefFormat(def, MV_DOMAIN_DEF_FORMAT_LIVE |
                                                  MV_DOMAIN_DEF_FORMAT_SECURE);
    mvDomainDef *copy;

    if (!xml)
        return NULL;
    if (!(copy = mvDomainDefParse(xml, MV_DOMAIN_DEF_PARSE_LIVE)))
        return NULL;
    copy->id = def->id;
    return copy;
}

mvDomainDef *
qemuDomainDefIdentity(const mvDomainDef *def)
{
    mvDomainDef *copy = mvDomainDefNew();

    copy->name = g_strdup(def->name);
    memcpy(copy->uuid, def->uuid, MV_UUID_BUFLEN);
    copy->id = def->id;
    return copy;
}
