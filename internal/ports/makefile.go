package ports

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strings"

	"github.com/pysock/pysock/internal/pyrepr"
	"github.com/pysock/pysock/pysock"
)

func init() { All["makefile"] = MakeFile }

// bytesOrNone prints a nil slice as Python's None.
func bytesOrNone(b []byte, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, nil
	}
	return pyrepr.Bytes(b), nil
}

func intOrNone(n int, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, nil
	}
	return n, nil
}

// modeOf is getattr(f, 'mode', None).
func modeOf(f *pysock.SocketFile) any {
	if m, ok := f.Mode(); ok {
		return m
	}
	return nil
}

// MakeFile is the twin of scenarios/makefile.py.
func MakeFile(t *Transcript) error {
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	r := func(f *pysock.SocketFile) string {
		return strings.ReplaceAll(f.Repr(), fmt.Sprintf("name=%d", b.Fileno()), "name=<fd>")
	}
	opt := func(buffering any) pysock.MakeFileOptions { return pysock.MakeFileOptions{Buffering: buffering} }
	for _, tc := range []struct {
		mode      string
		buffering any
	}{{"r", nil}, {"rb", nil}, {"rb", 1}, {"w", nil}, {"wb", nil}, {"rw", nil}, {"rb", 1 << 31}, {"r", -2}} {
		t.Show(fmt.Sprintf("makefile(%s, %s)", R(tc.mode), R(tc.buffering)), func() (any, error) {
			f, err := b.MakeFile(tc.mode, opt(tc.buffering))
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return r(f), nil
		})
	}
	for _, tc := range []struct {
		mode      string
		buffering any
	}{{"r+", nil}, {"a", nil}, {"rt", nil}, {"r", 0}, {"rb", 1 << 62}, {"r", 1 << 62}, {"rb", new(big.Int).Lsh(big.NewInt(1), 63)}} {
		t.Show(fmt.Sprintf("makefile(%s, %s)", R(tc.mode), R(tc.buffering)), func() (any, error) {
			f, err := b.MakeFile(tc.mode, opt(tc.buffering))
			if err == nil {
				f.Close()
			}
			return f, err
		})
	}
	// Buffering that is not a plain int.
	huge := new(big.Int).Lsh(big.NewInt(1), 70)
	for _, tc := range []struct {
		mode      string
		buffering any
	}{{"rb", 0.0}, {"r", 0.0}, {"rb", -1.0}, {"r", -1.0}, {"rb", 1.5}, {"rb", math.NaN()},
		{"rb", true}, {"rb", false}, {"r", false}, {"rb", "a"}, {"r", "a"}, {"rb", []byte{}},
		{"rb", huge}, {"rb", new(big.Int).Neg(huge)}} {
		t.Show(fmt.Sprintf("makefile(%s, %s) layer", R(tc.mode), R(tc.buffering)), func() (any, error) {
			f, err := b.MakeFile(tc.mode, opt(tc.buffering))
			if err != nil {
				return nil, err
			}
			f.Close()
			return f.ClassName(), nil
		})
	}
	t.Show("encoding nosuch", func() (any, error) { return b.MakeFile("r", pysock.MakeFileOptions{Encoding: "nosuch"}) })
	t.Show("newline 'x'", func() (any, error) { return b.MakeFile("r", pysock.MakeFileOptions{Newline: "x"}) })
	t.Show("encoding nosuch errors 5", func() (any, error) {
		return b.MakeFile("r", pysock.MakeFileOptions{Encoding: "nosuch", Errors: 5})
	})
	t.Show("encoding nosuch newline 'x'", func() (any, error) {
		return b.MakeFile("r", pysock.MakeFileOptions{Encoding: "nosuch", Newline: "x"})
	})
	f0, err := b.MakeFile("rb", opt(0))
	if err != nil {
		return err
	}
	t.Show("raw mode/readable/writable/seekable", func() (any, error) {
		out := pysock.Tuple{modeOf(f0)}
		for _, m := range []func() (bool, error){f0.Readable, f0.Writable, f0.Seekable} {
			v, err := m()
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	})
	t.Show("raw write", func() (any, error) { return f0.Write([]byte("x")) })
	f0.Close()

	f, err := b.MakeFile("rb")
	if err != nil {
		return err
	}
	a.SendAll([]byte("line1\nline2\nrest"))
	t.Show("readline", func() (any, error) { return bytesOrNone(f.ReadLine()) })
	t.Show("readline(3)", func() (any, error) { return bytesOrNone(f.ReadLine(3)) })
	t.Show("readline rest of line", func() (any, error) { return bytesOrNone(f.ReadLine()) })
	t.Show("read(2)", func() (any, error) { return bytesOrNone(f.ReadN(2)) })
	t.Show("read1(100)", func() (any, error) { return bytesOrNone(f.Read1(100)) })
	a.SendAll([]byte("0123456789"))
	buf := make([]byte, 4)
	t.Show("readinto", func() (any, error) { return intOrNone(f.ReadInto(buf)) })
	t.Show("buf", func() (any, error) { return pyrepr.Bytes(buf), nil })
	t.Show("read(6)", func() (any, error) { return bytesOrNone(f.ReadN(6)) })
	t.Show("write on reader", func() (any, error) { return f.Write([]byte("x")) })
	a.SendAll([]byte("x\ny\n"))
	a.Shutdown(pysock.SHUT_WR)
	t.Show("readlines", func() (any, error) {
		lines, err := f.ReadLines()
		out := []any{}
		for _, l := range lines {
			out = append(out, pyrepr.Bytes(l))
		}
		return out, err
	})
	t.Show("read() at EOF", func() (any, error) { return bytesOrNone(f.ReadN()) })
	t.Show("readline() at EOF", func() (any, error) { return bytesOrNone(f.ReadLine()) })
	f.Close()
	t.Show("read closed", func() (any, error) { return bytesOrNone(f.ReadN()) })
	t.Show("readline closed", func() (any, error) { return bytesOrNone(f.ReadLine()) })
	t.Show("closed/name", func() (any, error) { return pysock.Tuple{f.Closed(), f.Name()}, nil })
	a.Close()
	b.Close()

	a, b, err = pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	f, err = b.MakeFile("rb")
	if err != nil {
		return err
	}
	b.Close()
	t.Show("socket repr after close", func() (any, error) {
		fd, err := f.Fileno()
		if err != nil {
			return nil, err
		}
		return strings.ReplaceAll(b.Repr(), fmt.Sprintf("fd=%d", fd), "fd=<open>"), nil
	})
	t.Show("fileno still valid", func() (any, error) { return b.Fileno() >= 0, nil })
	a.SendAll([]byte("still here\n"))
	t.Show("file still reads", func() (any, error) { return bytesOrNone(f.ReadLine()) })
	t.Show("socket.recv still works", func() (any, error) {
		a.SendAll([]byte("z"))
		return bytesOf(b.Recv(1))
	})
	f.Close()
	t.Show("fd closed with the last file", func() (any, error) { return b.Fileno(), nil })
	t.Show("repr", func() (any, error) { return b.Repr(), nil })
	a.Close()

	a, b, err = pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	w, err := b.MakeFile("wb")
	if err != nil {
		return err
	}
	t.Show("write", func() (any, error) { return w.Write([]byte("hello")) })
	a.SetBlocking(false)
	t.Show("peer before flush", func() (any, error) { return bytesOf(a.Recv(10)) })
	t.Do("flush", w.Flush)
	t.Show("peer after flush", func() (any, error) { return bytesOf(a.Recv(10)) })
	w.Write([]byte("bye"))
	t.Do("close flushes", w.Close)
	t.Show("peer after close", func() (any, error) { return bytesOf(a.Recv(10)) })
	t.Show("write closed", func() (any, error) { return w.Write([]byte("x")) })
	t.Do("flush closed", w.Flush)
	a.Close()
	b.Close()

	a, b, err = pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	b.SetTimeout(0.3)
	for _, tc := range []struct {
		mode      string
		buffering any
		label     string
	}{{"rb", nil, "rb/None"}, {"r", nil, "r/None"}, {"rb", 0, "rb/0"}} {
		f, err := b.MakeFile(tc.mode, opt(tc.buffering))
		if err != nil {
			return err
		}
		reader := func() (any, error) {
			switch {
			case tc.buffering != nil:
				return bytesOrNone(f.ReadN(5))
			case tc.mode == "r":
				return f.ReadLineText()
			}
			return bytesOrNone(f.ReadLine())
		}
		t.Timed(tc.label+" first read", reader)
		t.Show(tc.label+" again", reader)
		a.SendAll([]byte("late\n"))
		t.Show(tc.label+" after data", reader)
		f.Close()
		t.Show("plain recv still works", func() (any, error) { return bytesOf(b.Recv(100)) })
	}
	a.Close()
	b.Close()

	a, b, err = pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	b.SetBlocking(false)
	f, err = b.MakeFile("rb")
	if err != nil {
		return err
	}
	t.Show("nonblocking read(5)", func() (any, error) { return bytesOrNone(f.ReadN(5)) })
	t.Show("nonblocking readline", func() (any, error) { return bytesOrNone(f.ReadLine()) })
	f0, err = b.MakeFile("rb", opt(0))
	if err != nil {
		return err
	}
	t.Show("nonblocking raw read(5)", func() (any, error) { return bytesOrNone(f0.ReadN(5)) })
	t.Show("nonblocking raw readinto", func() (any, error) { return intOrNone(f0.ReadInto(make([]byte, 3))) })
	a.SendAll([]byte("abc"))
	a.Close()
	t.Show("read() to EOF", func() (any, error) { return bytesOrNone(f.ReadN()) })
	t.Show("read() again", func() (any, error) { return bytesOrNone(f.ReadN()) })
	f.Close()
	f0.Close()
	b.Close()

	a, b, err = pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	defer a.Close()
	defer b.Close()
	tf, err := b.MakeFile("r")
	if err != nil {
		return err
	}
	t.Show("text encoding/mode/newlines", func() (any, error) { return pysock.Tuple{tf.Encoding(), modeOf(tf), tf.Errors()}, nil })
	a.SendAll([]byte("héllo\r\nwörld\rlast\n"))
	t.Show("text readline crlf", func() (any, error) { return tf.ReadLineText() })
	t.Show("text readline cr", func() (any, error) { return tf.ReadLineText() })
	t.Show("text readline", func() (any, error) { return tf.ReadLineText() })
	a.SendAll([]byte("αβγδ"))
	t.Show("text read(2)", func() (any, error) { return tf.ReadText(2) })
	t.Show("text read(2) again", func() (any, error) { return tf.ReadText(2) })
	tf.Close()
	tf, err = b.MakeFile("r", pysock.MakeFileOptions{Newline: ""})
	if err != nil {
		return err
	}
	a.SendAll([]byte("one\r\ntwo\rthree\n"))
	for range 3 {
		t.Show("newline='' readline", func() (any, error) { return tf.ReadLineText() })
	}
	tf.Close()
	wf, err := b.MakeFile("w", pysock.MakeFileOptions{Newline: "\r\n"})
	if err != nil {
		return err
	}
	t.Show("text write", func() (any, error) { return wf.WriteText("a\nb\n") })
	wf.Flush()
	t.Show("peer got", func() (any, error) { return bytesOf(a.Recv(100)) })
	wf.Close()
	wf, err = b.MakeFile("w", pysock.MakeFileOptions{Encoding: "ascii"})
	if err != nil {
		return err
	}
	t.Show("ascii write ok", func() (any, error) { return wf.WriteText("plain") })
	wf.Close()
	t.Show("peer got", func() (any, error) { return bytesOf(a.Recv(100)) })
	tf, err = b.MakeFile("r")
	if err != nil {
		return err
	}
	a.SendAll([]byte("\xff\xfeabc\n"))
	t.Show("bad utf-8", func() (any, error) { return tf.ReadLineText() })
	tf.Close()
	tf, err = b.MakeFile("r", pysock.MakeFileOptions{Encoding: "latin-1"})
	if err != nil {
		return err
	}
	a.SendAll([]byte("caf\xe9\n"))
	t.Show("latin-1", func() (any, error) { return tf.ReadLineText() })
	tf.Close()
	tf, err = b.MakeFile("w")
	if err != nil {
		return err
	}
	t.Show("read on text writer", func() (any, error) { return tf.ReadText() })
	tf.Close()
	a.Close()
	b.Close()
	return makefileLayers(t)
}

var reAddr = regexp.MustCompile(` at 0x[0-9a-f]+`)

// makefileLayers is the io-layers part of scenarios/makefile.py: the io
// layers, text decoding at EOF and encoding errors.
func makefileLayers(t *Transcript) error {
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	r := func(f *pysock.SocketFile) string {
		return strings.ReplaceAll(f.Repr(), fmt.Sprintf("name=%d", b.Fileno()), "name=<fd>")
	}
	for _, tc := range []struct {
		mode      string
		buffering any
	}{{"rb", 0}, {"wb", 0}, {"rwb", 0}, {"rb", nil}, {"wb", nil}, {"rwb", nil}, {"r", nil}, {"w", nil}, {"rw", nil}} {
		f, err := b.MakeFile(tc.mode, pysock.MakeFileOptions{Buffering: tc.buffering})
		if err != nil {
			return err
		}
		label := fmt.Sprintf("layer %s/%s", tc.mode, pyrepr.Str(tc.buffering))
		t.Show(label, func() (any, error) {
			return pysock.Tuple{f.ClassName(), reAddr.ReplaceAllString(r(f), " at 0x<addr>"), modeOf(f)}, nil
		})
		f.Close()
	}
	tf, err := b.MakeFile("r")
	if err != nil {
		return err
	}
	t.Show("text buffer", func() (any, error) { return pysock.Tuple{tf.Buffer().ClassName(), r(tf.Buffer())}, nil })
	tf.Close()
	a.Close()
	b.Close()
	nl := ""
	for _, tc := range []struct {
		data string
		opt  pysock.MakeFileOptions
		kw   []any
		op   string
	}{
		{"one\r\ntwo\r\ndone\r\n", pysock.MakeFileOptions{Encoding: "utf-8"}, []any{pysock.Tuple{"encoding", "utf-8"}}, "readlines"},
		{"ab\xe2\x82", pysock.MakeFileOptions{Errors: "replace"}, []any{pysock.Tuple{"errors", "replace"}}, "readline"},
		{"ab\xe2\x82", pysock.MakeFileOptions{Errors: "ignore"}, []any{pysock.Tuple{"errors", "ignore"}}, "read"},
		{"ab\xe2\x82", pysock.MakeFileOptions{}, []any{}, "readline"},
		{"x\r", pysock.MakeFileOptions{}, []any{}, "read"},
		{"x\r", pysock.MakeFileOptions{Newline: nl}, []any{pysock.Tuple{"newline", ""}}, "readlines"},
	} {
		a, b, err := pysock.SocketPair(-1, -1, -1)
		if err != nil {
			return err
		}
		tf, err := b.MakeFile("r", tc.opt)
		if err != nil {
			return err
		}
		a.SendAll([]byte(tc.data))
		a.Shutdown(pysock.SHUT_WR)
		t.Show(fmt.Sprintf("text %s %s %s", tc.op, R(pyrepr.Bytes(tc.data)), R(tc.kw)), func() (any, error) {
			switch tc.op {
			case "readlines":
				lines, err := tf.ReadLinesText()
				out := []any{}
				for _, l := range lines {
					out = append(out, l)
				}
				return out, err
			case "readline":
				return tf.ReadLineText()
			}
			return tf.ReadText()
		})
		tf.Close()
		a.Close()
		b.Close()
	}
	a, b, err = pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	defer a.Close()
	defer b.Close()
	wf, err := b.MakeFile("w", pysock.MakeFileOptions{Encoding: "ascii"})
	if err != nil {
		return err
	}
	t.Show("encode strict", func() (any, error) { return wf.WriteText("a€") })
	wf.Close()
	for _, errs := range []string{"replace", "ignore"} {
		wf, err := b.MakeFile("w", pysock.MakeFileOptions{Encoding: "ascii", Errors: errs, Newline: "\r\n"})
		if err != nil {
			return err
		}
		t.Show("encode "+errs, func() (any, error) { return wf.WriteText("a€\n") })
		wf.Close()
		t.Show("peer got", func() (any, error) { return bytesOf(a.Recv(100)) })
	}
	return makeFileStates(t)
}

// makeFileStates is the last part of scenarios/makefile.py: the file's own
// methods, open and closed, per layer; select and selectors take a file
// through its fileno().
func makeFileStates(t *Transcript) error {
	for _, tc := range []struct {
		mode      string
		buffering any
	}{{"rb", 0}, {"wb", 0}, {"rwb", 0}, {"rb", nil}, {"wb", nil}, {"rwb", nil}, {"r", nil}, {"w", nil}, {"rw", nil}} {
		a, b, err := pysock.SocketPair(-1, -1, -1)
		if err != nil {
			return err
		}
		f, err := b.MakeFile(tc.mode, pysock.MakeFileOptions{Buffering: tc.buffering})
		if err != nil {
			return err
		}
		for _, state := range []string{"open", "closed"} {
			label := fmt.Sprintf("%s %s %s ", state, R(tc.mode), R(tc.buffering))
			t.Show(label+"fileno is the socket's", func() (any, error) {
				fd, err := f.Fileno()
				return fd == b.Fileno(), err
			})
			for _, m := range []struct {
				name string
				fn   func() (bool, error)
			}{{"readable", f.Readable}, {"writable", f.Writable}, {"seekable", f.Seekable}, {"isatty", f.Isatty}} {
				t.Show(label+m.name, func() (any, error) { return m.fn() })
			}
			t.Show(label+"flush", func() (any, error) { return nil, f.Flush() })
			if tc.mode == "rb" && tc.buffering == nil {
				t.Show(label+"select", func() (any, error) {
					r, w, x, err := pysock.Select([]any{f}, nil, nil, 0)
					return pysock.Tuple{r, w, x}, err
				})
				sel, err := pysock.DefaultSelector()
				if err != nil {
					return err
				}
				t.Show(label+"selector register", func() (any, error) {
					key, err := sel.Register(f, pysock.EVENT_READ)
					return key.Events, err
				})
				if err := sel.Close(); err != nil {
					return err
				}
			}
			if err := f.Close(); err != nil {
				return err
			}
		}
		a.Close()
		b.Close()
	}
	return nil
}
