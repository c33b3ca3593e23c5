"""Generates the pyarg table goldens from CPython 3.11.

For every converter of package pyarg, each neutral input (see INPUTS) is
run through a real CPython call that uses that converter, and the outcome
is written to testdata/<converter>.golden, one line per input:

    <input>\t<outcome>

where <outcome> is "ok <repr of the converted value>" or
"<exception class>: <str(exception)>". The Go test maps each input to its
Go twins and checks the converter against the line.

Usage: python3 gen.py [OUTDIR]   (default: the directory of this script)
"""
import binascii
import json
import operator
import os
import select
import socket
import sys


class port(int):
    """An int subclass: the Go twin is a named integer type called port."""


class FilenoObj:
    def __init__(self, n):
        self.n = n

    def fileno(self):
        return self.n


INTS = [0, 1, -1, 2, 7, 127, 128, 255, 256, -128, -129, 32767, 32768, 65535, 65536, -65536,
        2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**32 - 1, 2**32, -2**32, 2**53, 2**62,
        2**63 - 1, 2**63, -2**63, -2**63 - 1, 2**64 - 1, 2**64, -2**64, 10**30, -10**30,
        9223372036, 9223372037, -9223372037, 9223372036854, 9223372036855, -9223372036855]
FLOATS = ['0.0', '-0.0', '1.0', '1.5', '-1.5', '0.25', '1e-09', '1e-10', '-1e-10', '2.5e-07',
          '0.0001', '0.001', '0.0015', '-0.0005', '1000000000.0', '9223372036.0', '9223372037.0',
          '9223372036854.775', '9223372036855.0', '-9223372036855.0', '2147483647.0',
          '2147483647.5', '2147483648.0', '-2147483648.5', '-2147483649.0', '1e+300', '-1e+300',
          'nan', 'inf', '-inf']
OTHERS = ['bool:True', 'bool:False', 'none', 'str:""', 'str:"abc"', 'str:"1"', 'str:"a\\u0000b"',
          'str:"127.0.0.1"', 'bytes:', 'bytes:01020304', 'bytes:616263', 'bytes:610062',
          'bytearray:', 'bytearray:7f000001', 'list', 'selfref', 'tuple', 'dict',
          'subint:0', 'subint:5', 'subint:-1', 'subint:65536', 'subint:2147483648', 'subint:18446744073709551616',
          'fileno:0', 'fileno:3', 'fileno:-1', 'fileno:2147483647', 'fileno:2147483648', 'fileno:-2147483649']
INPUTS = ['int:%d' % n for n in INTS] + ['float:' + f for f in FLOATS] + OTHERS


def value(tok):
    kind, _, arg = tok.partition(':')
    if kind == 'int':
        return int(arg)
    if kind == 'float':
        return float(arg)
    if kind == 'bool':
        return arg == 'True'
    if kind == 'none':
        return None
    if kind == 'str':
        return json.loads(arg)
    if kind == 'bytes':
        return bytes.fromhex(arg)
    if kind == 'bytearray':
        return bytearray.fromhex(arg)
    if kind == 'list':
        return [1]
    if kind == 'selfref':
        l = []
        l.append(l)
        return l
    if kind == 'tuple':
        return (1,)
    if kind == 'dict':
        return {}
    if kind == 'subint':
        return port(int(arg))
    if kind == 'fileno':
        return FilenoObj(int(arg))
    raise ValueError(tok)


SOCK = socket.socket()
READY_R, READY_W = os.pipe()  # the write end is always ready: poll() returns at once


def poll_ms(x):
    p = select.poll()
    p.register(READY_W, select.POLLOUT)
    p.poll(x)
    return None


def epoll_mask(x):
    with select.epoll() as ep:
        try:
            ep.register(READY_W, x)
        except OSError:
            pass  # the kernel refused the bits: the conversion itself passed
    return operator.index(x) & 0xffffffff


def listen(x):
    SOCK.listen(x)
    return operator.index(x)


def setblocking(x):
    SOCK.setblocking(x)
    return operator.index(x)


def settimeout(x):
    SOCK.settimeout(x)
    return SOCK.gettimeout()


def list_insert(x):
    [].insert(x, 0)
    return operator.index(x)


def strerror(x):
    os.strerror(x)
    return operator.index(x)


def poll_register_mask(x):
    select.poll().register(0, x)
    return operator.index(x)


def hexlify(x):
    return binascii.hexlify(x).decode()


def inet_aton(x):
    try:
        socket.inet_aton(x)
    except OSError:
        pass  # not an address, but a str: the conversion passed
    return x


def poll_register_fd(x):
    select.poll().register(x)
    return operator.index(x) if isinstance(x, int) else x.fileno()


# converter name -> the CPython call that uses it
CONVERTERS = {
    'index': operator.index,                  # PyNumber_Index
    'clong': setblocking,                     # PyLong_AsLong
    'cint': listen,                           # PyArg_Parse "i"
    'clinic_int': strerror,                   # Argument Clinic int: _PyLong_AsInt
    'ssize_t': list_insert,                   # Argument Clinic Py_ssize_t
    'ushort': poll_register_mask,             # _PyLong_UnsignedShort_Converter
    'uint_bitwise': epoll_mask,               # unsigned_int(bitwise=True)
    'bytes_like': hexlify,                    # Py_buffer: PyObject_GetBuffer
    'str': inet_aton,                         # PyArg_Parse "s"
    'timeout': settimeout,                    # socket_parse_timeout
    'poll_ms': poll_ms,                       # _PyTime_FromMillisecondsObject + ms range
    'fd': poll_register_fd,                   # PyObject_AsFileDescriptor
    'typename': lambda x: type(x).__name__,   # type(x).__name__
}


def outcome(fn, x):
    try:
        r = fn(x)
    except Exception as e:  # noqa: BLE001 - the exception is the result
        return '%s: %s' % (type(e).__name__, e)
    if isinstance(r, str):
        return 'ok ' + r
    return 'ok ' + repr(r)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, fn in CONVERTERS.items():
        lines = ['%s\t%s\n' % (tok, outcome(fn, value(tok))) for tok in INPUTS]
        with open(os.path.join(out, name + '.golden'), 'w', encoding='utf-8') as f:
            f.writelines(lines)


if __name__ == '__main__':
    main()
