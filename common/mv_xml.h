/*
 * mv_xml: the one place modvirt touches libxml2 directly.
 *
 * Parsing is hardened: no network, no DTD loading, no entity substitution,
 * documents with a DOCTYPE are refused, and both size (MV_XML_MAX_SIZE) and
 * nesting depth (MV_XML_MAX_DEPTH) are capped.  A parse failure is reported
 * as VIR_ERR_XML_DETAIL with the document name, line, libxml2's message and
 * the offending line with a caret, the way libvirt shows it.
 *
 * RelaxNG schemas are found by file name in $MODVIRT_SCHEMA_DIR, else the
 * installed MV_SCHEMADIR, else the source tree's schemas/; each is compiled
 * once and cached (a compiled schema is read-only and shared by threads).
 *
 * Typed readers of attributes and children return 1 when the item is
 * present, 0 when it is absent, and -1 with an error naming the attribute,
 * the element and the line when a value is malformed.
 *
 * The g_autoptr cleanups for libxml2 types are defined here, once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/relaxng.h>

/* Largest XML document accepted, in bytes. */
#define MV_XML_MAX_SIZE (10 * 1024 * 1024)
/* Deepest element nesting accepted. */
#define MV_XML_MAX_DEPTH 128

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlNode, xmlFreeNode);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlParserCtxt, xmlFreeParserCtxt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathContext, xmlXPathFreeContext);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathObject, xmlXPathFreeObject);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlRelaxNGParserCtxt, xmlRelaxNGFreeParserCtxt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlRelaxNGValidCtxt, xmlRelaxNGFreeValidCtxt);

/* Parses @xml (NUL-terminated) into a document named @url in messages (e.g.
 * "(definition_of_secret)").  When @rootName is given the root element must
 * have that name.  Parse errors are reported with @errDomain (the caller's
 * error domain, as libvirt does); a wrong root is VIR_ERR_XML_ERROR.
 * Returns the document, or NULL with an error reported. */
xmlDoc *mvXMLParseString(const char *xml, const char *url, const char *rootName,
                         int errDomain);

/* Full path of schema @name ("secret.rng") following the lookup order above.
 * Never NULL (the last candidate is returned even if missing). */
char *mvXMLSchemaPath(const char *name);

/* Validates @doc against schema @name.  Returns 0, or -1 with
 * VIR_ERR_XML_INVALID_SCHEMA reported: "Unable to validate doc against PATH"
 * followed by one line per problem, each with document, line and element. */
int mvXMLValidate(xmlDoc *doc, const char *name);

/* Forgets compiled schemas (tests, shutdown). */
void mvXMLSchemaCacheClear(void);

/* Line of @node in its document (0 when unknown). */
long mvXMLNodeLine(const xmlNode *node);

/* Attribute readers.  @value is set only when present (1). */
int mvXMLPropString(const xmlNode *node, const char *name, char **value);
int mvXMLPropEnum(const xmlNode *node, const char *name,
                  const char * const *table, size_t ntable, int *value);
int mvXMLPropUInt(const xmlNode *node, const char *name, unsigned int *value);
int mvXMLPropYesNo(const xmlNode *node, const char *name, bool *value);
int mvXMLPropUUID(const xmlNode *node, const char *name, unsigned char *uuid);

/* First element child of @node called @name, or NULL. */
xmlNode *mvXMLChildFind(const xmlNode *node, const char *name);
/* Number of element children of @node called @name. */
size_t mvXMLChildCount(const xmlNode *node, const char *name);
/* Text content of the first child element @name: 1 present (@value set,
 * possibly ""), 0 absent. */
int mvXMLChildString(const xmlNode *node, const char *name, char **value);
/* Text content of @node (caller frees, never NULL). */
char *mvXMLNodeContent(const xmlNode *node);
