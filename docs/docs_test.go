// Package docs_test checks that the reference in docs/ covers every public
// name of CPython's socket, select and selectors modules.
package docs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pysock/pysock/internal/oracle"
)

// TestDocsCoverEveryName fails for a Python name with no table row.
func TestDocsCoverEveryName(t *testing.T) {
	names, err := os.ReadFile("testdata/python-names.txt")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.md")
	var rows strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "|") {
				rows.WriteString(line + "\n")
			}
		}
	}
	all := rows.String()
	list := strings.Fields(string(names))
	if len(list) < 400 {
		t.Fatalf("only %d names in testdata/python-names.txt", len(list))
	}
	var missing []string
	for _, n := range list {
		if !strings.Contains(all, "`"+n+"`") {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d Python names have no row in docs/*.md:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

// TestNamesListIsFresh regenerates the list with CPython.
func TestNamesListIsFresh(t *testing.T) {
	fresh := oracle.Run(t, ".", time.Minute, "testdata/gen_names.py")
	stored, err := os.ReadFile("testdata/python-names.txt")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(stored), string(fresh)); diff != "" {
		t.Errorf("testdata/python-names.txt is stale (-stored +CPython):\n%s", diff)
	}
}
