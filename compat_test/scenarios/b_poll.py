"""B5: select_poll_echo_server.py (poll(1000)) with the slow client: the
client is exact; the server's lines other than 'waiting for the next event'
(idle seconds add more) and 'queue empty', as a multiset; the POLLHUP branch
never runs for an orderly close on Linux."""
import _pymotw as p
from _programs import server_client
from _transcript import norm, out

lines = server_client(lambda out, host, port, ready: p.poll_echo_server(out, host, port, ready, clients=1),
                      ("localhost", 0), [("client", p.select_echo_slow_client, lambda port: ("localhost", port))])
kept = [l for l in lines if l != "waiting for the next event" and not l.endswith(" queue empty")]
for line in sorted(norm(l) for l in kept):
    out("server line: %s" % line)
out("HUP branch ran: %s" % any("(HUP)" in l for l in lines))
