/*
 * mv_xml: see mv_xml.h.  Parse errors are caught through the parser
 * context's structured error hook (never libxml2's global handlers), so
 * concurrent parses in worker threads do not see each other's errors.  The
 * schema cache is a hash of compiled schemas by file name behind one mutex,
 * which also serialises validation (cheap, and it keeps us clear of any
 * shared state inside libxml2's RelaxNG validator).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "mv_error.h"
#include "mv_uuid.h"
#include "mv_xml.h"

#define MV_FROM_THIS VIR_FROM_XML

/* What the parse error hook captured: the first error only. */
typedef struct {
    bool seen;
    bool doctype;       /* a DOCTYPE was met and the parse stopped */
    int line;
    char *message;      /* libxml2's text, without the trailing newline */
    char *context;      /* offending line + "\n" + dashes and a caret */
} mvXMLParseState;

static GMutex mvXMLSchemaLock;
static GHashTable *mvXMLSchemas;   /* file name -> xmlRelaxNGPtr */

static void
mvXMLInitOnce(void)
{
    static gsize done;

    if (g_once_init_enter(&done)) {
        xmlInitParser();
        g_once_init_leave(&done, 1);
    }
}

/* The line being parsed around @input->cur and a caret under the position,
 * in libvirt's layout. */
static char *
mvXMLErrorContext(xmlParserInputPtr input)
{
    const char *base, *cur, *start, *end;
    GString *out;
    size_t i;

    if (!input || !input->base || !input->cur)
        return g_strdup("(null)\n^");
    base = (const char *)input->base;
    cur = (const char *)input->cur;
    if (*cur == '\0' && cur > base && cur[-1] == '\n')
        cur--;
    start = cur;
    while (start > base && start[-1] != '\n' && start[-1] != '\r' && cur - start < 80)
        start--;
    end = cur;
    while (*end && *end != '\n' && *end != '\r' && end - cur < 80)
        end++;
    if (end == start)
        return g_strdup("(null)\n^");
    out = g_string_new_len(start, end - start);
    g_string_append_c(out, '\n');
    for (i = 0; i < (size_t)(cur - start); i++)
        g_string_append_c(out, '-');
    g_string_append_c(out, '^');
    return g_string_free(out, FALSE);
}

static void
mvXMLParseErrorHook(void *userData, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = userData;
    mvXMLParseState *st = ctxt ? ctxt->_private : NULL;

    if (!st || !err || err->level < XML_ERR_ERROR || st->seen)
        return;
    st->seen = true;
    st->line = err->line;
    st->message = g_strchomp(g_strdup(err->message ? err->message : "unknown error"));
    st->context = mvXMLErrorContext(ctxt->input);
}

/* SAX hook for <!DOCTYPE>: stop before any declaration is processed. */
static void
mvXMLDoctypeHook(void *ctx, const xmlChar *name, const xmlChar *externalID,
                 const xmlChar *systemID)
{
    xmlParserCtxtPtr ctxt = ctx;
    mvXMLParseState *st = ctxt->_private;

    st->doctype = true;
    xmlStopParser(ctxt);
}

static bool
mvXMLDepthOK(const xmlNode *node, int depth, const char *url)
{
    const xmlNode *cur;

    for (cur = node; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (depth > MV_XML_MAX_DEPTH) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "%s:%ld: element <%s> is nested deeper than the limit of %d levels",
                          url, mvXMLNodeLine(cur), (const char *)cur->name,
                          MV_XML_MAX_DEPTH);
            return false;
        }
        if (!mvXMLDepthOK(cur->children, depth + 1, url))
            return false;
    }
    return true;
}

xmlDoc *
mvXMLParseString(const char *xml, const char *url, const char *rootName, int errDomain)
{
    g_autoptr(xmlParserCtxt) ctxt = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    mvXMLParseState st = { 0 };
    xmlNode *root;
    size_t len;
    int opts = XML_PARSE_NONET | XML_PARSE_NOWARNING;

    mvXMLInitOnce();
    if (!url)
        url = "(xml)";
    len = xml ? strlen(xml) : 0;
    if (len > MV_XML_MAX_SIZE) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "%s: document of %zu bytes is larger than the limit of %d bytes",
                      url, len, MV_XML_MAX_SIZE);
        return NULL;
    }
    if (!(ctxt = xmlNewParserCtxt())) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot create an XML parser context");
        return NULL;
    }
    ctxt->_private = &st;
    ctxt->sax->serror = mvXMLParseErrorHook;
    ctxt->sax->internalSubset = mvXMLDoctypeHook;
    ctxt->sax->externalSubset = NULL;
    ctxt->sax->resolveEntity = NULL;
    ctxt->sax->getEntity = NULL;
    ctxt->sax->entityDecl = NULL;

    doc = xmlCtxtReadMemory(ctxt, xml ? xml : "", (int)len, url, NULL, opts);
    ctxt->_private = NULL;

    if (st.doctype) {
        g_clear_pointer(&st.message, g_free);
        g_clear_pointer(&st.context, g_free);
        mvReportError(VIR_ERR_XML_ERROR,
                      "%s: DOCTYPE declarations are not allowed in modvirt XML", url);
        return NULL;
    }
    if (!doc || st.seen || !ctxt->wellFormed) {
        if (st.seen)
            mvReportErrorFull(errDomain, VIR_ERR_XML_DETAIL, __FILE__, __func__, __LINE__,
                              "%s:%d: %s\n%s", url, st.line, st.message, st.context);
        else
            mvReportErrorFull(errDomain, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                              "%s: failed to parse XML document", url);
        g_free(st.message);
        g_free(st.context);
        return NULL;
    }
    if (!(root = xmlDocGetRootElement(doc))) {
        mvReportErrorFull(errDomain, VIR_ERR_XML_ERROR, __FILE__, __func__, __LINE__,
                          "%s: missing root element", url);
        return NULL;
    }
    if (rootName && strcmp((const char *)root->name, rootName) != 0) {
        mvReportError(VIR_ERR_XML_ERROR, "expecting root element of '%s', not '%s'",
                      rootName, (const char *)root->name);
        return NULL;
    }
    if (!mvXMLDepthOK(root, 1, url))
        return NULL;
    return g_steal_pointer(&doc);
}

char *
mvXMLSchemaPath(const char *name)
{
    const char *env = g_getenv("MODVIRT_SCHEMA_DIR");
    g_autofree char *installed = NULL;

    if (env && *env)
        return g_build_filename(env, name, NULL);
    installed = g_build_filename(MV_SCHEMADIR, name, NULL);
    if (access(installed, R_OK) == 0)
        return g_steal_pointer(&installed);
    return g_build_filename(MV_SRC_SCHEMADIR, name, NULL);
}

/* Collects RelaxNG compile or validation problems, one per line. */
static void
mvXMLSchemaErrorHook(void *userData, xmlErrorPtr err)
{
    GString *msgs = userData;
    const char *elem = NULL;
    g_autofree char *text = NULL;

    if (!err || !err->message)
        return;
    text = g_strchomp(g_strdup(err->message));
    if (err->node && ((xmlNodePtr)err->node)->type == XML_ELEMENT_NODE)
        elem = (const char *)((xmlNodePtr)err->node)->name;
    if (err->file && elem)
        g_string_append_printf(msgs, "%s:%d: element <%s>: %s\n", err->file, err->line, elem, text);
    else if (elem)
        g_string_append_printf(msgs, "line %d: element <%s>: %s\n", err->line, elem, text);
    else if (err->line > 0)
        g_string_append_printf(msgs, "line %d: %s\n", err->line, text);
    else
        g_string_append_printf(msgs, "%s\n", text);
}

/* The compiled schema @name (cached); call with mvXMLSchemaLock held. */
static xmlRelaxNGPtr
mvXMLSchemaGet(const char *name, const char *path)
{
    g_autoptr(xmlRelaxNGParserCtxt) pctxt = NULL;
    g_autoptr(GString) msgs = g_string_new(NULL);
    xmlRelaxNGPtr rng;

    if (!mvXMLSchemas)
        mvXMLSchemas = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify)xmlRelaxNGFree);
    if ((rng = g_hash_table_lookup(mvXMLSchemas, name)))
        return rng;
    if (access(path, R_OK) < 0) {
        mvReportSystemError(errno, "cannot read RelaxNG schema '%s'", path);
        return NULL;
    }
    if (!(pctxt = xmlRelaxNGNewParserCtxt(path))) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot create a parser for schema '%s'", path);
        return NULL;
    }
    xmlRelaxNGSetParserStructuredErrors(pctxt, mvXMLSchemaErrorHook, msgs);
    if (!(rng = xmlRelaxNGParse(pctxt))) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot compile RelaxNG schema '%s': %s",
                      path, msgs->str);
        return NULL;
    }
    g_hash_table_insert(mvXMLSchemas, g_strdup(name), rng);
    return rng;
}

int
mvXMLValidate(xmlDoc *doc, const char *name)
{
    g_autoptr(GMutexLocker) locker = NULL;
    g_autoptr(xmlRelaxNGValidCtxt) vctxt = NULL;
    g_autoptr(GString) msgs = g_string_new(NULL);
    g_autofree char *path = mvXMLSchemaPath(name);
    xmlRelaxNGPtr rng;

    mvXMLInitOnce();
    locker = g_mutex_locker_new(&mvXMLSchemaLock);
    if (!(rng = mvXMLSchemaGet(name, path)))
        return -1;
    if (!(vctxt = xmlRelaxNGNewValidCtxt(rng))) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot create a validator for '%s'", path);
        return -1;
    }
    xmlRelaxNGSetValidStructuredErrors(vctxt, mvXMLSchemaErrorHook, msgs);
    if (xmlRelaxNGValidateDoc(vctxt, doc) != 0) {
        mvReportError(VIR_ERR_XML_INVALID_SCHEMA, "Unable to validate doc against %s\n%s",
                      path, msgs->str);
        return -1;
    }
    return 0;
}

void
mvXMLSchemaCacheClear(void)
{
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&mvXMLSchemaLock);

    g_clear_pointer(&mvXMLSchemas, g_hash_table_unref);
}

long
mvXMLNodeLine(const xmlNode *node)
{
    return node ? xmlGetLineNo(node) : 0;
}

int
mvXMLPropString(const xmlNode *node, const char *name, char **value)
{
    xmlChar *prop = xmlGetNoNsProp(node, (const xmlChar *)name);

    if (!prop)
        return 0;
    *value = g_strdup((const char *)prop);
    xmlFree(prop);
    return 1;
}

int
mvXMLPropEnum(const xmlNode *node, const char *name,
              const char * const *table, size_t ntable, int *value)
{
    g_autofree char *str = NULL;
    g_autoptr(GString) allowed = NULL;
    size_t i;

    if (mvXMLPropString(node, name, &str) == 0)
        return 0;
    for (i = 0; i < ntable; i++) {
        if (table[i] && strcmp(table[i], str) == 0) {
            *value = (int)i;
            return 1;
        }
    }
    allowed = g_string_new(NULL);
    for (i = 0; i < ntable; i++) {
        if (!table[i])
            continue;
        g_string_append_printf(allowed, "%s'%s'", allowed->len ? ", " : "", table[i]);
    }
    mvReportError(VIR_ERR_XML_ERROR,
                  "invalid value '%s' of attribute '%s' of element <%s> on line %ld "
                  "(expected one of %s)",
                  str, name, (const char *)node->name, mvXMLNodeLine(node), allowed->str);
    return -1;
}

int
mvXMLPropUInt(const xmlNode *node, const char *name, unsigned int *value)
{
    g_autofree char *str = NULL;
    guint64 v;
    char *end = NULL;

    if (mvXMLPropString(node, name, &str) == 0)
        return 0;
    if (!g_ascii_isdigit(str[0]) ||
        (v = g_ascii_strtoull(str, &end, 10), *end != '\0') || v > G_MAXUINT) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "invalid value '%s' of attribute '%s' of element <%s> on line %ld "
                      "(expected an unsigned integer)",
                      str, name, (const char *)node->name, mvXMLNodeLine(node));
        return -1;
    }
    *value = (unsigned int)v;
    return 1;
}

int
mvXMLPropYesNo(const xmlNode *node, const char *name, bool *value)
{
    static const char * const yesno[] = { "no", "yes" };
    int v;
    int rc = mvXMLPropEnum(node, name, yesno, G_N_ELEMENTS(yesno), &v);

    if (rc == 1)
        *value = v == 1;
    return rc;
}

int
mvXMLPropUUID(const xmlNode *node, const char *name, unsigned char *uuid)
{
    g_autofree char *str = NULL;
    unsigned char tmp[MV_UUID_BUFLEN];

    if (mvXMLPropString(node, name, &str) == 0)
        return 0;
    if (mvUUIDParse(str, tmp) < 0) {
        mvReportError(VIR_ERR_XML_ERROR,
                      "invalid value '%s' of attribute '%s' of element <%s> on line %ld "
                      "(expected a UUID)",
                      str, name, (const char *)node->name, mvXMLNodeLine(node));
        return -1;
    }
    memcpy(uuid, tmp, MV_UUID_BUFLEN);
    return 1;
}

xmlNode *
mvXMLChildFind(const xmlNode *node, const char *name)
{
    xmlNode *cur;

    for (cur = node ? node->children : NULL; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && strcmp((const char *)cur->name, name) == 0)
            return cur;
    }
    return NULL;
}

size_t
mvXMLChildCount(const xmlNode *node, const char *name)
{
    xmlNode *cur;
    size_t n = 0;

    for (cur = node ? node->children : NULL; cur; cur = cur->next) {
        if (cur->type == XML_ELEMENT_NODE && strcmp((const char *)cur->name, name) == 0)
            n++;
    }
    return n;
}

char *
mvXMLNodeContent(const xmlNode *node)
{
    xmlChar *text = xmlNodeGetContent(node);
    char *ret = g_strdup(text ? (const char *)text : "");

    xmlFree(text);
    return ret;
}

int
mvXMLChildString(const xmlNode *node, const char *name, char **value)
{
    xmlNode *child = mvXMLChildFind(node, name);

    if (!child)
        return 0;
    *value = mvXMLNodeContent(child);
    return 1;
}
