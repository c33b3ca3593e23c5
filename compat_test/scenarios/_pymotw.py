"""The PyMOTW-3 socket/select/selectors programs the B and C scenarios run,
adapted only as docs/pymotw.md says: the address comes from
the caller, servers stop by themselves, and every line goes to `out` (a
print-like callable). The Go twins are in internal/pymotw.

Each server calls ready(port) once it listens, so a client in another
thread (or another language) knows where to connect.
"""
import os
import queue
import select
import selectors
import socket
import struct
import time

MESSAGE = b"This is the message.  It will be repeated."


def _echo_connection(out, connection, client_address):
    """The per-connection loop of socket_echo_server.py and its UDS twin."""
    try:
        out("connection from {}".format(client_address))
        while True:
            data = connection.recv(16)
            out("received {!r}".format(data))
            if data:
                out("sending data back to the client")
                connection.sendall(data)
            else:
                out("no data from {}".format(client_address))
                break
    finally:
        connection.close()


# socket_echo_server.py / socket_echo_client.py / socket_echo_client_easy.py (C1, C2)
def echo_server(out, host, port, ready, connections=1):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((host, port))
    out("starting up on {} port {}".format(host, sock.getsockname()[1]))
    sock.listen(1)
    ready(sock.getsockname()[1])
    for _ in range(connections):
        out("waiting for a connection")
        connection, client_address = sock.accept()
        _echo_connection(out, connection, client_address)
    sock.close()


def echo_client(out, host, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    out("connecting to {} port {}".format(host, port))
    sock.connect((host, port))
    try:
        out("sending {!r}".format(MESSAGE))
        sock.sendall(MESSAGE)
        amount_received = 0
        amount_expected = len(MESSAGE)
        while amount_received < amount_expected:
            data = sock.recv(16)
            amount_received += len(data)
            out("received {!r}".format(data))
    finally:
        out("closing socket")
        sock.close()


def echo_client_easy(out, host, port):
    def get_constants(prefix):
        return {getattr(socket, n): n for n in dir(socket) if n.startswith(prefix)}

    families = get_constants("AF_")
    types = get_constants("SOCK_")
    protocols = get_constants("IPPROTO_")
    sock = socket.create_connection((host, port))
    out("Family  : {}".format(families[sock.family]))
    out("Type    : {}".format(types[sock.type]))
    out("Protocol: {}".format(protocols[sock.proto]))
    out("")
    try:
        out("sending {!r}".format(MESSAGE))
        sock.sendall(MESSAGE)
        amount_received = 0
        while amount_received < len(MESSAGE):
            data = sock.recv(16)
            amount_received += len(data)
            out("received {!r}".format(data))
    finally:
        out("closing socket")
        sock.close()


# socket_echo_server_dgram.py / socket_echo_client_dgram.py (C3)
def dgram_server(out, host, port, ready, datagrams=1):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((host, port))
    out("starting up on {} port {}".format(host, sock.getsockname()[1]))
    ready(sock.getsockname()[1])
    for _ in range(datagrams):
        out("\nwaiting to receive message")
        data, address = sock.recvfrom(4096)
        out("received {} bytes from {}".format(len(data), address))
        out(repr(data))
        if data:
            sent = sock.sendto(data, address)
            out("sent {} bytes back to {}".format(sent, address))
    sock.close()


def dgram_client(out, host, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        out("sending {!r}".format(MESSAGE))
        sock.sendto(MESSAGE, (host, port))
        out("waiting to receive")
        data, server = sock.recvfrom(4096)
        out("received {!r}".format(data))
    finally:
        out("closing socket")
        sock.close()


# socket_echo_server_uds.py / socket_echo_client_uds.py (C4)
def uds_server(out, server_address, ready, connections=1):
    try:
        os.unlink(server_address)
    except OSError:
        if os.path.exists(server_address):
            raise
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    out("starting up on {}".format(server_address))
    sock.bind(server_address)
    sock.listen(1)
    ready(0)
    for _ in range(connections):
        out("waiting for a connection")
        connection, client_address = sock.accept()
        _echo_connection(out, connection, client_address)
    sock.close()


def uds_client(out, server_address):
    """Returns the exit status the program would have (1 on socket.error)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    out("connecting to {}".format(server_address))
    try:
        sock.connect(server_address)
    except socket.error as msg:
        out(str(msg))
        sock.close()
        return 1
    try:
        out("sending {!r}".format(MESSAGE))
        sock.sendall(MESSAGE)
        amount_received = 0
        while amount_received < len(MESSAGE):
            data = sock.recv(16)
            amount_received += len(data)
            out("received {!r}".format(data))
    finally:
        out("closing socket")
        sock.close()
    return 0


# socket_socketpair.py (C5): the child is a thread here, as in the Go port.
def socketpair_parent(out, parent):
    out("in parent, sending message")
    parent.sendall(b"ping")
    response = parent.recv(1024)
    out("response from child: {!r}".format(response))


def socketpair_child(out, child):
    out("in child, waiting for message")
    message = child.recv(1024)
    out("message from parent: {!r}".format(message))
    child.sendall(b"pong")


# socket_multicast_sender.py (B1), with IP_MULTICAST_IF=127.0.0.1 as in the runs.
def multicast_sender(out, group, port, timeout=0.2):
    message = b"very important data"
    multicast_group = (group, port)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(timeout)
    ttl = struct.pack("b", 1)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
    try:
        out("sending {!r}".format(message))
        sock.sendto(message, multicast_group)
        while True:
            out("waiting to receive")
            try:
                data, server = sock.recvfrom(16)
            except socket.timeout:
                out("timed out, no more responses")
                break
            else:
                out("received {!r} from {}".format(data, server))
    finally:
        out("closing socket")
        sock.close()


# select_echo_server.py (B3), stopping after `clients` connections closed.
def select_echo_server(out, host, port, ready, clients=2, timeout=None):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setblocking(0)
    server.bind((host, port))
    out("starting up on {} port {}".format(host, server.getsockname()[1]))
    server.listen(5)
    ready(server.getsockname()[1])
    inputs = [server]
    outputs = []
    message_queues = {}
    closed = 0
    while inputs and closed < clients:
        out("waiting for the next event")
        if timeout is None:
            readable, writable, exceptional = select.select(inputs, outputs, inputs)
        else:
            readable, writable, exceptional = select.select(inputs, outputs, inputs, timeout)
            if not (readable or writable or exceptional):
                out("  timed out, do some other work here")
                continue
        for s in readable:
            if s is server:
                connection, client_address = s.accept()
                out("  connection from {}".format(client_address))
                connection.setblocking(0)
                inputs.append(connection)
                message_queues[connection] = queue.Queue()
            else:
                data = s.recv(1024)
                if data:
                    out("  received {!r} from {}".format(data, s.getpeername()))
                    message_queues[s].put(data)
                    if s not in outputs:
                        outputs.append(s)
                else:
                    out("  closing {}".format(client_address))
                    if s in outputs:
                        outputs.remove(s)
                    inputs.remove(s)
                    s.close()
                    del message_queues[s]
                    closed += 1
        for s in writable:
            if s not in message_queues:  # closed earlier in this round (the upstream race)
                continue
            try:
                next_msg = message_queues[s].get_nowait()
            except queue.Empty:
                out("  {} queue empty".format(s.getpeername()))
                outputs.remove(s)
            else:
                out("  sending {!r} to {}".format(next_msg, s.getpeername()))
                s.send(next_msg)
        for s in exceptional:
            out("exception condition on {}".format(s.getpeername()))
            inputs.remove(s)
            if s in outputs:
                outputs.remove(s)
            s.close()
            del message_queues[s]
    for s in inputs:
        s.close()


# select_echo_multiclient.py (B3)
def select_echo_multiclient(out, host, port):
    messages = [b"This is the message. ", b"It will be sent ", b"in parts."]
    server_address = (host, port)
    socks = [socket.socket(socket.AF_INET, socket.SOCK_STREAM), socket.socket(socket.AF_INET, socket.SOCK_STREAM)]
    out("connecting to {} port {}".format(*server_address))
    for s in socks:
        s.connect(server_address)
    for message in messages:
        outgoing_data = message
        for s in socks:
            out("{}: sending {!r}".format(s.getsockname(), outgoing_data))
            s.send(outgoing_data)
        for s in socks:
            data = s.recv(1024)
            out("{}: received {!r}".format(s.getsockname(), data))
            if not data:
                out("closing socket {}".format(s.getsockname()))
                s.close()
    for s in socks:
        s.close()


# selectors_echo_server.py / selectors_echo_client.py (B6)
def selectors_echo_server(out, host, port, ready):
    mysel = selectors.DefaultSelector()
    keep_running = True

    def read(connection, mask):
        nonlocal keep_running
        client_address = connection.getpeername()
        out("read({})".format(client_address))
        data = connection.recv(1024)
        if data:
            out("  received {!r}".format(data))
            connection.sendall(data)
        else:
            out("  closing")
            mysel.unregister(connection)
            connection.close()
            keep_running = False

    def accept(sock, mask):
        new_connection, addr = sock.accept()
        out("accept({})".format(addr))
        new_connection.setblocking(False)
        mysel.register(new_connection, selectors.EVENT_READ, read)

    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setblocking(False)
    server.bind((host, port))
    out("starting up on {} port {}".format(host, server.getsockname()[1]))
    server.listen(5)
    mysel.register(server, selectors.EVENT_READ, accept)
    ready(server.getsockname()[1])
    while keep_running:
        out("waiting for I/O")
        for key, mask in mysel.select(timeout=1):
            callback = key.data
            callback(key.fileobj, mask)
    out("shutting down")
    mysel.close()
    server.close()


def selectors_echo_client(out, host, port):
    mysel = selectors.DefaultSelector()
    keep_running = True
    outgoing = [b"It will be repeated.", b"This is the message.  "]
    bytes_sent = 0
    bytes_received = 0
    server_address = (host, port)
    out("connecting to {} port {}".format(*server_address))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect(server_address)
    sock.setblocking(False)
    mysel.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
    while keep_running:
        out("waiting for I/O")
        for key, mask in mysel.select(timeout=1):
            connection = key.fileobj
            client_address = connection.getpeername()
            out("client({})".format(client_address))
            if mask & selectors.EVENT_READ:
                out("  ready to read")
                data = connection.recv(1024)
                if data:
                    out("  received {!r}".format(data))
                    bytes_received += len(data)
                keep_running = not (data or (bytes_received and (bytes_received == bytes_sent)))
            if mask & selectors.EVENT_WRITE:
                out("  ready to write")
                if not outgoing:
                    out("  switching to read-only")
                    mysel.modify(sock, selectors.EVENT_READ)
                else:
                    next_msg = outgoing.pop()
                    out("  sending {!r}".format(next_msg))
                    sock.sendall(next_msg)
                    bytes_sent += len(next_msg)
    out("shutting down")
    mysel.unregister(connection)
    connection.close()
    mysel.close()


# The nonblocking page (nonblocking.rst) as a walk-through.
def nonblocking_walkthrough(out):
    a, b = socket.socketpair()
    out("default timeout: {!r}, blocking: {}".format(a.gettimeout(), a.getblocking()))
    a.setblocking(0)
    try:
        a.recv(16)
    except socket.error as e:
        out("setblocking(0): {}: {}".format(type(e).__name__, e))
    a.settimeout(0.2)
    start = time.monotonic()
    try:
        a.recv(16)
    except socket.timeout as e:
        waited = time.monotonic() - start
        out("settimeout(0.2): {}: {} (a socket.error: {}, waited >= 0.2 s: {})".format(
            type(e).__name__, e, isinstance(e, socket.error), waited >= 0.2))
    b.sendall(b"data")
    out("data before the deadline: {!r}".format(a.recv(16)))
    a.setblocking(1)
    out("setblocking(1): timeout {!r}".format(a.gettimeout()))
    a.close()
    b.close()


# select_echo_slow_client.py (B4, B5)
def select_echo_slow_client(out, host, port, first_sleep=1.0, between=1.5):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_address = (host, port)
    out("connecting to {} port {}".format(*server_address))
    sock.connect(server_address)
    time.sleep(first_sleep)
    messages = [b"Part one of the message.", b"Part two of the message."]
    amount_expected = len(b"".join(messages))
    try:
        for message in messages:
            out("sending {!r}".format(message))
            sock.sendall(message)
            time.sleep(between)
        amount_received = 0
        while amount_received < amount_expected:
            data = sock.recv(16)
            amount_received += len(data)
            out("received {!r}".format(data))
    finally:
        out("closing socket")
        sock.close()


# select_poll_echo_server.py (B5), stopping after `clients` connections closed.
def poll_echo_server(out, host, port, ready, clients=1):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setblocking(0)
    server.bind((host, port))
    out("starting up on {} port {}".format(host, server.getsockname()[1]))
    server.listen(5)
    ready(server.getsockname()[1])
    message_queues = {}
    TIMEOUT = 1000
    READ_ONLY = select.POLLIN | select.POLLPRI | select.POLLHUP | select.POLLERR
    READ_WRITE = READ_ONLY | select.POLLOUT
    poller = select.poll()
    poller.register(server, READ_ONLY)
    fd_to_socket = {server.fileno(): server}
    closed = 0
    client_address = None
    while closed < clients:
        out("waiting for the next event")
        events = poller.poll(TIMEOUT)
        for fd, flag in events:
            s = fd_to_socket[fd]
            if flag & (select.POLLIN | select.POLLPRI):
                if s is server:
                    connection, client_address = s.accept()
                    out("  connection {}".format(client_address))
                    connection.setblocking(0)
                    fd_to_socket[connection.fileno()] = connection
                    poller.register(connection, READ_ONLY)
                    message_queues[connection] = queue.Queue()
                else:
                    data = s.recv(1024)
                    if data:
                        out("  received {!r} from {}".format(data, s.getpeername()))
                        message_queues[s].put(data)
                        poller.modify(s, READ_WRITE)
                    else:
                        out("  closing {}".format(client_address))
                        poller.unregister(s)
                        del fd_to_socket[fd]
                        s.close()
                        del message_queues[s]
                        closed += 1
            elif flag & select.POLLHUP:
                out("  closing {} (HUP)".format(client_address))
                poller.unregister(s)
                del fd_to_socket[fd]
                s.close()
                closed += 1
            elif flag & select.POLLOUT:
                try:
                    next_msg = message_queues[s].get_nowait()
                except queue.Empty:
                    out("{} queue empty".format(s.getpeername()))
                    poller.modify(s, READ_ONLY)
                else:
                    out("  sending {!r} to {}".format(next_msg, s.getpeername()))
                    s.send(next_msg)
            elif flag & select.POLLERR:
                out("  exception on {}".format(s.getpeername()))
                poller.unregister(s)
                del fd_to_socket[fd]
                s.close()
                del message_queues[s]
    server.close()


# socket_multicast_receiver.py (B2), adapted as in the captured runs: it
# binds the group address with SO_REUSEADDR and joins on 127.0.0.1.
def multicast_receiver(out, group, port, ready, datagrams=1):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((group, port))
    mreq = socket.inet_aton(group) + socket.inet_aton("127.0.0.1")
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    ready(port)
    for _ in range(datagrams):
        out("\nwaiting to receive message")
        data, address = sock.recvfrom(1024)
        out("received {} bytes from {}".format(len(data), address))
        out(repr(data))
        out("sending acknowledgement to {}".format(address))
        sock.sendto(b"ack", address)
    sock.close()
