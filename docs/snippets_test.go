package docs_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestGoSnippetsCompile builds every ```go block of README.md and docs/*.md,
// as a reader would paste it: top-level declarations (func, type) stay at
// the top level, statements go in the body of a func run() error, and the
// imports are the block's own plus the packages it names. A snippet may
// use s, a *pysock.Socket, as the docs' text does. A snippet that does not
// compile (an unused variable, a placeholder for code) fails the test.
func TestGoSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every snippet")
	}
	files, _ := filepath.Glob("*.md")
	files = append([]string{"../README.md"}, files...)
	dir, err := os.MkdirTemp("..", "_snippets")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	var pkgs []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, block := range goBlocks(string(data)) {
			name := fmt.Sprintf("%s_%d", strings.TrimSuffix(filepath.Base(f), ".md"), i)
			pkgDir := filepath.Join(dir, name)
			os.Mkdir(pkgDir, 0o755)
			src := snippetProgram(block)
			if err := os.WriteFile(filepath.Join(pkgDir, "main.go"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			pkgs = append(pkgs, "./"+filepath.ToSlash(filepath.Join(filepath.Base(dir), name)))
		}
	}
	if len(pkgs) == 0 {
		t.Fatal("no Go snippets found")
	}
	cmd := exec.Command("go", append([]string{"build"}, pkgs...)...)
	cmd.Dir = ".."
	done := make(chan struct{})
	timer := time.AfterFunc(5*time.Minute, func() { cmd.Process.Kill() })
	defer timer.Stop()
	out, err := cmd.CombinedOutput()
	close(done)
	if err != nil {
		t.Fatalf("go build of the docs' Go snippets failed:\n%s", out)
	}
	t.Logf("%d snippets build", len(pkgs))
}

var goBlockRE = regexp.MustCompile("(?s)```go\n(.*?)```")

func goBlocks(md string) []string {
	var out []string
	for _, m := range goBlockRE.FindAllStringSubmatch(md, -1) {
		out = append(out, m[1])
	}
	return out
}

// snippetImports are the packages a snippet may name without importing.
var snippetImports = map[string]string{
	"bytes": `"bytes"`, "context": `"context"`, "errors": `"errors"`, "fmt": `"fmt"`,
	"io": `"io"`, "net": `"net"`, "os": `"os"`, "strings": `"strings"`, "syscall": `"syscall"`, "time": `"time"`,
	"pysock":       `"github.com/pysock/pysock/pysock"`,
	"pyerr":        `pyerr "github.com/pysock/pysock/errors"`,
	"socketserver": `"github.com/pysock/pysock/pysock/socketserver"`,
}

// snippetUses name one exported value of each package snippetImports
// knows.
var snippetUses = map[string]string{
	"bytes": "bytes.ToUpper", "context": "context.Background", "errors": "errors.New", "fmt": "fmt.Sprint",
	"io": "io.EOF", "net": "net.ErrClosed", "os": "os.Exit", "strings": "strings.ToUpper", "syscall": "syscall.EAGAIN", "time": "time.Now",
	"pysock": "pysock.NewSocket", "pyerr": "pyerr.NewOSError", "socketserver": "socketserver.NewTCPServer",
}

// snippetProgram wraps a snippet into a program.
func snippetProgram(block string) string {
	var imports, decls, body []string
	lines := strings.Split(block, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "import ("):
			for i++; i < len(lines) && lines[i] != ")"; i++ {
				if s := strings.TrimSpace(lines[i]); s != "" {
					imports = append(imports, s)
				}
			}
		case strings.HasPrefix(l, "import "):
			imports = append(imports, strings.TrimPrefix(l, "import "))
		case strings.HasPrefix(l, "func ") || strings.HasPrefix(l, "type "):
			decls = append(decls, l)
			if strings.HasSuffix(l, "{") {
				for i++; i < len(lines); i++ {
					decls = append(decls, lines[i])
					if lines[i] == "}" {
						break
					}
				}
			}
		default:
			body = append(body, l)
		}
	}
	text := strings.Join(append(decls, body...), "\n")
	have := map[string]bool{}
	for _, im := range imports {
		have[im] = true
	}
	for name, im := range snippetImports {
		if !have[im] && regexp.MustCompile(`\b`+name+`\.`).MatchString(text) {
			imports = append(imports, im)
			have[im] = true
		}
	}
	if !have[snippetImports["pysock"]] {
		imports = append(imports, snippetImports["pysock"])
	}
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n")
	for _, im := range imports {
		b.WriteString("\t" + im + "\n")
	}
	b.WriteString(")\n\nvar s *pysock.Socket\n\nvar _ = s\n\n")
	// An import the code does not use (a block that only shows the
	// import line) is used here, so the block still checks its path.
	code := strings.Join(append(decls, body...), "\n")
	for name, use := range snippetUses {
		if have[snippetImports[name]] && !regexp.MustCompile(`\b`+name+`\.`).MatchString(code) {
			b.WriteString("var _ = " + use + "\n")
		}
	}
	b.WriteString(strings.Join(decls, "\n") + "\n\n")
	hasRun := strings.Contains(strings.Join(decls, "\n"), "func run() error")
	if strings.TrimSpace(strings.Join(body, "\n")) != "" {
		b.WriteString("func run() error {\n" + strings.Join(body, "\n") + "\nreturn nil\n}\n\n")
		hasRun = true
	}
	if hasRun {
		b.WriteString("func main() { _ = run }\n")
	} else {
		b.WriteString("func main() {}\n")
	}
	return b.String()
}
