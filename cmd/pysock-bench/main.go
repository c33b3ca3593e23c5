// Command pysock-bench measures pysock against Go net, raw x/sys/unix and
// CPython on the same workloads, side by side in one run, and prints the
// figures, the server's CPU per operation, and the ratios pysock/raw,
// pysock/net and pysock/CPython.
//
//	go run ./cmd/pysock-bench                         # default run
//	go run ./cmd/pysock-bench -workloads W1 -runs 5 -client raw
//	go run ./cmd/pysock-bench -c 10000 -workloads W3 -servers pysock-socketserver,go-net
//
// One load generator drives every server; -client picks its connections:
// go-net (Go's net package), raw (blocking fds and read/write, an OS
// thread per wait, as a C client) or pysock (blocking pysock sockets,
// recv_into and sendall, as a ported Python client). Each server runs in
// a process of its own, so its OS threads, VmHWM and CPU time can be read
// from /proc. Every cell starts a fresh server for each of its -runs runs,
// and the runs are interleaved across servers (run 1 of every server,
// then run 2, ...), so a slow minute of the machine hits all of them.
//
// Workloads:
//
//	W1      ping-pong 64 B over one connection: round trips/s, the best run
//	        and the median run, each with the server's CPU µs per round trip
//	W2down  the server sends -w2 MiB with sendall of 64 KiB: MiB/s, CPU s/GiB
//	W2up    the server receives -w2 MiB with recv_into 64 KiB: MiB/s, CPU s/GiB
//	W3      C connections held open at once, each doing 16 pings: req/s,
//	        server OS threads once all are open, VmHWM, CPU µs per request
//	W4      connect + accept + close from 4 client loops, each waiting
//	        for the server's close before the next connect: conn/s
//
// Server CPU is read from /proc/<pid>/task/*/schedstat (nanoseconds).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pysock/pysock/internal/oracle"
)

var (
	serveFlag   = flag.String("serve", "", "run one server in this process (internal)")
	roleFlag    = flag.String("role", "echo", "with -serve: echo, down or up (internal)")
	serversFlag = flag.String("servers", "pysock-blocking,pysock-timeout,pysock-selectors,pysock-socketserver,go-net,raw-unix,py-threads,py-threads-timeout,py-selectors,py-socketserver", "servers to compare (also: pysock-recv, pysock-blocking with recv(4096) instead of recv_into; pysock-nodelay, pysock-blocking with TCP_NODELAY as Go net sets it)")
	clientFlag  = flag.String("client", "go-net", "client connections: go-net, raw or pysock")
	workFlag    = flag.String("workloads", "W1,W2down,W2up,W3,W4", "workloads to run")
	cFlag       = flag.String("c", "100,1000,10000", "W3 connection counts")
	w1N         = flag.Int("w1", 10000, "W1 round trips per run")
	w2MiB       = flag.Int("w2", 256, "W2 MiB per run")
	cellTimeout = flag.Duration("timeout", 30*time.Second, "give up on one run of a server after this long")
	w4Dur       = flag.Duration("w4", 2*time.Second, "W4 duration")
	runs        = flag.Int("runs", 3, "runs per cell, each on a fresh server (W1: at least 5)")
	maxSteal    = flag.Float64("maxsteal", 0.10, "run again, up to twice, a run during which the host took more than this share of the machine's CPU time (steal); 1 keeps every run")
)

// result is one measurement: a rate, or a failure, plus server facts.
type result struct {
	rate     float64
	failed   string
	threads  int
	hwmKB    int
	cpuPerOp float64 // server CPU seconds per operation (W2: per GiB)
	unit     string  // how cpuPerOp prints: "µs" per op or "s/GiB"
	best     *result // W1: the best run, shown beside the median
	steal    float64 // share of the machine's CPU time the host took during the run
}

func (r result) String() string {
	if r.failed != "" {
		return "FAIL " + r.failed
	}
	s := human(r.rate) + r.cpuString()
	if r.threads > 0 {
		s += fmt.Sprintf(" · %d thr · %.0f MB", r.threads, float64(r.hwmKB)/1024)
	}
	if r.best != nil {
		s += " (best " + human(r.best.rate) + r.best.cpuString() + ")"
	}
	if r.steal >= 0.005 {
		s += fmt.Sprintf(" · steal %.0f%%", r.steal*100)
	}
	return s
}

func (r result) cpuString() string {
	switch r.unit {
	case "µs":
		return fmt.Sprintf(" · %.1f µs", r.cpuPerOp*1e6)
	case "s/GiB":
		return fmt.Sprintf(" · %.2f s/GiB", r.cpuPerOp)
	}
	return ""
}

func human(v float64) string {
	switch {
	case v >= 1e4:
		return fmt.Sprintf("%.1fk", v/1e3)
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// cell is one row of the table: a workload run against every server.
type cell struct {
	row  string
	role string
	runs int
	keep func(rs []result) result // summary of a server's runs, sorted slowest first
	fn   func(client string, port, pid int) result
}

// medianRun keeps the run with the median rate.
func medianRun(rs []result) result { return rs[len(rs)/2] }

// medianAndBest is the median run with the best run beside it. W1 on this
// kind of machine is bimodal for every server whose waits go through Go's
// netpoller, depending on which runtime thread the kernel wakes: the best
// run measures the code path, the median what a user gets.
func medianAndBest(rs []result) result {
	m := rs[len(rs)/2]
	best := rs[len(rs)-1]
	m.best = &best
	return m
}

func main() {
	flag.Parse()
	if serveIfAsked() {
		return
	}
	if _, ok := clientKinds[*clientFlag]; !ok {
		fmt.Fprintf(os.Stderr, "unknown -client %q: go-net, raw or pysock\n", *clientFlag)
		os.Exit(2)
	}
	runtime.GOMAXPROCS(runtime.NumCPU())
	servers := strings.Split(*serversFlag, ",")
	var rows []string
	results := map[string]map[string]result{}
	for _, c := range cells() {
		rows = append(rows, c.row)
		results[c.row] = runCell(c, servers)
	}
	fmt.Printf("client: %s; %d runs per cell, each on a fresh server; median run shown\n\n", *clientFlag, *runs)
	printTable(rows, servers, results)
}

// serveIfAsked runs the server -serve names, if any, in this process (the
// bench starts its servers as copies of itself), and reports whether it did.
func serveIfAsked() bool {
	if *serveFlag == "" {
		return false
	}
	if err := serve(*serveFlag, *roleFlag); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return true
}

// cells lists the rows the -workloads and -c flags ask for.
func cells() []cell {
	var cs []cell
	client := *clientFlag
	for _, w := range strings.Split(*workFlag, ",") {
		switch w {
		case "W1":
			cs = append(cs, cell{row: "W1 ping-pong rt/s", role: "echo", runs: max(*runs, 5), keep: medianAndBest,
				fn: func(client string, port, pid int) result { return w1(client, port, pid, *w1N) }})
		case "W2down", "W2up":
			fn := w2Down
			if w == "W2up" {
				fn = w2Up
			}
			cs = append(cs, cell{row: fmt.Sprintf("%s %d MiB, MiB/s", w, *w2MiB), role: strings.ToLower(w[2:]), runs: *runs, keep: medianRun,
				fn: func(client string, port, pid int) result { return fn(client, port, pid, *w2MiB) }})
		case "W3":
			for _, f := range strings.Split(*cFlag, ",") {
				n, err := strconv.Atoi(f)
				if err != nil {
					continue
				}
				row := fmt.Sprintf("W3 C=%d req/s", n)
				if client == "raw" {
					row += " (go-net client)"
				}
				cs = append(cs, cell{row: row, role: "echo", runs: *runs, keep: medianRun,
					fn: func(client string, port, pid int) result {
						if client == "raw" {
							client = "go-net"
						}
						return w3(client, port, pid, n)
					}})
			}
		case "W4":
			cs = append(cs, cell{row: "W4 connect+close conn/s", role: "echo", runs: *runs, keep: medianRun,
				fn: func(client string, port, pid int) result { return w4(client, port, pid, *w4Dur) }})
		default:
			fmt.Fprintf(os.Stderr, "unknown workload %q\n", w)
			os.Exit(2)
		}
	}
	return cs
}

// runCell runs one cell: c.runs rounds, each round every server once on a
// fresh server process.
func runCell(c cell, servers []string) map[string]result {
	all := map[string][]result{}
	failed := map[string]result{}
	for range c.runs {
		for _, name := range servers {
			if c.role != "echo" && echoOnlyServers[name] {
				continue
			}
			if _, ok := failed[name]; ok {
				continue
			}
			r := quietRun(func() result {
				return withServer(name, c.role, func(port, pid int) result { return c.fn(*clientFlag, port, pid) })
			})
			if r.failed != "" {
				failed[name] = r
				continue
			}
			all[name] = append(all[name], r)
		}
	}
	out := map[string]result{}
	for _, name := range servers {
		if r, ok := failed[name]; ok {
			out[name] = r
		} else if rs := all[name]; len(rs) > 0 {
			sort.Slice(rs, func(i, j int) bool { return rs[i].rate < rs[j].rate })
			out[name] = c.keep(rs)
		} else {
			continue
		}
		fmt.Fprintf(os.Stderr, "%-32s %-20s %s\n", c.row, name, out[name])
	}
	return out
}

// withServer starts the server in its own process, runs fn, and stops the
// server.
func withServer(name, role string, fn func(port, pid int) result) result {
	var cmd *exec.Cmd
	if kind, ok := strings.CutPrefix(name, "py-"); ok {
		py, err := oracle.Find()
		if err != nil {
			return result{failed: err.Error()}
		}
		exe, _ := os.Executable()
		script := filepath.Join(filepath.Dir(exe), "py", "servers.py")
		if _, err := os.Stat(script); err != nil {
			script = filepath.Join("cmd", "pysock-bench", "py", "servers.py")
		}
		cmd = exec.Command(py, script, kind, role)
	} else {
		exe, err := os.Executable()
		if err != nil {
			return result{failed: err.Error()}
		}
		cmd = exec.Command(exe, "-serve", name, "-role", role)
	}
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		return result{failed: err.Error()}
	}
	if err := cmd.Start(); err != nil {
		return result{failed: err.Error()}
	}
	defer func() {
		// SIGTERM first: a profiling server writes its profile then.
		cmd.Process.Signal(syscall.SIGTERM)
		stopped := make(chan struct{})
		go func() { cmd.Wait(); close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-stopped
		}
	}()
	line, err := readLine(out, *cellTimeout)
	var port int
	if _, perr := fmt.Sscanf(line, "READY %d", &port); err != nil || perr != nil {
		return result{failed: "server did not start: " + strings.TrimSpace(line)}
	}
	return fn(port, cmd.Process.Pid)
}

// readLine reads the server's first line, giving up after d.
func readLine(r io.Reader, d time.Duration) (string, error) {
	type lineErr struct {
		s   string
		err error
	}
	ch := make(chan lineErr, 1)
	go func() {
		var b []byte
		one := make([]byte, 1)
		for {
			n, err := r.Read(one)
			if n == 1 && one[0] != '\n' {
				b = append(b, one[0])
			}
			if err != nil || (n == 1 && one[0] == '\n') {
				ch <- lineErr{string(b), err}
				return
			}
		}
	}()
	select {
	case l := <-ch:
		return l.s, l.err
	case <-time.After(d):
		return "", fmt.Errorf("no READY line in %v", d)
	}
}

// printTable prints each row as a block: one line per server, then the
// ratios of each pysock server's rate to the others' in this run.
func printTable(rows, servers []string, results map[string]map[string]result) {
	for _, row := range rows {
		fmt.Println(row)
		for _, s := range servers {
			if r, ok := results[row][s]; ok {
				fmt.Printf("  %-20s %s\n", s, r)
			}
		}
		for _, p := range []string{"pysock-blocking", "pysock-timeout", "pysock-nodelay", "pysock-recv", "pysock-selectors", "pysock-socketserver"} {
			pr, ok := results[row][p]
			if !ok || pr.failed != "" {
				continue
			}
			var parts []string
			for _, o := range []string{"raw-unix", "go-net", "py-threads", "py-threads-timeout", "py-selectors", "py-socketserver", "pysock-blocking"} {
				or, ok := results[row][o]
				if !ok || o == p {
					continue
				}
				if or.failed != "" {
					parts = append(parts, o+" FAILED")
					continue
				}
				parts = append(parts, fmt.Sprintf("/%s %.2f×", o, pr.rate/or.rate))
			}
			if len(parts) > 0 {
				fmt.Printf("  ratios of %-20s %s\n", p, strings.Join(parts, "  "))
			}
		}
		fmt.Println()
	}
}
