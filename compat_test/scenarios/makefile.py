"""socket.makefile: modes, buffering, the
socket's lifetime, timeout poisoning, non-blocking reads, text mode."""
import socket

from _transcript import T, show, timed

a, b = socket.socketpair()


def r(f):
    return repr(f).replace("name=%d" % b.fileno(), "name=<fd>")


for mode, buffering in [("r", None), ("rb", None), ("rb", 1), ("w", None), ("wb", None), ("rw", None),
                        ("rb", 2**31), ("r", -2)]:
    def mk():
        f = b.makefile(mode, buffering)
        try:
            return r(f)
        finally:
            f.close()
    show("makefile(%r, %r)" % (mode, buffering), mk)
for mode, buffering in [("r+", None), ("a", None), ("rt", None), ("r", 0), ("rb", 2**62), ("r", 2**62), ("rb", 2**63)]:
    show("makefile(%r, %r)" % (mode, buffering), lambda: b.makefile(mode, buffering))
# Buffering that is not a plain int: makefile compares it with 0 before
# the io layer asks for an integer.
for mode, buffering in [("rb", 0.0), ("r", 0.0), ("rb", -1.0), ("r", -1.0), ("rb", 1.5), ("rb", float("nan")),
                        ("rb", True), ("rb", False), ("r", False), ("rb", "a"), ("r", "a"), ("rb", b""),
                        ("rb", 2**70), ("rb", -2**70)]:
    def kind():
        f = b.makefile(mode, buffering)
        f.close()
        return type(f).__name__
    show("makefile(%r, %r) layer" % (mode, buffering), kind)
show("encoding nosuch", lambda: b.makefile("r", encoding="nosuch"))
show("newline 'x'", lambda: b.makefile("r", newline="x"))
show("encoding nosuch errors 5", lambda: b.makefile("r", encoding="nosuch", errors=5))
show("encoding nosuch newline 'x'", lambda: b.makefile("r", encoding="nosuch", newline="x"))
f0 = b.makefile("rb", 0)
show("raw mode/readable/writable/seekable", lambda: (f0.mode, f0.readable(), f0.writable(), f0.seekable()))
show("raw write", lambda: f0.write(b"x"))
f0.close()

# Reading, binary.
f = b.makefile("rb")
a.sendall(b"line1\nline2\nrest")
show("readline", f.readline)
show("readline(3)", lambda: f.readline(3))
show("readline rest of line", f.readline)
show("read(2)", lambda: f.read(2))
show("read1(100)", lambda: f.read1(100))
a.sendall(b"0123456789")
buf = bytearray(4)
show("readinto", lambda: f.readinto(buf))
show("buf", lambda: bytes(buf))
show("read(6)", lambda: f.read(6))
show("write on reader", lambda: f.write(b"x"))
a.sendall(b"x\ny\n")
a.shutdown(socket.SHUT_WR)
show("readlines", f.readlines)
show("read() at EOF", f.read)
show("readline() at EOF", f.readline)
f.close()
show("read closed", f.read)
show("readline closed", f.readline)
show("closed/name", lambda: (f.closed, f.name))
a.close()
b.close()

# Lifetime: close() defers to the last file.
a, b = socket.socketpair()
f = b.makefile("rb")
b.close()
show("socket repr after close", lambda: repr(b).replace("fd=%d" % f.fileno(), "fd=<open>"))
show("fileno still valid", lambda: b.fileno() >= 0)
a.sendall(b"still here\n")
show("file still reads", f.readline)
show("socket.recv still works", lambda: (a.sendall(b"z"), b.recv(1))[1])
f.close()
show("fd closed with the last file", b.fileno)
show("repr", lambda: repr(b))
a.close()

# Writing.
a, b = socket.socketpair()
w = b.makefile("wb")
show("write", lambda: w.write(b"hello"))
a.setblocking(False)
show("peer before flush", lambda: a.recv(10))
show("flush", w.flush)
show("peer after flush", lambda: a.recv(10))
w.write(b"bye")
show("close flushes", w.close)
show("peer after close", lambda: a.recv(10))
show("write closed", lambda: w.write(b"x"))
show("flush closed", w.flush)
a.close()
b.close()

# Timeouts poison the file for reading.
a, b = socket.socketpair()
b.settimeout(T)
for mode, buffering in [("rb", None), ("r", None), ("rb", 0)]:
    f = b.makefile(mode, buffering)
    reader = f.readline if buffering is None else (lambda: f.read(5))
    timed("%s/%s first read" % (mode, buffering), reader)
    show("%s/%s again" % (mode, buffering), reader)
    a.sendall(b"late\n")
    show("%s/%s after data" % (mode, buffering), reader)
    f.close()
    show("plain recv still works", lambda: b.recv(100))
a.close()
b.close()

# Non-blocking.
a, b = socket.socketpair()
b.setblocking(False)
f = b.makefile("rb")
show("nonblocking read(5)", lambda: f.read(5))
show("nonblocking readline", f.readline)
f0 = b.makefile("rb", 0)
show("nonblocking raw read(5)", lambda: f0.read(5))
show("nonblocking raw readinto", lambda: f0.readinto(bytearray(3)))
a.sendall(b"abc")
a.close()
show("read() to EOF", f.read)
show("read() again", f.read)
f.close()
f0.close()
b.close()

# Text mode.
a, b = socket.socketpair()
t = b.makefile("r")
show("text encoding/mode/newlines", lambda: (t.encoding, t.mode, t.errors))
a.sendall("héllo\r\nwörld\rlast\n".encode())
show("text readline crlf", t.readline)
show("text readline cr", t.readline)
show("text readline", t.readline)
a.sendall("αβγδ".encode())
show("text read(2)", lambda: t.read(2))
show("text read(2) again", lambda: t.read(2))
t.close()
t = b.makefile("r", newline="")
a.sendall(b"one\r\ntwo\rthree\n")
show("newline='' readline", t.readline)
show("newline='' readline", t.readline)
show("newline='' readline", t.readline)
t.close()
w = b.makefile("w", newline="\r\n")
show("text write", lambda: w.write("a\nb\n"))
w.flush()
show("peer got", lambda: a.recv(100))
w.close()
w = b.makefile("w", encoding="ascii")
show("ascii write ok", lambda: w.write("plain"))
w.close()
show("peer got", lambda: a.recv(100))
t = b.makefile("r")
a.sendall(b"\xff\xfeabc\n")
show("bad utf-8", t.readline)
t.close()
t = b.makefile("r", encoding="latin-1")
a.sendall(b"caf\xe9\n")
show("latin-1", t.readline)
t.close()
t = b.makefile("w")
show("read on text writer", t.read)
t.close()
a.close()
b.close()

# The io layers, their class names and reprs (addresses normalised).
import re


def addr(s):
    return re.sub(r" at 0x[0-9a-f]+", " at 0x<addr>", s)


a, b = socket.socketpair()
for mode, buffering in [("rb", 0), ("wb", 0), ("rwb", 0), ("rb", None), ("wb", None), ("rwb", None),
                        ("r", None), ("w", None), ("rw", None)]:
    f = b.makefile(mode, buffering)
    show("layer %s/%s" % (mode, buffering), lambda: (type(f).__name__, addr(r(f)), getattr(f, "mode", None)))
    f.close()
t = b.makefile("r")
show("text buffer", lambda: (type(t.buffer).__name__, r(t.buffer)))
t.close()
a.close()
b.close()
for data, kw, op in [(b"one\r\ntwo\r\ndone\r\n", {"encoding": "utf-8"}, "readlines"),
                     (b"ab\xe2\x82", {"errors": "replace"}, "readline"),
                     (b"ab\xe2\x82", {"errors": "ignore"}, "read"),
                     (b"ab\xe2\x82", {}, "readline"),
                     (b"x\r", {}, "read"),
                     (b"x\r", {"newline": ""}, "readlines")]:
    a, b = socket.socketpair()
    t = b.makefile("r", **kw)
    a.sendall(data)
    a.shutdown(socket.SHUT_WR)
    show("text %s %r %s" % (op, data, sorted(kw.items())), getattr(t, op))
    t.close()
    a.close()
    b.close()
a, b = socket.socketpair()
w = b.makefile("w", encoding="ascii")
show("encode strict", lambda: w.write("a€"))
w.close()
for errors in ["replace", "ignore"]:
    w = b.makefile("w", encoding="ascii", errors=errors, newline="\r\n")
    show("encode %s" % errors, lambda: w.write("a€\n"))
    w.close()
    show("peer got", lambda: a.recv(100))
a.close()
b.close()

# The file's own methods, open and closed, per layer; select and
# selectors take a file through its fileno().
import select
import selectors

for mode, buffering in [("rb", 0), ("wb", 0), ("rwb", 0), ("rb", None), ("wb", None), ("rwb", None),
                        ("r", None), ("w", None), ("rw", None)]:
    a, b = socket.socketpair()
    f = b.makefile(mode, buffering)
    for state in ("open", "closed"):
        show("%s %r %r fileno is the socket's" % (state, mode, buffering), lambda: f.fileno() == b.fileno())
        for m in ("readable", "writable", "seekable", "isatty", "flush"):
            show("%s %r %r %s" % (state, mode, buffering, m), getattr(f, m))
        if (mode, buffering) == ("rb", None):
            show("%s %r %r select" % (state, mode, buffering), lambda: select.select([f], [], [], 0))
            sel = selectors.DefaultSelector()
            show("%s %r %r selector register" % (state, mode, buffering),
                 lambda: sel.register(f, selectors.EVENT_READ).events)
            sel.close()
        f.close()
    a.close()
    b.close()
