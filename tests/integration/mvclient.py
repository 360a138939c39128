"""Drives modvirt's own client library (libmodvirt.so.0) through ctypes, so
the integration tests can compare its results and error codes with those of
Debian's python3-libvirt."""

import ctypes

import mvtest


class MvError(Exception):
    def __init__(self, code, domain, message):
        super().__init__(message)
        self.code = code
        self.domain = domain
        self.message = message


class Lib:
    def __init__(self, path=mvtest.LIBMODVIRT):
        mvtest.require(path, "modvirt client library")
        self.l = ctypes.CDLL(path)
        L = self.l
        vp, cp, ui, i, sz = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint, ctypes.c_int, ctypes.c_size_t
        for name, res, args in [
            ("virConnectOpen", vp, [cp]),
            ("virConnectOpenReadOnly", vp, [cp]),
            ("virConnectClose", i, [vp]),
            ("virConnectGetType", cp, [vp]),
            ("virConnectGetLibVersion", i, [vp, ctypes.POINTER(ctypes.c_ulong)]),
            ("virConnectGetHostname", vp, [vp]),
            ("virConnectIsAlive", i, [vp]),
            ("virSecretDefineXML", vp, [vp, cp, ui]),
            ("virSecretLookupByUUIDString", vp, [vp, cp]),
            ("virSecretLookupByUsage", vp, [vp, i, cp]),
            ("virSecretGetXMLDesc", vp, [vp, ui]),
            ("virSecretGetUUIDString", i, [vp, ctypes.c_char * 37]),
            ("virSecretSetValue", i, [vp, ctypes.c_char_p, sz, ui]),
            ("virSecretGetValue", ctypes.POINTER(ctypes.c_ubyte), [vp, ctypes.POINTER(sz), ui]),
            ("virSecretUndefine", i, [vp]),
            ("virSecretFree", i, [vp]),
            ("virConnectListAllSecrets", i, [vp, ctypes.POINTER(ctypes.POINTER(vp)), ui]),
            ("virConnectNumOfSecrets", i, [vp]),
            ("virGetLastErrorCode", i, []),
            ("virGetLastErrorDomain", i, []),
            ("virGetLastErrorMessage", cp, []),
            ("virResetLastError", None, []),
        ]:
            f = getattr(L, name)
            f.restype = res
            f.argtypes = args
        self.libc = ctypes.CDLL(None)
        self.libc.free.argtypes = [vp]

    def fail(self):
        raise MvError(self.l.virGetLastErrorCode(), self.l.virGetLastErrorDomain(),
                      self.l.virGetLastErrorMessage().decode())

    def check(self, ptr_or_int, bad=None):
        if (bad is None and not ptr_or_int) or (bad is not None and ptr_or_int == bad):
            self.fail()
        return ptr_or_int

    def take_string(self, ptr):
        if not ptr:
            self.fail()
        s = ctypes.cast(ptr, ctypes.c_char_p).value.decode()
        self.libc.free(ptr)
        return s


class Conn:
    def __init__(self, uri, readonly=False, lib=None):
        self.lib = lib or Lib()
        L = self.lib.l
        self.c = self.lib.check(L.virConnectOpenReadOnly(uri.encode()) if readonly
                                else L.virConnectOpen(uri.encode()))

    def close(self):
        if self.c:
            self.lib.l.virConnectClose(self.c)
            self.c = None

    def getType(self):
        r = self.lib.l.virConnectGetType(self.c)
        if r is None:
            self.lib.fail()
        return r.decode()

    def getLibVersion(self):
        v = ctypes.c_ulong()
        self.lib.check(self.lib.l.virConnectGetLibVersion(self.c, ctypes.byref(v)), bad=-1)
        return v.value

    def getHostname(self):
        return self.lib.take_string(self.lib.l.virConnectGetHostname(self.c))

    def secretDefineXML(self, xml, flags=0):
        return Secret(self, self.lib.check(self.lib.l.virSecretDefineXML(self.c, xml.encode(), flags)))

    def secretLookupByUUIDString(self, u):
        return Secret(self, self.lib.check(self.lib.l.virSecretLookupByUUIDString(self.c, u.encode())))

    def secretLookupByUsage(self, t, usage):
        return Secret(self, self.lib.check(self.lib.l.virSecretLookupByUsage(self.c, t, usage.encode())))

    def numOfSecrets(self):
        return self.lib.check(self.lib.l.virConnectNumOfSecrets(self.c), bad=-1)

    def listAllSecrets(self, flags=0):
        arr = ctypes.POINTER(ctypes.c_void_p)()
        n = self.lib.check(self.lib.l.virConnectListAllSecrets(self.c, ctypes.byref(arr), flags), bad=-1)
        out = [Secret(self, arr[k]) for k in range(n)]
        self.lib.libc.free(arr)
        return out


class Secret:
    def __init__(self, conn, ptr):
        self.conn = conn
        self.p = ptr

    def UUIDString(self):
        buf = (ctypes.c_char * 37)()
        self.conn.lib.check(self.conn.lib.l.virSecretGetUUIDString(self.p, buf), bad=-1)
        return buf.value.decode()

    def XMLDesc(self, flags=0):
        return self.conn.lib.take_string(self.conn.lib.l.virSecretGetXMLDesc(self.p, flags))

    def setValue(self, value, flags=0):
        return self.conn.lib.check(self.conn.lib.l.virSecretSetValue(self.p, value, len(value), flags),
                                   bad=-1)

    def value(self, flags=0):
        n = ctypes.c_size_t()
        p = self.conn.lib.l.virSecretGetValue(self.p, ctypes.byref(n), flags)
        if not p:
            self.conn.lib.fail()
        data = bytes(p[:n.value])
        self.conn.lib.libc.free(p)
        return data

    def undefine(self):
        return self.conn.lib.check(self.conn.lib.l.virSecretUndefine(self.p), bad=-1)
