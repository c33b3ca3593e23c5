"""Runs one _pymotw (or _pymotw_socketserver) program on its own, for the cross-language tests:

    python3 _run_program.py NAME HOST PORT [N]

Lines go to stdout, normalised as in the goldens; a server writes
"READY <port>" to stderr once it listens."""
import sys

import _pymotw as p
import _pymotw_socketserver as ss
from _transcript import norm


def out(line):
    sys.stdout.write(norm(line) + "\n")
    sys.stdout.flush()


def ready(port):
    sys.stderr.write("READY %d\n" % port)
    sys.stderr.flush()


name, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = int(sys.argv[4]) if len(sys.argv) > 4 else 1
servers = {
    "echo_server": lambda: p.echo_server(out, host, port, ready, connections=n),
    "dgram_server": lambda: p.dgram_server(out, host, port, ready, datagrams=n),
    "select_echo_server": lambda: p.select_echo_server(out, host, port, ready, clients=n),
    "select_echo_server_timeout": lambda: p.select_echo_server(out, host, port, ready, clients=n, timeout=1),
    "poll_echo_server": lambda: p.poll_echo_server(out, host, port, ready, clients=n),
    "socketserver_echo_server": lambda: ss.socketserver_echo_server(out, host, port, ready, requests=n),
    "socketserver_echo_simple_server": lambda: ss.socketserver_echo_simple_server(out, host, port, ready, requests=n),
    "socketserver_threaded_server": lambda: ss.socketserver_threaded_server(out, host, port, ready, requests=n),
}
clients = {
    "echo_client": lambda: p.echo_client(out, host, port),
    "echo_client_easy": lambda: p.echo_client_easy(out, host, port),
    "dgram_client": lambda: p.dgram_client(out, host, port),
    "select_echo_multiclient": lambda: p.select_echo_multiclient(out, host, port),
    "select_echo_slow_client": lambda: p.select_echo_slow_client(out, host, port),
    "socketserver_echo_client": lambda: ss.socketserver_echo_client(out, host, port),
    "socketserver_echo_simple_client": lambda: ss.socketserver_echo_simple_client(out, host, port),
    "socketserver_threaded_client": lambda: ss.socketserver_threaded_client(out, host, port),
}
(servers.get(name) or clients[name])()
