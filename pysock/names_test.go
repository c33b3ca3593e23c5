package pysock_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pysock/pysock/internal/oracle"
	"github.com/pysock/pysock/internal/pyrepr"
	"github.com/pysock/pysock/pysock"
)

// TestHostSpecificNamesLive compares the answers that depend on this
// machine (host name, its /etc/hosts entry, interfaces) with CPython's on
// the same machine; they cannot be checked-in goldens.
func TestHostSpecificNamesLive(t *testing.T) {
	out := oracle.Run(t, ".", time.Minute, "-c", `
import socket as S
def show(f):
    try: print(repr(f()))
    except Exception as e: print(type(e).__name__, str(e))
show(S.gethostname)
show(S.getfqdn)
show(lambda: S.gethostbyname(S.gethostname()))
show(lambda: S.gethostbyname_ex(S.gethostname()))
show(lambda: S.getaddrinfo(S.gethostname(), 80, S.AF_INET, S.SOCK_STREAM, 0, S.AI_CANONNAME))
show(lambda: [tuple(i) for i in S.if_nameindex()])
`)
	show := func(v any, err error) string {
		if err != nil {
			return err.(interface{ ClassName() string }).ClassName() + " " + err.Error()
		}
		return pyrepr.Repr(v)
	}
	name, err := pysock.GetHostName()
	var got []string
	got = append(got, show(name, err))
	got = append(got, show(pysock.GetFqdn(), nil))
	got = append(got, show(pysock.GetHostByName(name)))
	got = append(got, show(pysock.GetHostByNameEx(name)))
	ai, err := pysock.GetAddrInfo(name, 80, pysock.AF_INET, pysock.SOCK_STREAM, 0, pysock.AI_CANONNAME)
	var list []any
	for _, a := range ai {
		list = append(list, a)
	}
	got = append(got, show(list, err))
	ifs, err := pysock.IfNameIndex()
	list = []any{}
	for _, i := range ifs {
		list = append(list, i)
	}
	got = append(got, show(list, err))
	want := strings.Split(strings.TrimSpace(string(out)), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CPython (-) vs pysock (+):\n%s", diff)
	}
}
