package ports

import (
	"math"
	"math/big"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

func init() { All["modes"] = Modes }

func nonblockFlag(s *pysock.Socket) bool {
	fl, err := unix.FcntlInt(uintptr(s.Fileno()), unix.F_GETFL, 0)
	return err == nil && fl&unix.O_NONBLOCK != 0
}

func modeState(t *Transcript, label string, s *pysock.Socket) {
	t.Out("%s: gettimeout=%s getblocking=%s O_NONBLOCK=%s", label, s.GetTimeout(), R(s.GetBlocking()), R(nonblockFlag(s)))
}

// Modes is the twin of scenarios/modes.py (A1, A2).
func Modes(t *Transcript) error {
	t.Show("getdefaulttimeout()", func() (any, error) { return pysock.GetDefaultTimeout(), nil })
	s, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	modeState(t, "new", s)
	for _, c := range []struct {
		label string
		fn    func() error
	}{
		{"setblocking(False)", func() error { return s.SetBlocking(false) }},
		{"setblocking(True)", func() error { return s.SetBlocking(true) }},
		{"setblocking(0)", func() error { return s.SetBlocking(0) }},
		{"setblocking(2)", func() error { return s.SetBlocking(2) }},
		{"setblocking(0) again", func() error { return s.SetBlocking(0) }},
		{"setblocking(2**64)", func() error { return s.SetBlocking(new(big.Int).Lsh(big.NewInt(1), 64)) }},
		{"setblocking(-2**64)", func() error { return s.SetBlocking(new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 64))) }},
		{"setblocking(True) again", func() error { return s.SetBlocking(true) }},
		{"settimeout(0.5)", func() error { return s.SetTimeout(0.5) }},
		{"settimeout(2)", func() error { return s.SetTimeout(2) }},
		{"settimeout(0.0)", func() error { return s.SetTimeout(0.0) }},
		{"settimeout(None)", func() error { return s.SetTimeout(nil) }},
		{"settimeout(5.0)", func() error { return s.SetTimeout(5.0) }},
		{"setblocking(0) after timeout", func() error { return s.SetBlocking(0) }},
		{"settimeout(5.0) again", func() error { return s.SetTimeout(5.0) }},
		{"setblocking(1) after timeout", func() error { return s.SetBlocking(1) }},
		{"settimeout(1e-10)", func() error { return s.SetTimeout(1e-10) }},
		{"settimeout(1/3)", func() error { return s.SetTimeout(1.0 / 3) }},
		{"settimeout(True)", func() error { return s.SetTimeout(true) }},
		{"settimeout(10**9)", func() error { return s.SetTimeout(1_000_000_000) }},
		{"settimeout(-0.0)", func() error { return s.SetTimeout(math.Copysign(0, -1)) }},
	} {
		t.Do(c.label, c.fn)
		modeState(t, c.label, s)
	}
	s.SetTimeout(nil)
	for _, c := range []struct {
		label string
		fn    func() error
	}{
		{"settimeout(-1)", func() error { return s.SetTimeout(-1) }},
		{"settimeout(-1e-10)", func() error { return s.SetTimeout(-1e-10) }},
		{"settimeout('x')", func() error { return s.SetTimeout("x") }},
		{"settimeout(nan)", func() error { return s.SetTimeout(math.NaN()) }},
		{"settimeout(inf)", func() error { return s.SetTimeout(math.Inf(1)) }},
		{"settimeout(1e300)", func() error { return s.SetTimeout(1e300) }},
		{"setblocking(None)", func() error { return s.SetBlocking(nil) }},
		{"setblocking('x')", func() error { return s.SetBlocking("x") }},
		{"setdefaulttimeout(-1)", func() error { return pysock.SetDefaultTimeout(-1) }},
	} {
		t.Do(c.label, c.fn)
	}
	modeState(t, "after bad values", s)
	s.Close()

	for _, d := range []any{0.0, 3.0, nil} {
		pysock.SetDefaultTimeout(d)
		n, err := pysock.NewSocket(-1, -1, -1)
		if err != nil {
			return err
		}
		label := "None"
		if d != nil {
			label = R(d)
		}
		modeState(t, "default "+label+": new socket", n)
		n.Close()
	}
	pysock.SetDefaultTimeout(2.0)
	n, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM|pysock.SOCK_NONBLOCK, 0)
	if err != nil {
		return err
	}
	modeState(t, "default 2.0: SOCK_NONBLOCK socket", n)
	t.Show("type", func() (any, error) { return n.Type(), nil })
	n.Close()
	pysock.SetDefaultTimeout(nil)

	c, err := pysock.NewSocket(-1, -1, -1)
	if err != nil {
		return err
	}
	c.Close()
	t.Do("closed settimeout(1)", func() error { return c.SetTimeout(1) })
	t.Show("closed gettimeout()", func() (any, error) { return c.GetTimeout(), nil })
	t.Do("closed setblocking(False)", func() error { return c.SetBlocking(false) })
	t.Show("closed getblocking()", func() (any, error) { return c.GetBlocking(), nil })
	t.Show("closed fileno()", func() (any, error) { return c.Fileno(), nil })
	t.Show("closed repr", func() (any, error) { return c.Repr(), nil })
	t.Do("closed close()", c.Close)
	t.Show("closed detach()", func() (any, error) { return c.Detach(), nil })
	return nil
}
