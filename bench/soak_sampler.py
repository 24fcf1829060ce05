#!/usr/bin/env python3
"""Samples one process from /proc every INTERVAL seconds into a CSV, for soak runs.

    soak_sampler.py --pid PID --out samples.csv [--interval 10] [--max-seconds S]

Columns: t (unix s), rss_kib, hwm_kib, fds (entries of /proc/PID/fd), cpu_s
(utime + stime), threads, conns (the process's own TCP sockets in ESTABLISHED
state, i.e. its client connections: publishers, viewers, API clients).

Ends when the process is gone, at --max-seconds, or on SIGTERM/SIGINT (the
rows written so far stay; each row is flushed as it is written).
"""
import argparse
import os
import signal
import sys
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
TCP_ESTABLISHED = "01"


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        # The command name (field 2) may hold spaces: split after its ')'.
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def status_fields(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "Threads"):
                out[key] = int(value.split()[0])
    return out


def socket_inodes(pid):
    inodes = set()
    count = 0
    fd_dir = f"/proc/{pid}/fd"
    for name in os.listdir(fd_dir):
        count += 1
        try:
            target = os.readlink(f"{fd_dir}/{name}")
        except OSError:
            continue  # closed between listdir and readlink
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return count, inodes


def established(pid, inodes):
    n = 0
    for table in ("tcp", "tcp6"):
        try:
            with open(f"/proc/{pid}/net/{table}") as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == TCP_ESTABLISHED and fields[9] in inodes:
                        n += 1
        except FileNotFoundError:
            pass
    return n


def sample(pid):
    status = status_fields(pid)
    fds, inodes = socket_inodes(pid)
    return {
        "t": f"{time.time():.3f}",
        "rss_kib": status["VmRSS"],
        "hwm_kib": status["VmHWM"],
        "fds": fds,
        "cpu_s": f"{cpu_seconds(pid):.2f}",
        "threads": status["Threads"],
        "conns": established(pid, inodes),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--interval", type=float, default=10.0)
    parser.add_argument("--max-seconds", type=float, default=4 * 3600)
    args = parser.parse_args()

    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.append(True))
    columns = ["t", "rss_kib", "hwm_kib", "fds", "cpu_s", "threads", "conns"]
    deadline = time.monotonic() + args.max_seconds
    next_at = time.monotonic()
    with open(args.out, "w") as out:
        out.write(",".join(columns) + "\n")
        while not stop and time.monotonic() < deadline:
            try:
                row = sample(args.pid)
            except (FileNotFoundError, ProcessLookupError, KeyError):
                print(f"soak_sampler: process {args.pid} is gone", file=sys.stderr)
                return 0
            out.write(",".join(str(row[c]) for c in columns) + "\n")
            out.flush()
            next_at += args.interval
            while not stop and time.monotonic() < next_at:  # wakes for signals within 0.2 s
                time.sleep(min(0.2, max(0.0, next_at - time.monotonic())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
