/*
 * secret_driver: see secret_driver.h.
 *
 * Model: secretDriverState holds a hash UUID string -> secretObj.  A
 * secretObj owns its definition and its value, either in clear (a
 * secretValue, after a set or a first read) or still sealed as read from
 * disk at start-up (decrypted on first use, so start-up needs no key).
 * The host key is loaded on first use and kept.
 *
 * Locking: driver->lock guards the table, every secretObj and the cached
 * key.  File writes happen under it so disk and memory change together;
 * lookups, lists and reads do no I/O apart from loading the key once.
 * Events are collected under the lock and emitted after it is dropped.
 *
 * Semantics are libvirt 9.0's, checked against Debian's libvirtd: define
 * with a known UUID replaces the definition but must keep the usage and may
 * not make a private secret public; ephemeral may change either way (the
 * files follow); a usage belongs to one secret only.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "client_event.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_log.h"
#include "mv_uuid.h"
#include "mv_xml.h"
#include "secret_conf.h"
#include "secret_driver.h"
#include "secret_store.h"

#define MV_FROM_THIS VIR_FROM_SECRET

MV_LOG_INIT("secret.driver");

typedef struct {
    mvSecretDef *def;
    secretValue *value;         /* clear value, or NULL */
    GBytes *sealed;             /* sealed value from disk not yet opened, or NULL */
} secretObj;

typedef struct {
    GMutex lock;
    bool privileged;
    char *configDir;            /* <configDir>/secrets */
    char *keyPath;              /* <stateDir>/secrets/master.key */
    GHashTable *secrets;        /* UUID string -> secretObj */
    secretValue *key;           /* host key once loaded */
    mvObjectEventState *events;
} secretDriverState;

/* An event waiting to be emitted once the lock is dropped. */
typedef struct {
    int eventID;                /* VIR_SECRET_EVENT_ID_* */
    unsigned char uuid[MV_UUID_BUFLEN];
    int usageType;
    char *usageID;
    int event;                  /* lifecycle: DEFINED / UNDEFINED */
} secretEvent;

static secretDriverState *driver;

static void
secretObjFree(secretObj *obj)
{
    if (!obj)
        return;
    mvSecretDefFree(obj->def);
    secretValueFree(obj->value);
    g_clear_pointer(&obj->sealed, g_bytes_unref);
    g_free(obj);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(secretObj, secretObjFree);

static void
secretEventFree(secretEvent *ev)
{
    if (!ev)
        return;
    g_free(ev->usageID);
    g_free(ev);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(secretEvent, secretEventFree);

static secretEvent *
secretEventNew(int eventID, const mvSecretDef *def, int event)
{
    secretEvent *ev = g_new0(secretEvent, 1);

    ev->eventID = eventID;
    memcpy(ev->uuid, def->uuid, MV_UUID_BUFLEN);
    ev->usageType = def->usageType;
    ev->usageID = g_strdup(def->usageID);
    ev->event = event;
    return ev;
}

static void
secretEventDispatch(virConnectPtr conn, int eventID, GCallback cb, void *cbopaque,
                    void *opaque)
{
    secretEvent *ev = opaque;
    virSecretPtr secret = mvGetSecret(conn, ev->uuid, ev->usageType, ev->usageID);

    if (eventID == VIR_SECRET_EVENT_ID_LIFECYCLE)
        ((virConnectSecretEventLifecycleCallback)cb)(conn, secret, ev->event, 0, cbopaque);
    else
        ((virConnectSecretEventGenericCallback)cb)(conn, secret, cbopaque);
    virSecretFree(secret);
}

/* Emits and frees @ev; call without driver->lock. */
static void
secretEventEmit(secretEvent *ev)
{
    g_autoptr(secretEvent) owned = ev;

    if (!owned || !driver)
        return;
    mvObjectEventStateEmit(driver->events, owned->eventID, owned->uuid,
                           secretEventDispatch, owned);
}

static char *
secretPathFor(const mvSecretDef *def, const char *suffix)
{
    char uuidstr[MV_UUID_STRING_BUFLEN];
    g_autofree char *name = g_strdup_printf("%s%s", mvUUIDFormat(def->uuid, uuidstr), suffix);

    return g_build_filename(driver->configDir, name, NULL);
}

/* The object of @uuid or NULL; lock held. */
static secretObj *
secretObjFind(const unsigned char *uuid)
{
    char uuidstr[MV_UUID_STRING_BUFLEN];

    return g_hash_table_lookup(driver->secrets, mvUUIDFormat(uuid, uuidstr));
}

/* The object of @uuid, or NULL with VIR_ERR_NO_SECRET; lock held. */
static secretObj *
secretObjLookup(const unsigned char *uuid)
{
    secretObj *obj = secretObjFind(uuid);
    char uuidstr[MV_UUID_STRING_BUFLEN];

    if (!obj)
        mvReportError(VIR_ERR_NO_SECRET, "no secret with matching uuid '%s'",
                      mvUUIDFormat(uuid, uuidstr));
    return obj;
}

/* The object with this usage, or NULL; lock held. */
static secretObj *
secretObjFindByUsage(int usageType, const char *usageID)
{
    GHashTableIter iter;
    gpointer value;

    if (usageType == MV_SECRET_USAGE_NONE)
        return NULL;
    g_hash_table_iter_init(&iter, driver->secrets);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        secretObj *obj = value;

        if (obj->def->usageType == usageType && g_strcmp0(obj->def->usageID, usageID) == 0)
            return obj;
    }
    return NULL;
}

/* Loads the host key if needed; lock held.  Returns 1, 0 (absent and not
 * @create), or -1 with an error. */
static int
secretDriverKey(bool create)
{
    if (driver->key)
        return 1;
    return secretKeyLoad(driver->keyPath, create, &driver->key);
}

static int
secretDirEnsure(void)
{
    return mvFileMakePath(driver->configDir, 0700);
}

static int
secretObjSaveConfig(const mvSecretDef *def)
{
    g_autofree char *path = secretPathFor(def, ".xml");
    g_autofree char *xml = mvSecretDefFormat(def);

    if (secretDirEnsure() < 0)
        return -1;
    return mvFileWriteAtomic(path, xml, strlen(xml), 0600);
}

/* Writes @value sealed for @def; lock held. */
static int
secretObjSaveValue(const mvSecretDef *def, const secretValue *value)
{
    g_autofree char *path = secretPathFor(def, ".value");
    g_autoptr(GBytes) sealed = NULL;
    gsize len = 0;
    const void *data;

    if (secretDirEnsure() < 0 || secretDriverKey(true) < 0)
        return -1;
    if (!(sealed = secretValueSeal(driver->key, def->uuid, value)))
        return -1;
    data = g_bytes_get_data(sealed, &len);
    return mvFileWriteAtomic(path, data, len, 0600);
}

/* Removes both files of @def; lock held. */
static int
secretObjDeleteFiles(const mvSecretDef *def)
{
    g_autofree char *xmlPath = secretPathFor(def, ".xml");
    g_autofree char *valuePath = secretPathFor(def, ".value");

    if (mvFileUnlink(valuePath) < 0)
        return -1;
    return mvFileUnlink(xmlPath);
}

/* The clear value of @obj, opening a sealed one; lock held.  Returns the
 * value, NULL with *none = true when there is none, or NULL with an error. */
static const secretValue *
secretObjGetValue(secretObj *obj, bool *none)
{
    g_autofree char *path = NULL;
    int rc;

    *none = false;
    if (obj->value)
        return obj->value;
    if (!obj->sealed) {
        *none = true;
        return NULL;
    }
    path = secretPathFor(obj->def, ".value");
    if ((rc = secretDriverKey(false)) < 0)
        return NULL;
    if (rc == 0) {
        char uuidstr[MV_UUID_STRING_BUFLEN];

        mvReportError(VIR_ERR_OPERATION_FAILED,
                      "cannot decrypt value file '%s' of secret '%s': host key '%s' does "
                      "not exist (values cannot be read on a host other than the one "
                      "that stored them)",
                      path, mvUUIDFormat(obj->def->uuid, uuidstr), driver->keyPath);
        return NULL;
    }
    if (!(obj->value = secretValueUnseal(driver->key, obj->def->uuid, obj->sealed, path)))
        return NULL;
    g_clear_pointer(&obj->sealed, g_bytes_unref);
    return obj->value;
}

/* --- hypervisor table ---------------------------------------------------- */

static int
secretConnectOpen(virConnectPtr conn, unsigned int flags)
{
    const mvURI *uri = conn->uri;
    const char *want;

    mvCheckFlags(flags, VIR_CONNECT_RO, MV_DRV_OPEN_ERROR);
    if (!uri || g_strcmp0(uri->driver, "secret") != 0 || uri->server || uri->transport)
        return MV_DRV_OPEN_DECLINED;
    if (!driver) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "secret state driver is not active");
        return MV_DRV_OPEN_ERROR;
    }
    want = driver->privileged ? "/system" : "/session";
    if (g_strcmp0(uri->path, want) != 0) {
        mvReportErrorFull(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, __FILE__, __func__, __LINE__,
                          "unexpected secret URI path '%s', try secret://%s",
                          uri->path ? uri->path : "", want);
        return MV_DRV_OPEN_ERROR;
    }
    return MV_DRV_OPEN_SUCCESS;
}

static int
secretConnectClose(virConnectPtr conn)
{
    if (driver)
        mvObjectEventStateDeregisterConn(driver->events, conn);
    return 0;
}

static const char *
secretConnectGetType(virConnectPtr conn)
{
    return "secret";
}

static int
secretConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    *libVer = MV_LIBVIRT_COMPAT_VERSION_NUMBER;
    return 0;
}

static char *
secretConnectGetURI(virConnectPtr conn)
{
    return g_strdup(driver && driver->privileged ? "secret:///system" : "secret:///session");
}

static int
secretConnectIsSecure(virConnectPtr conn)
{
    return 1;
}

static int
secretConnectIsEncrypted(virConnectPtr conn)
{
    return 0;
}

static int
secretConnectIsAlive(virConnectPtr conn)
{
    return 1;
}

static int
secretConnectSupportsFeature(virConnectPtr conn, int feature)
{
    switch (feature) {
    case MV_DRV_FEATURE_TYPED_PARAM_STRING:
    case MV_DRV_FEATURE_PROGRAM_KEEPALIVE:
    case MV_DRV_FEATURE_REMOTE_EVENT_CALLBACK:
    case MV_DRV_FEATURE_REMOTE_CLOSE_CALLBACK:
    case MV_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER:
        return 1;
    default:
        return 0;
    }
}

/* --- secret table -------------------------------------------------------- */

static int
secretConnectNumOfSecrets(virConnectPtr conn)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);

    return (int)g_hash_table_size(driver->secrets);
}

/* The objects of the table sorted by UUID, filtered by list @flags; lock
 * held.  The array does not own the objects. */
static GPtrArray *
secretObjList(unsigned int flags)
{
    GPtrArray *out = g_ptr_array_new();
    g_autoptr(GList) keys = g_list_sort(g_hash_table_get_keys(driver->secrets),
                                        (GCompareFunc)strcmp);
    GList *k;

    for (k = keys; k; k = k->next) {
        secretObj *obj = g_hash_table_lookup(driver->secrets, k->data);
        unsigned int eph = flags & (VIR_CONNECT_LIST_SECRETS_EPHEMERAL |
                                    VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL);
        unsigned int priv = flags & (VIR_CONNECT_LIST_SECRETS_PRIVATE |
                                     VIR_CONNECT_LIST_SECRETS_NO_PRIVATE);

        if (eph == VIR_CONNECT_LIST_SECRETS_EPHEMERAL && !obj->def->isephemeral)
            continue;
        if (eph == VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL && obj->def->isephemeral)
            continue;
        if (priv == VIR_CONNECT_LIST_SECRETS_PRIVATE && !obj->def->isprivate)
            continue;
        if (priv == VIR_CONNECT_LIST_SECRETS_NO_PRIVATE && obj->def->isprivate)
            continue;
        g_ptr_array_add(out, obj);
    }
    return out;
}

static int
secretConnectListSecrets(virConnectPtr conn, char **uuids, int maxuuids)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    g_autoptr(GPtrArray) objs = secretObjList(0);
    int n = 0;

    for (n = 0; n < maxuuids && (guint)n < objs->len; n++) {
        secretObj *obj = g_ptr_array_index(objs, n);

        uuids[n] = g_malloc(MV_UUID_STRING_BUFLEN);
        mvUUIDFormat(obj->def->uuid, uuids[n]);
    }
    return n;
}

static int
secretConnectListAllSecrets(virConnectPtr conn, virSecretPtr **secrets, unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = NULL;
    g_autoptr(GPtrArray) objs = NULL;
    virSecretPtr *list;
    guint i;

    mvCheckFlags(flags, VIR_CONNECT_LIST_SECRETS_EPHEMERAL |
                        VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL |
                        VIR_CONNECT_LIST_SECRETS_PRIVATE |
                        VIR_CONNECT_LIST_SECRETS_NO_PRIVATE, -1);
    locker = g_mutex_locker_new(&driver->lock);
    objs = secretObjList(flags);
    if (!secrets)
        return (int)objs->len;
    list = g_new0(virSecretPtr, objs->len + 1);
    for (i = 0; i < objs->len; i++) {
        secretObj *obj = g_ptr_array_index(objs, i);

        list[i] = mvGetSecret(conn, obj->def->uuid, obj->def->usageType, obj->def->usageID);
    }
    *secrets = list;
    return (int)objs->len;
}

static virSecretPtr
secretLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    secretObj *obj = secretObjLookup(uuid);

    if (!obj)
        return NULL;
    return mvGetSecret(conn, obj->def->uuid, obj->def->usageType, obj->def->usageID);
}

static virSecretPtr
secretLookupByUsage(virConnectPtr conn, int usageType, const char *usageID)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&driver->lock);
    secretObj *obj = secretObjFindByUsage(usageType, usageID);

    if (!obj) {
        mvReportError(VIR_ERR_NO_SECRET, "no secret with matching usage '%s'",
                      usageID ? usageID : "");
        return NULL;
    }
    return mvGetSecret(conn, obj->def->uuid, obj->def->usageType, obj->def->usageID);
}

/* Checks @def against the table the way libvirt does; lock held.  Returns
 * the existing object of the same UUID (or NULL) in *existing. */
static int
secretDefineCheck(const mvSecretDef *def, secretObj **existing)
{
    char uuidstr[MV_UUID_STRING_BUFLEN];
    secretObj *obj = secretObjFind(def->uuid);

    if (obj) {
        if (!mvSecretDefSameUsage(obj->def, def)) {
            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "a secret with UUID %s is already defined for use with %s",
                          mvUUIDFormat(def->uuid, uuidstr),
                          obj->def->usageID ? obj->def->usageID : "(null)");
            return -1;
        }
        if (obj->def->isprivate && !def->isprivate) {
            mvReportError(VIR_ERR_INTERNAL_ERROR,
                          "cannot change private flag on existing secret");
            return -1;
        }
    } else if ((obj = secretObjFindByUsage(def->usageType, def->usageID))) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "a secret with UUID %s already defined for use with %s",
                      mvUUIDFormat(obj->def->uuid, uuidstr), obj->def->usageID);
        return -1;
    } else {
        obj = NULL;
    }
    *existing = obj;
    return 0;
}

/* Brings the files in line with @def replacing @obj's definition (NULL for a
 * new secret); lock held.  On failure the disk is as before. */
static int
secretDefinePersist(secretObj *obj, const mvSecretDef *def)
{
    bool wasPersistent = obj && !obj->def->isephemeral;

    if (def->isephemeral) {
        if (wasPersistent)
            return secretObjDeleteFiles(obj->def);
        return 0;
    }
    if (obj && !wasPersistent && obj->value) {
        /* ephemeral -> persistent: the value goes to disk as well */
        if (secretObjSaveValue(def, obj->value) < 0)
            return -1;
        if (secretObjSaveConfig(def) < 0) {
            g_autofree char *valuePath = secretPathFor(def, ".value");

            unlink(valuePath);
            return -1;
        }
        return 0;
    }
    return secretObjSaveConfig(def);
}

static virSecretPtr
secretDefineXML(virConnectPtr conn, const char *xml, unsigned int flags)
{
    g_autoptr(mvSecretDef) def = NULL;
    g_autoptr(secretEvent) ev = NULL;
    virSecretPtr ret = NULL;
    secretObj *obj = NULL;

    mvCheckFlags(flags, VIR_SECRET_DEFINE_VALIDATE, NULL);
    if (!(def = mvSecretDefParse(xml, (flags & VIR_SECRET_DEFINE_VALIDATE) ?
                                 MV_SECRET_DEF_PARSE_VALIDATE : 0)))
        return NULL;

    g_mutex_lock(&driver->lock);
    if (secretDefineCheck(def, &obj) < 0 || secretDefinePersist(obj, def) < 0) {
        g_mutex_unlock(&driver->lock);
        return NULL;
    }
    if (obj) {
        if (def->isephemeral && obj->sealed) {
            /* the value file is gone: keep the value only if it can be read */
            bool none;

            if (!secretObjGetValue(obj, &none)) {
                MV_WARN("value of secret dropped while making it ephemeral: %s",
                        mvErrorGetLast() ? mvErrorGetLast()->message : "");
                mvErrorReset();
                g_clear_pointer(&obj->sealed, g_bytes_unref);
            }
        }
        mvSecretDefFree(obj->def);
        obj->def = g_steal_pointer(&def);
    } else {
        char uuidstr[MV_UUID_STRING_BUFLEN];

        obj = g_new0(secretObj, 1);
        obj->def = g_steal_pointer(&def);
        g_hash_table_insert(driver->secrets, g_strdup(mvUUIDFormat(obj->def->uuid, uuidstr)),
                            obj);
    }
    ev = secretEventNew(VIR_SECRET_EVENT_ID_LIFECYCLE, obj->def, VIR_SECRET_EVENT_DEFINED);
    ret = mvGetSecret(conn, obj->def->uuid, obj->def->usageType, obj->def->usageID);
    g_mutex_unlock(&driver->lock);

    secretEventEmit(g_steal_pointer(&ev));
    return ret;
}

static char *
secretGetXMLDesc(virSecretPtr secret, unsigned int flags)
{
    g_autoptr(GMutexLocker) locker = NULL;
    secretObj *obj;

    mvCheckFlags(flags, 0, NULL);
    locker = g_mutex_locker_new(&driver->lock);
    if (!(obj = secretObjLookup(secret->uuid)))
        return NULL;
    return mvSecretDefFormat(obj->def);
}

static int
secretSetValue(virSecretPtr secret, const unsigned char *value, size_t size,
               unsigned int flags)
{
    g_autoptr(secretValue) newValue = NULL;
    g_autoptr(secretEvent) ev = NULL;
    secretObj *obj;

    mvCheckFlags(flags, 0, -1);
    if (size > SECRET_VALUE_MAX) {
        mvReportError(VIR_ERR_INVALID_ARG,
                      "secret value of %zu bytes is larger than the limit of %d bytes",
                      size, SECRET_VALUE_MAX);
        return -1;
    }
    newValue = secretValueNew(value, size);

    g_mutex_lock(&driver->lock);
    if (!(obj = secretObjLookup(secret->uuid)) ||
        (!obj->def->isephemeral && secretObjSaveValue(obj->def, newValue) < 0)) {
        g_mutex_unlock(&driver->lock);
        return -1;
    }
    secretValueFree(obj->value);
    obj->value = g_steal_pointer(&newValue);
    g_clear_pointer(&obj->sealed, g_bytes_unref);
    ev = secretEventNew(VIR_SECRET_EVENT_ID_VALUE_CHANGED, obj->def, 0);
    g_mutex_unlock(&driver->lock);

    secretEventEmit(g_steal_pointer(&ev));
    return 0;
}

static unsigned char *
secretGetValue(virSecretPtr secret, size_t *size, unsigned int flags,
               unsigned int internalFlags)
{
    g_autoptr(GMutexLocker) locker = NULL;
    const secretValue *value;
    secretObj *obj;
    unsigned char *ret;
    bool none = false;

    mvCheckFlags(flags, 0, NULL);
    locker = g_mutex_locker_new(&driver->lock);
    if (!(obj = secretObjLookup(secret->uuid)))
        return NULL;
    if (obj->def->isprivate && !(internalFlags & MV_SECRET_GET_VALUE_INTERNAL_CALL)) {
        mvReportError(VIR_ERR_INVALID_SECRET, "secret is private");
        return NULL;
    }
    if (!(value = secretObjGetValue(obj, &none))) {
        if (none) {
            char uuidstr[MV_UUID_STRING_BUFLEN];

            mvReportError(VIR_ERR_NO_SECRET, "secret '%s' does not have a value",
                          mvUUIDFormat(obj->def->uuid, uuidstr));
        }
        return NULL;
    }
    ret = g_malloc(value->len + 1);
    memcpy(ret, value->data, value->len);
    ret[value->len] = '\0';
    *size = value->len;
    return ret;
}

static int
secretUndefine(virSecretPtr secret)
{
    g_autoptr(secretEvent) ev = NULL;
    char uuidstr[MV_UUID_STRING_BUFLEN];
    secretObj *obj;

    g_mutex_lock(&driver->lock);
    if (!(obj = secretObjLookup(secret->uuid)) ||
        (!obj->def->isephemeral && secretObjDeleteFiles(obj->def) < 0)) {
        g_mutex_unlock(&driver->lock);
        return -1;
    }
    ev = secretEventNew(VIR_SECRET_EVENT_ID_LIFECYCLE, obj->def, VIR_SECRET_EVENT_UNDEFINED);
    g_hash_table_remove(driver->secrets, mvUUIDFormat(obj->def->uuid, uuidstr));
    g_mutex_unlock(&driver->lock);

    secretEventEmit(g_steal_pointer(&ev));
    return 0;
}

static int
secretConnectSecretEventRegisterAny(virConnectPtr conn, virSecretPtr secret, int eventID,
                                    virConnectSecretEventGenericCallback cb, void *opaque,
                                    virFreeCallback freecb)
{
    return mvObjectEventStateRegister(driver->events, conn, eventID,
                                      VIR_SECRET_EVENT_ID_VALUE_CHANGED + 1,
                                      secret ? secret->uuid : NULL,
                                      G_CALLBACK(cb), opaque, freecb);
}

static int
secretConnectSecretEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    return mvObjectEventStateDeregister(driver->events, conn, callbackID);
}

static const mvHypervisorDriver secretHypervisorDriver = {
    .name = "secret",
    .connectOpen = secretConnectOpen,
    .connectClose = secretConnectClose,
    .connectGetType = secretConnectGetType,
    /* libvirt's secret driver answers neither version nor hostname */
    .connectGetVersion = NULL,
    .connectGetHostname = NULL,
    .connectGetLibVersion = secretConnectGetLibVersion,
    .connectGetURI = secretConnectGetURI,
    .connectIsAlive = secretConnectIsAlive,
    .connectIsSecure = secretConnectIsSecure,
    .connectIsEncrypted = secretConnectIsEncrypted,
    .connectSupportsFeature = secretConnectSupportsFeature,
};

static const mvSecretDriver secretSecretDriver = {
    .connectNumOfSecrets = secretConnectNumOfSecrets,
    .connectListSecrets = secretConnectListSecrets,
    .connectListAllSecrets = secretConnectListAllSecrets,
    .secretLookupByUUID = secretLookupByUUID,
    .secretLookupByUsage = secretLookupByUsage,
    .secretDefineXML = secretDefineXML,
    .secretGetXMLDesc = secretGetXMLDesc,
    .secretSetValue = secretSetValue,
    .secretGetValue = secretGetValue,
    .secretUndefine = secretUndefine,
    .connectSecretEventRegisterAny = secretConnectSecretEventRegisterAny,
    .connectSecretEventDeregisterAny = secretConnectSecretEventDeregisterAny,
};

static const char * const secretURISchemes[] = { "secret", NULL };

const mvConnectDriver secretConnectDriver = {
    .name = "secret",
    .uriSchemes = secretURISchemes,
    .hypervisorDriver = &secretHypervisorDriver,
    .secretDriver = &secretSecretDriver,
};

/* --- state driver -------------------------------------------------------- */

/* Loads <UUID>.xml (and its .value) into the table; problems are reported
 * and the file skipped.  Returns 0 loaded, -1 skipped (error set). */
static int
secretLoadOne(const char *name)
{
    g_autofree char *path = g_build_filename(driver->configDir, name, NULL);
    g_autofree char *valuePath = NULL;
    g_autofree char *uuidPart = g_strndup(name, strlen(name) - strlen(".xml"));
    g_autoptr(mvSecretDef) def = NULL;
    g_autoptr(secretObj) obj = NULL;
    char uuidstr[MV_UUID_STRING_BUFLEN];
    unsigned char uuid[MV_UUID_BUFLEN];
    g_autofree char *data = NULL;
    size_t len = 0;

    if (mvUUIDParse(uuidPart, uuid) < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "'%s' is not named after a UUID", path);
        return -1;
    }
    if (!(def = mvSecretDefParseFile(path, 0)))
        return -1;
    if (memcmp(def->uuid, uuid, MV_UUID_BUFLEN) != 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "'%s' defines the secret '%s' instead",
                      path, mvUUIDFormat(def->uuid, uuidstr));
        return -1;
    }
    if (def->isephemeral) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "'%s' is an ephemeral secret on disk", path);
        return -1;
    }
    if (secretObjFind(def->uuid) || secretObjFindByUsage(def->usageType, def->usageID)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "'%s' duplicates the UUID or usage of another secret", path);
        return -1;
    }
    obj = g_new0(secretObj, 1);
    valuePath = secretPathFor(def, ".value");
    if (access(valuePath, F_OK) == 0) {
        if (mvFileReadAll(valuePath, SECRET_SEALED_MAX, &data, &len) < 0) {
            MV_WARN("secret '%s' loaded without its value: %s",
                    mvUUIDFormat(def->uuid, uuidstr), mvErrorGetLast()->message);
            mvErrorReset();
        } else {
            obj->sealed = g_bytes_new_take(g_steal_pointer(&data), len);
        }
    }
    mvUUIDFormat(def->uuid, uuidstr);
    obj->def = g_steal_pointer(&def);
    g_hash_table_insert(driver->secrets, g_strdup(uuidstr), g_steal_pointer(&obj));
    return 0;
}

static void
secretLoadAll(void)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    guint i;

    if (!(dir = g_dir_open(driver->configDir, 0, &gerr))) {
        if (!g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            MV_WARN("cannot read secrets directory '%s': %s", driver->configDir,
                    gerr->message);
        return;
    }
    while ((name = g_dir_read_name(dir))) {
        if (g_str_has_suffix(name, ".xml"))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    for (i = 0; i < names->len; i++) {
        const char *n = *(const char **)&g_ptr_array_index(names, i);

        if (secretLoadOne(n) < 0) {
            MV_WARN("skipping secret file '%s/%s': %s", driver->configDir, n,
                    mvErrorGetLast() ? mvErrorGetLast()->message : "unknown error");
            mvErrorReset();
        }
    }
}

static int
secretStateRegister(void)
{
    return mvRegisterConnectDriver(&secretConnectDriver);
}

static void
secretStateCleanup(void)
{
    secretDriverState *st = g_steal_pointer(&driver);

    if (!st)
        return;
    g_clear_pointer(&st->secrets, g_hash_table_unref);
    g_clear_pointer(&st->events, mvObjectEventStateFree);
    secretValueFree(st->key);
    g_free(st->configDir);
    g_free(st->keyPath);
    g_mutex_clear(&st->lock);
    g_free(st);
}

static int
secretStateInitialize(const mvDriverStateConfig *cfg)
{
    secretDriverState *st;

    if (!cfg || !cfg->configDir || !cfg->stateDir) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "secret driver needs a config and a state dir");
        return -1;
    }
    if (driver)
        secretStateCleanup();
    st = g_new0(secretDriverState, 1);
    g_mutex_init(&st->lock);
    st->privileged = cfg->privileged;
    st->configDir = g_build_filename(cfg->configDir, "secrets", NULL);
    st->keyPath = g_build_filename(cfg->stateDir, "secrets", "master.key", NULL);
    st->secrets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)secretObjFree);
    st->events = mvObjectEventStateNew();
    driver = st;
    secretLoadAll();
    MV_DEBUG("secret driver ready: %u secrets from '%s'",
             g_hash_table_size(driver->secrets), driver->configDir);
    return 0;
}

const mvStateDriver secretStateDriver = {
    .name = "secret",
    .registerDriver = secretStateRegister,
    .initialize = secretStateInitialize,
    .cleanup = secretStateCleanup,
    .inhibitCount = NULL,
};
