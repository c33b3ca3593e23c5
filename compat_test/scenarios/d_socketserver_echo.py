"""D1: socketserver_echo.py, the logging EchoServer and EchoRequestHandler.

The program as PyMOTW runs it logs from two threads at once: the server
thread (serve_forever and every call it makes) and the main thread (the
client, which also calls server.shutdown()). How their lines interleave
varies, so the transcript prints each thread's lines in order: 'program
server' and 'program client' (the client's lines and 'EchoServer:
shutdown()'). EchoServer's __init__ and server_activate run in the main
thread before the server thread starts, and so come first in either order.

Then the halves the cross-language runs use: the server serving one request
with handle_request() and closing, and the client, each with its own lines.
The client may close before the server's close_request() formats the
request, and once both sides have closed the kernel forgets the peer
(getpeername fails, so the repr has no raddr); the transcript drops raddr
from that one line."""
import re

import _pymotw_socketserver as p
from _programs import print_lines, server_client


def from_main_thread(line):
    return line.startswith("client: ") or line == "EchoServer: shutdown()"


def without_close_raddr(line):
    if line.startswith("EchoServer: close_request("):
        return re.sub(r", raddr=\([^)]*\)", "", line)
    return line


lines = []
p.socketserver_echo(lines.append, "localhost", 0)
print_lines("program server", [l for l in lines if not from_main_thread(l)])
print_lines("program client", [l for l in lines if from_main_thread(l)])

srv = server_client(lambda out, host, port, ready: p.socketserver_echo_server(out, host, port, ready, requests=1),
                    ("localhost", 0), [("client", p.socketserver_echo_client, lambda port: ("localhost", port))])
print_lines("server", [without_close_raddr(l) for l in srv])
