"""Every public name of CPython's socket, select and selectors modules and
of their objects, one qualified name per line (python3 docs/testdata/gen_names.py
> docs/testdata/python-names.txt). TestDocsCoverEveryName fails if one has
no row in docs/*.md."""
import select
import selectors
import socket

IMPORTED = {"array", "errno", "io", "os", "selectors", "sys", "IntEnum", "IntFlag",
            "ABCMeta", "Mapping", "abstractmethod", "math", "namedtuple", "select"}


def public(obj):
    return [n for n in dir(obj) if not n.startswith("_") and n not in IMPORTED]


names = set()
for n in public(socket):
    names.add("socket." + n)
for n in public(socket.socket):
    names.add("socket.socket." + n)
for n in public(select):
    names.add("select." + n)
p = select.poll()
for n in public(p):
    names.add("select.poll." + n)
for n in public(select.epoll):
    names.add("select.epoll." + n)
for n in public(selectors):
    names.add("selectors." + n)
for n in public(selectors.BaseSelector):
    names.add("selectors.BaseSelector." + n)
for n in ("fileobj", "fd", "events", "data"):
    names.add("selectors.SelectorKey." + n)
print("\n".join(sorted(names)))
