"""socketserver's ThreadingTCPServer: serve_forever in a thread with clients,
shutdown() while serving, server_close() waiting for the request threads
(block_on_close) and not waiting for daemon threads."""
import socket
import socketserver
import threading

from _transcript import T, out, show, timed


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        self.server.started.set()
        line = self.rfile.readline()
        self.wfile.write(line)


class Server(socketserver.ThreadingTCPServer):
    def __init__(self, *args):
        self.started = threading.Event()
        self.finished = threading.Event()
        super().__init__(*args)

    def shutdown_request(self, request):
        super().shutdown_request(request)
        self.finished.set()


def echo(addr, msg):
    with socket.create_connection(addr) as c:
        c.sendall(msg)
        data = b""
        while not data.endswith(b"\n"):
            chunk = c.recv(1024)
            if not chunk:
                break
            data += chunk
        return data


# serve_forever, three clients one after another, then shutdown while serving
server = Server(("127.0.0.1", 0), Echo)
out("block_on_close=%r daemon_threads=%r" % (server.block_on_close, server.daemon_threads))
result = []
t = threading.Thread(target=lambda: result.append(server.serve_forever(poll_interval=0.05)))
t.start()
for i in range(3):
    show("client %d" % i, lambda: echo(server.server_address, b"line %d\n" % i))
show("shutdown", server.shutdown)
t.join()
out("serve_forever returned %r" % result)
show("server_close", server.server_close)

# three clients at once: their threads are all in handle() together
server = Server(("127.0.0.1", 0), Echo)
t = threading.Thread(target=lambda: server.serve_forever(poll_interval=0.05))
t.start()
clients = [socket.create_connection(server.server_address) for i in range(3)]
for i, c in reversed(list(enumerate(clients))):
    c.sendall(b"together %d\n" % i)
    out("together %d: %r" % (i, c.recv(1024)))
    c.close()
server.shutdown()
t.join()
server.server_close()


def close_while_handling(daemon):
    server = Server(("127.0.0.1", 0), Echo)
    server.daemon_threads = daemon
    closed = threading.Event()
    with socket.create_connection(server.server_address) as c:
        show("daemon=%s handle_request" % daemon, server.handle_request)
        server.started.wait()
        closer = threading.Thread(target=lambda: (server.server_close(), closed.set()))
        closer.start()
        timed("daemon=%s server_close done" % daemon, lambda: closed.wait(T))
        c.sendall(b"late line\n")
        out("daemon=%s client got %r" % (daemon, c.recv(1024)))
        closer.join()
        out("daemon=%s server_close done=%r" % (daemon, closed.is_set()))
        server.finished.wait()
        out("daemon=%s handler finished=%r" % (daemon, server.finished.is_set()))


close_while_handling(False)
close_while_handling(True)
