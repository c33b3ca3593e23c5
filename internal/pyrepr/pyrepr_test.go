package pyrepr_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pysock/pysock/internal/oracle"
	"github.com/pysock/pysock/internal/pyrepr"
)

type port int

type named struct{ X int }

// TestReprMatchesCPython: Go values a port prints, against CPython's repr()
// of the Python value each stands for (the expectations come from
// python3, run here).
func TestReprMatchesCPython(t *testing.T) {
	var nilPtr *named
	var nilMap map[string]int
	self := []any{1, nil}
	self[1] = self
	cases := []struct {
		py  string
		go_ any
	}{
		{"['a', 'b']", []string{"a", "b"}},
		{"[1, 2, 3]", [3]int{1, 2, 3}},
		{"[]", []int{}},
		{"{'x': 1, 'y': [None, True]}", map[string]any{"y": []any{nil, true}, "x": 1}},
		{"{1: 'a', 2: 'b'}", map[int]string{2: "b", 1: "a"}},
		{"None", nilPtr},
		{"None", nilMap},
		{"8080", port(8080)},
		{"8080", func() *port { p := port(8080); return &p }()},
		{"[b'x', b'']", []pyrepr.Bytes{pyrepr.Bytes("x"), {}}},
		{"(1, ('a', 2.5), [None])", pyrepr.Tuple{1, pyrepr.Tuple{"a", 2.5}, []any{nil}}},
		{"[1, [...]]", self},
		// A Go string that is not UTF-8 stands for a str with lone
		// surrogates: surrogatepass bytes, and surrogateescape for others.
		{`'\ud800'`, "\xed\xa0\x80"},
		{`'a\udcffb\udfff'`, "a\xffb\xed\xbf\xbf"},
		{`'\udced\udca0'`, "\xed\xa0"},
	}
	var script strings.Builder
	script.WriteString("self = [1]\nself.append(self)\n")
	for _, c := range cases {
		script.WriteString("print(repr(" + c.py + "))\n")
	}
	dir := t.TempDir()
	want := strings.Split(strings.TrimSpace(string(oracle.Run(t, dir, 30*time.Second, "-c", strings.Replace(script.String(), "print(repr([1, [...]]))", "print(repr(self))", 1)))), "\n")
	if len(want) != len(cases) {
		t.Fatalf("python3 printed %d lines for %d cases", len(want), len(cases))
	}
	for i, c := range cases {
		if got := pyrepr.Repr(c.go_); got != want[i] {
			t.Errorf("Repr(%#v) = %s, CPython: %s", c.go_, got, want[i])
		}
	}
}
