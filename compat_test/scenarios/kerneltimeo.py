"""SO_RCVTIMEO and SO_SNDTIMEO in blocking mode: the kernel bounds a
blocking call's sleep by them. recv*, accept and a datagram send raise
BlockingIOError(11) after ≈T; a stream send returns its part; sendall
raises once one T passes without progress; connect raises 115, then 114,
while the connection goes on; timeout mode ignores both options."""
import os
import socket
import struct
import tempfile
import threading
import time

from _transcript import T, show, timed

TV = struct.pack("ll", 0, int(T * 1e6))
NONE = struct.pack("ll", 0, 0)

a, b = socket.socketpair()
a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, TV)
show("getsockopt SO_RCVTIMEO", lambda: a.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16) == TV)
show("mode", lambda: (a.gettimeout(), a.getblocking()))
timed("recv", lambda: a.recv(10))
timed("recv_into", lambda: a.recv_into(bytearray(10)))
timed("recvmsg", lambda: a.recvmsg(10))
b.send(b"xy")
timed("recv(10, MSG_WAITALL) with 2 bytes", lambda: a.recv(10, socket.MSG_WAITALL))
timed("makefile('rb').read(5)", lambda: a.makefile("rb").read(5))
timed("makefile('rb', 0).read(5)", lambda: a.makefile("rb", 0).read(5))
threading.Timer(T / 3, lambda: b.send(b"late")).start()
timed("recv, data before the time", lambda: a.recv(10))

# Two threads in recv on one socket: each has its own time.
results = []
threads = [threading.Thread(target=lambda: results.append(timed_call(a.recv, 10))) for _ in range(2)]


def timed_call(fn, *args):
    start = time.monotonic()
    try:
        r = fn(*args)
    except OSError as e:
        r = type(e).__name__
    return r, time.monotonic() - start < T * 1.9


for th in threads:
    th.start()
for th in threads:
    th.join()
show("two threads in recv", lambda: sorted(results))

# Sends.
a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, TV)
big = b"x" * (10 << 20)
timed("send 10 MiB to a peer that does not read: 0 < n < 10 MiB", lambda: 0 < a.send(big) < len(big))
timed("send again", lambda: a.send(big))
timed("sendall", lambda: a.sendall(big))
b.setblocking(False)
while True:
    try:
        b.recv(1 << 20)
    except BlockingIOError:
        break
b.setblocking(True)


def drain(n):
    got = 0
    while got < n:
        time.sleep(T / 6)
        got += len(b.recv(64 << 10))


data = b"y" * (1 << 20)
th = threading.Thread(target=drain, args=(len(data),))
th.start()
show("sendall to a slow reader (progress within each T)", lambda: a.sendall(data))
th.join()
a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, NONE)
a.settimeout(T)
a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 0, int(T * 1e5)))
timed("timeout mode ignores SO_RCVTIMEO", lambda: a.recv(10))
a.close()
b.close()

u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, TV)
timed("udp recvfrom", lambda: u.recvfrom(10))
u.close()

# accept, and what the accepted socket inherits.
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(0)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, TV)
timed("accept", srv.accept)
c = socket.create_connection(srv.getsockname())
s, _ = srv.accept()
show("accepted socket's SO_RCVTIMEO", lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16) == TV)
timed("accepted socket's recv", lambda: s.recv(10))
c.close()
s.close()

# connect to a listener whose queue is full: the SYN goes unanswered.
pending = []
for _ in range(3):
    p = socket.socket()
    p.setblocking(False)
    try:
        p.connect(srv.getsockname())
    except BlockingIOError:
        pass
    pending.append(p)
time.sleep(T / 3)
c = socket.socket()
c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, TV)
timed("connect", lambda: c.connect(srv.getsockname()))
timed("connect again", lambda: c.connect(srv.getsockname()))
timed("connect_ex", lambda: c.connect_ex(srv.getsockname()))
c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, NONE)
for p in pending:
    p.close()
# Accepting the queued connection makes room: c's next SYN gets in.
threading.Timer(T, lambda: srv.accept()[0].close()).start()
show("blocking connect waits for the connection in progress", lambda: c.connect(srv.getsockname()))
show("getpeername", lambda: c.getpeername() == srv.getsockname())
c.close()
srv.close()

# A negative time: the kernel keeps "do not wait", and getsockopt says 0.
srv = socket.create_server(("127.0.0.1", 0))
srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", -1, 0))
srv.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", -5, 0))
show("negative SO_RCVTIMEO reads as 0", lambda: srv.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16) == NONE)
timed("accept with a negative SO_RCVTIMEO", srv.accept)
c = socket.create_connection(srv.getsockname())
s, _ = srv.accept()
timed("inherited: recv", lambda: s.recv(1))


def send_until_full():
    n = 0
    try:
        while True:
            n += s.send(b"x" * 65536)
    except BlockingIOError as e:
        return n > 0, e.errno


timed("inherited: send until the buffer is full", send_until_full)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, NONE)
threading.Timer(T, lambda: socket.create_connection(srv.getsockname()).close()).start()
timed("accept waits again once the time is 0", lambda: srv.accept()[0].close())
c.close()
s.close()
srv.close()

# A time too large for nanoseconds in 64 bits: no limit in practice.
a, b = socket.socketpair()
a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 1759579576958933, 0))
threading.Timer(T, lambda: b.send(b"hi")).start()
timed("recv with a huge SO_RCVTIMEO", lambda: a.recv(10))
a.close()
b.close()

# AF_UNIX connect to a full queue.
path = os.path.join(tempfile.mkdtemp(), "s")
us = socket.socket(socket.AF_UNIX)
us.bind(path)
us.listen(0)
pending = []
for _ in range(2):
    p = socket.socket(socket.AF_UNIX)
    p.setblocking(False)
    try:
        p.connect(path)
    except BlockingIOError:
        pass
    pending.append(p)
c = socket.socket(socket.AF_UNIX)
c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, TV)
timed("unix connect to a full queue", lambda: c.connect(path))
c.close()
for p in pending:
    p.close()
us.close()
os.unlink(path)
os.rmdir(os.path.dirname(path))
