#!/usr/bin/env python3
"""Verdict of a soak run: reads OUT/{run.json,samples.csv,churn.jsonl,publishers.log,sluice.log},
writes OUT/soak.json and OUT/soak.md, prints the markdown, exits 1 if a check fails.

    soak_report.py OUT

Checks (over the steady part: the last 2/3 of the time clients ran; the first
1/3 is warm-up, when allocator pools, caches and the store settle):
  - RSS slope < 1 MiB per 10 min (least squares over the samples). At the
    default churn (~3 viewer sessions a second, ~1800 per 10 min) a leak of
    0.6 KiB per session would exceed it.
  - fds not tied to a connection (fds - established connections) have a slope
    < 2 per 10 min, and the fd count after every client left equals the count
    before the first one came (the server keeps no socket, file or timer fd).
  - threads: the same number in every sample.
  - CPU per delivered Gbit in the last third is at most 1.25x the middle
    third's: work that grows with the number of sessions served so far (a
    list that only grows, a scan over history) shows as a rising cost per bit;
    10-minute averages smooth the +-30% noise of short windows on a shared machine.
"""
import csv
import json
import re
import sys
from datetime import datetime
from pathlib import Path

RSS_SLOPE_MAX_KIB_PER_10MIN = 1024
FD_SLOPE_MAX_PER_10MIN = 2
CPU_PER_GBIT_GROWTH_MAX = 1.25


def slope_per_10min(points):
    """Least-squares slope of (t, y) points, in y units per 600 s."""
    n = len(points)
    if n < 2:
        return 0.0
    mt = sum(t for t, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    if var == 0:
        return 0.0
    return 600 * sum((t - mt) * (y - my) for t, y in points) / var


def interpolate(series, t):
    """Value of a cumulative series [(t, v)] at time t (linear; clamped)."""
    if not series:
        return 0.0
    if t <= series[0][0]:
        return series[0][1]
    for (t0, v0), (t1, v1) in zip(series, series[1:]):
        if t0 <= t <= t1:
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0) if t1 > t0 else v1
    return series[-1][1]


def main(out_dir):
    out = Path(out_dir)
    run = json.loads((out / "run.json").read_text())
    with open(out / "samples.csv") as f:
        samples = [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]
    churn = [json.loads(line) for line in (out / "churn.jsonl").read_text().splitlines() if line.strip()]
    final = next((c for c in churn if c.get("final")), churn[-1] if churn else {})
    progress = [c for c in churn if not c.get("final")]

    # Viewers end when the churn tool exits (its final line), the publishers a
    # few seconds later; the measured span ends with the viewers, so samples of
    # the server closing 80 sockets at once do not count as steady state.
    start, end = run["clients_start"], min(run["clients_end"], final.get("t", run["clients_end"]))
    steady_from = start + (end - start) / 3
    before = [s for s in samples if s["t"] < start]
    during = [s for s in samples if start <= s["t"] <= end]
    steady = [s for s in during if s["t"] >= steady_from]
    after = [s for s in samples if s["t"] > run["clients_end"] + run["grace_s"] + 1]
    if not before or not steady or not after:
        print("soak_report: not enough samples (before / steady / after)", file=sys.stderr)
        return 2
    base, last = before[-1], after[-1]

    rss_slope = slope_per_10min([(s["t"], s["rss_kib"]) for s in steady])
    fd_slope = slope_per_10min([(s["t"], s["fds"]) for s in steady])
    spare_fd_slope = slope_per_10min([(s["t"], s["fds"] - s["conns"]) for s in steady])
    threads = sorted({int(s["threads"]) for s in samples})

    # Delivered bytes: the churn tool's cumulative count (all viewers).
    delivered = [(c["t"], c["bytes"]) for c in progress]
    if final:
        delivered.append((final["t"], final["bytes"]))
    cpu = [(s["t"], s["cpu_s"]) for s in samples]

    def window(t0, t1):
        span = t1 - t0
        cpu_s = interpolate(cpu, t1) - interpolate(cpu, t0)
        gbit = (interpolate(delivered, t1) - interpolate(delivered, t0)) * 8 / 1e9
        inside = [s for s in samples if t0 <= s["t"] <= t1] or [min(samples, key=lambda s: abs(s["t"] - t0))]
        return {
            "from_s": round(t0 - start), "to_s": round(t1 - start),
            "cpu_s_per_s": round(cpu_s / span, 4) if span > 0 else None,
            "gbit": round(gbit, 3),
            "mbit_per_s": round(gbit * 1000 / span, 1) if span > 0 else None,
            "cpu_s_per_gbit": round(cpu_s / gbit, 4) if gbit > 0 else None,
            "rss_mib_max": round(max(s["rss_kib"] for s in inside) / 1024, 2),
            "fds_max": int(max(s["fds"] for s in inside)),
            "conns_mean": round(sum(s["conns"] for s in inside) / len(inside), 1),
        }

    n_windows = 6
    edges = [start + (end - start) * k / n_windows for k in range(n_windows + 1)]
    windows = [window(a, b) for a, b in zip(edges, edges[1:])]
    middle, late = window(steady_from, steady_from + (end - steady_from) / 2), window(steady_from + (end - steady_from) / 2, end)
    cpu_growth = (late["cpu_s_per_gbit"] / middle["cpu_s_per_gbit"]
                  if late["cpu_s_per_gbit"] and middle["cpu_s_per_gbit"] else None)

    pubs = (out / "publishers.log").read_text().splitlines() if (out / "publishers.log").exists() else []
    reconnects = {
        "publishes": sum(" start " in l for l in pubs),
        "within_grace": sum(l.endswith("within_grace") for l in pubs),
        "after_grace": sum(l.endswith("after_grace") for l in pubs),
    }
    closed = {}
    warnings = 0
    log = out / "sluice.log"
    # The gaps as the server saw them (a publisher's start-up on a loaded
    # machine adds a second or two to the scripted pause).
    left_at, gaps = {}, []
    if log.exists():
        for line in log.read_text(errors="replace").splitlines():
            m = re.match(r"(\S+) \[info\] rtmp \S+ (\S+) (publishing|unpublished)", line)
            if m:
                at = datetime.fromisoformat(m.group(1)).timestamp()
                if m.group(3) == "unpublished":
                    left_at[m.group(2)] = at
                elif m.group(2) in left_at:
                    gaps.append(at - left_at.pop(m.group(2)))
            if "[warning]" in line or "[warn]" in line or "[error]" in line or "[critical]" in line:
                warnings += 1
            m = re.search(r" closed: (.*)$", line)
            if m:
                reason = re.sub(r"\d+(\.\d+)?", "N", m.group(1))[:80]
                closed[reason] = closed.get(reason, 0) + 1

    reconnects["server_seen_returns_within_grace"] = sum(g <= run["grace_s"] for g in gaps)
    reconnects["server_seen_returns_after_grace"] = sum(g > run["grace_s"] for g in gaps)
    reconnects["gap_s_min_max"] = [round(min(gaps), 1), round(max(gaps), 1)] if gaps else None
    checks = {
        "rss_slope": {"value_kib_per_10min": round(rss_slope, 1), "max": RSS_SLOPE_MAX_KIB_PER_10MIN,
                      "pass": rss_slope < RSS_SLOPE_MAX_KIB_PER_10MIN},
        "spare_fd_slope": {"value_per_10min": round(spare_fd_slope, 2), "max": FD_SLOPE_MAX_PER_10MIN,
                           "pass": abs(spare_fd_slope) < FD_SLOPE_MAX_PER_10MIN},
        "fds_back_to_baseline": {"before": int(base["fds"]), "after": int(last["fds"]),
                                 "conns_after": int(last["conns"]),
                                 "pass": last["fds"] == base["fds"] and last["conns"] == 0},
        "threads_constant": {"values": threads, "pass": len(threads) == 1},
        "cpu_per_gbit_growth": {"middle_third": middle["cpu_s_per_gbit"], "last_third": late["cpu_s_per_gbit"],
                                "ratio": round(cpu_growth, 3) if cpu_growth else None,
                                "max": CPU_PER_GBIT_GROWTH_MAX,
                                "pass": cpu_growth is not None and cpu_growth <= CPU_PER_GBIT_GROWTH_MAX},
    }
    verdict = all(c["pass"] for c in checks.values())
    rss = [s["rss_kib"] for s in during]
    fds = [s["fds"] for s in during]
    report = {
        "run": run,
        "pass": verdict,
        "checks": checks,
        "rss_kib": {"before": int(base["rss_kib"]), "start_of_steady": int(steady[0]["rss_kib"]),
                    "end": int(during[-1]["rss_kib"]), "max": int(max(rss)), "after": int(last["rss_kib"]),
                    "hwm": int(last["hwm_kib"])},
        "fds": {"before": int(base["fds"]), "start_of_steady": int(steady[0]["fds"]), "end": int(during[-1]["fds"]),
                "min": int(min(fds)), "max": int(max(fds)), "after": int(last["fds"])},
        "fd_slope_per_10min": round(fd_slope, 2),
        "cpu_s_total": round(last["cpu_s"] - base["cpu_s"], 1),
        "windows": windows,
        "viewers": {k: final.get(k) for k in ("started", "lived", "with_video", "ended_early", "bytes")},
        "publishers": reconnects,
        "server_log": {"warnings": warnings, "closed": dict(sorted(closed.items(), key=lambda kv: -kv[1]))},
    }
    (out / "soak.json").write_text(json.dumps(report, indent=1) + "\n")
    md = markdown(report)
    (out / "soak.md").write_text(md)
    print(md)
    return 0 if verdict else 1


def markdown(r):
    run, c = r["run"], r["checks"]
    mib = lambda kib: f"{kib / 1024:.1f}"
    lines = [
        f"Soak {run['duration_s']} s: {run['viewers']} viewers ({run['slow']} slow), life "
        f"{run['min_life_s']}-{run['max_life_s']} s; 2 publishers, life {run['pub_min_life_s']}-"
        f"{run['pub_max_life_s']} s. Verdict: **{'PASS' if r['pass'] else 'FAIL'}**",
        "",
        "| | before clients | start of steady part | end | max | after clients left |",
        "|---|---|---|---|---|---|",
        f"| RSS (MiB) | {mib(r['rss_kib']['before'])} | {mib(r['rss_kib']['start_of_steady'])} | "
        f"{mib(r['rss_kib']['end'])} | {mib(r['rss_kib']['max'])} | {mib(r['rss_kib']['after'])} |",
        f"| fds | {r['fds']['before']} | {r['fds']['start_of_steady']} | {r['fds']['end']} | {r['fds']['max']} | "
        f"{r['fds']['after']} |",
        "",
        "| window (s) | CPU s/s | Mbit/s delivered | CPU-s per Gbit | RSS max (MiB) | fds max | connections (mean) |",
        "|---|---|---|---|---|---|---|",
    ]
    for w in r["windows"]:
        lines.append(f"| {w['from_s']}-{w['to_s']} | {w['cpu_s_per_s']} | {w['mbit_per_s']} | {w['cpu_s_per_gbit']} | "
                     f"{w['rss_mib_max']} | {w['fds_max']} | {w['conns_mean']} |")
    v, p = r["viewers"], r["publishers"]
    early = ", ".join(f"{k} {n}" for k, n in sorted((v.get("ended_early") or {}).items(), key=lambda kv: -kv[1]))
    lines += [
        "",
        "| check | measured | limit | |",
        "|---|---|---|---|",
        f"| RSS slope, steady part | {c['rss_slope']['value_kib_per_10min']} KiB / 10 min | < {c['rss_slope']['max']} | "
        f"{'pass' if c['rss_slope']['pass'] else 'FAIL'} |",
        f"| fds − connections, slope | {c['spare_fd_slope']['value_per_10min']} / 10 min | < {c['spare_fd_slope']['max']} | "
        f"{'pass' if c['spare_fd_slope']['pass'] else 'FAIL'} |",
        f"| fds after clients left | {c['fds_back_to_baseline']['after']} (before: {c['fds_back_to_baseline']['before']}) | "
        f"= before | {'pass' if c['fds_back_to_baseline']['pass'] else 'FAIL'} |",
        f"| threads | {c['threads_constant']['values']} | constant | {'pass' if c['threads_constant']['pass'] else 'FAIL'} |",
        f"| CPU-s per Gbit, last third / middle third | {c['cpu_per_gbit_growth']['last_third']} / "
        f"{c['cpu_per_gbit_growth']['middle_third']} = {c['cpu_per_gbit_growth']['ratio']} | ≤ {c['cpu_per_gbit_growth']['max']} | "
        f"{'pass' if c['cpu_per_gbit_growth']['pass'] else 'FAIL'} |",
        "",
        f"Viewer sessions: {v['started']} started, {v['with_video']} got video, {v['lived']} lived their full life; "
        f"ended early: {early or 'none'}. Delivered {((v['bytes'] or 0) * 8 / 1e9):.1f} Gbit.",
        f"Publishes: {p['publishes']}; returns as the server saw them (unpublished to publishing again): "
        f"within the {run['grace_s']} s grace {p['server_seen_returns_within_grace']}, after it "
        f"{p['server_seen_returns_after_grace']} (gaps {p['gap_s_min_max']} s; scripted pauses: "
        f"{p['within_grace']} short, {p['after_grace']} long).",
        f"Server CPU: {r['cpu_s_total']} s in all. Server log: {r['server_log']['warnings']} warn/error lines; "
        "closes by reason: " + (", ".join(f"{k} {n}" for k, n in list(r["server_log"]["closed"].items())[:8]) or "none") + ".",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
