"""B6: selectors_echo_server.py with selectors_echo_client.py. How the
select rounds group the events (and so the 'waiting for I/O', 'ready to'
and chunking lines) depends on timing in CPython too; the transcript keeps
what does not: each side's first and last lines, what the client sent in
order, and the bytes each side received in total.

The upstream pair is racy (docs/pymotw.md, selectors): the client
stops after its first non-empty read, so when the server happens to read
the two parts separately the client leaves early and the server fails. The
exchange is retried (up to 10 times) until a run completes, and that run is
printed; the Go twin does the same."""
import _pymotw as p
from _programs import server_client
from _transcript import out

MESSAGE = "b'This is the message.  It will be repeated.'"


def received(lines):
    """The received reprs joined (b'ab' + b'cd' -> "b'abcd'"; no quotes in the data)."""
    return "b'%s'" % "".join(l.split("received ", 1)[1][2:-1] for l in lines if l.startswith("  received "))


def attempt():
    client_lines = []

    def client(out_, host, port):
        p.selectors_echo_client(client_lines.append, host, port)

    errors = []
    server_lines = server_client(p.selectors_echo_server, ("localhost", 0),
                                 [("client", client, lambda port: ("localhost", port))], quiet=errors)
    return client_lines, server_lines, errors


for _ in range(10):
    client_lines, server_lines, errors = attempt()
    if not errors and received(client_lines) == MESSAGE and server_lines[-1] == "shutting down":
        break

for label, lines in (("client", client_lines), ("server", server_lines)):
    out("%s first: %s" % (label, lines[0]))
    for l in lines:
        if l.startswith("  sending "):
            out("%s: %s" % (label, l))
    out("%s received in total: %s" % (label, received(lines)))
    out("%s last: %s" % (label, lines[-1]))
