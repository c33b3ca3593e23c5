package pyio

import (
	"strings"
	"testing"
	"time"
)

// Outside review of the io layers against CPython 3.11's C _io module.
// The reference is python3 (3.11.7) with the same stack over a raw stream
// that hands out at most mx bytes a read:
//
//	class Raw(io.RawIOBase):
//	    def __init__(self, data, mx): self.data = data; self.mx = mx
//	    def readable(self): return True
//	    def readinto(self, b):
//	        k = min(len(b), self.mx, len(self.data))
//	        b[:k] = self.data[:k]; self.data = self.data[k:]; return k
//	def lines(data, mx, limit):
//	    t = io.TextIOWrapper(io.BufferedReader(Raw(data, mx), 8192),
//	                         encoding='utf-8', newline='\r\n')
//	    return [t.readline(limit) for _ in range(N)]

// readline(limit) with newline='\r\n' counts characters and never splits
// one, whatever the reads underneath:
//
//	lines("\u20ac\u20ac\r\n\u20ac".encode(), 1, 2)  # ['\u20ac\u20ac', '\r\n', '\u20ac', '']
//	lines("\u20ac\u20ac\r\n\u20ac".encode(), 1, 3)  # ['\u20ac\u20ac\r', '\n\u20ac', '']
//	lines("h\u00e9llo\r\nw\u20acrld\r\n".encode(), 1, 3)
//	    # ['h\u00e9l', 'lo\r', '\nw\u20ac', 'rld', '\r\n', '']
//	lines(b"\xff\n" (errors='replace'), 1, 2)  # ['\ufffd\n', '']
//	lines("h\u00e9llo\r\nw\u20acrld\r\n\U0001F600x\r".encode(), 7, 2)
//	    # ['h\u00e9', 'll', 'o\r', '\nw', '\u20acr', 'ld', '\r\n', '\U0001F600x', '\r', '']
//
// pysock's text layer returns pieces of characters (strings that are not
// UTF-8), lines shorter than the limit, and 3 characters for
// readline(2).
func TestTextReadlineLimitCRLFChunks(t *testing.T) {
	watchdog(t, time.Minute)
	for _, c := range []struct {
		data  string
		errs  string
		mx    int
		limit int
		want  []string
	}{
		{"\u20ac\u20ac\r\n\u20ac", "", 1, 2, []string{"\u20ac\u20ac", "\r\n", "\u20ac", ""}},
		{"\u20ac\u20ac\r\n\u20ac", "", 1, 3, []string{"\u20ac\u20ac\r", "\n\u20ac", ""}},
		{"h\u00e9llo\r\nw\u20acrld\r\n", "", 1, 3, []string{"h\u00e9l", "lo\r", "\nw\u20ac", "rld", "\r\n", ""}},
		{"\xff\n", "replace", 1, 2, []string{"\ufffd\n", ""}},
		{"h\u00e9llo\r\nw\u20acrld\r\n\U0001F600x\r", "", 7, 2, []string{"h\u00e9", "ll", "o\r", "\nw", "\u20acr", "ld", "\r\n", "\U0001F600x", "\r", ""}},
	} {
		m := newMemSock(c.data)
		m.eof, m.max = true, c.mx
		tw := mustText(t, m, "r", TextOptions{Encoding: "utf-8", Errors: c.errs, Newline: strp("\r\n")})
		var got []string
		for range c.want {
			s, err := tw.ReadLineText(c.limit)
			if err != nil {
				got = append(got, "error: "+err.Error())
				break
			}
			got = append(got, s)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q (reads of %d) readline(%d) = %q; want %q", c.data, c.mx, c.limit, got, c.want)
		}
		tw.Close()
	}
}
