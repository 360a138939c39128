/*
 * Unit tests of drivers/network/net_dnsmasq: configuration text, hosts
 * files, lease parsing, and a real dnsmasq on a bridge that hands a lease to
 * busybox udhcpc running in a second network namespace behind a veth pair.
 * Everything runs in private network namespaces (netns_helpers.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>

#include "mv_file.h"
#include "net_dnsmasq.h"
#include "net_host.h"
#include "netns_helpers.h"

static const char *xmlFull =
    "<network>\n"
    "  <name>dqfull</name>\n"
    "  <forward mode='nat'/>\n"
    "  <bridge name='mvdqf0'/>\n"
    "  <mtu size='1400'/>\n"
    "  <domain name='full.test' localOnly='yes'/>\n"
    "  <dns>\n"
    "    <forwarder addr='198.51.100.53'/>\n"
    "    <forwarder domain='corp.example' addr='198.51.100.54'/>\n"
    "    <txt name='info' value='hello'/>\n"
    "    <srv service='ldap' protocol='tcp' domain='full.test' target='ldap.full.test' "
    "port='389' priority='10' weight='5'/>\n"
    "    <host ip='192.168.160.9'><hostname>nas</hostname><hostname>files</hostname></host>\n"
    "  </dns>\n"
    "  <ip address='192.168.160.1' netmask='255.255.255.0'>\n"
    "    <dhcp>\n"
    "      <range start='192.168.160.2' end='192.168.160.254'>\n"
    "        <lease expiry='2' unit='hours'/>\n"
    "      </range>\n"
    "      <host mac='52:54:00:00:00:01' name='one' ip='192.168.160.11'/>\n"
    "      <host mac='52:54:00:00:00:02' ip='192.168.160.12'>\n"
    "        <lease expiry='0'/>\n"
    "      </host>\n"
    "    </dhcp>\n"
    "  </ip>\n"
    "  <ip family='ipv6' address='fd00:160::1' prefix='64'>\n"
    "    <dhcp>\n"
    "      <range start='fd00:160::100' end='fd00:160::1ff'/>\n"
    "      <host id='0:3:0:1:0:16:3e:11:22:33' name='six' ip='fd00:160::20'/>\n"
    "    </dhcp>\n"
    "  </ip>\n"
    "  <ip family='ipv6' address='fd00:161::1' prefix='64'/>\n"
    "</network>\n";

static const char *xmlLive =
    "<network>\n"
    "  <name>dqlive</name>\n"
    "  <bridge name='mvdq0' stp='off'/>\n"
    "  <domain name='dq.test'/>\n"
    "  <dns>\n"
    "    <host ip='192.0.2.9'><hostname>printer</hostname></host>\n"
    "  </dns>\n"
    "  <ip address='192.0.2.1' prefix='24'>\n"
    "    <dhcp>\n"
    "      <range start='192.0.2.100' end='192.0.2.200'/>\n"
    "    </dhcp>\n"
    "  </ip>\n"
    "</network>\n";

static mvNetworkDef *
parseNet(const char *xml)
{
    mvNetworkDef *def = mvNetworkDefParse(xml, 0);

    if (!def)
        g_error("parse failed: %s", mvErrorGetLast()->message);
    return def;
}

static void
testConfig(void)
{
    g_autoptr(mvNetworkDef) def = parseNet(xmlFull);
    g_autoptr(mvNetDnsmasqFiles) files = mvNetDnsmasqFilesNew(def, "/var/lib/libvirt/dnsmasq",
                                                              "/run/libvirt/network");
    g_autofree char *conf = NULL;
    g_autofree char *hosts = NULL;
    g_autofree char *addn = NULL;
    const char *expect[] = {
        "strict-order\n",
        "server=198.51.100.53\n",
        "server=/corp.example/198.51.100.54\n",
        "local=/full.test/\ndomain=full.test\nexpand-hosts\n",
        "srv-host=_ldap._tcp.full.test,ldap.full.test,389,10,5\n",
        "txt-record=info,hello\n",
        "pid-file=/run/libvirt/network/dqfull.pid\n",
        "except-interface=lo\nbind-dynamic\ninterface=mvdqf0\n",
        "dhcp-range=192.168.160.2,192.168.160.254,255.255.255.0,2h\n",
        "dhcp-range=fd00:160::100,fd00:160::1ff,64\n",
        "dhcp-no-override\ndhcp-authoritative\n",
        /* 253 + 2 hosts + 256 + 1 host */
        "dhcp-lease-max=512\n",
        "dhcp-hostsfile=/var/lib/libvirt/dnsmasq/dqfull.hostsfile\n",
        "dhcp-leasefile=/var/lib/libvirt/dnsmasq/mvdqf0.leases\n",
        "dhcp-option=option:mtu,1400\n",
        "addn-hosts=/var/lib/libvirt/dnsmasq/dqfull.addnhosts\n",
        "enable-ra\n",
        "dhcp-range=fd00:161::1,ra-only\n",
        "no-ping\n",
        NULL,
    };
    size_t i;

    g_assert_cmpstr(files->confFile, ==, "/var/lib/libvirt/dnsmasq/dqfull.conf");
    g_assert_true(mvNetDnsmasqNeeded(def));
    conf = mvNetDnsmasqConfig(def, files);
    g_assert_nonnull(conf);
    for (i = 0; expect[i]; i++) {
        if (!strstr(conf, expect[i]))
            g_error("'%s' missing from:\n%s", expect[i], conf);
    }
    g_assert_null(strstr(conf, "port=0"));

    hosts = mvNetDnsmasqHostsfile(def);
    g_assert_cmpstr(hosts, ==,
                    "52:54:00:00:00:01,192.168.160.11,one\n"
                    "52:54:00:00:00:02,192.168.160.12,infinite\n"
                    "id:0:3:0:1:0:16:3e:11:22:33,[fd00:160::20],six\n");
    addn = mvNetDnsmasqAddnHosts(def);
    g_assert_cmpstr(addn, ==, "192.168.160.9\tnas\tfiles\n");
}

static void
testConfigNoDNS(void)
{
    g_autoptr(mvNetworkDef) def = parseNet(
        "<network><name>nodns</name><bridge name='mvnd0'/><dns enable='no'/>"
        "<ip address='192.168.170.1' prefix='24'/></network>");
    g_autoptr(mvNetworkDef) bare = parseNet(
        "<network><name>bare</name><bridge name='mvbare0'/><dns enable='no'/></network>");
    g_autoptr(mvNetDnsmasqFiles) files = mvNetDnsmasqFilesNew(def, "/s", "/r");
    g_autofree char *conf = mvNetDnsmasqConfig(def, files);

    g_assert_nonnull(strstr(conf, "port=0\n"));
    g_assert_null(strstr(conf, "dhcp-range"));
    g_assert_null(strstr(conf, "dhcp-hostsfile"));
    g_assert_false(mvNetDnsmasqNeeded(bare));
}

static void
testLeases(void)
{
    g_autoptr(GPtrArray) l = mvNetDnsmasqParseLeases(
        "1700000000 52:54:00:AA:bb:cc 192.0.2.50 fixed 01:52:54:00:aa:bb:cc\n"
        "0 52:54:00:11:22:33 192.0.2.120 * *\n"
        "not a lease line\n"
        "1700000000 52:54:00:11:22:34 999.1.1.1 bad *\n"
        "duid 00:01:00:01:2c:aa:bb:cc:52:54:00:00:00:01\n"
        "1700000100 1234567 fd00::10 host6 00:01:00:01:aa:bb\n");
    mvNetDnsmasqLease *e;
    g_autofree char *dir = g_dir_make_tmp("mvdqlease-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "x.leases", NULL);
    g_autoptr(GPtrArray) none = mvNetDnsmasqReadLeases(path);

    g_assert_cmpuint(l->len, ==, 3);
    e = g_ptr_array_index(l, 0);
    g_assert_cmpint(e->expiry, ==, 1700000000);
    g_assert_cmpint(e->family, ==, AF_INET);
    g_assert_cmpstr(e->mac, ==, "52:54:00:aa:bb:cc");
    g_assert_cmpstr(e->ipaddr, ==, "192.0.2.50");
    g_assert_cmpstr(e->hostname, ==, "fixed");
    g_assert_cmpstr(e->clientid, ==, "01:52:54:00:aa:bb:cc");
    e = g_ptr_array_index(l, 1);
    g_assert_cmpint(e->expiry, ==, 0);
    g_assert_null(e->hostname);
    g_assert_null(e->clientid);
    e = g_ptr_array_index(l, 2);
    g_assert_cmpint(e->family, ==, AF_INET6);
    g_assert_null(e->mac);
    g_assert_cmpstr(e->iaid, ==, "1234567");
    g_assert_cmpstr(e->ipaddr, ==, "fd00::10");
    g_assert_cmpstr(e->clientid, ==, "00:01:00:01:aa:bb");

    g_assert_nonnull(none);
    g_assert_cmpuint(none->len, ==, 0);
    rmdir(dir);
}

/* ---- a real dnsmasq ---- */

/* A daemonized dnsmasq outlives an aborted test and would keep its
 * namespace alive: a forked guard waits for our end of a pipe to close
 * (normal end or abort alike) and then stops it. */
typedef struct {
    int fd;
    pid_t child;
} DnsmasqGuard;

static DnsmasqGuard
guardStart(const mvNetDnsmasqFiles *files)
{
    DnsmasqGuard g = { -1, -1 };
    int fds[2];
    char c;

    g_assert_cmpint(pipe2(fds, O_CLOEXEC), ==, 0);
    g.child = fork();
    g_assert_cmpint(g.child, >=, 0);
    if (g.child == 0) {
        close(fds[1]);
        while (read(fds[0], &c, 1) < 0 && errno == EINTR)
            ;
        mvNetDnsmasqStop(files);
        _exit(0);
    }
    close(fds[0]);
    g.fd = fds[1];
    return g;
}

static void
guardEnd(DnsmasqGuard *g)
{
    int status;

    close(g->fd);
    waitpid(g->child, &status, 0);
}

static int clientNs = -1;

static void
enterClientNs(gpointer data)
{
    if (setns(clientNs, CLONE_NEWNET) < 0)
        _exit(126);
}

/* Creates the veth pair @host (here) / @peer (in the client namespace). */
static void
makeVeth(const char *host, const char *peer)
{
    struct nl_sock *sk = nl_socket_alloc();
    struct rtnl_link *link = rtnl_link_veth_alloc();
    struct rtnl_link *p = rtnl_link_veth_get_peer(link);

    g_assert_cmpint(nl_connect(sk, NETLINK_ROUTE), ==, 0);
    rtnl_link_set_name(link, host);
    rtnl_link_set_name(p, peer);
    rtnl_link_set_ns_fd(p, clientNs);
    g_assert_cmpint(rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL), ==, 0);
    rtnl_link_put(p);
    rtnl_link_veth_release(link);
    nl_socket_free(sk);
}

/* Runs udhcpc in the client namespace; returns the leased address. */
static char *
runUdhcpc(const char *dir, const char *ifname, const char *hostname)
{
    g_autofree char *script = g_build_filename(dir, "udhcpc.sh", NULL);
    g_autofree char *bound = g_build_filename(dir, "bound", NULL);
    g_autofree char *text = g_strdup_printf(
        "#!/bin/sh\n"
        "case \"$1\" in\n"
        "bound|renew)\n"
        "    /usr/bin/busybox ip addr add \"$ip/$mask\" dev \"$interface\"\n"
        "    echo \"$ip\" > '%s'\n"
        "    ;;\n"
        "esac\n"
        "exit 0\n", bound);
    g_autofree char *hostOpt = g_strdup_printf("hostname:%s", hostname);
    const char *argv[] = { "/usr/bin/busybox", "udhcpc", "-i", ifname, "-n", "-q", "-f",
                           "-t", "5", "-T", "1", "-x", hostOpt, "-s", script, NULL };
    g_autoptr(GError) err = NULL;
    g_autofree char *out = NULL;
    g_autofree char *errout = NULL;
    char *ip = NULL;
    int status = 0;

    unlink(bound);
    g_assert_true(g_file_set_contents(script, text, -1, NULL));
    g_assert_cmpint(chmod(script, 0755), ==, 0);
    if (!g_spawn_sync(NULL, (char **)argv, NULL, 0, enterClientNs, NULL,
                      &out, &errout, &status, &err))
        g_error("cannot run udhcpc: %s", err->message);
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("udhcpc failed: %s%s", out, errout);
    g_assert_true(g_file_get_contents(bound, &ip, NULL, NULL));
    return g_strstrip(ip);
}

static void
setClientMAC(const char *ifname, const unsigned char *mac)
{
    int orig = netnsTestSwitch(clientNs);

    g_assert_cmpint(mvNetLinkSetUp(ifname, false), ==, 0);
    g_assert_cmpint(mvNetLinkSetMAC(ifname, mac), ==, 0);
    g_assert_cmpint(mvNetLinkSetUp(ifname, true), ==, 0);
    netnsTestLeave(orig);
}

static const mvNetDnsmasqLease *
findLease(GPtrArray *leases, const char *mac)
{
    size_t i;

    for (i = 0; i < leases->len; i++) {
        const mvNetDnsmasqLease *l = g_ptr_array_index(leases, i);

        if (l->mac && strcmp(l->mac, mac) == 0)
            return l;
    }
    return NULL;
}

static void
testDHCP(void)
{
    g_autoptr(mvNetworkDef) def = parseNet(xmlLive);
    g_autofree char *dir = g_dir_make_tmp("mvdq-XXXXXX", NULL);
    g_autofree char *stateDir = g_build_filename(dir, "dnsmasq", NULL);
    g_autofree char *runDir = g_build_filename(dir, "run", NULL);
    g_autoptr(mvNetDnsmasqFiles) files = mvNetDnsmasqFilesNew(def, stateDir, runDir);
    g_autoptr(GPtrArray) leases = NULL;
    g_autofree char *ip = NULL;
    g_autofree char *ip2 = NULL;
    const unsigned char mac1[6] = { 0x52, 0x54, 0x00, 0x10, 0x20, 0x30 };
    const unsigned char mac2[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };
    const mvNetDnsmasqLease *l;
    mvNetworkIPDef *ipdef;
    mvNetworkDHCPHost host = { 0 };
    DnsmasqGuard guard;
    pid_t pid = 0;
    pid_t found = 0;
    double t0;
    double t1;

    if (!g_file_test("/usr/sbin/dnsmasq", G_FILE_TEST_IS_EXECUTABLE) ||
        !g_file_test("/usr/bin/busybox", G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("dnsmasq or busybox is not installed");
        return;
    }
    /* dnsmasq reads its hosts files as 'nobody' */
    g_assert_cmpint(chmod(dir, 0755), ==, 0);
    clientNs = netnsTestNewNamespace();

    t0 = netnsTestNowMs();
    /* STP off: with STP on the kernel raises the forward delay to its 2 s
     * minimum, and a new port forwards only after ~4 s (as under libvirt) */
    g_assert_cmpint(mvNetBridgeCreate("mvdq0", NULL, 0, false, 0), ==, 0);
    g_assert_cmpint(mvNetAddrAdd("mvdq0", AF_INET, "192.0.2.1", 24, false), ==, 0);
    g_assert_cmpint(mvNetLinkSetUp("mvdq0", true), ==, 0);
    makeVeth("mvdqh", "mvdqc");
    g_assert_cmpint(mvNetLinkSetMaster("mvdqh", "mvdq0"), ==, 0);
    g_assert_cmpint(mvNetLinkSetUp("mvdqh", true), ==, 0);
    setClientMAC("mvdqc", mac1);
    t1 = netnsTestNowMs();
    g_test_message("bridge + veth into second netns: %.1f ms", t1 - t0);

    g_assert_cmpint(mvNetDnsmasqWriteFiles(def, files), ==, 0);
    g_assert_true(g_file_test(files->confFile, G_FILE_TEST_IS_REGULAR));
    g_assert_true(g_file_test(files->hostsFile, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpint(mvNetDnsmasqFind(files, &found), ==, 0);
    t0 = netnsTestNowMs();
    g_assert_cmpint(mvNetDnsmasqStart(files, &pid), ==, 0);
    g_test_message("dnsmasq start: %.1f ms", netnsTestNowMs() - t0);
    guard = guardStart(files);
    g_assert_cmpint(pid, >, 1);
    g_assert_cmpint(mvNetDnsmasqFind(files, &found), ==, 1);
    g_assert_cmpint(found, ==, pid);
    /* a second start is refused while it runs */
    g_assert_cmpint(mvNetDnsmasqStart(files, &found), ==, -1);
    netnsAssertError("runs already");

    t0 = netnsTestNowMs();
    ip = runUdhcpc(dir, "mvdqc", "dqclient");
    g_test_message("first DHCP lease (%s): %.1f ms", ip, netnsTestNowMs() - t0);
    g_assert_true(g_str_has_prefix(ip, "192.0.2."));
    g_assert_cmpint(atoi(ip + strlen("192.0.2.")), >=, 100);
    g_assert_cmpint(atoi(ip + strlen("192.0.2.")), <=, 200);

    leases = mvNetDnsmasqReadLeases(files->leaseFile);
    g_assert_nonnull(leases);
    l = findLease(leases, "52:54:00:10:20:30");
    g_assert_nonnull(l);
    g_assert_cmpstr(l->ipaddr, ==, ip);
    g_assert_cmpstr(l->hostname, ==, "dqclient");
    g_assert_cmpint(l->family, ==, AF_INET);
    g_assert_cmpint(l->expiry, >, (long long)time(NULL));
    g_clear_pointer(&leases, g_ptr_array_unref);

    /* DNS: addn-hosts names and lease names, asked from the client */
    {
        const char *argv[] = { "/usr/bin/busybox", "nslookup", "printer.dq.test",
                               "192.0.2.1", NULL };
        const char *argv2[] = { "/usr/bin/busybox", "nslookup", "dqclient.dq.test",
                                "192.0.2.1", NULL };
        g_autofree char *out = NULL;
        g_autofree char *out2 = NULL;
        int status = 0;

        g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0, enterClientNs, NULL,
                                   &out, NULL, &status, NULL));
        if (!strstr(out, "192.0.2.9"))
            g_error("nslookup printer.dq.test gave: %s", out);
        g_assert_true(g_spawn_sync(NULL, (char **)argv2, NULL, 0, enterClientNs, NULL,
                                   &out2, NULL, &status, NULL));
        if (!strstr(out2, ip))
            g_error("nslookup dqclient.dq.test gave: %s", out2);
    }

    /* a static host added live: rewrite the hostsfile, SIGHUP */
    ipdef = mvNetworkDefGetIPByFamily(def, AF_INET);
    if (!ipdef->hosts)
        ipdef->hosts = g_array_new(FALSE, TRUE, sizeof(mvNetworkDHCPHost));
    host.mac = g_strdup("52:54:00:aa:bb:cc");
    host.name = g_strdup("fixed");
    g_assert_cmpint(mvNetworkAddrParse("192.0.2.50", AF_INET, &host.ip), ==, 0);
    g_array_append_val(ipdef->hosts, host);
    g_assert_cmpint(mvNetDnsmasqWriteHosts(def, files), ==, 0);
    g_assert_cmpint(mvNetDnsmasqReload(files), ==, 0);
    /* dnsmasq reads the hostsfile on SIGHUP asynchronously */
    g_usleep(100 * 1000);
    setClientMAC("mvdqc", mac2);
    t0 = netnsTestNowMs();
    ip2 = runUdhcpc(dir, "mvdqc", "other");
    g_test_message("static-host lease after SIGHUP (%s): %.1f ms", ip2, netnsTestNowMs() - t0);
    g_assert_cmpstr(ip2, ==, "192.0.2.50");
    leases = mvNetDnsmasqReadLeases(files->leaseFile);
    l = findLease(leases, "52:54:00:aa:bb:cc");
    g_assert_nonnull(l);
    g_assert_cmpstr(l->ipaddr, ==, "192.0.2.50");
    g_assert_nonnull(findLease(leases, "52:54:00:10:20:30"));

    t0 = netnsTestNowMs();
    g_assert_cmpint(mvNetDnsmasqStop(files), ==, 0);
    g_test_message("dnsmasq stop: %.1f ms", netnsTestNowMs() - t0);
    guardEnd(&guard);
    g_assert_cmpint(mvNetDnsmasqFind(files, &found), ==, 0);
    g_assert_false(g_file_test(files->pidFile, G_FILE_TEST_EXISTS));
    g_assert_cmpint(mvNetDnsmasqStop(files), ==, 0);
    g_assert_cmpint(mvNetDnsmasqReload(files), ==, -1);
    netnsAssertError("not running");

    /* a stale pid file naming some other process is not believed */
    g_assert_true(g_file_set_contents(files->pidFile, "1\n", -1, NULL));
    g_assert_cmpint(mvNetDnsmasqFind(files, &found), ==, 0);
    g_assert_false(g_file_test(files->pidFile, G_FILE_TEST_EXISTS));

    /* dnsmasq's own complaint reaches the caller */
    g_assert_true(g_file_set_contents(files->confFile, "bogus-option-xyz\n", -1, NULL));
    g_assert_cmpint(mvNetDnsmasqStart(files, &pid), ==, -1);
    netnsAssertError("dnsmasq refused to start");

    g_assert_cmpint(mvNetDnsmasqRemoveFiles(files), ==, 0);
    g_assert_false(g_file_test(files->confFile, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(files->leaseFile, G_FILE_TEST_EXISTS));
    g_assert_cmpint(mvNetLinkDelete("mvdqh"), ==, 0);
    g_assert_cmpint(mvNetBridgeDelete("mvdq0"), ==, 0);
    close(clientNs);
    clientNs = -1;
    {
        g_autofree char *rm = g_strdup_printf("%s", dir);
        const char *argv[] = { "rm", "-rf", rm, NULL };
        g_autofree char *o = netnsTestRun(argv);
    }
}

/* Everything mvNetDnsmasqConfig writes for a busy network (IPv4 + DHCPv6 +
 * RA-only, DNS records, forwarders) is accepted by the real dnsmasq. */
static void
testFullConfigAccepted(void)
{
    g_autoptr(mvNetworkDef) def = parseNet(xmlFull);
    g_autofree char *dir = g_dir_make_tmp("mvdqf-XXXXXX", NULL);
    g_autoptr(mvNetDnsmasqFiles) files = mvNetDnsmasqFilesNew(def, dir, dir);
    const char *ss[] = { "ss", "-lnup", NULL };
    g_autofree char *ssPath = g_find_program_in_path("ss");
    g_autofree char *out = NULL;
    DnsmasqGuard guard;
    pid_t pid = 0;

    if (!g_file_test("/usr/sbin/dnsmasq", G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("dnsmasq is not installed");
        return;
    }
    g_assert_cmpint(chmod(dir, 0755), ==, 0);
    g_assert_cmpint(mvNetBridgeCreate("mvdqf0", NULL, 1400, true, 0), ==, 0);
    g_assert_cmpint(mvNetBridgeSetIPv6("mvdqf0", true), ==, 0);
    g_assert_cmpint(mvNetAddrAdd("mvdqf0", AF_INET, "192.168.160.1", 24, false), ==, 0);
    g_assert_cmpint(mvNetAddrAdd("mvdqf0", AF_INET6, "fd00:160::1", 64, true), ==, 0);
    g_assert_cmpint(mvNetAddrAdd("mvdqf0", AF_INET6, "fd00:161::1", 64, true), ==, 0);
    g_assert_cmpint(mvNetLinkSetUp("mvdqf0", true), ==, 0);
    g_assert_cmpint(mvNetDnsmasqWriteFiles(def, files), ==, 0);
    if (mvNetDnsmasqStart(files, &pid) < 0)
        g_error("dnsmasq refused our config: %s", mvErrorGetLast()->message);
    guard = guardStart(files);
    if (ssPath) {
        out = netnsTestRun(ss);
        g_assert_nonnull(strstr(out, "192.168.160.1:53"));
        g_assert_nonnull(strstr(out, ":547"));
    }
    g_assert_cmpint(mvNetDnsmasqStop(files), ==, 0);
    guardEnd(&guard);
    g_assert_cmpint(mvNetDnsmasqRemoveFiles(files), ==, 0);
    g_assert_cmpint(mvNetBridgeDelete("mvdqf0"), ==, 0);
    g_assert_cmpint(rmdir(dir), ==, 0);
}

int
main(int argc, char **argv)
{
    netnsTestEnter();
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/network/dnsmasq/config", testConfig);
    g_test_add_func("/network/dnsmasq/config-no-dns", testConfigNoDNS);
    g_test_add_func("/network/dnsmasq/leases", testLeases);
    g_test_add_func("/network/dnsmasq/full-config-accepted", testFullConfigAccepted);
    g_test_add_func("/network/dnsmasq/dhcp", testDHCP);
    return g_test_run();
}
