package pysock_test

import (
	"strconv"
	"testing"

	"github.com/pysock/pysock/pysock"
)

// recv(bufsize) with 10 bytes waiting, for bufsizes from 4 KiB to 256 MiB:
// what one call costs and what its result keeps (B/op is the result: the
// scratch buffer the data lands in is a spare, scratch.go). CPython 3.11 on the same
// machine: see docs/performance.md ("recv result sizing").
//
//	go test -run '^$' -bench RecvBufsize -benchmem ./pysock/
func BenchmarkRecvBufsize(b *testing.B) {
	for _, size := range []int{4 << 10, 64 << 10, 16 << 20, 256 << 20} {
		b.Run(strconv.Itoa(size>>10)+"KiB", func(b *testing.B) {
			x, y, err := pysock.SocketPair(-1, -1, -1)
			if err != nil {
				b.Fatal(err)
			}
			defer x.Close()
			defer y.Close()
			msg := []byte("ten bytes!")
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := y.Send(msg); err != nil {
					b.Fatal(err)
				}
				got, err := x.Recv(size)
				if err != nil || len(got) != len(msg) {
					b.Fatal(len(got), err)
				}
			}
		})
	}
}
