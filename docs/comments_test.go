package docs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoTypographicQuotesInGoComments: gofmt turns two single quotes (a
// Python empty str, or the end of an empty bytes) in a doc comment into
// the typographic quote U+201D, which misprints every Python value it
// touches; write "" or b"" instead.
func TestNoTypographicQuotesInGoComments(t *testing.T) {
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.ContainsAny(line, "\u201c\u201d") {
				t.Errorf("%s:%d: typographic quote (gofmt's rewrite of '' or ``): %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
