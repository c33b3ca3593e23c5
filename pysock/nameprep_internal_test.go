package pysock

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pysock/pysock/internal/oracle"
)

// nameprep gives what Python's encodings.idna.nameprep gives, for every
// character the tables name (folded, decomposed, combining, mapped to
// nothing, the edges of the prohibited and bidi ranges), Hangul, and
// sequences that reorder and compose; python3 is asked at test time.
func TestNameprepMatchesPython(t *testing.T) {
	var in []string
	add := func(rs ...rune) { in = append(in, string(rs)) }
	for _, e := range nameprepFold {
		add(e.r)
	}
	for _, e := range nfkdTable {
		add(e.r)
		add('a', e.r, 0x301)
	}
	for _, e := range cccTable {
		add('e', e.r)
		add('e', e.r, 0x301, 0x327)
	}
	for _, t := range [][][2]rune{nameprepNothing, nameprepProhibited, bidiRandAL, bidiL} {
		for _, r := range t {
			if r[0] < 0xd800 || r[0] > 0xdfff {
				add('a', r[0])
				add(r[0], 'b')
			}
			if r[1] < 0xd800 || r[1] > 0xdfff {
				add(r[1])
			}
		}
	}
	for _, s := range []string{
		"\u1100\u1161", "\u1100\u1161\u11a8", "\uac00\u11a8", "\ud55c\uad6d\uc5b4", "\u1100\u1100\u1161",
		"A\u030a\u0323", "a\u0323\u030a", "\u0041\u0327\u030a", "\u00c5\u0327", "\u212b", "\u1e9b\u0323",
		"\u05d0\u05d1", "\u05d0a\u05d1", "\u05d01", "1\u05d0", "\u0627\u0628", "\uff21\uff22", "\u2163",
		"\u00df", "\u0130", "\u03a3", "\ufb01", "\u3392", "\u0345", "\u0f73", "\u0344",
	} {
		in = append(in, s)
	}
	matchPython(t, "nameprep", "from encodings import idna\nf = idna.nameprep", in, nameprep)
}

// idnaEncode encodes whole names as Python's idna codec does: labels split
// at the four dots, ASCII labels kept as they are, the others nameprepped
// and Punycoded.
func TestIdnaEncodeMatchesPython(t *testing.T) {
	names := []string{
		"bücher.de", "Bücher.DE", "ＢＵＣＨＥＲ。de", "BÜCHER.de.", "münchen.例え.テスト", "a\u00ad.com",
		"\u05d0\u05d1.il", "ß.de", "İ.tr", "ｌｏｃａｌｈｏｓｔ", "xn--bcher-kva.de", "Ab.ü", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
		"\ud55c\uad6d\uc5b4.kr", "\u1100\u1161\u11a8.kr", "e\u0301.fr", "\u212b.se", "ü" + strings.Repeat("a", 60),
	}
	matchPython(t, "idna", "f = lambda s: s.encode('idna').decode()", names, func(s string) (string, error) { return idnaEncode(s) })
}

// matchPython compares fn with the Python function f (defined by def, in a
// program that has imported json and sys) on every input, at test time:
// the same result, or a UnicodeError with the same text.
func matchPython(t *testing.T, name, def string, in []string, fn func(string) (string, error)) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.json")
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	prog := "import json, sys\n" + def + `
for s in json.load(open(sys.argv[1])):
    try:
        print(json.dumps(["ok", f(s)]))
    except UnicodeError as e:
        print(json.dumps(["err", str(e)]))
`
	lines := strings.Split(strings.TrimSpace(string(oracle.Run(t, t.TempDir(), 2*time.Minute, "-c", prog, path))), "\n")
	if len(lines) != len(in) {
		t.Fatalf("python3 gave %d lines for %d inputs", len(lines), len(in))
	}
	bad := 0
	for i, s := range in {
		var want [2]string
		if err := json.Unmarshal([]byte(lines[i]), &want); err != nil {
			t.Fatal(err)
		}
		got := [2]string{"ok", ""}
		if r, err := fn(s); err != nil {
			got = [2]string{"err", err.Error()}
		} else {
			got[1] = r
		}
		if got != want {
			if bad++; bad <= 20 {
				t.Errorf("%s(%+q) = %+q; Python: %+q", name, s, got, want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d inputs differ", name, bad, len(in))
	}
}
