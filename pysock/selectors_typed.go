package pysock

// Typed forms of select and the selectors, for programs whose file objects
// (and selector data) all have one Go type: they keep the caller's types,
// so a port needs no type assertion at every event. They add nothing to
// the behaviour of Select and the Selector they wrap.

// SelectOf is Select over lists of one element type: the ready lists hold
// the caller's values, in the caller's order, with their type. For an
// []*os.File and sockets together, use Select.
func SelectOf[T any](rlist, wlist, xlist []T, timeout ...any) (r, w, x []T, err error) {
	ra, wa, xa, err := Select(anys(rlist), anys(wlist), anys(xlist), timeout...)
	return typed[T](ra), typed[T](wa), typed[T](xa), err
}

func anys[T any](s []T) []any {
	if s == nil {
		return nil
	}
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func typed[T any](s []any) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, v := range s {
		out[i], _ = v.(T)
	}
	return out
}

// TypedSelector is a Selector whose file objects have type F and whose
// data have type D (a callback, a per-connection state), as Python
// programs use selectors: callback = key.data; callback(key.fileobj,
// mask). The zero D stands for data=None. The embedded Selector is the
// one wrapped (Close, GetMap and the untyped calls).
type TypedSelector[F, D any] struct {
	Selector
}

// SelectorOf wraps s: SelectorOf[*pysock.Socket, Handler](sel).
func SelectorOf[F, D any](s Selector) TypedSelector[F, D] { return TypedSelector[F, D]{s} }

// TypedKey is a SelectorKey with its file object and data typed.
type TypedKey[F, D any] struct {
	FileObj F
	Fd      int
	Events  int
	Data    D
}

// Repr prints the key as SelectorKey's Repr does.
func (k TypedKey[F, D]) Repr() string {
	return SelectorKey{FileObj: k.FileObj, Fd: k.Fd, Events: k.Events, Data: k.Data}.Repr()
}

// String is the same as Repr.
func (k TypedKey[F, D]) String() string { return k.Repr() }

// TypedEvent is one (key, events) pair of TypedSelector.Select.
type TypedEvent[F, D any] struct {
	Key    TypedKey[F, D]
	Events int
}

func typedKey[F, D any](k SelectorKey, err error) (TypedKey[F, D], error) {
	f, _ := k.FileObj.(F)
	d, _ := k.Data.(D)
	return TypedKey[F, D]{FileObj: f, Fd: k.Fd, Events: k.Events, Data: d}, err
}

// Register is register(fileobj, events, data).
func (s TypedSelector[F, D]) Register(fileobj F, events int, data D) (TypedKey[F, D], error) {
	return typedKey[F, D](s.Selector.Register(fileobj, events, data))
}

// Modify is modify(fileobj, events, data).
func (s TypedSelector[F, D]) Modify(fileobj F, events int, data D) (TypedKey[F, D], error) {
	return typedKey[F, D](s.Selector.Modify(fileobj, events, data))
}

// Unregister is unregister(fileobj).
func (s TypedSelector[F, D]) Unregister(fileobj F) (TypedKey[F, D], error) {
	return typedKey[F, D](s.Selector.Unregister(fileobj))
}

// GetKey is get_key(fileobj).
func (s TypedSelector[F, D]) GetKey(fileobj F) (TypedKey[F, D], error) {
	return typedKey[F, D](s.Selector.GetKey(fileobj))
}

// Select is select(timeout=None), with typed keys.
func (s TypedSelector[F, D]) Select(timeout ...any) ([]TypedEvent[F, D], error) {
	evs, err := s.Selector.Select(timeout...)
	if evs == nil {
		return nil, err
	}
	out := make([]TypedEvent[F, D], len(evs))
	for i, e := range evs {
		out[i].Key, _ = typedKey[F, D](e.Key, nil)
		out[i].Events = e.Events
	}
	return out, err
}
