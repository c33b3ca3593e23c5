"""B1: socket_multicast_sender.py with no receivers: the settimeout(0.2)
path, exact transcript, and the wait is about 0.2 s."""
import time

import _pymotw as p
from _programs import print_lines
from _transcript import bucket, out

lines = []
start = time.monotonic()
p.multicast_sender(lines.append, "224.3.29.71", 10000, timeout=0.2)
out("elapsed %s" % bucket(time.monotonic() - start, 0.2))
print_lines("sender", lines)
