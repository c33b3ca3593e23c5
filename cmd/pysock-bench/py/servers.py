"""The CPython echo servers pysock-bench compares: python3 servers.py KIND
with KIND threads (thread per connection, blocking), threads-timeout
(settimeout(5.0) on every connection) or selectors (one thread, epoll).
Prints "READY <port>" and serves until killed."""
import selectors
import socket
import sys
import threading


def handle(conn, timeout):
    if timeout is not None:
        conn.settimeout(timeout)
    buf = bytearray(65536)
    view = memoryview(buf)
    try:
        while True:
            n = conn.recv_into(buf)
            if not n:
                break
            conn.sendall(view[:n])
    except OSError:
        pass
    finally:
        conn.close()


def threads(srv, timeout):
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handle, args=(conn, timeout), daemon=True).start()


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


srv = socket.create_server(("127.0.0.1", 0), backlog=4096)
print("READY %d" % srv.getsockname()[1], flush=True)
kind = sys.argv[1]
if kind == "threads":
    threads(srv, None)
elif kind == "threads-timeout":
    threads(srv, 5.0)
elif kind == "selectors":
    selectors_server(srv)
else:
    sys.exit("unknown kind " + kind)
