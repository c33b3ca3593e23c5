package pyio

import "bytes"

// newlineDecoder is io.IncrementalNewlineDecoder over decoded text (UTF-8,
// so '\r' and '\n' are single bytes): a '\r' at the end of a chunk is held
// back until the next chunk (or the final call) shows whether '\n' follows;
// with translate, '\r\n' and '\r' become '\n'.
type newlineDecoder struct {
	translate bool
	pendingCR bool
}

// decode appends text to dst, as IncrementalNewlineDecoder.decode(text,
// final).
func (d *newlineDecoder) decode(dst, text []byte, final bool) []byte {
	if d.pendingCR && (len(text) > 0 || final) {
		d.pendingCR = false
		switch {
		case !d.translate:
			dst = append(dst, '\r')
		case len(text) > 0 && text[0] == '\n':
			dst = append(dst, '\n')
			text = text[1:]
		default:
			dst = append(dst, '\n')
		}
	}
	if n := len(text); n > 0 && text[n-1] == '\r' && !final {
		text = text[:n-1]
		d.pendingCR = true
	}
	if !d.translate {
		return append(dst, text...)
	}
	for {
		i := bytes.IndexByte(text, '\r')
		if i < 0 {
			return append(dst, text...)
		}
		dst = append(dst, text[:i]...)
		dst = append(dst, '\n')
		text = text[i+1:]
		if len(text) > 0 && text[0] == '\n' {
			text = text[1:]
		}
	}
}

// lineEnd is _PyIO_find_line_ending over UTF-8 text: the byte length of
// the first line of text through its ending and true, or, when there is
// none, how much of text can be set aside and false: all of it, but a
// '\r' at its end when the newline is '\r\n' (which the next chunk may
// complete). Newlines are ASCII, so no character is ever split.
func lineEnd(text []byte, translated, universal bool, readnl string) (int, bool) {
	switch {
	case translated:
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			return i + 1, true
		}
	case universal:
		i := bytes.IndexAny(text, "\r\n")
		switch {
		case i < 0:
		case text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n':
			return i + 2, true
		default:
			return i + 1, true
		}
	default:
		if i := bytes.Index(text, []byte(readnl)); i >= 0 {
			return i + len(readnl), true
		}
		if n := len(text); len(readnl) > 1 && n > 0 && text[n-1] == readnl[0] {
			return n - 1, false
		}
	}
	return len(text), false
}
