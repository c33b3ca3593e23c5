package pysock_test

import (
	"errors"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
)

// Outside review of 6accbf2 (binary layers) and e4fdaa0 (text layer:
// pending writes, readline limit, options), 2026-12-03. Each test failed
// on e4fdaa0's tree because of the difference its comment describes, and
// passes since the fixes that followed; the reference is python3
// (3.11.7), whose snippet and output are quoted.

// A text readline() flushes the pending written text to the buffer
// before it finds that the file is not readable (Modules/_io/textio.c,
// _textiowrapper_readline: CHECK_CLOSED, _textiowrapper_writeflush, and
// only then read_chunk's "not readable"); read() checks first. So a write
// to f.buffer after a failed readline() goes out after the text:
//
//	a, b = socket.socketpair(); f = b.makefile('w')
//	f.write('abc')
//	f.readline()           # UnsupportedOperation('not readable')
//	f.buffer.write(b'X'); f.flush()
//	a.recv(100)            # b'abcX'
//	f.write('abc')
//	f.read()               # UnsupportedOperation('not readable')
//	f.buffer.write(b'X'); f.flush()
//	a.recv(100)            # b'Xabc'
//
// pysock checks readable first in both, so the first peer read is
// b'Xabc': the bytes go out in another order than CPython's.
func TestMakefileLateTextReadlineNotReadableFlushesPendingFirst(t *testing.T) {
	a, b := reviewPair(t)
	f := reviewFile(t, b, "w")
	if _, err := f.WriteText("abc"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadLineText(); excString(err) != "UnsupportedOperation: not readable" {
		t.Fatalf("readline() on 'w' = %s; want UnsupportedOperation: not readable", excString(err))
	}
	if _, err := f.Buffer().Write([]byte("X")); err != nil {
		t.Fatal(err)
	}
	if err := f.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := a.SetTimeout(2.0); err != nil {
		t.Fatal(err)
	}
	if d, err := a.Recv(100); string(d) != "abcX" {
		t.Errorf("peer got %q, %v; want b'abcX' (readline() hands the pending text to the buffer first)", d, err)
	}
}

// IOBase.readline, which is BufferedRWPair's, checks nothing before its
// loop: readline(0) never enters it, and returns empty bytes on a closed pair
// (only a positive or negative limit reaches peek's ValueError):
//
//	a, b = socket.socketpair(); g = b.makefile('rwb'); g.close()
//	g.readline(0)    # b''
//	g.readline(-1)   # ValueError('peek of closed file')
//
// pysock checks for a closed pair first and raises for readline(0).
func TestMakefileLateRWPairReadlineZeroOnClosedPair(t *testing.T) {
	_, b := reviewPair(t)
	g := reviewFile(t, b, "rwb")
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if l, err := g.ReadLine(0); l == nil || len(l) != 0 || err != nil {
		t.Errorf("closed rwb readline(0) = %q, %s; want b''", l, excString(err))
	}
	if _, err := g.ReadLine(-1); excString(err) != "ValueError: peek of closed file" {
		t.Errorf("closed rwb readline(-1) = %s; want ValueError: peek of closed file", excString(err))
	}
}

// TextIOWrapper.close() calls flush() and then buffer.close() whatever
// flush did; when both fail, the exception raised is buffer.close()'s,
// with flush's as its __context__ (_PyErr_ChainExceptions). With the new
// pending buffer the two differ on a non-blocking socket: the pending
// flush's BlockingIOError counts what the BufferedWriter took, the close's
// flush took nothing:
//
//	(b non-blocking, its send buffer full)
//	f = b.makefile('w'); f.write('x'*8000); f.buffer.write(b'y'*5000)
//	f.close()
//	# BlockingIOError(11, 'write could not complete without blocking', 0),
//	#   characters_written 0; __context__ is the same error with 3192
//	f.closed   # True
//
// pysock returns the pending flush's error (characters_written 3192).
func TestMakefileLateTextCloseRaisesBufferCloseError(t *testing.T) {
	_, b := reviewPair(t)
	fill(t, b)
	if err := b.SetBlocking(false); err != nil {
		t.Fatal(err)
	}
	f := reviewFile(t, b, "w")
	if _, err := f.WriteText(string(make([]byte, 8000))); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Buffer().Write(make([]byte, 5000)); err != nil {
		t.Fatal(err)
	}
	err := f.Close()
	var oe *pyerr.OSError
	if !pyerr.IsInstance(err, "BlockingIOError") || !errors.As(err, &oe) || !oe.HasCharactersWritten || oe.CharactersWritten != 0 {
		cw := -1
		if oe != nil && oe.HasCharactersWritten {
			cw = oe.CharactersWritten
		}
		t.Errorf("close() = %s, characters_written %d; want BlockingIOError with characters_written 0 (buffer.close()'s)", excString(err), cw)
	}
	if !f.Closed() {
		t.Errorf("closed after a failed close() = false; want true")
	}
}

// A reader goroutine blocked in readline() on a 'rw' text file must not
// keep another goroutine's flush() from sending: CPython's TextIOWrapper
// has no lock, recv releases the GIL, and the BufferedRWPair's writer has
// its own. A request/response client that writes, starts its reader and
// then flushes works:
//
//	a, b = socket.socketpair(); f = b.makefile('rw')
//	f.write('req\n')
//	t = threading.Thread(target=lambda: out.append(f.readline())); t.start()
//	time.sleep(0.3); f.flush()
//	a.recv(100)           # b'req\n'
//	f.write('more\n'); f.flush(); a.recv(100)   # b'more\n'
//	a.sendall(b'reply\n'); t.join()             # out == ['reply\n']
//
// e4fdaa0 made TextIOWrapper.Flush take the text layer's lock, which
// ReadLineText holds while it waits for the socket: the flush waits for
// the reply that waits for the flush (before e4fdaa0, Flush did not lock
// and this exchange worked). WriteText took the lock already before: the
// second half was a hang before e4fdaa0 too.
func TestMakefileLateTextFlushWhileReadlineBlocked(t *testing.T) {
	a, b := reviewPair(t)
	f := reviewFile(t, b, "rw")
	if _, err := f.WriteText("req\n"); err != nil {
		t.Fatal(err)
	}
	reader := goCall(func() result { s, err := f.ReadLineText(); return result{data: []byte(s), err: err} })
	waitParked(t, "(*SocketFile).ReadLineText")
	if err := a.SetTimeout(2.0); err != nil {
		t.Fatal(err)
	}
	flushed := goCall(func() result { return result{err: f.Flush()} })
	blocked := false
	select {
	case r := <-flushed:
		if r.err != nil {
			t.Errorf("flush() = %v", r.err)
		}
		if d, err := a.Recv(100); string(d) != "req\n" {
			t.Errorf("peer got %q, %v; want b'req\\n'", d, err)
		}
	case <-time.After(2 * time.Second):
		blocked = true
		t.Errorf("flush() while another goroutine waits in readline(): still blocked after 2s (CPython sends at once)")
	}
	a.SendAll([]byte("reply\n")) // lets the reader, and so a blocked flush, go on
	r := await(t, reader, "readline()")
	if string(r.data) != "reply\n" || r.err != nil {
		t.Errorf("readline() = %q, %v; want 'reply\\n'", r.data, r.err)
	}
	if blocked {
		await(t, flushed, "flush()")
	}
}

// readline(limit) on a text file reads a chunk before it looks at the
// limit when it has no decoded text (Modules/_io/textio.c,
// _textiowrapper_readline: "First, get some data if necessary"), so
// readline(0) waits for data like any readline, and takes what arrives
// into the text layer:
//
//	a, b = socket.socketpair(); b.settimeout(0.3); f = b.makefile('r')
//	f.readline(0)   # TimeoutError('timed out') after 0.3 s
//	f.readline(0)   # OSError('cannot read from timed out object')
//
//	g = b.makefile('r'); a.sendall(b'abc\n')
//	g.readline(0)          # ''
//	g.buffer.read1(10)     # TimeoutError: the line is in g's text layer
//
// pysock returns an empty string at once without reading (no timeout, and the file
// stays readable).
func TestMakefileLateTextReadlineZeroReadsAChunk(t *testing.T) {
	_, b := reviewPair(t)
	if err := b.SetTimeout(0.3); err != nil {
		t.Fatal(err)
	}
	f := reviewFile(t, b, "r")
	s, err := f.ReadLineText(0)
	if !isTimeout(err) {
		t.Errorf("readline(0) with nothing to read = %q, %s; want TimeoutError (a chunk read first)", s, excString(err))
	}
	s, err = f.ReadLineText(0)
	if excString(err) != "OSError: cannot read from timed out object" {
		t.Errorf("second readline(0) = %q, %s; want OSError: cannot read from timed out object", s, excString(err))
	}
}
