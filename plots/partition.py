#!/usr/bin/python3
"""Hypergraph vs random vs contiguous partitioning: activation bytes sent and cost per query vs P.

Input: a sweep CSV with columns deployment.partition.method, workers, variant,
bytes_sent, usd_per_query (experiments/partition.yaml, profiles: partitioned).
"""
import collections

from common import args, number, plt, read_rows, save

csv_path, prefix = args()
rows = read_rows(csv_path, ["deployment.partition.method", "workers", "variant", "bytes_sent", "usd_per_query"])
series = collections.defaultdict(list)
for r in rows:
    series[(r["deployment.partition.method"], r["variant"])].append(
        (int(r["workers"]), number(r, "bytes_sent"), number(r, "usd_per_query")))

colour = {"contiguous": "#9467bd", "random": "#8c564b", "hypergraph": "#17becf"}
style = {"queue": "-", "object": "--"}
fig, (ax_bytes, ax_cost) = plt.subplots(1, 2, figsize=(11, 4.5))
drawn = set()  # every variant moves the same rows: one bytes line per method
for (method, variant), points in sorted(series.items()):
    points.sort()
    p = [x[0] for x in points]
    if method not in drawn:
        drawn.add(method)
        ax_bytes.plot(p, [x[1] / 1e6 for x in points], "-", color=colour.get(method), marker="o", label=method)
    ax_cost.plot(p, [x[2] for x in points], style.get(variant, ":"), color=colour.get(method), marker="o",
                 label=f"{method}, {variant}")
ax_bytes.set_ylabel("activation bytes sent per query (MB)")
ax_bytes.set_title("Bytes sent between workers")
ax_cost.set_ylabel("cost per query (USD)")
ax_cost.set_yscale("log")
ax_cost.set_title("Cost per query (solid: queue, dashed: object)")
for ax in (ax_bytes, ax_cost):
    ax.set_xlabel("workers P")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
save(fig, prefix)
