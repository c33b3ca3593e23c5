package pyio

import (
	"errors"
	"io"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	pyerr "github.com/pysock/pysock/errors"
)

const sample = "héllo wörld\nsecond line €€€\nthird\n" + "tail without newline €"

// TestIotestReader runs testing/iotest.TestReader over every layer.
func TestIotestReader(t *testing.T) {
	watchdog(t, time.Minute)
	for _, max := range []int{0, 1, 3} {
		feed := func() *memSock { m := newMemSock(sample); m.eof, m.max = true, max; return m }
		cases := map[string]func() (io.Reader, io.Closer){
			"SocketIO":         func() (io.Reader, io.Closer) { r := mustRaw(t, feed(), "rb"); return r, r },
			"BufferedReader/1": func() (io.Reader, io.Closer) { b := mustReader(t, feed(), 1); return b, b },
			"BufferedReader/7": func() (io.Reader, io.Closer) { b := mustReader(t, feed(), 7); return b, b },
			"BufferedReader/8192": func() (io.Reader, io.Closer) {
				b := mustReader(t, feed(), DefaultBufferSize)
				return b, b
			},
			"BufferedRWPair": func() (io.Reader, io.Closer) {
				r := mustRaw(t, feed(), "rwb")
				p, err := NewBufferedRWPair(r, r, 5)
				if err != nil {
					t.Fatal(err)
				}
				return p, p
			},
			"TextIOWrapper": func() (io.Reader, io.Closer) { tw := mustText(t, feed(), "r", TextOptions{}); return tw, tw },
		}
		for name, mk := range cases {
			r, c := mk()
			if err := iotest.TestReader(r, []byte(sample)); err != nil {
				t.Errorf("%s (max %d): %v", name, max, err)
			}
			c.Close()
		}
	}
}

// TestTextReadKeepsEveryByte: io.Reader on a text file through a small
// buffer returns every byte (it used to ask for len(p)/4+1 characters and
// drop what did not fit: "€€€" through 5 bytes lost bytes).
func TestTextReadKeepsEveryByte(t *testing.T) {
	watchdog(t, time.Minute)
	want := strings.Repeat("€€€", 8) + "\n"
	m := newMemSock(want)
	m.eof = true
	tw := mustText(t, m, "r", TextOptions{})
	defer tw.Close()
	var got []byte
	p := make([]byte, 5)
	for {
		n, err := tw.Read(p)
		if n < 0 || n > len(p) {
			t.Fatalf("Read returned n=%d", n)
		}
		got = append(got, p[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if string(got) != want {
		t.Fatalf("got %d bytes %q, want %d bytes", len(got), got, len(want))
	}
}

// TestTextConcurrentReadAndReadLine: Read and ReadLineText from two
// goroutines share one lock (it used to race and panic in take).
func TestTextConcurrentReadAndReadLine(t *testing.T) {
	watchdog(t, time.Minute)
	line := "αβγ line of text €\n"
	const lines = 2000
	m := newMemSock(strings.Repeat(line, lines))
	m.eof, m.max = true, 100
	tw := mustText(t, m, "r", TextOptions{})
	defer tw.Close()
	var wg sync.WaitGroup
	var total [2]int
	errs := make(chan error, 2)
	wg.Add(2)
	go func() {
		defer wg.Done()
		p := make([]byte, 7)
		for {
			n, err := tw.Read(p)
			total[0] += n
			if err == io.EOF {
				return
			}
			if err != nil {
				errs <- err
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for {
			s, err := tw.ReadLineText()
			if err != nil {
				errs <- err
				return
			}
			if s == "" {
				return
			}
			total[1] += len(s)
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := total[0] + total[1]; got != len(line)*lines {
		t.Fatalf("read %d bytes in all, sent %d", got, len(line)*lines)
	}
}

// TestTextReadLinesTranslates: readlines() on a text file decodes and
// translates newlines ('done\r\n' -> 'done\n').
func TestTextReadLinesTranslates(t *testing.T) {
	m := newMemSock("one\r\ntwo\rthree\ndone\r\n")
	m.eof, m.max = true, 4
	tw := mustText(t, m, "r", TextOptions{Encoding: "utf-8"})
	defer tw.Close()
	got, err := tw.ReadLinesText()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"one\n", "two\n", "three\n", "done\n"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
	var seen []string
	for line, err := range tw.LinesText() {
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, line)
	}
	if len(seen) != 0 {
		t.Fatalf("iteration after EOF gave %q", seen)
	}
}

// TestTextErrorsAtEOF: errors='replace'/'ignore' apply to an incomplete
// sequence at the end of the stream; strict raises CPython's error.
func TestTextErrorsAtEOF(t *testing.T) {
	for _, tc := range []struct{ errors, want, err string }{
		{"replace", "ab\uFFFD", ""},
		{"ignore", "ab", ""},
		{"strict", "", `UnicodeDecodeError('utf-8', b'\xe2\x82', 0, 2, 'unexpected end of data')`},
	} {
		m := newMemSock("ab\xe2\x82")
		m.eof = true
		tw := mustText(t, m, "r", TextOptions{Errors: tc.errors})
		got, err := tw.ReadLineText()
		tw.Close()
		if tc.err != "" {
			var pe pyerr.PyException
			if !errors.As(err, &pe) || pe.Repr() != tc.err {
				t.Errorf("%s: err %v, want %s", tc.errors, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.errors, got, err, tc.want)
		}
	}
}

// TestTextEncodeErrors: writes raise UnicodeEncodeError with CPython's args
// and str, and errors='replace'/'ignore' apply on encode.
func TestTextEncodeErrors(t *testing.T) {
	m := newMemSock("")
	tw := mustText(t, m, "w", TextOptions{Encoding: "ascii"})
	_, err := tw.WriteText("a€")
	var ue *pyerr.UnicodeEncodeError
	if !errors.As(err, &ue) || ue.Repr() != "UnicodeEncodeError('ascii', 'a€', 1, 2, 'ordinal not in range(128)')" ||
		ue.Error() != `'ascii' codec can't encode character '\u20ac' in position 1: ordinal not in range(128)` {
		t.Fatalf("got %v", err)
	}
	tw.Close()
	for errs, want := range map[string]string{"replace": "a?\r\n", "ignore": "a\r\n"} {
		m := newMemSock("")
		tw := mustText(t, m, "w", TextOptions{Encoding: "ascii", Errors: errs, Newline: strp("\r\n")})
		if n, err := tw.WriteText("a€\n"); n != 3 || err != nil {
			t.Fatalf("%s: %d, %v", errs, n, err)
		}
		tw.Close()
		if got := m.sentString(); got != want {
			t.Errorf("%s: sent %q, want %q", errs, got, want)
		}
	}
}

// TestUTF8ReplaceMatchesCPython: one U+FFFD per maximal invalid subpart, as
// CPython's decoder ('a\ufffdx\ufffd\ufffd\ufffdy\ufffdz\ufffd').
func TestUTF8ReplaceMatchesCPython(t *testing.T) {
	m := newMemSock("a\xe2\x82x\xed\xa0\x80y\xf0\x90z\xff")
	m.eof = true
	tw := mustText(t, m, "r", TextOptions{Errors: "replace"})
	defer tw.Close()
	got, err := tw.ReadText()
	if want := "a\uFFFDx\uFFFD\uFFFD\uFFFDy\uFFFDz\uFFFD"; got != want || err != nil {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
}

// TestClassNamesAndReprs: each layer reports its Python class and repr.
func TestClassNamesAndReprs(t *testing.T) {
	m := newMemSock("")
	raw := mustRaw(t, m, "rwb")
	br, _ := NewBufferedReader(raw, 10)
	bw, _ := NewBufferedWriter(raw, 10)
	pair, _ := NewBufferedRWPair(raw, raw, 10)
	tr, _ := NewTextIOWrapper(br, TextOptions{Mode: "r"})
	tp, _ := NewTextIOWrapper(pair, TextOptions{Mode: "rw"})
	addr := `0x[0-9a-f]+`
	for _, tc := range []struct {
		f interface {
			ClassName() string
			Repr() string
		}
		class, repr string
	}{
		{raw, "SocketIO", `<socket\.SocketIO object at ` + addr + `>`},
		{br, "BufferedReader", `<_io\.BufferedReader name=7>`},
		{bw, "BufferedWriter", `<_io\.BufferedWriter name=7>`},
		{pair, "BufferedRWPair", `<_io\.BufferedRWPair object at ` + addr + `>`},
		{tr, "TextIOWrapper", `<_io\.TextIOWrapper name=7 mode='r' encoding='UTF-8'>`},
		{tp, "TextIOWrapper", `<_io\.TextIOWrapper mode='rw' encoding='UTF-8'>`},
	} {
		if tc.f.ClassName() != tc.class || !regexp.MustCompile("^"+tc.repr+"$").MatchString(tc.f.Repr()) {
			t.Errorf("%s %s, want %s %s", tc.f.ClassName(), tc.f.Repr(), tc.class, tc.repr)
		}
	}
	raw.Close()
	if m.decrefs != 1 {
		t.Errorf("decrefs %d", m.decrefs)
	}
}

// TestRawTimeoutPoisons: a timed-out read leaves SocketIO refusing reads;
// a non-blocking miss is None (-1).
func TestRawTimeoutPoisons(t *testing.T) {
	m := newMemSock("")
	m.nonblock = true
	r := mustRaw(t, m, "rb")
	defer r.Close()
	if n, err := r.ReadInto(make([]byte, 3)); n != -1 || err != nil {
		t.Fatalf("non-blocking: %d, %v", n, err)
	}
	m.timeout = true
	if _, err := r.ReadInto(make([]byte, 3)); !pyerr.IsInstance(err, "TimeoutError") {
		t.Fatalf("timeout: %v", err)
	}
	m.feed("late", false)
	if _, err := r.ReadInto(make([]byte, 3)); err == nil || err.Error() != "cannot read from timed out object" {
		t.Fatalf("after timeout: %v", err)
	}
}

// TestBigTextLineMemory: a 64 MiB line read in text mode allocates about
// twice the line (the pieces and the joined result), as CPython's chunk
// list and join do; it used to hold a []rune copy (4 bytes a character)
// and several growing copies (7.5x CPython's peak).
func TestBigTextLineMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 64 MiB")
	}
	watchdog(t, 2*time.Minute)
	const size = 64 << 20
	data := make([]byte, size+1)
	for i := range data {
		data[i] = 'a' + byte(i%26)
	}
	data[size] = '\n'
	m := newMemSock("")
	m.data, m.eof = data, true
	tw := mustText(t, m, "r", TextOptions{})
	defer tw.Close()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	line, err := tw.ReadLineText()
	runtime.ReadMemStats(&after)
	if err != nil || len(line) != size+1 {
		t.Fatalf("got %d chars, %v", len(line), err)
	}
	alloc := float64(after.TotalAlloc-before.TotalAlloc) / float64(size)
	t.Logf("allocated %.2fx the line while reading it", alloc)
	if alloc > 2.2 {
		t.Errorf("allocated %.2fx the line, want <= 2.2x", alloc)
	}
}
