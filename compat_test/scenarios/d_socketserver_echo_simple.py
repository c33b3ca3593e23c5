"""D2: socketserver_echo_simple.py: TCPServer with a handle()-only
BaseRequestHandler; the program as PyMOTW runs it (exact: only the main
thread prints), then the client half against the server half that serves
one request with handle_request() (the server prints nothing)."""
import _pymotw_socketserver as p
from _programs import print_lines, server_client

lines = []
p.socketserver_echo_simple(lines.append, "localhost", 0)
print_lines("program", lines)

srv = server_client(lambda out, host, port, ready: p.socketserver_echo_simple_server(out, host, port, ready, requests=1),
                    ("localhost", 0), [("client", p.socketserver_echo_simple_client, lambda port: ("localhost", port))])
print_lines("server", srv)
