package main

import (
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

func dial(port int) (net.Conn, error) {
	return net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 10*time.Second)
}

// w1 is ping-pong of 64 bytes.
func w1(port, n int) result {
	c, err := dial(port)
	if err != nil {
		return result{failed: err.Error()}
	}
	defer c.Close()
	msg := make([]byte, 64)
	buf := make([]byte, 64)
	start := time.Now()
	for range n {
		if _, err := c.Write(msg); err != nil {
			return result{failed: err.Error()}
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			return result{failed: err.Error()}
		}
	}
	return result{rate: float64(n) / time.Since(start).Seconds()}
}

// w2 echoes mib MiB in 64 KiB chunks, writing and reading at once.
func w2(port, mib int) result {
	c, err := dial(port)
	if err != nil {
		return result{failed: err.Error()}
	}
	defer c.Close()
	total := int64(mib) << 20
	chunk := make([]byte, 64<<10)
	start := time.Now()
	werr := make(chan error, 1)
	go func() {
		var sent int64
		for sent < total {
			n, err := c.Write(chunk[:min(int64(len(chunk)), total-sent)])
			if err != nil {
				werr <- err
				return
			}
			sent += int64(n)
		}
		werr <- nil
	}()
	buf := make([]byte, 64<<10)
	var got int64
	for got < total {
		n, err := c.Read(buf)
		if err != nil {
			return result{failed: err.Error()}
		}
		got += int64(n)
	}
	if err := <-werr; err != nil {
		return result{failed: err.Error()}
	}
	return result{rate: float64(total) / (1 << 20) / time.Since(start).Seconds()}
}

// w3 holds c connections open at once, each doing 16 pings; the server's
// threads and VmHWM are read once every connection has done its first ping.
func w3(port, pid, c int, timeout time.Duration) result {
	deadline := time.Now().Add(timeout)
	conns := make([]net.Conn, c)
	defer func() {
		for _, cn := range conns {
			if cn != nil {
				cn.Close()
			}
		}
	}()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 256)
	var dialErr atomic.Value
	for i := range conns {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			cn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Until(deadline))
			if err != nil {
				dialErr.Store(err)
				return
			}
			cn.SetDeadline(deadline)
			conns[i] = cn
		}()
	}
	wg.Wait()
	if err := dialErr.Load(); err != nil {
		return result{failed: fmt.Sprintf("connect: %v", err)}
	}
	var done atomic.Int64
	firstRound := make(chan struct{})
	var firstWG sync.WaitGroup
	firstWG.Add(c)
	start, cpu0 := time.Now(), procCPU(pid)
	for _, cn := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := make([]byte, 64)
			buf := make([]byte, 64)
			for i := range 16 {
				if _, err := cn.Write(msg); err != nil {
					if i == 0 {
						firstWG.Done()
					}
					return
				}
				if _, err := io.ReadFull(cn, buf); err != nil {
					if i == 0 {
						firstWG.Done()
					}
					return
				}
				if i == 0 {
					firstWG.Done()
					<-firstRound
				}
			}
			done.Add(1)
		}()
	}
	firstWG.Wait()
	threads, hwm := procStatus(pid)
	close(firstRound)
	wg.Wait()
	elapsed := time.Since(start)
	if int(done.Load()) < c {
		threads2, hwm2 := procStatus(pid)
		return result{failed: fmt.Sprintf("%d/%d conns done in %.0f s; %d thr; %d MB", done.Load(), c, elapsed.Seconds(), max(threads, threads2), max(hwm, hwm2)/1024)}
	}
	cpu := procCPU(pid) - cpu0
	return result{rate: float64(16*c) / elapsed.Seconds(), threads: threads, hwmKB: hwm, cpuUs: float64(cpu.Microseconds()) / float64(16*c)}
}

// w4 is connect + close from 4 loops for d.
func w4(port int, d time.Duration) result {
	var n atomic.Int64
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	var failed atomic.Value
	start := time.Now()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				c, err := dial(port)
				if err != nil {
					failed.Store(err.Error())
					return
				}
				c.Close()
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f != nil {
		return result{failed: f.(string)}
	}
	return result{rate: float64(n.Load()) / time.Since(start).Seconds()}
}
