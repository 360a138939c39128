#!/usr/bin/env python3
#
# gendispatch.py: turns an annotated protocol .x file into the server's
# dispatch table and the client's call stubs.
#
# The .x file is read by a small tokenizer and a recursive-descent parser for
# the XDR subset modvirt uses (const, enum, struct, typedef, union with
# switch, fixed and variable arrays, optional '*', string<N>, opaque, hyper,
# comments).  The parser resolves every type and every bound, so a typo or an
# unbounded variable-length field stops the build with "file:line: message"
# instead of producing a decoder that allocates whatever a peer asks for.
#
# A program is the enum named <prefix>_procedure together with the constants
# <PREFIX>_PROGRAM and <PREFIX>_PROTOCOL_VERSION.  Each procedure
# <PREFIX>_PROC_<NAME> takes the struct <prefix>_<name>_args (if defined) and
# returns <prefix>_<name>_ret (if defined); an @event procedure instead has a
# <prefix>_<name>_msg body.  The comment block right above an enum entry holds
# its annotations (see remote_protocol.x).
#
# Outputs (any subset, chosen on the command line):
#   --dispatch-h/--dispatch-c  rpcProgram table + weak handler prototypes
#   --client-h/--client-c      one rpcClientCall stub per callable procedure,
#                              <prefix>ProcName(), <prefix>EventFilter()
#   --procnums                 "NUMBER NAME" lines (for the facts test)
#
# Python 3 standard library only.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import os
import sys


class XdrError(Exception):
    """A problem in the input, reported as file:line: message."""

    def __init__(self, filename, line, message):
        super().__init__("%s:%d: %s" % (filename, line, message))


# ---------------------------------------------------------------- tokenizer

PUNCT = set("{}()[]<>;,=:*")


class Token:
    __slots__ = ("kind", "value", "line")

    def __init__(self, kind, value, line):
        self.kind = kind      # 'ident', 'number', 'punct', 'comment', 'eof'
        self.value = value
        self.line = line

    def __repr__(self):
        return "Token(%s, %r, %d)" % (self.kind, self.value, self.line)


def tokenize(text, filename):
    """Splits @text into tokens; comments are kept (annotations live there)."""
    tokens = []
    i = 0
    line = 1
    n = len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
            at_line_start = True
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if at_line_start and c in "%#":
            # rpcgen pass-through ('%...') or a preprocessor line: not ours.
            while i < n and text[i] != "\n":
                i += 1
            continue
        at_line_start = False
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise XdrError(filename, line, "unterminated comment")
            body = text[i + 2:end]
            tokens.append(Token("comment", body, line))
            line += body.count("\n")
            i = end + 2
            continue
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            tokens.append(Token("ident", text[i:j], line))
            i = j
            continue
        if c.isdigit() or (c == "-" and i + 1 < n and text[i + 1].isdigit()):
            j = i + 1
            while j < n and (text[j].isalnum()):
                j += 1
            lit = text[i:j]
            try:
                value = int(lit, 0)
            except ValueError:
                if lit.lstrip("-").startswith("0") and lit.lstrip("-").isdigit():
                    value = int(lit, 8)
                else:
                    raise XdrError(filename, line, "bad number '%s'" % lit)
            tokens.append(Token("number", value, line))
            i = j
            continue
        if c in PUNCT:
            tokens.append(Token("punct", c, line))
            i += 1
            continue
        raise XdrError(filename, line, "unexpected character '%s'" % c)
    tokens.append(Token("eof", None, line))
    return tokens


# ---------------------------------------------------------------- model

BUILTIN_TYPES = {
    "int", "unsigned int", "hyper", "unsigned hyper", "char", "unsigned char",
    "short", "unsigned short", "float", "double", "bool", "void",
    "long", "unsigned long",
}


class Decl:
    """One declaration: a struct field, union arm, typedef or discriminant."""

    def __init__(self, typ, name, kind, bound, line):
        self.type = typ       # type name ('int', 'remote_uuid', 'string', 'opaque')
        self.name = name
        self.kind = kind      # 'plain', 'fixed', 'var', 'optional', 'void'
        self.bound = bound    # resolved int for 'fixed'/'var'
        self.line = line


class Definition:
    def __init__(self, kind, name, line):
        self.kind = kind      # 'const', 'enum', 'struct', 'union', 'typedef'
        self.name = name
        self.line = line
        self.value = None     # const
        self.members = []     # enum: [(name, value, comment, line)]; struct: [Decl]
        self.decl = None      # typedef
        self.discriminant = None
        self.arms = []        # union: [(labels, Decl)]


class Procedure:
    def __init__(self, prefix, name, number, line):
        self.prefix = prefix
        self.name = name            # "SECRET_DEFINE_XML"
        self.number = number
        self.line = line
        self.annotations = {}
        self.args = None            # struct name or None
        self.ret = None
        self.msg = None

    @property
    def event(self):
        return "event" in self.annotations


# ---------------------------------------------------------------- parser

class Parser:
    def __init__(self, text, filename):
        self.filename = filename
        self.tokens = tokenize(text, filename)
        self.pos = 0
        self.pending_comment = None
        self.defs = []
        self.byname = {}
        self.consts = {}          # const and enum value names -> int

    # token helpers ------------------------------------------------------
    def error(self, tok, message):
        return XdrError(self.filename, tok.line, message)

    def peek(self):
        while self.tokens[self.pos].kind == "comment":
            self.pending_comment = self.tokens[self.pos]
            self.pos += 1
        return self.tokens[self.pos]

    def next(self):
        tok = self.peek()
        self.pos += 1
        return tok

    def expect_punct(self, ch):
        tok = self.next()
        if tok.kind != "punct" or tok.value != ch:
            raise self.error(tok, "expected '%s', found %s" % (ch, describe(tok)))
        return tok

    def accept_punct(self, ch):
        tok = self.peek()
        if tok.kind == "punct" and tok.value == ch:
            self.pos += 1
            return True
        return False

    def expect_ident(self, what="a name"):
        tok = self.next()
        if tok.kind != "ident":
            raise self.error(tok, "expected %s, found %s" % (what, describe(tok)))
        return tok

    def value(self):
        """A constant: a number or the name of a const/enum value."""
        tok = self.next()
        if tok.kind == "number":
            return tok.value
        if tok.kind == "ident":
            if tok.value not in self.consts:
                raise self.error(tok, "unknown constant '%s'" % tok.value)
            return self.consts[tok.value]
        raise self.error(tok, "expected a constant, found %s" % describe(tok))

    def add(self, d, tok):
        if d.name in self.byname:
            raise self.error(tok, "'%s' is defined twice" % d.name)
        self.byname[d.name] = d
        self.defs.append(d)

    def add_const(self, name, value, tok):
        if name in self.consts or name in self.byname:
            raise self.error(tok, "'%s' is defined twice" % name)
        self.consts[name] = value

    # grammar ------------------------------------------------------------
    def parse(self):
        while True:
            tok = self.next()
            if tok.kind == "eof":
                break
            if tok.kind != "ident":
                raise self.error(tok, "expected a definition, found %s" % describe(tok))
            if tok.value == "const":
                self.parse_const(tok)
            elif tok.value == "typedef":
                self.parse_typedef(tok)
            elif tok.value == "enum":
                self.parse_enum(tok)
            elif tok.value == "struct":
                self.parse_struct(tok)
            elif tok.value == "union":
                self.parse_union(tok)
            elif tok.value == "program":
                raise self.error(tok, "'program' definitions are not supported")
            else:
                raise self.error(tok, "expected a definition, found '%s'" % tok.value)
        self.check_types()
        return self

    def parse_const(self, tok):
        name = self.expect_ident("a constant name")
        self.expect_punct("=")
        val = self.value()
        self.expect_punct(";")
        d = Definition("const", name.value, name.line)
        d.value = val
        self.add_const(name.value, val, name)
        self.add(d, name)

    def parse_typedef(self, tok):
        decl = self.declaration()
        if decl.kind == "void":
            raise self.error(tok, "typedef of void")
        self.expect_punct(";")
        d = Definition("typedef", decl.name, decl.line)
        d.decl = decl
        self.add(d, tok)

    def parse_enum(self, tok):
        name = self.expect_ident("an enum name")
        d = Definition("enum", name.value, name.line)
        self.expect_punct("{")
        self.pending_comment = None
        while True:
            member = self.expect_ident("an enum value name")
            comment = self.pending_comment
            self.pending_comment = None
            self.expect_punct("=")
            val = self.value()
            self.add_const(member.value, val, member)
            d.members.append((member.value, val,
                              comment.value if comment else None, member.line))
            if self.accept_punct(","):
                self.pending_comment = None
                continue
            self.expect_punct("}")
            break
        self.expect_punct(";")
        self.add(d, name)

    def parse_struct(self, tok):
        name = self.expect_ident("a struct name")
        d = Definition("struct", name.value, name.line)
        self.expect_punct("{")
        seen = set()
        while not self.accept_punct("}"):
            decl = self.declaration()
            if decl.kind == "void":
                raise self.error(tok, "void field in struct '%s'" % name.value)
            if decl.name in seen:
                raise XdrError(self.filename, decl.line,
                               "field '%s' appears twice in '%s'" % (decl.name, name.value))
            seen.add(decl.name)
            d.members.append(decl)
            self.expect_punct(";")
        if not d.members:
            raise self.error(name, "struct '%s' has no fields" % name.value)
        self.expect_punct(";")
        self.add(d, name)

    def parse_union(self, tok):
        name = self.expect_ident("a union name")
        d = Definition("union", name.value, name.line)
        kw = self.expect_ident("'switch'")
        if kw.value != "switch":
            raise self.error(kw, "expected 'switch', found '%s'" % kw.value)
        self.expect_punct("(")
        d.discriminant = self.declaration()
        self.expect_punct(")")
        self.expect_punct("{")
        labels = []
        while not self.accept_punct("}"):
            kw = self.expect_ident("'case' or 'default'")
            if kw.value == "case":
                labels.append(self.value())
                self.expect_punct(":")
            elif kw.value == "default":
                labels.append("default")
                self.expect_punct(":")
            else:
                raise self.error(kw, "expected 'case' or 'default', found '%s'" % kw.value)
            nxt = self.peek()
            if nxt.kind == "ident" and nxt.value in ("case", "default"):
                continue
            decl = self.declaration()
            self.expect_punct(";")
            d.arms.append((labels, decl))
            labels = []
        if labels:
            raise self.error(name, "case labels without an arm in '%s'" % name.value)
        self.expect_punct(";")
        self.add(d, name)

    def type_spec(self):
        tok = self.expect_ident("a type")
        if tok.value == "unsigned":
            nxt = self.peek()
            if nxt.kind == "ident" and nxt.value in ("int", "hyper", "char", "short", "long"):
                self.pos += 1
                return tok, "unsigned " + nxt.value
            return tok, "unsigned int"
        if tok.value in ("struct", "enum", "union"):
            # "struct foo x;" refers to a named type; inline bodies are not supported.
            ref = self.expect_ident("a type name")
            return tok, ref.value
        return tok, tok.value

    def declaration(self):
        first = self.peek()
        if first.kind == "ident" and first.value == "void":
            self.pos += 1
            return Decl("void", None, "void", None, first.line)
        tok, typ = self.type_spec()
        if self.accept_punct("*"):
            name = self.expect_ident("a field name")
            return Decl(typ, name.value, "optional", None, name.line)
        name = self.expect_ident("a field name")
        if self.accept_punct("["):
            bound = self.value()
            self.expect_punct("]")
            if typ == "string":
                raise self.error(name, "string '%s' needs <N>, not [N]" % name.value)
            return Decl(typ, name.value, "fixed", bound, name.line)
        if self.accept_punct("<"):
            if self.accept_punct(">"):
                raise self.error(name, "variable-length '%s' has no bound" % name.value)
            bound = self.value()
            self.expect_punct(">")
            return Decl(typ, name.value, "var", bound, name.line)
        if typ in ("string", "opaque"):
            raise self.error(name, "%s '%s' needs a length" % (typ, name.value))
        return Decl(typ, name.value, "plain", None, name.line)

    # checks -------------------------------------------------------------
    def check_types(self):
        def check(decl):
            if decl.kind == "void":
                return
            if decl.type in ("string", "opaque"):
                return
            if decl.type in BUILTIN_TYPES:
                return
            d = self.byname.get(decl.type)
            if d is None or d.kind == "const":
                raise XdrError(self.filename, decl.line,
                               "unknown type '%s' for '%s'" % (decl.type, decl.name))

        for d in self.defs:
            if d.kind == "typedef":
                check(d.decl)
            elif d.kind == "struct":
                for m in d.members:
                    check(m)
            elif d.kind == "union":
                check(d.discriminant)
                for _labels, arm in d.arms:
                    check(arm)


def describe(tok):
    if tok.kind == "eof":
        return "end of file"
    return "'%s'" % tok.value


# ---------------------------------------------------------------- program

ANNOTATIONS = {"readonly", "priority", "inline", "event", "noauth", "stream", "api",
               "errdomain", "args", "ret"}

# Words spelled in capitals (or specially) in libvirt's API names.
ACRONYMS = {
    "XML": "XML", "UUID": "UUID", "URI": "URI", "ID": "ID", "CPU": "CPU",
    "MAC": "MAC", "NMI": "NMI", "FD": "FD", "FDS": "FDs", "PCI": "PCI",
    "SCSI": "SCSI", "WWN": "WWN", "DHCP": "DHCP", "LXC": "LXC",
    "IOTHREAD": "IOThread",
}

# API name prefix per program; others use "vir".
API_PREFIX = {"admin": "virAdm"}

# virErrorDomain numbers of the areas, most specific first.
AREA_DOMAINS = [
    ("NODE_DEVICE", 22), ("NWFILTER", 33), ("NETWORK", 19), ("STORAGE", 18),
    ("SECRET", 30), ("INTERFACE", 26), ("DOMAIN_SNAPSHOT", 35),
    ("DOMAIN_CHECKPOINT", 69), ("DOMAIN", 20),
]
VIR_FROM_ADMIN = 62


def mangle(name):
    """SECRET_GET_XML_DESC -> SecretGetXMLDesc."""
    return "".join(ACRONYMS.get(w, w.capitalize()) for w in name.split("_") if w)


def error_domain(prefix, name):
    if prefix == "admin":
        return VIR_FROM_ADMIN
    if name.startswith("CONNECT_"):
        rest = name[len("CONNECT_"):]
        for area, num in AREA_DOMAINS:
            if area in rest:
                return num
        return 0
    for area, num in AREA_DOMAINS:
        if name.startswith(area + "_"):
            return num
    return 0


def parse_annotations(comment, filename, line, procname):
    """'@key' / '@key: value' lines of the comment block above a procedure."""
    result = {}
    if comment is None:
        return result
    for raw in comment.split("\n"):
        text = raw.strip().lstrip("*").strip()
        if not text.startswith("@"):
            continue
        if ":" in text:
            key, val = text[1:].split(":", 1)
            key, val = key.strip(), val.strip()
        else:
            key, val = text[1:].strip(), ""
        if key not in ANNOTATIONS:
            raise XdrError(filename, line, "unknown annotation '@%s' on %s" % (key, procname))
        if key in result:
            raise XdrError(filename, line, "annotation '@%s' repeated on %s" % (key, procname))
        if key == "priority" and val not in ("high", "low"):
            raise XdrError(filename, line, "@priority must be 'high' or 'low' on %s" % procname)
        if key == "stream" and val not in ("read", "write"):
            raise XdrError(filename, line, "@stream must be 'read' or 'write' on %s" % procname)
        if key in ("readonly", "inline", "event", "noauth") and val:
            raise XdrError(filename, line, "@%s takes no value on %s" % (key, procname))
        if key in ("api", "args", "ret", "errdomain") and not val:
            raise XdrError(filename, line, "@%s needs a value on %s" % (key, procname))
        result[key] = val
    return result


class Program:
    def __init__(self, parser):
        self.filename = parser.filename
        enums = [d for d in parser.defs
                 if d.kind == "enum" and d.name.endswith("_procedure")]
        if len(enums) != 1:
            raise XdrError(parser.filename, 1,
                           "expected exactly one enum <prefix>_procedure, found %d" % len(enums))
        penum = enums[0]
        self.prefix = penum.name[:-len("_procedure")]
        self.PREFIX = self.prefix.upper()
        for c in ("_PROGRAM", "_PROTOCOL_VERSION"):
            if self.PREFIX + c not in parser.consts:
                raise XdrError(parser.filename, penum.line,
                               "constant %s%s is not defined" % (self.PREFIX, c))
        self.number = parser.consts[self.PREFIX + "_PROGRAM"]
        self.version = parser.consts[self.PREFIX + "_PROTOCOL_VERSION"]
        self.structs = {d.name: d for d in parser.defs if d.kind == "struct"}

        procprefix = self.PREFIX + "_PROC_"
        self.procs = []
        seen = {}
        for member, number, comment, line in penum.members:
            if not member.startswith(procprefix):
                raise XdrError(parser.filename, line,
                               "procedure '%s' does not start with %s" % (member, procprefix))
            if number in seen:
                raise XdrError(parser.filename, line,
                               "procedure number %d used by %s and %s" % (number, seen[number], member))
            if number <= 0:
                raise XdrError(parser.filename, line,
                               "procedure number of %s must be positive" % member)
            seen[number] = member
            proc = Procedure(self.prefix, member[len(procprefix):], number, line)
            proc.annotations = parse_annotations(comment, parser.filename, line, member)
            self.bind_structs(proc)
            self.procs.append(proc)
        self.procs.sort(key=lambda p: p.number)
        self.check_orphans()

    def bind_structs(self, proc):
        base = "%s_%s" % (self.prefix, proc.name.lower())
        ann = proc.annotations
        fn, line = self.filename, proc.line

        def pick(suffix, key):
            if key in ann:
                if ann[key] == "none":
                    return None
                if ann[key] not in self.structs:
                    raise XdrError(fn, line, "%s_PROC_%s refers to struct '%s', which is not defined"
                                   % (self.PREFIX, proc.name, ann[key]))
                return ann[key]
            name = base + suffix
            return name if name in self.structs else None

        if proc.event:
            if "args" in ann or "ret" in ann:
                raise XdrError(fn, line, "@event procedure %s takes no @args/@ret" % proc.name)
            for suffix in ("_args", "_ret"):
                if base + suffix in self.structs:
                    raise XdrError(fn, line, "@event procedure %s has a struct %s%s"
                                   % (proc.name, base, suffix))
            if base + "_msg" not in self.structs:
                raise XdrError(fn, line, "@event procedure %s_PROC_%s needs struct %s_msg"
                               % (self.PREFIX, proc.name, base))
            proc.msg = base + "_msg"
        else:
            if base + "_msg" in self.structs:
                raise XdrError(fn, line, "struct %s_msg exists but %s is not an @event"
                               % (base, proc.name))
            proc.args = pick("_args", "args")
            proc.ret = pick("_ret", "ret")
        if "stream" in ann and proc.event:
            raise XdrError(fn, line, "@event procedure %s cannot open a stream" % proc.name)

    def check_orphans(self):
        """A struct named like a procedure's body must belong to one."""
        used = set()
        for p in self.procs:
            used.update(x for x in (p.args, p.ret, p.msg) if x)
        names = {"%s_%s" % (self.prefix, p.name.lower()) for p in self.procs}
        for sname, d in self.structs.items():
            for suffix in ("_args", "_ret", "_msg"):
                if sname.endswith(suffix) and sname not in used:
                    stem = sname[:-len(suffix)]
                    if stem.startswith(self.prefix + "_") and stem not in names:
                        raise XdrError(self.filename, d.line,
                                       "struct '%s' matches no procedure (expected %s_PROC_%s)"
                                       % (sname, self.PREFIX, stem[len(self.prefix) + 1:].upper()))

    # naming -------------------------------------------------------------
    def api(self, proc):
        return proc.annotations.get("api") or API_PREFIX.get(self.prefix, "vir") + mangle(proc.name)

    def handler(self, proc):
        return "%sDispatch%s" % (self.prefix, mangle(proc.name))

    def stub(self, proc):
        return "%sCall%s" % (self.prefix, mangle(proc.name))

    def flags(self, proc):
        ann = proc.annotations
        flags = []
        if "readonly" in ann:
            flags.append("RPC_PROC_READONLY")
        if ann.get("priority") == "high":
            flags.append("RPC_PROC_PRIORITY")
        if "inline" in ann:
            flags.append("RPC_PROC_INLINE")
        if "noauth" in ann:
            flags.append("RPC_PROC_NOAUTH")
        if ann.get("stream") == "read":
            flags.append("RPC_PROC_STREAM_READ")
        if ann.get("stream") == "write":
            flags.append("RPC_PROC_STREAM_WRITE")
        if proc.event:
            flags.append("RPC_PROC_EVENT")
        return " | ".join(flags) if flags else "0"

    def errdomain(self, proc):
        if "errdomain" in proc.annotations:
            try:
                return int(proc.annotations["errdomain"], 0)
            except ValueError:
                raise XdrError(self.filename, proc.line, "@errdomain must be a number")
        return error_domain(self.prefix, proc.name)


# ---------------------------------------------------------------- emitters

def banner(src):
    return ("/* Generated by rpc/gen/gendispatch.py from %s: do not edit. */\n"
            % os.path.basename(src))


def protocol_header(src):
    return os.path.splitext(os.path.basename(src))[0] + ".h"


def xdrcast(fn):
    """A cast of an XDR filter to xdrproc_t that -Wcast-function-type accepts."""
    return "(xdrproc_t)(void (*)(void))%s" % fn


def emit_dispatch_h(prog):
    out = [banner(prog.filename), "#pragma once\n\n",
           '#include "rpc_program.h"\n',
           '#include "%s"\n\n' % protocol_header(prog.filename),
           "/* The %s program: every procedure, sorted by number.  A handler a daemon\n"
           " * does not define resolves to NULL (the declarations are weak) and the\n"
           " * server answers that procedure as unsupported. */\n" % prog.prefix,
           "extern const rpcProgram %sProgram;\n" % prog.prefix]
    for p in prog.procs:
        if p.event:
            continue
        args = "%s *args" % p.args if p.args else "void *args"
        ret = "%s *ret" % p.ret if p.ret else "void *ret"
        out.append("\n/* %s_PROC_%s (%d), %s */\n" % (prog.PREFIX, p.name, p.number, prog.api(p)))
        out.append("int %s(rpcServer *server, rpcServerClient *client, rpcMessage *msg,\n"
                   "    %s, %s)\n    __attribute__((weak));\n" % (prog.handler(p), args, ret))
    return "".join(out)


def emit_dispatch_c(prog, header):
    out = [banner(prog.filename), '#include "mv_config.h"\n\n',
           '#include "%s"\n\n' % os.path.basename(header),
           "/* For @event procedures the ret fields describe the _msg body the server\n"
           " * sends; there is no handler. */\n",
           "static const rpcProcedure %sProcedures[] = {\n" % prog.prefix]
    for p in prog.procs:
        if p.event:
            afilter, asize = "xdr_void", "0"
            rfilter, rsize = "xdr_" + p.msg, "sizeof(%s)" % p.msg
            func = "NULL"
        else:
            afilter = "xdr_" + p.args if p.args else "xdr_void"
            asize = "sizeof(%s)" % p.args if p.args else "0"
            rfilter = "xdr_" + p.ret if p.ret else "xdr_void"
            rsize = "sizeof(%s)" % p.ret if p.ret else "0"
            func = "(rpcDispatchFunc)(void (*)(void))%s" % prog.handler(p)
        out.append("    {\n"
                   "        .proc = %d,\n"
                   "        .name = \"%s\",\n"
                   "        .api = \"%s\",\n"
                   "        .errdomain = %d,\n"
                   "        .args_filter = %s,\n"
                   "        .args_size = %s,\n"
                   "        .ret_filter = %s,\n"
                   "        .ret_size = %s,\n"
                   "        .flags = %s,\n"
                   "        .func = %s,\n"
                   "    },\n" % (p.number, p.name, prog.api(p), prog.errdomain(p),
                                 xdrcast(afilter), asize, xdrcast(rfilter), rsize,
                                 prog.flags(p), func))
    out.append("};\n\n")
    out.append("const rpcProgram %sProgram = {\n"
               "    .name = \"%s\",\n"
               "    .prog = %s_PROGRAM,\n"
               "    .vers = %s_PROTOCOL_VERSION,\n"
               "    .procs = %sProcedures,\n"
               "    .nprocs = G_N_ELEMENTS(%sProcedures),\n"
               "};\n" % (prog.prefix, prog.prefix, prog.PREFIX, prog.PREFIX,
                         prog.prefix, prog.prefix))
    return "".join(out)


def emit_client_h(prog):
    out = [banner(prog.filename), "#pragma once\n\n",
           '#include "rpc_client.h"\n',
           '#include "%s"\n\n' % protocol_header(prog.filename),
           "/* The procedure's name (\"SECRET_DEFINE_XML\") for logs, or NULL when\n"
           " * @proc is not part of the %s program. */\n" % prog.prefix,
           "const char *%sProcName(int proc);\n\n" % prog.prefix,
           "/* For an event procedure, the XDR filter of its _msg body and (in @size)\n"
           " * the struct's size; NULL for any other procedure. */\n",
           "xdrproc_t %sEventFilter(int proc, size_t *size);\n" % prog.prefix]
    for p in prog.procs:
        if p.event:
            continue
        params = ["rpcClient *client"]
        if p.args:
            params.append("%s *args" % p.args)
        if p.ret:
            params.append("%s *ret" % p.ret)
        out.append("\n/* %s_PROC_%s (%d): returns 0, or -1 with the error set. */\n"
                   % (prog.PREFIX, p.name, p.number))
        out.append("int %s(%s);\n" % (prog.stub(p), ", ".join(params)))
    return "".join(out)


def emit_client_c(prog, header):
    out = [banner(prog.filename), '#include "mv_config.h"\n\n',
           '#include "%s"\n' % os.path.basename(header)]
    out.append("\nconst char *\n%sProcName(int proc)\n{\n    switch (proc) {\n" % prog.prefix)
    for p in prog.procs:
        out.append("    case %s_PROC_%s:\n        return \"%s\";\n" % (prog.PREFIX, p.name, p.name))
    out.append("    }\n    return NULL;\n}\n")
    out.append("\nxdrproc_t\n%sEventFilter(int proc, size_t *size)\n{\n" % prog.prefix)
    out.append("    switch (proc) {\n")
    for p in prog.procs:
        if p.event:
            out.append("    case %s_PROC_%s:\n        *size = sizeof(%s);\n"
                       "        return %s;\n" % (prog.PREFIX, p.name, p.msg, xdrcast("xdr_" + p.msg)))
    out.append("    }\n    *size = 0;\n    return NULL;\n}\n")
    for p in prog.procs:
        if p.event:
            continue
        params = ["rpcClient *client"]
        if p.args:
            params.append("%s *args" % p.args)
        if p.ret:
            params.append("%s *ret" % p.ret)
        afilter = (xdrcast("xdr_" + p.args) + ", args") if p.args else xdrcast("xdr_void") + ", NULL"
        rfilter = (xdrcast("xdr_" + p.ret) + ", ret") if p.ret else xdrcast("xdr_void") + ", NULL"
        out.append("\nint\n%s(%s)\n{\n" % (prog.stub(p), ", ".join(params)))
        out.append("    return rpcClientCall(client, %s_PROGRAM, %s_PROTOCOL_VERSION,\n"
                   "                         %s_PROC_%s,\n"
                   "                         %s,\n"
                   "                         %s);\n}\n"
                   % (prog.PREFIX, prog.PREFIX, prog.PREFIX, p.name, afilter, rfilter))
    return "".join(out)


def emit_procnums(prog):
    return "".join("%d %s\n" % (p.number, p.name) for p in prog.procs)


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return Program(Parser(text, path).parse())


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description="Generate RPC dispatch tables and client stubs.")
    ap.add_argument("input", help="annotated .x file")
    ap.add_argument("--dispatch-h")
    ap.add_argument("--dispatch-c")
    ap.add_argument("--client-h")
    ap.add_argument("--client-c")
    ap.add_argument("--procnums", help="write 'NUMBER NAME' lines here ('-' for stdout)")
    opts = ap.parse_args(argv)
    try:
        prog = load(opts.input)
    except XdrError as e:
        print("gendispatch: %s" % e, file=sys.stderr)
        return 1
    except OSError as e:
        print("gendispatch: %s: %s" % (opts.input, e.strerror), file=sys.stderr)
        return 1
    if opts.dispatch_h:
        write(opts.dispatch_h, emit_dispatch_h(prog))
    if opts.dispatch_c:
        header = opts.dispatch_h or "%s_dispatch.h" % prog.prefix
        write(opts.dispatch_c, emit_dispatch_c(prog, header))
    if opts.client_h:
        write(opts.client_h, emit_client_h(prog))
    if opts.client_c:
        header = opts.client_h or "%s_client.h" % prog.prefix
        write(opts.client_c, emit_client_c(prog, header))
    if opts.procnums == "-":
        sys.stdout.write(emit_procnums(prog))
    elif opts.procnums:
        write(opts.procnums, emit_procnums(prog))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
