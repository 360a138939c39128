"""Definitions this QEMU cannot run fail with a clear error and leave nothing
behind: unknown machine type, missing kernel file, duplicate PCI address, too
many vCPUs, missing emulator, and malformed XML.  Nothing left means no QEMU
process, no monitor socket or state file, and the guest still shut off (or
not defined at all).

Some definitions libvirt rejects at define time, others only when QEMU
refuses them at start; either is accepted here, but the error code must be
one libvirt would use, and a start failure must leave the guest shut off
(reason "failed") with QEMU's own message quoted.  Runs against modvirt's
virtqemud, or with MODVIRT_REFERENCE=libvirt against Debian's libvirt."""

import libvirt
import pytest

import mvtest
from guest import conn, qemud, tiny_guest, scrub, state_of, xml_for  # noqa: F401

RNG_AT_05 = """    <rng model='virtio'>
      <backend model='random'>/dev/urandom</backend>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>
    </rng>"""

E = libvirt
# name: (domain_xml options, accepted error codes, words the message must name
#        (a tuple: any one of them), words only modvirt must name (libvirt's
#        message lacks them))
CASES = {
    "machine": (dict(machine="nosuch-machine-9.9"),
                {E.VIR_ERR_CONFIG_UNSUPPORTED, E.VIR_ERR_XML_ERROR, E.VIR_ERR_INVALID_ARG},
                [], ["nosuch-machine-9.9"]),
    "kernel": (dict(kernel="/nonexistent/vmlinuz-missing"),
               {E.VIR_ERR_INTERNAL_ERROR, E.VIR_ERR_OPERATION_FAILED, E.VIR_ERR_SYSTEM_ERROR},
               ["/nonexistent/vmlinuz-missing"], []),
    "pci": (dict(devices=RNG_AT_05 + "\n" + RNG_AT_05),
            {E.VIR_ERR_XML_ERROR, E.VIR_ERR_CONFIG_UNSUPPORTED},
            ["00:05.0"], []),
    "vcpus": (dict(vcpus=1000),
              {E.VIR_ERR_CONFIG_UNSUPPORTED, E.VIR_ERR_XML_ERROR, E.VIR_ERR_INVALID_ARG},
              [("1000", "255")], []),
    "emulator": (dict(emulator="/usr/bin/qemu-system-nosuch"),
                 {E.VIR_ERR_SYSTEM_ERROR, E.VIR_ERR_CONFIG_UNSUPPORTED,
                  E.VIR_ERR_INTERNAL_ERROR},
                 ["/usr/bin/qemu-system-nosuch"], []),
}


def check_nothing_left(qemud, conn, name, defined):
    assert qemud.qemu_pids(name) == [], "a QEMU process of %s is still running" % name
    assert qemud.settled_leftovers(name, defined=defined) == []
    active = [d.name() for d in conn.listAllDomains(E.VIR_CONNECT_LIST_DOMAINS_ACTIVE)]
    assert name not in active


def check_message(err, words, ours_only):
    msg = err.get_error_message()
    for w in words:
        if isinstance(w, tuple):
            assert any(x in msg for x in w), "error %r names none of %r" % (msg, w)
        else:
            assert w in msg, "error %r does not name %r" % (msg, w)
    if not mvtest.qemu_reference():
        for w in ours_only:
            assert w in msg, "error %r does not name %r" % (msg, w)
    # no bare "internal error" without saying what failed
    assert len(msg) > 20, msg


@pytest.mark.parametrize("case", list(CASES))
def test_invalid_definition(qemud, conn, tiny_guest, case):
    opts, codes, words, ours_only = CASES[case]
    name = "inv-" + case
    xml = xml_for(qemud, name, tiny_guest, **opts)
    try:
        # persistent: define, or if define accepts it, start must fail
        try:
            dom = conn.defineXML(xml)
        except libvirt.libvirtError as e:
            assert e.get_error_code() in codes, (e.get_error_code(), str(e))
            check_message(e, words, ours_only)
            with pytest.raises(libvirt.libvirtError) as nd:
                conn.lookupByName(name)
            assert nd.value.get_error_code() == E.VIR_ERR_NO_DOMAIN
            check_nothing_left(qemud, conn, name, defined=False)
        else:
            with pytest.raises(libvirt.libvirtError) as e:
                dom.create()
            assert e.value.get_error_code() in codes, (e.value.get_error_code(), str(e.value))
            check_message(e.value, words, ours_only)
            dom = conn.lookupByName(name)
            assert state_of(dom) == (E.VIR_DOMAIN_SHUTOFF, E.VIR_DOMAIN_SHUTOFF_FAILED)
            assert dom.ID() == -1
            check_nothing_left(qemud, conn, name, defined=True)
            # a second attempt fails the same way and still leaks nothing
            with pytest.raises(libvirt.libvirtError):
                dom.create()
            check_nothing_left(qemud, conn, name, defined=True)
            dom.undefine()
            check_nothing_left(qemud, conn, name, defined=False)
        # transient: createXML fails and leaves no domain at all
        with pytest.raises(libvirt.libvirtError) as e:
            conn.createXML(xml)
        assert e.value.get_error_code() in codes, (e.value.get_error_code(), str(e.value))
        check_message(e.value, words, ours_only)
        with pytest.raises(libvirt.libvirtError):
            conn.lookupByName(name)
        check_nothing_left(qemud, conn, name, defined=False)
    finally:
        scrub(conn, [name])


MALFORMED = {
    # name: (xml, libvirt's error code)
    "truncated": ("<domain type='qemu'><name>inv-x1</name>", E.VIR_ERR_XML_DETAIL),
    "not-xml": ("this is not XML at all", E.VIR_ERR_XML_DETAIL),
    "no-os-type": ("<domain type='qemu'><name>inv-x2</name><memory>131072</memory></domain>",
                   E.VIR_ERR_XML_ERROR),
    "no-name": ("<domain type='qemu'><memory>131072</memory>"
                "<os><type>hvm</type></os></domain>", E.VIR_ERR_NO_NAME),
    "bad-type": ("<domain type='bogus'><name>inv-x3</name><memory>131072</memory>"
                 "<os><type>hvm</type></os></domain>", E.VIR_ERR_CONFIG_UNSUPPORTED),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_xml(qemud, conn, case):
    xml, code = MALFORMED[case]
    before = sorted(d.name() for d in conn.listAllDomains())
    for call in (conn.defineXML, conn.createXML):
        with pytest.raises(libvirt.libvirtError) as e:
            call(xml)
        assert e.value.get_error_code() == code, str(e.value)
        assert e.value.get_error_domain() == E.VIR_FROM_DOMAIN, str(e.value)
    assert sorted(d.name() for d in conn.listAllDomains()) == before
    for n in ("inv-x1", "inv-x2", "inv-x3"):
        assert qemud.files_named(n) == []


def test_validate_flag_rejects_unknown_element(qemud, conn, tiny_guest):
    xml = xml_for(qemud, "inv-schema", tiny_guest).replace(
        "<devices>", "<colour>blue</colour>\n  <devices>")
    with pytest.raises(libvirt.libvirtError) as e:
        conn.defineXMLFlags(xml, E.VIR_DOMAIN_DEFINE_VALIDATE)
    assert e.value.get_error_code() == E.VIR_ERR_XML_INVALID_SCHEMA, str(e.value)
    with pytest.raises(libvirt.libvirtError):
        conn.lookupByName("inv-schema")
    # without the flag libvirt drops the unknown element; modvirt may refuse
    # elements it does not model, but then it must say which one
    try:
        dom = conn.defineXML(xml)
    except libvirt.libvirtError as e2:
        assert not mvtest.qemu_reference(), str(e2)
        assert e2.get_error_code() == E.VIR_ERR_CONFIG_UNSUPPORTED, str(e2)
        assert "colour" in e2.get_error_message()
        return
    try:
        assert "colour" not in dom.XMLDesc(0)
    finally:
        dom.undefine()
