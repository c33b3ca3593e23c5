"""Golden rows for the errors package, produced by CPython (never edit golden.jsonl).

Usage: python3 errors/testdata/gen_golden.py > errors/testdata/golden.jsonl
Each row names a constructor and its arguments; CPython builds the exception
and records what a port must reproduce: class, MRO, errno, strerror, args,
str() and repr().
"""
import ctypes
import json
import os
import socket
import sys

libc = ctypes.CDLL(None)
libc.gai_strerror.restype = ctypes.c_char_p
libc.gai_strerror.argtypes = [ctypes.c_int]
libc.hstrerror.restype = ctypes.c_char_p
libc.hstrerror.argtypes = [ctypes.c_int]

CTORS = {
    "OSError": OSError, "BlockingIOError": BlockingIOError, "TimeoutError": TimeoutError,
    "ConnectionError": ConnectionError, "BrokenPipeError": BrokenPipeError,
    "ConnectionRefusedError": ConnectionRefusedError, "PermissionError": PermissionError,
    "gaierror": socket.gaierror, "herror": socket.herror,
    "TypeError": TypeError, "ValueError": ValueError, "OverflowError": OverflowError,
    "KeyError": KeyError, "MemoryError": MemoryError, "UnicodeError": UnicodeError,
    "UnicodeEncodeError": UnicodeEncodeError, "UnicodeDecodeError": UnicodeDecodeError,
    "RuntimeError": RuntimeError, "AttributeError": AttributeError, "UnsupportedOperation": __import__("io").UnsupportedOperation,
    "Exception": Exception,
}


def jarg(a):
    """JSON form of an argument: bytes become {"bytes": hex}, floats {"float": repr}."""
    if isinstance(a, bytes):
        return {"bytes": a.hex()}
    if isinstance(a, float):
        return {"float": repr(a)}
    return a


def row(ctor, *args):
    e = CTORS[ctor](*args)
    is_os = isinstance(e, OSError)
    out = {
        "ctor": ctor,
        "args": [jarg(a) for a in args],
        "class": type(e).__name__,
        "mro": [c.__name__ for c in type(e).__mro__ if c is not object],
        "errno": e.errno if is_os else None,
        "strerror": e.strerror if is_os else None,
        "args_repr": repr(e.args),
        "str": str(e),
        "repr": repr(e),
    }
    print(json.dumps(out, ensure_ascii=False))


# Every errno the kernel defines, plus a few unknown numbers.
for n in list(range(0, 134)) + [9999, -1]:
    row("OSError", n, os.strerror(n))
# The socket timeout and the kernel's ETIMEDOUT.
row("TimeoutError", "timed out")
row("TimeoutError", 110, os.strerror(110))
# Resolver errors: every EAI_* code and h_errno value, texts from libc.
for code in range(-1, -13, -1):
    row("gaierror", code, libc.gai_strerror(code).decode())
for code in range(1, 5):
    row("herror", code, libc.hstrerror(code).decode())
# OSError shapes.
row("OSError")
row("OSError", "illegal IP address string passed to inet_aton")
row("OSError", 1, "a", "file")
row("OSError", 2, "a", "f1", None, "f2")
row("OSError", 98, "Address already in use (while attempting to bind on address ('127.0.0.1', 42241))")
row("BlockingIOError", 11, "x", 5)
row("BlockingIOError", 104, "direct subclass keeps its class")
row("ConnectionError", 111, "not remapped")
row("OSError", 11, None)
# Argument errors: never OSErrors.
row("TypeError", "'str' object cannot be interpreted as an integer")
row("TypeError", "bind(): AF_INET address must be tuple, not str")
row("ValueError", "Timeout value out of range")
row("ValueError", "Invalid value NaN (not a number)")
row("ValueError", "negative buffersize in recv")
row("OverflowError", "timestamp out of range for platform time_t")
row("OverflowError", "bind(): port must be 0-65535.")
row("KeyError", "<socket.socket fd=3, family=1, type=1, proto=0> (FD 3) is already registered")
row("KeyError", 12345)
row("MemoryError")
row("OSError", None, "None (while attempting to bind on address ('<broadcast>', 0))")
row("OSError", None, "x", "file")
row("RuntimeError", "Selector is closed")
row("UnsupportedOperation", "File or stream is not readable.")
row("RuntimeError", "concurrent poll() invocation")
row("RuntimeError", "cannot join current thread")
row("AttributeError", "'BaseServer' object has no attribute 'socket'")
row("UnicodeError", "encoding with 'idna' codec failed (UnicodeError: label too long)")
# What a text-mode makefile raises when it cannot encode or decode.
row("UnicodeEncodeError", "ascii", "a\u20ac", 1, 2, "ordinal not in range(128)")
row("UnicodeEncodeError", "ascii", "a\u20ac\u20acb", 1, 3, "ordinal not in range(128)")
row("UnicodeEncodeError", "latin-1", "\U0001f600", 0, 1, "ordinal not in range(256)")
row("UnicodeEncodeError", "ascii", "\xe9", 0, 1, "ordinal not in range(128)")
row("UnicodeDecodeError", "utf-8", b"\xff\xfeabc\n", 0, 1, "invalid start byte")
row("UnicodeDecodeError", "utf-8", b"ab\xe2\x82", 2, 4, "unexpected end of data")
row("Exception", "a", 1, None, 2.5, b"\x00'q\"")
row("ValueError", "tab\there\nnewline \x7f é \u200b")
