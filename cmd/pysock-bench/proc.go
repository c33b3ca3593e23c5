package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// procCPU is the CPU time (user and system) the threads of a process have
// used so far, in nanoseconds from /proc/<pid>/task/*/schedstat; the
// 10 ms ticks of /proc/<pid>/stat are too coarse for a W1 run. A thread
// that has exited is no longer counted, so callers read it while the
// threads that serve the workload are alive.
func procCPU(pid int) time.Duration {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	if err != nil {
		return 0
	}
	var total time.Duration
	for _, t := range tasks {
		data, err := os.ReadFile(t)
		if err != nil {
			continue // the thread exited
		}
		f := strings.Fields(string(data))
		if len(f) == 0 {
			continue
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err == nil {
			total += time.Duration(ns)
		}
	}
	return total
}

// procStatus reads Threads and VmHWM (kB) of a process.
func procStatus(pid int) (threads, hwmKB int) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && f[0] == "Threads:" {
			threads, _ = strconv.Atoi(f[1])
		}
		if len(f) >= 2 && f[0] == "VmHWM:" {
			hwmKB, _ = strconv.Atoi(f[1])
		}
	}
	return threads, hwmKB
}

// quietRun runs one measurement, and runs it again, up to twice, when the
// host took more than -maxsteal of the machine's CPU time while it ran: on
// a shared virtual machine a run during which the host ran other guests
// measures the host. It keeps the run with the least steal.
func quietRun(run func() result) result {
	var kept result
	for try := range 3 {
		s0, t0 := stealTime(), time.Now()
		r := run()
		r.steal = float64(stealTime()-s0) / float64(time.Since(t0)*time.Duration(runtime.NumCPU()))
		if try == 0 || r.failed == "" && (kept.failed != "" || r.steal < kept.steal) {
			kept = r
		}
		if r.failed != "" || r.steal <= *maxSteal {
			break
		}
	}
	return kept
}

// stealTime is the time the host has taken from this machine's CPUs (the
// steal column of /proc/stat), 0 where it is not reported.
func stealTime() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 9 || f[0] != "cpu" {
		return 0
	}
	ticks, err := strconv.ParseInt(f[8], 10, 64)
	if err != nil {
		return 0
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ
}
