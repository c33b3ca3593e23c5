"""A1, A2: default mode, mode switching, last call wins, bad values (section 9 rows 1-8)."""
import fcntl
import os
import socket

from _transcript import out, show


def nb(s):
    return bool(fcntl.fcntl(s.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK)


def state(label, s):
    out("%s: gettimeout=%r getblocking=%r O_NONBLOCK=%r" % (label, s.gettimeout(), s.getblocking(), nb(s)))


show("getdefaulttimeout()", socket.getdefaulttimeout)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
state("new", s)
for label, fn in [
    ("setblocking(False)", lambda: s.setblocking(False)),
    ("setblocking(True)", lambda: s.setblocking(True)),
    ("setblocking(0)", lambda: s.setblocking(0)),
    ("setblocking(2)", lambda: s.setblocking(2)),
    ("setblocking(0) again", lambda: s.setblocking(0)),
    ("setblocking(2**64)", lambda: s.setblocking(2**64)),
    ("setblocking(-2**64)", lambda: s.setblocking(-2**64)),
    ("setblocking(True) again", lambda: s.setblocking(True)),
    ("settimeout(0.5)", lambda: s.settimeout(0.5)),
    ("settimeout(2)", lambda: s.settimeout(2)),
    ("settimeout(0.0)", lambda: s.settimeout(0.0)),
    ("settimeout(None)", lambda: s.settimeout(None)),
    ("settimeout(5.0)", lambda: s.settimeout(5.0)),
    ("setblocking(0) after timeout", lambda: s.setblocking(0)),
    ("settimeout(5.0) again", lambda: s.settimeout(5.0)),
    ("setblocking(1) after timeout", lambda: s.setblocking(1)),
    ("settimeout(1e-10)", lambda: s.settimeout(1e-10)),
    ("settimeout(1/3)", lambda: s.settimeout(1 / 3)),
    ("settimeout(True)", lambda: s.settimeout(True)),
    ("settimeout(10**9)", lambda: s.settimeout(10**9)),
    ("settimeout(-0.0)", lambda: s.settimeout(-0.0)),
]:
    show(label, fn)
    state(label, s)
s.settimeout(None)
for label, fn in [
    ("settimeout(-1)", lambda: s.settimeout(-1)),
    ("settimeout(-1e-10)", lambda: s.settimeout(-1e-10)),
    ("settimeout('x')", lambda: s.settimeout("x")),
    ("settimeout(nan)", lambda: s.settimeout(float("nan"))),
    ("settimeout(inf)", lambda: s.settimeout(float("inf"))),
    ("settimeout(1e300)", lambda: s.settimeout(1e300)),
    ("setblocking(None)", lambda: s.setblocking(None)),
    ("setblocking('x')", lambda: s.setblocking("x")),
    ("setdefaulttimeout(-1)", lambda: socket.setdefaulttimeout(-1)),
]:
    show(label, fn)
state("after bad values", s)
s.close()

for d in (0.0, 3.0, None):
    socket.setdefaulttimeout(d)
    n = socket.socket()
    state("default %r: new socket" % (d,), n)
    n.close()
socket.setdefaulttimeout(2.0)
n = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
state("default 2.0: SOCK_NONBLOCK socket", n)
show("type", lambda: n.type)
n.close()
socket.setdefaulttimeout(None)

c = socket.socket()
c.close()
show("closed settimeout(1)", lambda: c.settimeout(1))
show("closed gettimeout()", c.gettimeout)
show("closed setblocking(False)", lambda: c.setblocking(False))
show("closed getblocking()", c.getblocking)
show("closed fileno()", c.fileno)
show("closed repr", lambda: repr(c))
show("closed close()", c.close)
show("closed detach()", c.detach)
