package pysock_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// Outside review of 1c3cdd6, end to end on a socketpair, 2026-12-03 (each
// test failed on 1c3cdd6; python3 is CPython 3.11):
//
//	a, b = socket.socketpair(); a.settimeout(0.2)
//	f = a.makefile('r', encoding='utf-8'); b.sendall(b'ab')
//	f.read(5)        # TimeoutError timed out
//	f.readline(0)    # ''
//	f.readline(0)    # ''
//	f.readline()     # OSError cannot read from timed out object
//
// CPython's read(5) leaves its decoded text in place (all of it used), so
// readline(0) finds decoded text and never touches the socket. pysock's
// read(5) empties it on the error, and since 1c3cdd6 readline(0) with no
// decoded text reads a chunk: OSError('cannot read from timed out
// object') instead of the empty str.
func TestLocksMakefileReadlineZeroAfterTimeout(t *testing.T) {
	a, b := makefilePair(t)
	if err := a.SetTimeout(0.2); err != nil {
		t.Fatal(err)
	}
	f, err := a.MakeFile("r", pysock.MakeFileOptions{Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := b.SendAll([]byte("ab")); err != nil {
		t.Fatal(err)
	}
	if s, err := f.ReadText(5); err == nil || !isTimeout(err) {
		t.Fatalf("read(5) = %q, %v; want TimeoutError", s, err)
	}
	for i := 1; i <= 2; i++ {
		if s, err := f.ReadLineText(0); s != "" || err != nil {
			t.Errorf("readline(0) #%d = %q, %v; CPython: ''", i, s, err)
		}
	}
}

// A read waits for a write blocked in send. CPython's write takes the
// pending text out of the text layer before it calls buffer.write, and
// BufferedRWPair's reader and writer have locks of their own, so a
// readline in another thread returns the reply already on the socket
// while the write waits for the peer:
//
//	a, b = socket.socketpair()
//	f = a.makefile('rw', encoding='utf-8'); b.sendall(b'reply\n')
//	N = 8 << 20
//	threading.Thread(target=lambda: (f.write('x'*N), f.flush())).start()
//	time.sleep(0.5)   # the writer is blocked in send
//	f.readline()      # 'reply\n' in 0.00s
//	(then b reads all N bytes and the write returns)
//
// In pysock the write holds wmu while buffer.Write sends, and every read
// takes wmu first (flushPending) even with nothing pending: readline
// waits for the peer to drain the write. A peer that reads only after it
// has its reply (a full-duplex protocol) deadlocks with it. The test's
// peer drains the write after 2 s so that nothing is left running.
func TestLocksMakefileReadlineWaitsForBlockedWrite(t *testing.T) {
	a, b := makefilePair(t)
	f, err := a.MakeFile("rw", pysock.MakeFileOptions{Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := b.SendAll([]byte("reply\n")); err != nil {
		t.Fatal(err)
	}
	const n = 8 << 20
	wdone := make(chan error, 1)
	go func() {
		_, err := f.WriteText(strings.Repeat("x", n))
		if err == nil {
			err = f.Flush()
		}
		wdone <- err
	}()
	time.Sleep(500 * time.Millisecond) // the write fills the socket buffers and blocks
	var line string
	var rerr error
	rdone, ok := within(2*time.Second, func() { line, rerr = f.ReadLineText() })
	if !ok {
		t.Errorf("readline() with 'reply\\n' on the socket still waits after 2s for a write blocked in send; CPython returns 'reply\\n' at once")
	}
	got := 0
	for got < n {
		p, err := b.Recv(1 << 20)
		if err != nil || len(p) == 0 {
			t.Fatalf("peer recv after %d bytes: %v", got, err)
		}
		got += len(p)
	}
	<-rdone
	if err := <-wdone; err != nil {
		t.Errorf("write: %v", err)
	}
	if line != "reply\n" || rerr != nil {
		t.Errorf("readline() = %q, %v; want 'reply\\n'", line, rerr)
	}
}

// Close while a readline waits. CPython's close blocks (the reader's lock)
// but has already closed the writer and so the SocketIO: f.closed is True
// and every other call fails or returns at once:
//
//	a, b = socket.socketpair(); f = a.makefile('rw', encoding='utf-8')
//	threading.Thread(target=f.readline).start(); time.sleep(0.2)
//	threading.Thread(target=f.close).start(); time.sleep(0.2)
//	f.closed        # True (the close thread is still blocked)
//	f.write('x')    # ValueError I/O operation on closed file. (0.00s)
//	f.flush()       # ValueError I/O operation on closed file. (0.00s)
//	f.readline()    # ValueError I/O operation on closed file. (0.00s)
//	f.read(1)       # ValueError I/O operation on closed file. (0.00s)
//	f.close()       # None (0.00s)
//	b.sendall(b'x\n')   # the readline returns 'x\n', the close returns
//
// pysock's Close holds wmu while it waits for the reader, so write, flush
// and a second close wait for the peer; a second readline or read waits
// on rmu.
func TestLocksMakefileCallsDuringBlockedClose(t *testing.T) {
	a, b := makefilePair(t)
	f, err := a.MakeFile("rw", pysock.MakeFileOptions{Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	var line string
	rdone, _ := within(200*time.Millisecond, func() { line, _ = f.ReadLineText() })
	cdone, _ := within(200*time.Millisecond, func() { f.Close() })
	if !f.Closed() {
		t.Errorf("f.closed is False while the close waits for the reader; CPython: True")
	}
	var dones []<-chan struct{}
	for _, c := range []struct {
		name string
		op   func() error
	}{
		{"write('x')", func() error { _, err := f.WriteText("x"); return err }},
		{"flush()", func() error { return f.Flush() }},
		{"readline()", func() error { _, err := f.ReadLineText(); return err }},
		{"read(1)", func() error { _, err := f.ReadText(1); return err }},
		{"close()", func() error { return f.Close() }},
	} {
		var err error
		done, ok := within(time.Second, func() { err = c.op() })
		dones = append(dones, done)
		switch {
		case !ok:
			t.Errorf("%s while a close waits for a readline: still blocked after 1s; CPython returns at once", c.name)
		case c.name == "close()" && err != nil:
			t.Errorf("%s = %v; CPython: None", c.name, err)
		case c.name != "close()" && (err == nil || err.Error() != "I/O operation on closed file."):
			t.Errorf("%s = %v; CPython: ValueError I/O operation on closed file.", c.name, err)
		}
	}
	if err := b.SendAll([]byte("x\n")); err != nil {
		t.Fatal(err)
	}
	<-rdone
	<-cdone
	for _, d := range dones {
		select {
		case <-d:
		case <-time.After(10 * time.Second):
			t.Fatal("a call did not return after the readline did")
		}
	}
	if line != "x\n" {
		t.Errorf("the first readline = %q; CPython: 'x\\n'", line)
	}
}
