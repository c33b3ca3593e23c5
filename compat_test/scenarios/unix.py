"""AF_UNIX (filesystem paths, abstract names, autobind, SEQPACKET, DGRAM),
SOCK_RAW and AF_PACKET where the kernel allows, and family/type
errors."""
import os
import socket
import tempfile

from _transcript import register_sub, show

d = tempfile.mkdtemp()
register_sub(d, "<tmp>")
p = os.path.join(d, "s.sock")
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(p)
s.listen()
show("listener repr", lambda: repr(s))
show("getsockname", s.getsockname)
c = socket.socket(socket.AF_UNIX)
c.connect(p)
a, addr = s.accept()
show("accept address", lambda: addr)
show("accepted repr", lambda: repr(a))
show("client getpeername", c.getpeername)
show("client getsockname", c.getsockname)
show("bind in use", lambda: socket.socket(socket.AF_UNIX).bind(p))
b = socket.socket(socket.AF_UNIX)
b.bind(os.path.join(d, "b.sock").encode())
show("bind bytes path -> str", b.getsockname)
ab = socket.socket(socket.AF_UNIX)
ab.bind("\0pysock-abstract-scenario")
show("abstract getsockname", ab.getsockname)
show("abstract repr", lambda: repr(ab))
au = socket.socket(socket.AF_UNIX)
au.bind("")
show("autobind", lambda: (type(au.getsockname()).__name__, au.getsockname()[:1], len(au.getsockname())))
show("path too long", lambda: socket.socket(socket.AF_UNIX).bind("x" * 200))
show("bind int", lambda: socket.socket(socket.AF_UNIX).bind(5))
for x in (s, c, a, b, ab, au):
    x.close()

sp = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
sp.bind(os.path.join(d, "q"))
sp.listen()
q = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
q.connect(os.path.join(d, "q"))
qa, _ = sp.accept()
q.send(b"one")
q.send(b"two")
show("seqpacket keeps boundaries", lambda: qa.recv(100))
show("seqpacket truncation flag", lambda: qa.recvmsg(2)[0::2])
show("seqpacket family/type", lambda: (qa.family, qa.type))
for x in (sp, q, qa):
    x.close()

u1 = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
u1.bind(os.path.join(d, "u1"))
u2 = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
u2.bind(os.path.join(d, "u2"))
u2.sendto(b"dg", os.path.join(d, "u1"))
show("unix dgram recvfrom", lambda: u1.recvfrom(10))
u3 = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
u3.sendto(b"anon", os.path.join(d, "u1"))
show("from an unbound sender", lambda: u1.recvfrom(10))
for x in (u1, u2, u3):
    x.close()



def privileged(label, family, typ, proto, attr):
    """Raw sockets need CAP_NET_RAW: print the result, or that it is not permitted here."""
    try:
        r = socket.socket(family, typ, proto)
    except PermissionError:
        show(label, lambda: "not permitted here")
        return
    show(label, lambda: repr(getattr(r, attr)))
    r.close()


privileged("SOCK_RAW ICMP type", socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP, "type")
privileged("AF_PACKET family", socket.AF_PACKET, socket.SOCK_RAW, 0, "family")
privileged("AF_NETLINK family", socket.AF_NETLINK, socket.SOCK_RAW, 0, "family")
show("unknown family", lambda: socket.socket(12345))
show("unknown type", lambda: socket.socket(socket.AF_INET, 12345))
for f in os.listdir(d):
    os.unlink(os.path.join(d, f))
os.rmdir(d)
