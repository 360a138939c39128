/*
 * Unit tests of drivers/network/net_host (bridges, links, addresses, routes,
 * taps, forwarding) and net_firewall (nft tables), run against the real
 * kernel inside a private network namespace (see netns_helpers.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "net_firewall.h"
#include "net_host.h"
#include "netns_helpers.h"

static void
testBridgeLifecycle(void)
{
    const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    unsigned char got[6];
    unsigned int mtu = 0;
    double t0 = netnsTestNowMs();

    g_assert_false(mvNetLinkExists("mvbr0"));
    g_assert_cmpint(mvNetBridgeCreate("mvbr0", mac, 1400, true, 0), ==, 0);
    g_assert_true(mvNetLinkExists("mvbr0"));
    g_assert_cmpint(mvNetLinkIsUp("mvbr0"), ==, 0);
    g_assert_cmpint(mvNetLinkSetUp("mvbr0", true), ==, 0);
    g_assert_cmpint(mvNetLinkIsUp("mvbr0"), ==, 1);
    g_assert_cmpint(mvNetLinkGetMTU("mvbr0", &mtu), ==, 0);
    g_assert_cmpuint(mtu, ==, 1400);
    g_assert_cmpint(mvNetLinkGetMAC("mvbr0", got), ==, 0);
    g_assert_cmpmem(got, 6, mac, 6);

    g_assert_cmpint(mvNetBridgeSetIPv6("mvbr0", true), ==, 0);
    g_assert_cmpint(mvNetAddrAdd("mvbr0", AF_INET, "192.0.2.1", 24, false), ==, 0);
    g_assert_cmpint(mvNetAddrAdd("mvbr0", AF_INET, "192.0.2.1", 24, false), ==, 0);
    g_assert_cmpint(mvNetAddrAdd("mvbr0", AF_INET6, "fd00:db8:1::1", 64, true), ==, 0);
    g_assert_cmpint(mvNetAddrHas("mvbr0", AF_INET, "192.0.2.1"), ==, 1);
    g_assert_cmpint(mvNetAddrHas("mvbr0", AF_INET6, "fd00:db8:1::1"), ==, 1);
    g_assert_cmpint(mvNetAddrHas("mvbr0", AF_INET, "192.0.2.2"), ==, 0);
    g_assert_cmpint(mvNetAddrDel("mvbr0", AF_INET, "192.0.2.1", 24), ==, 0);
    g_assert_cmpint(mvNetAddrHas("mvbr0", AF_INET, "192.0.2.1"), ==, 0);
    g_assert_cmpint(mvNetAddrDel("mvbr0", AF_INET, "192.0.2.1", 24), ==, 0);

    g_assert_cmpint(mvNetLinkSetMTU("mvbr0", 1300), ==, 0);
    g_assert_cmpint(mvNetLinkGetMTU("mvbr0", &mtu), ==, 0);
    g_assert_cmpuint(mtu, ==, 1300);

    /* the name is taken now */
    g_assert_cmpint(mvNetBridgeCreate("mvbr0", NULL, 0, false, 0), ==, -1);
    netnsAssertError("exists already");

    g_assert_cmpint(mvNetBridgeDelete("mvbr0"), ==, 0);
    g_assert_false(mvNetLinkExists("mvbr0"));
    g_assert_cmpint(mvNetBridgeDelete("mvbr0"), ==, 0);
    g_test_message("bridge create/up/addresses/delete: %.1f ms", netnsTestNowMs() - t0);

    /* a forward delay with STP off */
    g_assert_cmpint(mvNetBridgeCreate("mvbr1", NULL, 0, false, 2000), ==, 0);
    g_assert_cmpint(mvNetBridgeDelete("mvbr1"), ==, 0);
}

static void
testBadNames(void)
{
    g_assert_cmpint(mvNetBridgeCreate("a-name-that-is-too-long", NULL, 0, false, 0), ==, -1);
    netnsAssertError("invalid interface name");
    g_assert_cmpint(mvNetLinkSetUp("no/slash", true), ==, -1);
    netnsAssertError("invalid interface name");
    g_assert_cmpint(mvNetLinkSetUp("mvmissing", true), ==, -1);
    netnsAssertError("does not exist");
    g_assert_cmpint(mvNetAddrAdd("lo", AF_INET, "300.1.1.1", 24, false), ==, -1);
    netnsAssertError("not a valid IPv4 address");
    g_assert_false(mvNetLinkExists(NULL));
}

static void
testTap(void)
{
    g_autofree char *name = NULL;
    g_autofree char *pname = NULL;
    g_autofree char *master = NULL;
    int fd = -1;
    double t0 = netnsTestNowMs();

    g_assert_cmpint(mvNetBridgeCreate("mvbrt", NULL, 0, false, 0), ==, 0);
    g_assert_cmpint(mvNetTapCreate("mvtap%d", &name, &fd, MV_NET_TAP_VNET_HDR), ==, 0);
    g_assert_cmpint(fd, >=, 0);
    g_assert_true(g_str_has_prefix(name, "mvtap"));
    g_assert_true(mvNetLinkExists(name));
    g_assert_cmpint(fcntl(fd, F_GETFD) & FD_CLOEXEC, ==, FD_CLOEXEC);

    g_assert_cmpint(mvNetLinkSetMaster(name, "mvbrt"), ==, 0);
    g_assert_cmpint(mvNetLinkSetUp(name, true), ==, 0);
    g_assert_cmpint(mvNetLinkGetMaster(name, &master), ==, 0);
    g_assert_cmpstr(master, ==, "mvbrt");
    g_clear_pointer(&master, g_free);
    g_assert_cmpint(mvNetLinkSetMaster(name, NULL), ==, 0);
    g_assert_cmpint(mvNetLinkGetMaster(name, &master), ==, 0);
    g_assert_null(master);

    /* a non-persistent tap goes with its fd */
    close(fd);
    g_assert_false(mvNetLinkExists(name));

    g_assert_cmpint(mvNetTapCreate("mvptap0", &pname, NULL, MV_NET_TAP_PERSIST), ==, 0);
    g_assert_cmpstr(pname, ==, "mvptap0");
    g_assert_true(mvNetLinkExists("mvptap0"));
    g_assert_cmpint(mvNetLinkSetMaster("mvptap0", "mvbrt"), ==, 0);
    g_assert_cmpint(mvNetTapDelete("mvptap0"), ==, 0);
    g_assert_false(mvNetLinkExists("mvptap0"));
    g_assert_cmpint(mvNetTapDelete("mvptap0"), ==, 0);

    g_assert_cmpint(mvNetTapCreate("mvtap%d", &pname, NULL, 0), ==, -1);
    netnsAssertError("fd kept");
    g_assert_cmpint(mvNetBridgeDelete("mvbrt"), ==, 0);
    g_test_message("tap create/attach/delete: %.1f ms", netnsTestNowMs() - t0);
}

static void
testRouteConflict(void)
{
    g_autofree char *dev = NULL;
    double t0 = netnsTestNowMs();

    g_assert_cmpint(mvNetBridgeCreate("mvbrr", NULL, 0, false, 0), ==, 0);
    g_assert_cmpint(mvNetLinkSetUp("mvbrr", true), ==, 0);
    g_assert_cmpint(mvNetAddrAdd("mvbrr", AF_INET, "10.77.0.1", 24, false), ==, 0);
    g_assert_cmpint(mvNetAddrAdd("mvbrr", AF_INET6, "fd00:77::1", 64, true), ==, 0);

    g_assert_cmpint(mvNetRouteConflict(AF_INET, "10.77.0.0", 24, &dev), ==, 1);
    g_assert_cmpstr(dev, ==, "mvbrr");
    g_clear_pointer(&dev, g_free);
    g_assert_cmpint(mvNetRouteConflict(AF_INET, "10.77.0.128", 25, &dev), ==, 1);
    g_clear_pointer(&dev, g_free);
    g_assert_cmpint(mvNetRouteConflict(AF_INET, "10.0.0.0", 8, &dev), ==, 1);
    g_clear_pointer(&dev, g_free);
    g_assert_cmpint(mvNetRouteConflict(AF_INET, "10.78.0.0", 24, &dev), ==, 0);
    g_assert_null(dev);
    g_assert_cmpint(mvNetRouteConflict(AF_INET6, "fd00:77::", 64, &dev), ==, 1);
    g_assert_cmpstr(dev, ==, "mvbrr");
    g_clear_pointer(&dev, g_free);
    g_assert_cmpint(mvNetRouteConflict(AF_INET6, "fd00:78::", 64, &dev), ==, 0);

    /* a static route via a gateway on the bridge */
    g_assert_cmpint(mvNetRouteAdd("mvbrr", AF_INET, "10.99.0.0", 16, "10.77.0.254", 10), ==, 0);
    g_assert_cmpint(mvNetRouteAdd("mvbrr", AF_INET, "10.99.0.0", 16, "10.77.0.254", 10), ==, 0);
    g_assert_cmpint(mvNetRouteConflict(AF_INET, "10.99.5.0", 24, &dev), ==, 1);
    g_assert_cmpstr(dev, ==, "mvbrr");
    g_clear_pointer(&dev, g_free);
    g_assert_cmpint(mvNetRouteDel("mvbrr", AF_INET, "10.99.0.0", 16, "10.77.0.254", 10), ==, 0);
    g_assert_cmpint(mvNetRouteConflict(AF_INET, "10.99.5.0", 24, &dev), ==, 0);
    g_assert_cmpint(mvNetRouteDel("mvbrr", AF_INET, "10.99.0.0", 16, "10.77.0.254", 10), ==, 0);
    g_assert_cmpint(mvNetRouteAdd("mvbrr", AF_INET6, "fd00:99::", 48, "fd00:77::fe", 0), ==, 0);
    g_assert_cmpint(mvNetRouteConflict(AF_INET6, "fd00:99:0:5::", 64, &dev), ==, 1);
    g_clear_pointer(&dev, g_free);

    g_assert_cmpint(mvNetBridgeDelete("mvbrr"), ==, 0);
    g_assert_cmpint(mvNetRouteConflict(AF_INET, "10.77.0.0", 24, &dev), ==, 0);
    g_assert_cmpint(mvNetRouteConflict(AF_INET6, "fd00:99:0:5::", 64, &dev), ==, 0);
    g_test_message("route conflict checks: %.1f ms", netnsTestNowMs() - t0);
}

static void
testForwarding(void)
{
    /* a fresh namespace starts with forwarding off */
    g_assert_cmpint(mvNetIsForwardingEnabled(AF_INET), ==, 0);
    g_assert_cmpint(mvNetEnableForwarding(AF_INET), ==, 0);
    g_assert_cmpint(mvNetIsForwardingEnabled(AF_INET), ==, 1);
    g_assert_cmpint(mvNetEnableForwarding(AF_INET6), ==, 0);
    g_assert_cmpint(mvNetIsForwardingEnabled(AF_INET6), ==, 1);
    g_assert_cmpint(mvNetIsForwardingEnabled(12345), ==, -1);
    netnsAssertError("unknown address family");
}

/* ---- firewall ---- */

static const char *xmlNat =
    "<network>\n"
    "  <name>fwnat</name>\n"
    "  <forward mode='nat'/>\n"
    "  <bridge name='mvfw0'/>\n"
    "  <ip address='192.168.150.1' netmask='255.255.255.0'>\n"
    "    <dhcp><range start='192.168.150.2' end='192.168.150.254'/></dhcp>\n"
    "  </ip>\n"
    "  <ip family='ipv6' address='fd00:150::1' prefix='64'/>\n"
    "</network>\n";

static const char *xmlNatRange =
    "<network>\n"
    "  <name>fw nat range</name>\n"
    "  <forward mode='nat' dev='eth9'>\n"
    "    <nat ipv6='yes'>\n"
    "      <address start='203.0.113.10' end='203.0.113.20'/>\n"
    "      <port start='2000' end='3000'/>\n"
    "    </nat>\n"
    "  </forward>\n"
    "  <bridge name='mvfw1'/>\n"
    "  <ip address='192.168.151.1' prefix='24'/>\n"
    "  <ip family='ipv6' address='fd00:151::1' prefix='64'/>\n"
    "</network>\n";

static const char *xmlRoute =
    "<network>\n"
    "  <name>fwroute</name>\n"
    "  <forward mode='route'/>\n"
    "  <bridge name='mvfw2'/>\n"
    "  <ip address='192.168.152.1' prefix='24'/>\n"
    "</network>\n";

static const char *xmlIsolated =
    "<network>\n"
    "  <name>fwiso</name>\n"
    "  <bridge name='mvfw3'/>\n"
    "  <ip address='192.168.153.1' prefix='24'/>\n"
    "</network>\n";

static const char *xmlOpen =
    "<network>\n"
    "  <name>fwopen</name>\n"
    "  <forward mode='open'/>\n"
    "  <bridge name='mvfw4'/>\n"
    "  <ip address='192.168.154.1' prefix='24'/>\n"
    "</network>\n";

static mvNetworkDef *
parseNet(const char *xml)
{
    mvNetworkDef *def = mvNetworkDefParse(xml, 0);

    if (!def)
        g_error("parse failed: %s", mvErrorGetLast()->message);
    return def;
}

static guint
countLines(const char *text, const char *needle)
{
    guint n = 0;
    const char *p = text;

    while ((p = strstr(p, needle))) {
        n++;
        p += strlen(needle);
    }
    return n;
}

static void
testFirewallNames(void)
{
    g_autofree char *a = mvNetFirewallTableName("default");
    g_autofree char *b = mvNetFirewallTableName("my net/1");
    g_autofree char *c = mvNetFirewallTableName("my_net_1");

    g_assert_cmpstr(a, ==, "modvirt-default");
    g_assert_true(g_str_has_prefix(b, "modvirt-my_net_1-"));
    g_assert_cmpuint(strlen(b), ==, strlen("modvirt-my_net_1-") + 8);
    g_assert_cmpstr(c, ==, "modvirt-my_net_1");
}

static void
testFirewallRuleset(void)
{
    g_autoptr(mvNetworkDef) nat = parseNet(xmlNat);
    g_autoptr(mvNetworkDef) range = parseNet(xmlNatRange);
    g_autoptr(mvNetworkDef) route = parseNet(xmlRoute);
    g_autoptr(mvNetworkDef) iso = parseNet(xmlIsolated);
    g_autoptr(mvNetworkDef) open = parseNet(xmlOpen);
    g_autofree char *s = NULL;

    s = mvNetFirewallRuleset(nat);
    g_assert_nonnull(s);
    g_assert_nonnull(strstr(s, "table inet modvirt-fwnat {\n}\ndelete table inet modvirt-fwnat\n"));
    g_assert_nonnull(strstr(s, "comment \"modvirt network fwnat bridge mvfw0\""));
    g_assert_nonnull(strstr(s, "meta l4proto { tcp, udp } ip saddr 192.168.150.0/24 "
                            "ip daddr != 192.168.150.0/24 masquerade to :1024-65535\n"));
    g_assert_nonnull(strstr(s, "ip saddr 192.168.150.0/24 ip daddr != 192.168.150.0/24 "
                            "masquerade\n"));
    g_assert_nonnull(strstr(s, "oifname \"mvfw0\" ip daddr 192.168.150.0/24 "
                            "ct state related,established accept"));
    /* IPv6 of a nat network is routed unless <nat ipv6='yes'> */
    g_assert_nonnull(strstr(s, "oifname \"mvfw0\" ip6 daddr fd00:150::/64 accept"));
    g_assert_null(strstr(s, "ip6 saddr fd00:150::/64 ip6 daddr !="));
    g_assert_nonnull(strstr(s, "udp dport 547 accept"));
    g_clear_pointer(&s, g_free);

    s = mvNetFirewallRuleset(range);
    g_assert_nonnull(s);
    g_assert_nonnull(strstr(s, "table inet modvirt-fw_nat_range-"));
    g_assert_nonnull(strstr(s, "oifname \"eth9\" snat ip to 203.0.113.10-203.0.113.20:2000-3000"));
    g_assert_nonnull(strstr(s, "oifname \"eth9\" snat ip to 203.0.113.10-203.0.113.20\n"));
    g_assert_nonnull(strstr(s, "iifname \"mvfw1\" oifname \"eth9\" ip saddr 192.168.151.0/24"));
    g_assert_nonnull(strstr(s, "ip6 daddr != fd00:151::/64 oifname \"eth9\" masquerade to "
                            ":2000-3000"));
    g_clear_pointer(&s, g_free);

    s = mvNetFirewallRuleset(route);
    g_assert_nonnull(s);
    g_assert_null(strstr(s, "postrouting"));
    g_assert_nonnull(strstr(s, "oifname \"mvfw2\" ip daddr 192.168.152.0/24 accept"));
    g_clear_pointer(&s, g_free);

    s = mvNetFirewallRuleset(iso);
    g_assert_nonnull(s);
    g_assert_null(strstr(s, "saddr"));
    g_assert_nonnull(strstr(s, "iifname \"mvfw3\" oifname \"mvfw3\" accept\n"
                            "        iifname \"mvfw3\" reject\n"
                            "        oifname \"mvfw3\" reject\n"));
    g_clear_pointer(&s, g_free);

    s = mvNetFirewallRuleset(open);
    g_assert_cmpstr(s, ==, "");
    g_assert_false(mvNetFirewallNeeded(open));
    g_clear_pointer(&s, g_free);
}

static void
testFirewallApply(void)
{
    g_autoptr(mvNetworkDef) nat = parseNet(xmlNat);
    g_autoptr(mvNetworkDef) range = parseNet(xmlNatRange);
    g_autoptr(mvNetworkDef) route = parseNet(xmlRoute);
    g_autoptr(mvNetworkDef) iso = parseNet(xmlIsolated);
    g_autoptr(mvNetworkDef) open = parseNet(xmlOpen);
    const char *listTables[] = { "nft", "list", "tables", NULL };
    const char *listNat[] = { "nft", "list", "table", "inet", "modvirt-fwnat", NULL };
    g_autofree char *out = NULL;
    g_autofree char *once = NULL;
    double t0;

    g_assert_cmpint(mvNetFirewallHas("fwnat"), ==, 0);
    t0 = netnsTestNowMs();
    g_assert_cmpint(mvNetFirewallAdd(nat), ==, 0);
    g_test_message("nft apply (nat network): %.1f ms", netnsTestNowMs() - t0);
    g_assert_cmpint(mvNetFirewallHas("fwnat"), ==, 1);
    once = netnsTestRun(listNat);
    g_assert_cmpuint(countLines(once, "masquerade"), ==, 2);

    /* again: still one table with one copy of each rule */
    g_assert_cmpint(mvNetFirewallAdd(nat), ==, 0);
    out = netnsTestRun(listNat);
    g_assert_cmpstr(out, ==, once);
    g_clear_pointer(&out, g_free);
    out = netnsTestRun(listTables);
    g_assert_cmpuint(countLines(out, "modvirt-fwnat"), ==, 1);
    g_clear_pointer(&out, g_free);

    /* every forward mode's script is accepted by nft */
    g_assert_cmpint(mvNetFirewallAdd(range), ==, 0);
    g_assert_cmpint(mvNetFirewallAdd(route), ==, 0);
    g_assert_cmpint(mvNetFirewallAdd(iso), ==, 0);
    g_assert_cmpint(mvNetFirewallAdd(open), ==, 0);
    g_assert_cmpint(mvNetFirewallHas("fw nat range"), ==, 1);
    g_assert_cmpint(mvNetFirewallHas("fwopen"), ==, 0);
    out = netnsTestRun(listTables);
    g_assert_cmpuint(countLines(out, "table inet modvirt-"), ==, 4);
    g_clear_pointer(&out, g_free);

    /* removing one leaves the others; removing again is fine */
    t0 = netnsTestNowMs();
    g_assert_cmpint(mvNetFirewallRemove("fwnat"), ==, 0);
    g_test_message("nft remove: %.1f ms", netnsTestNowMs() - t0);
    g_assert_cmpint(mvNetFirewallHas("fwnat"), ==, 0);
    g_assert_cmpint(mvNetFirewallRemove("fwnat"), ==, 0);
    g_assert_cmpint(mvNetFirewallHas("fwroute"), ==, 1);
    g_assert_cmpint(mvNetFirewallRemove("fw nat range"), ==, 0);
    g_assert_cmpint(mvNetFirewallRemove("fwroute"), ==, 0);
    g_assert_cmpint(mvNetFirewallRemove("fwiso"), ==, 0);
    out = netnsTestRun(listTables);
    g_assert_cmpstr(out, ==, "");
}

int
main(int argc, char **argv)
{
    netnsTestEnter();
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/network/host/bridge", testBridgeLifecycle);
    g_test_add_func("/network/host/bad-names", testBadNames);
    g_test_add_func("/network/host/tap", testTap);
    g_test_add_func("/network/host/route-conflict", testRouteConflict);
    g_test_add_func("/network/host/forwarding", testForwarding);
    g_test_add_func("/network/firewall/names", testFirewallNames);
    g_test_add_func("/network/firewall/ruleset", testFirewallRuleset);
    g_test_add_func("/network/firewall/apply", testFirewallApply);
    return g_test_run();
}
