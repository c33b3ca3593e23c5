"""The PyMOTW-3 socketserver programs the D scenarios run: socketserver_echo.py,
socketserver_echo_simple.py and socketserver_threaded.py, adapted only as
docs/pymotw.md says. The Go twins are in internal/pymotw/socketserver.go.

Each PyMOTW program is one file holding a server (serve_forever in a thread)
and a client that shuts the server down when it is done. `socketserver_X`
is that program as PyMOTW runs it. For the cross-language runs it is also
split in two halves: `socketserver_X_server` serves `requests` clients with
handle_request() and closes (a server that stops by itself; it calls
ready(port) once it listens), and `socketserver_X_client` is the program's
client part, with no server to shut down.

socketserver_echo.py logs through logging.basicConfig(level=DEBUG,
format='%(name)s: %(message)s'); here _Logging(out) stands for that call
and its handler writes to out, so each program gets its own loggers.
"""
import logging as _logging_module
import socket
import socketserver
import threading


class _OutHandler(_logging_module.Handler):
    """basicConfig's StreamHandler, writing each formatted record to out."""

    def __init__(self, out):
        super().__init__(_logging_module.DEBUG)
        self.out = out

    def emit(self, record):
        self.out(self.format(record))


class _Logging:
    """logging.basicConfig(level=logging.DEBUG, format='%(name)s: %(message)s')
    with the handler writing to out: getLogger(name) is a logging.Logger at
    DEBUG whose records all go through that one handler (and its lock)."""

    def __init__(self, out):
        self._handler = _OutHandler(out)
        self._handler.setFormatter(_logging_module.Formatter("%(name)s: %(message)s"))
        self._loggers = {}
        self._lock = threading.Lock()

    def getLogger(self, name):
        with self._lock:
            if name not in self._loggers:
                logger = _logging_module.Logger(name, _logging_module.DEBUG)
                logger.addHandler(self._handler)
                self._loggers[name] = logger
            return self._loggers[name]


# socketserver_echo.py: the classes, built for one _Logging (the module
# `logging` of the original, configured by basicConfig).
def _echo_classes(logging):

    class EchoRequestHandler(socketserver.BaseRequestHandler):

        def __init__(self, request, client_address, server):
            self.logger = logging.getLogger('EchoRequestHandler')
            self.logger.debug('__init__')
            socketserver.BaseRequestHandler.__init__(self, request,
                                                     client_address,
                                                     server)
            return

        def setup(self):
            self.logger.debug('setup')
            return socketserver.BaseRequestHandler.setup(self)

        def handle(self):
            self.logger.debug('handle')

            # Echo the back to the client
            data = self.request.recv(1024)
            self.logger.debug('recv()->"%s"', data)
            self.request.send(data)
            return

        def finish(self):
            self.logger.debug('finish')
            return socketserver.BaseRequestHandler.finish(self)

    class EchoServer(socketserver.TCPServer):

        def __init__(self, server_address,
                     handler_class=EchoRequestHandler,
                     ):
            self.logger = logging.getLogger('EchoServer')
            self.logger.debug('__init__')
            socketserver.TCPServer.__init__(self, server_address,
                                            handler_class)
            return

        def server_activate(self):
            self.logger.debug('server_activate')
            socketserver.TCPServer.server_activate(self)
            return

        def serve_forever(self, poll_interval=0.5):
            self.logger.debug('waiting for request')
            self.logger.info(
                'Handling requests, press <Ctrl-C> to quit'
            )
            socketserver.TCPServer.serve_forever(self, poll_interval)
            return

        def handle_request(self):
            self.logger.debug('handle_request')
            return socketserver.TCPServer.handle_request(self)

        def verify_request(self, request, client_address):
            self.logger.debug('verify_request(%s, %s)',
                              request, client_address)
            return socketserver.TCPServer.verify_request(
                self, request, client_address,
            )

        def process_request(self, request, client_address):
            self.logger.debug('process_request(%s, %s)',
                              request, client_address)
            return socketserver.TCPServer.process_request(
                self, request, client_address,
            )

        def server_close(self):
            self.logger.debug('server_close')
            return socketserver.TCPServer.server_close(self)

        def finish_request(self, request, client_address):
            self.logger.debug('finish_request(%s, %s)',
                              request, client_address)
            return socketserver.TCPServer.finish_request(
                self, request, client_address,
            )

        def close_request(self, request_address):
            self.logger.debug('close_request(%s)', request_address)
            return socketserver.TCPServer.close_request(
                self, request_address,
            )

        def shutdown(self):
            self.logger.debug('shutdown()')
            return socketserver.TCPServer.shutdown(self)

    return EchoServer, EchoRequestHandler


def _echo_client(logging, ip, port, shutdown):
    """The client part of socketserver_echo.py's main; shutdown is
    server.shutdown (nothing when the server runs elsewhere)."""
    logger = logging.getLogger('client')
    logger.info('Server on %s:%s', ip, port)

    # Connect to the server
    logger.debug('creating socket')
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    logger.debug('connecting to server')
    s.connect((ip, port))

    # Send the data
    message = 'Hello, world'.encode()
    logger.debug('sending data: %r', message)
    len_sent = s.send(message)

    # Receive a response
    logger.debug('waiting for response')
    response = s.recv(len_sent)
    logger.debug('response from server: %r', response)

    # Clean up
    shutdown()
    logger.debug('closing socket')
    s.close()
    logger.debug('done')


def socketserver_echo(out, host, port):
    logging = _Logging(out)
    EchoServer, EchoRequestHandler = _echo_classes(logging)
    address = (host, port)  # port 0: let the kernel assign a port
    server = EchoServer(address, EchoRequestHandler)
    ip, port = server.server_address  # what port was assigned?

    # Start the server in a thread
    t = threading.Thread(target=server.serve_forever)
    t.setDaemon(True)  # don't hang on exit
    t.start()

    _echo_client(logging, ip, port, server.shutdown)
    server.socket.close()


def socketserver_echo_server(out, host, port, ready, requests=1):
    EchoServer, EchoRequestHandler = _echo_classes(_Logging(out))
    server = EchoServer((host, port), EchoRequestHandler)
    ready(server.server_address[1])
    for _ in range(requests):
        server.handle_request()
    server.server_close()


def socketserver_echo_client(out, host, port):
    _echo_client(_Logging(out), host, port, lambda: None)


# socketserver_echo_simple.py
class EchoRequestHandler(socketserver.BaseRequestHandler):

    def handle(self):
        # Echo the back to the client
        data = self.request.recv(1024)
        self.request.send(data)
        return


def _simple_client(out, ip, port, shutdown):
    """The client part of socketserver_echo_simple.py's main."""
    # Connect to the server
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect((ip, port))

    # Send the data
    message = 'Hello, world'.encode()
    out('Sending : {!r}'.format(message))
    len_sent = s.send(message)

    # Receive a response
    response = s.recv(len_sent)
    out('Received: {!r}'.format(response))

    # Clean up
    shutdown()
    s.close()


def socketserver_echo_simple(out, host, port):
    address = (host, port)  # port 0: let the kernel assign a port
    server = socketserver.TCPServer(address, EchoRequestHandler)
    ip, port = server.server_address  # what port was assigned?

    t = threading.Thread(target=server.serve_forever)
    t.setDaemon(True)  # don't hang on exit
    t.start()

    _simple_client(out, ip, port, server.shutdown)
    server.socket.close()


def socketserver_echo_simple_server(out, host, port, ready, requests=1):
    server = socketserver.TCPServer((host, port), EchoRequestHandler)
    ready(server.server_address[1])
    for _ in range(requests):
        server.handle_request()
    server.server_close()


def socketserver_echo_simple_client(out, host, port):
    _simple_client(out, host, port, lambda: None)


# socketserver_threaded.py
class ThreadedEchoRequestHandler(
        socketserver.BaseRequestHandler,
):

    def handle(self):
        # Echo the back to the client
        data = self.request.recv(1024)
        cur_thread = threading.currentThread()
        response = b'%s: %s' % (cur_thread.getName().encode(),
                                data)
        self.request.send(response)
        return


class ThreadedEchoServer(socketserver.ThreadingMixIn,
                         socketserver.TCPServer,
                         ):
    pass


def _threaded_client(out, ip, port, shutdown):
    """The client part of socketserver_threaded.py's main."""
    # Connect to the server
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect((ip, port))

    # Send the data
    message = b'Hello, world'
    out('Sending : {!r}'.format(message))
    len_sent = s.send(message)

    # Receive a response
    response = s.recv(1024)
    out('Received: {!r}'.format(response))

    # Clean up
    shutdown()
    s.close()


def socketserver_threaded(out, host, port):
    address = (host, port)  # port 0: let the kernel assign a port
    server = ThreadedEchoServer(address,
                                ThreadedEchoRequestHandler)
    ip, port = server.server_address  # what port was assigned?

    t = threading.Thread(target=server.serve_forever)
    t.setDaemon(True)  # don't hang on exit
    t.start()
    out(' '.join(['Server loop running in thread:', t.getName()]))

    _threaded_client(out, ip, port, server.shutdown)
    server.socket.close()


def socketserver_threaded_server(out, host, port, ready, requests=1):
    server = ThreadedEchoServer((host, port), ThreadedEchoRequestHandler)
    ready(server.server_address[1])
    for _ in range(requests):
        server.handle_request()
    server.server_close()  # waits for the request threads (block_on_close)


def socketserver_threaded_client(out, host, port):
    _threaded_client(out, host, port, lambda: None)
