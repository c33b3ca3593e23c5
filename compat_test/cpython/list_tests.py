#!/usr/bin/env python3
"""List every test method of CPython's test_socket, test_select,
test_selectors and test_socketserver and run CPython's own suite on this
machine, recording what CPython itself does with each test here.

    python3 compat_test/cpython/list_tests.py            # writes testdata/cpython_results.txt
    python3 compat_test/cpython/list_tests.py --stdout   # prints it instead

Each output line is  module<TAB>Class.method<TAB>status<TAB>reason  with
status one of pass, skip, fail, error, expected-failure,
unexpected-success, hang (reason: the skip reason, or for hang the limit).
Lines are sorted so the file is stable; the Go test TestCPythonResults
compares it with a fresh run.

Resources are those of `python3 -m test` without -u (none: network, cpu
and the like are off), so tests needing them skip as in CPython's default
run, with one exception (MODULE_RESOURCES): test_socketserver calls
support.requires("network") at import, so `python3 -m test` without -u
skips the whole module (resource_denied), although every test in it uses
only the loopback interface and temporary AF_UNIX paths; it is listed and
run with the network resource enabled. A test that does not finish within
HANG seconds (on some machines the VSOCK tests wait in accept() forever) is
recorded as hang and the run goes on in a fresh interpreter without it.
"""
import os
import subprocess
import sys
import threading
import time
import unittest

MODULES = ["test_socket", "test_select", "test_selectors", "test_socketserver"]
# Resources enabled for one module only (see the docstring).
MODULE_RESOURCES = {"test_socketserver": ["network"]}
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "testdata", "cpython_results.txt")
HANG = 60


def short(test_id):
    # "test.test_socket.GeneralModuleTests.testSockName" -> Class.method
    return ".".join(test_id.split(".")[-2:])


def flat(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from flat(t)
        else:
            yield t


class Collector(unittest.TestResult):
    """Streams one line per finished test to stdout (child mode)."""

    def __init__(self, out):
        super().__init__()
        self.out = out
        self.current = None
        self.started = 0.0
        self.status = {}

    def startTest(self, test):
        super().startTest(test)
        self.current = short(test.id())
        self.started = time.monotonic()
        self.out.write("START\t%s\n" % self.current)
        self.out.flush()

    def stopTest(self, test):
        super().stopTest(test)
        tid = short(test.id())
        st, reason = self.status.get(tid, ("pass", ""))
        self.out.write("RESULT\t%s\t%s\t%s\n" % (tid, st, reason))
        self.out.flush()
        self.current = None

    def _set(self, test, st, reason=""):
        tid = short(test.id())
        if self.status.get(tid, ("pass",))[0] == "pass":
            self.status[tid] = (st, " ".join(str(reason).split()))

    def addSkip(self, test, reason):
        if isinstance(test, unittest.TestCase) and not isinstance(test, unittest.case._SubTest):
            self._set(test, "skip", reason)
        else:
            self._holder(test, "skip", reason)

    def addFailure(self, test, err):
        self._set(test, "fail")

    def addError(self, test, err):
        if isinstance(test, unittest.TestCase):
            self._set(test, "error")
        else:
            self._holder(test, "error", "")

    def addSubTest(self, test, subtest, err):
        if err is not None:
            kind = "fail" if issubclass(err[0], test.failureException) else "error"
            self._set(test, kind)

    def addExpectedFailure(self, test, err):
        self._set(test, "expected-failure")

    def addUnexpectedSuccess(self, test):
        self._set(test, "unexpected-success")

    def _holder(self, holder, st, reason):
        # setUpClass/setUpModule outcomes arrive on a holder:
        # "setUpClass (test.test_socket.Foo)".
        desc = str(holder)
        cls = desc.split("(")[-1].rstrip(")").split(".")[-1]
        self.out.write("CLASS\t%s\t%s\t%s\n" % (cls, st, " ".join(str(reason).split())))
        self.out.flush()


def child(module, exclude):
    from test import support
    support.verbose = False
    support.use_resources = list(MODULE_RESOURCES.get(module, []))
    mod = __import__("test." + module, fromlist=["*"])
    suite = unittest.defaultTestLoader.loadTestsFromModule(mod)
    out = sys.stdout
    sys.stdout = sys.stderr  # tests that print must not break the protocol
    for t in flat(suite):
        out.write("ID\t%s\n" % short(t.id()))
    out.flush()
    keep = unittest.TestSuite()

    def prune(s):
        new = unittest.TestSuite()
        for t in s:
            if isinstance(t, unittest.TestSuite):
                new.addTest(prune(t))
            elif short(t.id()) not in exclude:
                new.addTest(t)
        return new

    keep = prune(suite)
    res = Collector(out)

    def watchdog():
        while True:
            time.sleep(1)
            cur = res.current
            if cur is not None and time.monotonic() - res.started > HANG:
                out.write("HANG\t%s\n" % cur)
                out.flush()
                os._exit(3)

    threading.Thread(target=watchdog, daemon=True).start()
    keep.run(res)
    out.write("DONE\n")
    out.flush()
    sys.stderr.flush()
    os._exit(0)


def run_module(module):
    ids, results, classes = [], {}, {}
    done = set()
    while True:
        p = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--child", module] + sorted(done),
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env=dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1"))
        finished = False
        for line in p.stdout.splitlines():
            f = line.split("\t")
            if f[0] == "ID" and not done and f[1] not in ids:
                ids.append(f[1])
            elif f[0] == "RESULT":
                results[f[1]] = (f[2], f[3])
                done.add(f[1])
            elif f[0] == "CLASS":
                classes.setdefault(f[1], (f[2], f[3]))
            elif f[0] == "HANG":
                results[f[1]] = ("hang", "no result after %ds" % HANG)
                done.add(f[1])
            elif f[0] == "DONE":
                finished = True
        if finished:
            break
        if not any(l.startswith("HANG") for l in p.stdout.splitlines()):
            raise SystemExit("%s: child exited %d without finishing" % (module, p.returncode))
    lines = []
    for tid in ids:
        st = results.get(tid)
        if st is None or (st[0] == "pass" and tid.split(".")[0] in classes):
            st = classes.get(tid.split(".")[0], ("error", "no result"))
        lines.append("%s\t%s\t%s\t%s" % (module, tid, st[0], st[1]))
    return lines


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2], set(sys.argv[3:]))
        return
    lines = []
    for m in MODULES:
        lines += run_module(m)
    lines.sort()
    text = "".join(l + "\n" for l in lines)
    if "--stdout" in sys.argv:
        sys.stdout.write(text)
    else:
        with open(OUT, "w") as f:
            f.write(text)
        print("wrote %d test ids to %s" % (len(lines), OUT), file=sys.stderr)


if __name__ == "__main__":
    main()
