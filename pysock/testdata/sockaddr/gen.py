"""Generates the sockaddr table golden from CPython 3.11.

CPython's getsockaddrarg (with setipaddr and idna_converter for hosts) is
the converter behind bind, connect, connect_ex, sendto and sendmsg; pysock's
twin is encodeAddr in pysock/addr.go. Each neutral address input of INPUTS
is converted by CPython with s.connect_ex(addr) on a fresh non-blocking
SOCK_DGRAM socket of the family (a datagram connect sends nothing; its OS
errors are returned as an errno and ignored here, so only the conversion can
raise). The outcome is written to golden.txt, one line per input:

    <family>\t<repr of input>\t<input as JSON token>\t<outcome>

where <outcome> is "<exception class>: <str(exception)>" when the
conversion raised, else "ok <repr of the address>": the address as CPython
would report the sockaddr it handed to the kernel (makesockaddr). The repr
column is for reading only; the Go test maps the JSON token (see token())
to its Go twins.

How an "ok" address is observed:
  AF_INET, AF_INET6: the host is what the kernel got: a fresh datagram
    socket with IP_FREEBIND/IPV6_FREEBIND (any address binds, no network
    needed) is bound to the same host with port 0 (and scope_id 1, lo, for
    AF_INET6, so that link-local addresses bind), and getsockname()[0] is
    read. The kernel reports neither a requested port of a port-0 bind nor
    flowinfo or scope_id, so those are the converted integers: the port as
    is (it passed CPython's 0-65535 check) and flowinfo and scope_id as
    the "I" format masks them (& 0xffffffff).
  AF_UNIX: the name is bound in a fresh private directory (relative paths,
    so the names stay short) and getsockname() is read; an empty address
    autobinds, and the kernel's generated name is not what CPython handed
    over, so it is recorded as the empty address CPython passed ('').

Determinism: no host needs DNS. Non-numeric hosts are only 'localhost' for
AF_INET (/etc/hosts), the special '' and '<broadcast>', and names that fail
before any lookup; 'localhost' is left out for AF_INET6 (/etc/hosts often
has no IPv6 entry for it, and glibc then asks DNS). Abstract AF_UNIX names
are distinctive ('\\0pysock-sockaddr-gen...'); a collision with another
process fails the script rather than write a wrong line.

AF_PACKET and AF_NETLINK are not in the table: encodeAddr supports only
AF_INET, AF_INET6 and AF_UNIX (pysock cannot bind or connect other
families), and CPython cannot create AF_PACKET sockets unprivileged.

Usage: python3 gen.py [OUTDIR]   (default: the directory of this script)
"""
import errno
import json
import operator
import os
import shutil
import socket
import sys
import tempfile

IP_FREEBIND = 15     # <linux/in.h>
IPV6_FREEBIND = 78   # <linux/in6.h>
SOL_IPV6 = 41
M32 = 0xffffffff


class port(int):
    """An int subclass: the Go twin is a named integer type called port."""


def token(v):
    """The JSON token the Go test reads back: a tagged value."""
    if isinstance(v, bool):
        return ['bool', v]
    if isinstance(v, port):
        return ['port', str(int(v))]
    if isinstance(v, int):
        return ['int', str(v)]
    if isinstance(v, float):
        return ['float', repr(v)]
    if v is None:
        return ['none']
    if isinstance(v, str):
        return ['str', v]
    if isinstance(v, bytes):
        return ['bytes', v.hex()]
    if isinstance(v, bytearray):
        return ['bytearray', v.hex()]
    if isinstance(v, tuple):
        return ['tuple', [token(x) for x in v]]
    if isinstance(v, list):
        return ['list', [token(x) for x in v]]
    if isinstance(v, dict) and not v:
        return ['dict']
    raise TypeError(v)


NON_TUPLES = [None, 0, 80, 1.5, 'x', '127.0.0.1', b'127.0.0.1', bytearray(b'x'), ['127.0.0.1', 0], {}]
PORTS = [0, 1, 80, 65535, 65536, -1, -65535, 2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**32, 2**63 - 1,
         2**63, -2**63 - 1, 2**64, -2**64, 10**30, 1.5, 0.0, -0.0, float('inf'), '80', '', b'80',
         bytearray(b'80'), True, False, None, port(0), port(80), port(65536), port(-1), port(2**31),
         [80], (80,), {}]
IDNA_FAIL = ['\u00e9..a', 'a.\u00e9' * 1 + '\u00e9' * 63, '\u00e9\x00', '\u00e9\u3002\u3002x']
HOST_TYPES = [None, 0, 127, 1.5, True, ['127.0.0.1'], ('127.0.0.1',), {}]

INET_HOSTS = ['', '127.0.0.1', '0.0.0.0', '<broadcast>', '255.255.255.255', 'localhost', '::1', '::',
              '::ffff:127.0.0.1', 'fe80::1%lo', '1.2.3', '1.2', '1', '127.1', '0x7f.1', '0x7f000001',
              '017700000001', '010.0.0.1', '0X7F.0.0.1', '127.0.0.1\x00', '\x00', 'a\x00b',
              b'', b'127.0.0.1', b'1.2.3', b'<broadcast>', b'127.0.0.1\x00', bytearray(b'127.0.0.1'),
              bytearray(b''), bytearray(b'\x00')] + IDNA_FAIL + HOST_TYPES
INET6_HOSTS = ['', '::1', '::', '::ffff:1.2.3.4', '::1.2.3.4', '::ffff:0:1.2.3.4', '1:2:3:4:5:6:7:8',
               '1:0:0:2::3', '2001:db8::1', 'FE80::A', 'fe80::1', 'fe80::1%lo', 'fe80::1%1',
               'fe80::1%4294967295', '::1%lo', '::1%', '::1%nosuchif0', '127.0.0.1', '1.2.3', '0x7f.1',
               '<broadcast>', '255.255.255.255', '::1\x00', '\x00', b'', b'::1', b'fe80::1%lo',
               bytearray(b'::1'), bytearray(b'::1\x00')] + IDNA_FAIL + HOST_TYPES
UINTS = [0, 1, 0xfffff, 0x100000, M32, 2**32, 2**32 + 5, 2**63, 2**64 + 1, -1, -2**32, -2**64 - 1,
         10**30, True, port(7), 1.5, '1', None, b'1', [1]]

INPUTS = {
    'AF_INET': (
        NON_TUPLES
        + [(), ('127.0.0.1',), ('127.0.0.1', 0, 0), ('127.0.0.1', 0, 0, 0), ('127.0.0.1', 0, 0, 0, 0)]
        + [(h, 0) for h in INET_HOSTS]
        + [('127.0.0.1', p) for p in PORTS]
        + [('1.2.3', 2**31), ('1.2.3', 65536), ('<broadcast>', -1), ('::1', 65536), ('::1', 2**64),
           ('::1', 'x'), (None, 2**64), (None, 'x'), ('\u00e9..a', 2**64), ('\x00', 65536),
           ('', 65536), ('', -1), (b'\x00', 'x'), ('localhost', 65535), ('0x7f.1', 8080)]
    ),
    'AF_INET6': (
        NON_TUPLES
        + [(), ('::1',), ('::1', 0, 0, 0, 0), ('::1', 0, 0, 0, 0, 0)]
        + [(h, 0) for h in INET6_HOSTS]
        + [('::1', p) for p in PORTS]
        + [('::1', 0, f) for f in UINTS]
        + [('::1', 0, 0, s) for s in UINTS]
        + [('fe80::1%lo', 80, 0, 7), ('fe80::1', 80, 5, 1), ('::1', 65535, 0xfffff, M32),
           ('::1', 65536, 0x100000), ('::1', 0, 0x100000, 'x'), ('::1', -1, 'x'), ('::', 2**31, 'x'),
           ('127.0.0.1', 65536), ('127.0.0.1', 0, 0x100000), ('::1', 0, 0x100000, -1),
           ('::1', 0, 2**32 + 0x100000), (None, 0, 'x'), ('\u00e9..a', 'x'), ('', 8080, 3, 4)]
    ),
    'AF_UNIX': [
        'sock', b'sock', bytearray(b'sock'), '', b'', bytearray(b''), 'dir/sock', 'a' * 107,
        'a' * 108, 'a' * 200, b'a' * 107, b'a' * 108, 'a\x00b', b'a\x00b', 'a\x00' + 'b' * 105,
        'a\x00' + 'b' * 106, '\u00e9', '\u00e9' * 53, '\u00e9' * 54, b'\xc3\xa9',
        '\x00', b'\x00', '\x00pysock-sockaddr-gen', b'\x00pysock-sockaddr-gen-b',
        bytearray(b'\x00pysock-sockaddr-gen-ba'), '\x00pysock-sockaddr-gen-\x00nul',
        '\x00pysock-sockaddr-gen-max' + 'm' * 84, '\x00pysock-sockaddr-gen-max' + 'm' * 85,
        b'\x00' * 109, None, 0, 1, 1.5, True, ('sock',), ['sock'], {},
    ],
}


def lo_index():
    return socket.if_nametoindex('lo')


def observe_inet(family, addr):
    """The address CPython handed to the kernel for an addr that converted."""
    host = addr[0]
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        if family == socket.AF_INET:
            s.setsockopt(socket.SOL_IP, IP_FREEBIND, 1)
            s.bind((host, 0))
            return (s.getsockname()[0], operator.index(addr[1]))
        s.setsockopt(SOL_IPV6, IPV6_FREEBIND, 1)
        s.bind((host, 0, 0, lo_index()))
        flow = operator.index(addr[2]) & M32 if len(addr) > 2 else 0
        scope = operator.index(addr[3]) & M32 if len(addr) > 3 else 0
        return (s.getsockname()[0], operator.index(addr[1]), flow, scope)


def observe_unix(addr):
    if len(addr) == 0:
        return ''  # autobind: the kernel picks a name; CPython handed over none
    d = tempfile.mkdtemp(prefix='sockaddr-gen-')
    old = os.getcwd()
    try:
        os.chdir(d)
        os.mkdir('dir')
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
            s.bind(addr)
            return s.getsockname()
    finally:
        os.chdir(old)
        shutil.rmtree(d)


def convert(family, addr):
    fam = getattr(socket, family)
    d = tempfile.mkdtemp(prefix='sockaddr-gen-')
    old = os.getcwd()
    try:
        os.chdir(d)  # relative AF_UNIX names land in a private directory
        with socket.socket(fam, socket.SOCK_DGRAM) as s:
            s.setblocking(False)
            try:
                s.connect_ex(addr)
            except Exception as e:  # noqa: BLE001 - the exception is the result
                return '%s: %s' % (type(e).__name__, e)
    finally:
        os.chdir(old)
        shutil.rmtree(d)
    try:
        got = observe_unix(addr) if fam == socket.AF_UNIX else observe_inet(fam, addr)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise SystemExit('%s %r: address in use by another process; rerun' % (family, addr))
        raise
    return 'ok ' + repr(got)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    lines = []
    for family, inputs in INPUTS.items():
        for addr in inputs:
            tok = json.dumps(token(addr), ensure_ascii=True)
            lines.append('%s\t%r\t%s\t%s\n' % (family, addr, tok, convert(family, addr)))
    with open(os.path.join(out, 'golden.txt'), 'w', encoding='utf-8') as f:
        f.writelines(lines)


if __name__ == '__main__':
    main()
