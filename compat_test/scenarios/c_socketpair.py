"""C5: socket_socketpair.py, the child in a thread; each side's lines in
order (the interleaving of the two sides depends on scheduling)."""
import socket
import threading

import _pymotw as p
from _programs import print_lines

parent, child = socket.socketpair()
child_lines, parent_lines = [], []
t = threading.Thread(target=p.socketpair_child, args=(child_lines.append, child))
t.start()
p.socketpair_parent(parent_lines.append, parent)
t.join()
print_lines("parent", parent_lines)
print_lines("child", child_lines)
parent.close()
child.close()
