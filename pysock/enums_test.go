package pysock_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pysock/pysock/internal/oracle"
	"github.com/pysock/pysock/pysock"
)

// TestEnumReprMatchesCPython: the typed constants print as CPython's enum
// members, alone, combined with |, and as values no member names.
func TestEnumReprMatchesCPython(t *testing.T) {
	cases := []struct {
		py  string
		go_ any
	}{
		{"socket.AF_INET", pysock.AF_INET},
		{"socket.AF_UNIX", pysock.AF_UNIX},
		{"socket.AddressFamily(2)", pysock.AddressFamily(2)},
		{"socket.SOCK_STREAM", pysock.SOCK_STREAM},
		{"socket.SOCK_CLOEXEC", pysock.SOCK_CLOEXEC},
		{"socket.SOCK_STREAM | socket.SOCK_NONBLOCK", pysock.SOCK_STREAM | pysock.SOCK_NONBLOCK},
		{"socket.MSG_PEEK", pysock.MSG_PEEK},
		{"socket.MSG_PEEK | socket.MSG_WAITALL", pysock.MSG_PEEK | pysock.MSG_WAITALL},
		{"socket.MSG_EOR | socket.MSG_TRUNC", pysock.MSG_EOR | pysock.MSG_TRUNC},
		{"socket.MsgFlag(0)", pysock.MsgFlag(0)},
		{"socket.MsgFlag(2**31 | 2)", pysock.MsgFlag(1<<31 | 2)},
		{"socket.MsgFlag(1 << 40)", pysock.MsgFlag(1 << 40)},
		{"socket.AI_PASSIVE", pysock.AI_PASSIVE},
		{"socket.AI_PASSIVE | socket.AI_CANONNAME", pysock.AI_PASSIVE | pysock.AI_CANONNAME},
		{"socket.AddressInfo(0)", pysock.AddressInfo(0)},
		{"[socket.AF_INET6, socket.SOCK_DGRAM]", []any{pysock.AF_INET6, pysock.SOCK_DGRAM}},
		{"str(socket.MSG_PEEK)", pysock.Str(pysock.MSG_PEEK)},
		{"str(socket.AF_INET)", pysock.Str(pysock.AF_INET)},
	}
	var script strings.Builder
	script.WriteString("import socket\n")
	for _, c := range cases {
		script.WriteString("print(repr(" + c.py + "))\n")
	}
	want := strings.Split(strings.TrimSpace(string(oracle.Run(t, t.TempDir(), 30*time.Second, "-c", script.String()))), "\n")
	if len(want) != len(cases) {
		t.Fatalf("python3 printed %d lines for %d cases", len(want), len(cases))
	}
	for i, c := range cases {
		if got := pysock.Repr(c.go_); got != want[i] {
			t.Errorf("Repr(%s) = %s, CPython: %s", c.py, got, want[i])
		}
	}
}
