"""A12 and the select/poll/epoll/selectors surface: readiness,
timeouts (≈T), results in the caller's objects, and CPython's errors."""
import math
import os
import select
import selectors
import socket
import threading

from _transcript import T, out, show, timed

a, b = socket.socketpair()
e, f = socket.socketpair()
f.close()  # e's peer is gone: readable (EOF) and writable
c = socket.socket()
c.close()  # fileno() == -1
names = {a.fileno(): "fd_a", b.fileno(): "fd_b", e.fileno(): "fd_e"}


def fds(lst):
    return [(names.get(fd, "?"), ev) for fd, ev in lst]


def which(lists):
    return tuple([names[x.fileno()] if hasattr(x, "fileno") else names[x] for x in l] for l in lists)


def stale_fd():
    d = socket.socket()
    n = d.fileno()
    d.close()
    return n


# select.select
show("select nothing ready", lambda: which(select.select([a], [], [], 0)))
show("select writable", lambda: which(select.select([a], [a, b], [], 0)))
timed("select(T) nothing ready", lambda: which(select.select([a], [], [], T)))
threading.Timer(T, lambda: b.send(b"late")).start()
timed("select(None) data after T", lambda: which(select.select([a], [], [], None)))
show("select readable", lambda: which(select.select([b, a], [], [a], 0)))
show("select same objects", lambda: select.select([a], [], [], 0)[0][0] is a)
show("select ints", lambda: which(select.select([a.fileno()], [], [], 0)))
show("drain", lambda: a.recv(100))
show("select empty lists", lambda: select.select([], [], [], 0))
show("select peer closed", lambda: which(select.select([e], [e], [e], 0)))
for label, t in [("-1", -1), ("-0.5", -0.5), ("'x'", "x"), ("nan", math.nan),
                 ("inf", math.inf), ("2**70", 2**70)]:
    show("select timeout " + label, lambda: select.select([a], [], [], t))
show("select [1024]", lambda: select.select([1024], [], [], 0))
show("select [-1]", lambda: select.select([-1], [], [], 0))
show("select ['x']", lambda: select.select(["x"], [], [], 0))
show("select [1.5]", lambda: select.select([1.5], [], [], 0))
show("select [2**40]", lambda: select.select([2**40], [], [], 0))
show("select closed socket", lambda: select.select([c], [], [], 0))
show("select stale fd", lambda: select.select([stale_fd()], [], [], 0))

# select.poll
p = select.poll()
show("poll register a POLLIN", lambda: p.register(a, select.POLLIN))
show("poll(0) nothing", lambda: fds(p.poll(0)))
timed("poll(T ms) nothing", lambda: fds(p.poll(T * 1000)))
b.send(b"y")
show("poll(0) ready", lambda: fds(p.poll(0)))
show("poll(None) ready", lambda: fds(p.poll(None)))
show("poll(-5) ready", lambda: fds(p.poll(-5)))
show("poll(1.5) ready", lambda: fds(p.poll(1.5)))
show("poll register b POLLOUT", lambda: p.register(b, select.POLLOUT))
show("poll two", lambda: fds(p.poll(0)))
show("drain", lambda: a.recv(100))
show("poll register a again", lambda: p.register(a))
show("poll default mask", lambda: fds(p.poll(0)))
show("poll modify a POLLIN", lambda: p.modify(a, select.POLLIN))
show("poll unregister b", lambda: p.unregister(b))
threading.Timer(T, lambda: b.send(b"late")).start()
timed("poll() data after T", lambda: fds(p.poll()))
show("drain", lambda: a.recv(100))
show("poll register e", lambda: p.register(e))
show("poll peer closed", lambda: fds(p.poll(0)))
show("poll unregister 12345", lambda: p.unregister(12345))
show("poll modify 12345", lambda: p.modify(12345, select.POLLIN))
show("poll register -1", lambda: p.register(-1))
show("poll register 'x'", lambda: p.register("x"))
show("poll register closed socket", lambda: p.register(c))
show("poll register mask 'x'", lambda: p.register(a, "x"))
show("poll register mask -1", lambda: p.register(a, -1))
show("poll register mask 70000", lambda: p.register(a, 70000))
show("poll register 2**40", lambda: p.register(2**40))
for label, t in [("'x'", "x"), ("2**31", 2**31), ("1e30", 1e30), ("nan", math.nan)]:
    show("poll timeout " + label, lambda: p.poll(t))
p2 = select.poll()
g = socket.socket()
names[g.fileno()] = "fd_g"
p2.register(g, select.POLLIN)
g.close()
show("poll closed fd", lambda: fds(p2.poll(0)))

# select.epoll
ep = select.epoll()
show("epoll repr", lambda: repr(ep).startswith("<select.epoll object at 0x"))
show("epoll closed", lambda: ep.closed)
show("epoll register a EPOLLIN", lambda: ep.register(a, select.EPOLLIN))
show("epoll poll(0) nothing", lambda: fds(ep.poll(0)))
timed("epoll poll(T) nothing", lambda: fds(ep.poll(T)))
threading.Timer(T, lambda: b.send(b"late")).start()
timed("epoll poll(-2) data after T", lambda: fds(ep.poll(-2)))
show("epoll poll(None, 1)", lambda: fds(ep.poll(None, 1)))
show("drain", lambda: a.recv(100))
show("epoll register twice", lambda: ep.register(a, select.EPOLLIN))
show("epoll modify a EPOLLOUT", lambda: ep.modify(a, select.EPOLLOUT))
show("epoll writable", lambda: fds(ep.poll(0)))
show("epoll unregister a", lambda: ep.unregister(a))
show("epoll unregister a again", lambda: ep.unregister(a))
show("epoll modify a", lambda: ep.modify(a, select.EPOLLIN))
show("epoll register e", lambda: ep.register(e, select.EPOLLIN | select.EPOLLOUT))
show("epoll peer closed", lambda: fds(ep.poll(0)))
show("epoll register stale fd", lambda: ep.register(stale_fd()))
show("epoll register itself", lambda: ep.register(ep.fileno()))
null = os.open("/dev/null", os.O_RDONLY)
show("epoll register /dev/null", lambda: ep.register(null))
os.close(null)
show("epoll register -1", lambda: ep.register(-1))
show("epoll register 'x'", lambda: ep.register("x"))
show("epoll register mask 'x'", lambda: ep.register(b, "x"))
show("epoll poll maxevents 0", lambda: ep.poll(1, 0))
show("epoll poll maxevents -2", lambda: ep.poll(1, -2))
for label, t in [("'x'", "x"), ("1e30", 1e30), ("nan", math.nan)]:
    show("epoll timeout " + label, lambda: ep.poll(t))
show("epoll(-2)", lambda: select.epoll(-2))
show("epoll(0)", lambda: select.epoll(0))
show("epoll(5, 1)", lambda: select.epoll(5, 1))
show("epoll close", ep.close)
show("epoll close again", ep.close)
show("epoll closed after", lambda: ep.closed)
show("epoll poll closed", lambda: ep.poll(0))
show("epoll register closed", lambda: ep.register(a))
show("epoll unregister closed", lambda: ep.unregister(a))
show("epoll fileno closed", ep.fileno)
show("select closed epoll", lambda: select.select([ep], [], [], 0))

# selectors
show("DefaultSelector is EpollSelector", lambda: selectors.DefaultSelector is selectors.EpollSelector)
for cls in (selectors.SelectSelector, selectors.PollSelector, selectors.EpollSelector):
    n = cls.__name__
    s = cls()
    show(n + " register a READ 'D'", lambda: s.register(a, selectors.EVENT_READ, "D"))
    show(n + " register a twice", lambda: s.register(a, selectors.EVENT_READ))
    show(n + " register fd of a", lambda: s.register(a.fileno(), selectors.EVENT_READ))
    show(n + " register b 0", lambda: s.register(b, 0))
    show(n + " register b 4", lambda: s.register(b, 4))
    show(n + " register 'x'", lambda: s.register("x", 1))
    show(n + " register -1", lambda: s.register(-1, 1))
    show(n + " register closed socket", lambda: s.register(c, 1))
    show(n + " select(0) nothing", lambda: s.select(0))
    timed(n + " select(T) nothing", lambda: s.select(T))
    threading.Timer(T, lambda: b.send(b"late")).start()
    timed(n + " select() data after T", lambda: s.select())
    show(n + " select(-1)", lambda: s.select(-1))
    show(n + " select(None)", lambda: s.select(None))
    show(n + " select('x')", lambda: s.select("x"))
    show("drain", lambda: a.recv(100))
    show(n + " modify a READ|WRITE 'E'", lambda: s.modify(a, selectors.EVENT_READ | selectors.EVENT_WRITE, "E"))
    show(n + " select(0) writable", lambda: s.select(0))
    show(n + " modify a same events new data", lambda: s.modify(a, 3, "F"))
    show(n + " modify a 0", lambda: s.modify(a, 0))
    show(n + " get_key a", lambda: s.get_key(a))
    show(n + " get_key 1.5", lambda: s.get_key(1.5))
    show(n + " unregister 12345", lambda: s.unregister(12345))
    show(n + " modify 12345", lambda: s.modify(12345, 1))
    show(n + " register e READ", lambda: s.register(e, selectors.EVENT_READ))
    show(n + " peer closed", lambda: s.select(0))
    show(n + " recv on e", lambda: e.recv(10))
    x, y = socket.socketpair()
    show(n + " register x", lambda: s.register(x, selectors.EVENT_WRITE))
    show(n + " len(get_map())", lambda: len(s.get_map()))
    show(n + " get_map()[x]", lambda: s.get_map()[x])
    x.close()
    show(n + " unregister closed x", lambda: s.unregister(x))
    y.close()
    show(n + " unregister e", lambda: s.unregister(e))
    show(n + " get_map() fds", lambda: [names.get(fd, "?") for fd in s.get_map()])
    show(n + " close", s.close)
    show(n + " get_map() closed", s.get_map)
    show(n + " get_key closed", lambda: s.get_key(a))
    if cls is selectors.EpollSelector:
        show(n + " select(0) closed", lambda: s.select(0))
        show(n + " register closed", lambda: s.register(b, 1))
    else:
        show(n + " select(0) closed", lambda: s.select(0))

# Integer arguments at their C limits.
p = select.poll()
show("poll.register(2**31)", lambda: p.register(2**31))
show("poll.register(a, 2**16)", lambda: p.register(a, 2**16))
show("poll.register(a, -1)", lambda: p.register(a, -1))
show("poll.unregister(2**31)", lambda: p.unregister(2**31))
show("poll.poll(-2**31-1)", lambda: p.poll(-2**31 - 1))
show("poll.poll(2**63)", lambda: p.poll(2**63))
show("poll.poll(1.5e20)", lambda: p.poll(1.5e20))
show("epoll(2**31)", lambda: select.epoll(2**31))
show("epoll(-2)", lambda: select.epoll(-2))
show("epoll(0, 2**31)", lambda: select.epoll(0, 2**31))
ep = select.epoll()
show("epoll.register(2**31)", lambda: ep.register(2**31))
show("epoll.register(a, 2**32)", lambda: ep.register(a, 2**32))
show("epoll.poll(0, 2**31)", lambda: ep.poll(0, 2**31))
show("epoll.poll(0, -2)", lambda: ep.poll(0, -2))
show("epoll.poll(1e20)", lambda: ep.poll(1e20))
ep.close()
show("select([2**31], [], [], 0)", lambda: select.select([2**31], [], [], 0))
show("select([], [], [], 1e20)", lambda: select.select([], [], [], 1e20))
for cls in (selectors.SelectSelector, selectors.PollSelector, selectors.EpollSelector):
    n = cls.__name__
    s = cls()
    show(n + " register(a, 2**31)", lambda: s.register(a, 2**31))
    show(n + " register(2**31, 1)", lambda: s.register(2**31, 1))
    show(n + " select(1e20)", lambda: s.select(1e20))
    show(n + " select(-1e20)", lambda: s.select(-1e20))
    show(n + " select(2**63)", lambda: s.select(2**63))
    show(n + " select(2147483.648)", lambda: s.select(2147483.648))
    show(n + " select(inf)", lambda: s.select(math.inf))
    show(n + " select(nan)", lambda: s.select(math.nan))
    selfref = []
    selfref.append(selfref)
    show(n + " register([[...]], 1)", lambda: s.register(selfref, 1))
    s.close()


class BigFileno:
    def fileno(self):
        return 2**40


show("select([BigFileno()], [], [], 0)", lambda: select.select([BigFileno()], [], [], 0))
show("poll.register(BigFileno())", lambda: select.poll().register(BigFileno()))
ep = select.epoll()
show("epoll.register(BigFileno())", lambda: ep.register(BigFileno()))
ep.close()

for s in (a, b, e):
    s.close()
out("done")
