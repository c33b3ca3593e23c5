package pysock_test

import (
	"fmt"
	"testing"

	"github.com/pysock/pysock/pysock"
)

// TestMakefileErrorHandlers: a text file's errors handler, against
// CPython (the expectations come from python3 at test time). As in
// CPython, the handler is looked up at the first error: an unknown name
// is LookupError then, and nothing before (pysock did: it acted as
// 'strict'); backslashreplace escapes bytes on decoding and characters
// on encoding; xmlcharrefreplace and namereplace cannot decode.
func TestMakefileErrorHandlers(t *testing.T) {
	for _, c := range []struct {
		enc, errs string
		data      string // received, then readline(); or
		text      string // written, then what the peer gets
	}{
		{enc: "utf-8", errs: "bogus", data: "ab\xffc\n"},
		{enc: "utf-8", errs: "bogus", data: "abc\n"},
		{enc: "utf-8", errs: "", data: "a\xffb\n"},
		{enc: "utf-8", errs: "strict ", data: "a\xffb\n"},
		{enc: "utf-8", errs: "backslashreplace", data: "ab\xff\xfec\n"},
		{enc: "utf-8", errs: "xmlcharrefreplace", data: "ab\xffc\n"},
		{enc: "utf-8", errs: "namereplace", data: "ab\xffc\n"},
		{enc: "ascii", errs: "bogus", text: "a\u20acb"},
		{enc: "ascii", errs: "bogus", text: "ab"},
		{enc: "ascii", errs: "backslashreplace", text: "a\u20ac\u00e9\U0001F600b"},
		{enc: "latin-1", errs: "backslashreplace", text: "a\u20ac\u00e9b"},
		{enc: "ascii", errs: "xmlcharrefreplace", text: "a\u20ac\u00e9\U0001F600b"},
		{enc: "latin-1", errs: "replace", text: "a\u20ac\u00e9b"},
	} {
		name := fmt.Sprintf("%s/%q/%q%q", c.enc, c.errs, c.data, c.text)
		t.Run(name, func(t *testing.T) {
			a, b := pair(t)
			defer a.Close()
			defer b.Close()
			opts := pysock.MakeFileOptions{Encoding: c.enc, Errors: c.errs}
			var py string
			var got string
			if c.data != "" {
				py = cpython(t, fmt.Sprintf(`
def run():
    a, b = socket.socketpair()
    a.sendall(%s)
    return b.makefile('r', encoding=%q, errors=%q).readline()
run()`, pysock.Repr(pysock.Bytes(c.data)), c.enc, c.errs))
				if err := a.SendAll([]byte(c.data)); err != nil {
					t.Fatal(err)
				}
				f, err := b.MakeFile("r", opts)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				got = outcomeOf(f.ReadLineText())
			} else {
				py = cpython(t, fmt.Sprintf(`
def run():
    a, b = socket.socketpair()
    f = b.makefile('w', encoding=%q, errors=%q)
    f.write(%s)
    f.flush()
    return a.recv(100)
run()`, c.enc, c.errs, pysock.Repr(c.text)))
				f, err := b.MakeFile("w", opts)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				_, err = f.WriteText(c.text)
				if err == nil {
					err = f.Flush()
				}
				if err != nil {
					got = outcomeOf(nil, err)
				} else {
					d, err := a.Recv(100)
					got = outcomeOf(pysock.Bytes(d), err)
				}
			}
			if got != py {
				t.Errorf("pysock: %s\nCPython: %s", got, py)
			}
		})
	}
}
