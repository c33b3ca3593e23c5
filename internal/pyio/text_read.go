package pyio

import (
	"bytes"
	"io"
	"iter"
	"syscall"
	"unicode/utf8"

	pyerr "github.com/pysock/pysock/errors"
)

// chunkSize is TextIOWrapper._CHUNK_SIZE.
const chunkSize = 8192

// checkRead is the start of every text read but readline: closed, not
// readable, then the pending written text goes to the buffer, as in
// CPython's read. (readline hands the pending text over before it finds
// the file not readable: checkReadLine.)
func (t *TextIOWrapper) checkRead() error {
	if t.Closed() {
		return errIOClosed()
	}
	if !can(t.Readable) {
		return errUnsupported("not readable")
	}
	return t.flushPending()
}

// checkReadLine is the start of readline: closed, the pending text to the
// buffer, then not readable.
func (t *TextIOWrapper) checkReadLine() error {
	if t.Closed() {
		return errIOClosed()
	}
	if err := t.flushPending(); err != nil {
		return err
	}
	if !can(t.Readable) {
		return errUnsupported("not readable")
	}
	return nil
}

// flushPending hands the pending written text to the buffer, unless a
// write or flush in another goroutine is at it (holds wmu): that one
// sends it, and the read does not wait for it.
func (t *TextIOWrapper) flushPending() error {
	if !t.wmu.TryLock() {
		return nil
	}
	defer t.wmu.Unlock()
	return t.writeFlushLocked()
}

// dropDecoded forgets the decoded text not yet returned: what CPython's
// readline has set aside by the time a chunk read fails, and so loses
// with the error (its decoded text is then none at all).
func (t *TextIOWrapper) dropDecoded() {
	t.dec, t.dpos = t.dec[:0], 0
}

// readChunk is textiowrapper_read_chunk: one read1 of the chunk size from
// the buffer, decoded (with final=True when it is empty, as CPython does)
// and added to the pending text. It returns the byte count: 0 at EOF, -1
// where read1 would give None (which CPython's read1 turns into b"").
func (t *TextIOWrapper) readChunk() (int, error) {
	if t.dpos > 0 {
		t.dec = t.dec[:copy(t.dec, t.dec[t.dpos:])]
		t.dpos = 0
	}
	if t.chunk == nil {
		t.chunk = make([]byte, chunkSize)
	}
	n, err := t.buffer.ReadInto1(t.chunk)
	if err != nil {
		return 0, err
	}
	src := t.chunk[:max(n, 0)]
	if len(t.undecoded) > 0 {
		src = append(t.undecoded[:len(t.undecoded):len(t.undecoded)], src...)
	}
	out, rest, err := t.codec.decode(t.scratch[:0], src, n <= 0)
	if err != nil {
		return 0, err // the decoder keeps its buffer, as CPython's does
	}
	t.scratch = out
	t.undecoded = append(t.undecoded[:0], rest...)
	t.dec = t.translateNL(t.dec, out, n <= 0)
	return n, nil
}

// translateNL appends decoded text to dst through the newline decoder.
func (t *TextIOWrapper) translateNL(dst, text []byte, final bool) []byte {
	if t.nl == nil {
		return append(dst, text...)
	}
	return t.nl.decode(dst, text, final)
}

// take returns the next n bytes of pending text.
func (t *TextIOWrapper) take(n int) string {
	s := string(t.dec[t.dpos : t.dpos+n])
	t.dpos += n
	return s
}

// charOffset is the byte length of the first n characters of b (all of b
// if it has fewer) and how many characters that is.
func charOffset(b []byte, n int) (int, int) {
	i, k := 0, 0
	for ; k < n && i < len(b); k++ {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, w := utf8.DecodeRune(b[i:])
		i += w
	}
	return i, k
}

// ReadText is f.read(size=-1): size characters (fewer at the end of the
// stream), or everything to the end for a negative size. An error on the
// way (a timeout, say) loses the characters decoded so far, as in CPython.
func (t *TextIOWrapper) ReadText(size ...int) (string, error) {
	n := sizeArg(size)
	if t.Closed() {
		return "", errIOClosed() // at once, even while a read waits
	}
	t.rmu.Lock()
	defer t.rmu.Unlock()
	if err := t.checkRead(); err != nil {
		return "", err
	}
	if n < 0 {
		return t.readAll()
	}
	eof := false
	for {
		avail := t.dec[t.dpos:]
		end, got := charOffset(avail, n)
		if got == n || eof {
			return t.take(end), nil
		}
		r, err := t.readChunk()
		if err != nil {
			// CPython's read(n) has taken the decoded text into its
			// result, which the error loses; the text stays, used up
			// (readline(0) then finds text, and reads nothing).
			t.dpos = len(t.dec)
			return "", err
		}
		eof = r <= 0
	}
}

// readAll is read() on the text layer: buffer.read(), decoded with
// final=True after the pending text.
func (t *TextIOWrapper) readAll() (string, error) {
	data, err := t.buffer.ReadN(-1)
	if err != nil {
		return "", err
	}
	if data == nil {
		// None (non-blocking, nothing available): CPython passes it to
		// the decoder, whose concatenation or C codec rejects it.
		if t.codec.name == "utf-8" {
			return "", pyerr.NewTypeError("can't concat NoneType to bytes")
		}
		return "", pyerr.NewTypeError("a bytes-like object is required, not 'NoneType'")
	}
	src := data
	if len(t.undecoded) > 0 {
		src = append(t.undecoded[:len(t.undecoded):len(t.undecoded)], data...)
	}
	dec, _, err := t.codec.decode(make([]byte, 0, len(src)+8), src, true)
	if err != nil {
		return "", err
	}
	data, src, t.undecoded = nil, nil, nil
	head := t.dec[t.dpos:]
	out := dec
	if len(head) > 0 || (t.nl != nil && (t.nl.pendingCR || bytes.IndexByte(dec, '\r') >= 0)) {
		out = t.translateNL(append(make([]byte, 0, len(head)+len(dec)+1), head...), dec, true)
	}
	t.dec, t.dpos = t.dec[:0], 0
	return ownString(out), nil
}

// ReadLineText is f.readline(size=-1): the next line with its ending (after
// newline translation), at most size characters, or what is left at the
// end of the stream ("" there).
func (t *TextIOWrapper) ReadLineText(size ...int) (string, error) {
	if t.Closed() {
		return "", errIOClosed() // at once, even while a read waits
	}
	t.rmu.Lock()
	defer t.rmu.Unlock()
	if err := t.checkReadLine(); err != nil {
		return "", err
	}
	return t.readLine(sizeArg(size))
}

// readLine is _textiowrapper_readline. Long lines are gathered in pieces
// and joined once. The limit counts characters: chunked is how many have
// been set aside; a line ending not yet complete (a '\r' at the end of the
// text with newline='\r\n') stays in the pending text for the next chunk.
// An error from a chunk read loses what was gathered, as in CPython.
func (t *TextIOWrapper) readLine(limit int) (string, error) {
	var c collector
	chunked, eof := 0, false
	for {
		if len(t.dec) == 0 && !eof {
			// No decoded text at all: CPython reads a chunk first,
			// whatever the limit (readline(0) too).
			r, err := t.readChunk()
			if err != nil {
				t.dropDecoded()
				return "", err
			}
			eof = r <= 0
			continue
		}
		seg := t.dec[t.dpos:]
		end, found := lineEnd(seg, t.translate, t.universal, t.readnl)
		if limit >= 0 {
			// (endpos - start) + chunked >= limit: the line stops at limit
			// characters.
			if k, got := charOffset(seg, limit-chunked); got == limit-chunked && k <= end {
				end, found = k, true
			}
		}
		if found || eof {
			if !found {
				end = len(seg)
			}
			if c.n == 0 {
				return t.take(end), nil
			}
			c.add(seg[:end])
			t.dpos += end
			return c.string(), nil
		}
		if limit >= 0 {
			chunked += utf8.RuneCount(seg[:end])
		}
		c.add(seg[:end])
		t.dpos += end
		r, err := t.readChunk()
		if err != nil {
			t.dropDecoded()
			return "", err
		}
		eof = r <= 0
	}
}

// ReadLinesText is f.readlines() on a text file: every line to the end of
// the stream, decoded and newline-translated.
func (t *TextIOWrapper) ReadLinesText() ([]string, error) {
	return ReadLinesOf(t.Closed, readline0(t.ReadLineText))
}

// LinesText is `for line in f` on a text file: each line as str until the
// end of the stream; an error is yielded once (with "") and ends it.
func (t *TextIOWrapper) LinesText() iter.Seq2[string, error] {
	return LinesOf(t.Closed, readline0(t.ReadLineText))
}

// Read implements io.Reader over the decoded text: its UTF-8 bytes, as many
// as fit in p (a character may be split between calls); io.EOF at the end
// of the stream; BlockingIOError in non-blocking mode with nothing
// available.
func (t *TextIOWrapper) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if t.Closed() {
		return 0, errIOClosed() // at once, even while a read waits
	}
	t.rmu.Lock()
	defer t.rmu.Unlock()
	if err := t.checkRead(); err != nil {
		return 0, err
	}
	for t.dpos == len(t.dec) {
		r, err := t.readChunk()
		switch {
		case err != nil:
			return 0, err
		case t.dpos < len(t.dec):
		case r == 0:
			return 0, io.EOF
		case r < 0:
			return 0, pyerr.FromErrno(syscall.EAGAIN)
		}
	}
	n := copy(p, t.dec[t.dpos:])
	t.dpos += n
	return n, nil
}
