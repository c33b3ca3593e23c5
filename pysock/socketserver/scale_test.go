package socketserver_test

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
	"golang.org/x/sys/unix"
)

// osThreads is the Threads: line of /proc/self/status.
func osThreads(t *testing.T) int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "Threads:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Skip("no Threads: line in /proc/self/status")
	return 0
}

type scaleServer struct {
	socketserver.ThreadingTCPServer
	n     int64
	in    atomic.Int64
	allIn chan struct{}
}

type scaleHandler struct {
	socketserver.StreamRequestHandler
}

func (h *scaleHandler) Handle() error {
	srv := h.Server.(*scaleServer)
	if srv.in.Add(1) == srv.n {
		close(srv.allIn)
	}
	line, err := h.RFile.ReadLine()
	if err != nil {
		return err
	}
	_, err = h.WFile.Write(line)
	return err
}

// TestThreadingTCPServerManyConnections holds 2 000 connections (or
// $SOCKETSERVER_CONNS) open at once on a ThreadingTCPServer, each request's
// goroutine blocked in rfile.readline(), and counts the process's OS
// threads then: a handful, where CPython needs a thread per connection.
func TestThreadingTCPServerManyConnections(t *testing.T) {
	n := 2000
	if v := os.Getenv("SOCKETSERVER_CONNS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			t.Fatal(err)
		}
	}
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		t.Skip(err)
	}
	if need := uint64(2*n + 100); lim.Cur < need {
		t.Skipf("RLIMIT_NOFILE is %d; %d connections in one process need %d fds", lim.Cur, n, need)
	}
	watchdog := time.AfterFunc(2*time.Minute, func() { panic("TestThreadingTCPServerManyConnections: watchdog expired") })
	defer watchdog.Stop()

	s := &scaleServer{n: int64(n), allIn: make(chan struct{})}
	s.RequestQueueSize = 4096
	if err := s.Init(s, pysock.Tuple{"127.0.0.1", 0}, socketserver.HandlerClass[scaleHandler]()); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.ServeForever() }()
	defer func() {
		s.Shutdown()
		if err := <-served; err != nil {
			t.Error(err)
		}
		s.ServerClose()
	}()

	clients := make([]*pysock.Socket, 0, n)
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	for range n {
		c, err := pysock.CreateConnection(s.ServerAddress)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	<-s.allIn // every handler is blocked in readline
	threads := osThreads(t)
	t.Logf("%d connections open, each with a request goroutine in readline: %d OS threads", n, threads)
	if threads > 64 {
		t.Errorf("%d OS threads for %d connections", threads, n)
	}
	for i, c := range clients {
		msg := []byte(fmt.Sprintf("line %d\n", i))
		if err := c.SendAll(msg); err != nil {
			t.Fatal(err)
		}
		var got []byte
		for !bytes.HasSuffix(got, []byte("\n")) {
			data, err := c.Recv(64)
			if err != nil || len(data) == 0 {
				t.Fatalf("client %d: %q, %v", i, data, err)
			}
			got = append(got, data...)
		}
		if !bytes.Equal(got, msg) {
			t.Fatalf("client %d: got %q", i, got)
		}
	}
}
