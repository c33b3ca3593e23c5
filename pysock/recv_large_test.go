package pysock_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// TestRecvLargeStream: recv and recvfrom with a bufsize beyond the
// 64 KiB scratch buffer on a stream, where a sender keeps more than that
// queued, in every mode and through the context form: every byte arrives
// once and in order, each result at most bufsize. Such a receive that may
// wait makes its buffer outside the poller's callback and runs again
// (recvsize.go); a state left over from that step once made the call
// receive, drop the bytes and go round again.
func TestRecvLargeStream(t *testing.T) {
	const total, bufsize = 8 << 20, 1 << 20
	for _, tc := range []struct {
		name    string
		timeout any
		ctx     bool
		from    bool
	}{
		{"blocking", nil, false, false},
		{"blocking recvfrom", nil, false, true},
		{"timeout", 5.0, false, false},
		{"context", nil, true, false},
		{"non-blocking", 0.0, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := unixPairOf(t, pysock.SOCK_STREAM)
			defer b.Close()
			defer a.Close()
			// The watchdog: a receive that hangs fails on the closed socket.
			watchdog := time.AfterFunc(30*time.Second, func() { a.Close(); b.Close() })
			defer watchdog.Stop()
			msg := make([]byte, total)
			for i := range msg {
				msg[i] = byte(i * 7 / 3)
			}
			sent := goCall(func() result { return result{err: b.SendAll(msg)} })
			if err := a.SetTimeout(tc.timeout); err != nil {
				t.Fatal(err)
			}
			var got []byte
			for calls := 0; len(got) < total; calls++ {
				if calls > total {
					t.Fatalf("%d calls for %d of %d bytes", calls, len(got), total)
				}
				var d []byte
				var err error
				switch {
				case tc.ctx:
					d, err = a.RecvContext(context.Background(), bufsize)
				case tc.from:
					d, _, err = a.RecvFrom(bufsize)
				default:
					d, err = a.Recv(bufsize)
				}
				if _, ok := errors.AsType[*pyerr.BlockingIOError](err); ok && tc.timeout == 0.0 {
					if _, _, _, err := pysock.Select([]any{a}, nil, nil, 5.0); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err != nil || len(d) == 0 || len(d) > bufsize {
					t.Fatalf("after %d bytes: %d bytes, %v", len(got), len(d), err)
				}
				got = append(got, d...)
			}
			if r := await(t, sent, "sendall"); r.err != nil {
				t.Fatal(r.err)
			}
			if !bytes.Equal(got, msg) {
				i := 0
				for i < total && got[i] == msg[i] {
					i++
				}
				t.Fatalf("the bytes differ from offset %d", i)
			}
		})
	}
}
