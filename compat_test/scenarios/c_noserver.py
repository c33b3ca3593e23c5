"""C6: socket_echo_client.py with no server: ConnectionRefusedError(111)."""
import socket

import _pymotw as p
from _programs import print_lines
from _transcript import show

dead = socket.socket()
dead.bind(("127.0.0.1", 0))
port = dead.getsockname()[1]
dead.close()
lines = []
show("echo_client with no server", lambda: p.echo_client(lines.append, "localhost", port))
print_lines("client", lines)
