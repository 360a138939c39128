/*
 * virsh_host: the connection and host commands of virsh: connect, uri,
 * hostname, version.  `version` prints Debian virsh 9.0's lines and adds one
 * line with modvirt's own version ("Using modvirt: X.Y.Z") right after the
 * library line, so parsers that look for the usual prefixes keep working.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include "virsh_util.h"

const virshOptDef virshConnectOpts[] = {
    {.name = "name", .type = VIRSH_OT_STRING, .help = "hypervisor connection URI"},
    {.name = "readonly", .type = VIRSH_OT_BOOL, .help = "read-only connection"},
    {.name = NULL}
};

bool
cmdHostConnect(virshControl *ctl, const virshCmd *cmd)
{
    const char *name = virshCmdOptString(cmd, "name");
    bool ro = virshCmdOptBool(cmd, "readonly");

    return virshReconnect(ctl, name, ro, true) == 0;
}

static bool
cmdHostURI(virshControl *ctl, const virshCmd *cmd)
{
    g_autofree char *uri = virConnectGetURI(ctl->conn);

    if (!uri) {
        virshError(ctl, "%s", "failed to get URI");
        return false;
    }
    virshPrint(ctl, "%s\n", uri);
    return true;
}

static bool
cmdHostHostname(virshControl *ctl, const virshCmd *cmd)
{
    g_autofree char *hostname = virConnectGetHostname(ctl->conn);

    if (!hostname) {
        virshError(ctl, "%s", "failed to get hostname");
        return false;
    }
    virshPrint(ctl, "%s\n", hostname);
    return true;
}

static const virshOptDef opts_version[] = {
    {.name = "daemon", .type = VIRSH_OT_BOOL, .help = "report daemon version too"},
    {.name = NULL}
};

static bool
cmdHostVersion(virshControl *ctl, const virshCmd *cmd)
{
    const char *hvType = virConnectGetType(ctl->conn);
    unsigned long libVersion = 0;
    unsigned long apiVersion = 0;
    unsigned long hvVersion = 0;
    g_autofree char *compiled = virshFormatVersion(MV_LIBVIRT_COMPAT_VERSION_NUMBER);
    g_autofree char *lib = NULL;
    g_autofree char *api = NULL;

    if (!hvType) {
        virshError(ctl, "%s", "failed to get hypervisor type");
        return false;
    }
    virshPrint(ctl, "Compiled against library: libvirt %s\n", compiled);

    if (virGetVersion(&libVersion, hvType, &apiVersion) < 0) {
        /* a type the library does not know still has the library's API */
        virshResetLibvirtError(ctl);
        if (virGetVersion(&libVersion, NULL, NULL) < 0) {
            virshError(ctl, "%s", "failed to get the library version");
            return false;
        }
        apiVersion = libVersion;
    }
    lib = virshFormatVersion(libVersion);
    api = virshFormatVersion(apiVersion);
    virshPrint(ctl, "Using library: libvirt %s\n", lib);
    virshPrint(ctl, "Using modvirt: %s\n", MV_VERSION);
    virshPrint(ctl, "Using API: %s %s\n", hvType, api);

    if (virConnectGetVersion(ctl->conn, &hvVersion) < 0) {
        virshError(ctl, "%s", "failed to get the hypervisor version");
        return false;
    }
    if (hvVersion == 0) {
        virshPrint(ctl, "Cannot extract running %s hypervisor version\n", hvType);
    } else {
        g_autofree char *hv = virshFormatVersion(hvVersion);

        virshPrint(ctl, "Running hypervisor: %s %s\n", hvType, hv);
    }

    if (virshCmdOptBool(cmd, "daemon")) {
        unsigned long daemonVersion = 0;

        if (virConnectGetLibVersion(ctl->conn, &daemonVersion) < 0) {
            virshError(ctl, "%s", "failed to get the daemon version");
        } else {
            g_autofree char *d = virshFormatVersion(daemonVersion);

            virshPrint(ctl, "Running against daemon: %s\n", d);
        }
    }
    return true;
}

const virshCmdDef virshHostCmds[] = {
    {.name = "hostname", .handler = cmdHostHostname,
     .help = "print the hypervisor hostname"},
    {.name = "uri", .handler = cmdHostURI,
     .help = "print the hypervisor canonical URI"},
    {.name = "version", .handler = cmdHostVersion, .opts = opts_version,
     .help = "show version", .desc = "Display the system version information."},
    {.name = NULL}
};
