/*
 * virsh_domain: the "Domain Management" commands of virsh: define,
 * undefine, start, create, destroy, shutdown, reboot, reset, suspend,
 * resume, autostart, dumpxml, domid, domuuid, domname, domxml-to-native,
 * vcpuinfo and vcpucount; and the helpers every domain command file shares
 * (lookup, state, option checks; see virsh_domain.h).
 *
 * Output, messages and exit status follow Debian's virsh 9.0.  Where that
 * virsh falls back to older APIs when the server lacks a newer one, these
 * commands do the same as far as modvirt's client library has the APIs.
 * Not available here: --console (no console streams yet), --pass-fds and
 * undefine's storage removal; each says so instead of acting.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "virsh_domain.h"

/* ---- shared helpers ---------------------------------------------------- */

void
virshDomainFree(virDomainPtr dom)
{
    if (dom)
        virDomainFree(dom);
}

int
virshLastErrorCode(virshControl *ctl)
{
    virErrorPtr err;
    int code = VIR_ERR_OK;

    g_mutex_lock(&ctl->errLock);
    if (ctl->errSet)
        code = ctl->errCode;
    g_mutex_unlock(&ctl->errLock);
    if (code == VIR_ERR_OK && (err = virGetLastError()))
        code = err->code;
    return code;
}

virDomainPtr
virshLookupDomain(virshControl *ctl, const char *name, unsigned int by)
{
    virDomainPtr dom = NULL;

    if (by & VIRSH_BYID) {
        char *end = NULL;
        long id;

        errno = 0;
        id = strtol(name, &end, 10);
        if (errno == 0 && end != name && *end == '\0' && id >= 0 && id <= INT_MAX)
            dom = virDomainLookupByID(ctl->conn, (int) id);
    }
    if (!dom && (by & VIRSH_BYUUID) && strlen(name) == VIR_UUID_STRING_BUFLEN - 1)
        dom = virDomainLookupByUUIDString(ctl->conn, name);
    if (!dom && (by & VIRSH_BYNAME))
        dom = virDomainLookupByName(ctl->conn, name);

    virshResetLibvirtError(ctl);
    if (!dom)
        virshError(ctl, "failed to get domain '%s'", name);
    return dom;
}

int
virshOptStringReq(virshControl *ctl, const virshCmd *cmd, const char *name,
                  const char **value)
{
    const char *v = virshCmdOptString(cmd, name);

    *value = NULL;
    if (v && !*v) {
        virshError(ctl, "Failed to get option '%s': Option argument is empty", name);
        return -1;
    }
    *value = v;
    return 0;
}

virDomainPtr
virshCommandOptDomain(virshControl *ctl, const virshCmd *cmd, const char **name,
                      unsigned int by)
{
    const char *n = NULL;

    if (virshOptStringReq(ctl, cmd, "domain", &n) < 0 || !n)
        return NULL;
    if (name)
        *name = n;
    return virshLookupDomain(ctl, n, by);
}

int
virshDomainState(virshControl *ctl, virDomainPtr dom, int *reason)
{
    int state;

    if (reason)
        *reason = -1;
    if (virDomainGetState(dom, &state, reason, 0) == 0)
        return state;
    if (virshLastErrorCode(ctl) == VIR_ERR_NO_SUPPORT) {
        virDomainInfo info;

        virshResetLibvirtError(ctl);
        if (virDomainGetInfo(dom, &info) == 0)
            return info.state;
    }
    return -1;
}

int
virshOptInt(virshControl *ctl, const virshCmd *cmd, const char *name, int *value)
{
    const char *s = virshCmdOptString(cmd, name);
    char *end = NULL;
    long v;

    if (!s)
        return 0;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < INT_MIN || v > INT_MAX) {
        virshError(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                   s, name);
        return -1;
    }
    *value = (int) v;
    return 1;
}

bool
virshOptExclusive(virshControl *ctl, const virshCmd *cmd, const char *a, const char *b)
{
    if (virshCmdOptBool(cmd, a) && virshCmdOptBool(cmd, b)) {
        virshError(ctl, "Options --%s and --%s are mutually exclusive", a, b);
        return false;
    }
    return true;
}

char *
virshXPathString(const char *xml, const char *xpath)
{
    xmlDocPtr doc = xmlReadMemory(xml, strlen(xml), "domain.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlXPathContextPtr ctxt;
    xmlXPathObjectPtr obj;
    char *ret = NULL;

    if (!doc)
        return NULL;
    ctxt = xmlXPathNewContext(doc);
    ctxt->node = xmlDocGetRootElement(doc);
    obj = xmlXPathEval(BAD_CAST xpath, ctxt);
    if (obj && obj->type == XPATH_STRING && obj->stringval)
        ret = g_strdup((const char *) obj->stringval);
    else
        ret = g_strdup("");
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(ctxt);
    xmlFreeDoc(doc);
    return ret;
}

/* ---- define / undefine -------------------------------------------------- */

static const virshOptDef opts_define[] = {
    {.name = "file", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "file containing an XML domain description"},
    {.name = "validate", .type = VIRSH_OT_BOOL, .help = "validate the XML against the schema"},
    {.name = NULL}
};

static bool
cmdDefine(virshControl *ctl, const virshCmd *cmd)
{
    const char *from = NULL;
    g_autofree char *buffer = NULL;
    g_autoptr(virshDomain) dom = NULL;
    unsigned int flags = 0;

    if (virshOptStringReq(ctl, cmd, "file", &from) < 0)
        return false;
    if (virshCmdOptBool(cmd, "validate"))
        flags |= VIR_DOMAIN_DEFINE_VALIDATE;
    if (virshFileReadAll(ctl, from, VIRSH_MAX_XML_FILE, &buffer) < 0)
        return false;

    if (flags) {
        dom = virDomainDefineXMLFlags(ctl->conn, buffer, flags);
        /* a server without the flags call still defines, unvalidated */
        if (!dom && virshLastErrorCode(ctl) == VIR_ERR_NO_SUPPORT) {
            virshResetLibvirtError(ctl);
            dom = virDomainDefineXML(ctl->conn, buffer);
        }
    } else {
        dom = virDomainDefineXML(ctl->conn, buffer);
    }
    if (!dom) {
        virshError(ctl, "Failed to define domain from %s", from);
        return false;
    }
    virshPrintExtra(ctl, "Domain '%s' defined from %s\n", virDomainGetName(dom), from);
    return true;
}

static const virshOptDef opts_undefine[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = "managed-save", .type = VIRSH_OT_BOOL, .help = "remove domain managed state file"},
    {.name = "storage", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "remove associated storage volumes (comma separated list of targets or "
             "source paths) (see domblklist)"},
    {.name = "remove-all-storage", .type = VIRSH_OT_BOOL,
     .help = "remove all associated storage volumes (use with caution)"},
    {.name = "delete-storage-volume-snapshots", .type = VIRSH_OT_BOOL,
     .help = "delete snapshots associated with volume(s), requires --remove-all-storage "
             "(must be supported by storage driver)"},
    {.name = "wipe-storage", .type = VIRSH_OT_BOOL, .help = "wipe data on the removed volumes"},
    {.name = "snapshots-metadata", .type = VIRSH_OT_BOOL,
     .help = "remove all domain snapshot metadata (vm must be inactive)"},
    {.name = "checkpoints-metadata", .type = VIRSH_OT_BOOL,
     .help = "remove all domain checkpoint metadata (vm must be inactive)"},
    {.name = "nvram", .type = VIRSH_OT_BOOL, .help = "remove nvram file"},
    {.name = "keep-nvram", .type = VIRSH_OT_BOOL, .help = "keep nvram file"},
    {.name = "tpm", .type = VIRSH_OT_BOOL, .help = "remove TPM state"},
    {.name = "keep-tpm", .type = VIRSH_OT_BOOL, .help = "keep TPM state"},
    {.name = NULL}
};

static bool
cmdUndefine(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags = 0;
    bool managedSave = virshCmdOptBool(cmd, "managed-save");
    bool keepFlagsCall = false;
    int rc;
    int running;

    if (!virshOptExclusive(ctl, cmd, "nvram", "keep-nvram") ||
        !virshOptExclusive(ctl, cmd, "tpm", "keep-tpm"))
        return false;

    if (managedSave)
        flags |= VIR_DOMAIN_UNDEFINE_MANAGED_SAVE;
    if (virshCmdOptBool(cmd, "snapshots-metadata"))
        flags |= VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA;
    if (virshCmdOptBool(cmd, "checkpoints-metadata"))
        flags |= VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA;
    if (virshCmdOptBool(cmd, "nvram"))
        flags |= VIR_DOMAIN_UNDEFINE_NVRAM;
    if (virshCmdOptBool(cmd, "keep-nvram"))
        flags |= VIR_DOMAIN_UNDEFINE_KEEP_NVRAM;
    if (virshCmdOptBool(cmd, "tpm"))
        flags |= VIR_DOMAIN_UNDEFINE_TPM;
    if (virshCmdOptBool(cmd, "keep-tpm"))
        flags |= VIR_DOMAIN_UNDEFINE_KEEP_TPM;
    keepFlagsCall = flags & (VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_KEEP_NVRAM |
                             VIR_DOMAIN_UNDEFINE_TPM | VIR_DOMAIN_UNDEFINE_KEEP_TPM);

    if (virshCmdOptBool(cmd, "storage") || virshCmdOptBool(cmd, "remove-all-storage") ||
        virshCmdOptBool(cmd, "delete-storage-volume-snapshots") ||
        virshCmdOptBool(cmd, "wipe-storage")) {
        virshError(ctl, "%s",
                   "removing storage volumes with undefine is not supported by modvirt's "
                   "virsh yet; undefine without the storage options and delete the "
                   "volumes with vol-delete");
        return false;
    }

    if (!(dom = virshCommandOptDomain(ctl, cmd, &name, VIRSH_BYANY)))
        return false;

    if ((running = virDomainIsActive(dom)) < 0)
        return false;

    rc = virDomainUndefineFlags(dom, flags);
    if (rc < 0 && !keepFlagsCall &&
        (virshLastErrorCode(ctl) == VIR_ERR_NO_SUPPORT ||
         virshLastErrorCode(ctl) == VIR_ERR_INVALID_ARG)) {
        /* an older server: emulate the flags it does not know */
        virshResetLibvirtError(ctl);
        if (!running) {
            int hasSave = virDomainHasManagedSaveImage(dom, 0);

            if (hasSave < 0) {
                if (virshLastErrorCode(ctl) != VIR_ERR_NO_SUPPORT)
                    return false;
                virshResetLibvirtError(ctl);
                hasSave = 0;
            }
            if (hasSave && !managedSave) {
                virshError(ctl, "%s",
                           "Refusing to undefine while domain managed save image exists");
                return false;
            }
        }
        rc = virDomainUndefine(dom);
    }

    if (rc < 0) {
        virshError(ctl, "Failed to undefine domain '%s'", name);
        return false;
    }
    virshPrintExtra(ctl, "Domain '%s' has been undefined\n", name);
    return true;
}

/* ---- start / create ----------------------------------------------------- */

/* Refuses --pass-fds (modvirt's client library has no fd-passing start yet). */
static bool
virshCheckPassFds(virshControl *ctl, const virshCmd *cmd)
{
    const char *fds = NULL;

    if (virshOptStringReq(ctl, cmd, "pass-fds", &fds) < 0)
        return false;
    if (fds) {
        virshError(ctl, "%s",
                   "passing file descriptors to the guest (--pass-fds) is not supported by "
                   "modvirt's virsh yet");
        return false;
    }
    return true;
}

static bool
virshConsoleUnavailable(virshControl *ctl)
{
    virshError(ctl, "%s",
               "attaching to the console (--console) is not supported by modvirt's virsh yet; "
               "use 'virsh console' from libvirt's client tools");
    return false;
}

static const virshOptDef opts_start[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "name of the inactive domain"},
    {.name = "console", .type = VIRSH_OT_BOOL, .help = "attach to console after creation"},
    {.name = "paused", .type = VIRSH_OT_BOOL, .help = "leave the guest paused after creation"},
    {.name = "autodestroy", .type = VIRSH_OT_BOOL,
     .help = "automatically destroy the guest when virsh disconnects"},
    {.name = "bypass-cache", .type = VIRSH_OT_BOOL, .help = "avoid file system cache when loading"},
    {.name = "force-boot", .type = VIRSH_OT_BOOL,
     .help = "force fresh boot by discarding any managed save"},
    {.name = "pass-fds", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "pass file descriptors N,M,... to the guest"},
    {.name = "reset-nvram", .type = VIRSH_OT_BOOL,
     .help = "re-initialize NVRAM from its pristine template"},
    {.name = NULL}
};

static bool
cmdStart(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    unsigned int flags = 0;
    int rc;

    if (!(dom = virshCommandOptDomain(ctl, cmd, NULL, VIRSH_BYNAME | VIRSH_BYUUID)))
        return false;
    if (virDomainGetID(dom) != (unsigned int) -1) {
        virshError(ctl, "%s", "Domain is already active");
        return false;
    }
    if (!virshCheckPassFds(ctl, cmd))
        return false;

    if (virshCmdOptBool(cmd, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (virshCmdOptBool(cmd, "autodestroy"))
        flags |= VIR_DOMAIN_START_AUTODESTROY;
    if (virshCmdOptBool(cmd, "bypass-cache"))
        flags |= VIR_DOMAIN_START_BYPASS_CACHE;
    if (virshCmdOptBool(cmd, "force-boot"))
        flags |= VIR_DOMAIN_START_FORCE_BOOT;
    if (virshCmdOptBool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_START_RESET_NVRAM;

    if (flags & VIR_DOMAIN_START_FORCE_BOOT) {
        int code;

        if (virDomainCreateWithFlags(dom, flags) == 0)
            goto started;
        code = virshLastErrorCode(ctl);
        if (code != VIR_ERR_NO_SUPPORT && code != VIR_ERR_INVALID_ARG)
            return false;
        /* an older server: a fresh boot is what happens without a managed
         * save image, so only refuse when one exists */
        virshResetLibvirtError(ctl);
        rc = virDomainHasManagedSaveImage(dom, 0);
        if (rc < 0) {
            virshResetLibvirtError(ctl);
        } else if (rc > 0) {
            virshError(ctl, "%s",
                       "the server cannot discard the managed save image for --force-boot; "
                       "remove it with managedsave-remove first");
            return false;
        }
        flags &= ~VIR_DOMAIN_START_FORCE_BOOT;
    }

    rc = flags ? virDomainCreateWithFlags(dom, flags) : virDomainCreate(dom);
    if (rc < 0) {
        virshError(ctl, "Failed to start domain '%s'", virDomainGetName(dom));
        return false;
    }

 started:
    virshPrintExtra(ctl, "Domain '%s' started\n", virDomainGetName(dom));
    if (virshCmdOptBool(cmd, "console"))
        return virshConsoleUnavailable(ctl);
    return true;
}

static const virshOptDef opts_create[] = {
    {.name = "file", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "file containing an XML domain description"},
    {.name = "console", .type = VIRSH_OT_BOOL, .help = "attach to console after creation"},
    {.name = "paused", .type = VIRSH_OT_BOOL, .help = "leave the guest paused after creation"},
    {.name = "autodestroy", .type = VIRSH_OT_BOOL,
     .help = "automatically destroy the guest when virsh disconnects"},
    {.name = "pass-fds", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "pass file descriptors N,M,... to the guest"},
    {.name = "validate", .type = VIRSH_OT_BOOL, .help = "validate the XML against the schema"},
    {.name = "reset-nvram", .type = VIRSH_OT_BOOL,
     .help = "re-initialize NVRAM from its pristine template"},
    {.name = NULL}
};

static bool
cmdCreate(virshControl *ctl, const virshCmd *cmd)
{
    const char *from = NULL;
    g_autofree char *buffer = NULL;
    g_autoptr(virshDomain) dom = NULL;
    unsigned int flags = 0;

    if (virshOptStringReq(ctl, cmd, "file", &from) < 0)
        return false;
    if (virshFileReadAll(ctl, from, VIRSH_MAX_XML_FILE, &buffer) < 0)
        return false;
    if (!virshCheckPassFds(ctl, cmd))
        return false;

    if (virshCmdOptBool(cmd, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (virshCmdOptBool(cmd, "autodestroy"))
        flags |= VIR_DOMAIN_START_AUTODESTROY;
    if (virshCmdOptBool(cmd, "validate"))
        flags |= VIR_DOMAIN_START_VALIDATE;
    if (virshCmdOptBool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_START_RESET_NVRAM;

    if (!(dom = virDomainCreateXML(ctl->conn, buffer, flags))) {
        virshError(ctl, "Failed to create domain from %s", from);
        return false;
    }
    virshPrintExtra(ctl, "Domain '%s' created from %s\n", virDomainGetName(dom), from);
    if (virshCmdOptBool(cmd, "console"))
        return virshConsoleUnavailable(ctl);
    return true;
}

/* ---- simple state changes ----------------------------------------------- */

static const virshOptDef opts_domain_only[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = NULL}
};

static const virshOptDef opts_destroy[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = "graceful", .type = VIRSH_OT_BOOL, .help = "terminate gracefully"},
    {.name = "remove-logs", .type = VIRSH_OT_BOOL, .help = "remove domain logs"},
    {.name = NULL}
};

static bool
cmdDestroy(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags = 0;
    int rc;

    if (!(dom = virshCommandOptDomain(ctl, cmd, &name, VIRSH_BYANY)))
        return false;
    if (virshCmdOptBool(cmd, "graceful"))
        flags |= VIR_DOMAIN_DESTROY_GRACEFUL;
    if (virshCmdOptBool(cmd, "remove-logs"))
        flags |= VIR_DOMAIN_DESTROY_REMOVE_LOGS;

    rc = flags ? virDomainDestroyFlags(dom, flags) : virDomainDestroy(dom);
    if (rc < 0) {
        virshError(ctl, "Failed to destroy domain '%s'", name);
        return false;
    }
    virshPrintExtra(ctl, "Domain '%s' destroyed\n", name);
    return true;
}

static const virshOptDef opts_shutdown[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = "mode", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "shutdown mode: acpi|agent|initctl|signal|paravirt"},
    {.name = NULL}
};

/* Shared by shutdown and reboot: the --mode flags, or false after the error
 * (whose wording differs by one comma between the two, as in virsh 9.0). */
static bool
virshModeFlags(virshControl *ctl, const virshCmd *cmd, unsigned int *flags, bool reboot)
{
    const char *mode = NULL;
    g_autofree char *bad = NULL;

    *flags = 0;
    if (virshOptStringReq(ctl, cmd, "mode", &mode) < 0)
        return false;
    if (mode && !virshShutdownModeParse(mode, flags, &bad)) {
        virshError(ctl, "Unknown mode %s value, expecting 'acpi', 'agent', 'initctl', "
                   "'signal'%s or 'paravirt'", bad, reboot ? "" : ",");
        return false;
    }
    return true;
}

static bool
cmdShutdown(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags;
    int rc;

    if (!virshModeFlags(ctl, cmd, &flags, false))
        return false;
    if (!(dom = virshCommandOptDomain(ctl, cmd, &name, VIRSH_BYANY)))
        return false;
    rc = flags ? virDomainShutdownFlags(dom, flags) : virDomainShutdown(dom);
    if (rc < 0) {
        virshError(ctl, "Failed to shutdown domain '%s'", name);
        return false;
    }
    virshPrintExtra(ctl, "Domain '%s' is being shutdown\n", name);
    return true;
}

static bool
cmdReboot(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags;

    if (!virshModeFlags(ctl, cmd, &flags, true))
        return false;
    if (!(dom = virshCommandOptDomain(ctl, cmd, &name, VIRSH_BYANY)))
        return false;
    if (virDomainReboot(dom, flags) < 0) {
        virshError(ctl, "Failed to reboot domain '%s'", name);
        return false;
    }
    virshPrintExtra(ctl, "Domain '%s' is being rebooted\n", name);
    return true;
}

static bool
cmdReset(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    const char *name = NULL;

    if (!(dom = virshCommandOptDomain(ctl, cmd, &name, VIRSH_BYANY)))
        return false;
    if (virDomainReset(dom, 0) < 0) {
        virshError(ctl, "Failed to reset domain '%s'", name);
        return false;
    }
    virshPrintExtra(ctl, "Domain '%s' was reset\n", name);
    return true;
}

static bool
cmdSuspend(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    const char *name = NULL;

    if (!(dom = virshCommandOptDomain(ctl, cmd, &name, VIRSH_BYANY)))
        return false;
    if (virDomainSuspend(dom) < 0) {
        virshError(ctl, "Failed to suspend domain '%s'", name);
        return false;
    }
    virshPrintExtra(ctl, "Domain '%s' suspended\n", name);
    return true;
}

static bool
cmdResume(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    const char *name = NULL;

    if (!(dom = virshCommandOptDomain(ctl, cmd, &name, VIRSH_BYANY)))
        return false;
    if (virDomainResume(dom) < 0) {
        virshError(ctl, "Failed to resume domain '%s'", name);
        return false;
    }
    virshPrintExtra(ctl, "Domain '%s' resumed\n", name);
    return true;
}

static const virshOptDef opts_autostart[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = "disable", .type = VIRSH_OT_BOOL, .help = "disable autostarting"},
    {.name = NULL}
};

static bool
cmdAutostart(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    const char *name = NULL;
    bool enable = !virshCmdOptBool(cmd, "disable");

    if (!(dom = virshCommandOptDomain(ctl, cmd, &name, VIRSH_BYANY)))
        return false;
    if (virDomainSetAutostart(dom, enable) < 0) {
        virshError(ctl, enable ? "Failed to mark domain '%s' as autostarted"
                               : "Failed to unmark domain '%s' as autostarted", name);
        return false;
    }
    virshPrintExtra(ctl, enable ? "Domain '%s' marked as autostarted\n"
                                : "Domain '%s' unmarked as autostarted\n", name);
    return true;
}

/* ---- XML and identity ---------------------------------------------------- */

static const virshOptDef opts_dumpxml[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = "inactive", .type = VIRSH_OT_BOOL, .help = "show inactive defined XML"},
    {.name = "security-info", .type = VIRSH_OT_BOOL,
     .help = "include security sensitive information in XML dump"},
    {.name = "update-cpu", .type = VIRSH_OT_BOOL, .help = "update guest CPU according to host CPU"},
    {.name = "migratable", .type = VIRSH_OT_BOOL, .help = "provide XML suitable for migrations"},
    {.name = "xpath", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "xpath expression to filter the XML document"},
    {.name = "wrap", .type = VIRSH_OT_BOOL,
     .help = "wrap xpath results in an common root element"},
    {.name = NULL}
};

static bool
cmdDumpXML(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    g_autofree char *xml = NULL;
    const char *xpath = NULL;
    unsigned int flags = 0;

    if (virshCmdOptBool(cmd, "inactive"))
        flags |= VIR_DOMAIN_XML_INACTIVE;
    if (virshCmdOptBool(cmd, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (virshCmdOptBool(cmd, "update-cpu"))
        flags |= VIR_DOMAIN_XML_UPDATE_CPU;
    if (virshCmdOptBool(cmd, "migratable"))
        flags |= VIR_DOMAIN_XML_MIGRATABLE;
    if (virshOptStringReq(ctl, cmd, "xpath", &xpath) < 0)
        return false;

    if (!(dom = virshCommandOptDomain(ctl, cmd, NULL, VIRSH_BYANY)))
        return false;
    if (!(xml = virDomainGetXMLDesc(dom, flags)))
        return false;
    return virshDumpXML(ctl, xml, "domain", xpath, virshCmdOptBool(cmd, "wrap"));
}

static const virshOptDef opts_domid[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain name or uuid"},
    {.name = NULL}
};

static bool
cmdDomid(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    unsigned int id;

    if (!(dom = virshCommandOptDomain(ctl, cmd, NULL, VIRSH_BYNAME | VIRSH_BYUUID)))
        return false;
    id = virDomainGetID(dom);
    if (id == (unsigned int) -1)
        virshPrint(ctl, "%s\n", "-");
    else
        virshPrint(ctl, "%d\n", id);
    return true;
}

static const virshOptDef opts_domuuid[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain id or name"},
    {.name = NULL}
};

static bool
cmdDomuuid(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!(dom = virshCommandOptDomain(ctl, cmd, NULL, VIRSH_BYNAME | VIRSH_BYID)))
        return false;
    if (virDomainGetUUIDString(dom, uuid) < 0) {
        virshError(ctl, "%s", "failed to get domain UUID");
        return false;
    }
    virshPrint(ctl, "%s\n", uuid);
    return true;
}

static const virshOptDef opts_domname[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain id or uuid"},
    {.name = NULL}
};

static bool
cmdDomname(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;

    if (!(dom = virshCommandOptDomain(ctl, cmd, NULL, VIRSH_BYID | VIRSH_BYUUID)))
        return false;
    virshPrint(ctl, "%s\n", virDomainGetName(dom));
    return true;
}

static const virshOptDef opts_domxml_to_native[] = {
    {.name = "format", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "target config data type format"},
    {.name = "domain", .type = VIRSH_OT_STRING, .flags = VIRSH_OFLAG_REQ_OPT,
     .help = "domain name, id or uuid"},
    {.name = "xml", .type = VIRSH_OT_STRING, .help = "xml data file to export from"},
    {.name = NULL}
};

static bool
cmdDomXMLToNative(virshControl *ctl, const virshCmd *cmd)
{
    const char *format = NULL;
    const char *xmlFile = NULL;
    g_autoptr(virshDomain) dom = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *native = NULL;

    if (!virshOptExclusive(ctl, cmd, "domain", "xml"))
        return false;
    if (virshOptStringReq(ctl, cmd, "format", &format) < 0 ||
        virshOptStringReq(ctl, cmd, "xml", &xmlFile) < 0)
        return false;
    if (virshCmdOptBool(cmd, "domain") &&
        !(dom = virshCommandOptDomain(ctl, cmd, NULL, VIRSH_BYANY)))
        return false;

    if (dom) {
        xml = virDomainGetXMLDesc(dom, 0);
    } else if (xmlFile) {
        if (virshFileReadAll(ctl, xmlFile, VIRSH_MAX_XML_FILE, &xml) < 0)
            return false;
    } else {
        virshError(ctl, "%s", "need either domain or domain XML");
        return false;
    }
    if (!xml) {
        virshError(ctl, "%s", "failed to retrieve XML");
        return false;
    }
    if (!(native = virConnectDomainXMLToNative(ctl->conn, format, xml, 0)))
        return false;
    virshPrint(ctl, "%s", native);
    return true;
}

/* ---- vCPUs --------------------------------------------------------------- */

/* The number of host CPUs a CPU map covers. */
static int
virshNodeCPUCount(virshControl *ctl)
{
    int n = virNodeGetCPUMap(ctl->conn, NULL, NULL, 0);

    if (n < 0) {
        virNodeInfo info;

        virshResetLibvirtError(ctl);
        if (virNodeGetInfo(ctl->conn, &info) == 0)
            n = VIR_NODEINFO_MAXCPUS(info);
    }
    return n;
}

static const virshOptDef opts_vcpuinfo[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = "pretty", .type = VIRSH_OT_BOOL, .help = "return human readable output"},
    {.name = NULL}
};

static void
virshVcpuAffinityPrint(virshControl *ctl, const unsigned char *map, int ncpus, bool pretty)
{
    if (pretty) {
        g_autofree char *list = virshCPUMapFormat(map, ncpus);

        virshPrint(ctl, "%-15s %s (out of %d)\n", "CPU Affinity:", list, ncpus);
        return;
    }
    virshPrint(ctl, "%-15s ", "CPU Affinity:");
    for (int c = 0; c < ncpus; c++)
        virshPrint(ctl, "%c", VIR_CPU_USED(map, c) ? 'y' : '-');
    virshPrint(ctl, "\n");
}

static bool
cmdVcpuinfo(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    bool pretty = virshCmdOptBool(cmd, "pretty");
    virDomainInfo info;
    g_autofree virVcpuInfo *vcpus = NULL;
    g_autofree unsigned char *maps = NULL;
    bool live = true;
    int ncpus;
    int maplen;
    int n;

    if (!(dom = virshCommandOptDomain(ctl, cmd, NULL, VIRSH_BYANY)))
        return false;
    if ((ncpus = virshNodeCPUCount(ctl)) < 0)
        return false;
    if (virDomainGetInfo(dom, &info) < 0)
        return false;

    maplen = VIR_CPU_MAPLEN(ncpus);
    vcpus = g_new0(virVcpuInfo, MAX(info.nrVirtCpu, 1));
    maps = g_new0(unsigned char, (gsize) MAX(info.nrVirtCpu, 1) * maplen);

    n = virDomainGetVcpus(dom, vcpus, info.nrVirtCpu, maps, maplen);
    if (n < 0) {
        if (info.state != VIR_DOMAIN_SHUTOFF)
            return false;
        /* an inactive guest still has its configured pinning */
        virshResetLibvirtError(ctl);
        live = false;
        n = virDomainGetVcpuPinInfo(dom, info.nrVirtCpu, maps, maplen,
                                    VIR_DOMAIN_AFFECT_CONFIG);
        if (n < 0)
            return false;
    }

    for (int i = 0; i < n; i++) {
        if (i > 0)
            virshPrint(ctl, "\n");
        if (live) {
            virshPrint(ctl, "%-15s %d\n", "VCPU:", vcpus[i].number);
            virshPrint(ctl, "%-15s %d\n", "CPU:", vcpus[i].cpu);
            virshPrint(ctl, "%-15s %s\n", "State:", virshDomainVcpuStateName(vcpus[i].state));
            if (vcpus[i].cpuTime != 0)
                virshPrint(ctl, "%-15s %.1lfs\n", "CPU time:", vcpus[i].cpuTime / 1e9);
        } else {
            virshPrint(ctl, "%-15s %d\n", "VCPU:", i);
            virshPrint(ctl, "%-15s %s\n", "CPU:", "N/A");
            virshPrint(ctl, "%-15s %s\n", "State:", "N/A");
            /* Debian's virsh prints this label without its colon */
            virshPrint(ctl, "%-15s %s\n", "CPU time", "N/A");
        }
        virshVcpuAffinityPrint(ctl, VIR_GET_CPUMAP(maps, maplen, i), ncpus, pretty);
    }
    return true;
}

static const virshOptDef opts_vcpucount[] = {
    {.name = "domain", .type = VIRSH_OT_DATA, .flags = VIRSH_OFLAG_REQ,
     .help = "domain name, id or uuid"},
    {.name = "maximum", .type = VIRSH_OT_BOOL, .help = "get maximum count of vcpus"},
    {.name = "active", .type = VIRSH_OT_BOOL, .help = "get number of currently active vcpus"},
    {.name = "live", .type = VIRSH_OT_BOOL, .help = "get value from running domain"},
    {.name = "config", .type = VIRSH_OT_BOOL, .help = "get value to be used on next boot"},
    {.name = "current", .type = VIRSH_OT_BOOL,
     .help = "get value according to current domain state"},
    {.name = "guest", .type = VIRSH_OT_BOOL,
     .help = "retrieve vcpu count from the guest instead of the hypervisor"},
    {.name = NULL}
};

/* One vCPU count: >= 0, -1 on error (printed or pending), -2 when
 * @checkState finds the asked-for side (live/config) does not exist. */
static int
virshVcpuCountGet(virshControl *ctl, virDomainPtr dom, unsigned int flags, bool checkState)
{
    virDomainInfo info;
    int code;
    int ret;

    if (checkState &&
        (((flags & VIR_DOMAIN_AFFECT_LIVE) && virDomainIsActive(dom) < 1) ||
         ((flags & VIR_DOMAIN_AFFECT_CONFIG) && virDomainIsPersistent(dom) < 1)))
        return -2;

    if ((ret = virDomainGetVcpusFlags(dom, flags)) >= 0)
        return ret;

    code = virshLastErrorCode(ctl);
    if (code != VIR_ERR_NO_SUPPORT && code != VIR_ERR_INVALID_ARG)
        return -1;
    if (flags & VIR_DOMAIN_VCPU_GUEST) {
        virshError(ctl, "%s", "Failed to retrieve vCPU count from the guest");
        return -1;
    }

    /* an older server: work it out from older calls */
    if (!(flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)) &&
        virDomainIsActive(dom) == 1)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    virshResetLibvirtError(ctl);

    if (flags & VIR_DOMAIN_AFFECT_LIVE) {
        if (flags & VIR_DOMAIN_VCPU_MAXIMUM)
            return virDomainGetMaxVcpus(dom);
        if (virDomainGetInfo(dom, &info) < 0)
            return -1;
        return info.nrVirtCpu;
    } else {
        g_autofree char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
        g_autofree char *val = NULL;
        bool max = flags & VIR_DOMAIN_VCPU_MAXIMUM;

        if (!xml)
            return -1;
        val = virshXPathString(xml, max ? "string(/domain/vcpu)" : "string(/domain/vcpu/@current)");
        if (!val || !*val) {
            g_free(val);
            val = max ? NULL : virshXPathString(xml, "string(/domain/vcpu)");
        }
        if (!val || !*val) {
            virshError(ctl, "%s", max ? "Failed to retrieve maximum vcpu count"
                                      : "Failed to retrieve current vcpu count");
            return -1;
        }
        return atoi(val);
    }
}

static bool
cmdVcpucount(virshControl *ctl, const virshCmd *cmd)
{
    g_autoptr(virshDomain) dom = NULL;
    bool maximum = virshCmdOptBool(cmd, "maximum");
    bool active = virshCmdOptBool(cmd, "active");
    bool config = virshCmdOptBool(cmd, "config");
    bool live = virshCmdOptBool(cmd, "live");
    bool current = virshCmdOptBool(cmd, "current");
    bool guest = virshCmdOptBool(cmd, "guest");
    bool all = !maximum && !active && !current && !config && !live && !guest;
    unsigned int flags = VIR_DOMAIN_AFFECT_CURRENT;

    /* --current without --maximum/--active means what it meant before
     * VIR_DOMAIN_AFFECT_CURRENT existed: the active count */
    if (!maximum && !active && current)
        current = false;

    if (current && live) {
        virshError(ctl, "%s", "Options --current and --live are mutually exclusive");
        return false;
    }
    if (current && config) {
        virshError(ctl, "%s", "Options --current and --config are mutually exclusive");
        return false;
    }
    if (!virshOptExclusive(ctl, cmd, "active", "maximum") ||
        !virshOptExclusive(ctl, cmd, "guest", "config"))
        return false;

    if (live)
        flags |= VIR_DOMAIN_AFFECT_LIVE;
    if (config)
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (maximum)
        flags |= VIR_DOMAIN_VCPU_MAXIMUM;
    if (guest)
        flags |= VIR_DOMAIN_VCPU_GUEST;

    if (!(dom = virshCommandOptDomain(ctl, cmd, NULL, VIRSH_BYANY)))
        return false;

    if (all) {
        static const struct {
            unsigned int flags;
            const char *which;
            const char *side;
        } rows[] = {
            { VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM, "maximum", "config" },
            { VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_VCPU_MAXIMUM, "maximum", "live" },
            { VIR_DOMAIN_AFFECT_CONFIG, "current", "config" },
            { VIR_DOMAIN_AFFECT_LIVE, "current", "live" },
        };
        int counts[G_N_ELEMENTS(rows)];

        /* collected in virsh's order (config max, config cur, live max,
         * live cur), printed in the table's */
        counts[0] = virshVcpuCountGet(ctl, dom, rows[0].flags, true);
        counts[2] = virshVcpuCountGet(ctl, dom, rows[2].flags, true);
        counts[1] = virshVcpuCountGet(ctl, dom, rows[1].flags, true);
        counts[3] = virshVcpuCountGet(ctl, dom, rows[3].flags, true);
        for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
            if (counts[i] == -1)
                return false;
        }
        for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
            if (counts[i] > 0)
                virshPrint(ctl, "%-12s %-12s %3d\n", rows[i].which, rows[i].side, counts[i]);
        }
    } else {
        int count = virshVcpuCountGet(ctl, dom, flags, false);

        if (count < 0)
            return false;
        virshPrint(ctl, "%d\n", count);
    }
    return true;
}

const virshCmdDef virshDomainCmds[] = {
    {.name = "autostart", .handler = cmdAutostart, .opts = opts_autostart,
     .help = "autostart a domain",
     .desc = "Configure a domain to be automatically started at boot."},
    {.name = "create", .handler = cmdCreate, .opts = opts_create,
     .help = "create a domain from an XML file", .desc = "Create a domain."},
    {.name = "define", .handler = cmdDefine, .opts = opts_define,
     .help = "define (but don't start) a domain from an XML file", .desc = "Define a domain."},
    {.name = "destroy", .handler = cmdDestroy, .opts = opts_destroy,
     .help = "destroy (stop) a domain",
     .desc = "Forcefully stop a given domain, but leave its resources intact."},
    {.name = "domid", .handler = cmdDomid, .opts = opts_domid,
     .help = "convert a domain name or UUID to domain id"},
    {.name = "domname", .handler = cmdDomname, .opts = opts_domname,
     .help = "convert a domain id or UUID to domain name"},
    {.name = "domuuid", .handler = cmdDomuuid, .opts = opts_domuuid,
     .help = "convert a domain name or id to domain UUID"},
    {.name = "domxml-to-native", .handler = cmdDomXMLToNative, .opts = opts_domxml_to_native,
     .help = "Convert domain XML to native config",
     .desc = "Convert domain XML config to a native guest configuration format."},
    {.name = "dumpxml", .handler = cmdDumpXML, .opts = opts_dumpxml,
     .help = "domain information in XML",
     .desc = "Output the domain information as an XML dump to stdout."},
    {.name = "reboot", .handler = cmdReboot, .opts = opts_shutdown,
     .help = "reboot a domain", .desc = "Run a reboot command in the target domain."},
    {.name = "reset", .handler = cmdReset, .opts = opts_domain_only,
     .help = "reset a domain", .desc = "Reset the target domain as if by power button"},
    {.name = "resume", .handler = cmdResume, .opts = opts_domain_only,
     .help = "resume a domain", .desc = "Resume a previously suspended domain."},
    {.name = "shutdown", .handler = cmdShutdown, .opts = opts_shutdown,
     .help = "gracefully shutdown a domain", .desc = "Run shutdown in the target domain."},
    {.name = "start", .handler = cmdStart, .opts = opts_start,
     .help = "start a (previously defined) inactive domain",
     .desc = "Start a domain, either from the last managedsave\n"
             "    state, or via a fresh boot if no managedsave state\n"
             "    is present."},
    {.name = "suspend", .handler = cmdSuspend, .opts = opts_domain_only,
     .help = "suspend a domain", .desc = "Suspend a running domain."},
    {.name = "undefine", .handler = cmdUndefine, .opts = opts_undefine,
     .help = "undefine a domain",
     .desc = "Undefine an inactive domain, or convert persistent to transient."},
    {.name = "vcpucount", .handler = cmdVcpucount, .opts = opts_vcpucount,
     .help = "domain vcpu counts",
     .desc = "Returns the number of virtual CPUs used by the domain."},
    {.name = "vcpuinfo", .handler = cmdVcpuinfo, .opts = opts_vcpuinfo,
     .help = "detailed domain vcpu information",
     .desc = "Returns basic information about the domain virtual CPUs."},
    {.name = NULL}
};
