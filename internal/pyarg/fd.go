package pyarg

import (
	"fmt"
	"math"
	"syscall"

	pyerr "github.com/pysock/pysock/errors"
)

// Filenoer is an object with Python's fileno() method: a socket, an epoll
// object, a type of the caller's.
type Filenoer interface{ Fileno() int }

// FilenoErrer is a fileno() method that can raise, as a makefile()
// file's does once closed.
type FilenoErrer interface{ Fileno() (int, error) }

// Fder is *os.File's spelling of fileno().
type Fder interface{ Fd() uintptr }

type syscallConner interface {
	SyscallConn() (syscall.RawConn, error)
}

// Fileno calls v's fileno() method: Fileno() int, Fileno() (int, error)
// (err is what the method raised), or for an *os.File its descriptor
// (read without (*os.File).Fd, which would make a pollable file blocking;
// a closed file is -1). has is false when v has no such method or is a
// typed nil (None has no fileno()).
func Fileno(v any) (fd int64, has bool, err error) {
	if IsNone(v) {
		return 0, false, nil
	}
	switch f := v.(type) {
	case Filenoer:
		return int64(f.Fileno()), true, nil
	case FilenoErrer:
		n, err := f.Fileno()
		return int64(n), true, err
	case syscallConner:
		if _, isFd := v.(Fder); isFd {
			fd = -1
			if rc, err := f.SyscallConn(); err == nil {
				_ = rc.Control(func(u uintptr) { fd = int64(u) })
			}
			return fd, true, nil
		}
	case Fder:
		return int64(int(f.Fd())), true, nil
	}
	return 0, false, nil
}

// FileDescriptor is CPython's PyObject_AsFileDescriptor (select.select,
// poll and epoll): an int, or an object with fileno(), read as a C int
// (_PyLong_AsInt) and required to be non-negative.
func FileDescriptor(v any) (int, error) {
	fd, ok, over := Index(v)
	if !ok {
		var err error
		if fd, ok, err = Fileno(v); err != nil {
			return 0, err
		} else if !ok {
			return 0, pyerr.NewTypeError("argument must be an int, or have a fileno() method.")
		}
	}
	if over || fd > math.MaxInt32 || fd < math.MinInt32 {
		return 0, errCIntTooLarge()
	}
	if fd < 0 {
		return 0, pyerr.NewValueError(fmt.Sprintf("file descriptor cannot be a negative integer (%d)", fd))
	}
	return int(fd), nil
}
