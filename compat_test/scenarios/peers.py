"""Peers misbehaving: a reset (SO_LINGER 0) and the sequence
after it, writing to a closed peer (EPIPE, no SIGPIPE), half-close, and a
peer that stops reading (sendall with a timeout raises after ≈T)."""
import socket
import struct

from _transcript import T, show, timed


def tcp_pair():
    srv = socket.create_server(("127.0.0.1", 0))
    c = socket.create_connection(srv.getsockname())
    s, _ = srv.accept()
    srv.close()
    return c, s


# Reset: the peer closes with SO_LINGER {on, 0}.
c, s = tcp_pair()
c.sendall(b"unread")
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
show("recv after RST", lambda: c.recv(10))
show("recv again", lambda: c.recv(10))
show("send after RST", lambda: c.send(b"x"))
show("getpeername after RST", c.getpeername)
c.close()

# Writing to a closed peer: the first send succeeds, the next get EPIPE.
c, s = tcp_pair()
s.close()
show("first send to closed peer", lambda: c.send(b"hello"))
show("recv (RST came back)", lambda: c.recv(10))
show("send again", lambda: c.send(b"x"))
show("sendall", lambda: c.sendall(b"x" * 100))
c.close()

# Half-close: shutdown(SHUT_WR) gives the peer EOF; it can still answer.
c, s = tcp_pair()
c.sendall(b"question")
c.shutdown(socket.SHUT_WR)
show("peer reads", lambda: s.recv(100))
show("peer reads EOF", lambda: s.recv(100))
s.sendall(b"answer")
show("answer after half-close", lambda: c.recv(100))
show("send after SHUT_WR", lambda: c.send(b"x"))
s.close()
show("EOF", lambda: c.recv(100))
c.close()

# A peer that stops reading: sendall with a timeout raises after ≈T.
c, s = tcp_pair()
c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
c.settimeout(T)
data = b"x" * (16 << 20)
timed("sendall 16 MiB to a stalled peer", lambda: c.sendall(data))
c.setblocking(False)
show("nonblocking send to the stalled peer", lambda: c.send(b"x" * (1 << 20)))
c.close()
s.close()
