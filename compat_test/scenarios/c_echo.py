"""C1, C2: socket_echo_server.py with socket_echo_client.py and
socket_echo_client_easy.py; both transcripts exact (16/16/10 chunks)."""
import _pymotw as p
from _programs import print_lines, server_client

lines = server_client(lambda out, host, port, ready: p.echo_server(out, host, port, ready, connections=2),
                      ("localhost", 0), [
                          ("client", p.echo_client, lambda port: ("localhost", port)),
                          ("easy client", p.echo_client_easy, lambda port: ("localhost", port)),
                      ])
print_lines("server", lines)
