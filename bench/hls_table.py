#!/usr/bin/env python3
"""Markdown tables from the sluice-load JSON files of hls-vs-nginx.sh.

  hls_table.py OUT_DIR   (reads OUT_DIR/<server>-<N>.json and <server>-<N>.extra.json)
"""
import glob
import json
import os
import re
import sys


def get(d, *keys):
    for k in keys:
        if not isinstance(d, dict) or d.get(k) is None:
            return None
        d = d[k]
    return d


def fmt(v, digits=3):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def ratio(a, b):
    return f"{a / b:.3g}" if a is not None and b not in (None, 0) else "-"


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def metrics(d, extra):
    stream_kib = None
    before = get(d, "server", "rss_kib_before_sessions")
    if before is not None and extra:
        stream_kib = before - extra["rss_kib_idle"] + extra["segment_files_bytes"] / 1024
    return {
        "cpu_gbit": get(d, "server", "cpu_s_per_gbit"),
        "stream_mib": stream_kib / 1024 if stream_kib is not None else None,
        "rss_viewer": get(d, "server", "rss_kib_per_session"),
        "lat50": get(d, "latency_ms", "p50"),
        "lat99": get(d, "latency_ms", "p99"),
        "ttfs50": get(d, "startup_ms", "first_segment_after_request_ms", "p50"),
        "ttfs99": get(d, "startup_ms", "first_segment_after_request_ms", "p99"),
    }


def main():
    out_dir = sys.argv[1]
    runs = {}
    for path in glob.glob(os.path.join(out_dir, "*.json")):
        m = re.match(r"(.+)-(\d+)\.json$", os.path.basename(path))
        if not m:
            continue
        key = (m.group(1), int(m.group(2)))
        runs[key] = (load(path), load(os.path.join(out_dir, f"{key[0]}-{key[1]}.extra.json")))
    order = {"nginx-hls": 0, "sluice-hls": 1}
    servers = sorted({s for s, _ in runs}, key=lambda s: (order.get(s, 5), s))
    ns = sorted({n for _, n in runs})

    print("| N | server | ok / N | CPU-s per Gbit | server CPU s/s | memory for the stream (MiB) "
          "| RSS per viewer (KiB) | latency p50 / p99 / max (ms) | first segment p50 / p99 (ms) "
          "| fell behind | stalled | Mbit/s per viewer p50 (min) | load tool CPU s/s | other CPU s/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in ns:
        for s in servers:
            if (s, n) not in runs:
                continue
            d, extra = runs[(s, n)]
            if d is None:
                print(f"| {n} | {s} | run failed | | | | | | | | | | | |")
                continue
            m = metrics(d, extra)
            print(f"| {n} | {s} | {d['ok']} / {d['sessions']} | {fmt(m['cpu_gbit'])} "
                  f"| {fmt(get(d, 'server', 'cpu_s_per_s'))} | {fmt(m['stream_mib'], 1)} "
                  f"| {fmt(m['rss_viewer'], 1)} "
                  f"| {fmt(m['lat50'], 0)} / {fmt(m['lat99'], 0)} / {fmt(get(d, 'latency_ms', 'max'), 0)} "
                  f"| {fmt(m['ttfs50'], 0)} / {fmt(m['ttfs99'], 0)} "
                  f"| {d.get('sessions_fell_behind')} | {d.get('sessions_with_stall')} "
                  f"| {fmt(get(d, 'per_session_mbps', 'p50'))} ({fmt(get(d, 'per_session_mbps', 'min'))}) "
                  f"| {fmt(d.get('tool_cpu_s_per_s'))} | {fmt(d.get('other_cpu_s_per_s'))} |")
    print()
    print("Ratios sluice / nginx-rtmp (below 1 = sluice uses less / is faster):")
    print()
    print("| N | CPU-s per Gbit | memory for the stream | RSS per viewer | latency p50 | latency p99 "
          "| first segment p50 |")
    print("|---|---|---|---|---|---|---|")
    for n in ns:
        base, mine = runs.get(("nginx-hls", n)), runs.get(("sluice-hls", n))
        if not base or not mine or base[0] is None or mine[0] is None:
            continue
        b, m = metrics(*base), metrics(*mine)
        print(f"| {n} | {ratio(m['cpu_gbit'], b['cpu_gbit'])} | {ratio(m['stream_mib'], b['stream_mib'])} "
              f"| {ratio(m['rss_viewer'], b['rss_viewer'])} | {ratio(m['lat50'], b['lat50'])} "
              f"| {ratio(m['lat99'], b['lat99'])} | {ratio(m['ttfs50'], b['ttfs50'])} |")


if __name__ == "__main__":
    main()
