"""socketserver's error paths: handle_request timeouts and
handle_timeout, verify_request refusing, handle_error's output on stderr
(the traceback's frames left out: the Go port has none), a handler's
timeout, errors from a request thread, and constructor errors."""
import io
import os
import re
import socket
import socketserver
import sys
import tempfile

from _transcript import T, out, register_sub, show, timed

tmp = tempfile.mkdtemp()
register_sub(tmp, "<tmp>")


def captured(label, fn):
    """Run fn with sys.stderr captured; print its lines, without the
    traceback's frames."""
    old = sys.stderr
    sys.stderr = buf = io.StringIO()
    try:
        show(label, fn)
    finally:
        sys.stderr = old
    for line in buf.getvalue().splitlines():
        if line.startswith("Traceback (most recent call last):") or line.startswith(" "):
            continue
        out("  stderr| " + re.sub(r"Thread-\d+", "Thread-<n>", line))


def client_eof(c):
    data = b""
    while True:
        chunk = c.recv(1024)
        if not chunk:
            return data
        data += chunk


class Noop(socketserver.BaseRequestHandler):
    def handle(self):
        out("handler called")


class TimeoutServer(socketserver.TCPServer):
    timeout = T

    def handle_timeout(self):
        out("handle_timeout called")


s = TimeoutServer(("127.0.0.1", 0), Noop)
timed("timeout attr: handle_request", s.handle_request)
s.timeout = None
s.socket.settimeout(T)
timed("socket timeout: handle_request", s.handle_request)
s.timeout = 30
timed("both (min): handle_request", s.handle_request)
s.server_close()


class Refusing(socketserver.TCPServer):
    shutdown_called = 0

    def verify_request(self, request, client_address):
        out("verify_request(%r)" % (client_address,))
        return False

    def shutdown_request(self, request):
        self.shutdown_called += 1
        super().shutdown_request(request)


s = Refusing(("127.0.0.1", 0), Noop)
with socket.create_connection(s.server_address) as c:
    show("refused: handle_request", s.handle_request)
    out("refused: client got %r" % client_eof(c))
out("refused: shutdown_called=%r" % s.shutdown_called)
s.server_close()


class Raising(socketserver.BaseRequestHandler):
    def handle(self):
        raise ValueError("Test error")


class RecvNegative(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.recv(-1)


class Empty(socketserver.BaseRequestHandler):
    def handle(self):
        raise KeyError("missing")


class TimesOut(socketserver.StreamRequestHandler):
    timeout = T

    def handle(self):
        out("timeout=%r gettimeout=%r" % (self.timeout, self.connection.gettimeout()))
        self.rfile.readline()


for name, handler in [("ValueError", Raising), ("recv(-1)", RecvNegative), ("KeyError", Empty),
                      ("handler timeout", TimesOut)]:
    s = socketserver.TCPServer(("127.0.0.1", 0), handler)
    with socket.create_connection(s.server_address) as c:
        captured("%s: handle_request" % name, s.handle_request)
        out("%s: client got %r" % (name, client_eof(c)))
    s.server_close()

path = os.path.join(tmp, "sock")
s = socketserver.UnixStreamServer(path, Raising)
with socket.socket(socket.AF_UNIX) as c:
    c.connect(path)
    captured("unix: handle_request", s.handle_request)
s.server_close()
os.unlink(path)


class Reraising(socketserver.ThreadingTCPServer):
    def handle_error(self, request, client_address):
        out("handle_error(%r)" % (client_address,))
        raise


s = Reraising(("127.0.0.1", 0), Raising)
with socket.create_connection(s.server_address) as c:
    captured("thread: handle_request and server_close", lambda: (s.handle_request(), s.server_close())[0])
    out("thread: client got %r" % client_eof(c))

show("port -1", lambda: socketserver.TCPServer(("127.0.0.1", -1), Noop))
s = socketserver.TCPServer(("127.0.0.1", 0), Noop)
show("address in use", lambda: socketserver.TCPServer(s.server_address, Noop))
show("bad request_queue_size", lambda: type("Q", (socketserver.TCPServer,), {"request_queue_size": "5"})(("127.0.0.1", 0), Noop))
s.server_close()
os.rmdir(tmp)
