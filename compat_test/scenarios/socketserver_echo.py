"""Every socketserver server class echoing one request through
handle_request: TCPServer and UnixStreamServer with a StreamRequestHandler,
UDPServer and UnixDatagramServer with a DatagramRequestHandler."""
import os
import socket
import socketserver
import tempfile

from _transcript import out, register_sub, show

tmp = tempfile.mkdtemp()
register_sub(tmp, "<tmp>")


class EchoStream(socketserver.StreamRequestHandler):
    def handle(self):
        out("stream handler: client_address=%r" % (self.client_address,))
        line = self.rfile.readline()
        out("stream handler: readline=%r" % line)
        n = self.wfile.write(line.upper())
        out("stream handler: write=%r" % n)
        out("stream handler: wfile.fileno matches=%r" % (self.wfile.fileno() == self.request.fileno()))


class EchoDgram(socketserver.DatagramRequestHandler):
    def handle(self):
        out("dgram handler: client_address=%r" % (self.client_address,))
        out("dgram handler: packet=%r" % self.packet)
        line = self.rfile.readline()
        out("dgram handler: readline=%r" % line)
        self.wfile.write(line.upper())


def stream(name, cls, family, addr):
    server = cls(addr, EchoStream)
    out("%s: server_address=%r" % (name, server.server_address))
    out("%s: fileno matches=%r" % (name, server.fileno() == server.socket.fileno()))
    with socket.socket(family, socket.SOCK_STREAM) as c:
        c.connect(server.server_address)
        c.sendall(b"hello stream\nnot read\n")
        show("%s: handle_request" % name, server.handle_request)
        data = b""
        while True:
            chunk = c.recv(1024)
            if not chunk:
                break
            data += chunk
        out("%s: client got %r" % (name, data))
    server.server_close()
    out("%s: fileno after server_close=%r" % (name, server.socket.fileno()))


def dgram(name, cls, family, addr, client_addr):
    server = cls(addr, EchoDgram)
    out("%s: server_address=%r" % (name, server.server_address))
    with socket.socket(family, socket.SOCK_DGRAM) as c:
        if client_addr is not None:
            c.bind(client_addr)
        c.sendto(b"hello dgram\nsecond line\n", server.server_address)
        show("%s: handle_request" % name, server.handle_request)
        data, addr = c.recvfrom(1024)
        out("%s: client got %r from %r" % (name, data, addr))
    server.server_close()
    out("%s: fileno after server_close=%r" % (name, server.socket.fileno()))


stream("TCPServer", socketserver.TCPServer, socket.AF_INET, ("127.0.0.1", 0))
stream("UnixStreamServer", socketserver.UnixStreamServer, socket.AF_UNIX, os.path.join(tmp, "stream"))
dgram("UDPServer", socketserver.UDPServer, socket.AF_INET, ("127.0.0.1", 0), None)
dgram("UnixDatagramServer", socketserver.UnixDatagramServer, socket.AF_UNIX,
      os.path.join(tmp, "dgram"), os.path.join(tmp, "client"))
for f in ("stream", "dgram", "client"):
    os.unlink(os.path.join(tmp, f))
os.rmdir(tmp)
