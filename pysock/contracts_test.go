package pysock_test

// Go's contracts for the io and net adapters (issue 15): testing/iotest
// over Socket and Conn as io.Readers, golang.org/x/net/nettest.TestConn
// over NetConn pairs, and the io.Reader / io.Writer rule that n is never
// negative and equals the bytes actually moved, on every error path we can
// provoke.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/pysock/pysock/internal/leakcheck"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/net/nettest"
	"golang.org/x/sys/unix"
)

func ctContent() []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 100_000)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

// ctFeed returns a blocking socket from which content can be read, then
// the end of the stream: its peer sends content and shuts down writing.
func ctFeed(t *testing.T, content []byte) *pysock.Socket {
	t.Helper()
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		err := b.SendAll(content)
		if err == nil {
			err = b.Shutdown(pysock.SHUT_WR)
		}
		done <- err
	}()
	t.Cleanup(func() {
		a.Close()
		if err := <-done; err != nil {
			t.Errorf("feeding the socket: %v", err)
		}
		b.Close()
	})
	return a
}

func TestGoContractsIOTestReader(t *testing.T) {
	leakcheck.Track(t)
	mxWatchdog(t, 60*time.Second)
	content := ctContent()
	wrappers := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"plain", func(r io.Reader) io.Reader { return r }},
		{"OneByteReader", iotest.OneByteReader},
		{"HalfReader", iotest.HalfReader},
		// Not DataErrReader: TestReader makes zero-length reads, on
		// which DataErrReader loops forever whatever it wraps.
	}
	adapters := []struct {
		name string
		as   func(*pysock.Socket) io.Reader
	}{
		{"Socket", func(s *pysock.Socket) io.Reader { return s }},
		{"NetConn", func(s *pysock.Socket) io.Reader { return s.NetConn() }},
	}
	for _, a := range adapters {
		for _, w := range wrappers {
			t.Run(a.name+"/"+w.name, func(t *testing.T) {
				s := ctFeed(t, content)
				if err := iotest.TestReader(w.wrap(a.as(s)), content); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// TestGoContractsReaderFrom: Socket.ReadFrom (io.ReaderFrom) reports the
// bytes it sent and the reader's error, whatever the reader does.
func TestGoContractsReaderFrom(t *testing.T) {
	leakcheck.Track(t)
	mxWatchdog(t, 60*time.Second)
	content := ctContent()
	cases := []struct {
		name    string
		r       io.Reader
		want    int
		wantErr error
	}{
		{"DataErrReader", iotest.DataErrReader(bytes.NewReader(content)), len(content), nil},
		{"OneByteReader", iotest.OneByteReader(bytes.NewReader(content[:5000])), 5000, nil},
		// The first Read fills ReadFrom's buffer, the second fails: what
		// the first gave is sent and counted (-1: any count).
		{"TimeoutReader", iotest.TimeoutReader(bytes.NewReader(content)), -1, iotest.ErrTimeout},
		{"ErrReader", iotest.ErrReader(io.ErrUnexpectedEOF), 0, io.ErrUnexpectedEOF},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b, err := pysock.SocketPair(-1, -1, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			got := make(chan []byte, 1)
			go func() { d, _ := io.ReadAll(b); got <- d }()
			n, err := a.ReadFrom(c.r)
			a.Shutdown(pysock.SHUT_WR)
			data := <-got
			a.Close()
			if c.want >= 0 && int(n) != c.want || !errors.Is(err, c.wantErr) {
				t.Errorf("ReadFrom = %d, %v; want %d, %v", n, err, c.want, c.wantErr)
			}
			if int(n) != len(data) {
				t.Errorf("ReadFrom reported %d bytes, the peer got %d", n, len(data))
			}
		})
	}
}

func ctSocketPipe(t *testing.T) nettest.MakePipe {
	return func() (net.Conn, net.Conn, func(), error) {
		a, b, err := pysock.SocketPair(-1, -1, -1)
		if err != nil {
			return nil, nil, nil, err
		}
		c1, c2 := a.NetConn(), b.NetConn()
		return c1, c2, func() { c1.Close(); c2.Close() }, nil
	}
}

func ctTCPPipe(t *testing.T) nettest.MakePipe {
	return func() (net.Conn, net.Conn, func(), error) {
		srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0})
		if err != nil {
			return nil, nil, nil, err
		}
		defer srv.Close()
		addr, err := srv.GetSockName()
		if err != nil {
			return nil, nil, nil, err
		}
		type res struct {
			c   net.Conn
			err error
		}
		acc := make(chan res, 1)
		go func() { c, err := srv.NetListener().Accept(); acc <- res{c, err} }()
		cl, err := pysock.CreateConnection(addr)
		if err != nil {
			srv.Close()
			<-acc
			return nil, nil, nil, err
		}
		r := <-acc
		if r.err != nil {
			cl.Close()
			return nil, nil, nil, r.err
		}
		c1 := cl.NetConn()
		return c1, r.c, func() { c1.Close(); r.c.Close() }, nil
	}
}

// ctBreaker closes a pipe whose test still runs after d (nettest's own
// limit is a minute): a hung call then returns, and the test reports it.
func ctBreaker(mp nettest.MakePipe, d time.Duration) nettest.MakePipe {
	return func() (net.Conn, net.Conn, func(), error) {
		c1, c2, stop, err := mp()
		if err != nil {
			return nil, nil, nil, err
		}
		var once sync.Once
		timer := time.AfterFunc(d, func() { once.Do(stop) })
		return c1, c2, func() { timer.Stop(); once.Do(stop) }, nil
	}
}

// knownNettestFailure lists nettest.TestConn subtests ("pipe/Subtest")
// that fail on main, with their issue item. They run in a child process
// (a hung call there cannot stall or poison this one); a listed subtest's
// failure is logged, an unlisted one's fails the test. Listed subtests
// may pass (the failure is a race), so a passing row is not an error:
// delete it once the item is fixed.
var knownNettestFailure = map[string]string{}

func TestGoContractsNettest(t *testing.T) {
	if pipe := os.Getenv("PYSOCK_NETTEST_CHILD"); pipe != "" {
		mk := map[string]func(*testing.T) nettest.MakePipe{"socketpair": ctSocketPipe, "tcp": ctTCPPipe}[pipe]
		nettest.TestConn(t, ctBreaker(mk(t), 5*time.Second))
		return
	}
	leakcheck.Track(t)
	mxWatchdog(t, 120*time.Second)
	for _, pipe := range []string{"socketpair", "tcp"} {
		t.Run(pipe, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestGoContractsNettest$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), "PYSOCK_NETTEST_CHILD="+pipe)
			out, err := cmd.CombinedOutput()
			re := regexp.MustCompile(`--- (PASS|FAIL): TestGoContractsNettest/(\w+) `)
			ran := 0
			for _, m := range re.FindAllStringSubmatch(string(out), -1) {
				ran++
				name := pipe + "/" + m[2]
				if m[1] == "PASS" {
					continue
				}
				if item, ok := knownNettestFailure[name]; ok {
					t.Logf("%s failed [known: %s]", name, item)
					continue
				}
				t.Errorf("nettest %s failed:\n%s", name, out)
			}
			if ran == 0 || err != nil && !t.Failed() && !strings.Contains(string(out), "--- FAIL: TestGoContractsNettest/") {
				t.Errorf("nettest child (%v), %d subtests seen:\n%s", err, ran, out)
			}
		})
	}
}

// ---- n on error paths ----

// knownContractFailure lists the error-path cases of TestGoContractsCounts
// that fail on main, with their issue item. The test fails if a listed
// case passes (delete the row) or an unlisted one fails.
var knownContractFailure = map[string]string{}

// ctCase provokes one error path and checks the count.
type ctCase struct {
	name string
	run  func(t *testing.T) error // nil: the contract holds
}

// ctTCP is a connected TCP pair (both blocking).
func ctTCP(t *testing.T) (*pysock.Socket, *pysock.Socket) {
	t.Helper()
	srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	addr, _ := srv.GetSockName()
	c, err := pysock.CreateConnection(addr)
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := srv.Accept()
	if err != nil {
		c.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); s.Close() })
	return c, s
}

// ctReset makes the peer of c send a RST and waits (bounded) until c has
// it.
func ctReset(t *testing.T, c, peer *pysock.Socket) {
	t.Helper()
	if err := peer.SetSockOpt(unix.SOL_SOCKET, unix.SO_LINGER, ctLinger0()); err != nil {
		t.Fatal(err)
	}
	peer.Close()
	if !mxPoll(c.Fileno(), unix.POLLERR, 2*time.Second) {
		t.Fatal("no RST within 2 s")
	}
}

func ctLinger0() []byte {
	b := make([]byte, 8)
	b[0] = 1 // l_onoff = 1, l_linger = 0
	return b
}

// ctDrain reads everything pending on s without waiting and returns its
// length: what a send really moved into a unix stream pair.
func ctDrain(s *pysock.Socket) int {
	buf := make([]byte, 1<<16)
	total := 0
	for {
		n, err := s.RecvInto(buf, 0, unix.MSG_DONTWAIT)
		if err != nil || n <= 0 {
			return total
		}
		total += n
	}
}

func ctCheckRead(what string, n int, err error) error {
	if err == nil {
		return fmt.Errorf("%s: no error (n=%d)", what, n)
	}
	if n != 0 {
		return fmt.Errorf("%s failed (%v) reporting n=%d; want 0 (nothing was read)", what, err, n)
	}
	return nil
}

// ctReaders are the read calls whose count is checked.
var ctReaders = []struct {
	name string
	read func(s *pysock.Socket, p []byte) (int, error)
}{
	{"Read", func(s *pysock.Socket, p []byte) (int, error) { return s.Read(p) }},
	{"RecvInto", func(s *pysock.Socket, p []byte) (int, error) { return s.RecvInto(p) }},
	{"Conn.Read", func(s *pysock.Socket, p []byte) (int, error) { return s.NetConn().Read(p) }},
}

// ctWriters are the write calls whose count is checked.
var ctWriters = []struct {
	name  string
	write func(s *pysock.Socket, p []byte) (int, error)
}{
	{"Write", func(s *pysock.Socket, p []byte) (int, error) { return s.Write(p) }},
	{"Conn.Write", func(s *pysock.Socket, p []byte) (int, error) {
		c := s.NetConn()
		if tm, ok := s.GetTimeout().Duration(); ok && tm > 0 {
			c.SetWriteDeadline(time.Now().Add(tm)) // the adapter ignores settimeout
		}
		return c.Write(p)
	}},
	{"Send", func(s *pysock.Socket, p []byte) (int, error) { return s.Send(p) }},
}

// ctQueuedDeadline: a Conn call waiting behind another of the same
// direction must obey a deadline set while it waits (net.Conn: "a deadline
// applies to all future and pending I/O").
func ctQueuedDeadline(t *testing.T) error {
	a, b := pair(t)
	defer b.Close()
	c := a.NetConn()
	errs := make(chan error, 2)
	started := make(chan struct{}, 2)
	for range 2 {
		go func() {
			started <- struct{}{}
			_, err := c.Read(make([]byte, 8))
			errs <- err
		}()
	}
	<-started
	<-started
	// Both calls are made (one parked, one waiting for the read lock)
	// once neither returned for 100 ms: a measurement, not a sync.
	if _, ok := mxWaitErr(errs, 100*time.Millisecond); ok {
		a.Close()
		return errors.New("a Read returned with no data and no deadline")
	}
	c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	for i := range 2 {
		err, ok := mxWaitErr(errs, 2*time.Second)
		if !ok {
			a.Close()
			<-errs
			return fmt.Errorf("Read %d of 2 still waiting 2 s after SetReadDeadline(now+20ms)", i+1)
		}
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			a.Close()
			return fmt.Errorf("Read %d of 2: %v; want a deadline error", i+1, err)
		}
	}
	a.Close()
	return nil
}

func mxWaitErr(ch <-chan error, d time.Duration) (error, bool) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-ch:
		return err, true
	case <-t.C:
		return nil, false
	}
}

func ctCases() []ctCase {
	cs := []ctCase{{"Conn.Read queued: SetReadDeadline while waiting", ctQueuedDeadline}}
	for _, r := range ctReaders {
		cs = append(cs,
			ctCase{r.name + " after RST", func(t *testing.T) error {
				c, s := ctTCP(t)
				ctReset(t, c, s)
				n, err := r.read(c, make([]byte, 64))
				return ctCheckRead(r.name, n, err)
			}},
			ctCase{r.name + " closed", func(t *testing.T) error {
				a, b := pair(t)
				defer b.Close()
				a.Close()
				n, err := r.read(a, make([]byte, 64))
				return ctCheckRead(r.name, n, err)
			}},
		)
		if r.name != "Conn.Read" { // the adapter always waits: no EAGAIN, no settimeout
			cs = append(cs,
				ctCase{r.name + " EAGAIN", func(t *testing.T) error {
					a, b := pair(t)
					defer a.Close()
					defer b.Close()
					a.SetBlocking(false)
					n, err := r.read(a, make([]byte, 64))
					return ctCheckRead(r.name, n, err)
				}},
				ctCase{r.name + " timeout", func(t *testing.T) error {
					a, b := pair(t)
					defer a.Close()
					defer b.Close()
					a.SetTimeout(0.05)
					n, err := r.read(a, make([]byte, 64))
					return ctCheckRead(r.name, n, err)
				}},
			)
		} else {
			cs = append(cs, ctCase{r.name + " deadline", func(t *testing.T) error {
				a, b := pair(t)
				defer a.Close()
				defer b.Close()
				c := a.NetConn()
				c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
				n, err := c.Read(make([]byte, 64))
				return ctCheckRead(r.name, n, err)
			}})
		}
	}
	big := bytes.Repeat([]byte("w"), 8<<20)
	for _, w := range ctWriters {
		cs = append(cs,
			ctCase{w.name + " after RST", func(t *testing.T) error {
				c, s := ctTCP(t)
				ctReset(t, c, s)
				n, err := w.write(c, []byte("x"))
				return ctCheckRead(w.name, n, err)
			}},
			ctCase{w.name + " closed", func(t *testing.T) error {
				a, b := pair(t)
				defer b.Close()
				a.Close()
				n, err := w.write(a, []byte("x"))
				return ctCheckRead(w.name, n, err)
			}},
		)
		// A partial send, then the wait for room fails: n must be what
		// the peer can read.
		partial := func(mode string, setup func(a *pysock.Socket)) ctCase {
			return ctCase{w.name + " partial then " + mode, func(t *testing.T) error {
				a, b := pair(t)
				defer a.Close()
				defer b.Close()
				setup(a)
				n, err := w.write(a, big)
				moved := ctDrain(b)
				switch {
				case err == nil && w.name != "Send": // Send makes one attempt: a short count is its result
					return fmt.Errorf("%s of %d bytes to a peer that reads nothing: no error (n=%d)", w.name, len(big), n)
				case n != moved:
					return fmt.Errorf("%s failed (%v) reporting n=%d; the peer got %d", w.name, err, n, moved)
				}
				return nil
			}}
		}
		if w.name != "Conn.Write" {
			cs = append(cs, partial("EAGAIN", func(a *pysock.Socket) { a.SetBlocking(false) }))
		}
		cs = append(cs, partial("timeout", func(a *pysock.Socket) { a.SetTimeout(0.05) }))
	}
	return cs
}

func TestGoContractsCounts(t *testing.T) {
	leakcheck.Track(t)
	mxWatchdog(t, 60*time.Second)
	seen := map[string]bool{}
	var failed []string
	for _, c := range ctCases() {
		seen[c.name] = true
		var err error
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) { err = c.run(t) })
		item, known := knownContractFailure[c.name]
		switch {
		case err != nil && !known:
			t.Errorf("%s: %v", c.name, err)
		case err != nil:
			failed = append(failed, fmt.Sprintf("%s: %v  [known: %s]", c.name, err, item))
		case known:
			t.Errorf("%s: holds now: delete its knownContractFailure row (%s)", c.name, item)
		}
	}
	for name := range knownContractFailure {
		if !seen[name] {
			t.Errorf("knownContractFailure row %q names no case", name)
		}
	}
	t.Logf("%d cases, %d known failures:\n%s", len(seen), len(failed), strings.Join(failed, "\n"))
}
