"""C4: socket_echo_server_uds.py with socket_echo_client_uds.py (empty peer
address), then the client's errors: a stale node and a missing node."""
import os
import tempfile

import _pymotw as p
from _programs import print_lines, server_client
from _transcript import out, register_sub

tmp = tempfile.mkdtemp()
register_sub(tmp, "<tmp>")
path = os.path.join(tmp, "uds_socket")
lines = server_client(lambda out, path, ready: p.uds_server(out, path, ready, connections=1),
                      (path,), [("client", p.uds_client, lambda port: (path,))])
print_lines("server", lines)
lines = []
out("stale node: exit %d" % p.uds_client(lines.append, path))
print_lines("stale node", lines)
os.unlink(path)
lines = []
out("missing node: exit %d" % p.uds_client(lines.append, path))
print_lines("missing node", lines)
os.rmdir(tmp)
