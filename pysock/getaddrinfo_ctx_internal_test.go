package pysock

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"
)

// TestGetAddrInfoContext: the context bounds the DNS part (a stub resolver
// that waits for its context stands in for a slow server); numeric hosts
// answer as GetAddrInfo does.
func TestGetAddrInfoContext(t *testing.T) {
	saved := lookupNetIP
	defer func() { lookupNetIP = saved }()
	lookupNetIP = func(ctx context.Context, network, host string) ([]netip.Addr, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := GetAddrInfoContext(ctx, "slow.example.", 80)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("GetAddrInfoContext with a slow resolver = %v after %v", err, time.Since(start))
	}
	done, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	if _, err := GetAddrInfoContext(done, "127.0.0.1", 80); !errors.Is(err, context.Canceled) {
		t.Fatalf("GetAddrInfoContext with a cancelled ctx = %v", err)
	}
	want, err := GetAddrInfo("127.0.0.1", 80, AF_INET, SOCK_STREAM)
	got, err2 := GetAddrInfoContext(context.Background(), "127.0.0.1", 80, AF_INET, SOCK_STREAM)
	if err != nil || err2 != nil || len(got) != len(want) || got[0].Repr() != want[0].Repr() {
		t.Fatalf("numeric host: %v %v / %v %v", got, err2, want, err)
	}
}
