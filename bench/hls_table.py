#!/usr/bin/env python3
"""Markdown tables from the sluice-load JSON files of hls-vs-nginx.sh.

  hls_table.py OUT_DIR   (reads OUT_DIR/<server>-<N>.json and <server>-<N>.extra.json)

Rows: nginx-hls (nginx-rtmp's hls module), sluice-hls (MPEG-TS), sluice-ll-hls
(LL-HLS parts); ratios of each sluice row against nginx-hls at the same N.
"""
import os
import sys

from bench_table import fmt, get, load, ratio, read_runs, servers_and_ns

BASELINE = "nginx-hls"


def percent(share):
    return "-" if share is None else f"{share * 100:.0f} %"


def metrics(d, extra):
    stream_kib = None
    before = get(d, "server", "rss_kib_before_sessions")
    if before is not None and extra:
        stream_kib = before - extra["rss_kib_idle"] + extra["segment_files_bytes"] / 1024
    return {
        "cpu_gbit": get(d, "server", "cpu_s_per_gbit"),
        "kernel": get(d, "server", "system_share"),
        "stream_mib": stream_kib / 1024 if stream_kib is not None else None,
        "rss_viewer": get(d, "server", "rss_kib_per_session"),
        "lat50": get(d, "latency_ms", "p50"),
        "lat99": get(d, "latency_ms", "p99"),
        "ttfs50": get(d, "startup_ms", "first_segment_after_request_ms", "p50"),
        "ttfs99": get(d, "startup_ms", "first_segment_after_request_ms", "p99"),
    }


def main():
    out_dir = sys.argv[1]
    runs = {key: (d, load(os.path.join(out_dir, f"{key[0]}-{key[1]}.extra.json")))
            for key, d in read_runs(out_dir).items()}
    servers, ns = servers_and_ns(runs, {BASELINE: 0, "sluice-hls": 1, "sluice-ll-hls": 2})

    print("| N | server | ok / N | CPU-s per Gbit | of which kernel | server CPU s/s | memory for the stream (MiB) "
          "| RSS per viewer (KiB) | latency p50 / p99 / max (ms) "
          "| first segment or part p50 / p99 (ms) | parts per viewer-second "
          "| fell behind | stalled | Mbit/s per viewer p50 (min) | load tool CPU s/s | other CPU s/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in ns:
        for s in servers:
            if (s, n) not in runs:
                continue
            d, extra = runs[(s, n)]
            if d is None:
                print(f"| {n} | {s} | run failed | | | | | | | | | | | | | |")
                continue
            m = metrics(d, extra)
            viewer_s = d["ok"] * d["window_s"] if d.get("ok") else None
            parts = d.get("window_parts") / viewer_s if viewer_s and d.get("window_parts") else None
            print(f"| {n} | {s} | {d['ok']} / {d['sessions']} | {fmt(m['cpu_gbit'])} "
                  f"| {percent(m['kernel'])} "
                  f"| {fmt(get(d, 'server', 'cpu_s_per_s'))} | {fmt(m['stream_mib'], 1)} "
                  f"| {fmt(m['rss_viewer'], 1)} "
                  f"| {fmt(m['lat50'], 0)} / {fmt(m['lat99'], 0)} / {fmt(get(d, 'latency_ms', 'max'), 0)} "
                  f"| {fmt(m['ttfs50'], 0)} / {fmt(m['ttfs99'], 0)} | {fmt(parts, 2)} "
                  f"| {d.get('sessions_fell_behind')} | {d.get('sessions_with_stall')} "
                  f"| {fmt(get(d, 'per_session_mbps', 'p50'))} ({fmt(get(d, 'per_session_mbps', 'min'))}) "
                  f"| {fmt(d.get('tool_cpu_s_per_s'))} | {fmt(d.get('other_cpu_s_per_s'))} |")
    print()
    print(f"Ratios against {BASELINE} (below 1 = sluice uses less / is faster):")
    print()
    print("| N | server | CPU-s per Gbit | memory for the stream | RSS per viewer | latency p50 "
          "| latency p99 | first segment or part p50 |")
    print("|---|---|---|---|---|---|---|---|")
    for n in ns:
        base = runs.get((BASELINE, n))
        if not base or base[0] is None:
            continue
        b = metrics(*base)
        for s in servers:
            mine = runs.get((s, n))
            if s == BASELINE or not mine or mine[0] is None:
                continue
            m = metrics(*mine)
            print(f"| {n} | {s} / {BASELINE} | {ratio(m['cpu_gbit'], b['cpu_gbit'])} "
                  f"| {ratio(m['stream_mib'], b['stream_mib'])} "
                  f"| {ratio(m['rss_viewer'], b['rss_viewer'])} | {ratio(m['lat50'], b['lat50'])} "
                  f"| {ratio(m['lat99'], b['lat99'])} | {ratio(m['ttfs50'], b['ttfs50'])} |")


if __name__ == "__main__":
    main()
