"""B2: socket_multicast_sender.py with two loopback receivers: two acks,
then the timeout lines; each receiver's transcript."""
import queue
import socket
import threading

import _pymotw as p
from _programs import print_lines

GROUP = "224.3.29.71"
probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
probe.bind(("", 0))
port = probe.getsockname()[1]
probe.close()
ready = queue.Queue()
outs = [[], []]
threads = [threading.Thread(target=p.multicast_receiver, args=(o.append, GROUP, port, ready.put)) for o in outs]
for t in threads:
    t.start()
for _ in threads:
    ready.get(timeout=10)
sender = []
p.multicast_sender(sender.append, GROUP, port, timeout=0.5)
for t in threads:
    t.join(10)
print_lines("sender", sender)
for i, o in enumerate(outs):
    print_lines("receiver", o)
