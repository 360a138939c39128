/*
 * network_conf_format: writes an mvNetworkDef back as XML, walking the struct
 * only, one function per element, in the order and layout libvirt 9.0 uses
 * (see network_conf.h; parsing is in network_conf.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>

#include "mv_buf.h"
#include "mv_error.h"
#include "mv_xml.h"
#include "network_conf.h"

#define MV_FROM_THIS VIR_FROM_NETWORK

static void
mvNetworkFormatAddrAttr(mvBuf *buf, const char *name, const mvNetworkAddr *addr)
{
    g_autofree char *text = mvNetworkAddrFormat(addr);

    if (text)
        mvBufAsprintf(buf, " %s='%s'", name, text);
}

static void
mvNetworkFormatMetadata(mvBuf *buf, const mvNetworkDef *def)
{
    xmlBuffer *xbuf;
    int n;

    if (!def->metadata)
        return;
    xbuf = xmlBufferCreate();
    xmlNodeDump(xbuf, def->metadata->doc, def->metadata, buf->indent / 2, 1);
    /* libxml2 indents the inner lines itself: write the dump as one piece */
    mvBufAdd(buf, "");
    for (n = 0; n < buf->indent; n++)
        g_string_append_c(buf->str, ' ');
    g_string_append(buf->str, (const char *)xmlBufferContent(xbuf));
    g_string_append_c(buf->str, '\n');
    xmlBufferFree(xbuf);
}

static void
mvNetworkFormatNat(mvBuf *buf, const mvNetworkForwardDef *fwd)
{
    bool hasAddr = fwd->natStart.family || fwd->natEnd.family;
    bool hasPort = fwd->portStart || fwd->portEnd;

    if (!hasAddr && !hasPort && !fwd->natIPv6)
        return;
    mvBufAdd(buf, "<nat");
    if (fwd->natIPv6)
        mvBufAsprintf(buf, " ipv6='%s'", mvTristateToString(fwd->natIPv6));
    if (!hasAddr && !hasPort) {
        mvBufAdd(buf, "/>\n");
        return;
    }
    mvBufAdd(buf, ">\n");
    mvBufAdjustIndent(buf, 2);
    if (fwd->natStart.family) {
        mvBufAdd(buf, "<address");
        mvNetworkFormatAddrAttr(buf, "start", &fwd->natStart);
        mvNetworkFormatAddrAttr(buf, "end", &fwd->natEnd);
        mvBufAdd(buf, "/>\n");
    }
    if (hasPort) {
        mvBufAsprintf(buf, "<port start='%u'", fwd->portStart);
        if (fwd->portEnd)
            mvBufAsprintf(buf, " end='%u'", fwd->portEnd);
        mvBufAdd(buf, "/>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</nat>\n");
}

static void
mvNetworkFormatForward(mvBuf *buf, const mvNetworkDef *def, unsigned int flags)
{
    const mvNetworkForwardDef *fwd = &def->forward;
    const char *dev = fwd->pf ? NULL : mvNetworkDefForwardIf(def, 0);
    bool hasIfs = fwd->ifs && fwd->ifs[0];
    bool isShort;
    size_t i;

    if (fwd->type == MV_NETWORK_FORWARD_NONE)
        return;
    mvBufAdd(buf, "<forward");
    mvBufEscapeString(buf, " dev='%s'", dev);
    mvBufAsprintf(buf, " mode='%s'", mvNetworkForwardTypeToString(fwd->type));
    if (fwd->type == MV_NETWORK_FORWARD_HOSTDEV)
        mvBufAsprintf(buf, " managed='%s'", fwd->managed ? "yes" : "no");
    isShort = !(hasIfs || fwd->pf || fwd->natStart.family || fwd->natEnd.family ||
                fwd->portStart || fwd->portEnd || fwd->driverName || fwd->natIPv6);
    mvBufAdd(buf, isShort ? "/>\n" : ">\n");
    if (isShort)
        return;
    mvBufAdjustIndent(buf, 2);
    if (fwd->driverName)
        mvBufAsprintf(buf, "<driver name='%s'/>\n",
                      mvNetworkForwardDriverToString(fwd->driverName));
    if (fwd->type == MV_NETWORK_FORWARD_NAT)
        mvNetworkFormatNat(buf, fwd);
    mvBufEscapeString(buf, "<pf dev='%s'/>\n", fwd->pf);
    if (hasIfs && (!fwd->pf || !(flags & MV_NETWORK_FORMAT_INACTIVE))) {
        for (i = 0; fwd->ifs[i]; i++)
            mvBufEscapeString(buf, "<interface dev='%s'/>\n", fwd->ifs[i]);
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</forward>\n");
}

static void
mvNetworkFormatBridge(mvBuf *buf, const mvNetworkDef *def)
{
    bool own = mvNetworkDefHasOwnBridge(def);

    if (!own && !def->bridge && !def->macTableManager)
        return;
    mvBufAdd(buf, "<bridge");
    mvBufEscapeString(buf, " name='%s'", def->bridge);
    mvBufEscapeString(buf, " zone='%s'", def->bridgeZone);
    if (own)
        mvBufAsprintf(buf, " stp='%s' delay='%lu'", def->stp ? "on" : "off", def->delay);
    if (def->macTableManager)
        mvBufAsprintf(buf, " macTableManager='%s'",
                      mvNetworkMacTableManagerToString(def->macTableManager));
    mvBufAdd(buf, "/>\n");
}

static void
mvNetworkFormatDNS(mvBuf *buf, const mvNetworkDNSDef *dns)
{
    bool hasItems = dns->forwarders->len || dns->hosts->len || dns->srvs->len ||
                    dns->txts->len;
    guint i;
    size_t j;

    if (!dns->enable && !dns->forwardPlainNames && !hasItems)
        return;
    mvBufAdd(buf, "<dns");
    if (dns->enable)
        mvBufAsprintf(buf, " enable='%s'", mvTristateToString(dns->enable));
    if (dns->forwardPlainNames)
        mvBufAsprintf(buf, " forwardPlainNames='%s'", mvTristateToString(dns->forwardPlainNames));
    if (!hasItems) {
        mvBufAdd(buf, "/>\n");
        return;
    }
    mvBufAdd(buf, ">\n");
    mvBufAdjustIndent(buf, 2);
    for (i = 0; i < dns->forwarders->len; i++) {
        const mvNetworkDNSForwarder *f = &g_array_index(dns->forwarders, mvNetworkDNSForwarder, i);

        mvBufAdd(buf, "<forwarder");
        mvBufEscapeString(buf, " domain='%s'", f->domain);
        mvNetworkFormatAddrAttr(buf, "addr", &f->addr);
        mvBufAdd(buf, "/>\n");
    }
    for (i = 0; i < dns->txts->len; i++) {
        const mvNetworkDNSTxt *t = &g_array_index(dns->txts, mvNetworkDNSTxt, i);

        mvBufEscapeString(buf, "<txt name='%s' ", t->name);
        mvBufEscapeString(buf, "value='%s'/>\n", t->value);
    }
    for (i = 0; i < dns->srvs->len; i++) {
        const mvNetworkDNSSrv *s = &g_array_index(dns->srvs, mvNetworkDNSSrv, i);

        mvBufEscapeString(buf, "<srv service='%s' ", s->service);
        mvBufEscapeString(buf, "protocol='%s'", s->protocol);
        mvBufEscapeString(buf, " domain='%s'", s->domain);
        mvBufEscapeString(buf, " target='%s'", s->target);
        if (s->port)
            mvBufAsprintf(buf, " port='%u'", s->port);
        if (s->priority)
            mvBufAsprintf(buf, " priority='%u'", s->priority);
        if (s->weight)
            mvBufAsprintf(buf, " weight='%u'", s->weight);
        mvBufAdd(buf, "/>\n");
    }
    for (i = 0; i < dns->hosts->len; i++) {
        const mvNetworkDNSHost *h = &g_array_index(dns->hosts, mvNetworkDNSHost, i);
        g_autofree char *ip = mvNetworkAddrFormat(&h->ip);

        mvBufAsprintf(buf, "<host ip='%s'>\n", ip);
        mvBufAdjustIndent(buf, 2);
        for (j = 0; h->names[j]; j++)
            mvBufEscapeString(buf, "<hostname>%s</hostname>\n", h->names[j]);
        mvBufAdjustIndent(buf, -2);
        mvBufAdd(buf, "</host>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</dns>\n");
}

static void
mvNetworkFormatVlan(mvBuf *buf, const mvNetworkVlan *vlan)
{
    guint i;

    if (!vlan->tags || vlan->tags->len == 0)
        return;
    mvBufAsprintf(buf, "<vlan%s>\n", vlan->trunk ? " trunk='yes'" : "");
    mvBufAdjustIndent(buf, 2);
    for (i = 0; i < vlan->tags->len; i++) {
        const mvNetworkVlanTag *t = &g_array_index(vlan->tags, mvNetworkVlanTag, i);

        mvBufAsprintf(buf, "<tag id='%u'", t->id);
        if (t->nativeMode)
            mvBufAsprintf(buf, " nativeMode='%s'", mvNetworkVlanNativeModeToString(t->nativeMode));
        mvBufAdd(buf, "/>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</vlan>\n");
}

static void
mvNetworkFormatRate(mvBuf *buf, const char *elem, const mvNetworkBandwidthRate *rate)
{
    if (!rate->present)
        return;
    mvBufAsprintf(buf, "<%s average='%llu'", elem, rate->average);
    if (rate->peak)
        mvBufAsprintf(buf, " peak='%llu'", rate->peak);
    if (rate->burst)
        mvBufAsprintf(buf, " burst='%llu'", rate->burst);
    mvBufAdd(buf, "/>\n");
}

static void
mvNetworkFormatBandwidth(mvBuf *buf, const mvNetworkBandwidth *bw)
{
    if (!bw)
        return;
    mvBufAdd(buf, "<bandwidth>\n");
    mvBufAdjustIndent(buf, 2);
    mvNetworkFormatRate(buf, "inbound", &bw->inbound);
    mvNetworkFormatRate(buf, "outbound", &bw->outbound);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</bandwidth>\n");
}

static void
mvNetworkFormatVirtPort(mvBuf *buf, int type)
{
    if (type)
        mvBufAsprintf(buf, "<virtualport type='%s'/>\n", mvNetworkVirtPortTypeToString(type));
}

static void
mvNetworkFormatLease(mvBuf *buf, const char *elem, const mvNetworkLease *lease)
{
    if (!lease->present) {
        mvBufAdd(buf, "/>\n");
        return;
    }
    mvBufAdd(buf, ">\n");
    mvBufAdjustIndent(buf, 2);
    if (lease->expiry == 0)
        mvBufAdd(buf, "<lease expiry='0'/>\n");
    else
        mvBufAsprintf(buf, "<lease expiry='%llu' unit='%s'/>\n", lease->expiry,
                      mvNetworkLeaseUnitToString(lease->unit));
    mvBufAdjustIndent(buf, -2);
    mvBufAsprintf(buf, "</%s>\n", elem);
}

static void
mvNetworkFormatDHCP(mvBuf *buf, const mvNetworkIPDef *ip)
{
    guint i;

    if (!ip->ranges->len && !ip->hosts->len)
        return;
    mvBufAdd(buf, "<dhcp>\n");
    mvBufAdjustIndent(buf, 2);
    for (i = 0; i < ip->ranges->len; i++) {
        const mvNetworkDHCPRange *r = &g_array_index(ip->ranges, mvNetworkDHCPRange, i);

        mvBufAdd(buf, "<range");
        mvNetworkFormatAddrAttr(buf, "start", &r->start);
        mvNetworkFormatAddrAttr(buf, "end", &r->end);
        mvNetworkFormatLease(buf, "range", &r->lease);
    }
    for (i = 0; i < ip->hosts->len; i++) {
        const mvNetworkDHCPHost *h = &g_array_index(ip->hosts, mvNetworkDHCPHost, i);

        mvBufAdd(buf, "<host");
        mvBufEscapeString(buf, " mac='%s'", h->mac);
        mvBufEscapeString(buf, " id='%s'", h->id);
        mvBufEscapeString(buf, " name='%s'", h->name);
        mvNetworkFormatAddrAttr(buf, "ip", &h->ip);
        mvNetworkFormatLease(buf, "host", &h->lease);
    }
    if (ip->bootfile) {
        mvBufEscapeString(buf, "<bootp file='%s'", ip->bootfile);
        mvNetworkFormatAddrAttr(buf, "server", &ip->bootserver);
        mvBufAdd(buf, "/>\n");
    }
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</dhcp>\n");
}

static void
mvNetworkFormatIP(mvBuf *buf, const mvNetworkIPDef *ip)
{
    mvBufAdd(buf, "<ip");
    mvBufEscapeString(buf, " family='%s'", ip->family);
    mvNetworkFormatAddrAttr(buf, "address", &ip->address);
    mvNetworkFormatAddrAttr(buf, "netmask", &ip->netmask);
    if (ip->prefix > 0)
        mvBufAsprintf(buf, " prefix='%u'", ip->prefix);
    if (ip->localPtr)
        mvBufAsprintf(buf, " localPtr='%s'", mvTristateToString(ip->localPtr));
    /* libvirt always writes <ip> open, even with nothing inside */
    mvBufAdd(buf, ">\n");
    mvBufAdjustIndent(buf, 2);
    mvBufEscapeString(buf, "<tftp root='%s'/>\n", ip->tftproot);
    mvNetworkFormatDHCP(buf, ip);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</ip>\n");
}

static void
mvNetworkFormatRoute(mvBuf *buf, const mvNetworkRoute *r)
{
    mvBufAdd(buf, "<route");
    mvBufEscapeString(buf, " family='%s'", r->family);
    mvNetworkFormatAddrAttr(buf, "address", &r->address);
    mvNetworkFormatAddrAttr(buf, "netmask", &r->netmask);
    if (r->hasPrefix)
        mvBufAsprintf(buf, " prefix='%u'", r->prefix);
    mvNetworkFormatAddrAttr(buf, "gateway", &r->gateway);
    if (r->hasMetric)
        mvBufAsprintf(buf, " metric='%u'", r->metric);
    mvBufAdd(buf, "/>\n");
}

static void
mvNetworkFormatPortGroup(mvBuf *buf, const mvNetworkPortGroup *pg)
{
    mvBufEscapeString(buf, "<portgroup name='%s'", pg->name);
    if (pg->isDefault)
        mvBufAdd(buf, " default='yes'");
    if (pg->trustGuestRxFilters)
        mvBufAsprintf(buf, " trustGuestRxFilters='%s'",
                      mvTristateToString(pg->trustGuestRxFilters));
    mvBufAdd(buf, ">\n");
    mvBufAdjustIndent(buf, 2);
    mvNetworkFormatVlan(buf, &pg->vlan);
    mvNetworkFormatVirtPort(buf, pg->virtPortType);
    mvNetworkFormatBandwidth(buf, pg->bandwidth);
    mvBufAdjustIndent(buf, -2);
    mvBufAdd(buf, "</portgroup>\n");
}

char *
mvNetworkDefFormat(const mvNetworkDef *def, unsigned int flags)
{
    g_auto(mvBuf) buf = MV_BUF_INIT;
    char uuidstr[MV_UUID_STRING_BUFLEN];
    guint i;

    mvBufAdd(&buf, "<network");
    if (!(flags & MV_NETWORK_FORMAT_INACTIVE) && def->connections > 0)
        mvBufAsprintf(&buf, " connections='%u'", def->connections);
    if (def->ipv6nogw)
        mvBufAdd(&buf, " ipv6='yes'");
    if (def->trustGuestRxFilters)
        mvBufAsprintf(&buf, " trustGuestRxFilters='%s'",
                      mvTristateToString(def->trustGuestRxFilters));
    mvBufAdd(&buf, ">\n");
    mvBufAdjustIndent(&buf, 2);
    mvBufEscapeString(&buf, "<name>%s</name>\n", def->name);
    mvBufAsprintf(&buf, "<uuid>%s</uuid>\n", mvUUIDFormat(def->uuid, uuidstr));
    mvNetworkFormatMetadata(&buf, def);
    mvNetworkFormatForward(&buf, def, flags);
    mvNetworkFormatBridge(&buf, def);
    if (def->mtu)
        mvBufAsprintf(&buf, "<mtu size='%u'/>\n", def->mtu);
    if (def->macSpecified)
        mvBufAsprintf(&buf, "<mac address='%02x:%02x:%02x:%02x:%02x:%02x'/>\n",
                      def->mac[0], def->mac[1], def->mac[2], def->mac[3], def->mac[4],
                      def->mac[5]);
    if (def->domain) {
        mvBufEscapeString(&buf, "<domain name='%s'", def->domain);
        if (def->domainLocalOnly)
            mvBufAsprintf(&buf, " localOnly='%s'", mvTristateToString(def->domainLocalOnly));
        mvBufAdd(&buf, "/>\n");
    }
    mvNetworkFormatDNS(&buf, &def->dns);
    mvNetworkFormatVlan(&buf, &def->vlan);
    mvNetworkFormatBandwidth(&buf, def->bandwidth);
    if (def->isolatedPort)
        mvBufAsprintf(&buf, "<port isolated='%s'/>\n", mvTristateToString(def->isolatedPort));
    for (i = 0; i < def->ips->len; i++)
        mvNetworkFormatIP(&buf, g_ptr_array_index(def->ips, i));
    for (i = 0; i < def->routes->len; i++)
        mvNetworkFormatRoute(&buf, g_ptr_array_index(def->routes, i));
    mvNetworkFormatVirtPort(&buf, def->virtPortType);
    for (i = 0; i < def->portGroups->len; i++)
        mvNetworkFormatPortGroup(&buf, g_ptr_array_index(def->portGroups, i));
    mvBufAdjustIndent(&buf, -2);
    mvBufAdd(&buf, "</network>\n");
    return mvBufContentAndReset(&buf);
}
