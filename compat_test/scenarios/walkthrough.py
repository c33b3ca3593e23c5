"""PyMOTW-3's nonblocking page (nonblocking.rst) walked through: examples/nonblocking."""
import _pymotw as p
from _programs import print_lines

lines = []
p.nonblocking_walkthrough(lines.append)
print_lines("walkthrough", lines)
