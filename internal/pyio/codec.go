package pyio

import (
	"fmt"
	"strings"
	"unicode/utf8"

	pyerr "github.com/pysock/pysock/errors"
)

// codec is the text layer's encoding: 'utf-8', 'ascii' or 'latin-1' (the
// codecs' own names, used in UnicodeError args), and the errors handler:
// 'strict', 'replace', 'ignore', 'backslashreplace', and for encoding
// 'xmlcharrefreplace'. As in CPython the handler is looked up at the first
// error: a name Python does not know is LookupError('unknown error handler
// name ...') then. 'surrogateescape', 'surrogatepass' and 'namereplace',
// which need text a Go string does not hold or Unicode's character names,
// act as 'strict'.
type codec struct {
	name   string
	errors string
}

// LookupEncoding is codecs.lookup(name) for the encodings pysock
// supports: the codec's name as its UnicodeErrors give it ('utf-8',
// 'ascii' or 'latin-1'), or LookupError('unknown encoding: name'). The
// name goes through CPython's normalization: the codec registry lowercases
// ASCII letters and turns each run of other bytes (but '.') into one '_',
// none at either end; encodings.search_function then tries the aliases of
// encodings.aliases (also with '.' as '_') and the module names, which
// never contain '.'.
func LookupEncoding(name string) (string, error) {
	norm := normalizeEncoding(name)
	if c, ok := encodingAliases[norm]; ok {
		return c, nil
	}
	if c, ok := encodingAliases[strings.ReplaceAll(norm, ".", "_")]; ok {
		return c, nil
	}
	if c, ok := encodingModules[norm]; ok {
		return c, nil
	}
	return "", pyerr.NewLookupError("unknown encoding: " + name)
}

// normalizeEncoding is the codec registry's _Py_normalize_encoding over
// the UTF-8 of name (encodings.normalize_encoding leaves its result as it
// is).
func normalizeEncoding(name string) string {
	b := make([]byte, 0, len(name))
	punct := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.':
		default:
			punct = true
			continue
		}
		if punct && len(b) > 0 {
			b = append(b, '_')
		}
		punct = false
		b = append(b, c)
	}
	return string(b)
}

// encodingModules are the encodings modules of the supported codecs.
var encodingModules = map[string]string{"utf_8": "utf-8", "ascii": "ascii", "latin_1": "latin-1"}

// encodingAliases are the keys of encodings.aliases (3.11) that name the
// supported codecs.
var encodingAliases = map[string]string{
	"u8": "utf-8", "utf": "utf-8", "utf8": "utf-8", "utf8_ucs2": "utf-8",
	"utf8_ucs4": "utf-8", "cp65001": "utf-8",

	"646": "ascii", "ansi_x3.4_1968": "ascii", "ansi_x3.4_1986": "ascii",
	"ansi_x3_4_1968": "ascii", "cp367": "ascii", "csascii": "ascii",
	"ibm367": "ascii", "iso646_us": "ascii", "iso_646.irv_1991": "ascii",
	"iso_ir_6": "ascii", "us": "ascii", "us_ascii": "ascii",

	"8859": "latin-1", "cp819": "latin-1", "csisolatin1": "latin-1",
	"ibm819": "latin-1", "iso8859": "latin-1", "iso8859_1": "latin-1",
	"iso_8859_1": "latin-1", "iso_8859_1_1987": "latin-1",
	"iso_ir_100": "latin-1", "l1": "latin-1", "latin": "latin-1",
	"latin1": "latin-1",
}

// utf8Error is the length and reason of the undecodable UTF-8 sequence at
// the start of b, as CPython's decoder reports it (maximal valid prefix);
// incomplete is true when b ends inside a sequence that may still be valid.
func utf8Error(b []byte) (n int, reason string, incomplete bool) {
	c := b[0]
	var need int
	lo, hi := byte(0x80), byte(0xbf)
	switch {
	case c >= 0xc2 && c <= 0xdf:
		need = 1
	case c >= 0xe0 && c <= 0xef:
		need = 2
		if c == 0xe0 {
			lo = 0xa0
		} else if c == 0xed {
			hi = 0x9f
		}
	case c >= 0xf0 && c <= 0xf4:
		need = 3
		if c == 0xf0 {
			lo = 0x90
		} else if c == 0xf4 {
			hi = 0x8f
		}
	default:
		return 1, "invalid start byte", false
	}
	for i := 1; i <= need; i++ {
		if i >= len(b) {
			return len(b), "unexpected end of data", true
		}
		if b[i] < lo || b[i] > hi {
			return i, "invalid continuation byte", false
		}
		lo, hi = 0x80, 0xbf
	}
	return need + 1, "", false // valid: not reached for bytes utf8 rejects
}

// decode appends the decoded text of src to dst as UTF-8. Unless final, an
// incomplete sequence at the end is left undecoded and returned as rest.
func (c codec) decode(dst, src []byte, final bool) (out, rest []byte, err error) {
	for i := 0; i < len(src); {
		b := src[i]
		if b < utf8.RuneSelf {
			j := i + 1
			for j < len(src) && src[j] < utf8.RuneSelf {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j
			continue
		}
		switch c.name {
		case "latin-1":
			dst = utf8.AppendRune(dst, rune(b))
			i++
			continue
		case "ascii":
			dst, err = c.bad(dst, src, i, i+1, "ordinal not in range(128)")
			if err != nil {
				return dst, nil, err
			}
			i++
			continue
		}
		if r, w := utf8.DecodeRune(src[i:]); r != utf8.RuneError || w > 1 {
			dst = append(dst, src[i:i+w]...)
			i += w
			continue
		}
		n, reason, incomplete := utf8Error(src[i:])
		if incomplete && !final {
			return dst, src[i:], nil
		}
		if dst, err = c.bad(dst, src, i, i+n, reason); err != nil {
			return dst, nil, err
		}
		i += n
	}
	return dst, nil, nil
}

// bad applies the errors handler to src[start:end].
func (c codec) bad(dst, src []byte, start, end int, reason string) ([]byte, error) {
	switch c.errors {
	case "replace":
		return append(dst, "\uFFFD"...), nil
	case "ignore":
		return dst, nil
	case "backslashreplace":
		for _, b := range src[start:end] {
			dst = fmt.Appendf(dst, "\\x%02x", b)
		}
		return dst, nil
	case "xmlcharrefreplace", "namereplace":
		return dst, pyerr.NewTypeError("don't know how to handle UnicodeDecodeError in error callback")
	}
	if err := unknownHandler(c.errors); err != nil {
		return dst, err
	}
	return dst, pyerr.NewUnicodeDecodeError(c.name, src, start, end, reason)
}

// unknownHandler is codecs.lookup_error's LookupError for a handler name
// Python does not know; nil for the ones it does.
func unknownHandler(name string) error {
	switch name {
	case "strict", "replace", "ignore", "backslashreplace", "xmlcharrefreplace",
		"namereplace", "surrogateescape", "surrogatepass":
		return nil
	}
	return pyerr.NewLookupError("unknown error handler name '" + name + "'")
}

// encodeBad applies the errors handler to one character an encoding
// cannot hold; ok false means the run is an error ('strict', or a handler
// acting as it).
func (c codec) encodeBad(dst []byte, r rune) (out []byte, ok bool) {
	switch c.errors {
	case "replace":
		return append(dst, '?'), true
	case "ignore":
		return dst, true
	case "backslashreplace":
		switch {
		case r < 0x100:
			return fmt.Appendf(dst, "\\x%02x", r), true
		case r < 0x10000:
			return fmt.Appendf(dst, "\\u%04x", r), true
		}
		return fmt.Appendf(dst, "\\U%08x", r), true
	case "xmlcharrefreplace":
		return fmt.Appendf(dst, "&#%d;", r), true
	}
	return dst, false
}

// encode appends s encoded to dst. UTF-8 text passes as it is; for ASCII
// and Latin-1 a run of characters beyond the range is one error (strict:
// UnicodeEncodeError over the run), a '?' each (replace) or dropped
// (ignore).
func (c codec) encode(dst []byte, s string) ([]byte, error) {
	if c.name == "utf-8" {
		return append(dst, s...), nil
	}
	limit, reason := rune(0x7f), "ordinal not in range(128)"
	if c.name == "latin-1" {
		limit, reason = 0xff, "ordinal not in range(256)"
	}
	pos := 0 // in characters
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if r <= limit {
			dst = append(dst, byte(r))
			i += w
			pos++
			continue
		}
		start := pos
		handled := true
		for i < len(s) {
			r, w = utf8.DecodeRuneInString(s[i:])
			if r <= limit {
				break
			}
			dst, handled = c.encodeBad(dst, r)
			i += w
			pos++
		}
		if !handled {
			if err := unknownHandler(c.errors); err != nil {
				return dst, err
			}
			return dst, pyerr.NewUnicodeEncodeError(c.name, s, start, pos, reason)
		}
	}
	return dst, nil
}
