package cpython

// Lib/test/test_select.py

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

type nope struct{}

func init() {
	ports("test_select", "SelectTestCase", map[string]func(*T){
		"test_error_conditions": func(t *T) {
			// select.select(1, 2, 3) (lists that are not lists) and an
			// object whose fileno() returns 'fileno' do not compile in Go:
			// Select takes []any and Filenoer.Fileno returns int.
			_, _, _, err := pysock.Select([]any{nope{}}, nil, nil)
			raises[*pyerr.TypeError](t, err, "select([Nope()], [], [])")
			_, _, _, err = pysock.Select(nil, nil, nil, "not a number")
			raises[*pyerr.TypeError](t, err, `select([], [], [], "not a number")`)
			_, _, _, err = pysock.Select(nil, nil, nil, -1)
			raises[*pyerr.ValueError](t, err, "select([], [], [], -1)")
		},
		"test_errno": func(t *T) {
			fp := must(os.Open("select_test.go"))(t, "open(__file__, 'rb')")
			fd := int(fp.Fd())
			fp.Close()
			_, _, _, err := pysock.Select([]any{fd}, nil, nil, 0)
			if err == nil {
				t.Fatalf("exception not raised")
			}
			raisesErrno(t, err, int(pysock.EBADF), "select([fd], [], [], 0)")
		},
		"test_returned_list_identity": func(t *T) {
			r, w, x, err := pysock.Select(nil, nil, nil, 1)
			ok(t, err, "select([], [], [], 1)")
			// "r is not w": the three results must be distinct lists:
			// appending to one must not show in another.
			r = append(r, "r")
			w = append(w, "w")
			x = append(x, "x")
			eq(t, []any{r[0], w[0], x[0]}, []any{"r", "w", "x"}, "r, w, x are distinct")
		},
		"test_select": func(t *T) {
			// sys.executable -I -c code: the test binary itself, as the
			// child in TestMain (childPrintTesting).
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), childEnv+"=select_test")
			pipe := must(cmd.StdoutPipe())(t, "Popen(stdout=PIPE)")
			ok(t, cmd.Start(), "Popen")
			t.Cleanup(func() { _ = cmd.Wait() })
			reader := bufio.NewReader(pipe.(*os.File))
			fd := pipe.(*os.File)
			timeouts := []any{0, 1, 2, 4, 8, 16}
			for range 10 {
				timeouts = append(timeouts, nil)
			}
			for _, timeout := range timeouts {
				rfd, wfd, xfd, err := pysock.Select([]any{fd}, nil, nil, timeout)
				ok(t, err, fmt.Sprintf("select([pipe], [], [], %v)", timeout))
				eq(t, len(wfd), 0, "wfd == []")
				eq(t, len(xfd), 0, "xfd == []")
				if len(rfd) == 0 {
					continue
				}
				if len(rfd) == 1 && rfd[0] == any(fd) {
					line, _ := reader.ReadString('\n')
					if line == "" {
						break
					}
					continue
				}
				t.Fatalf("Unexpected return values from select(): %v %v %v", rfd, wfd, xfd)
			}
		},
	})
	notApplicable("test_select", "SelectTestCase",
		"mutates the Python list from fileno() during select (issue 16230, a CPython crash); a Go slice cannot change under Select",
		"test_select_mutated")
	notApplicable("test_select", "SelectTestCase",
		"instantiating the Python type of select.poll() (support.check_disallow_instantiation)",
		"test_disallow_instantiation")
}

// childPrintTesting is test_select.test_select's child: print
// "testing..." ten times, 50 ms apart.
func childPrintTesting() {
	for range 10 {
		fmt.Println("testing...")
		time.Sleep(50 * time.Millisecond)
	}
}
