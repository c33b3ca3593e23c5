"""The CPython servers pysock-bench compares: python3 servers.py KIND [ROLE]

KIND is threads (thread per connection, blocking), threads-timeout
(settimeout(5.0) on every connection), selectors (one thread, epoll) or
socketserver (ThreadingTCPServer with an echo BaseRequestHandler). ROLE is
echo (the default), down or up, as in servers.go: down reads an 8-byte
big-endian size and sendall()s that many bytes in 64 KiB chunks; up reads
the size, recv_into()s that many bytes and answers one byte; both then wait
for EOF. selectors and socketserver are echo only.
Prints "READY <port>" and serves until killed."""
import selectors
import socket
import socketserver
import struct
import sys
import threading


def serve_role(conn, role):
    buf = bytearray(65536)
    view = memoryview(buf)
    if role == "echo":
        while True:
            n = conn.recv_into(buf)
            if not n:
                return
            conn.sendall(view[:n])
    got = 0
    while got < 8:
        n = conn.recv_into(view[got:])
        if not n:
            return
        got += n
    (total,) = struct.unpack(">Q", buf[:8])
    if role == "down":
        sent = 0
        while sent < total:
            n = min(len(buf), total - sent)
            conn.sendall(view[:n])
            sent += n
    elif role == "up":
        recvd = got - 8
        while recvd < total:
            n = conn.recv_into(buf)
            if not n:
                return
            recvd += n
        conn.sendall(view[:1])
    while conn.recv_into(buf):
        pass


def handle(conn, role, timeout):
    if timeout is not None:
        conn.settimeout(timeout)
    try:
        serve_role(conn, role)
    except OSError:
        pass
    finally:
        conn.close()


def threads(srv, role, timeout):
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handle, args=(conn, role, timeout), daemon=True).start()


def selectors_server(srv):
    sel = selectors.DefaultSelector()
    srv.setblocking(False)
    sel.register(srv, selectors.EVENT_READ, None)
    pending = {}
    while True:
        for key, mask in sel.select():
            if key.data is None:
                try:
                    while True:
                        conn, _ = srv.accept()
                        conn.setblocking(False)
                        sel.register(conn, selectors.EVENT_READ, conn)
                except BlockingIOError:
                    pass
                continue
            conn = key.data
            try:
                if conn in pending:
                    if mask & selectors.EVENT_WRITE:
                        n = conn.send(pending[conn])
                        pending[conn] = pending[conn][n:]
                        if not pending[conn]:
                            del pending[conn]
                            sel.modify(conn, selectors.EVENT_READ, conn)
                    continue
                data = conn.recv(65536)
                if not data:
                    sel.unregister(conn)
                    conn.close()
                    continue
                n = conn.send(data)
                if n < len(data):
                    pending[conn] = data[n:]
                    sel.modify(conn, selectors.EVENT_WRITE, conn)
            except BlockingIOError:
                pass
            except OSError:
                sel.unregister(conn)
                pending.pop(conn, None)
                conn.close()


class EchoHandler(socketserver.BaseRequestHandler):
    def handle(self):
        while data := self.request.recv(65536):
            self.request.sendall(data)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    request_queue_size = 4096


kind = sys.argv[1]
role = sys.argv[2] if len(sys.argv) > 2 else "echo"
if role != "echo" and kind in ("selectors", "socketserver"):
    sys.exit("%s is an echo server only" % kind)
if kind == "socketserver":
    with Server(("127.0.0.1", 0), EchoHandler) as server:
        print("READY %d" % server.server_address[1], flush=True)
        server.serve_forever()
srv = socket.create_server(("127.0.0.1", 0), backlog=4096)
print("READY %d" % srv.getsockname()[1], flush=True)
if kind == "threads":
    threads(srv, role, None)
elif kind == "threads-timeout":
    threads(srv, role, 5.0)
elif kind == "selectors":
    selectors_server(srv)
else:
    sys.exit("unknown kind " + kind)
