"""Runs the _pymotw programs in threads and collects their output, for the
B and C scenarios (the Go twin is ports/programs.go)."""
import queue
import threading

from _transcript import out


def server_client(server, server_args, clients, quiet=None):
    """Starts server(out, *server_args, ready) in a thread, runs each
    (label, client, args) in turn once it listens, then prints the server's
    lines and each client's lines under their labels. Returns the server
    lines (for scenarios that print them their own way). With quiet (a
    list), errors are appended to it and nothing is printed."""
    srv_lines = []
    ports = queue.Queue()
    errors = []

    def run_server():
        try:
            server(srv_lines.append, *server_args, ports.put)
        except Exception as e:  # noqa: BLE001
            errors.append(e)
            ports.put(None)

    t = threading.Thread(target=run_server)
    t.start()
    port = ports.get(timeout=30)
    outputs = []
    for label, client, args in clients:
        lines = []
        try:
            client(lines.append, *args(port))
        except Exception as e:  # noqa: BLE001
            lines.append("! %s: %s" % (type(e).__name__, e))
        outputs.append((label, lines))
    t.join(30)
    if quiet is not None:
        quiet.extend(errors)
        quiet.extend(l for _, lines in outputs for l in lines if l.startswith("! "))
        return srv_lines
    if errors:
        out("server ! %s: %s" % (type(errors[0]).__name__, errors[0]))
    for label, lines in outputs:
        for line in lines:
            out("%s: %s" % (label, line))
    return srv_lines


def print_lines(label, lines):
    for line in lines:
        out("%s: %s" % (label, line))


def collapse(lines, repeated):
    """Collapses runs of the line `repeated` into one (idle-wait counts vary)."""
    result = []
    for line in lines:
        if line == repeated and result and result[-1] == repeated:
            continue
        result.append(line)
    return result
