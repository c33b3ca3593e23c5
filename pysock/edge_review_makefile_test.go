package pysock_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// An outside review of makefile() and its io layers against CPython 3.11,
// 2026-12-03. Every test here failed on the code it was written against
// (0ee8978), and passes since the fixes of 029b25a and the text layer's
// after it; each comment quotes the python3 (3.11.7) snippet and its
// output, and says what pysock did.

// reviewPair is a socketpair closed at the end of the test, with the fd
// leak check and a watchdog.
func reviewPair(t *testing.T) (a, b *pysock.Socket) {
	t.Helper()
	checkFDs(t)
	a, b = pair(t)
	t.Cleanup(func() { a.Close(); b.Close() })
	timer := time.AfterFunc(time.Minute, func() { panic(t.Name() + ": watchdog: test hung") })
	t.Cleanup(func() { timer.Stop() })
	return a, b
}

func reviewFile(t *testing.T, s *pysock.Socket, mode string, opts ...pysock.MakeFileOptions) *pysock.SocketFile {
	t.Helper()
	f, err := s.MakeFile(mode, opts...)
	if err != nil {
		t.Fatalf("makefile(%q): %v", mode, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// After a timeout, a text read(n) that had already decoded some
// characters loses them, and the next read raises at once:
//
//	a, b = socket.socketpair(); b.settimeout(0.2)
//	f = b.makefile('r'); a.sendall(b"abc")
//	f.read(10)  # TimeoutError('timed out')
//	f.read(2)   # OSError('cannot read from timed out object')
//
// pysock keeps "abc" in the text layer and read(2) returns 'ab'.
func TestMakefileTextReadNAfterTimeoutRaises(t *testing.T) {
	a, b := reviewPair(t)
	if err := b.SetTimeout(0.2); err != nil {
		t.Fatal(err)
	}
	f := reviewFile(t, b, "r")
	a.SendAll([]byte("abc"))
	if s, err := f.ReadText(10); !isTimeout(err) {
		t.Fatalf("read(10) = %q, %v; want TimeoutError", s, err)
	}
	s, err := f.ReadText(2)
	if !pyerr.IsInstance(err, "OSError") || err.Error() != "cannot read from timed out object" {
		t.Errorf("read(2) after the timeout = %q, %v; want OSError('cannot read from timed out object')", s, err)
	}
}

// socket.detach() with a makefile open: SocketIO.fileno() asks the socket
// each time, so the file's fileno() and name become -1:
//
//	a, b = socket.socketpair(); f = b.makefile('rb'); fd = b.detach()
//	f.fileno()  # -1
//	f.name      # -1
//	repr(f)     # '<_io.BufferedReader name=-1>'
//
// pysock's SocketIO keeps the number it saw when the file was made.
func TestMakefileFilenoAfterDetach(t *testing.T) {
	_, b := reviewPair(t)
	f := reviewFile(t, b, "rb")
	fd := b.Detach()
	defer pysock.Close(fd)
	if n, err := f.Fileno(); n != -1 || err != nil {
		t.Errorf("fileno() after detach = %d, %v; want -1", n, err)
	}
	if n := f.Name(); n != -1 {
		t.Errorf("name after detach = %d; want -1", n)
	}
	if r := f.Repr(); r != "<_io.BufferedReader name=-1>" {
		t.Errorf("repr after detach = %s; want <_io.BufferedReader name=-1>", r)
	}
}

// A buffered write on a non-blocking socket whose flush blocks: CPython
// buffers as much of the new data as fits and raises BlockingIOError with
// characters_written set to that; flush() later sends it:
//
//	b.setblocking(False); (fill b's send buffer)
//	w = b.makefile('wb', 16)
//	w.write(b"x"*10)   # 10
//	w.write(b"y"*10)   # BlockingIOError(11, 'write could not complete
//	                   #   without blocking', 6), characters_written 6
//	(drain a) ; w.flush(); a.recv(100)  # b'xxxxxxxxxxyyyyyy'
//
// pysock raises with characters_written 0 and buffers none of it.
func TestMakefileBufferedWriteBlockedFlushBuffersPart(t *testing.T) {
	a, b := reviewPair(t)
	fill(t, b)
	if err := b.SetBlocking(false); err != nil {
		t.Fatal(err)
	}
	w := reviewFile(t, b, "wb", pysock.MakeFileOptions{Buffering: 16})
	if n, err := w.Write([]byte("xxxxxxxxxx")); n != 10 || err != nil {
		t.Fatalf("write 10 = %d, %v", n, err)
	}
	_, err := w.Write([]byte("yyyyyyyyyy"))
	var oe *pyerr.OSError
	if !pyerr.IsInstance(err, "BlockingIOError") || !errors.As(err, &oe) || !oe.HasCharactersWritten || oe.CharactersWritten != 6 {
		t.Errorf("second write = %v (%+v); want BlockingIOError with characters_written 6", err, oe)
	}
	if err := a.SetBlocking(false); err != nil {
		t.Fatal(err)
	}
	for {
		d, err := a.Recv(1 << 16)
		if err != nil || len(d) == 0 {
			break
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("flush: %v", err)
	}
	if d, err := a.Recv(100); string(d) != "xxxxxxxxxxyyyyyy" {
		t.Errorf("peer got %q, %v; want b'xxxxxxxxxxyyyyyy'", d, err)
	}
}

// f.read1(n) with nothing buffered allocates n bytes first:
//
//	f = b.makefile('rb'); f.read1(2**50)  # MemoryError()
//
// pysock's make([]byte, n) panics (or aborts the process).
func TestMakefileRead1HugeIsMemoryError(t *testing.T) {
	_, b := reviewPair(t)
	f := reviewFile(t, b, "rb")
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("read1(2**50) panicked: %v", p)
			}
		}()
		_, err = f.Read1(1 << 50)
	}()
	if !pyerr.IsInstance(err, "MemoryError") {
		t.Errorf("read1(2**50) = %v; want MemoryError", err)
	}
}

// makefile("") is a text file whose mode is "" (the mode is kept as
// given); pysock turns it into 'r':
//
//	f = b.makefile(''); f.mode  # ''
//	repr(f)  # "<_io.TextIOWrapper name=5 mode='' encoding='UTF-8'>"
func TestMakefileEmptyModeKept(t *testing.T) {
	_, b := reviewPair(t)
	f := reviewFile(t, b, "")
	if m, ok := f.Mode(); m != "" || !ok {
		t.Errorf("mode = %q, %v; want ''", m, ok)
	}
	if r := f.Repr(); !strings.Contains(r, "mode=''") {
		t.Errorf("repr = %s; want mode=''", r)
	}
}

// The invalid-mode message uses repr(mode):
//
//	b.makefile("r'x")   # ValueError('invalid mode "r\'x" (only r, w, b allowed)')
//	b.makefile('r\\')   # ValueError("invalid mode 'r\\\\' (only r, w, b allowed)")
func TestMakefileInvalidModeRepr(t *testing.T) {
	_, b := reviewPair(t)
	for mode, want := range map[string]string{
		"r'x": `invalid mode "r'x" (only r, w, b allowed)`,
		`r\`:  `invalid mode 'r\\' (only r, w, b allowed)`,
	} {
		f, err := b.MakeFile(mode)
		if err == nil {
			f.Close()
		}
		if !pyerr.IsInstance(err, "ValueError") || err.Error() != want {
			t.Errorf("makefile(%q) = %v; want ValueError(%q)", mode, err, want)
		}
	}
}

// TextIOWrapper.write() drops what the text layer has decoded but not yet
// returned, and resets the decoder (Modules/_io/textio.c,
// _io_TextIOWrapper_write_impl: textiowrapper_set_decoded_chars(self,
// NULL) and decoder.reset()):
//
//	f = b.makefile('rw'); a.sendall(b"line1\nline2\n"); a.shutdown(SHUT_WR)
//	f.readline()   # 'line1\n'
//	f.write("x")   # 1
//	f.readline()   # ''   (line2 is gone)
//
//	f = b.makefile('rw'); a.sendall(b"ab\xe2")
//	f.read(2)      # 'ab'
//	f.write("x")   # 1
//	a.sendall(b"\x82\xac\n"); a.shutdown(SHUT_WR)
//	f.readline()   # UnicodeDecodeError('utf-8', b'\x82\xac\n', 0, 1, 'invalid start byte')
//
// pysock keeps both the decoded text and the decoder's pending bytes.
func TestMakefileTextWriteDropsDecodedText(t *testing.T) {
	t.Run("decoded", func(t *testing.T) {
		a, b := reviewPair(t)
		f := reviewFile(t, b, "rw")
		a.SendAll([]byte("line1\nline2\n"))
		a.Shutdown(pysock.SHUT_WR)
		if s, err := f.ReadLineText(); s != "line1\n" || err != nil {
			t.Fatalf("readline = %q, %v", s, err)
		}
		if n, err := f.WriteText("x"); n != 1 || err != nil {
			t.Fatalf("write = %d, %v", n, err)
		}
		if s, err := f.ReadLineText(); s != "" || err != nil {
			t.Errorf("readline after write = %q, %v; want '' (CPython drops the decoded text on write)", s, err)
		}
	})
	t.Run("decoder", func(t *testing.T) {
		a, b := reviewPair(t)
		f := reviewFile(t, b, "rw")
		a.SendAll([]byte("ab\xe2"))
		if s, err := f.ReadText(2); s != "ab" || err != nil {
			t.Fatalf("read(2) = %q, %v", s, err)
		}
		if n, err := f.WriteText("x"); n != 1 || err != nil {
			t.Fatalf("write = %d, %v", n, err)
		}
		a.SendAll([]byte("\x82\xac\n"))
		a.Shutdown(pysock.SHUT_WR)
		s, err := f.ReadLineText()
		if !pyerr.IsInstance(err, "UnicodeDecodeError") || err.Error() != "'utf-8' codec can't decode byte 0x82 in position 0: invalid start byte" {
			t.Errorf("readline after write = %q, %v; want UnicodeDecodeError (the decoder was reset)", s, err)
		}
	})
}

// The text layer keeps what write() encoded in its own pending buffer
// (up to 8192 bytes) until flush(), so a write to f.buffer in between
// goes out first:
//
//	f = b.makefile('w'); f.write("a"); f.buffer.write(b"b"); f.flush()
//	a.recv(10)  # b'ba'
func TestMakefileTextWritePendingBeforeBufferWrite(t *testing.T) {
	a, b := reviewPair(t)
	f := reviewFile(t, b, "w")
	if _, err := f.WriteText("a"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Buffer().Write([]byte("b")); err != nil {
		t.Fatal(err)
	}
	if err := f.Flush(); err != nil {
		t.Fatal(err)
	}
	if d, err := a.Recv(10); string(d) != "ba" {
		t.Errorf("peer got %q, %v; want b'ba'", d, err)
	}
}

// readline(limit) with newline='\r\n' counts characters and never splits
// one:
//
//	f = b.makefile('r', newline='\r\n')
//	a.sendall("\u20ac\u20ac\r\n\u20ac".encode()); a.shutdown(SHUT_WR)
//	f.readline(3), f.readline(3), f.readline(3)  # '\u20ac\u20ac\r', '\n\u20ac', ''
//
// pysock returns '\n' plus half of the euro sign's UTF-8 (not a str at
// all), then the other half. (internal/pyio's TestReviewTextReadlineLimitCRLFChunks
// has more cases, over smaller reads.)
func TestMakefileTextReadlineLimitCRLF(t *testing.T) {
	nl := "\r\n"
	for _, c := range []struct {
		data  string
		limit int
		want  []string
	}{
		{"\u20ac\u20ac\r\n\u20ac", 3, []string{"\u20ac\u20ac\r", "\n\u20ac", ""}},
	} {
		a, b := reviewPair(t)
		f := reviewFile(t, b, "r", pysock.MakeFileOptions{Newline: nl})
		a.SendAll([]byte(c.data))
		a.Shutdown(pysock.SHUT_WR)
		var got []string
		for range c.want {
			s, err := f.ReadLineText(c.limit)
			if err != nil {
				t.Fatalf("readline(%d): %v", c.limit, err)
			}
			got = append(got, s)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q newline='\\r\\n': readline(%d) x%d = %q; want %q", c.data, c.limit, len(c.want), got, c.want)
		}
	}
}

// A BufferedRWPair (makefile('rwb')) has no readline of its own: it is
// IOBase.readline over peek(1) and read(n). In non-blocking mode read()
// gives None and readline raises, losing the bytes it took:
//
//	b.setblocking(False); f = b.makefile('rwb')
//	f.readline()    # OSError("read() should have returned a bytes object, not 'NoneType'")
//	a.sendall(b"ab")
//	f.readline()    # the same OSError
//	f.readlines()   # the same OSError
//
// pysock's pair uses BufferedReader.readline, which returns b"" and b'ab'.
func TestMakefileRWPairReadlineNonBlocking(t *testing.T) {
	a, b := reviewPair(t)
	if err := b.SetBlocking(false); err != nil {
		t.Fatal(err)
	}
	f := reviewFile(t, b, "rwb")
	const want = "read() should have returned a bytes object, not 'NoneType'"
	check := func(what string, got any, err error) {
		t.Helper()
		if !pyerr.IsInstance(err, "OSError") || errnoOf(err) != -1 || err.Error() != want {
			t.Errorf("%s = %q, %v; want OSError(%q)", what, got, err, want)
		}
	}
	l, err := f.ReadLine()
	check("readline() with nothing queued", l, err)
	a.SendAll([]byte("ab"))
	l, err = f.ReadLine()
	check("readline() with b'ab' queued", l, err)
	ls, err := f.ReadLines()
	check("readlines()", ls, err)
}

// IOBase.readline's limit applies to each peek, not to what is left, so a
// BufferedRWPair's readline(5) over data arriving in two pieces returns
// more than 5 bytes:
//
//	f = b.makefile('rwb'); a.sendall(b"abc")
//	(thread, 0.3 s later: a.sendall(b"defghij\n"))
//	f.readline(5)   # b'abcdefgh'
func TestMakefileRWPairReadlineLimitPerPeek(t *testing.T) {
	a, b := reviewPair(t)
	f := reviewFile(t, b, "rwb")
	a.SendAll([]byte("abc"))
	ch := goCall(func() result { d, err := f.ReadLine(5); return result{data: d, err: err} })
	waitParked(t, "(*SocketFile).ReadLine")
	a.SendAll([]byte("defghij\n"))
	r := await(t, ch, "readline(5)")
	if string(r.data) != "abcdefgh" || r.err != nil {
		t.Errorf("rwb readline(5) over b'abc' + b'defghij\\n' = %q, %v; want b'abcdefgh'", r.data, r.err)
	}
}

// makefile's text options as TextIOWrapper checks them:
//
//	def mk(**kw):
//	    f = b.makefile('r', **kw); r = (f.encoding, f.errors); f.close(); return r
//	mk(errors='')             # ('UTF-8', '')
//	mk(newline='\n\x00')      # ValueError('embedded null character')
//	mk(encoding='utf-8\x00')  # ValueError('embedded null character')
//	mk(errors='strict\x00')   # ValueError('embedded null character')
//	mk(encoding='locale')     # ('UTF-8', 'strict')   (C.UTF-8 locale)
//	mk(encoding=' utf-8 ')    # (' utf-8 ', 'strict')
//	mk(encoding='utf 8')      # ('utf 8', 'strict')
//	mk(encoding='cp65001')    # ('cp65001', 'strict')
//	mk(encoding='utf8_ucs2')  # ('utf8_ucs2', 'strict')
//	mk(encoding='ANSI_X3.4-1968')  # ('ANSI_X3.4-1968', 'strict')
//	mk(encoding='csASCII')    # ('csASCII', 'strict')
//	mk(encoding='iso-ir-100') # ('iso-ir-100', 'strict')
//
// (codecs.lookup normalizes spaces and punctuation and knows these
// aliases of utf-8, ascii and latin-1; 'locale' is TextIOWrapper's own.)
func TestMakefileTextOptions(t *testing.T) {
	_, b := reviewPair(t)
	type want struct {
		enc, errs string
		exc, msg  string
	}
	for _, c := range []struct {
		name string
		o    pysock.MakeFileOptions
		w    want
	}{
		{"errors=''", pysock.MakeFileOptions{Errors: ""}, want{enc: "UTF-8", errs: ""}},
		{"newline='\\n\\x00'", pysock.MakeFileOptions{Newline: "\n\x00"}, want{exc: "ValueError", msg: "embedded null character"}},
		{"encoding='utf-8\\x00'", pysock.MakeFileOptions{Encoding: "utf-8\x00"}, want{exc: "ValueError", msg: "embedded null character"}},
		{"errors='strict\\x00'", pysock.MakeFileOptions{Errors: "strict\x00"}, want{exc: "ValueError", msg: "embedded null character"}},
		{"encoding='locale'", pysock.MakeFileOptions{Encoding: "locale"}, want{enc: "UTF-8", errs: "strict"}},
		{"encoding=' utf-8 '", pysock.MakeFileOptions{Encoding: " utf-8 "}, want{enc: " utf-8 ", errs: "strict"}},
		{"encoding='utf 8'", pysock.MakeFileOptions{Encoding: "utf 8"}, want{enc: "utf 8", errs: "strict"}},
		{"encoding='cp65001'", pysock.MakeFileOptions{Encoding: "cp65001"}, want{enc: "cp65001", errs: "strict"}},
		{"encoding='utf8_ucs2'", pysock.MakeFileOptions{Encoding: "utf8_ucs2"}, want{enc: "utf8_ucs2", errs: "strict"}},
		{"encoding='ANSI_X3.4-1968'", pysock.MakeFileOptions{Encoding: "ANSI_X3.4-1968"}, want{enc: "ANSI_X3.4-1968", errs: "strict"}},
		{"encoding='csASCII'", pysock.MakeFileOptions{Encoding: "csASCII"}, want{enc: "csASCII", errs: "strict"}},
		{"encoding='iso-ir-100'", pysock.MakeFileOptions{Encoding: "iso-ir-100"}, want{enc: "iso-ir-100", errs: "strict"}},
	} {
		f, err := b.MakeFile("r", c.o)
		if c.w.exc != "" {
			if err == nil {
				f.Close()
			}
			if !pyerr.IsInstance(err, c.w.exc) || err.Error() != c.w.msg {
				t.Errorf("makefile('r', %s) = %v; want %s(%q)", c.name, err, c.w.exc, c.w.msg)
			}
			continue
		}
		if err != nil {
			t.Errorf("makefile('r', %s) = %v; want (%q, %q)", c.name, err, c.w.enc, c.w.errs)
			continue
		}
		if f.Encoding() != c.w.enc || f.Errors() != c.w.errs {
			t.Errorf("makefile('r', %s): (encoding, errors) = (%q, %q); want (%q, %q)", c.name, f.Encoding(), f.Errors(), c.w.enc, c.w.errs)
		}
		f.Close()
	}
}

// A buffered read(n) that needs a second fill reads into the rest of the
// buffer (Modules/_io/bufferedio.c, _bufferedreader_fill_buffer starts at
// read_end), so it asks the socket for fewer bytes and leaves the rest on
// the socket for a plain recv():
//
//	f = b.makefile('rb', 4); a.sendall(b"a")
//	(thread, 0.3 s later: a.sendall(b"bcdefgh"))
//	f.read(3), b.recv(10), f.read(1)  # (b'abc', b'efgh', b'd')
//
// pysock refills from the start of the buffer with a recv of 4: b.recv()
// gets b'fgh' and the file holds b'de'.
func TestMakefileBufferedReadSecondFillSize(t *testing.T) {
	a, b := reviewPair(t)
	f := reviewFile(t, b, "rb", pysock.MakeFileOptions{Buffering: 4})
	a.SendAll([]byte("a"))
	ch := goCall(func() result { d, err := f.ReadN(3); return result{data: d, err: err} })
	waitParked(t, "(*SocketFile).ReadN")
	a.SendAll([]byte("bcdefgh"))
	r := await(t, ch, "read(3)")
	if string(r.data) != "abc" || r.err != nil {
		t.Fatalf("read(3) = %q, %v", r.data, r.err)
	}
	d, err := b.Recv(10)
	rest, err2 := f.ReadN(1)
	if string(d) != "efgh" || err != nil || string(rest) != "d" || err2 != nil {
		t.Errorf("b.recv(10), f.read(1) = %q (%v), %q (%v); want b'efgh', b'd'", d, err, rest, err2)
	}
}
