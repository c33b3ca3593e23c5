// Package cpython holds Go ports of CPython 3.11's own regression tests for
// socket, select, selectors and socketserver (Lib/test/test_socket.py,
// test_select.py, test_selectors.py, test_socketserver.py) and the ledger
// they produce: LEDGER.md, one line per CPython test method with its status
// here (pass, skip, n/a, fail, todo).
//
// The ports are in the _test.go files; TestLedger runs them and writes or
// checks LEDGER.md. This file only reads a ledger, for cmd/pysock-compat.
package cpython

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Modules are the CPython test modules the ledger covers, in report order.
var Modules = []string{"test_socket", "test_select", "test_selectors", "test_socketserver"}

// Statuses are the ledger's statuses, in summary order.
var Statuses = []string{"pass", "skip", "n/a", "fail", "todo"}

// Entry is one ledger line: a CPython test method and its status here.
type Entry struct {
	Module, ID string // "test_socket", "GeneralModuleTests.testSockName"
	Status     string // one of Statuses
	Reason     string // empty for pass
}

// Line is the entry as LEDGER.md spells it.
func (e Entry) Line() string {
	s := fmt.Sprintf("- `%s.%s`: %s", e.Module, e.ID, e.Status)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// ParseLedger reads the entries of a LEDGER.md.
func ParseLedger(r io.Reader) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "- `") {
			continue
		}
		rest := strings.TrimPrefix(line, "- `")
		name, status, ok := strings.Cut(rest, "`: ")
		if !ok {
			return nil, fmt.Errorf("bad ledger line %q", line)
		}
		mod, id, ok := strings.Cut(name, ".")
		if !ok {
			return nil, fmt.Errorf("bad ledger line %q", line)
		}
		st, reason, _ := strings.Cut(status, ": ")
		out = append(out, Entry{Module: mod, ID: id, Status: st, Reason: reason})
	}
	return out, sc.Err()
}

// Summary is one line per module: "CPython test_socket: 401 pass, 57 skip
// (as CPython), 8 n/a, 0 fail, 0 todo".
func Summary(entries []Entry) []string {
	counts := map[string]map[string]int{}
	for _, e := range entries {
		if counts[e.Module] == nil {
			counts[e.Module] = map[string]int{}
		}
		counts[e.Module][e.Status]++
	}
	var lines []string
	for _, m := range Modules {
		c := counts[m]
		lines = append(lines, fmt.Sprintf("CPython %s: %d pass, %d skip (as CPython), %d n/a, %d fail, %d todo",
			m, c["pass"], c["skip"], c["n/a"], c["fail"], c["todo"]))
	}
	return lines
}
