/*
 * secret_conf: see secret_conf.h.  One function per element on both sides:
 * the root attributes, <uuid>, <description> and <usage>.  Messages that
 * libvirt 9.0 reports for the same mistakes are kept word for word (verified
 * against Debian's libvirtd), since clients and scripts match on them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_buf.h"
#include "mv_enum.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_xml.h"
#include "secret_conf.h"

#define MV_FROM_THIS VIR_FROM_SECRET

static const char * const mvSecretUsageTypeNames[] = {
    [MV_SECRET_USAGE_NONE] = "none",
    [MV_SECRET_USAGE_VOLUME] = "volume",
    [MV_SECRET_USAGE_CEPH] = "ceph",
    [MV_SECRET_USAGE_ISCSI] = "iscsi",
    [MV_SECRET_USAGE_TLS] = "tls",
    [MV_SECRET_USAGE_VTPM] = "vtpm",
};
G_STATIC_ASSERT(G_N_ELEMENTS(mvSecretUsageTypeNames) == MV_SECRET_USAGE_LAST);

MV_ENUM_IMPL_TABLE(mvSecretUsageType, mvSecretUsageTypeNames)

/* The element under <usage> that holds the usage ID, per type. */
static const char *
mvSecretUsageElement(mvSecretUsageType type)
{
    switch (type) {
    case MV_SECRET_USAGE_NONE:
        return NULL;
    case MV_SECRET_USAGE_VOLUME:
        return "volume";
    case MV_SECRET_USAGE_ISCSI:
        return "target";
    case MV_SECRET_USAGE_CEPH:
    case MV_SECRET_USAGE_TLS:
    case MV_SECRET_USAGE_VTPM:
        return "name";
    case MV_SECRET_USAGE_LAST:
        break;
    }
    return NULL;
}

/* libvirt's complaint when the usage ID is missing, per type. */
static const char *
mvSecretUsageMissingMessage(mvSecretUsageType type)
{
    switch (type) {
    case MV_SECRET_USAGE_VOLUME:
        return "volume usage specified, but volume path is missing";
    case MV_SECRET_USAGE_CEPH:
        return "Ceph usage specified, but name is missing";
    case MV_SECRET_USAGE_ISCSI:
        return "iSCSI usage specified, but target is missing";
    case MV_SECRET_USAGE_TLS:
        return "TLS usage specified, but name is missing";
    case MV_SECRET_USAGE_VTPM:
        return "vTPM usage specified, but name is missing";
    case MV_SECRET_USAGE_NONE:
    case MV_SECRET_USAGE_LAST:
        break;
    }
    return "usage ID is missing";
}

mvSecretDef *
mvSecretDefNew(void)
{
    return g_new0(mvSecretDef, 1);
}

void
mvSecretDefFree(mvSecretDef *def)
{
    if (!def)
        return;
    g_free(def->description);
    g_free(def->usageID);
    g_free(def);
}

mvSecretDef *
mvSecretDefCopy(const mvSecretDef *def)
{
    mvSecretDef *copy = mvSecretDefNew();

    memcpy(copy->uuid, def->uuid, MV_UUID_BUFLEN);
    copy->isephemeral = def->isephemeral;
    copy->isprivate = def->isprivate;
    copy->description = g_strdup(def->description);
    copy->usageType = def->usageType;
    copy->usageID = g_strdup(def->usageID);
    return copy;
}

bool
mvSecretDefSameUsage(const mvSecretDef *a, const mvSecretDef *b)
{
    return a->usageType == b->usageType && g_strcmp0(a->usageID, b->usageID) == 0;
}

/* A yes/no attribute of the root; absent means no. */
static int
mvSecretDefParseFlag(xmlNode *root, const char *name, bool *value)
{
    g_autofree char *str = NULL;

    if (mvXMLPropString(root, name, &str) == 0)
        return 0;
    if (strcmp(str, "yes") == 0) {
        *value = true;
    } else if (strcmp(str, "no") == 0) {
        *value = false;
    } else {
        mvReportError(VIR_ERR_XML_ERROR, "invalid value of '%s'", name);
        return -1;
    }
    return 0;
}

/* Text of the first child @name, NULL when absent or empty (as libvirt's
 * string() lookups treat both). */
static char *
mvSecretDefChildText(xmlNode *node, const char *name)
{
    g_autofree char *text = NULL;

    if (mvXMLChildString(node, name, &text) == 0 || !*text)
        return NULL;
    return g_steal_pointer(&text);
}

static int
mvSecretDefParseUUID(xmlNode *root, mvSecretDef *def)
{
    g_autofree char *text = mvSecretDefChildText(root, "uuid");

    if (!text) {
        mvUUIDGenerate(def->uuid);
        return 0;
    }
    if (mvUUIDParse(text, def->uuid) < 0) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "malformed uuid element");
        return -1;
    }
    return 0;
}

static int
mvSecretDefParseUsage(xmlNode *root, mvSecretDef *def)
{
    xmlNode *usage = mvXMLChildFind(root, "usage");
    g_autofree char *typeStr = NULL;
    const char *elem;
    int type;

    if (!usage) {
        def->usageType = MV_SECRET_USAGE_NONE;
        return 0;
    }
    if (mvXMLPropString(usage, "type", &typeStr) == 0) {
        mvReportError(VIR_ERR_XML_ERROR, "unknown secret usage type");
        return -1;
    }
    if ((type = mvSecretUsageTypeFromString(typeStr)) < 0) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unknown secret usage type %s", typeStr);
        return -1;
    }
    def->usageType = type;
    if (!(elem = mvSecretUsageElement(type)))
        return 0;
    if (!(def->usageID = mvSecretDefChildText(usage, elem))) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "%s", mvSecretUsageMissingMessage(type));
        return -1;
    }
    return 0;
}

static mvSecretDef *
mvSecretDefParseDoc(xmlDoc *doc, unsigned int flags)
{
    g_autoptr(mvSecretDef) def = mvSecretDefNew();
    xmlNode *root = xmlDocGetRootElement(doc);

    if ((flags & MV_SECRET_DEF_PARSE_VALIDATE) && mvXMLValidate(doc, MV_SECRET_SCHEMA) < 0)
        return NULL;
    if (mvSecretDefParseFlag(root, "ephemeral", &def->isephemeral) < 0 ||
        mvSecretDefParseFlag(root, "private", &def->isprivate) < 0 ||
        mvSecretDefParseUUID(root, def) < 0)
        return NULL;
    def->description = mvSecretDefChildText(root, "description");
    if (mvSecretDefParseUsage(root, def) < 0)
        return NULL;
    /* What libvirt would silently drop (unknown or repeated elements and
     * attributes) is refused here, with the line and element named. */
    if (!(flags & MV_SECRET_DEF_PARSE_VALIDATE) && mvXMLValidate(doc, MV_SECRET_SCHEMA) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

mvSecretDef *
mvSecretDefParse(const char *xml, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = NULL;

    if (!(doc = mvXMLParseString(xml, MV_SECRET_XML_NAME, "secret", VIR_FROM_SECRET)))
        return NULL;
    return mvSecretDefParseDoc(doc, flags);
}

mvSecretDef *
mvSecretDefParseFile(const char *path, unsigned int flags)
{
    g_autofree char *data = NULL;
    g_autoptr(xmlDoc) doc = NULL;

    if (mvFileReadAll(path, MV_XML_MAX_SIZE, &data, NULL) < 0)
        return NULL;
    if (!(doc = mvXMLParseString(data, path, "secret", VIR_FROM_SECRET)))
        return NULL;
    return mvSecretDefParseDoc(doc, flags);
}

static void
mvSecretDefFormatUsage(mvBuf *buf, const mvSecretDef *def)
{
    const char *elem = mvSecretUsageElement(def->usageType);

    if (!elem)
        return;
    mvBufAsprintf(buf, "<usage type='%s'>\n", mvSecretUsageTypeToString(def->usageType));
    mvBufAdjustIndent(buf, 2);
    mvBufAsprintf(buf, "<%s>", elem);
    mvBufAddEscaped(buf, def->usageID ? def->usageID : "");
    mvBufAsprintf(buf, "</%s>\n", elem);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</usage>\n");
}

char *
mvSecretDefFormat(const mvSecretDef *def)
{
    g_auto(mvBuf) buf = MV_BUF_INIT;
    char uuidstr[MV_UUID_STRING_BUFLEN];

    mvBufAsprintf(&buf, "<secret ephemeral='%s' private='%s'>\n",
                  def->isephemeral ? "yes" : "no", def->isprivate ? "yes" : "no");
    mvBufAdjustIndent(&buf, 2);
    mvBufAsprintf(&buf, "<uuid>%s</uuid>\n", mvUUIDFormat(def->uuid, uuidstr));
    mvBufEscapeString(&buf, "<description>%s</description>\n", def->description);
    mvSecretDefFormatUsage(&buf, def);
    mvBufAdjustIndent(&buf, -2);
    mvBufAdd(&buf, "</secret>\n");
    return mvBufContentAndReset(&buf);
}
