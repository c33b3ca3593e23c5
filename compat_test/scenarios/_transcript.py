"""Transcript helpers shared by every scenario (the Go twin is ports/transcript.go).

A line is `label = repr(result)` or `label ! Class errno=… str=… repr=… oserror=…`.
Nondeterminism is normalised here, never by fuzzy matching in Go: fd numbers
become <fd>, ephemeral ports <port>, thread numbers (Thread-N) <n>, temp dirs
<tmp>, and elapsed times buckets.
"""
import re
import sys
import time

T = 0.3  # the timeout every timing scenario uses

_subs = []
_norm_ports = [True]


def keep_ports():
    """Print port numbers as they are (for scenarios with no ephemeral ports)."""
    _norm_ports[0] = False


def register_sub(text, repl):
    _subs.append((text, repl))


def norm(s):
    s = re.sub(r"fd=\d+", "fd=<fd>", s)
    s = re.sub(r"\b\d+ \(FD \d+\)", "<fd> (FD <fd>)", s)
    s = re.sub(r"\(FD \d+\)", "(FD <fd>)", s)
    s = re.sub(r"\bThread-\d+", "Thread-<n>", s)
    if _norm_ports[0]:
        s = re.sub(r"\b(localhost|127\.0\.0\.1) port \d+", r"\1 port <port>", s)
        s = re.sub(r"(\(\\?'[0-9a-f:.]+\\?', )\d+", r"\1<port>", s)
        s = re.sub(r"\b(localhost|127\.0\.0\.1):\d+", r"\1:<port>", s)
    for text, repl in _subs:
        s = s.replace(text, repl)
    return s


def out(line):
    sys.stdout.write(norm(line) + "\n")
    sys.stdout.flush()


def exc_line(label, e):
    errno = getattr(e, "errno", None) if isinstance(e, OSError) else None
    out("%s ! %s errno=%r str=%r repr=%r oserror=%s" % (
        label, type(e).__name__, errno, str(e), repr(e), isinstance(e, OSError)))


def show(label, fn):
    """Run fn, print its result or its exception; return the result."""
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 - the transcript records every class
        exc_line(label, e)
        return None
    out("%s = %r" % (label, r))
    return r


def bucket(elapsed, t=T):
    if elapsed < t * 0.5:
        return "~0"
    if t * 0.95 <= elapsed < t * 1.9:
        return "≈T"
    return "off(%.3f)" % elapsed


def timed(label, fn, t=T):
    """show() plus the elapsed-time bucket."""
    start = time.monotonic()
    r = show(label, fn)
    out("%s elapsed %s" % (label, bucket(time.monotonic() - start, t)))
    return r
