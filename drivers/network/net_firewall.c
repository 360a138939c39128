/*
 * net_firewall: see net_firewall.h.
 *
 * The script for a network is built as text and handed to `nft -f -` in one
 * go; nft applies a file as one transaction, so "create the table if
 * missing, delete it, create it again with its chains" is an atomic
 * replacement that also works when the table did not exist.  nft runs with a
 * fixed PATH and LC_ALL=C, no shell, no inherited descriptors (GSubprocess).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <gio/gio.h>

#include "net_firewall.h"
#include "mv_enum.h"
#include "mv_error.h"

#define MV_FROM_THIS VIR_FROM_NETWORK

#define FW_TABLE_PREFIX "modvirt-"
/* nft's own limit on a table name is 256; stay well below */
#define FW_NAME_MAX 200
/* bound on what we keep of nft's output */
#define FW_OUTPUT_MAX (1024 * 1024)

char *
mvNetFirewallTableName(const char *netName)
{
    g_autofree char *hash = NULL;
    GString *out = g_string_new(FW_TABLE_PREFIX);
    bool changed = false;
    size_t i;

    for (i = 0; netName[i]; i++) {
        char c = netName[i];

        if (g_ascii_isalnum(c) || c == '_' || c == '-' || c == '.') {
            g_string_append_c(out, c);
        } else {
            g_string_append_c(out, '_');
            changed = true;
        }
    }
    if (out->len > FW_NAME_MAX) {
        g_string_truncate(out, FW_NAME_MAX);
        changed = true;
    }
    if (changed) {
        hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, netName, -1);
        g_string_append_printf(out, "-%.8s", hash);
    }
    return g_string_free(out, FALSE);
}

bool
mvNetFirewallNeeded(const mvNetworkDef *def)
{
    switch ((mvNetworkForwardType)def->forward.type) {
    case MV_NETWORK_FORWARD_NONE:
    case MV_NETWORK_FORWARD_NAT:
    case MV_NETWORK_FORWARD_ROUTE:
        return true;
    case MV_NETWORK_FORWARD_OPEN:
    case MV_NETWORK_FORWARD_BRIDGE:
    case MV_NETWORK_FORWARD_PRIVATE:
    case MV_NETWORK_FORWARD_VEPA:
    case MV_NETWORK_FORWARD_PASSTHROUGH:
    case MV_NETWORK_FORWARD_HOSTDEV:
    case MV_NETWORK_FORWARD_LAST:
        break;
    }
    return false;
}

/* Text safe inside an nft double-quoted string: quotes, backslashes and
 * control characters become '_'. */
static char *
fwQuoteSafe(const char *s)
{
    char *out = g_strdup(s);
    char *p;

    for (p = out; *p; p++) {
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '_';
    }
    return out;
}

/* Whether @name can go into the script as a quoted interface name. */
static bool
fwIfnameOK(const char *name)
{
    const char *p;

    if (!name || !*name)
        return false;
    for (p = name; *p; p++) {
        if (*p == '"' || *p == '\\' || (unsigned char)*p <= 0x20 || *p == 0x7f)
            return false;
    }
    return true;
}

/* "NET/PREFIX" of @ip's subnet, or NULL when it has no usable address. */
static char *
fwSubnet(const mvNetworkIPDef *ip)
{
    unsigned char bytes[16];
    char buf[INET6_ADDRSTRLEN];
    int prefix = mvNetworkIPDefPrefix(ip);
    int family = ip->address.family;
    int len = family == AF_INET6 ? 16 : 4;
    int i;

    if ((family != AF_INET && family != AF_INET6) || prefix < 0 || prefix > len * 8)
        return NULL;
    memcpy(bytes, ip->address.bytes, len);
    for (i = 0; i < len; i++) {
        int keep = prefix - i * 8;

        if (keep <= 0)
            bytes[i] = 0;
        else if (keep < 8)
            bytes[i] &= (unsigned char)(0xff << (8 - keep));
    }
    if (!inet_ntop(family, bytes, buf, sizeof(buf)))
        return NULL;
    return g_strdup_printf("%s/%d", buf, prefix);
}

/* The SNAT/masquerade target of a nat rule; @ports adds the port range
 * (tcp/udp rules only). */
static char *
fwNatTarget(const mvNetworkDef *def, bool ports)
{
    unsigned int pstart = def->forward.portStart ? def->forward.portStart : 1024;
    unsigned int pend = def->forward.portEnd ? def->forward.portEnd : 65535;
    g_autofree char *start = mvNetworkAddrFormat(&def->forward.natStart);
    g_autofree char *end = mvNetworkAddrFormat(&def->forward.natEnd);
    g_autofree char *portText = ports ? g_strdup_printf(":%u-%u", pstart, pend) : g_strdup("");

    if (!start)
        return g_strdup_printf("masquerade%s%s", ports ? " to " : "", portText);
    if (end && !mvNetworkAddrEqual(&def->forward.natStart, &def->forward.natEnd))
        return g_strdup_printf("snat ip to %s-%s%s", start, end, portText);
    return g_strdup_printf("snat ip to %s%s", start, portText);
}

/* The forward and nat rules of one <ip> element. */
static void
fwAddIPRules(GString *fwd, GString *nat, const mvNetworkDef *def,
             const mvNetworkIPDef *ip, const char *br, const char *dev)
{
    g_autofree char *subnet = fwSubnet(ip);
    g_autofree char *devIn = dev ? g_strdup_printf(" iifname \"%s\"", dev) : g_strdup("");
    g_autofree char *devOut = dev ? g_strdup_printf(" oifname \"%s\"", dev) : g_strdup("");
    bool v6 = ip->address.family == AF_INET6;
    const char *fam = v6 ? "ip6" : "ip";
    bool natted;

    if (!subnet)
        return;
    natted = def->forward.type == MV_NETWORK_FORWARD_NAT &&
             (!v6 || def->forward.natIPv6 == MV_TRISTATE_YES);

    /* replies (nat) or anything (route) into the subnet */
    g_string_append_printf(fwd, "        oifname \"%s\"%s %s daddr %s%s accept\n",
                           br, devIn, fam, subnet,
                           natted ? " ct state related,established" : "");
    /* anything from the subnet out */
    g_string_append_printf(fwd, "        iifname \"%s\"%s %s saddr %s accept\n",
                           br, devOut, fam, subnet);

    if (!natted)
        return;
    if (v6) {
        g_string_append_printf(nat, "        ip6 saddr %s ip6 daddr ff00::/8 return\n", subnet);
        g_string_append_printf(nat, "        meta l4proto { tcp, udp } ip6 saddr %s "
                               "ip6 daddr != %s%s masquerade to :%u-%u\n",
                               subnet, subnet, devOut,
                               def->forward.portStart ? def->forward.portStart : 1024,
                               def->forward.portEnd ? def->forward.portEnd : 65535);
        g_string_append_printf(nat, "        ip6 saddr %s ip6 daddr != %s%s masquerade\n",
                               subnet, subnet, devOut);
        return;
    }
    {
        g_autofree char *withPorts = fwNatTarget(def, true);
        g_autofree char *plain = fwNatTarget(def, false);

        g_string_append_printf(nat, "        ip saddr %s ip daddr 224.0.0.0/24 return\n",
                               subnet);
        g_string_append_printf(nat, "        ip saddr %s ip daddr 255.255.255.255 return\n",
                               subnet);
        g_string_append_printf(nat, "        meta l4proto { tcp, udp } ip saddr %s "
                               "ip daddr != %s%s %s\n", subnet, subnet, devOut, withPorts);
        g_string_append_printf(nat, "        ip saddr %s ip daddr != %s%s %s\n",
                               subnet, subnet, devOut, plain);
    }
}

char *
mvNetFirewallRuleset(const mvNetworkDef *def)
{
    g_autofree char *table = NULL;
    g_autofree char *safeName = NULL;
    g_autoptr(GString) fwd = g_string_new(NULL);
    g_autoptr(GString) nat = g_string_new(NULL);
    GString *out;
    const char *br = def->bridge;
    const char *dev = NULL;
    bool hasV6 = false;
    size_t i;

    if (!mvNetFirewallNeeded(def))
        return g_strdup("");
    if (!fwIfnameOK(br)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "network '%s' has no usable bridge name for its firewall rules",
                      def->name);
        return NULL;
    }
    if (def->forward.type != MV_NETWORK_FORWARD_NONE)
        dev = mvNetworkDefForwardIf(def, 0);
    if (dev && !fwIfnameOK(dev)) {
        mvReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                      "forward device name '%s' of network '%s' cannot be used in firewall "
                      "rules", dev, def->name);
        return NULL;
    }
    table = mvNetFirewallTableName(def->name);
    safeName = fwQuoteSafe(def->name);

    for (i = 0; def->ips && i < def->ips->len; i++) {
        const mvNetworkIPDef *ip = g_ptr_array_index(def->ips, i);

        if (ip->address.family == AF_INET6)
            hasV6 = true;
        if (def->forward.type != MV_NETWORK_FORWARD_NONE)
            fwAddIPRules(fwd, nat, def, ip, br, dev);
    }

    out = g_string_new(NULL);
    /* create-then-delete makes the delete safe when the table is absent */
    g_string_append_printf(out, "table inet %s {\n}\ndelete table inet %s\n", table, table);
    g_string_append_printf(out, "table inet %s {\n", table);
    g_string_append_printf(out, "    comment \"modvirt network %s bridge %s\"\n", safeName, br);

    g_string_append(out, "    chain input {\n"
                    "        type filter hook input priority filter; policy accept;\n");
    g_string_append_printf(out, "        iifname \"%s\" udp dport { 53, 67 } accept\n", br);
    g_string_append_printf(out, "        iifname \"%s\" tcp dport 53 accept\n", br);
    if (hasV6)
        g_string_append_printf(out, "        iifname \"%s\" udp dport 547 accept\n", br);
    g_string_append(out, "    }\n");

    g_string_append(out, "    chain output {\n"
                    "        type filter hook output priority filter; policy accept;\n");
    g_string_append_printf(out, "        oifname \"%s\" udp dport { 53, 68 } accept\n", br);
    g_string_append_printf(out, "        oifname \"%s\" tcp dport 53 accept\n", br);
    if (hasV6)
        g_string_append_printf(out, "        oifname \"%s\" udp dport 546 accept\n", br);
    g_string_append(out, "    }\n");

    g_string_append(out, "    chain forward {\n"
                    "        type filter hook forward priority filter; policy accept;\n");
    g_string_append_printf(out, "        iifname \"%s\" oifname \"%s\" accept\n", br, br);
    g_string_append(out, fwd->str);
    g_string_append_printf(out, "        iifname \"%s\" reject\n", br);
    g_string_append_printf(out, "        oifname \"%s\" reject\n", br);
    g_string_append(out, "    }\n");

    if (nat->len) {
        g_string_append(out, "    chain postrouting {\n"
                        "        type nat hook postrouting priority srcnat; policy accept;\n");
        g_string_append(out, nat->str);
        g_string_append(out, "    }\n");
    }
    g_string_append(out, "}\n");
    return g_string_free(out, FALSE);
}

/* Runs nft with @args (after the program name), feeding @input on stdin
 * when not NULL; its stdout goes to *@output when not NULL.  Returns 0, or
 * -1 with nft's message reported; @what says what we were doing. */
static int
fwRunNft(const char * const *args, const char *input, char **output, const char *what)
{
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *nft = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    const char *env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };
    size_t i;

    nft = g_find_program_in_path("nft");
    if (!nft) {
        const char *cands[] = { "/usr/sbin/nft", "/sbin/nft", NULL };
        for (i = 0; cands[i] && !nft; i++) {
            if (g_file_test(cands[i], G_FILE_TEST_IS_EXECUTABLE))
                nft = g_strdup(cands[i]);
        }
    }
    if (!nft) {
        mvReportError(VIR_ERR_INTERNAL_ERROR,
                      "cannot %s: the nft program is not installed (install the nftables "
                      "package)", what);
        return -1;
    }
    g_ptr_array_add(argv, g_strdup(nft));
    for (i = 0; args[i]; i++)
        g_ptr_array_add(argv, g_strdup(args[i]));
    g_ptr_array_add(argv, NULL);

    launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                         G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                         G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_subprocess_launcher_set_environ(launcher, (char **)env);
    proc = g_subprocess_launcher_spawnv(launcher, (const char * const *)argv->pdata, &gerr);
    if (!proc) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot %s: cannot run '%s': %s",
                      what, nft, gerr->message);
        return -1;
    }
    if (!g_subprocess_communicate_utf8(proc, input ? input : "", NULL, &out, &err, &gerr)) {
        mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot %s: talking to nft failed: %s",
                      what, gerr->message);
        return -1;
    }
    if (!g_subprocess_get_if_exited(proc) || g_subprocess_get_exit_status(proc) != 0) {
        if (err && strlen(err) > FW_OUTPUT_MAX)
            err[FW_OUTPUT_MAX] = '\0';
        mvReportError(VIR_ERR_OPERATION_FAILED, "cannot %s: nft failed: %s",
                      what, err && *err ? g_strstrip(err) : "(no message)");
        return -1;
    }
    if (output) {
        if (out && strlen(out) > FW_OUTPUT_MAX) {
            mvReportError(VIR_ERR_INTERNAL_ERROR, "cannot %s: nft printed too much", what);
            return -1;
        }
        *output = g_steal_pointer(&out);
    }
    return 0;
}

int
mvNetFirewallAdd(const mvNetworkDef *def)
{
    g_autofree char *script = NULL;
    g_autofree char *what = NULL;
    const char *args[] = { "-f", "-", NULL };

    if (!mvNetFirewallNeeded(def))
        return 0;
    if (!(script = mvNetFirewallRuleset(def)))
        return -1;
    what = g_strdup_printf("install the firewall rules of network '%s'", def->name);
    return fwRunNft(args, script, NULL, what);
}

int
mvNetFirewallRemove(const char *netName)
{
    g_autofree char *table = mvNetFirewallTableName(netName);
    g_autofree char *script = NULL;
    g_autofree char *what = NULL;
    const char *args[] = { "-f", "-", NULL };

    script = g_strdup_printf("table inet %s {\n}\ndelete table inet %s\n", table, table);
    what = g_strdup_printf("remove the firewall rules of network '%s'", netName);
    return fwRunNft(args, script, NULL, what);
}

int
mvNetFirewallHas(const char *netName)
{
    g_autofree char *table = mvNetFirewallTableName(netName);
    g_autofree char *out = NULL;
    g_autofree char *what = NULL;
    g_auto(GStrv) lines = NULL;
    const char *args[] = { "list", "tables", "inet", NULL };
    size_t i;

    what = g_strdup_printf("look for the firewall rules of network '%s'", netName);
    if (fwRunNft(args, NULL, &out, what) < 0)
        return -1;
    lines = g_strsplit(out ? out : "", "\n", -1);
    for (i = 0; lines[i]; i++) {
        const char *l = g_strstrip(lines[i]);

        if (g_str_has_prefix(l, "table inet ") && strcmp(l + strlen("table inet "), table) == 0)
            return 1;
    }
    return 0;
}
