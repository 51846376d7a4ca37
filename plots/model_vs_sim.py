#!/usr/bin/python3
"""Cost model vs simulation on every simulated point: predicted vs simulated latency and cost,
with the y = x line (points on it: the model and the simulator agree).

Input: a sweep CSV of an experiment with simulate: true (columns latency_s, sim_latency_s,
usd_per_query, sim_usd_per_query, variant).
"""
import math

from common import VARIANT_COLOURS, VARIANT_LABELS, args, die, number, plt, read_rows, save

csv_path, prefix = args()
rows = read_rows(csv_path, ["variant", "latency_s", "sim_latency_s", "usd_per_query", "sim_usd_per_query"])
rows = [r for r in rows if r["sim_latency_s"] not in ("", None)]
if not rows:
    die(f"{csv_path}: no simulated points")
fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.8))
for ax, (pred, sim, what) in zip(axes, (("latency_s", "sim_latency_s", "latency per query batch (s)"),
                                        ("usd_per_query", "sim_usd_per_query", "cost per query (USD)"))):
    xs_all, ys_all = [], []
    for variant in sorted({r["variant"] for r in rows}):
        sel = [r for r in rows if r["variant"] == variant]
        xs = [number(r, pred) for r in sel]
        ys = [number(r, sim) for r in sel]
        xs_all += xs
        ys_all += ys
        ax.plot(xs, ys, "o", color=VARIANT_COLOURS.get(variant, "black"), label=VARIANT_LABELS.get(variant, variant),
                alpha=0.8)
    values = [v for v in xs_all + ys_all if v > 0 and math.isfinite(v)]
    lo, hi = min(values) / 1.5, max(values) * 1.5
    ax.plot([lo, hi], [lo, hi], "-", color="black", linewidth=1, label="y = x")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel(f"predicted {what}")
    ax.set_ylabel(f"simulated {what}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
axes[0].set_title("Latency: cost model vs simulator")
axes[1].set_title("Cost: cost model vs simulator")
save(fig, prefix)
