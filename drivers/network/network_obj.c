/*
 * network_obj: see network_obj.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "mv_error.h"
#include "mv_file.h"
#include "mv_uuid.h"
#include "mv_xml.h"
#include "network_obj.h"

#define MV_FROM_THIS VIR_FROM_NETWORK

/* A status file holds one definition and its ports: a few MiB is plenty. */
#define NET_STATUS_MAX (16 * 1024 * 1024)

struct _netObjList {
    GMutex lock;
    GHashTable *byUUID;         /* raw 16-byte UUID (owned copy) -> netObj (ref) */
    GHashTable *byName;         /* name (owned copy) -> netObj (borrowed) */
};

netObj *
netObjRef(netObj *obj)
{
    g_atomic_int_inc(&obj->refs);
    return obj;
}

void
netObjUnref(netObj *obj)
{
    if (!obj || !g_atomic_int_dec_and_test(&obj->refs))
        return;
    mvNetworkDefFree(obj->def);
    mvNetworkDefFree(obj->newDef);
    g_ptr_array_unref(obj->ports);
    g_free(obj->name);
    g_mutex_clear(&obj->lock);
    mvObjJobClear(&obj->job);
    g_free(obj);
}

static netObj *
netObjNew(mvNetworkDef *def)
{
    netObj *obj = g_new0(netObj, 1);

    obj->refs = 1;
    g_mutex_init(&obj->lock);
    mvObjJobInit(&obj->job);
    obj->def = def;
    obj->name = g_strdup(def->name);
    memcpy(obj->uuid, def->uuid, MV_UUID_BUFLEN);
    obj->ports = g_ptr_array_new_with_free_func((GDestroyNotify)mvNetworkPortDefFree);
    return obj;
}

int
netObjBeginJob(netObj *obj)
{
    return mvObjJobBegin(&obj->job, &obj->lock, MV_FROM_THIS, "network", obj->name);
}

void
netObjEndJob(netObj *obj)
{
    mvObjJobEnd(&obj->job);
}

mvNetworkDef *
netObjPersistentDef(netObj *obj)
{
    return obj->newDef ? obj->newDef : obj->def;
}

mvNetworkPortDef *
netObjFindPort(netObj *obj, const unsigned char *uuid)
{
    for (guint i = 0; i < obj->ports->len; i++) {
        mvNetworkPortDef *port = g_ptr_array_index(obj->ports, i);

        if (memcmp(port->uuid, uuid, MV_UUID_BUFLEN) == 0)
            return port;
    }
    return NULL;
}

netObjList *
netObjListNew(void)
{
    netObjList *list = g_new0(netObjList, 1);

    g_mutex_init(&list->lock);
    list->byUUID = g_hash_table_new_full(mvUUIDHash, mvUUIDEqual, g_free,
                                         (GDestroyNotify)netObjUnref);
    list->byName = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return list;
}

void
netObjListFree(netObjList *list)
{
    if (!list)
        return;
    g_hash_table_unref(list->byName);
    g_hash_table_unref(list->byUUID);
    g_mutex_clear(&list->lock);
    g_free(list);
}

static netObj *
listRef(netObj *obj)
{
    return obj ? netObjRef(obj) : NULL;
}

netObj *
netObjListFindByUUID(netObjList *list, const unsigned char *uuid)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);

    return listRef(g_hash_table_lookup(list->byUUID, uuid));
}

netObj *
netObjListFindByName(netObjList *list, const char *name)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);

    return listRef(g_hash_table_lookup(list->byName, name));
}

static int
listCheckConflictLocked(netObjList *list, const mvNetworkDef *def)
{
    netObj *other = g_hash_table_lookup(list->byUUID, def->uuid);
    char uuidstr[MV_UUID_STRING_BUFLEN];

    if (other) {
        if (strcmp(other->name, def->name) != 0) {
            mvReportError(VIR_ERR_OPERATION_FAILED,
                          "network '%s' is already defined with uuid %s",
                          other->name, mvUUIDFormat(def->uuid, uuidstr));
            return -1;
        }
        return 0;
    }
    if ((other = g_hash_table_lookup(list->byName, def->name))) {
        mvReportError(VIR_ERR_OPERATION_FAILED, "network '%s' already exists with uuid %s",
                      def->name, mvUUIDFormat(other->uuid, uuidstr));
        return -1;
    }
    return 0;
}

int
netObjListCheckConflict(netObjList *list, const mvNetworkDef *def)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);

    return listCheckConflictLocked(list, def);
}

static netObj *
listInsertLocked(netObjList *list, netObj *obj)
{
    g_hash_table_insert(list->byUUID, g_memdup2(obj->uuid, MV_UUID_BUFLEN), obj);
    g_hash_table_insert(list->byName, g_strdup(obj->name), obj);
    return netObjRef(obj);
}

netObj *
netObjListAdd(netObjList *list, mvNetworkDef *def)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);

    if (listCheckConflictLocked(list, def) < 0) {
        mvNetworkDefFree(def);
        return NULL;
    }
    if (g_hash_table_lookup(list->byUUID, def->uuid)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "network '%s' is already in the list",
                      def->name);
        mvNetworkDefFree(def);
        return NULL;
    }
    return listInsertLocked(list, netObjNew(def));
}

netObj *
netObjListAddObj(netObjList *list, netObj *obj)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);

    if (listCheckConflictLocked(list, obj->def) < 0)
        return NULL;
    if (g_hash_table_lookup(list->byUUID, obj->uuid)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "network '%s' is already in the list",
                      obj->name);
        return NULL;
    }
    return listInsertLocked(list, netObjRef(obj)) ? obj : NULL;
}

void
netObjListRemove(netObjList *list, netObj *obj)
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
netObjListAll(netObjList *list)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&list->lock);
    GPtrArray *all = g_ptr_array_new_full(g_hash_table_size(list->byName),
                                          (GDestroyNotify)netObjUnref);
    /* the index's own copies of the names: stable under the list lock,
     * unlike obj->def, which a define may replace meanwhile */
    g_autoptr(GList) names = g_list_sort(g_hash_table_get_keys(list->byName),
                                         (GCompareFunc)strcmp);

    for (GList *n = names; n; n = n->next)
        g_ptr_array_add(all, netObjRef(g_hash_table_lookup(list->byName, n->data)));
    return all;
}

mvNetworkDef *
netDefCopy(const mvNetworkDef *def)
{
    g_autofree char *xml = mvNetworkDefFormat(def, MV_NETWORK_FORMAT_INACTIVE);
    mvNetworkDef *copy;

    if (!(copy = mvNetworkDefParse(xml, 0)))
        return NULL;
    copy->connections = def->connections;
    return copy;
}

/* --- status files -------------------------------------------------------- */

int
netObjSaveStatus(netObj *obj, const char *path)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    g_autofree char *xml = mvNetworkDefFormat(obj->def, MV_NETWORK_FORMAT_INACTIVE);

    g_string_append_printf(buf, "<networkstatus bridgeCreated='%d' firewall='%d' "
                           "dnsmasqPid='%lld'>\n",
                           obj->bridgeCreated, obj->firewallAdded,
                           (long long)obj->dnsmasqPid);
    g_string_append(buf, "<ports>\n");
    for (guint i = 0; i < obj->ports->len; i++) {
        g_autofree char *port = mvNetworkPortDefFormat(g_ptr_array_index(obj->ports, i));

        g_string_append(buf, port);
    }
    g_string_append(buf, "</ports>\n");
    g_string_append(buf, xml);
    g_string_append(buf, "</networkstatus>\n");
    return mvFileWriteAtomicFlags(path, buf->str, buf->len, 0600, MV_FILE_WRITE_NO_SYNC);
}

static int
statusFlag(xmlNode *root, const char *name, long long *value)
{
    g_autofree char *text = NULL;
    char *end = NULL;

    if (mvXMLPropString(root, name, &text) <= 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "network status lacks the '%s' attribute",
                      name);
        return -1;
    }
    *value = strtoll(text, &end, 10);
    if (!*text || *end || *value < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "network status attribute %s='%s' is not a "
                      "number", name, text);
        return -1;
    }
    return 0;
}

netObj *
netObjLoadStatus(const char *path)
{
    g_autofree char *data = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(netObj) obj = NULL;
    g_autoptr(mvNetworkDef) def = NULL;
    xmlNode *root, *node, *ports;
    long long bridge, fw, pid;
    xmlBuffer *xbuf;
    size_t len;

    if (mvFileReadAll(path, NET_STATUS_MAX, &data, &len) < 0)
        return NULL;
    if (!(doc = mvXMLParseString(data, path, "networkstatus", VIR_FROM_NETWORK)))
        return NULL;
    root = xmlDocGetRootElement(doc);
    if (statusFlag(root, "bridgeCreated", &bridge) < 0 ||
        statusFlag(root, "firewall", &fw) < 0 ||
        statusFlag(root, "dnsmasqPid", &pid) < 0)
        return NULL;
    if (!(node = mvXMLChildFind(root, "network"))) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "network status '%s' has no <network>", path);
        return NULL;
    }
    xbuf = xmlBufferCreate();
    xmlNodeDump(xbuf, doc, node, 0, 0);
    def = mvNetworkDefParse((const char *)xmlBufferContent(xbuf), 0);
    xmlBufferFree(xbuf);
    if (!def)
        return NULL;

    obj = netObjNew(g_steal_pointer(&def));
    obj->active = true;
    obj->bridgeCreated = bridge != 0;
    obj->firewallAdded = fw != 0;
    obj->dnsmasqPid = (pid_t)pid;
    if ((ports = mvXMLChildFind(root, "ports"))) {
        for (node = ports->children; node; node = node->next) {
            mvNetworkPortDef *port;

            if (node->type != XML_ELEMENT_NODE)
                continue;
            if (!(port = mvNetworkPortDefParseNode(node)))
                return NULL;
            g_ptr_array_add(obj->ports, port);
        }
    }
    obj->def->connections = obj->ports->len;
    return g_steal_pointer(&obj);
}
