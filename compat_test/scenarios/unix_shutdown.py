"""A send waiting for room on an AF_UNIX socket when the socket's own
shutdown(SHUT_WR) comes: in blocking mode the kernel wakes it and it fails
with BrokenPipeError after sending a part (send, sendall, sendmsg; stream,
seqpacket and datagram sockets), and SHUT_RD leaves it waiting; in timeout
mode poll(2) sees no event and the send times out after ≈T. The peer's
shutdown(SHUT_RD) shuts a stream or seqpacket socket's sending side: it
wakes the blocking send too (BrokenPipeError), not a datagram one. And when the
peer closes with data unread: the waiting send reports the socket's
pending error (ConnectionResetError), not the shutdown (BrokenPipeError)
that a send which did not wait reports. The peer need not be the other end
of a socketpair: an end connected through a path and its accepted end
behave the same."""
import os
import socket
import tempfile
import threading
import time

from _transcript import T, out, show


PATH = "AF_UNIX(path)"


def pair(family, kind):
    if family == socket.AF_UNIX:
        return socket.socketpair(family, kind)
    if family == PATH:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "s")
            srv = socket.socket(socket.AF_UNIX, kind)
            srv.bind(path)
            srv.listen()
            a = socket.socket(socket.AF_UNIX, kind)
            a.connect(path)
            b, _ = srv.accept()
            srv.close()
            return a, b
    srv = socket.create_server(("127.0.0.1", 0))
    a = socket.create_connection(srv.getsockname())
    b, _ = srv.accept()
    srv.close()
    return a, b


def blocked_send(kind, mode, how, call, family=socket.AF_UNIX):
    a, b = pair(family, kind)
    a.settimeout(mode)
    result = []

    def sender():
        sent = 0
        start = time.monotonic()
        try:
            while True:
                if call == "send":
                    sent += a.send(b"x" * 4096)
                elif call == "sendmsg":
                    sent += a.sendmsg([b"x" * 2048, b"y" * 2048])
                else:
                    a.sendall(b"x" * (64 << 10))
                    sent += 64 << 10
        except OSError as e:
            elapsed = time.monotonic() - start - T / 3
            result.append("%s errno=%r sent>0=%r elapsed=%s" % (
                type(e).__name__, e.errno, sent > 0, "~0" if elapsed < T / 2 else "≈T" if elapsed < 1.9 * T else "off"))

    th = threading.Thread(target=sender)
    th.start()
    time.sleep(T / 3)
    if how is None:
        b.close()
    elif isinstance(how, tuple):
        b.shutdown(how[1])  # ("peer", how): the peer's shutdown
    else:
        a.shutdown(how)
    th.join(3 * T)
    label = "%s %s %s mode=%r %s" % (family if family == PATH else family.name, kind.name, call, mode,
                                     "peer close" if how is None else
                                     "peer shutdown(%d)" % how[1] if isinstance(how, tuple) else
                                     "shutdown(%d)" % how)
    if th.is_alive():
        out("%s = still waiting" % label)
        b.close()  # the peer's close ends the wait
        th.join()
        out("%s then the peer's close = %s" % (label, result[0]))
    else:
        out("%s = %s" % (label, result[0]))
    a.close()
    b.close()


for kind in (socket.SOCK_STREAM, socket.SOCK_SEQPACKET, socket.SOCK_DGRAM):
    blocked_send(kind, None, socket.SHUT_WR, "send")
blocked_send(socket.SOCK_STREAM, None, socket.SHUT_WR, "sendall")
blocked_send(socket.SOCK_STREAM, None, socket.SHUT_WR, "sendmsg")
blocked_send(socket.SOCK_STREAM, None, socket.SHUT_RDWR, "send")
blocked_send(socket.SOCK_STREAM, None, socket.SHUT_RD, "send")
blocked_send(socket.SOCK_DGRAM, None, socket.SHUT_RD, "send")
blocked_send(socket.SOCK_STREAM, T, socket.SHUT_WR, "send")
blocked_send(socket.SOCK_STREAM, T, socket.SHUT_WR, "sendall")
blocked_send(socket.SOCK_SEQPACKET, T, socket.SHUT_WR, "send")

PEER_RD = ("peer", socket.SHUT_RD)
for kind in (socket.SOCK_STREAM, socket.SOCK_SEQPACKET, socket.SOCK_DGRAM):
    blocked_send(kind, None, PEER_RD, "send")
blocked_send(socket.SOCK_STREAM, None, PEER_RD, "sendall")
blocked_send(socket.SOCK_STREAM, T, PEER_RD, "send")
blocked_send(socket.SOCK_STREAM, None, PEER_RD, "send", PATH)
blocked_send(socket.SOCK_SEQPACKET, None, PEER_RD, "send", PATH)
blocked_send(socket.SOCK_STREAM, None, PEER_RD, "sendall", PATH)

for kind in (socket.SOCK_STREAM, socket.SOCK_SEQPACKET, socket.SOCK_DGRAM):
    blocked_send(kind, None, None, "send")
blocked_send(socket.SOCK_STREAM, None, None, "sendall")
blocked_send(socket.SOCK_STREAM, None, None, "send", socket.AF_INET)
blocked_send(socket.SOCK_STREAM, T, None, "send")

# After the shutdown, a send fails at once.
a, b = socket.socketpair()
a.shutdown(socket.SHUT_WR)
show("send after shutdown(SHUT_WR)", lambda: a.send(b"x"))
a.close()
b.close()
# A send that does not wait after the peer closed with data unread.
a, b = socket.socketpair()
a.send(b"unread")
b.close()
show("send after the peer's close", lambda: a.send(b"x"))
show("then recv", lambda: a.recv(10))
a.close()
