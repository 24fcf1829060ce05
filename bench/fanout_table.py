#!/usr/bin/env python3
"""Markdown tables from the sluice-load JSON files of fanout-vs-nginx.sh.

  fanout_table.py OUT_DIR      (reads OUT_DIR/<server>-<N>.json)
"""
import sys

from bench_table import fmt, get, ratio, read_runs, servers_and_ns


def main():
    runs = read_runs(sys.argv[1])
    order = {"nginx-rtmp": 0, "sluice-rtmp": 1, "sluice-rtmp-play-auth": 2, "sluice-http-flv": 3,
             "sluice-http-flv-play-auth": 4}
    servers, ns = servers_and_ns(runs, order)

    def metrics(d):
        return {
            "cpu_gbit": get(d, "server", "cpu_s_per_gbit"),
            "rss_viewer": get(d, "server", "rss_kib_per_session"),
            "keep": get(d, "keeping_up_fraction"),
            "ttff": get(d, "startup_ms", "first_video_ms", "p50"),
        }

    print("| N | server | ok / N | CPU-s per Gbit | RSS per viewer (KiB) | keeping up "
          "| first video p50 / p90 (ms) | server CPU s/s | Mbit/s per viewer p50 (min) "
          "| stalled | load tool CPU s/s | other CPU s/s | server CPU-s in the joins |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in ns:
        for s in servers:
            if (s, n) not in runs:
                continue
            d = runs[(s, n)]
            if d is None:
                print(f"| {n} | {s} | run failed | | | | | | | | | | |")
                continue
            m = metrics(d)
            print(f"| {n} | {s} | {d['ok']} / {d['sessions']} | {fmt(m['cpu_gbit'])} "
                  f"| {fmt(m['rss_viewer'], 1)} | {fmt(m['keep'])} "
                  f"| {fmt(m['ttff'], 1)} / {fmt(get(d, 'startup_ms', 'first_video_ms', 'p90'), 1)} "
                  f"| {fmt(get(d, 'server', 'cpu_s_per_s'))} "
                  f"| {fmt(get(d, 'per_session_mbps', 'p50'))} ({fmt(get(d, 'per_session_mbps', 'min'))}) "
                  f"| {d.get('sessions_with_stall')} | {fmt(d.get('tool_cpu_s_per_s'))} "
                  f"| {fmt(d.get('other_cpu_s_per_s'))} "
                  f"| {fmt(get(d, 'server', 'cpu_s_join'))} |")
    print()
    print("Ratios against nginx-rtmp (below 1 = sluice uses less / starts faster; "
          "keeping up: above 1 = better):")
    print()
    print("| N | server | CPU-s per Gbit | RSS per viewer | first video p50 | keeping up |")
    print("|---|---|---|---|---|---|")
    for n in ns:
        base = runs.get(("nginx-rtmp", n))
        if base is None:
            continue
        b = metrics(base)
        for s in servers:
            if s == "nginx-rtmp" or runs.get((s, n)) is None:
                continue
            m = metrics(runs[(s, n)])
            print(f"| {n} | {s} / nginx-rtmp | {ratio(m['cpu_gbit'], b['cpu_gbit'])} "
                  f"| {ratio(m['rss_viewer'], b['rss_viewer'])} | {ratio(m['ttff'], b['ttff'])} "
                  f"| {ratio(m['keep'], b['keep'])} |")


if __name__ == "__main__":
    main()
