#!/usr/bin/python3
"""Cost per query and latency vs the number of workers P, queue vs object, one line per model size N.

Input: a sweep CSV with columns workers, model.neurons, variant, usd_per_query,
latency_s, feasible (experiments/p_sweep.yaml). Infeasible points (memory or the 15-minute
limit) are drawn as crosses.
"""
import collections

from common import VARIANT_COLOURS, args, number, plt, read_rows, save

csv_path, prefix = args()
rows = read_rows(csv_path, ["workers", "model.neurons", "variant", "usd_per_query", "latency_s", "feasible"])
series = collections.defaultdict(list)
for r in rows:
    series[(int(r["model.neurons"]), r["variant"])].append(
        (int(r["workers"]), number(r, "usd_per_query"), number(r, "latency_s"), r["feasible"] == "1"))

sizes = sorted({n for n, _ in series})
cmap = plt.get_cmap("viridis")
colour = {n: cmap(i / max(1, len(sizes) - 1) * 0.9) for i, n in enumerate(sizes)}
style = {"queue": "-", "object": "--"}
fig, (ax_cost, ax_lat) = plt.subplots(1, 2, figsize=(11, 4.5))
for (n, variant), points in sorted(series.items()):
    points.sort()
    p = [x[0] for x in points]
    for ax, k in ((ax_cost, 1), (ax_lat, 2)):
        ax.plot(p, [x[k] for x in points], style.get(variant, ":"), color=colour[n], marker="o", markersize=3,
                label=f"N={n}, {variant}")
        bad = [x for x in points if not x[3]]
        ax.plot([x[0] for x in bad], [x[k] for x in bad], "x", color="black", markersize=7)
for ax, label in ((ax_cost, "cost per query (USD)"), (ax_lat, "latency per query batch (s)")):
    ax.set_xlabel("workers P")
    ax.set_ylabel(label)
    ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)
ax_cost.set_title("Cost per query vs P (solid: queue, dashed: object)")
ax_lat.set_title("Latency vs P (x: infeasible)")
ax_lat.legend(fontsize=7, ncol=2)
save(fig, prefix)
