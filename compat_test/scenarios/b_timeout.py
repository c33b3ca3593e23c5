"""B4: select_echo_server_timeout.py (select with timeout=1) with
select_echo_slow_client.py, the client started 1.3 s after the server.
The client is exact (stream coalescing: 'message.Part two'); the server's
lines other than 'waiting…', 'timed out…' and 'queue empty' as a multiset,
plus whether it timed out before the connection and between the parts (the
number of idle lines depends on timing)."""
import time

import _pymotw as p
from _programs import server_client
from _transcript import norm, out


def slow_client(out_, host, port):
    time.sleep(1.3)
    p.select_echo_slow_client(out_, host, port)


lines = server_client(lambda out, host, port, ready: p.select_echo_server(out, host, port, ready, clients=1, timeout=1),
                      ("localhost", 0), [("client", slow_client, lambda port: ("localhost", port))])
TIMED = "  timed out, do some other work here"
kept = [l for l in lines if l != "waiting for the next event" and l != TIMED and not l.endswith(" queue empty")]
for line in sorted(norm(l) for l in kept):
    out("server line: %s" % line)
conn = next(i for i, l in enumerate(lines) if l.startswith("  connection from"))
parts = [i for i, l in enumerate(lines) if l.startswith("  received ")]
out("timed out before the connection: %s" % (TIMED in lines[:conn]))
out("timed out between the parts: %s" % (len(parts) == 2 and TIMED in lines[parts[0]:parts[1]]))
