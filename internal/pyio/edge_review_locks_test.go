package pyio

import (
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
)

// Outside review of 1c3cdd6 (two locks in TextIOWrapper; readline(limit)
// reads a chunk first when nothing is decoded) and 52cd4d1 (codec error
// handlers), 2026-12-03: each test failed on 1c3cdd6. python3 is CPython
// 3.11.

// readline(0) after a read(n) that failed half-way: CPython's read(n)
// has taken the decoded characters out of decoded_chars (used ==
// len) but has not cleared it, so a later readline(0) finds decoded text
// and returns the empty str without touching the socket:
//
//	a, b = socket.socketpair(); a.settimeout(0.2)
//	f = a.makefile('r', encoding='utf-8'); b.sendall(b'ab')
//	f.read(5)        # TimeoutError timed out
//	f.readline(0)    # ''
//	f.readline(0)    # ''
//	f.readline()     # OSError cannot read from timed out object
//
// pysock's read(n) empties its decoded text on the error (dropDecoded),
// so 1c3cdd6's "no decoded text: read a chunk first" makes readline(0)
// read the timed-out SocketIO: OSError('cannot read from timed out
// object') where CPython returns the empty str.
func TestLocksReadlineZeroAfterTimedOutRead(t *testing.T) {
	watchdog(t, time.Minute)
	m := newMemSock("ab")
	m.timeout = true
	tw := mustText(t, m, "r", TextOptions{Encoding: "utf-8"})
	defer tw.Close()
	if s, err := tw.ReadText(5); !pyerr.IsInstance(err, "TimeoutError") {
		t.Fatalf("read(5) = %q, %v; want TimeoutError", s, err)
	}
	for i := 0; i < 2; i++ {
		if s, err := tw.ReadLineText(0); s != "" || err != nil {
			t.Errorf("readline(0) #%d after the timed-out read(5) = %q, %v; CPython: ''", i+1, s, err)
		}
	}
	if _, err := tw.ReadLineText(); err == nil || err.Error() != "cannot read from timed out object" {
		t.Errorf("readline() = %v; CPython: OSError cannot read from timed out object", err)
	}
}

// The same with a decode error half-way through read(n), on a blocking
// stream with nothing more to read: CPython's readline(0) returns the empty str
// at once; pysock's waits for the peer (a hang in a request-reply
// protocol that probes with readline(0)):
//
//	a, b = socket.socketpair()
//	f = a.makefile('r', encoding='utf-8'); b.sendall(b'ab')
//	threading.Timer(0.3, lambda: b.sendall(b'\xff')).start()
//	f.read(5)        # UnicodeDecodeError ... byte 0xff in position 0: invalid start byte
//	f.readline(0)    # '' (at once)
//	f.readline(0)    # ''
//	b.sendall(b'cd\n'); f.readline()   # 'cd\n'
func TestLocksReadlineZeroAfterDecodeErrorBlocks(t *testing.T) {
	watchdog(t, time.Minute)
	m := newMemSock("ab\xff")
	m.max = 2 // 'ab', then b'\xff' alone
	tw := mustText(t, m, "r", TextOptions{Encoding: "utf-8"})
	defer tw.Close()
	if s, err := tw.ReadText(5); !pyerr.IsInstance(err, "UnicodeDecodeError") {
		t.Fatalf("read(5) = %q, %v; want UnicodeDecodeError", s, err)
	}
	var s string
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		s, err = tw.ReadLineText(0)
	}()
	select {
	case <-done:
		if s != "" || err != nil {
			t.Errorf("readline(0) = %q, %v; CPython: ''", s, err)
		}
	case <-time.After(2 * time.Second):
		t.Errorf("readline(0) after the failed read(5) still waits for the peer after 2s; CPython returns '' at once")
		m.feed("cd\n", true)
		<-done
		return
	}
	m.feed("cd\n", true)
	if s, err := tw.ReadLineText(); s != "cd\n" || err != nil {
		t.Errorf("readline() = %q, %v; CPython: 'cd\\n'", s, err)
	}
}
