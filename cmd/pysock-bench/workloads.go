package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// The workloads. Each takes the client kind, the server's port and pid,
// and returns a rate with the server's CPU per operation.

// w1 is ping-pong of 64 bytes: n round trips after 100 for warm-up (the
// server's connection thread exists when its CPU clock is first read).
func w1(client string, port, pid, n int) result {
	c, err := dial(client, port)
	if err != nil {
		return result{failed: err.Error()}
	}
	defer c.Close()
	c.Watchdog(*cellTimeout)
	msg := make([]byte, 64)
	buf := make([]byte, 64)
	var start time.Time
	var cpu0 time.Duration
	for i := range n + 100 {
		if i == 100 {
			start, cpu0 = time.Now(), procCPU(pid)
		}
		if _, err := c.Write(msg); err != nil {
			return result{failed: err.Error()}
		}
		if err := readFull(c, buf); err != nil {
			return result{failed: err.Error()}
		}
	}
	elapsed, cpu := time.Since(start), procCPU(pid)-cpu0
	return result{rate: float64(n) / elapsed.Seconds(), cpuPerOp: cpu.Seconds() / float64(n), unit: "µs"}
}

// w2Down asks the server (role down) for mib MiB, which it sends with
// sendall of 64 KiB chunks, and reads them: MiB/s and server CPU per GiB.
func w2Down(client string, port, pid, mib int) result {
	return bulk(client, port, pid, mib, func(c benchConn, total int64, buf []byte) error {
		for got := int64(0); got < total; {
			n, err := c.Read(buf)
			if err != nil {
				return fmt.Errorf("after %d bytes: %w", got, err)
			}
			got += int64(n)
		}
		return nil
	})
}

// w2Up sends mib MiB in 64 KiB chunks to the server (role up), which
// receives them with recv_into and answers one byte at the end.
func w2Up(client string, port, pid, mib int) result {
	return bulk(client, port, pid, mib, func(c benchConn, total int64, buf []byte) error {
		for sent := int64(0); sent < total; {
			n, err := c.Write(buf[:min(int64(len(buf)), total-sent)])
			if err != nil {
				return err
			}
			sent += int64(n)
		}
		if err := readFull(c, buf[:1]); err != nil {
			return fmt.Errorf("no answer: %w", err)
		}
		return nil
	})
}

// bulk connects, sends the 8-byte size of the transfer, runs move with a
// 64 KiB buffer, and times it all.
func bulk(client string, port, pid, mib int, move func(c benchConn, total int64, buf []byte) error) result {
	c, err := dial(client, port)
	if err != nil {
		return result{failed: err.Error()}
	}
	defer c.Close()
	c.Watchdog(*cellTimeout)
	total := int64(mib) << 20
	start, cpu0 := time.Now(), procCPU(pid)
	if _, err := c.Write(binary.BigEndian.AppendUint64(nil, uint64(total))); err != nil {
		return result{failed: err.Error()}
	}
	if err := move(c, total, make([]byte, 64<<10)); err != nil {
		return result{failed: err.Error()}
	}
	return bulkResult(mib, time.Since(start), procCPU(pid)-cpu0)
}

func bulkResult(mib int, elapsed, cpu time.Duration) result {
	return result{rate: float64(mib) / elapsed.Seconds(), cpuPerOp: cpu.Seconds() / (float64(mib) / 1024), unit: "s/GiB"}
}

// w3 holds c connections open at once, each doing 16 pings; the server's
// threads and VmHWM are read once every connection has done its first ping.
func w3(client string, port, pid, c int) result {
	conns := make([]benchConn, c)
	defer func() {
		for _, cn := range conns {
			if cn != nil {
				cn.Close()
			}
		}
	}()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 256)
	var dialErr atomic.Pointer[error]
	for i := range conns {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			cn, err := dial(client, port)
			if err != nil {
				dialErr.Store(&err)
				return
			}
			cn.Watchdog(*cellTimeout)
			conns[i] = cn
		}()
	}
	wg.Wait()
	if err := dialErr.Load(); err != nil {
		return result{failed: fmt.Sprintf("connect: %v", *err)}
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
				_, err := cn.Write(msg)
				if err == nil {
					err = readFull(cn, buf)
				}
				if i == 0 {
					firstWG.Done()
					if err == nil {
						<-firstRound
					}
				}
				if err != nil {
					return
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
	return result{rate: float64(16*c) / elapsed.Seconds(), threads: threads, hwmKB: hwm, cpuPerOp: cpu.Seconds() / float64(16*c), unit: "µs"}
}

// w4 is connect + close from 4 loops for d. Each loop waits for the
// server to have served its connection before it opens the next: it shuts
// its side down, reads the server's close (the echo role closes on EOF),
// then closes. So at most 4 connections are in flight and the rate is the
// server's. A loop that only connected and closed would outrun the server:
// the accept queue fills, the kernel drops SYNs, and each dropped SYN
// stalls its loop for the 1 s retransmit timeout, which decided the rate
// (4.2k–18.9k conn/s for the same server from run to run).
func w4(client string, port, pid int, d time.Duration) result {
	var n atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Pointer[error]
	start, cpu0 := time.Now(), procCPU(pid)
	stop := start.Add(d)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				if err := connectAndClose(client, port); err != nil {
					failed.Store(&err)
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		return result{failed: (*err).Error()}
	}
	elapsed, cpu := time.Since(start), procCPU(pid)-cpu0
	return result{rate: float64(n.Load()) / elapsed.Seconds(), cpuPerOp: cpu.Seconds() / float64(n.Load()), unit: "µs"}
}

// connectAndClose is one W4 connection: connect, shut down for writing,
// wait for the server's close, close.
func connectAndClose(client string, port int) error {
	c, err := dial(client, port)
	if err != nil {
		return err
	}
	defer c.Close()
	c.Watchdog(*cellTimeout)
	if err := c.CloseWrite(); err != nil {
		return err
	}
	var b [1]byte
	switch _, err := c.Read(b[:]); {
	case err == errEOF || err == io.EOF:
		return nil
	case err != nil:
		return err
	}
	return errors.New("W4: the server sent data")
}
