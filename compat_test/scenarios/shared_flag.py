"""The O_NONBLOCK flag is the file description's: a socket made
non-blocking (or given a timeout) makes its dup, fromfd and fileno=
siblings' blocking calls fail with BlockingIOError instead of waiting,
though their own mode still says blocking; setting one blocking again
makes them wait again."""
import fcntl
import os
import socket
import threading

from _transcript import T, show, timed


def nonblock(s):
    return bool(fcntl.fcntl(s.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK)


a, b = socket.socketpair()
d = a.dup()
d.setblocking(False)
show("dup non-blocking: recv", lambda: a.recv(1))
show("dup non-blocking: mode and flag", lambda: (a.getblocking(), a.gettimeout(), nonblock(a)))
d.setblocking(True)
threading.Timer(T, lambda: b.send(b"x")).start()
timed("dup blocking again: recv waits", lambda: a.recv(1))
d.settimeout(5)
show("dup with a timeout: recv", lambda: a.recv(1))
show("dup with a timeout: recv_into", lambda: a.recv_into(bytearray(1)))
show("dup with a timeout: recvfrom", lambda: a.recvfrom(1))
show("dup with a timeout: recvmsg", lambda: a.recvmsg(1))
d.settimeout(T)
show("dup's own recv", lambda: d.recv(1))
d.close()
show("after the dup's close: flag", lambda: nonblock(a))
show("after the dup's close: recv", lambda: a.recv(1))
a.setblocking(True)
threading.Timer(T, lambda: b.send(b"y")).start()
timed("setblocking(True) on the socket: recv waits", lambda: a.recv(1))

f = socket.fromfd(a.fileno(), socket.AF_UNIX, socket.SOCK_STREAM)
f.setblocking(False)
show("fromfd non-blocking: recv", lambda: a.recv(1))
f.setblocking(True)
f.close()

s2 = socket.socket(fileno=a.fileno())
s2.settimeout(T)
show("fileno= with a timeout: recv", lambda: a.recv(1))
show("fileno= socket's own recv", lambda: s2.recv(1))
s2.setblocking(True)
s2.detach()

srv = socket.create_server(("127.0.0.1", 0))
sd = srv.dup()
sd.setblocking(False)
show("listener's dup non-blocking: accept", srv.accept)
sd.close()
# A full send buffer: the blocking send fails instead of waiting.
d = a.dup()
d.setblocking(False)
while True:
    try:
        d.send(b"z" * 65536)
    except BlockingIOError:
        break
show("dup non-blocking: send to a full buffer", lambda: a.send(b"z" * 65536))
show("dup non-blocking: sendall to a full buffer", lambda: a.sendall(b"z" * 65536))
d.close()
srv.close()
a.close()
b.close()
