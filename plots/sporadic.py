#!/usr/bin/python3
"""Sporadic traffic: cost per day vs queries per day for every variant, break-even points marked.

Input: a sweep CSV with columns workload.arrival.queries_per_day, variant, usd_per_day, feasible
(experiments/sporadic.yaml, experiments/default.yaml). A break-even point is where the cheapest
variant changes; it is found by interpolating the two cost curves linearly in log–log space
between grid rates, and marked with its rate. Infeasible variants are left out at that rate.
If the grid also varies the model (model.neurons, model.layers), there is one panel per model.
"""
import collections
import math

from common import VARIANT_COLOURS, VARIANT_LABELS, args, log_crossings, number, plt, read_rows, save

csv_path, prefix = args()
rows = read_rows(csv_path, ["workload.arrival.queries_per_day", "variant", "usd_per_day", "feasible"])


def model_of(r):
    return (int(r.get("model.neurons") or 0), int(r.get("model.layers") or 0))


# model → variant → rate → usd per day
cost = collections.defaultdict(lambda: collections.defaultdict(dict))
for r in rows:
    if r["feasible"] == "1":
        cost[model_of(r)][r["variant"]][float(r["workload.arrival.queries_per_day"])] = number(r, "usd_per_day")
models = sorted(cost)
cols = min(3, len(models))
nrows = math.ceil(len(models) / cols)
fig, axes = plt.subplots(nrows, cols, figsize=(7.5 * cols, 5.5 * nrows), squeeze=False)
for ax, model in zip([a for row in axes for a in row], models):
    by_variant = cost[model]
    for variant in VARIANT_COLOURS:
        if variant in by_variant:
            xs = sorted(by_variant[variant])
            ax.plot(xs, [by_variant[variant][x] for x in xs], "-", color=VARIANT_COLOURS[variant],
                    label=VARIANT_LABELS[variant])
    # The cheapest variant at each rate, and where it changes.
    rates = sorted({q for c in by_variant.values() for q in c})
    best = [min(((c[q], v) for v, c in by_variant.items() if q in c), default=(None, None))[1] for q in rates]
    for i in range(len(rates) - 1):
        a, b = best[i], best[i + 1]
        if a is None or b is None or a == b:
            continue
        xs = [rates[i], rates[i + 1]]
        for x, y in log_crossings(xs, [by_variant[a][q] for q in xs], [by_variant[b][q] for q in xs]):
            ax.plot([x], [y], "o", color="black", markersize=7, zorder=5)
            ax.annotate(f"break-even {x:,.0f}/day\n{VARIANT_LABELS[a].split(' (')[0]} → "
                        f"{VARIANT_LABELS[b].split(' (')[0]}", (x, y), textcoords="offset points", xytext=(8, -26),
                        fontsize=7)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("traffic (queries per day)")
    ax.set_ylabel("cost per day (USD)")
    title = "Cost per day vs traffic"
    if model[0]:
        title += f": N={model[0]}" + (f", L={model[1]}" if model[1] else "")
    ax.set_title(title + " (dots: break-even)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
for ax in [a for row in axes for a in row][len(models):]:
    ax.set_visible(False)
save(fig, prefix)
