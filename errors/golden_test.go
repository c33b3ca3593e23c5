package pyerr_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/oracle"
	"github.com/pysock/pysock/internal/pyrepr"
)

// goldenRow is one line of testdata/golden.jsonl, written by CPython.
type goldenRow struct {
	Ctor     string            `json:"ctor"`
	Args     []json.RawMessage `json:"args"`
	Class    string            `json:"class"`
	MRO      []string          `json:"mro"`
	Errno    *int              `json:"errno"`
	Strerror *string           `json:"strerror"`
	ArgsRepr string            `json:"args_repr"`
	Str      string            `json:"str"`
	Repr     string            `json:"repr"`
}

// ctors maps the Python constructor names used by gen_golden.py to Go.
var ctors = map[string]func(...any) pyerr.PyException{
	"OSError":                func(a ...any) pyerr.PyException { return pyerr.NewOSError(a...) },
	"BlockingIOError":        func(a ...any) pyerr.PyException { return pyerr.NewBlockingIOError(a...) },
	"TimeoutError":           func(a ...any) pyerr.PyException { return pyerr.NewTimeoutError(a...) },
	"ConnectionError":        func(a ...any) pyerr.PyException { return pyerr.NewConnectionError(a...) },
	"BrokenPipeError":        func(a ...any) pyerr.PyException { return pyerr.NewBrokenPipeError(a...) },
	"ConnectionRefusedError": func(a ...any) pyerr.PyException { return pyerr.NewConnectionRefusedError(a...) },
	"PermissionError":        func(a ...any) pyerr.PyException { return pyerr.NewPermissionError(a...) },
	"gaierror":               func(a ...any) pyerr.PyException { return pyerr.NewGaiError(a...) },
	"herror":                 func(a ...any) pyerr.PyException { return pyerr.NewHError(a...) },
	"TypeError":              func(a ...any) pyerr.PyException { return pyerr.NewTypeError(a...) },
	"ValueError":             func(a ...any) pyerr.PyException { return pyerr.NewValueError(a...) },
	"OverflowError":          func(a ...any) pyerr.PyException { return pyerr.NewOverflowError(a...) },
	"KeyError":               func(a ...any) pyerr.PyException { return pyerr.NewKeyError(a...) },
	"MemoryError":            func(a ...any) pyerr.PyException { return pyerr.NewMemoryError(a...) },
	"RuntimeError":           func(a ...any) pyerr.PyException { return pyerr.NewRuntimeError(a...) },
	"AttributeError":         func(a ...any) pyerr.PyException { return pyerr.NewAttributeError(a...) },
	"UnsupportedOperation":   func(a ...any) pyerr.PyException { return pyerr.NewUnsupportedOperation(a...) },
	"UnicodeError":           func(a ...any) pyerr.PyException { return pyerr.NewUnicodeError(a...) },
	"Exception":              func(a ...any) pyerr.PyException { return pyerr.NewException(a...) },
	"UnicodeEncodeError": func(a ...any) pyerr.PyException {
		return pyerr.NewUnicodeEncodeError(a[0].(string), a[1].(string), a[2].(int), a[3].(int), a[4].(string))
	},
	"UnicodeDecodeError": func(a ...any) pyerr.PyException {
		return pyerr.NewUnicodeDecodeError(a[0].(string), a[1].(pyrepr.Bytes), a[2].(int), a[3].(int), a[4].(string))
	},
}

func decodeArg(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("arg %s: %v", raw, err)
	}
	switch x := v.(type) {
	case json.Number:
		n, err := strconv.Atoi(string(x))
		if err != nil {
			t.Fatalf("arg %s: %v", raw, err)
		}
		return n
	case map[string]any:
		if h, ok := x["bytes"].(string); ok {
			b, err := hex.DecodeString(h)
			if err != nil {
				t.Fatal(err)
			}
			return pyrepr.Bytes(b)
		}
		if f, ok := x["float"].(string); ok {
			n, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	return v
}

func readGolden(t *testing.T, data []byte) []goldenRow {
	t.Helper()
	var rows []goldenRow
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r goldenRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("golden line %q: %v", sc.Text(), err)
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		t.Fatal("golden file has no rows")
	}
	return rows
}

// got renders a Go error in the golden row's shape.
func got(e pyerr.PyException, row goldenRow) goldenRow {
	out := goldenRow{Ctor: row.Ctor, Args: row.Args, Class: e.ClassName(), MRO: e.MRO(),
		ArgsRepr: pyrepr.Repr(pyrepr.Tuple(e.PyArgs())), Str: e.Error(), Repr: e.Repr()}
	var oe *pyerr.OSError
	if asOS(e, &oe) {
		if oe.HasErrno {
			n := oe.Errno
			out.Errno = &n
		}
		if oe.HasStrerror() {
			s := oe.Strerror
			out.Strerror = &s
		}
	}
	return out
}

func TestGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/golden.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	rows := readGolden(t, data)
	if len(rows) < 150 {
		t.Fatalf("golden has %d rows, want every errno 0..133 and more", len(rows))
	}
	for _, row := range rows {
		ctor, ok := ctors[row.Ctor]
		if !ok {
			t.Fatalf("no Go constructor for %s", row.Ctor)
		}
		var args []any
		for _, a := range row.Args {
			args = append(args, decodeArg(t, a))
		}
		e := ctor(args...)
		if diff := cmp.Diff(row, got(e, row)); diff != "" {
			t.Errorf("%s%v: CPython (-) vs pyerr (+):\n%s", row.Ctor, args, diff)
		}
	}
}

// TestGoldenIsFresh is the live oracle: it reruns the generator under CPython
// and fails if the checked-in golden is stale.
func TestGoldenIsFresh(t *testing.T) {
	fresh := oracle.Run(t, ".", time.Minute, "testdata/gen_golden.py")
	stored, err := os.ReadFile("testdata/golden.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(stored), string(fresh)); diff != "" {
		t.Errorf("testdata/golden.jsonl is stale; regenerate with\n  python3 errors/testdata/gen_golden.py > errors/testdata/golden.jsonl\n(-stored +CPython):\n%s", diff)
	}
}

// TestTablesAreFresh checks the generated C-library message tables against
// CPython on this machine.
func TestTablesAreFresh(t *testing.T) {
	fresh := oracle.Run(t, ".", time.Minute, "gen_tables.py")
	stored, err := os.ReadFile("tables_linux.go")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(normalizeSpace(stored), normalizeSpace(fresh)); diff != "" {
		t.Errorf("tables_linux.go is stale; run go generate ./errors (-stored +CPython):\n%s", diff)
	}
}

// normalizeSpace drops blank and whitespace differences that gofmt makes.
func normalizeSpace(b []byte) string {
	return string(bytes.Join(bytes.Fields(b), []byte(" ")))
}
