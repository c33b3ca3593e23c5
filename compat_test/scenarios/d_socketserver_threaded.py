"""D3: socketserver_threaded.py: ThreadingMixIn + TCPServer, the reply
naming the request's thread. Thread names are 'Thread-N (target)' with N
numbering every thread the process started; the transcript writes
Thread-<n>. The program as PyMOTW runs it (only the main thread prints),
then the client half against the server half, which serves one request with
handle_request() (in a request thread) and waits for it in server_close()."""
import _pymotw_socketserver as p
from _programs import print_lines, server_client

lines = []
p.socketserver_threaded(lines.append, "localhost", 0)
print_lines("program", lines)

srv = server_client(lambda out, host, port, ready: p.socketserver_threaded_server(out, host, port, ready, requests=1),
                    ("localhost", 0), [("client", p.socketserver_threaded_client, lambda port: ("localhost", port))])
print_lines("server", srv)
