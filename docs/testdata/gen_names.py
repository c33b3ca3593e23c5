"""Every public name of CPython's socket, select, selectors and socketserver
modules and of their objects, one qualified name per line (python3 docs/testdata/gen_names.py
> docs/testdata/python-names.txt). TestDocsCoverEveryName fails if one has
no row in docs/*.md."""
import select
import selectors
import socket
import socketserver

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
# socketserver: the classes it defines, the names each class defines itself
# (inherited ones have their row under the class that defines them), and the
# instance attributes __init__ and setup() create.
for n in public(socketserver):
    obj = getattr(socketserver, n)
    if getattr(obj, "__module__", None) == "socketserver":
        names.add("socketserver." + n)
        for m in vars(obj):
            if not m.startswith("_"):
                names.add("socketserver.%s.%s" % (n, m))
for cls, attrs in (("BaseServer", ("server_address", "RequestHandlerClass")),
                   ("TCPServer", ("socket",)),
                   ("BaseRequestHandler", ("request", "client_address", "server")),
                   ("StreamRequestHandler", ("connection", "rfile", "wfile")),
                   ("DatagramRequestHandler", ("packet", "socket", "rfile", "wfile"))):
    for a in attrs:
        names.add("socketserver.%s.%s" % (cls, a))
print("\n".join(sorted(names)))
