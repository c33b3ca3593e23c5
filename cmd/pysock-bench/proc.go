package main

import (
	"fmt"
	"os"
	"path/filepath"
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
