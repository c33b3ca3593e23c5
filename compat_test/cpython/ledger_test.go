package cpython

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pysock/pysock/internal/oracle"
)

const (
	resultsFile = "testdata/cpython_results.txt"
	ledgerFile  = "LEDGER.md"
)

// cpythonResult is one line of testdata/cpython_results.txt: what CPython's
// own suite does with a test method on this machine.
type cpythonResult struct {
	module, id, status, reason string
}

func readResults(t *testing.T, b []byte) []cpythonResult {
	t.Helper()
	var out []cpythonResult
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 4 {
			t.Fatalf("%s: bad line %q", resultsFile, sc.Text())
		}
		out = append(out, cpythonResult{f[0], f[1], f[2], f[3]})
	}
	return out
}

// normalized is a results line as compared with a fresh run: CPython's own
// failures here (error, fail, hang: the VSOCK stream test either waits in
// accept() forever or fails to bind, depending on the VM) are one status.
func normalized(rs []cpythonResult) []string {
	var out []string
	for _, r := range rs {
		st, reason := r.status, r.reason
		switch st {
		case "error", "fail", "hang":
			st, reason = "cpython-fails-here", ""
		}
		out = append(out, strings.Join([]string{r.module, r.id, st, reason}, "\t"))
	}
	return out
}

// TestCPythonResults reruns CPython's own suite here (list_tests.py) and
// fails if the checked-in testdata/cpython_results.txt is stale: a CPython
// test method added or removed, or a different skip. Skipped without
// python3, mandatory under CI=true, like the golden oracle.
func TestCPythonResults(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: CPython's suite takes about a minute")
	}
	oracle.Python(t)
	t.Parallel()
	fresh := oracle.Run(t, ".", 10*time.Minute, "list_tests.py", "--stdout")
	old, err := os.ReadFile(resultsFile)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(normalized(readResults(t, old)), normalized(readResults(t, fresh))); d != "" {
		t.Errorf("%s is stale; regenerate with python3 compat_test/cpython/list_tests.py (-checked-in +fresh):\n%s", resultsFile, d)
	}
}

// TestLedger runs every registered port (as subtest Class/method), builds
// the ledger and compares it with the checked-in LEDGER.md (rewritten with
// PYSOCK_LEDGER_WRITE=1). Every CPython test method must have a registry
// entry (a port, an n/a reason, or a class-level skip probe) or it is
// "todo: not ported yet"; a registry entry CPython does not have fails.
func TestLedger(t *testing.T) {
	defer func() {
		for _, f := range suiteCleanups {
			f()
		}
	}()
	b, err := os.ReadFile(resultsFile)
	if err != nil {
		t.Fatal(err)
	}
	results := readResults(t, b)
	known := map[string]cpythonResult{}
	for _, r := range results {
		known[key(r.module, r.id)] = r
	}
	for k := range registry {
		if _, ok := known[k]; !ok {
			t.Errorf("registry has %q, which CPython's test files do not have", k)
		}
	}
	probes := map[string][2]string{} // class -> {skip?, reason}
	var entries []Entry
	complete := true
	for _, r := range results {
		p := registry[key(r.module, r.id)]
		class, method, _ := strings.Cut(r.id, ".")
		e := Entry{Module: r.module, ID: r.id}
		if probe, ok := classes[class]; ok {
			if _, done := probes[class]; !done {
				var skip bool
				var reason string
				pt := run(class+".probe", func(pt *T) { skip, reason = probe(pt) })
				if pt.Failed() {
					t.Errorf("%s: class skip probe failed: %s", class, strings.Join(pt.failed, "; "))
				}
				probes[class] = [2]string{fmt.Sprint(skip), reason}
			}
		}
		switch {
		case probes[class][0] == "true":
			e.Status, e.Reason = "skip", probes[class][1]
			checkSkip(t, r, e)
		case p == nil:
			e.Status, e.Reason = "todo", "not ported yet"
		case p.na != "":
			e.Status, e.Reason = "n/a", p.na
		default:
			ran := false
			t.Run(class+"/"+method, func(gt *testing.T) {
				ran = true
				e.Status, e.Reason = outcome(gt, r, p)
				if e.Status == "skip" {
					gt.Skip(e.Reason)
				}
			})
			if !ran {
				complete = false
				e.Status, e.Reason = "todo", "not run (-run filter)"
			}
		}
		entries = append(entries, e)
	}
	if !complete {
		t.Log("a -run filter left ports out: the ledger is not compared")
		return
	}
	got := renderLedger(entries)
	if os.Getenv("PYSOCK_LEDGER_WRITE") == "1" {
		if err := os.WriteFile(ledgerFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", ledgerFile)
		for _, l := range Summary(entries) {
			t.Log(l)
		}
		return
	}
	want, err := os.ReadFile(ledgerFile)
	if err != nil {
		t.Fatalf("%v (write it with PYSOCK_LEDGER_WRITE=1)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs from this run (-checked-in +now); a pass that turned into anything else is a regression, "+
			"otherwise regenerate with PYSOCK_LEDGER_WRITE=1 go test ./compat_test/cpython -run TestLedger:\n%s", ledgerFile, d)
	}
}

// suiteCleanups run when TestLedger ends (tearDownClass of shared
// fixtures).
var suiteCleanups []func()

// checkSkip fails when we skip a test CPython runs here.
func checkSkip(t *testing.T, r cpythonResult, e Entry) {
	t.Helper()
	if r.status == "pass" {
		t.Errorf("%s: skipped here (%s) but CPython runs it on this machine", r.id, e.Reason)
	}
}

// outcome runs one port and gives its ledger status. An unexpected failure
// fails the Go test; a known one (knownFail) is logged.
func outcome(gt *testing.T, r cpythonResult, p *portDef) (status, reason string) {
	pt := run(p.id(), p.fn)
	for _, l := range pt.logs {
		gt.Log(l)
	}
	switch {
	case pt.skip && len(pt.failed) == 0:
		e := Entry{Status: "skip", Reason: pt.skipped}
		checkSkip(gt, r, e)
		return e.Status, e.Reason
	case len(pt.failed) == 0:
		if p.fail != "" {
			gt.Logf("marked as a known failure (%s) but passes: update the ledger", p.fail)
		}
		return "pass", ""
	case p.fail != "":
		gt.Logf("known failure: %s\n%s", p.fail, strings.Join(pt.failed, "\n"))
		return "fail", p.fail
	default:
		gt.Errorf("%s", strings.Join(pt.failed, "\n"))
		first, _, _ := strings.Cut(pt.failed[0], "\n")
		return "fail", "unexpected: " + first
	}
}

func renderLedger(entries []Entry) []byte {
	var b bytes.Buffer
	b.WriteString("# CPython's own tests, run against pysock\n\n")
	b.WriteString("Generated by `PYSOCK_LEDGER_WRITE=1 go test ./compat_test/cpython -run TestLedger`; do not edit.\n")
	b.WriteString("One line per test method of CPython 3.11's `Lib/test/test_socket.py`, `test_select.py`,\n")
	b.WriteString("`test_selectors.py` and `test_socketserver.py` (see README.md): `pass`, `skip` (CPython skips it on\n")
	b.WriteString("this machine too, same reason), `n/a` (a Python-only concept, or a class pysock does not have),\n")
	b.WriteString("`fail` (pysock differs from CPython), `todo` (not ported yet).\n\n")
	for _, l := range Summary(entries) {
		b.WriteString(l + "\n\n")
	}
	byMod := map[string][]Entry{}
	for _, e := range entries {
		byMod[e.Module] = append(byMod[e.Module], e)
	}
	for _, m := range Modules {
		fmt.Fprintf(&b, "## %s\n\n", m)
		es := byMod[m]
		sort.Slice(es, func(i, j int) bool { return es[i].ID < es[j].ID })
		for _, e := range es {
			b.WriteString(e.Line() + "\n")
		}
		b.WriteString("\n")
	}
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n')
}
