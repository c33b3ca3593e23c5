package pysock_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"math/big"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// blob is a caller's named byte-slice type.
type blob []byte

// typedNils are Go nils that reach an `any` parameter as non-nil
// interfaces. Pointers stand for None; nil slices for an empty bytes.
var typedNils = []any{(*big.Int)(nil), (*pysock.Socket)(nil), (*os.File)(nil), []byte(nil), pysock.Bytes(nil), blob(nil)}

// anyCalls calls every exported function and method of package pysock that
// has an `any` parameter, with v in each such position. w is a writable
// socket, registered wherever a call could wait, so that a None timeout
// returns at once.
func anyCalls(t *testing.T, w *pysock.Socket) map[string]func(v any) error {
	newSock := func(typ pysock.SocketKind) *pysock.Socket {
		s, err := pysock.NewSocket(pysock.AF_INET, typ, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	sock := func() *pysock.Socket { return newSock(pysock.SOCK_STREAM) }
	udp := func() *pysock.Socket { return newSock(pysock.SOCK_DGRAM) }
	poll := func() *pysock.PollObject {
		p := pysock.Poll()
		if err := p.Register(w, pysock.POLLOUT); err != nil {
			t.Fatal(err)
		}
		return p
	}
	epoll := func() *pysock.EpollObject {
		e, err := pysock.Epoll()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		if err := e.Register(w, pysock.EPOLLOUT); err != nil {
			t.Fatal(err)
		}
		return e
	}
	selectors := func() []pysock.Selector {
		es, err := pysock.NewEpollSelector()
		if err != nil {
			t.Fatal(err)
		}
		out := []pysock.Selector{pysock.NewSelectSelector(), pysock.NewPollSelector(), es}
		for _, s := range out {
			t.Cleanup(func() { s.Close() })
			if _, err := s.Register(w, pysock.EVENT_WRITE); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	eachSel := func(f func(s pysock.Selector) error) error {
		var first error
		for _, s := range selectors() {
			if err := f(s); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	return map[string]func(v any) error{
		"Repr":                   func(v any) error { pysock.Repr(v); return nil },
		"Str":                    func(v any) error { pysock.Str(v); return nil },
		"Socket.ConnectContext":  func(v any) error { return sock().ConnectContext(context.Background(), v) },
		"CreateConnection":       func(v any) error { _, err := pysock.CreateConnection(v, v, v); return err },
		"CreateServer":           func(v any) error { _, err := pysock.CreateServer(v); return err },
		"EpollObject.Register":   func(v any) error { return epoll().Register(v, v) },
		"EpollObject.Modify":     func(v any) error { return epoll().Modify(v, v) },
		"EpollObject.Unregister": func(v any) error { return epoll().Unregister(v) },
		"EpollObject.Poll": func(v any) error {
			e := epoll()
			_, err1 := e.Poll(v)
			_, err2 := e.Poll(v, v)
			return errOr(err1, err2)
		},
		"GetAddrInfo": func(v any) error { _, err := pysock.GetAddrInfo(v, v, v, v, v, v); return err },
		"Socket.RecvInto": func(v any) error {
			_, err1 := sock().RecvInto(make([]byte, 4), v)
			_, err2 := sock().RecvInto(make([]byte, 4), 0, v)
			return errOr(err1, err2)
		},
		"Socket.RecvIntoContext": func(v any) error {
			_, err := sock().RecvIntoContext(context.Background(), make([]byte, 4), v, v)
			return err
		},
		"Socket.RecvFromInto": func(v any) error {
			_, _, err := udp().RecvFromInto(make([]byte, 4), 0, v)
			return err
		},
		"Socket.RecvFromIntoContext": func(v any) error {
			_, _, err := udp().RecvFromIntoContext(context.Background(), make([]byte, 4), v)
			return err
		},
		"Socket.RecvMsg": func(v any) error {
			_, err1 := udp().RecvMsg(4, v)
			_, err2 := udp().RecvMsg(4, 0, v)
			return errOr(err1, err2)
		},
		"Socket.RecvMsgInto": func(v any) error {
			_, err := udp().RecvMsgInto([][]byte{make([]byte, 4)}, 0, v)
			return err
		},
		"GetAddrInfoContext": func(v any) error {
			_, err := pysock.GetAddrInfoContext(context.Background(), v, v, v)
			return err
		},
		"CMSG_LEN":      func(v any) error { _, err := pysock.CMSG_LEN(v); return err },
		"CMSG_SPACE":    func(v any) error { _, err := pysock.CMSG_SPACE(v); return err },
		"Htonl":         func(v any) error { _, err := pysock.Htonl(v); return err },
		"Htons":         func(v any) error { _, err := pysock.Htons(v); return err },
		"Ntohl":         func(v any) error { _, err := pysock.Ntohl(v); return err },
		"Ntohs":         func(v any) error { _, err := pysock.Ntohs(v); return err },
		"InetAton":      func(v any) error { _, err := pysock.InetAton(v); return err },
		"InetNtoa":      func(v any) error { _, err := pysock.InetNtoa(v); return err },
		"InetNtop":      func(v any) error { _, err := pysock.InetNtop(pysock.AF_INET, v); return err },
		"InetPton":      func(v any) error { _, err := pysock.InetPton(pysock.AF_INET, v); return err },
		"Socket.SendTo": func(v any) error { _, err := udp().SendTo([]byte("x"), v, v); return err },
		"Socket.SendToContext": func(v any) error {
			_, err := udp().SendToContext(context.Background(), []byte("x"), v, v)
			return err
		},
		"Socket.Connect":        func(v any) error { return sock().Connect(v) },
		"Socket.ConnectEx":      func(v any) error { _, err := sock().ConnectEx(v); return err },
		"SetDefaultTimeout":     func(v any) error { defer pysock.SetDefaultTimeout(nil); return pysock.SetDefaultTimeout(v) },
		"Socket.SetTimeout":     func(v any) error { return sock().SetTimeout(v) },
		"Socket.SetBlocking":    func(v any) error { return sock().SetBlocking(v) },
		"SendFds":               func(v any) error { _, err := pysock.SendFds(udp(), nil, nil, v, v); return err },
		"Socket.SendMsg":        func(v any) error { _, err := udp().SendMsg(nil, v, v, v); return err },
		"GetHostByAddr":         func(v any) error { _, err := pysock.GetHostByAddr(v); return err },
		"GetHostByName":         func(v any) error { _, err := pysock.GetHostByName(v); return err },
		"GetHostByNameEx":       func(v any) error { _, err := pysock.GetHostByNameEx(v); return err },
		"GetNameInfo":           func(v any) error { _, _, err := pysock.GetNameInfo(v, v); return err },
		"GetProtoByName":        func(v any) error { _, err := pysock.GetProtoByName(v); return err },
		"GetServByName":         func(v any) error { _, err := pysock.GetServByName(v, v); return err },
		"GetServByPort":         func(v any) error { _, err := pysock.GetServByPort(v, v); return err },
		"IfIndexToName":         func(v any) error { _, err := pysock.IfIndexToName(v); return err },
		"IfNameToIndex":         func(v any) error { _, err := pysock.IfNameToIndex(v); return err },
		"PollObject.Register":   func(v any) error { return poll().Register(v, v) },
		"PollObject.Modify":     func(v any) error { return poll().Modify(v, v) },
		"PollObject.Unregister": func(v any) error { return poll().Unregister(v) },
		"PollObject.Poll":       func(v any) error { _, err := poll().Poll(v); return err },
		"Select": func(v any) error {
			_, _, _, err1 := pysock.Select([]any{v}, []any{v}, []any{v}, v)
			_, _, _, err2 := pysock.Select(nil, []any{w}, nil, v)
			return errOr(err1, err2)
		},
		"SelectOf": func(v any) error {
			_, _, _, err1 := pysock.SelectOf([]any{v}, []any{v}, []any{v}, v)
			_, _, _, err2 := pysock.SelectOf(nil, []*pysock.Socket{w}, nil, v)
			return errOr(err1, err2)
		},
		"TypedSelector.Select": func(v any) error {
			return eachSel(func(s pysock.Selector) error {
				_, err := pysock.SelectorOf[any, any](s).Select(v)
				return err
			})
		},
		"selectorMap.GetKey": func(v any) error { return eachSel(func(s pysock.Selector) error { _, err := s.GetKey(v); return err }) },
		"SelectorMapping.Get": func(v any) error {
			return eachSel(func(s pysock.Selector) error { _, err := s.GetMap().Get(v); return err })
		},
		"SelectSelector.Register":   func(v any) error { _, err := pysock.NewSelectSelector().Register(v, 1, v); return err },
		"SelectSelector.Unregister": func(v any) error { _, err := selectors()[0].Unregister(v); return err },
		"SelectSelector.Modify": func(v any) error {
			s := selectors()[0]
			_, err1 := s.Modify(v, 1, v)
			_, err2 := s.Modify(w, pysock.EVENT_WRITE, v)
			return errOr(err1, err2)
		},
		"SelectSelector.Select": func(v any) error { _, err := selectors()[0].Select(v); return err },
		"pollLike.Register": func(v any) error {
			return eachSel(func(s pysock.Selector) error { _, err := s.Register(v, 1, v); return err })
		},
		"pollLike.Unregister": func(v any) error {
			return eachSel(func(s pysock.Selector) error { _, err := s.Unregister(v); return err })
		},
		"pollLike.Modify": func(v any) error {
			return eachSel(func(s pysock.Selector) error {
				_, err1 := s.Modify(v, 1, v)
				_, err2 := s.Modify(w, pysock.EVENT_WRITE, v)
				return errOr(err1, err2)
			})
		},
		"PollSelector.Select":  func(v any) error { _, err := selectors()[1].Select(v); return err },
		"EpollSelector.Select": func(v any) error { _, err := selectors()[2].Select(v); return err },
		"Socket.SendFile": func(v any) error {
			f, err := os.Open("typednil_test.go")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			_, err = sock().SendFile(f, v, v)
			return err
		},
		"Socket.Bind":       func(v any) error { return sock().Bind(v) },
		"Socket.SetSockOpt": func(v any) error { return sock().SetSockOpt(pysock.SOL_SOCKET, pysock.SO_LINGER, v) },
		"SetHostName": func(v any) error {
			if _, isSlice := v.([]byte); isSlice || !isNilPointer(v) {
				return nil // an empty name would be set: the tests may run as root
			}
			return pysock.SetHostName(v)
		},
	}
}

func isNilPointer(v any) bool {
	switch x := v.(type) {
	case *big.Int:
		return x == nil
	case *pysock.Socket:
		return x == nil
	case *os.File:
		return x == nil
	}
	return false
}

func errOr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// exportedAnyFuncs lists, from the package's source, every exported
// function and method with an `any` parameter, as "Recv.Name" or "Name".
func exportedAnyFuncs(t *testing.T) []string {
	fs := token.NewFileSet()
	pkgs, err := parser.ParseDir(fs, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || !fd.Name.IsExported() {
					continue
				}
				hasAny := false
				for _, fld := range fd.Type.Params.List {
					typ := fld.Type
					if e, ok := typ.(*ast.Ellipsis); ok {
						typ = e.Elt
					}
					if id, ok := typ.(*ast.Ident); ok && id.Name == "any" {
						hasAny = true
					}
				}
				if !hasAny {
					continue
				}
				name := fd.Name.Name
				if fd.Recv != nil {
					typ := fd.Recv.List[0].Type
					if st, ok := typ.(*ast.StarExpr); ok {
						typ = st.X
					}
					switch g := typ.(type) { // a generic type's receiver: T[A, B]
					case *ast.IndexExpr:
						typ = g.X
					case *ast.IndexListExpr:
						typ = g.X
					}
					name = typ.(*ast.Ident).Name + "." + name
				}
				out = append(out, name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestTypedNilNoPanic passes typed nils to every exported function and
// method that takes `any` (the list comes from the source, so a new one
// cannot be missed): none may panic, and every error must be a Python
// exception. A nil pointer stands for None (a None timeout is valid, a
// None address or integer is CPython's TypeError).
func TestTypedNilNoPanic(t *testing.T) {
	a, w := pair(t)
	_ = a
	calls := anyCalls(t, w)
	for _, name := range exportedAnyFuncs(t) {
		call, ok := calls[name]
		if !ok {
			t.Errorf("%s takes `any` but is not exercised by TestTypedNilNoPanic", name)
			continue
		}
		for _, v := range typedNils {
			done := make(chan string, 1)
			go func() {
				defer func() {
					if r := recover(); r != nil {
						done <- "panic: " + pysock.Repr(r)
					}
				}()
				err := call(v)
				if _, isPy := err.(pyerr.PyException); err != nil && !isPy {
					done <- "non-Python error " + err.Error()
					return
				}
				done <- ""
			}()
			select {
			case msg := <-done:
				if msg != "" {
					t.Errorf("%s(%T(nil)): %s", name, v, msg)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s(%T(nil)) did not return", name, v)
			}
		}
	}
}
