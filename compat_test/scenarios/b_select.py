"""B3: select_echo_server.py with select_echo_multiclient.py. The client
transcript is exact; for the server, the multiset of lines other than
'waiting for the next event' (their grouping varies from run to run) and
'queue empty' (a socket that receives again before its queue-empty round
skips that line, so the count depends on timing)."""
import _pymotw as p
from _programs import server_client
from _transcript import norm, out

lines = server_client(lambda out, host, port, ready: p.select_echo_server(out, host, port, ready, clients=2),
                      ("localhost", 0), [("client", p.select_echo_multiclient, lambda port: ("localhost", port))])
for line in sorted(norm(l) for l in lines if l != "waiting for the next event" and not l.endswith(" queue empty")):
    out("server line: %s" % line)
