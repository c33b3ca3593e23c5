"""A3-A11: recv/accept/connect/send/UDP in every mode (section 9 rows 9-22), EOF, bad arguments."""
import socket
import threading
import time

from _transcript import T, out, show, timed

# A3/A4/A5: recv not ready, and data arriving before the deadline.
a, b = socket.socketpair()
a.setblocking(False)
show("nonblocking recv(10)", lambda: a.recv(10))
show("nonblocking recv_into", lambda: a.recv_into(bytearray(4)))
a.settimeout(T)
timed("timeout recv(10)", lambda: a.recv(10))
show("timeout recv(0)", lambda: a.recv(0))
timed("timeout recvfrom(0)", lambda: a.recvfrom(0))
a.settimeout(5.0)
threading.Timer(T, lambda: b.send(b"late data")).start()
timed("timeout recv with data after T", lambda: a.recv(100))
a.settimeout(None)
threading.Timer(T, lambda: b.send(b"late again")).start()
timed("blocking recv with data after T", lambda: a.recv(100))
show("recv(10, MSG_DONTWAIT) blocking", lambda: a.recv(10, socket.MSG_DONTWAIT))
b.send(b"peek")
show("recv(10, MSG_PEEK)", lambda: a.recv(10, socket.MSG_PEEK))
show("recv(10) after peek", lambda: a.recv(10))
b.send(b"abcdef")
show("recv(6, MSG_WAITALL)", lambda: a.recv(6, socket.MSG_WAITALL))
buf = bytearray(8)
b.send(b"xyz")
show("recv_into(buf, 2)", lambda: a.recv_into(buf, 2))
show("buf", lambda: bytes(buf))
show("recv(-1)", lambda: a.recv(-1))
show("recv_into(bytearray(5), 10)", lambda: a.recv_into(bytearray(5), 10))
show("recv_into(bytearray(5), -1)", lambda: a.recv_into(bytearray(5), -1))
# flags are a C int: out of range is OverflowError, before any other check.
show("recv(10, 2**31)", lambda: a.recv(10, 2**31))
show("recv(-1, -2**31-1)", lambda: a.recv(-1, -2**31 - 1))
show("recv_into(bytearray(5), -1, 2**31)", lambda: a.recv_into(bytearray(5), -1, 2**31))
show("recvfrom(10, 2**31)", lambda: a.recvfrom(10, 2**31))
show("recvfrom_into(bytearray(5), 0, -2**31-1)", lambda: a.recvfrom_into(bytearray(5), 0, -2**31 - 1))
show("send(b'x', 2**31)", lambda: a.send(b"x", 2**31))
show("sendall(b'x', -2**31-1)", lambda: a.sendall(b"x", -2**31 - 1))
show("recvmsg(10, 0, 2**31)", lambda: a.recvmsg(10, 0, 2**31))
show("recvmsg_into([bytearray(5)], 0, 2**31)", lambda: a.recvmsg_into([bytearray(5)], 0, 2**31))
show("send(b'')", lambda: a.send(b""))
show("sendall(b'')", lambda: a.sendall(b""))
a.close()
b.close()

# A6: EOF is b'' in every mode, repeatable.
for mode in (None, 0.0, T):
    a, b = socket.socketpair()
    b.sendall(b"last words")
    b.close()
    a.settimeout(mode)
    show("mode %r recv after peer close" % (mode,), lambda: a.recv(100))
    show("mode %r recv again" % (mode,), lambda: a.recv(100))
    show("mode %r recv_into at EOF" % (mode,), lambda: a.recv_into(bytearray(4)))
    a.close()

# A7: accept.
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen()
addr = srv.getsockname()
show("listener repr", lambda: repr(srv))
srv.setblocking(False)
show("nonblocking accept", srv.accept)
srv.settimeout(T)
timed("timeout accept", srv.accept)
for dflt in (None, 0.0, 7.0):
    socket.setdefaulttimeout(dflt)
    c = socket.socket()
    c.settimeout(None)
    c.connect(addr)
    conn, peer = srv.accept()
    out("default %r: accepted gettimeout=%r getblocking=%r proto=%r peer-host=%r" % (
        dflt, conn.gettimeout(), conn.getblocking(), conn.proto, peer[0]))
    show("accepted repr", lambda: repr(conn))
    show("client getpeername", c.getpeername)
    conn.close()
    c.close()
socket.setdefaulttimeout(None)

# A8: connect / connect_ex sequences against a listener and a closed port.
dead = socket.socket()
dead.bind(("127.0.0.1", 0))
dead_addr = dead.getsockname()
dead.close()
for mode in (None, 0.0, 1.0):
    c = socket.socket()
    c.settimeout(mode)
    show("mode %r connect(closed port)" % (mode,), lambda: c.connect(dead_addr))
    show("mode %r SO_ERROR after" % (mode,), lambda: c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
    show("mode %r connect again" % (mode,), lambda: c.connect(dead_addr))
    c.close()
    c = socket.socket()
    c.settimeout(mode)
    out("mode %r connect_ex x3 = %r" % (mode, [c.connect_ex(dead_addr) for _ in range(3)]))
    c.close()
srv.settimeout(None)
for mode in (None, 1.0):
    c = socket.socket()
    c.settimeout(mode)
    show("mode %r connect(listener)" % (mode,), lambda: c.connect(addr))
    show("mode %r connect again" % (mode,), lambda: c.connect(addr))
    show("mode %r connect_ex" % (mode,), lambda: c.connect_ex(addr))
    srv.accept()[0].close()
    c.close()
c = socket.socket()
c.setblocking(False)
show("nonblocking connect(listener)", lambda: c.connect(addr))
c.settimeout(5.0)
import select
select.select([], [c], [], 5.0)
show("SO_ERROR when writable", lambda: c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
srv.accept()[0].close()
c.close()
c = socket.socket()
c.close()
show("closed connect_ex", lambda: c.connect_ex(addr))
show("closed connect", lambda: c.connect(addr))
show("closed recv(1)", lambda: c.recv(1))
show("closed recv(0)", lambda: c.recv(0))
show("closed send(b'')", lambda: c.send(b""))
srv.close()

# A10: send into a full buffer.
a, b = socket.socketpair()
a.setblocking(False)
total = 0
try:
    while True:
        total += a.send(b"x" * 65536)
except BlockingIOError as e:
    out("nonblocking send loop ended with %r (sent >0: %r)" % (e, total > 0))
show("nonblocking sendall when full", lambda: a.sendall(b"y" * 100000))
a.settimeout(T)
timed("timeout send when full", lambda: a.send(b"z" * 65536))
timed("timeout sendall when full", lambda: a.sendall(b"z" * 65536))
a.close()
b.close()

# A11: UDP.
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
uaddr = u.getsockname()
show("udp repr", lambda: repr(u))
u.setblocking(False)
show("nonblocking recvfrom", lambda: u.recvfrom(100))
u.settimeout(T)
timed("timeout recvfrom", lambda: u.recvfrom(100))
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
show("sendto", lambda: v.sendto(b"hello", uaddr))
show("sendto with flags", lambda: v.sendto(b"world", 0, uaddr))
show("recvfrom", lambda: u.recvfrom(100)[0])
show("recv(2) of 5-byte datagram", lambda: u.recv(2))
v.sendto(b"", uaddr)
show("empty datagram", lambda: u.recvfrom(100)[0])
show("send on unconnected udp", lambda: v.send(b"x"))
show("sendto too big", lambda: v.sendto(b"x" * 70000, uaddr))
show("sendto bad address", lambda: v.sendto(b"x", "bad"))
show("sendto 4 args", lambda: v.sendto(b"x", 0, 1, 2))
u.close()
v.close()

# Bad addresses and unconnected misuse.
s = socket.socket()
for label, fn in [
    ("bind port 70000", lambda: s.bind(("127.0.0.1", 70000))),
    ("bind port -1", lambda: s.bind(("127.0.0.1", -1))),
    ("connect port 70000", lambda: s.connect(("127.0.0.1", 70000))),
    ("bind port '80'", lambda: s.bind(("127.0.0.1", "80"))),
    ("bind port 1.5", lambda: s.bind(("127.0.0.1", 1.5))),
    ("bind port None", lambda: s.bind(("127.0.0.1", None))),
    ("bind 'str'", lambda: s.bind("str")),
    ("bind 1-tuple", lambda: s.bind(("127.0.0.1",))),
    ("bind 3-tuple", lambda: s.bind(("127.0.0.1", 0, 0))),
    ("bind host int", lambda: s.bind((127, 0))),
    ("bind host NUL", lambda: s.bind(("127.0.0.1\x00", 0))),
    ("bind ::1 on AF_INET", lambda: s.bind(("::1", 0))),
    ("bind 1.2.3.4", lambda: s.bind(("1.2.3.4", 0))),
    ("recv unconnected", lambda: s.recv(1)),
    ("send unconnected", lambda: s.send(b"x")),
    ("getpeername unconnected", s.getpeername),
    ("getsockname unbound", s.getsockname),
    ("accept not listening", s.accept),
    ("shutdown(5)", lambda: s.shutdown(5)),
    ("setsockopt bad option", lambda: s.setsockopt(socket.SOL_SOCKET, 9999, 1)),
    ("getsockopt SO_TYPE", lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)),
    ("getsockopt buflen 2000", lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE, 2000)),
    ("getsockopt SO_TYPE buflen 4", lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE, 4)),
    # C int arguments out of range, and buffer sizes CPython bounds.
    ("listen(2**31)", lambda: s.listen(2**31)),
    ("listen(-2**31-1)", lambda: s.listen(-2**31 - 1)),
    ("shutdown(2**31)", lambda: s.shutdown(2**31)),
    ("setsockopt(2**31, 1, 1)", lambda: s.setsockopt(2**31, 1, 1)),
    ("setsockopt(SOL_SOCKET, 2**31, 1)", lambda: s.setsockopt(socket.SOL_SOCKET, 2**31, 1)),
    ("setsockopt(SOL_SOCKET, SO_REUSEADDR, 2**31)", lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 2**31)),
    ("setsockopt(SOL_SOCKET, SO_REUSEADDR, -2**31-1)", lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, -2**31 - 1)),
    ("setsockopt(SOL_SOCKET, SO_REUSEADDR, 1.5)", lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1.5)),
    ("setsockopt(SOL_SOCKET, SO_REUSEADDR, None, -1)", lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, None, -1)),
    ("getsockopt(2**31, 1)", lambda: s.getsockopt(2**31, 1)),
    ("getsockopt(SOL_SOCKET, 2**31)", lambda: s.getsockopt(socket.SOL_SOCKET, 2**31)),
    ("getsockopt(SOL_SOCKET, SO_TYPE, 2**31)", lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE, 2**31)),
    ("getsockopt(SOL_SOCKET, SO_TYPE, -1)", lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE, -1)),
    ("recvmsg(1, 2**31)", lambda: s.recvmsg(1, 2**31)),
    ("sendmsg ancillary level 2**31", lambda: s.sendmsg([b"x"], [(2**31, 1, b"")])),
    ("sendmsg flags 2**31", lambda: s.sendmsg([b"x"], [], 2**31)),
    ("bind ('', 0)", lambda: s.bind(("", 0))),
    ("getsockname after bind", lambda: s.getsockname()[0]),
    ("bind twice", lambda: s.bind(("127.0.0.1", 0))),
    ("get_inheritable", s.get_inheritable),
]:
    show(label, fn)
s.close()
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
show("v6 repr", lambda: repr(s6))
show("v6 bind 127.0.0.1", lambda: s6.bind(("127.0.0.1", 0)))
show("v6 bind 5-tuple", lambda: s6.bind(("::1", 0, 0, 0, 0)))
show("v6 bind flowinfo -1", lambda: s6.bind(("::1", 0, -1)))
show("v6 bind ::1", lambda: s6.bind(("::1", 0, 0, 0)))
show("v6 getsockname", s6.getsockname)
s6.close()
show("socket(999)", lambda: socket.socket(999))
show("socket(AF_INET, 999)", lambda: socket.socket(socket.AF_INET, 999))
