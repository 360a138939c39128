/*
 * virt-xml-validate: checks an XML document against modvirt's RelaxNG
 * schemas, the way libvirt's tool of the same name checks against libvirt's.
 *
 *   virt-xml-validate [--schema-dir DIR] FILE [SCHEMA]
 *   virt-xml-validate --restricted [--allow-dir DIR]... FILE
 *
 * The schema is chosen by the document's root element (see mvToolRoots)
 * unless SCHEMA names one ("network" or "network.rng").  FILE "-" reads
 * standard input.  The document goes through the same hardened parser
 * (common/mv_xml) the daemons use, so a document with a DOCTYPE, one too
 * large or too deep is refused here as it would be on define.
 *
 * Outcome, as the exit status: 0 the document validates ("FILE validates"
 * on stdout); 1 it is not well-formed or does not validate (each problem
 * with its line on stderr, then "FILE fails to validate"); 2 it cannot be
 * checked (usage, unreadable file, unknown root element, no schema for the
 * kind yet).  libvirt's script answers 3 and 4 for the last two; modvirt
 * folds every "cannot check" into 2.
 *
 * --restricted also checks a <domain> document against the restricted
 * profile for third-party VM archives (drivers/conf/domain_restricted.h):
 * after the schema, the document is parsed with the domain model and every
 * violation is printed on stderr as "FILE: restricted profile: ...", then
 * "FILE fails to validate" (exit 1).  Host files are allowed inside the
 * --allow-dir directories (repeatable), by default the directory of FILE
 * (none for standard input).  A document the model refuses fails too: the
 * driver would refuse it on define.  Any other root element is an error
 * (exit 2).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "domain_conf.h"
#include "domain_restricted.h"
#include "mv_error.h"
#include "mv_file.h"
#include "mv_xml.h"

#define MV_FROM_THIS VIR_FROM_NONE

enum {
    MV_TOOL_VALID = 0,
    MV_TOOL_INVALID = 1,
    MV_TOOL_CANNOT_CHECK = 2,
};

/* Root element -> schema name (without ".rng"). */
static const struct {
    const char *root;
    const char *schema;
} mvToolRoots[] = {
    { "domain", "domain" },
    { "network", "network" },
    { "pool", "storagepool" },
    { "volume", "storagevol" },
    { "device", "nodedev" },
    { "secret", "secret" },
    { "capabilities", "capability" },
    { "domainCapabilities", "domaincaps" },
    /* kinds libvirt validates and modvirt has no schema for */
    { "domainsnapshot", "domainsnapshot" },
    { "domaincheckpoint", "domaincheckpoint" },
    { "domainbackup", "domainbackup" },
    { "networkport", "networkport" },
    { "storagepoolCapabilities", "storagepoolcaps" },
    { "filter", "nwfilter" },
    { "filterbinding", "nwfilterbinding" },
    { "interface", "interface" },
    { "cpu", "cpu" },
};

static void
mvToolUsage(FILE *out, const char *prog)
{
    fprintf(out,
            "Usage:\n"
            "  %s [--schema-dir DIR] XML-FILE [SCHEMA-NAME]\n"
            "  %s --restricted [--allow-dir DIR]... XML-FILE\n"
            "  %s OPTION\n"
            "\n"
            "Validates XML-FILE (\"-\" for standard input) against modvirt's RelaxNG\n"
            "schema for its root element, or against SCHEMA-NAME (e.g. \"network\").\n"
            "\n"
            "Options:\n"
            "  --schema-dir DIR   Look schemas up in DIR\n"
            "  --restricted       Also check a <domain> against the restricted profile\n"
            "                     for third-party VM archives (no host devices, bridges,\n"
            "                     emulator, qemu:commandline, host files elsewhere)\n"
            "  --allow-dir DIR    With --restricted: host files may live in DIR\n"
            "                     (repeatable; default: the directory of XML-FILE)\n"
            "  -h | --help        Display program help\n"
            "  -V | --version     Display program version\n"
            "\n"
            "Exit status: 0 valid, 1 invalid, 2 cannot be checked.\n",
            prog, prog, prog);
}

/* Reads standard input, at most MV_XML_MAX_SIZE bytes.  Returns the data
 * (NUL-terminated) or NULL with an error reported. */
static char *
mvToolReadStdin(void)
{
    g_autoptr(GByteArray) data = g_byte_array_new();
    guint8 chunk[65536];

    for (;;) {
        ssize_t n = read(STDIN_FILENO, chunk, sizeof(chunk));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            mvReportSystemError(errno, "cannot read standard input");
            return NULL;
        }
        if (n == 0)
            break;
        if (data->len + (size_t)n > MV_XML_MAX_SIZE) {
            mvReportError(VIR_ERR_XML_ERROR,
                          "standard input is larger than the %d bytes allowed",
                          MV_XML_MAX_SIZE);
            return NULL;
        }
        g_byte_array_append(data, chunk, (guint)n);
    }
    g_byte_array_append(data, (const guint8 *)"", 1);
    return (char *)g_byte_array_free(g_steal_pointer(&data), FALSE);
}

/* The schema file name for @root, or NULL (nothing reported) when unknown. */
static const char *
mvToolSchemaForRoot(const char *root)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(mvToolRoots); i++) {
        if (strcmp(mvToolRoots[i].root, root) == 0)
            return mvToolRoots[i].schema;
    }
    return NULL;
}

static void
mvToolPrintError(const char *prog)
{
    const virErrorPtr err = mvErrorGetLast();

    fprintf(stderr, "%s: %s\n", prog, err && err->message ? err->message : "unknown error");
}

/* The restricted-profile step of --restricted for the <domain> in @data
 * (already schema-valid): prints each violation.  Returns an exit status. */
static int
mvToolCheckRestricted(const char *name, const char *data, const char * const *allowDirs)
{
    g_autoptr(mvDomainDef) def = NULL;
    g_autoptr(GPtrArray) violations = NULL;
    guint i;

    if (!(def = mvDomainDefParse(data, 0))) {
        const virErrorPtr err = mvErrorGetLast();

        fprintf(stderr, "%s: %s\n%s fails to validate\n", name,
                err && err->message ? err->message : "cannot parse the domain", name);
        return MV_TOOL_INVALID;
    }
    violations = mvDomainDefListRestrictedViolations(def, allowDirs);
    if (!violations->len)
        return MV_TOOL_VALID;
    for (i = 0; i < violations->len; i++)
        fprintf(stderr, "%s: %s\n", name, (const char *)g_ptr_array_index(violations, i));
    fprintf(stderr, "%s fails to validate\n", name);
    return MV_TOOL_INVALID;
}

static int
mvToolValidate(const char *prog, const char *file, const char *schemaArg,
               bool restricted, GPtrArray *allowDirs)
{
    g_autofree char *data = NULL;
    g_autofree char *schemaFile = NULL;
    g_autofree char *schemaPath = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    const char *name = g_strcmp0(file, "-") == 0 ? "-" : file;
    const char *root;
    virErrorPtr err;

    if (strcmp(file, "-") == 0) {
        if (!(data = mvToolReadStdin())) {
            mvToolPrintError(prog);
            return MV_TOOL_CANNOT_CHECK;
        }
    } else {
        if (!g_file_test(file, G_FILE_TEST_IS_REGULAR)) {
            fprintf(stderr, "%s: document %s does not exist\n", prog, file);
            return MV_TOOL_CANNOT_CHECK;
        }
        if (mvFileReadAll(file, MV_XML_MAX_SIZE, &data, NULL) < 0) {
            mvToolPrintError(prog);
            return MV_TOOL_CANNOT_CHECK;
        }
    }

    if (!(doc = mvXMLParseString(data, name, NULL, VIR_FROM_XML))) {
        err = mvErrorGetLast();
        fprintf(stderr, "%s\n%s fails to validate\n",
                err && err->message ? err->message : "cannot parse the document", name);
        return MV_TOOL_INVALID;
    }
    root = (const char *)xmlDocGetRootElement(doc)->name;
    if (restricted && strcmp(root, "domain") != 0) {
        fprintf(stderr, "%s: --restricted applies to <domain> documents only, "
                "%s has root element <%s>\n", prog, name, root);
        return MV_TOOL_CANNOT_CHECK;
    }

    if (schemaArg) {
        schemaFile = g_str_has_suffix(schemaArg, ".rng") ?
            g_strdup(schemaArg) : g_strdup_printf("%s.rng", schemaArg);
        if (strchr(schemaFile, '/')) {
            fprintf(stderr, "%s: schema name '%s' must not contain '/' "
                    "(use --schema-dir)\n", prog, schemaArg);
            return MV_TOOL_CANNOT_CHECK;
        }
    } else {
        const char *schema = mvToolSchemaForRoot(root);

        if (!schema) {
            fprintf(stderr, "%s: cannot determine schema type for %s (root element <%s>)\n",
                    prog, name, root);
            return MV_TOOL_CANNOT_CHECK;
        }
        schemaFile = g_strdup_printf("%s.rng", schema);
    }
    schemaPath = mvXMLSchemaPath(schemaFile);
    if (access(schemaPath, R_OK) < 0) {
        if (schemaArg)
            fprintf(stderr, "%s: schema %s does not exist\n", prog, schemaPath);
        else
            fprintf(stderr, "%s: no schema for <%s> yet (%s does not exist)\n",
                    prog, root, schemaPath);
        return MV_TOOL_CANNOT_CHECK;
    }

    if (mvXMLValidate(doc, schemaFile) < 0) {
        err = mvErrorGetLast();
        if (err && err->code != VIR_ERR_XML_INVALID_SCHEMA) {
            /* the schema itself is broken: not the document's fault */
            mvToolPrintError(prog);
            return MV_TOOL_CANNOT_CHECK;
        }
        fprintf(stderr, "%s\n%s fails to validate\n",
                err && err->message ? g_strchomp(err->message) : "", name);
        return MV_TOOL_INVALID;
    }
    if (restricted) {
        int rc;

        if (!allowDirs->len && strcmp(file, "-") != 0) {
            g_autofree char *dir = g_path_get_dirname(file);

            g_ptr_array_add(allowDirs, g_canonicalize_filename(dir, NULL));
        }
        g_ptr_array_add(allowDirs, NULL);
        rc = mvToolCheckRestricted(name, data, (const char * const *)allowDirs->pdata);
        if (rc != MV_TOOL_VALID)
            return rc;
    }
    printf("%s validates\n", name);
    return MV_TOOL_VALID;
}

int
main(int argc, char **argv)
{
    const char *prog = argc > 0 ? argv[0] : "virt-xml-validate";
    const char *schemaDir = NULL;
    const char *args[2] = { NULL, NULL };
    size_t nargs = 0;
    bool optionsDone = false;
    bool restricted = false;
    g_autoptr(GPtrArray) allowDirs = g_ptr_array_new_with_free_func(g_free);
    const char *allowDir;
    int i;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (!optionsDone && strcmp(a, "--") == 0) {
            optionsDone = true;
        } else if (!optionsDone && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            mvToolUsage(stdout, prog);
            return 0;
        } else if (!optionsDone && (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0)) {
            printf("%s (modvirt) %s\n", prog, MV_VERSION);
            return 0;
        } else if (!optionsDone && strcmp(a, "--schema-dir") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "%s: option '--schema-dir' requires a directory\n", prog);
                return MV_TOOL_CANNOT_CHECK;
            }
            schemaDir = argv[++i];
        } else if (!optionsDone && g_str_has_prefix(a, "--schema-dir=")) {
            schemaDir = a + strlen("--schema-dir=");
        } else if (!optionsDone && strcmp(a, "--restricted") == 0) {
            restricted = true;
        } else if (!optionsDone && (strcmp(a, "--allow-dir") == 0 ||
                                    g_str_has_prefix(a, "--allow-dir="))) {
            if (a[strlen("--allow-dir")] == '=') {
                allowDir = a + strlen("--allow-dir=");
            } else if (i + 1 < argc) {
                allowDir = argv[++i];
            } else {
                fprintf(stderr, "%s: option '--allow-dir' requires a directory\n", prog);
                return MV_TOOL_CANNOT_CHECK;
            }
            if (!*allowDir) {
                fprintf(stderr, "%s: option '--allow-dir' requires a directory\n", prog);
                return MV_TOOL_CANNOT_CHECK;
            }
            /* relative to the current directory, '.' and '..' resolved */
            g_ptr_array_add(allowDirs, g_canonicalize_filename(allowDir, NULL));
        } else if (!optionsDone && a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "%s: unrecognized option '%s'\n", prog, a);
            mvToolUsage(stderr, prog);
            return MV_TOOL_CANNOT_CHECK;
        } else if (nargs < G_N_ELEMENTS(args)) {
            args[nargs++] = a;
        } else {
            fprintf(stderr, "%s: too many arguments ('%s')\n", prog, a);
            return MV_TOOL_CANNOT_CHECK;
        }
    }
    if (nargs == 0) {
        fprintf(stderr, "syntax: %s [--schema-dir DIR] XMLFILE [TYPE]\n", prog);
        return MV_TOOL_CANNOT_CHECK;
    }
    if (allowDirs->len && !restricted) {
        fprintf(stderr, "%s: option '--allow-dir' needs '--restricted'\n", prog);
        return MV_TOOL_CANNOT_CHECK;
    }
    if (schemaDir) {
        if (!g_file_test(schemaDir, G_FILE_TEST_IS_DIR)) {
            fprintf(stderr, "%s: schema directory %s does not exist\n", prog, schemaDir);
            return MV_TOOL_CANNOT_CHECK;
        }
        /* mv_xml looks schemas up there first */
        g_setenv("MODVIRT_SCHEMA_DIR", schemaDir, TRUE);
    }
    return mvToolValidate(prog, args[0], args[1], restricted, allowDirs);
}
