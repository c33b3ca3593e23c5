package pysock_test

import (
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/pysock/pysock/pysock"
)

func makefilePair(t *testing.T) (a, b *pysock.Socket) {
	t.Helper()
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	timer := time.AfterFunc(time.Minute, func() { panic(t.Name() + ": watchdog: test hung") })
	t.Cleanup(func() { timer.Stop() })
	return a, b
}

// TestMakefileIotestEndToEnd runs iotest.TestReader over a text file and a
// binary file on a real socketpair.
func TestMakefileIotestEndToEnd(t *testing.T) {
	want := strings.Repeat("line €\n", 3000)
	for _, mode := range []string{"rb", "r"} {
		a, b := makefilePair(t)
		f, err := b.MakeFile(mode)
		if err != nil {
			t.Fatal(err)
		}
		go func() { a.SendAll([]byte(want)); a.Shutdown(pysock.SHUT_WR) }()
		if err := iotest.TestReader(f, []byte(want)); err != nil {
			t.Errorf("%s: %v", mode, err)
		}
		f.Close()
	}
}

// TestMakefileTextBinaryMethods: ReadN/ReadLine/ReadLines on a text file
// decode and translate newlines (readlines gave 'done\r\n'), and mixing
// ReadLineText with ReadLine keeps the stream in order (it returned b""
// with data waiting).
func TestMakefileTextBinaryMethods(t *testing.T) {
	a, b := makefilePair(t)
	f, err := b.MakeFile("r", pysock.MakeFileOptions{Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a.SendAll([]byte("first\r\nsecond\r\nthird\r\nfour\r\ndone\r\n"))
	a.Shutdown(pysock.SHUT_WR)
	if s, err := f.ReadLineText(); s != "first\n" || err != nil {
		t.Fatalf("ReadLineText %q %v", s, err)
	}
	if l, err := f.ReadLine(); string(l) != "second\n" || err != nil {
		t.Fatalf("ReadLine %q %v", l, err)
	}
	if l, err := f.ReadN(6); string(l) != "third\n" || err != nil {
		t.Fatalf("ReadN %q %v", l, err)
	}
	lines, err := f.ReadLines()
	if err != nil || len(lines) != 2 || string(lines[0]) != "four\n" || string(lines[1]) != "done\n" {
		t.Fatalf("ReadLines %q %v", lines, err)
	}
	if buf := f.Buffer(); buf == nil || buf.ClassName() != "BufferedReader" {
		t.Fatalf("Buffer() = %v", buf)
	}
}

// TestMakefileLinesIterates: for line in f, binary and text.
func TestMakefileLinesIterates(t *testing.T) {
	a, b := makefilePair(t)
	f, err := b.MakeFile("r")
	if err != nil {
		t.Fatal(err)
	}
	a.SendAll([]byte("x\r\ny\n"))
	a.Shutdown(pysock.SHUT_WR)
	var got []string
	for line, err := range f.LinesText() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, line)
	}
	if strings.Join(got, "|") != "x\n|y\n" {
		t.Fatalf("got %q", got)
	}
	f.Close()
	for _, err := range f.Lines() {
		if err == nil || err.Error() != "I/O operation on closed file." {
			t.Fatalf("closed: %v", err)
		}
	}
}

// TestMakefileClassNamesAndMode: type(f).__name__ for every makefile
// shape, and an 'rwb' pair has no mode.
func TestMakefileClassNamesAndMode(t *testing.T) {
	_, b := makefilePair(t)
	for _, tc := range []struct {
		mode      string
		buffering any
		class     string
		fmode     any
	}{
		{"rb", 0, "SocketIO", "rb"}, {"rwb", 0, "SocketIO", "rwb"}, {"rb", nil, "BufferedReader", "rb"},
		{"wb", nil, "BufferedWriter", "wb"}, {"rwb", nil, "BufferedRWPair", nil}, {"r", nil, "TextIOWrapper", "r"},
		{"rw", nil, "TextIOWrapper", "rw"},
	} {
		f, err := b.MakeFile(tc.mode, pysock.MakeFileOptions{Buffering: tc.buffering})
		if err != nil {
			t.Fatal(err)
		}
		var mode any
		if m, ok := f.Mode(); ok {
			mode = m
		}
		if f.ClassName() != tc.class || mode != tc.fmode {
			t.Errorf("%s/%v: %s mode %v, want %s %v", tc.mode, tc.buffering, f.ClassName(), mode, tc.class, tc.fmode)
		}
		if tc.class == "SocketIO" && !strings.HasPrefix(f.Repr(), "<socket.SocketIO object at 0x") {
			t.Errorf("repr %s", f.Repr())
		}
		f.Close()
	}
}
