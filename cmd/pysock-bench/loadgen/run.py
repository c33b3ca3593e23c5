#!/usr/bin/env python3
"""Run loadgen, the independent C load generator, against pysock-bench's servers.

    go build -o /tmp/pysock-bench ./cmd/pysock-bench
    cc -O2 -pthread -o /tmp/loadgen cmd/pysock-bench/loadgen/loadgen.c
    python3 cmd/pysock-bench/loadgen/run.py --bench /tmp/pysock-bench --loadgen /tmp/loadgen

Each run of a cell starts a fresh server (`pysock-bench -serve NAME -role ROLE`), reads the
server's CPU time (/proc/PID/task/*/schedstat) around one loadgen call, and stops the server.
Runs are interleaved across the servers (run 1 of each, then run 2, ...). It prints, per cell,
the median run's rate and server CPU per operation, every run's rate, and the ratios of the
medians within the run.
"""
import argparse
import glob
import os
import statistics
import subprocess
import sys

WORKLOADS = {
    # name: (server role, size option, unit of the rate, CPU unit, CPU scale per op)
    "W1": ("echo", "w1", "rt/s", "µs/rt", 1e6),
    "W2down": ("down", "w2", "MiB/s", "s/GiB", 1024),
    "W2up": ("up", "w2", "MiB/s", "s/GiB", 1024),
    "W4": ("echo", "w4ms", "conn/s", "µs/conn", 1e6),
}


def cpu_seconds(pid):
    total = 0
    for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            with open(path) as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # the thread exited
    return total / 1e9


def one_run(bench, loadgen, server, workload, sizes):
    role, size, *_ = WORKLOADS[workload]
    arg = getattr(sizes, size)
    if server.startswith("py-"):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "py", "servers.py")
        cmd = [sys.executable, script, server[3:], role]
    else:
        cmd = [bench, "-serve", server, "-role", role]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "READY":
            raise RuntimeError(f"{server} did not start: {line}")
        cpu0 = cpu_seconds(proc.pid)
        done = subprocess.run([loadgen, workload.lower(), line[1], str(arg)], capture_output=True,
                              text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"loadgen {workload} against {server}: {done.stderr.strip()}")
        out = done.stdout.split()
        cpu = cpu_seconds(proc.pid) - cpu0
        rate, ops = float(out[0]), float(out[2])
        return rate, cpu / ops * WORKLOADS[workload][4]
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fmt(rate):
    return f"{rate / 1000:.1f}k" if rate >= 10000 else f"{rate:.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", required=True, help="a pysock-bench binary")
    ap.add_argument("--loadgen", required=True, help="the compiled loadgen.c")
    ap.add_argument("--workloads", default="W1,W2down,W2up,W4")
    ap.add_argument("--servers", default="pysock-blocking,pysock-timeout,go-net,raw-unix")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--w1", type=int, default=20000, help="W1 round trips per run")
    ap.add_argument("--w2", type=int, default=256, help="W2 MiB per run")
    ap.add_argument("--w4ms", type=int, default=2000, help="W4 milliseconds per run")
    a = ap.parse_args()
    servers = a.servers.split(",")
    for w in a.workloads.split(","):
        _, _, unit, cpu_unit, _ = WORKLOADS[w]
        runs = {s: [] for s in servers}
        for _ in range(a.runs):
            for s in servers:
                runs[s].append(one_run(a.bench, a.loadgen, s, w, a))
        print(f"{w} {unit}, loadgen client, {a.runs} fresh servers each, median run")
        med = {}
        for s in servers:
            by_rate = sorted(runs[s])
            med[s] = by_rate[len(by_rate) // 2]
            every = " ".join(fmt(r) for r, _ in runs[s])
            print(f"  {s:20} {fmt(med[s][0]):>6} · {med[s][1]:.2f} {cpu_unit}   runs: {every}")
        for s in servers:
            if s.startswith("pysock"):
                ratios = "  ".join(f"/{o} {med[s][0] / med[o][0]:.2f}×" for o in servers
                                   if not o.startswith("pysock"))
                print(f"  ratios of {s:20} {ratios}")
        print()


if __name__ == "__main__":
    main()
