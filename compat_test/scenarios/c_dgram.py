"""C3: socket_echo_server_dgram.py with socket_echo_client_dgram.py (exact)."""
import _pymotw as p
from _programs import print_lines, server_client

lines = server_client(lambda out, host, port, ready: p.dgram_server(out, host, port, ready, datagrams=1),
                      ("localhost", 0), [("client", p.dgram_client, lambda port: ("localhost", port))])
print_lines("server", lines)
