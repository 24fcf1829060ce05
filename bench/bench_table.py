"""What fanout_table.py and hls_table.py share: reading a run directory of
sluice-load JSON files (<server>-<N>.json) and formatting numbers."""
import glob
import json
import os
import re


def get(d, *keys):
    """d[k1][k2]..., or None where any level is missing."""
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
    """A JSON file, or None when it is missing or not JSON (a failed run)."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def read_runs(out_dir):
    """{(server, N): summary or None} for every <server>-<N>.json in out_dir."""
    runs = {}
    for path in glob.glob(os.path.join(out_dir, "*.json")):
        m = re.match(r"(.+)-(\d+)\.json$", os.path.basename(path))
        if m:
            runs[(m.group(1), int(m.group(2)))] = load(path)
    return runs


def servers_and_ns(runs, order):
    """The servers in `order` (a name -> rank dict; others after, by name) and the Ns."""
    servers = sorted({s for s, _ in runs}, key=lambda s: (order.get(s, len(order)), s))
    return servers, sorted({n for _, n in runs})
