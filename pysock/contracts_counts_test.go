package pysock_test

// n on error paths (see contracts_test.go): the io.Reader / io.Writer rule
// that n is never negative and equals the bytes actually moved, checked on
// every error path of the read and write calls we can provoke.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pysock/pysock/internal/leakcheck"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// knownContractFailure lists the error-path cases of TestGoContractsCounts
// that fail on main, with the reason. The test fails if a listed
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
