package pysock

import (
	"runtime"
	"sync/atomic"
)

// spinLock is the lock taken at the bottom of a call chain that may park:
// a receive deadline heap's (deadline_heap.go), and the lists of parked
// writes (shutdown_wake.go). It is held for a few hundred nanoseconds.
// Down there a call that needs more stack doubles the goroutine's for as
// long as it lives, and a sync.Mutex found taken parks its caller through
// the runtime's semaphore code, which goes that deep. So Lock makes no
// call while it spins: 1000 receives waiting and waking at once, 16
// times, parked at 2.1 KiB each with it, at 2.7 to 3.8 KiB with a
// sync.Mutex. Only a lock still taken after spinLockSpins tries (its
// holder was preempted) yields, in lockSlow.
type spinLock struct{ held atomic.Int32 }

const spinLockSpins = 4096

//go:nosplit
func (l *spinLock) Lock() {
	for i := 0; ; i++ {
		if l.held.Load() == 0 && l.held.CompareAndSwap(0, 1) {
			return
		}
		if i == spinLockSpins {
			l.lockSlow()
			return
		}
	}
}

//go:noinline
func (l *spinLock) lockSlow() {
	for !l.held.CompareAndSwap(0, 1) {
		runtime.Gosched()
	}
}

func (l *spinLock) Unlock() { l.held.Store(0) }
