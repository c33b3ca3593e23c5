package pysock

import "slices"

// SelectSelector is selectors.SelectSelector, built on Select.
type SelectSelector struct {
	selectorMap
	readers, writers map[int]bool
}

// NewSelectSelector is selectors.SelectSelector().
func NewSelectSelector() *SelectSelector {
	s := &SelectSelector{readers: map[int]bool{}, writers: map[int]bool{}}
	s.init()
	return s
}

// Register is register(fileobj, events, data=None): fileobj is a *Socket,
// anything with Fileno(), or an fd; events is EVENT_READ, EVENT_WRITE or
// both. CPython's errors: ValueError('Invalid events: 0'), KeyError('… (FD
// 3) is already registered'), ValueError('Invalid file object: …').
func (s *SelectSelector) Register(fileobj any, events int, data ...any) (SelectorKey, error) {
	d, err := dataArg("SelectSelector.register", data)
	if err != nil {
		return SelectorKey{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.register(fileobj, events, d)
}

func (s *SelectSelector) register(fileobj any, events int, data any) (SelectorKey, error) {
	k, err := s.add(fileobj, events, data)
	if err != nil {
		return k, err
	}
	if events&EVENT_READ != 0 {
		s.readers[k.Fd] = true
	}
	if events&EVENT_WRITE != 0 {
		s.writers[k.Fd] = true
	}
	return k, nil
}

// Unregister is unregister(fileobj): KeyError('… is not registered').
func (s *SelectSelector) Unregister(fileobj any) (SelectorKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unregister(fileobj)
}

func (s *SelectSelector) unregister(fileobj any) (SelectorKey, error) {
	k, err := s.remove(fileobj)
	if err == nil {
		delete(s.readers, k.Fd)
		delete(s.writers, k.Fd)
	}
	return k, err
}

// Modify is modify(fileobj, events, data=None). As in CPython, a change of
// events unregisters and registers again (so a bad mask leaves fileobj
// unregistered).
func (s *SelectSelector) Modify(fileobj any, events int, data ...any) (SelectorKey, error) {
	d, err := dataArg("_BaseSelectorImpl.modify", data)
	if err != nil {
		return SelectorKey{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.get(fileobj)
	if err != nil {
		return k, err
	}
	if events != k.Events {
		if _, err := s.unregister(fileobj); err != nil {
			return SelectorKey{}, err
		}
		return s.register(fileobj, events, d)
	}
	if !equalData(d, k.Data) {
		k.Data = d
		s.keys[k.Fd] = k
	}
	return k, nil
}

// Select is select(timeout=None): it waits until a registered file object
// is ready or timeout seconds pass, and returns (key, events) pairs in fd
// order. A negative timeout polls. The wait parks on the poller, as
// Select does.
func (s *SelectSelector) Select(timeout ...any) ([]SelectorEvent, error) {
	sec, ok, err := selectorTimeout("SelectSelector.select", timeout, ">", true)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	var r, w []any
	for fd := range s.readers {
		r = append(r, fd)
	}
	for fd := range s.writers {
		w = append(w, fd)
	}
	s.mu.Unlock()
	var rr, wr []any
	if ok {
		// max(timeout, 0): the caller's value itself unless negative, so
		// that select() judges its size as it would in CPython.
		var t any = 0
		if !(0 > sec) { // max(timeout, 0) keeps a NaN, as Python's max does
			t = timeout[0]
		}
		rr, wr, _, err = Select(r, w, nil, t)
	} else {
		rr, wr, _, err = Select(r, w, nil)
	}
	if err != nil {
		return nil, err
	}
	ready := map[int]int{}
	for _, fd := range rr {
		ready[fd.(int)] |= EVENT_READ
	}
	for _, fd := range wr {
		ready[fd.(int)] |= EVENT_WRITE
	}
	return s.collect(ready), nil
}

// collect turns fd → ready events into the result list, in fd order
// (CPython iterates a set of small ints, which is close to that), skipping
// fds unregistered meanwhile.
func (m *selectorMap) collect(ready map[int]int) []SelectorEvent {
	fds := make([]int, 0, len(ready))
	for fd := range ready {
		fds = append(fds, fd)
	}
	slices.Sort(fds)
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []SelectorEvent{}
	for _, fd := range fds {
		if k, ok := m.keys[fd]; ok {
			out = append(out, SelectorEvent{Key: k, Events: ready[fd] & k.Events})
		}
	}
	return out
}

// Close is close(): forgets every registration; GetMap returns nil after.
// As in CPython, the descriptors stay in the sets a later Select passes to
// select(2): one closed since is OSError(9) there.
func (s *SelectSelector) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clear()
	return nil
}
