// Command pysock-compat is the compatibility report: it runs every scenario
// of compat_test under CPython (live when python3 is installed, else the
// checked-in golden transcript) and its Go port under pysock, and prints
// scenario | CPython | pysock | verdict with a summary line, then the
// summary of compat_test/cpython/LEDGER.md (CPython's own test suites
// ported to pysock). The first
// differing lines of a mismatch are shown below the table.
//
//	go run ./cmd/pysock-compat [-dir compat_test] [-golden]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pysock/pysock/compat_test/cpython"
	"github.com/pysock/pysock/internal/oracle"
	"github.com/pysock/pysock/internal/ports"
)

func main() {
	dir := flag.String("dir", "compat_test", "the compat_test directory")
	goldenOnly := flag.Bool("golden", false, "compare with the checked-in goldens even when python3 is installed")
	flag.Parse()
	os.Exit(run(*dir, *goldenOnly))
}

func run(dir string, goldenOnly bool) int {
	files, err := filepath.Glob(filepath.Join(dir, "scenarios", "*.py"))
	if err != nil || len(files) == 0 {
		fmt.Fprintf(os.Stderr, "no scenarios under %s/scenarios (run from the repository root)\n", dir)
		return 2
	}
	var names []string
	for _, f := range files {
		if b := strings.TrimSuffix(filepath.Base(f), ".py"); !strings.HasPrefix(b, "_") {
			names = append(names, b)
		}
	}
	sort.Strings(names)
	python, perr := oracle.Find() // CPython 3.11, the version of the goldens
	source := "live CPython " + oracle.Version + " (" + python + ")"
	switch {
	case goldenOnly:
		python, source = "", "checked-in CPython goldens"
	case perr != nil:
		python, source = "", "checked-in CPython goldens ("+perr.Error()+")"
	}
	fmt.Printf("pysock compatibility report — reference: %s\n\n", source)
	fmt.Printf("%-12s | %-14s | %-14s | %s\n", "scenario", "CPython", "pysock", "verdict")
	fmt.Printf("%s\n", strings.Repeat("-", 60))
	matched := 0
	var details []string
	for _, name := range names {
		want, werr := reference(dir, name, python)
		got, gerr := port(name)
		verdict := "match"
		switch {
		case werr != nil:
			verdict = "no reference: " + werr.Error()
		case gerr != nil:
			verdict = "port failed: " + gerr.Error()
		default:
			if d := firstDiff(want, got); d != "" {
				verdict = "MISMATCH"
				details = append(details, name+":\n"+d)
			} else {
				matched++
			}
		}
		fmt.Printf("%-12s | %-14s | %-14s | %s\n", name, countLines(want), countLines(got), verdict)
	}
	fmt.Printf("\n%d of %d scenarios match CPython line for line\n", matched, len(names))
	printLedger(dir)
	for _, d := range details {
		fmt.Println()
		fmt.Println(d)
	}
	if matched != len(names) {
		return 1
	}
	return 0
}

func reference(dir, name, python string) ([]string, error) {
	if python == "" {
		b, err := os.ReadFile(filepath.Join(dir, "golden", name+".txt"))
		return lines(b), err
	}
	cmd := exec.Command(python, name+".py")
	cmd.Dir = filepath.Join(dir, "scenarios")
	cmd.Env = append(os.Environ(), "PYTHONHASHSEED=0", "PYTHONIOENCODING=utf-8", "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.Output()
	return lines(out), err
}

func port(name string) ([]string, error) {
	p, ok := ports.All[name]
	if !ok {
		return nil, fmt.Errorf("no Go port")
	}
	var buf bytes.Buffer
	err := p(ports.New(&buf))
	return lines(buf.Bytes()), err
}

func lines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}

func countLines(l []string) string { return fmt.Sprintf("%d lines", len(l)) }

func firstDiff(want, got []string) string {
	for i := 0; i < max(len(want), len(got)); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			return fmt.Sprintf("  line %d\n  CPython: %s\n  pysock:  %s", i+1, w, g)
		}
	}
	return ""
}

// printLedger prints the summary of the checked-in ledger of CPython's own
// tests (compat_test/cpython/LEDGER.md, written by its TestLedger).
func printLedger(dir string) {
	f, err := os.Open(filepath.Join(dir, "cpython", "LEDGER.md"))
	if err != nil {
		fmt.Printf("\nno ledger of CPython's own tests: %v\n", err)
		return
	}
	defer f.Close()
	entries, err := cpython.ParseLedger(f)
	if err != nil {
		fmt.Printf("\nbad ledger of CPython's own tests: %v\n", err)
		return
	}
	fmt.Println()
	for _, l := range cpython.Summary(entries) {
		fmt.Println(l)
	}
}
