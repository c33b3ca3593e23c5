package pysock_test

import (
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// TestHotPathAllocs: a round trip of 64 B (send or sendall, then
// recv_into, answered by an echo goroutine doing recv_into and sendall)
// allocates nothing, on TCP and AF_UNIX, in blocking and in timeout mode.
// Both ends count: testing.AllocsPerRun reads the process's allocations.
func TestHotPathAllocs(t *testing.T) {
	if raceOn {
		t.Skip("the race detector allocates on its own")
	}
	watchdog := time.AfterFunc(time.Minute, func() { panic("TestHotPathAllocs: watchdog expired") })
	defer watchdog.Stop()
	pairs := map[string]func(t *testing.T) (*pysock.Socket, *pysock.Socket){
		"tcp": tcpPair,
		"unix": func(t *testing.T) (*pysock.Socket, *pysock.Socket) {
			x, y, err := pysock.SocketPair(-1, -1, -1)
			if err != nil {
				t.Fatal(err)
			}
			return x, y
		},
	}
	for name, pair := range pairs {
		for _, timeout := range []any{nil, 5.0} {
			t.Run(name+"/"+pysock.Repr(timeout), func(t *testing.T) {
				c, s := pair(t)
				defer c.Close()
				for _, sock := range []*pysock.Socket{c, s} {
					if err := sock.SetTimeout(timeout); err != nil {
						t.Fatal(err)
					}
				}
				echoed := make(chan struct{})
				go func() {
					defer close(echoed)
					defer s.Close()
					buf := make([]byte, 64)
					for {
						n, err := s.RecvInto(buf)
						if err != nil || n == 0 {
							return
						}
						if s.SendAll(buf[:n]) != nil {
							return
						}
					}
				}()
				msg, buf := make([]byte, 64), make([]byte, 64)
				roundTrip := func(send func() error) func() {
					return func() {
						if err := send(); err != nil {
							t.Fatal(err)
						}
						for got := 0; got < len(buf); {
							n, err := c.RecvInto(buf[got:])
							if err != nil || n == 0 {
								t.Fatalf("recv_into: %d, %v", n, err)
							}
							got += n
						}
					}
				}
				send := roundTrip(func() error { _, err := c.Send(msg); return err })
				sendAll := roundTrip(func() error { return c.SendAll(msg) })
				send() // warm-up: first waits register and grow things once
				if a := testing.AllocsPerRun(1000, send); a != 0 {
					t.Errorf("send + recv_into round trip: %v allocations", a)
				}
				if a := testing.AllocsPerRun(1000, sendAll); a != 0 {
					t.Errorf("sendall + recv_into round trip: %v allocations", a)
				}
				c.Shutdown(pysock.SHUT_WR)
				<-echoed
			})
		}
	}
}
