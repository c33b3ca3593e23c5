"""O_NONBLOCK and SO_RCVTIMEO / SO_SNDTIMEO changed through a socket's
number, behind the socket object (fcntl on fileno(), a C library, another
process): the calls are the kernel's, which reads them when it would
wait. With O_NONBLOCK set, a blocking-mode socket's calls fail with
BlockingIOError (a stream send returns its part, connect raises 115)
while its mode still says blocking; with it cleared, a non-blocking-mode
socket's calls wait; the options bound the wait. (Here a sibling made
from a dup of the number sets the options; the Go port sets them with
x/sys/unix on Fileno().)"""
import fcntl
import os
import socket
import struct
import threading

from _transcript import T, show, timed

TV = struct.pack("ll", 0, int(T * 1e6))


def setflag(s, on):
    fl = fcntl.fcntl(s.fileno(), fcntl.F_GETFL)
    fcntl.fcntl(s.fileno(), fcntl.F_SETFL, (fl | os.O_NONBLOCK) if on else (fl & ~os.O_NONBLOCK))


def flag(s):
    return bool(fcntl.fcntl(s.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK)


def setopt(s, opt):
    sib = socket.socket(fileno=os.dup(s.fileno()))
    sib.setsockopt(socket.SOL_SOCKET, opt, TV)
    sib.close()


# A blocking-mode socket whose flag was set through its number.
a, b = socket.socketpair()
setflag(a, True)
show("mode and flag", lambda: (a.gettimeout(), a.getblocking(), flag(a)))
show("recv", lambda: a.recv(10))
show("recv_into", lambda: a.recv_into(bytearray(10)))
show("recvfrom", lambda: a.recvfrom(10))
show("recvmsg", lambda: a.recvmsg(10))
show("makefile('rb').read(5)", lambda: a.makefile("rb").read(5))
b.send(b"xy")
show("recv(10, MSG_WAITALL) with 2 bytes", lambda: a.recv(10, socket.MSG_WAITALL))
big = b"x" * (10 << 20)
show("send 10 MiB: 0 < n < 10 MiB", lambda: 0 < a.send(big) < len(big))
show("send again", lambda: a.send(big))
show("sendall", lambda: a.sendall(big))
b.setblocking(False)
while True:
    try:
        b.recv(1 << 20)
    except BlockingIOError:
        break
b.setblocking(True)
show("sendall with room", lambda: a.sendall(b"z" * 10))
show("recv what was sent", lambda: b.recv(10))
d = a.dup()  # Lib/socket.py's dup() gives the copy its timeout: settimeout(None)
show("dup() clears the shared flag", lambda: flag(a))
d.close()
setflag(a, True)
a.setblocking(True)
show("setblocking(True) clears the flag", lambda: flag(a))
threading.Timer(T, lambda: b.send(b"w")).start()
timed("then recv waits", lambda: a.recv(10))

srv = socket.create_server(("127.0.0.1", 0))
setflag(srv, True)
show("listener: accept", srv.accept)
c = socket.socket()
setflag(c, True)
show("connect", lambda: c.connect(srv.getsockname()))
show("connect's mode", lambda: (c.gettimeout(), c.getblocking()))
srv.setblocking(True)  # clears the flag: wait for the connection
conn, _ = srv.accept()
show("the connection was made", lambda: conn.getpeername() == c.getsockname())
conn.close()
c.close()

# A non-blocking-mode socket whose flag was cleared through its number.
x, y = socket.socketpair()
x.setblocking(False)
setflag(x, False)
show("non-blocking mode, flag cleared: mode and flag", lambda: (x.gettimeout(), x.getblocking(), flag(x)))
threading.Timer(T, lambda: y.send(b"late")).start()
timed("recv waits", lambda: x.recv(10))
setopt(x, socket.SO_RCVTIMEO)
timed("recv with SO_RCVTIMEO set through the number", lambda: x.recv(10))

# A non-blocking-mode stream send on a cleared flag sends everything, as
# a blocking one does (the peer reads in a thread), unless SO_SNDTIMEO ends it.
def reader(s, n, got):
    k = 0
    while k < n:
        d = s.recv(1 << 16)
        if not d:
            break
        k += len(d)
    got.append(k)


def send_read(label, u, v, call):
    got = []
    th = threading.Thread(target=reader, args=(v, len(big), got))
    th.start()
    show(label, call)
    th.join()
    show("the peer got", lambda: got[0])


u, v = socket.socketpair()
u.setblocking(False)
setflag(u, False)
send_read("non-blocking mode, flag cleared: send 10 MiB", u, v, lambda: u.send(big))
send_read("sendmsg 10 MiB", u, v, lambda: u.sendmsg([big[:4 << 20], big[4 << 20:]]))
setopt(u, socket.SO_SNDTIMEO)
timed("send 10 MiB with SO_SNDTIMEO, nobody reading: 0 < n < 10 MiB", lambda: 0 < u.send(big) < len(big))
setflag(u, True)
v.setblocking(False)
while True:
    try:
        if not v.recv(1 << 20):
            break
    except BlockingIOError:
        break
show("flag set again: send 10 MiB: 0 < n < 10 MiB", lambda: 0 < u.send(big) < len(big))
u.close()
v.close()
lsn = socket.create_server(("127.0.0.1", 0))
u = socket.create_connection(lsn.getsockname())
v, _ = lsn.accept()
lsn.close()
u.setblocking(False)
setflag(u, False)
send_read("TCP: send 10 MiB", u, v, lambda: u.send(big))
u.close()
v.close()

# Blocking mode, the options set through the number.
p, q = socket.socketpair()
setopt(p, socket.SO_RCVTIMEO)
timed("blocking mode: recv with SO_RCVTIMEO set through the number", lambda: p.recv(10))
setopt(p, socket.SO_SNDTIMEO)
timed("blocking mode: send 10 MiB with SO_SNDTIMEO: 0 < n < 10 MiB", lambda: 0 < p.send(big) < len(big))
timed("blocking mode: send again", lambda: p.send(big))
setopt(srv, socket.SO_RCVTIMEO)
setflag(srv, False)
timed("blocking listener: accept with SO_RCVTIMEO", srv.accept)
for s in (a, b, x, y, p, q, srv):
    s.close()
