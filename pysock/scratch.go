package pysock

import "runtime"

// The scratch buffers recv and recvfrom receive into (recvsize.go).
//
// A receive takes one in the RawConn callback, at the bottom of a call
// that may park, and gives it back once its bytes are copied out.
// sync.Pool's Get goes deeper there than the 2 KiB stack a goroutine
// starts with has room for: it doubled the stack of every goroutine
// parked in a recv(n) loop (TestParkedStackSize's recv mode). So the spare
// buffers are kept in shards under spin locks, as the deadline heaps are:
// taking one and giving it back are a few instructions and no call.
//
// A buffer is held only from the syscall to the copy, never while its
// goroutine waits, so about one per receive running at that moment
// exists. A take that finds its shard empty looks in the others before it
// allocates, and a buffer given back when every shard is full is left to
// the collector. The spares are kept for the life of the process: at most
// scratchSpares per shard, one shard per P (2 to 32), 128 KiB a P.
const scratchSpares = 2

type scratchShard struct {
	mu   spinLock
	n    int32
	bufs [scratchSpares]*[scratchSize]byte
	_    [40]byte // one shard per cache line
}

var scratchShards = make([]scratchShard, min(max(runtime.GOMAXPROCS(0), 2), 32))

// getScratch takes a scratch buffer, starting at fd's shard. Nosplit: it
// is the bottom of a parked recv(n)'s call chain, and its stack check was
// what doubled the stack of a receive a few frames deep (a nosplit frame
// may use the guard area below the checked part of the stack, as
// dlPush's does).
//
//go:nosplit
func getScratch(fd uintptr) *[scratchSize]byte {
	k := uintptr(len(scratchShards))
	for i := range k {
		sh := &scratchShards[(fd+i)%k]
		sh.mu.Lock()
		if sh.n > 0 {
			sh.n--
			b := sh.bufs[sh.n]
			sh.bufs[sh.n] = nil
			sh.mu.Unlock()
			return b
		}
		sh.mu.Unlock()
	}
	return newScratch()
}

// newScratch allocates a scratch buffer: only while more receives run at
// once than there are spares.
//
//go:noinline
func newScratch() *[scratchSize]byte { return new([scratchSize]byte) }

// putScratch gives b back, starting at fd's shard; nosplit, as
// getScratch (a receive that finds nothing gives its buffer back before
// it parks).
//
//go:nosplit
func putScratch(fd uintptr, b *[scratchSize]byte) {
	k := uintptr(len(scratchShards))
	for i := range k {
		sh := &scratchShards[(fd+i)%k]
		sh.mu.Lock()
		if sh.n < scratchSpares {
			sh.bufs[sh.n] = b
			sh.n++
			sh.mu.Unlock()
			return
		}
		sh.mu.Unlock()
	}
}
