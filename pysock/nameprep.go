package pysock

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pysock/pysock/internal/pyrepr"
)

//go:generate sh -c "python3 gen_nameprep.py | gofmt > nameprep_tables.go"

// The types of the generated tables (nameprep_tables.go).
type (
	runeString struct {
		r rune
		s string
	}
	runeClass struct {
		r rune
		c uint8
	}
	pairRune struct {
		k uint64
		r rune
	}
)

// idnaLabel is ToASCII of Python's idna codec (encodings/idna.py) for one
// label that is not ASCII: nameprep, then Punycode behind "xn--" unless
// the label became ASCII. Its errors are the codec's UnicodeError texts.
func idnaLabel(label string) (string, error) {
	p, err := nameprep(label)
	if err != nil {
		return "", err
	}
	if isASCII(p) {
		if len(p) == 0 || len(p) >= 64 {
			return "", errors.New("label empty or too long")
		}
		return p, nil
	}
	if strings.HasPrefix(p, "xn--") {
		return "", errors.New("Label starts with ACE prefix")
	}
	enc := "xn--" + punycode(p)
	if len(enc) >= 64 {
		return "", errors.New("label empty or too long")
	}
	return enc, nil
}

// nameprep is RFC 3491's profile as Python's idna codec runs it: map
// (stringprep B.1 to nothing, B.2 case folding), NFKC in Unicode 3.2, the
// prohibited characters, and the bidi rules. Unassigned code points are
// allowed, as in Python.
func nameprep(label string) (string, error) {
	var mapped []rune
	for _, r := range pyrepr.Runes(label) { // lone surrogates included
		if inRanges(nameprepNothing, r) {
			continue
		}
		if s, ok := lookupString(nameprepFold, r); ok {
			mapped = append(mapped, []rune(s)...)
			continue
		}
		mapped = append(mapped, r)
	}
	out := nfkc(mapped)
	randAL := false
	for _, r := range out {
		if pyrepr.IsSurrogate(r) { // table C.5
			return "", fmt.Errorf("Invalid character '\\u%04x'", r)
		}
		if inRanges(nameprepProhibited, r) {
			return "", errors.New("Invalid character " + pyrepr.Repr(string(r)))
		}
		randAL = randAL || inRanges(bidiRandAL, r)
	}
	if randAL {
		for _, r := range out {
			if inRanges(bidiL, r) {
				return "", errors.New("Violation of BIDI requirement 2")
			}
		}
		if !inRanges(bidiRandAL, out[0]) || !inRanges(bidiRandAL, out[len(out)-1]) {
			return "", errors.New("Violation of BIDI requirement 3")
		}
	}
	return string(out), nil
}

// nfkc is Unicode normalization form KC of s, Unicode 3.2's.
func nfkc(s []rune) []rune {
	var d []rune
	for _, r := range s {
		d = appendNFKD(d, r)
	}
	// Canonical ordering: marks sorted by combining class, stably.
	for i := 1; i < len(d); i++ {
		for j := i; j > 0; j-- {
			c := ccc(d[j])
			if c == 0 || ccc(d[j-1]) <= c {
				break
			}
			d[j], d[j-1] = d[j-1], d[j]
		}
	}
	if len(d) == 0 {
		return d
	}
	// Canonical composition (UAX #15's algorithm).
	starter, out := 0, 1
	last := int(ccc(d[0]))
	if last != 0 {
		last = 256 // no starter yet: nothing composes with it
	}
	for i := 1; i < len(d); i++ {
		r := d[i]
		c := int(ccc(r))
		if comp, ok := compose(d[starter], r); ok && (last < c || last == 0) {
			d[starter] = comp
			continue
		}
		if c == 0 {
			starter = out
		}
		last = c
		d[out] = r
		out++
	}
	return d[:out]
}

// Hangul syllables decompose and compose by rule (Unicode 3.2, 3.12).
const (
	hangulS, hangulL, hangulV, hangulT = 0xAC00, 0x1100, 0x1161, 0x11A7
	hangulLCount, hangulVCount         = 19, 21
	hangulTCount                       = 28
	hangulNCount                       = hangulVCount * hangulTCount
	hangulSCount                       = hangulLCount * hangulNCount
)

// appendNFKD appends r's full compatibility decomposition to d.
func appendNFKD(d []rune, r rune) []rune {
	if s := r - hangulS; s >= 0 && s < hangulSCount {
		d = append(d, hangulL+s/hangulNCount, hangulV+(s%hangulNCount)/hangulTCount)
		if t := s % hangulTCount; t != 0 {
			d = append(d, hangulT+t)
		}
		return d
	}
	if s, ok := lookupString(nfkdTable, r); ok {
		return append(d, []rune(s)...)
	}
	return append(d, r)
}

// compose is the primary composite of a and b, if any.
func compose(a, b rune) (rune, bool) {
	if l, v := a-hangulL, b-hangulV; l >= 0 && l < hangulLCount && v >= 0 && v < hangulVCount {
		return hangulS + (l*hangulVCount+v)*hangulTCount, true
	}
	if s, t := a-hangulS, b-hangulT; s >= 0 && s < hangulSCount && s%hangulTCount == 0 && t > 0 && t < hangulTCount {
		return a + t, true
	}
	k := uint64(a)<<21 | uint64(b)
	i, ok := slices.BinarySearchFunc(nfcPairs, k, func(p pairRune, k uint64) int {
		switch {
		case p.k < k:
			return -1
		case p.k > k:
			return 1
		}
		return 0
	})
	if !ok {
		return 0, false
	}
	return nfcPairs[i].r, true
}

// ccc is r's canonical combining class.
func ccc(r rune) uint8 {
	i, ok := slices.BinarySearchFunc(cccTable, r, func(e runeClass, r rune) int { return int(e.r - r) })
	if !ok {
		return 0
	}
	return cccTable[i].c
}

// lookupString finds r in a sorted table.
func lookupString(t []runeString, r rune) (string, bool) {
	i, ok := slices.BinarySearchFunc(t, r, func(e runeString, r rune) int { return int(e.r - r) })
	if !ok {
		return "", false
	}
	return t[i].s, true
}

// inRanges reports whether r is in one of the sorted ranges.
func inRanges(t [][2]rune, r rune) bool {
	i, ok := slices.BinarySearchFunc(t, r, func(e [2]rune, r rune) int {
		switch {
		case e[1] < r:
			return -1
		case e[0] > r:
			return 1
		}
		return 0
	})
	return ok && i >= 0
}
