package pysock_test

import (
	"fmt"
	"testing"

	"github.com/pysock/pysock/pysock"
)

// TestTypedSelectorMatchesUntyped: the typed forms give what the untyped
// ones give, with the caller's types, and nil data is the zero D.
func TestTypedSelectorMatchesUntyped(t *testing.T) {
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	if err := a.SendAll([]byte("x")); err != nil {
		t.Fatal(err)
	}
	r, w, x, err := pysock.SelectOf([]*pysock.Socket{a, b}, []*pysock.Socket{a}, nil, 0)
	if err != nil || len(r) != 1 || r[0] != b || len(w) != 1 || w[0] != a || len(x) != 0 {
		t.Fatalf("SelectOf = %v %v %v %v", r, w, x, err)
	}
	if _, _, _, err := pysock.SelectOf([]*pysock.Socket{a}, nil, nil, -1); err == nil {
		t.Fatal("SelectOf with a negative timeout: no ValueError")
	}

	ep, err := pysock.DefaultSelector()
	if err != nil {
		t.Fatal(err)
	}
	type handler func(*pysock.Socket, int) string
	sel := pysock.SelectorOf[*pysock.Socket, handler](ep)
	defer sel.Close()
	read := handler(func(s *pysock.Socket, mask int) string { return fmt.Sprintf("read fd=%d mask=%d", s.Fileno(), mask) })
	key, err := sel.Register(b, pysock.EVENT_READ, read)
	if err != nil || key.FileObj != b || key.Fd != b.Fileno() || key.Data == nil {
		t.Fatalf("Register = %v, %v", key, err)
	}
	if _, err := sel.Register(a, pysock.EVENT_WRITE, nil); err != nil {
		t.Fatal(err)
	}
	events, err := sel.Select(0)
	if err != nil || len(events) != 2 {
		t.Fatalf("Select = %v, %v", events, err)
	}
	plain, _ := ep.Select(0)
	for i, ev := range events {
		if ev.Key.Repr() != plain[i].Key.Repr() || ev.Events != plain[i].Events {
			t.Errorf("typed event %d = %s %d, untyped %s %d", i, ev.Key.Repr(), ev.Events, plain[i].Key.Repr(), plain[i].Events)
		}
		switch ev.Key.FileObj {
		case b:
			if got, want := ev.Key.Data(ev.Key.FileObj, ev.Events), fmt.Sprintf("read fd=%d mask=1", b.Fileno()); got != want {
				t.Errorf("callback = %q, want %q", got, want)
			}
		case a:
			if ev.Key.Data != nil {
				t.Errorf("data=None key has data %p", ev.Key.Data)
			}
		}
	}
	if _, err := sel.GetKey(a); err != nil {
		t.Fatal(err)
	}
	if _, err := sel.Unregister(a); err != nil {
		t.Fatal(err)
	}
	if _, err := sel.GetKey(a); err == nil {
		t.Fatal("GetKey after Unregister: no KeyError")
	}
}
