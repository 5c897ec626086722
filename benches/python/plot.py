#!/usr/bin/env python3
"""docs/benchmarks.png from the JSON that `bench --json` writes: round-trip
p50/p99 per client (sequential and 32 in flight) and events per second.

    plot.py RESULTS.json OUT.png
"""

import json
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import NullFormatter  # noqa: E402


def wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, 32))


def main() -> None:
    results = json.load(open(sys.argv[1], encoding="utf-8"))
    rt = [r for r in results.get("roundtrip", []) if "stats" in r]
    modes = ["sequential", "32 in flight"]
    fig, axes = plt.subplots(1, 3, figsize=(18, 7))
    for ax, mode in zip(axes[:2], modes):
        rows = [r for r in rt if r["mode"] == mode]
        names = [r["client"] for r in rows]
        p50 = [r["stats"]["p50"] for r in rows]
        p99 = [r["stats"]["p99"] for r in rows]
        y = range(len(rows))
        ax.barh([i + 0.2 for i in y], p50, height=0.4, label="p50", color="#3b75af")
        ax.barh([i - 0.2 for i in y], p99, height=0.4, label="p99", color="#ef8636")
        ax.set_yticks(list(y))
        ax.set_yticklabels([wrap(n) for n in names], fontsize=8)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("round trip, µs (log)")
        ax.set_title(f"GetState -> State, {mode}")
        ax.legend(fontsize=8)
    ev = [e for e in results.get("events", []) if "events_per_s" in e]
    ax = axes[2]
    ax.barh(range(len(ev)), [e["events_per_s"] for e in ev], color="#519e3e")
    ax.set_yticks(list(range(len(ev))))
    ax.set_yticklabels([wrap(e["receiver"]) for e in ev], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("events/s through the broker")
    ax.set_title("Event throughput (one client)")
    load = results.get("load_average", {})
    fig.suptitle(f"gcclient benchmarks (load average at start {load.get('start', '?')}, "
                 f"end {load.get('end', '?')}; 2 shared cores)", fontsize=10)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
