package main

import (
	"flag"
	"os"
	"testing"
	"time"
)

// TestMain lets the test binary serve as the bench's server process:
// withServer starts os.Executable() with -serve, as the command does.
func TestMain(m *testing.M) {
	flag.Parse()
	if serveIfAsked() {
		return
	}
	os.Exit(m.Run())
}

// TestWorkloadsSmoke runs every workload once, small, against every Go
// server in every role it has, and each client kind against pysock: each
// run must succeed with a rate and a CPU figure. It shows that the
// servers, roles and clients work, not how fast they are.
func TestWorkloadsSmoke(t *testing.T) {
	watchdog := time.AfterFunc(3*time.Minute, func() { panic("TestWorkloadsSmoke: watchdog expired") })
	defer watchdog.Stop()
	*cellTimeout = time.Minute
	type work struct {
		name, role string
		fn         func(client string, port, pid int) result
	}
	works := []work{
		{"W1", "echo", func(c string, port, pid int) result { return w1(c, port, pid, 200) }},
		{"W2down", "down", func(c string, port, pid int) result { return w2Down(c, port, pid, 4) }},
		{"W2up", "up", func(c string, port, pid int) result { return w2Up(c, port, pid, 4) }},
		{"W3", "echo", func(c string, port, pid int) result { return w3(c, port, pid, 50) }},
		{"W4", "echo", func(c string, port, pid int) result { return w4(c, port, pid, 50*time.Millisecond) }},
	}
	check := func(t *testing.T, server, client string, w work) {
		r := withServer(server, w.role, func(port, pid int) result { return w.fn(client, port, pid) })
		switch {
		case r.failed != "":
			t.Errorf("%s %s, %s client: %s", w.name, server, client, r.failed)
		case r.rate <= 0 || r.cpuPerOp <= 0:
			t.Errorf("%s %s, %s client: rate %v, CPU per op %v", w.name, server, client, r.rate, r.cpuPerOp)
		}
	}
	for server := range goServers {
		for _, w := range works {
			if w.role != "echo" && echoOnlyServers[server] {
				continue
			}
			check(t, server, "go-net", w)
		}
	}
	for _, client := range []string{"raw", "pysock"} {
		for _, w := range works {
			if w.name != "W3" || client != "raw" {
				check(t, "pysock-blocking", client, w)
			}
		}
	}
	// A server that has no such role refuses to start.
	if r := withServer("pysock-selectors", "down", func(int, int) result { return result{} }); r.failed == "" {
		t.Error("pysock-selectors started in role down")
	}
}
